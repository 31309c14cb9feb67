//! [`can`]: what each role may do, and where.

use super::actor::{Actor, Role};
use crate::country::CountryCode;
use crate::port::PortId;

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
    /// Be assigned blocks to count at informal crossing points (and see only one's own).
    WorkBlocks,
    /// Open a protection case from the protection form or a missing-child hit.
    OpenCase,
    /// Open the case of someone interviewed at an informal crossing who agreed to be referred.
    OpenCaseFromInterview,
    /// Work a case: read it, note, task, refer from it. The resource names the case's
    /// organisation, port and owner.
    WorkCase,
    /// Be handed a case as its owner (the resource names the case's organisation).
    OwnCase,
    /// Refer a case to a service of the directory.
    MakeReferral,
    /// Answer a referral as the receiving organisation (the resource names it).
    ReceiveReferral,
    /// Read a country's protection overview (counts, no names).
    ReadProtectionOverview,
    /// Decide a screening hit an officer escalated.
    DecideEscalatedHit,
    /// Read the counter's permit checks and the officers' decisions on them.
    ReadPermitChecks,
    /// See the counters' processing times (those who run or study the posts, not the officers
    /// timed).
    SeeProcessingTimes,
}

/// Where the record acted on lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resource<'a> {
    /// The country that holds it.
    pub country: CountryCode,
    /// The port it belongs to, if any.
    pub port: Option<&'a PortId>,
    /// The organisation that holds it, if any (a case's, a referral's receiver, an employer).
    pub organisation: Option<&'a str>,
    /// The user it is assigned to, if any (a case's owner).
    pub owner: Option<&'a str>,
}

impl<'a> Resource<'a> {
    /// A record of `country`, of no one port.
    pub fn of(country: CountryCode) -> Resource<'a> {
        Resource { country, port: None, organisation: None, owner: None }
    }

    /// A record of `country` at `port`, if any.
    pub fn at(country: CountryCode, port: Option<&'a PortId>) -> Resource<'a> {
        Resource { country, port, organisation: None, owner: None }
    }

    /// The same, held by `organisation`.
    pub fn held_by(self, organisation: &'a str) -> Resource<'a> {
        Resource { organisation: Some(organisation), ..self }
    }

    /// The same, assigned to `owner`.
    pub fn owned_by(self, owner: &'a str) -> Resource<'a> {
        Resource { owner: Some(owner), ..self }
    }
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
        Action::WorkBlocks => matches!(actor.role, Enumerator),
        Action::OpenCase => matches!(actor.role, Officer | Supervisor | Protection),
        Action::OpenCaseFromInterview => matches!(actor.role, Enumerator | Analyst | Admin),
        // A case's owner works it, whatever their role.
        Action::WorkCase => {
            matches!(actor.role, Protection | Supervisor) || resource.owner == Some(actor.name.as_str())
        }
        Action::OwnCase | Action::MakeReferral => matches!(actor.role, Protection),
        Action::ReceiveReferral => matches!(actor.role, Provider | Protection),
        Action::ReadProtectionOverview => matches!(actor.role, Protection | Liaison),
        Action::DecideEscalatedHit => matches!(actor.role, Supervisor),
        Action::ReadPermitChecks => matches!(actor.role, Supervisor | Registrar | Admin),
        Action::SeeProcessingTimes => matches!(actor.role, Supervisor | Admin | Analyst | Liaison),
    };
    if !role_may {
        return Decision::DenyRole;
    }
    // The binational group sees both countries' tables and overviews, protected.
    if actor.role == Liaison
        && matches!(action, Action::ReadTables | Action::ReadProtectionOverview | Action::SeeProcessingTimes)
    {
        return Decision::Allow;
    }
    if resource.country != actor.scope.country {
        return Decision::DenyScope;
    }
    if !organisation_may(actor, action, resource) {
        return Decision::DenyScope;
    }
    // Post staff write only at their post, and read the permit checks of their post; they read
    // their whole country's crossings (a traveller's history spans its ports).
    if matches!(action, Action::RecordCrossing | Action::ResolveHit | Action::ReadPermitChecks)
        && let (Some(mine), Some(theirs)) = (&actor.scope.port, resource.port)
        && mine != theirs
    {
        return Decision::DenyScope;
    }
    Decision::Allow
}

/// Whether the actor's organisation reaches the resource's, for the actions held by one.
fn organisation_may(actor: &Actor, action: Action, resource: Resource<'_>) -> bool {
    match action {
        Action::WorkCase => {
            if resource.owner == Some(actor.name.as_str()) {
                return true;
            }
            let same = resource.organisation.is_none_or(|o| o == actor.organisation());
            // A post's supervisor works the cases of that post only.
            let at_post = actor.role != Role::Supervisor
                || actor.scope.port.as_ref().is_none_or(|mine| resource.port == Some(mine));
            same && at_post
        }
        Action::OwnCase => resource.organisation.is_none_or(|o| o == actor.organisation()),
        // The receiving side is an organisation of a country: the same id in the other country's
        // accounts reaches nothing (the country is checked before).
        Action::ReceiveReferral => {
            actor.scope.organisation.is_some() && actor.scope.organisation.as_deref() == resource.organisation
        }
        // An employer declares and reads its own demand only, and needs its registry id.
        Action::DeclareDemand if actor.role == Role::Employer => match &actor.scope.organisation {
            Some(own) => resource.organisation.is_none_or(|o| o == own),
            None => false,
        },
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use uuid::Uuid;

    use super::*;
    use crate::access::actor::{Scope, UserId};

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
        let mx = Resource::of(CountryCode::MEX);
        assert_eq!(can(&bz, Action::ReadPersonalData, mx), Decision::DenyScope);
        assert_eq!(can(&bz, Action::RecordCrossing, mx), Decision::DenyScope);
        assert_eq!(can(&bz, Action::ReadDeidentified, mx), Decision::DenyScope);
    }

    #[test]
    fn analysts_see_no_names_and_liaisons_see_both_countries_tables_only() {
        let an = actor(Role::Analyst, CountryCode::MEX, None);
        let mx = Resource::of(CountryCode::MEX);
        let bz = Resource::of(CountryCode::BLZ);
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
        assert!(can(&o, Action::RecordCrossing, Resource::at(CountryCode::BLZ, Some(&here))).allowed());
        assert_eq!(
            can(&o, Action::RecordCrossing, Resource::at(CountryCode::BLZ, Some(&there))),
            Decision::DenyScope
        );
        assert!(can(&o, Action::ReadPersonalData, Resource::at(CountryCode::BLZ, Some(&there))).allowed());
    }

    fn of_organisation(mut a: Actor, organisation: &str) -> Actor {
        a.scope.organisation = Some(organisation.into());
        a
    }

    #[test]
    fn an_employer_declares_its_own_demand_in_its_country_and_reads_nothing_else() {
        let e = of_organisation(actor(Role::Employer, CountryCode::BLZ, None), "emp-1");
        let bz = Resource::of(CountryCode::BLZ);
        let mx = Resource::of(CountryCode::MEX);
        assert!(can(&e, Action::DeclareDemand, bz).allowed());
        assert!(can(&e, Action::DeclareDemand, bz.held_by("emp-1")).allowed());
        assert_eq!(can(&e, Action::DeclareDemand, bz.held_by("emp-2")), Decision::DenyScope);
        assert_eq!(can(&e, Action::DeclareDemand, mx), Decision::DenyScope);
        let nameless = actor(Role::Employer, CountryCode::BLZ, None);
        assert_eq!(can(&nameless, Action::DeclareDemand, bz), Decision::DenyScope, "no registry id");
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
    fn a_case_is_worked_by_its_owner_its_organisations_officers_and_its_posts_supervisor() {
        let here = PortId::parse("bz-santa-elena").unwrap();
        let there = PortId::parse("bz-blue-creek").unwrap();
        let case = Resource::at(CountryCode::BLZ, Some(&here)).held_by("pool:BLZ").owned_by("ana");
        let mut owner = actor(Role::Officer, CountryCode::BLZ, Some("bz-santa-elena"));
        owner.name = "ana".into();
        assert!(can(&owner, Action::WorkCase, case).allowed(), "the owner");
        let pool_officer = actor(Role::Protection, CountryCode::BLZ, None);
        assert!(can(&pool_officer, Action::WorkCase, case).allowed(), "the pool's protection officer");
        let ngo = of_organisation(actor(Role::Protection, CountryCode::BLZ, None), "casa");
        assert_eq!(can(&ngo, Action::WorkCase, case), Decision::DenyScope, "another organisation");
        let post = actor(Role::Supervisor, CountryCode::BLZ, Some("bz-santa-elena"));
        assert!(can(&post, Action::WorkCase, case).allowed(), "the post's supervisor");
        let elsewhere = actor(Role::Supervisor, CountryCode::BLZ, Some(there.as_str()));
        assert_eq!(can(&elsewhere, Action::WorkCase, case), Decision::DenyScope, "another post's");
        let officer = actor(Role::Officer, CountryCode::BLZ, Some("bz-santa-elena"));
        assert_eq!(can(&officer, Action::WorkCase, case), Decision::DenyRole, "an officer not its owner");
        let across = actor(Role::Protection, CountryCode::MEX, None);
        let mx_pool = Resource::of(CountryCode::BLZ).held_by("pool:MEX");
        assert_eq!(can(&across, Action::WorkCase, mx_pool), Decision::DenyScope, "never across the border");
        assert!(can(&pool_officer, Action::OwnCase, case).allowed());
        assert_eq!(can(&ngo, Action::OwnCase, case), Decision::DenyScope);
        assert_eq!(can(&post, Action::OwnCase, case), Decision::DenyRole);
    }

    #[test]
    fn a_referral_is_answered_by_its_receiving_organisation_of_its_country_only() {
        let casa_mx = of_organisation(actor(Role::Provider, CountryCode::MEX, None), "casa");
        let casa_bz = of_organisation(actor(Role::Provider, CountryCode::BLZ, None), "casa");
        let to_casa_mx = Resource::of(CountryCode::MEX).held_by("casa");
        assert!(can(&casa_mx, Action::ReceiveReferral, to_casa_mx).allowed());
        assert_eq!(
            can(&casa_bz, Action::ReceiveReferral, to_casa_mx),
            Decision::DenyScope,
            "same id, other country"
        );
        let other = of_organisation(actor(Role::Provider, CountryCode::MEX, None), "albergue");
        assert_eq!(can(&other, Action::ReceiveReferral, to_casa_mx), Decision::DenyScope);
        let loose = actor(Role::Provider, CountryCode::MEX, None);
        assert_eq!(can(&loose, Action::ReceiveReferral, Resource::of(CountryCode::MEX)), Decision::DenyScope);
        let officer = actor(Role::Officer, CountryCode::MEX, None);
        assert_eq!(can(&officer, Action::ReceiveReferral, to_casa_mx), Decision::DenyRole);
    }

    #[test]
    fn the_protection_overview_is_its_countrys_officers_and_the_binational_groups() {
        let bz = Resource::of(CountryCode::BLZ);
        let prot_mx = actor(Role::Protection, CountryCode::MEX, None);
        assert!(can(&prot_mx, Action::ReadProtectionOverview, Resource::of(CountryCode::MEX)).allowed());
        assert_eq!(can(&prot_mx, Action::ReadProtectionOverview, bz), Decision::DenyScope);
        let liaison = actor(Role::Liaison, CountryCode::MEX, None);
        assert!(can(&liaison, Action::ReadProtectionOverview, bz).allowed());
        assert_eq!(can(&liaison, Action::WorkCase, bz), Decision::DenyRole);
        let analyst = actor(Role::Analyst, CountryCode::BLZ, None);
        assert_eq!(can(&analyst, Action::ReadProtectionOverview, bz), Decision::DenyRole);
    }

    #[test]
    fn a_posts_supervisor_decides_escalated_hits_and_reads_the_checks_of_that_post() {
        let here = PortId::parse("bz-santa-elena").unwrap();
        let there = PortId::parse("bz-blue-creek").unwrap();
        let sup = actor(Role::Supervisor, CountryCode::BLZ, Some("bz-santa-elena"));
        let officer = actor(Role::Officer, CountryCode::BLZ, Some("bz-santa-elena"));
        let at_here = Resource::at(CountryCode::BLZ, Some(&here));
        let at_there = Resource::at(CountryCode::BLZ, Some(&there));
        assert!(can(&sup, Action::DecideEscalatedHit, at_here).allowed());
        assert_eq!(can(&officer, Action::DecideEscalatedHit, at_here), Decision::DenyRole);
        assert!(can(&sup, Action::ReadPermitChecks, at_here).allowed());
        assert_eq!(can(&sup, Action::ReadPermitChecks, at_there), Decision::DenyScope);
        let registrar = actor(Role::Registrar, CountryCode::BLZ, None);
        assert!(can(&registrar, Action::ReadPermitChecks, at_there).allowed());
        assert_eq!(can(&officer, Action::ReadPermitChecks, at_here), Decision::DenyRole);
    }

    #[test]
    fn only_enumerators_are_assigned_blocks_and_the_console_may_everything() {
        let bz = Resource::of(CountryCode::BLZ);
        for role in Role::ALL {
            let a = actor(*role, CountryCode::BLZ, None);
            assert_eq!(can(&a, Action::WorkBlocks, bz).allowed(), *role == Role::Enumerator, "{role}");
        }
        let console = Actor::console("ops", CountryCode::BLZ);
        assert!(can(&console, Action::WorkBlocks, Resource::of(CountryCode::MEX)).allowed());
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
