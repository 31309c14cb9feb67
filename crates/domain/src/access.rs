//! The access policy: one function, [`can`], decides every access to every record.
//!
//! The threat: personal data collected by one country leaking to the other country's officers, to
//! analysts, or to anyone without a need to see it. Every edge (API, UI, CLI) asks `can` before it
//! acts, and nothing else grants access.

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
}

/// What an actor wants to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Record a crossing at a port.
    RecordCrossing,
    /// Read crossings with the persons' names, documents and birth dates.
    ReadPersonalData,
    /// Read records without anything that names a person: crossings one by one, count sessions
    /// and interviews. Never across the border: such records still hold quasi-identifiers
    /// (exact times, birth years, nationalities).
    ReadDeidentified,
    /// Read aggregate tables and estimates: under disclosure control wherever they leave the
    /// country or go to a role that reads nothing else.
    ReadTables,
    /// Create and change users.
    ManageUsers,
    /// Read the audit trail.
    ReadAudit,
    /// Screen a person against the alert lists, and read the lists.
    Screen,
    /// Create, change, retire and import alert-list entries, and set the lists' thresholds.
    ManageAlerts,
    /// Confirm, dismiss or escalate a screening hit at a port.
    ResolveHit,
    /// Load and change the service directory's organisations, services and locations.
    ManageDirectory,
    /// Hand over referrals and their steps from the other country's hub.
    Exchange,
    /// Keep the labour registry: workers, employers, permits, seasonal demand.
    ManageLabour,
    /// Read a border worker's permit status at the counter (not the whole file).
    CheckPermit,
    /// Declare seasonal labour demand (an employer its own, the registrar anyone's).
    DeclareDemand,
    /// Define informal crossing points and sampling plans, and assign enumerators.
    ManageMonitoring,
    /// Record count sessions and interviews at informal crossing points.
    RecordCount,
}

/// Where the record acted on lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resource<'a> {
    /// The country that holds it.
    pub country: CountryCode,
    /// The port it belongs to, if any.
    pub port: Option<&'a PortId>,
}

/// The answer of [`can`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Go ahead.
    Allow,
    /// The role may not do this at all.
    DenyRole,
    /// The role may, but not for this country or port.
    DenyScope,
}

impl Decision {
    /// Whether access is allowed.
    pub fn allowed(self) -> bool {
        self == Decision::Allow
    }
}

/// Whether `actor` may do `action` on `resource`.
pub fn can(actor: &Actor, action: Action, resource: Resource<'_>) -> Decision {
    use Role::*;
    // The node's console is whoever holds the machine and its database; it acts on every country
    // the node holds, and every act is audited under its name.
    if actor.is_console() {
        return Decision::Allow;
    }
    let role_may = match action {
        Action::RecordCrossing => matches!(actor.role, Officer | Supervisor),
        Action::ReadPersonalData => matches!(actor.role, Officer | Supervisor | Protection | Admin),
        Action::ReadDeidentified => matches!(actor.role, Officer | Supervisor | Protection | Admin | Analyst),
        Action::ReadTables => {
            matches!(actor.role, Officer | Supervisor | Protection | Admin | Analyst | Liaison)
        }
        Action::ManageUsers => matches!(actor.role, Admin),
        Action::ReadAudit => matches!(actor.role, Admin | Auditor),
        Action::Screen => matches!(actor.role, Officer | Supervisor | Admin),
        Action::ManageAlerts => matches!(actor.role, Supervisor | Admin),
        Action::ResolveHit => matches!(actor.role, Officer | Supervisor),
        Action::ManageDirectory => matches!(actor.role, Protection | Admin),
        Action::Exchange => matches!(actor.role, Peer),
        Action::ManageLabour => matches!(actor.role, Registrar | Admin),
        Action::CheckPermit => matches!(actor.role, Officer | Supervisor | Registrar | Admin),
        Action::DeclareDemand => matches!(actor.role, Employer | Registrar | Admin),
        Action::ManageMonitoring => matches!(actor.role, Analyst | Admin),
        Action::RecordCount => matches!(actor.role, Enumerator | Analyst | Admin),
    };
    if !role_may {
        return Decision::DenyRole;
    }
    // The binational group sees both countries' tables, protected.
    if action == Action::ReadTables && actor.role == Liaison {
        return Decision::Allow;
    }
    if resource.country != actor.scope.country {
        return Decision::DenyScope;
    }
    // Post staff write only at their post; they read their whole country (a traveller's history
    // spans its ports).
    if matches!(action, Action::RecordCrossing | Action::ResolveHit)
        && let (Some(mine), Some(theirs)) = (&actor.scope.port, resource.port)
        && mine != theirs
    {
        return Decision::DenyScope;
    }
    Decision::Allow
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role, country: CountryCode, port: Option<&str>) -> Actor {
        Actor {
            id: UserId(Uuid::now_v7()),
            name: "u".into(),
            role,
            scope: Scope { country, port: port.map(|p| PortId::parse(p).unwrap()), organisation: None },
        }
    }

    #[test]
    fn an_officer_of_one_country_never_reaches_the_others_personal_data() {
        let bz = actor(Role::Officer, CountryCode::BLZ, None);
        let mx = Resource { country: CountryCode::MEX, port: None };
        assert_eq!(can(&bz, Action::ReadPersonalData, mx), Decision::DenyScope);
        assert_eq!(can(&bz, Action::RecordCrossing, mx), Decision::DenyScope);
        assert_eq!(can(&bz, Action::ReadDeidentified, mx), Decision::DenyScope);
    }

    #[test]
    fn analysts_see_no_names_and_liaisons_see_both_countries_tables_only() {
        let an = actor(Role::Analyst, CountryCode::MEX, None);
        let mx = Resource { country: CountryCode::MEX, port: None };
        let bz = Resource { country: CountryCode::BLZ, port: None };
        assert_eq!(can(&an, Action::ReadPersonalData, mx), Decision::DenyRole);
        assert!(can(&an, Action::ReadDeidentified, mx).allowed());
        let li = actor(Role::Liaison, CountryCode::MEX, None);
        assert!(can(&li, Action::ReadTables, bz).allowed());
        assert_eq!(can(&li, Action::ReadDeidentified, bz), Decision::DenyRole, "no records, only tables");
        assert_eq!(can(&li, Action::ReadDeidentified, mx), Decision::DenyRole);
        assert_eq!(can(&li, Action::ReadPersonalData, mx), Decision::DenyRole);
    }

    #[test]
    fn a_port_officer_records_at_that_port_only() {
        let o = actor(Role::Officer, CountryCode::BLZ, Some("bz-santa-elena"));
        let here = PortId::parse("bz-santa-elena").unwrap();
        let there = PortId::parse("bz-blue-creek").unwrap();
        assert!(
            can(&o, Action::RecordCrossing, Resource { country: CountryCode::BLZ, port: Some(&here) })
                .allowed()
        );
        assert_eq!(
            can(&o, Action::RecordCrossing, Resource { country: CountryCode::BLZ, port: Some(&there) }),
            Decision::DenyScope
        );
        assert!(
            can(&o, Action::ReadPersonalData, Resource { country: CountryCode::BLZ, port: Some(&there) })
                .allowed()
        );
    }

    #[test]
    fn an_employer_declares_demand_in_its_country_and_reads_nothing_else() {
        let e = actor(Role::Employer, CountryCode::BLZ, None);
        let bz = Resource { country: CountryCode::BLZ, port: None };
        let mx = Resource { country: CountryCode::MEX, port: None };
        assert!(can(&e, Action::DeclareDemand, bz).allowed());
        assert_eq!(can(&e, Action::DeclareDemand, mx), Decision::DenyScope);
        for action in [
            Action::ManageLabour,
            Action::CheckPermit,
            Action::ReadDeidentified,
            Action::ReadTables,
            Action::ReadPersonalData,
            Action::RecordCrossing,
        ] {
            assert_eq!(can(&e, action, bz), Decision::DenyRole, "{action:?}");
        }
    }

    #[test]
    fn roles_parse_by_name() {
        for (role, name) in Role::ALL.iter().zip(Role::NAMES) {
            assert_eq!(Role::parse(name).unwrap(), *role);
            assert_eq!(role.as_str(), *name);
        }
        assert!(Role::parse("king").is_err());
    }
}
