//! Administration: the accounts of the administrator's country (add a user, set or reset a
//! password, which also lifts a lock-out), the ports and reference data, and the audit trail
//! (filter by user, record and day; verify the whole chain).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use frontera_app::audit::{AUDIT_PAGE, AuditFilter, Verification};
use frontera_app::login::Password;
use frontera_app::users::{AccountChange, NewUser};
use frontera_app::{App, AppError};
use frontera_domain::document::DocumentKind;
use frontera_domain::{Category, Purpose, Role, TransportMode};
use serde::Deserialize;

use super::guard::Guarded;
use super::i18n::Tr;
use super::session::Viewer;
use super::shell::Choice;
use super::shell::{Bar, datetime, error_page, page};

/// An account as a row.
pub struct AccountRow {
    name: String,
    href: String,
    disabled: Option<String>,
    role: String,
    port: String,
    organisation: String,
    created: String,
    access: String,
    tokens: u32,
    locked: Option<String>,
}

#[derive(Template)]
#[template(path = "admin_users.html")]
struct UsersPage {
    tr: Tr,
    bar: Option<Bar>,
    next: String,
    csrf: String,
    country: String,
    accounts: Vec<AccountRow>,
    roles: Vec<Choice>,
    ports: Vec<Choice>,
    form: UserForm,
    error: Option<(String, String)>,
    notice: Option<String>,
    secret: Option<String>,
}

/// The add-user form, sent back on an error so nothing typed is lost.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct UserForm {
    csrf: String,
    name: String,
    role: String,
    port: String,
    organisation: String,
    password: String,
}

fn utc(tr: Tr, at: chrono::DateTime<chrono::Utc>) -> String {
    datetime(tr.lang, at.with_timezone(&chrono_tz::UTC))
}

async fn users_page(
    app: &App,
    viewer: &Viewer,
    form: UserForm,
    status: StatusCode,
    error: Option<(String, String)>,
    notice: Option<String>,
    secret: Option<String>,
) -> Response {
    let tr = viewer.tr;
    let accounts = match app.accounts(&viewer.actor).await {
        Ok(a) => a,
        Err(e) => return error_page(tr, Bar::of(viewer), &e),
    };
    let now = app.now();
    let country = viewer.actor.scope.country;
    let rows = accounts
        .iter()
        .map(|a| {
            let u = &a.user;
            let mut access = Vec::new();
            if a.has_password {
                access.push(tr.t("admin-password"));
            }
            if a.api_tokens > 0 {
                access.push(tr.t_args("admin-tokens", &[("count", a.api_tokens.into())]));
            }
            AccountRow {
                name: u.name.clone(),
                href: format!("/admin/users/{}", urlencoding(&u.name)),
                disabled: a.disabled_at.map(|t| tr.t1("admin-disabled-since", "time", &utc(tr, t))),
                role: tr.t(&format!("role-{}", u.role.as_str())),
                port: u
                    .port
                    .as_ref()
                    .and_then(|p| app.ports.get(p))
                    .map_or_else(|| tr.t("home-all-ports"), |p| p.name.clone()),
                organisation: u.organisation.clone().unwrap_or_default(),
                created: utc(tr, u.created_at),
                access: access.join(" · "),
                tokens: a.api_tokens,
                locked: a
                    .locked_until
                    .filter(|t| *t > now)
                    .map(|t| tr.t1("admin-locked-until", "time", &utc(tr, t))),
            }
        })
        .collect();
    let roles = Role::NAMES
        .iter()
        .map(|r| Choice { value: (*r).into(), label: tr.t(&format!("role-{r}")), selected: *r == form.role })
        .collect();
    let mut ports =
        vec![Choice { value: String::new(), label: tr.t("home-all-ports"), selected: form.port.is_empty() }];
    ports.extend(app.ports.all().filter(|p| p.country == country).map(|p| Choice {
        value: p.id.as_str().into(),
        label: p.name.clone(),
        selected: p.id.as_str() == form.port,
    }));
    let view = UsersPage {
        tr,
        bar: Bar::of(viewer),
        next: "/admin/users".into(),
        csrf: viewer.session.csrf_token.clone(),
        country: country.name(tr.lang).to_string(),
        accounts: rows,
        roles,
        ports,
        form: UserForm { password: String::new(), ..form },
        error,
        notice,
        secret,
    };
    page(status, &view)
}

/// A user name in a path (names hold only letters, digits, `.`, `_`, `-` and `@`).
fn urlencoding(name: &str) -> String {
    name.replace('@', "%40")
}

#[derive(Template)]
#[template(path = "admin_user.html")]
struct AccountPage {
    tr: Tr,
    bar: Option<Bar>,
    next: String,
    csrf: String,
    name: String,
    action: String,
    roles: Vec<Choice>,
    ports: Vec<Choice>,
    organisation: String,
    enabled: bool,
    error: Option<(String, String)>,
}

/// The edit form of one account: role, port, organisation, switched on or off.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AccountForm {
    csrf: String,
    role: String,
    port: String,
    organisation: String,
    enabled: Option<String>,
}

fn role_choices(tr: Tr, chosen: &str) -> Vec<Choice> {
    Role::NAMES
        .iter()
        .map(|r| Choice { value: (*r).into(), label: tr.t(&format!("role-{r}")), selected: *r == chosen })
        .collect()
}

fn port_choices(app: &App, tr: Tr, country: frontera_domain::CountryCode, chosen: &str) -> Vec<Choice> {
    let mut ports =
        vec![Choice { value: String::new(), label: tr.t("home-all-ports"), selected: chosen.is_empty() }];
    ports.extend(app.ports.all().filter(|p| p.country == country).map(|p| Choice {
        value: p.id.as_str().into(),
        label: p.name.clone(),
        selected: p.id.as_str() == chosen,
    }));
    ports
}

async fn account_page(
    app: &App,
    viewer: &Viewer,
    name: &str,
    form: Option<AccountForm>,
    error: Option<(String, String)>,
) -> Response {
    let tr = viewer.tr;
    let accounts = match app.accounts(&viewer.actor).await {
        Ok(a) => a,
        Err(e) => return error_page(tr, Bar::of(viewer), &e),
    };
    let Some(account) = accounts.into_iter().find(|a| a.user.name == name) else {
        return error_page(tr, Bar::of(viewer), &AppError::NotFound(format!("user {name}")));
    };
    let u = &account.user;
    let form = form.unwrap_or_else(|| AccountForm {
        csrf: String::new(),
        role: u.role.as_str().into(),
        port: u.port.as_ref().map(|p| p.as_str().to_string()).unwrap_or_default(),
        organisation: u.organisation.clone().unwrap_or_default(),
        enabled: account.disabled_at.is_none().then(|| "on".into()),
    });
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let view = AccountPage {
        tr,
        bar: Bar::of(viewer),
        next: format!("/admin/users/{}", urlencoding(name)),
        csrf: viewer.session.csrf_token.clone(),
        name: u.name.clone(),
        action: format!("/admin/users/{}", urlencoding(name)),
        roles: role_choices(tr, &form.role),
        ports: port_choices(app, tr, u.country, &form.port),
        organisation: form.organisation.clone(),
        enabled: form.enabled.is_some(),
        error,
    };
    page(status, &view)
}

/// One account's edit form.
pub async fn account(State(app): State<App>, viewer: Viewer, Path(name): Path<String>) -> Response {
    account_page(&app, &viewer, &name, None, None).await
}

/// Change one account; back to the list with a notice.
pub async fn change_account(
    State(app): State<App>,
    Path(name): Path<String>,
    Guarded { viewer, form, .. }: Guarded<AccountForm>,
) -> Response {
    let tr = viewer.tr;
    let change = AccountChange {
        role: form.role.clone(),
        port: Some(form.port.clone()),
        organisation: Some(form.organisation.clone()),
        enabled: form.enabled.is_some(),
    };
    match app.change_account(&viewer.actor, &name, &change).await {
        Ok(user) => {
            let key = if change.enabled { "admin-user-changed" } else { "admin-user-disabled" };
            let notice = tr.t1(key, "name", &user.name);
            users_page(&app, &viewer, UserForm::default(), StatusCode::OK, None, Some(notice), None).await
        }
        Err(AppError::Invalid(e)) => {
            let error = field_error(tr, &e);
            account_page(&app, &viewer, &name, Some(form), Some(error)).await
        }
        Err(e) => error_page(tr, Bar::of(&viewer), &e),
    }
}

/// The accounts and the add-user form.
pub async fn users(State(app): State<App>, viewer: Viewer) -> Response {
    users_page(&app, &viewer, UserForm::default(), StatusCode::OK, None, None, None).await
}

fn field_error(tr: Tr, e: &frontera_domain::ValidationError) -> (String, String) {
    let label = tr.t(&format!("admin-field-{}", e.field));
    (e.field.clone(), format!("{label}: {}", e.message(tr.lang)))
}

/// Add a user; without a typed password one is generated and shown once.
pub async fn add_user(State(app): State<App>, Guarded { viewer, form, .. }: Guarded<UserForm>) -> Response {
    let tr = viewer.tr;
    let (password, generated) = if form.password.is_empty() {
        (Password::generate(), true)
    } else {
        match Password::parse(&form.password) {
            Ok(p) => (p, false),
            Err(e) => {
                let error = field_error(tr, &e);
                return users_page(
                    &app,
                    &viewer,
                    form,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    Some(error),
                    None,
                    None,
                )
                .await;
            }
        }
    };
    let new = NewUser {
        name: form.name.clone(),
        role: form.role.clone(),
        country: viewer.actor.scope.country.to_string(),
        port: Some(form.port.clone()),
        organisation: Some(form.organisation.clone()),
        password: Some(password.clone()),
    };
    match app.add_user(&viewer.actor, &new, false).await {
        Ok((user, _)) => {
            let notice = tr.t1("admin-user-added", "name", &user.name);
            let secret = generated.then(|| password.expose().to_string());
            users_page(&app, &viewer, UserForm::default(), StatusCode::OK, None, Some(notice), secret).await
        }
        Err(AppError::Invalid(e)) => {
            let error = field_error(tr, &e);
            users_page(&app, &viewer, form, StatusCode::UNPROCESSABLE_ENTITY, Some(error), None, None).await
        }
        Err(AppError::Conflict(_)) => {
            let error = ("name".to_string(), tr.t1("admin-name-taken", "name", &form.name));
            users_page(&app, &viewer, form, StatusCode::CONFLICT, Some(error), None, None).await
        }
        Err(e) => error_page(tr, Bar::of(&viewer), &e),
    }
}

/// Give a user a new generated password: ends their sessions and lifts any lock-out.
pub async fn reset_password(
    State(app): State<App>,
    Path(name): Path<String>,
    Guarded { viewer, .. }: Guarded<()>,
) -> Response {
    let tr = viewer.tr;
    // Only accounts the administrator manages: set_password asks the policy with the user's country.
    let password = Password::generate();
    match app.set_password(&viewer.actor, &name, &password).await {
        Ok(user) => {
            let notice = tr.t1("admin-password-reset", "name", &user.name);
            let secret = Some(password.expose().to_string());
            users_page(&app, &viewer, UserForm::default(), StatusCode::OK, None, Some(notice), secret).await
        }
        Err(e) => error_page(tr, Bar::of(&viewer), &e),
    }
}

/// Revoke every API token of a user.
pub async fn revoke_tokens(
    State(app): State<App>,
    Path(name): Path<String>,
    Guarded { viewer, .. }: Guarded<()>,
) -> Response {
    let tr = viewer.tr;
    match app.revoke_tokens(&viewer.actor, &name).await {
        Ok(count) => {
            let notice =
                tr.t_args("admin-tokens-revoked", &[("count", count.into()), ("name", name.as_str().into())]);
            users_page(&app, &viewer, UserForm::default(), StatusCode::OK, None, Some(notice), None).await
        }
        Err(e) => error_page(tr, Bar::of(&viewer), &e),
    }
}

/// A port as a row.
pub struct PortRow {
    id: String,
    name: String,
    country: String,
    kind: String,
    time_zone: String,
    paired: String,
}

/// A list of reference values: its title and (code, English, Spanish) rows.
pub struct RefList {
    title: String,
    rows: Vec<(String, String, String)>,
}

#[derive(Template)]
#[template(path = "admin_reference.html")]
struct ReferencePage {
    tr: Tr,
    bar: Option<Bar>,
    next: String,
    ports: Vec<PortRow>,
    lists: Vec<RefList>,
}

/// The ports and the reference lists, in both languages.
pub async fn reference(State(app): State<App>, viewer: Viewer) -> Response {
    let tr = viewer.tr;
    if let Err(e) = app.accounts(&viewer.actor).await.map(|_| ()) {
        return error_page(tr, Bar::of(&viewer), &e);
    }
    let ports = app
        .ports
        .all()
        .map(|p| PortRow {
            id: p.id.to_string(),
            name: p.name.clone(),
            country: p.country.name(tr.lang).to_string(),
            kind: tr.t(&format!("port-kind-{}", p.kind.as_str())),
            time_zone: p.time_zone.name().to_string(),
            paired: p.paired_ports.iter().map(|q| q.to_string()).collect::<Vec<_>>().join(", "),
        })
        .collect();
    let (en, es) = (Tr::new(frontera_domain::Lang::En), Tr::new(frontera_domain::Lang::Es));
    let list = |title: &str, prefix: &str, codes: &[&str]| RefList {
        title: tr.t(title),
        rows: codes
            .iter()
            .map(|c| {
                let key = format!("{prefix}-{c}");
                ((*c).to_string(), en.t(&key), es.t(&key))
            })
            .collect(),
    };
    let lists = vec![
        list("counter-category", "category", Category::NAMES),
        list("counter-purpose", "purpose", Purpose::NAMES),
        list("counter-transport", "transport", TransportMode::NAMES),
        list("field-document_kind", "document", DocumentKind::NAMES),
        list("admin-role", "role", Role::NAMES),
    ];
    page(
        StatusCode::OK,
        &ReferencePage { tr, bar: Bar::of(&viewer), next: "/admin/reference".into(), ports, lists },
    )
}

/// An audit event as a row.
pub struct EventRow {
    seq: i64,
    at: String,
    actor: String,
    action: String,
    record: String,
    country: String,
    detail: String,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    tr: Tr,
    bar: Option<Bar>,
    next: String,
    csrf: String,
    filter: AuditFilter,
    events: Vec<EventRow>,
    older: Option<String>,
    error: Option<(String, String)>,
    verdict: Option<(bool, String)>,
}

async fn audit_page(
    app: &App,
    viewer: &Viewer,
    filter: AuditFilter,
    verdict: Option<(bool, String)>,
) -> Response {
    let tr = viewer.tr;
    let (events, error, status) = match app.audit_trail(&viewer.actor, &filter).await {
        Ok(events) => (events, None, StatusCode::OK),
        Err(AppError::Invalid(e)) => {
            let label = tr.t(&format!("audit-{}", e.field));
            (
                Vec::new(),
                Some((e.field.clone(), format!("{label}: {}", e.message(tr.lang)))),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
        Err(e) => return error_page(tr, Bar::of(viewer), &e),
    };
    let older = (events.len() as u32 >= AUDIT_PAGE).then(|| {
        let before = events.last().map_or(0, |e| e.seq);
        let q = AuditFilter { before: Some(before), ..filter.clone() };
        format!("/audit?{}", serde_urlencoded::to_string(&q).unwrap_or_default())
    });
    let rows = events
        .iter()
        .map(|e| EventRow {
            seq: e.seq,
            at: chrono::DateTime::from_timestamp_micros(e.at_micros).map(|t| utc(tr, t)).unwrap_or_default(),
            actor: e.actor.clone(),
            action: e.action.clone(),
            record: format!("{} {}", e.record_kind, e.record_id),
            country: e.country.clone().unwrap_or_default(),
            detail: e.detail.clone(),
        })
        .collect();
    let view = AuditPage {
        tr,
        bar: Bar::of(viewer),
        next: "/audit".into(),
        csrf: viewer.session.csrf_token.clone(),
        filter,
        events: rows,
        older,
        error,
        verdict,
    };
    page(status, &view)
}

/// The audit trail, filtered.
pub async fn audit(State(app): State<App>, viewer: Viewer, Query(filter): Query<AuditFilter>) -> Response {
    audit_page(&app, &viewer, filter, None).await
}

/// Verify the whole chain and show the verdict above the trail.
pub async fn verify(State(app): State<App>, Guarded { viewer, .. }: Guarded<()>) -> Response {
    let tr = viewer.tr;
    let verdict = match app.verify_audit_as(&viewer.actor).await {
        Ok(Verification::Intact(n)) => (true, tr.t_args("audit-intact", &[("count", n.into())])),
        Ok(Verification::Broken(b)) => {
            let finding = if tr.lang == frontera_domain::Lang::Es { b.message_es() } else { b.to_string() };
            (false, tr.t1("audit-broken", "finding", &finding))
        }
        Err(e) => return error_page(tr, Bar::of(&viewer), &e),
    };
    audit_page(&app, &viewer, AuditFilter::default(), Some(verdict)).await
}
