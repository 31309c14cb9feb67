//! Who acts: a user's role and scope.

use std::fmt;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::country::CountryCode;
use crate::error::Rule;
use crate::port::PortId;

/// What a user does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Role {
    /// Records crossings at a post's counter.
    Officer,
    /// Supervises a post: resolves hits, corrects records.
    Supervisor,
    /// Keeps the labour registry.
    Registrar,
    /// Runs protection cases and referrals.
    Protection,
    /// A service provider of the referral directory.
    Provider,
    /// Produces statistics; sees no names.
    Analyst,
    /// A member of the binational technical group; sees both countries' shared data, no one's
    /// personal data.
    Liaison,
    /// Administers users and reference data.
    Admin,
    /// Reads and verifies the audit trail.
    Auditor,
    /// The other country's hub, as the exchange knows it: hands over referrals and their steps,
    /// nothing else. Its scope's country is the hub's.
    Peer,
    /// An employer of the labour registry, or an association of them (its scope's organisation
    /// is the employer's id in the registry): declares its seasonal demand, sees its own.
    Employer,
    /// An enumerator of informal-crossing monitoring: counts passers-by at a point and
    /// interviews some, in the blocks they are assigned; sees no crossing records.
    Enumerator,
}

impl Role {
    /// Every role's name.
    pub const NAMES: &'static [&'static str] = &[
        "officer",
        "supervisor",
        "registrar",
        "protection",
        "provider",
        "analyst",
        "liaison",
        "admin",
        "auditor",
        "peer",
        "employer",
        "enumerator",
    ];
    /// Every role.
    pub const ALL: &'static [Role] = &[
        Role::Officer,
        Role::Supervisor,
        Role::Registrar,
        Role::Protection,
        Role::Provider,
        Role::Analyst,
        Role::Liaison,
        Role::Admin,
        Role::Auditor,
        Role::Peer,
        Role::Employer,
        Role::Enumerator,
    ];

    /// Parse a role's name.
    pub fn parse(text: &str) -> Result<Role, Rule> {
        Role::ALL
            .iter()
            .zip(Role::NAMES)
            .find(|(_, name)| **name == text.trim())
            .map(|(role, _)| *role)
            .ok_or(Rule::OneOf { allowed: Role::NAMES })
    }

    /// Whether the role's scope may name an organisation of the referral directory (a
    /// provider's, a protection officer's or a post supervisor's); an employer's organisation
    /// is its id in the labour registry instead.
    pub fn works_for_directory_organisation(self) -> bool {
        matches!(self, Role::Provider | Role::Protection | Role::Supervisor)
    }

    /// The role's name.
    pub fn as_str(self) -> &'static str {
        let i = Role::ALL.iter().position(|r| *r == self).unwrap_or(0);
        Role::NAMES.get(i).copied().unwrap_or("officer")
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a user's powers reach: a country, and optionally one port or organisation in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Scope {
    /// The country.
    pub country: CountryCode,
    /// One port of it, for post staff.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<PortId>,
    /// One organisation, for service providers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
}

/// The id of a user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, format = Uuid))]
pub struct UserId(pub Uuid);

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A user name: 1–64 characters of letters, digits, `.`, `_`, `-`, `@`.
pub fn parse_user_name(text: &str) -> Result<String, Rule> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Rule::Required);
    }
    if text.len() > 64 {
        return Err(Rule::TooLong { max: 64 });
    }
    if !text.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@')) {
        return Err(Rule::Charset { allowed: "letters, digits, '.', '_', '-' and '@'" });
    }
    Ok(text.to_string())
}

/// Who is acting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Actor {
    /// The user's id.
    pub id: UserId,
    /// The user's name, as the audit trail shows it.
    pub name: String,
    /// Their role.
    pub role: Role,
    /// Their scope.
    pub scope: Scope,
}

impl Actor {
    /// The node's own operator at its console (CLI imports, demo generation): every power on the
    /// node, audited under `cli:NAME`.
    pub fn console(name: &str, country: CountryCode) -> Actor {
        Actor {
            id: UserId(Uuid::nil()),
            name: format!("cli:{name}"),
            role: Role::Admin,
            scope: Scope { country, port: None, organisation: None },
        }
    }

    /// Whether this is the node's console.
    pub fn is_console(&self) -> bool {
        self.id.0.is_nil()
    }

    /// The organisation the actor works for: its scope's, or else its country's protection pool
    /// (where the cases border staff open go).
    pub fn organisation(&self) -> String {
        self.scope.organisation.clone().unwrap_or_else(|| protection_pool(self.scope.country))
    }
}

/// The organisation that holds a country's protection cases no one organisation took: those
/// border staff open, and those of protection officers of no organisation.
pub fn protection_pool(country: CountryCode) -> String {
    format!("pool:{country}")
}
