//! User accounts and their API tokens.

use frontera_domain::access::{Action, Actor, Resource, Role, UserId, can, parse_user_name};
use frontera_domain::audit::AuditDraft;
use frontera_domain::{CountryCode, PortId, ValidationError};
use frontera_store::{Credentials, User};

use crate::auth::Token;
use crate::login::Password;
use crate::{App, AppError};

/// A new user as given on the command line or a form.
#[derive(Debug, Clone, Default)]
pub struct NewUser {
    /// Unique name.
    pub name: String,
    /// Role name.
    pub role: String,
    /// Country code.
    pub country: String,
    /// Port id, for post staff.
    pub port: Option<String>,
    /// Organisation, for providers.
    pub organisation: Option<String>,
    /// A password for logging in through the browser (API-only users have none).
    pub password: Option<Password>,
}

/// Changes to an account as given on a form.
#[derive(Debug, Clone, Default)]
pub struct AccountChange {
    /// Role name.
    pub role: String,
    /// Port id, for post staff; empty for the whole country.
    pub port: Option<String>,
    /// Organisation, for providers.
    pub organisation: Option<String>,
    /// Whether the account may be used.
    pub enabled: bool,
}

impl App {
    /// The port a user of `country` is scoped to, checked.
    fn scope_port(
        &self,
        port: Option<&str>,
        country: CountryCode,
    ) -> Result<Option<PortId>, ValidationError> {
        match port.filter(|p| !p.trim().is_empty()) {
            Some(p) => {
                let port = self.ports.resolve(p, "port")?;
                if port.country != country {
                    return Err(ValidationError::new(
                        "port",
                        frontera_domain::Rule::NotAllowedWith { other: "a country other than the port's" },
                    ));
                }
                Ok(Some(port.id.clone()))
            }
            None => Ok(None),
        }
    }

    /// The organisation an account of `role` in `country` works for, checked: an account of
    /// the protection work (a provider, a protection officer, a supervisor) works for one of
    /// its own country's organisations in the directory, so that naming the other country's
    /// organisation never puts it on the receiving side of that country's referrals. An
    /// employer's is an employer of its country's labour registry, checked where it declares.
    async fn scope_organisation(
        &self,
        organisation: Option<&str>,
        role: Role,
        country: CountryCode,
    ) -> Result<Option<String>, AppError> {
        let Some(id) = organisation.map(str::trim).filter(|o| !o.is_empty()) else {
            return Ok(None);
        };
        if role.works_for_directory_organisation() {
            let directory = self.directory().await?;
            match directory.organisations.iter().find(|o| o.id == id) {
                Some(o) if o.country == country => {}
                Some(_) => {
                    return Err(ValidationError::refused(
                        "organisation",
                        format!("{id} is an organisation of another country"),
                        format!("{id} es una organización de otro país"),
                    )
                    .into());
                }
                None => {
                    return Err(ValidationError::refused(
                        "organisation",
                        format!("the directory holds no organisation {id}"),
                        format!("el directorio no tiene ninguna organización {id}"),
                    )
                    .into());
                }
            }
        }
        Ok(Some(id.to_string()))
    }

    /// Change a user's role and scope, or switch the account off or on. Ends the user's
    /// sessions; administrators may not switch themselves off.
    pub async fn change_account(
        &self,
        actor: &Actor,
        name: &str,
        change: &AccountChange,
    ) -> Result<User, AppError> {
        let user =
            self.store.user_by_name(name).await?.ok_or_else(|| AppError::NotFound(format!("user {name}")))?;
        if !can(actor, Action::ManageUsers, Resource::of(user.country)).allowed() {
            return Err(AppError::Forbidden(format!("you may not change users of {}", user.country)));
        }
        let role = Role::parse(&change.role).map_err(|r| ValidationError::new("role", r))?;
        let port = self.scope_port(change.port.as_deref(), user.country)?;
        let organisation =
            self.scope_organisation(change.organisation.as_deref(), role, user.country).await?;
        if user.id == actor.id && !change.enabled {
            return Err(ValidationError::new(
                "enabled",
                frontera_domain::Rule::NotAllowedWith { other: "your own account" },
            )
            .into());
        }
        let changed = User { role, port, organisation, ..user.clone() };
        let event = AuditDraft::new(
            &actor.name,
            "user.change",
            "user",
            user.id.to_string(),
            Some(user.country.as_str()),
            serde_json::json!({
                "name": user.name,
                "before": {"role": user.role, "port": user.port, "organisation": user.organisation},
                "after": {"role": changed.role, "port": changed.port, "organisation": changed.organisation},
                "enabled": change.enabled,
            }),
        );
        let disabled_at = (!change.enabled).then(|| self.now());
        self.store.update_user(&changed, disabled_at, event).await?;
        Ok(changed)
    }

    /// Create a user; with `with_token`, also an API token, returned once.
    pub async fn add_user(
        &self,
        actor: &Actor,
        new: &NewUser,
        with_token: bool,
    ) -> Result<(User, Option<Token>), AppError> {
        let name = parse_user_name(&new.name).map_err(|r| ValidationError::new("name", r))?;
        let role = Role::parse(&new.role).map_err(|r| ValidationError::new("role", r))?;
        let country = CountryCode::parse_field(&new.country, "country")?;
        let port = self.scope_port(new.port.as_deref(), country)?;
        let decision = can(actor, Action::ManageUsers, Resource::at(country, port.as_ref()));
        if !decision.allowed() {
            return Err(AppError::Forbidden(format!("you may not create users for {country}")));
        }
        let organisation = self.scope_organisation(new.organisation.as_deref(), role, country).await?;
        let user = User {
            id: UserId(uuid::Uuid::now_v7()),
            name,
            role,
            country,
            port,
            organisation,
            created_at: self.now(),
        };
        let token = with_token.then(Token::generate);
        let password_hash = match &new.password {
            Some(p) => Some(p.hash().await?),
            None => None,
        };
        let event = AuditDraft::new(
            &actor.name,
            "user.add",
            "user",
            user.id.to_string(),
            Some(country.as_str()),
            serde_json::json!({
                "name": user.name, "role": role, "port": user.port, "token": with_token,
                "password": password_hash.is_some(),
            }),
        );
        let token_hash = token.as_ref().map(Token::hash);
        let credentials = Credentials {
            token_hash: token_hash.as_deref(),
            token_expires_at: Some(self.token_expiry(self.token_days)?),
            password_hash: password_hash.as_deref(),
        };
        self.store.add_user(&user, credentials, event).await?;
        Ok((user, token))
    }

    /// Issue a new API token for an existing user, working for the node's `token_days`.
    pub async fn issue_token(&self, actor: &Actor, name: &str) -> Result<(User, Token), AppError> {
        self.issue_token_for(actor, name, self.token_days).await
    }

    /// Issue a new API token for an existing user, working for `days` (1 to 3,650).
    pub async fn issue_token_for(
        &self,
        actor: &Actor,
        name: &str,
        days: u32,
    ) -> Result<(User, Token), AppError> {
        let until = self.token_expiry(days)?;
        let user = self.managed_user(actor, name).await?;
        let token = Token::generate();
        let event = AuditDraft::new(
            &actor.name,
            "user.token",
            "user",
            user.id.to_string(),
            Some(user.country.as_str()),
            serde_json::json!({"name": user.name, "expires_at": until}),
        );
        self.store.add_token(user.id, &token.hash(), until, event).await?;
        Ok((user, token))
    }

    /// Revoke every API token of a user at once (a lost laptop, a leaked token); answers how
    /// many there were.
    pub async fn revoke_tokens(&self, actor: &Actor, name: &str) -> Result<u64, AppError> {
        let user = self.managed_user(actor, name).await?;
        let event = AuditDraft::new(
            &actor.name,
            "user.tokens_revoked",
            "user",
            user.id.to_string(),
            Some(user.country.as_str()),
            serde_json::json!({"name": user.name}),
        );
        Ok(self.store.revoke_tokens(user.id, event).await?)
    }

    fn token_expiry(&self, days: u32) -> Result<chrono::DateTime<chrono::Utc>, ValidationError> {
        if !(1..=3_650).contains(&days) {
            return Err(ValidationError::new(
                "days",
                frontera_domain::Rule::OutOfRange { min: 1, max: 3_650 },
            ));
        }
        Ok(self.now() + chrono::Duration::days(i64::from(days)))
    }

    async fn managed_user(&self, actor: &Actor, name: &str) -> Result<User, AppError> {
        let user =
            self.store.user_by_name(name).await?.ok_or_else(|| AppError::NotFound(format!("user {name}")))?;
        if !can(actor, Action::ManageUsers, Resource::of(user.country)).allowed() {
            return Err(AppError::Forbidden(format!(
                "you may not manage the tokens of users of {}",
                user.country
            )));
        }
        Ok(user)
    }
}
