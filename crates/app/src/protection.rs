//! Protection cases, consents and referrals: a person identified at the border is a case; a
//! consent lets named data go to named recipients; a referral carries the minimum packet to a
//! service at a location and follows the state machine of [`frontera_domain::protection`].
//!
//! Who sees what. A case is seen by whoever works it: its owner, and the protection officers of
//! its organisation (an organisation of none is the country's protection pool). A referral is
//! seen by its sender's side in full and by its receiving organisation through its packet
//! only, never the case. Everything else is refused, and the refusal audited.

use chrono::{DateTime, Utc};
use frontera_domain::access::{Action, Actor, Resource, Role, can, protection_pool};
use frontera_domain::audit::AuditDraft;
use frontera_domain::protection::{
    CaseStep, Consent, ConsentGap, ConsentOverride, DataCategory, Event, Giver, Lifecycle, Party, Priority,
    Profile, Receiving, Recipient, RiskLevel, State, covering,
};
use frontera_domain::{CountryCode, Lang, PartialDate, Rule, Sex, ValidationError};
use frontera_store::{Effects, NewNotification, Outgoing, ProtectionQuery, ProtectionRecord, StoreError};
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

use crate::notices::{Audience, Tell};
use crate::{App, AppError};

/// The person a case is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CasePerson {
    /// Given names.
    pub given_names: String,
    /// Surnames.
    pub surnames: String,
    /// Birth date, as far as known.
    pub birth_date: Option<PartialDate>,
    /// Sex.
    pub sex: Sex,
    /// Nationality.
    pub nationality: CountryCode,
    /// Languages spoken (ISO 639).
    pub languages: Vec<String>,
}

/// A note on a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    /// Who wrote it.
    pub by: String,
    /// When.
    pub at: DateTime<Utc>,
    /// What.
    pub text: String,
}

/// A task on a case: something to do by a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Task {
    /// Its number on the case, from 1.
    pub number: u32,
    /// What to do.
    pub text: String,
    /// By when.
    pub due: chrono::NaiveDate,
    /// Who set it.
    pub by: String,
    /// When it was done, and by whom.
    pub done: Option<(DateTime<Utc>, String)>,
    /// When those who work the case were reminded of it, due and not done.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reminded_at: Option<DateTime<Utc>>,
}

/// A protection case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Case {
    /// Its id.
    pub id: String,
    /// The country whose hub keeps it.
    pub country: CountryCode,
    /// The organisation working it (`pool:CCC`, the country's protection pool, until one takes it).
    pub organisation: String,
    /// Who opened it, or owns it now.
    pub owner: String,
    /// The person.
    pub person: CasePerson,
    /// Why they need protection.
    pub profiles: Vec<Profile>,
    /// For a child: whether the parents or customary caregiver were told.
    pub caregiver_informed: Option<bool>,
    /// How much harm threatens.
    pub risk: RiskLevel,
    /// The case-management step.
    pub step: CaseStep,
    /// A step asked for that waits for a second person's approval, and who asked.
    #[serde(default)]
    pub pending: Option<(CaseStep, String)>,
    /// When it was closed.
    #[serde(default)]
    pub closed_at: Option<DateTime<Utc>>,
    /// The crossing where the person was identified, if any.
    pub crossing_id: Option<String>,
    /// The port of the border staff who opened it, whose supervisors see it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<frontera_domain::PortId>,
    /// Notes, oldest first.
    pub notes: Vec<Note>,
    /// Tasks, in the order set.
    #[serde(default)]
    pub tasks: Vec<Task>,
    /// When it was opened.
    pub opened_at: DateTime<Utc>,
}

/// The screening form that opens a case, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseDraft {
    /// Given names.
    pub given_names: Option<String>,
    /// Surnames.
    pub surnames: Option<String>,
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub birth_date: Option<String>,
    /// `F`, `M` or `X`.
    pub sex: Option<String>,
    /// Alpha-3.
    pub nationality: Option<String>,
    /// ISO 639 codes.
    #[serde(default)]
    pub languages: Vec<String>,
    /// At least one of `unaccompanied_child`, `separated_child`, `trafficking`, `asylum`,
    /// `medical`, `violence`, `disability`, `pregnant`, `older_person`.
    #[serde(default)]
    pub profiles: Vec<String>,
    /// `low`, `medium` (default) or `high`.
    pub risk: Option<String>,
    /// For a child: whether the caregiver was told.
    pub caregiver_informed: Option<bool>,
    /// The crossing where the person was identified.
    pub crossing_id: Option<String>,
    /// What the officer saw.
    pub note: Option<String>,
}

/// A consent, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConsentDraft {
    /// The guardian's name, when a guardian consents (none: the person).
    pub guardian_name: Option<String>,
    /// The guardian's relationship to the person.
    pub guardian_relationship: Option<String>,
    /// What for.
    pub purpose: Option<String>,
    /// Organisations (ids of the directory) that may receive the data.
    #[serde(default)]
    pub organisations: Vec<String>,
    /// Kinds of service (taxonomy codes) whose organisations may receive it.
    #[serde(default)]
    pub service_kinds: Vec<String>,
    /// `identity`, `contact`, `needs`, `health`.
    #[serde(default)]
    pub data: Vec<String>,
    /// When it lapses (RFC 3339).
    pub expires_at: Option<String>,
}

/// A stored consent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredConsent {
    /// Its id.
    pub id: String,
    /// The case.
    pub case_id: String,
    /// The consent.
    pub consent: Consent,
}

/// A referral, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReferralDraft {
    /// The service at a location referred to (its directory id).
    pub service_at_location: Option<String>,
    /// `emergency`, `urgent` or `normal`.
    pub priority: Option<String>,
    /// Why.
    pub reason: Option<String>,
    /// The kinds of service asked for (default: the service's).
    #[serde(default)]
    pub services: Vec<String>,
    /// The data sent (default: `identity`, `needs`).
    #[serde(default)]
    pub data: Vec<String>,
    /// Without a covering consent: why the referral must go anyway (a protection officer
    /// records it; audited).
    pub override_reason: Option<String>,
}

/// What a referral carries to the receiver: the minimum, never the case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Packet {
    /// How fast an answer is due.
    pub priority: Priority,
    /// The person's name, or the case code when identity may not go.
    pub name: String,
    /// Birth date, when identity may go.
    pub birth_date: Option<PartialDate>,
    /// Sex, when identity may go.
    pub sex: Option<Sex>,
    /// Languages, when contact data may go.
    pub languages: Vec<String>,
    /// Whether a child is unaccompanied.
    pub unaccompanied_child: bool,
    /// Whether the caregiver was told.
    pub caregiver_informed: Option<bool>,
    /// The needs (profiles), when needs may go.
    pub needs: Vec<Profile>,
    /// Why the referral is made.
    pub reason: String,
    /// The services asked for.
    pub services: Vec<String>,
    /// The consent it rests on, or `override`.
    pub consent: String,
    /// The referring officer.
    pub referred_by: String,
    /// The referring organisation.
    pub from_organisation: String,
}

/// A stored referral.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Referral {
    /// Its id.
    pub id: String,
    /// The case (not shown to the receiver).
    pub case_id: String,
    /// The sending organisation and country.
    pub sender: (String, CountryCode),
    /// The receiving organisation and the country of the location.
    pub receiver: (String, CountryCode),
    /// The service at a location.
    pub service_at_location: String,
    /// The packet.
    pub packet: Packet,
    /// The override, when no consent covered it.
    pub consent_override: Option<ConsentOverride>,
    /// Its life.
    pub lifecycle: Lifecycle,
    /// When its overdue answer was escalated to the supervisor.
    pub escalated_at: Option<DateTime<Utc>>,
    /// Whether it crosses to the other country's hub, and which side this hub holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exchange: Option<crate::exchange::Crossed>,
}

/// A referral as one side sees it: the receiver without the case.
#[derive(Debug, Clone, Serialize)]
pub struct ReferralView {
    /// Which side the reader is on.
    pub side: Party,
    /// The referral (its `case_id` empty for the receiver).
    #[serde(flatten)]
    pub referral: Referral,
    /// By when an answer is due.
    pub answer_due: DateTime<Utc>,
    /// Whether it is overdue now.
    pub overdue: bool,
}

pub(crate) fn text(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|t| !t.is_empty())
}

pub(crate) fn required<'a>(v: &'a Option<String>, field: &str) -> Result<&'a str, ValidationError> {
    text(v).ok_or_else(|| ValidationError::new(field, Rule::Required))
}

fn parse_all<T>(
    values: &[String],
    field: &str,
    parse: impl Fn(&str) -> Result<T, Rule>,
) -> Result<Vec<T>, ValidationError> {
    values
        .iter()
        .enumerate()
        .map(|(i, v)| parse(v).map_err(|r| ValidationError::new(format!("{field}[{i}]"), r)))
        .collect()
}

pub(crate) fn to_json<T: Serialize>(value: &T) -> Result<String, AppError> {
    serde_json::to_string(value).map_err(|e| AppError::Internal(e.to_string()))
}

fn from_json<T: for<'de> Deserialize<'de>>(r: &ProtectionRecord) -> Result<T, AppError> {
    serde_json::from_str(&r.record).map_err(|e| AppError::Internal(format!("{} {}: {e}", r.kind, r.id)))
}

/// Where a case was opened from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CaseSource {
    /// The protection form (at the counter or standalone).
    Form,
    /// A missing-child hit at the counter, on this crossing.
    Hit(frontera_domain::CrossingId),
    /// An informal-crossing interview whose person agreed to be referred.
    Interview,
}

/// Whether the actor has protection work: opens cases (and so may own them), or answers its
/// organisation's referrals. Others have no inbox of cases and referrals.
fn may_work_protection(actor: &Actor) -> Result<(), AppError> {
    let own = Resource::of(actor.scope.country);
    let opens =
        [Action::OpenCase, Action::OpenCaseFromInterview].into_iter().any(|a| can(actor, a, own).allowed());
    let receives = actor
        .scope
        .organisation
        .as_deref()
        .is_some_and(|o| can(actor, Action::ReceiveReferral, own.held_by(o)).allowed());
    if opens || receives {
        Ok(())
    } else {
        Err(AppError::Forbidden("protection cases and referrals are not your role's work".into()))
    }
}

/// Where a case lives, for the access policy.
fn case_resource(case: &Case) -> Resource<'_> {
    Resource::at(case.country, case.port.as_ref()).held_by(&case.organisation).owned_by(&case.owner)
}

/// The id of the case a missing-child hit on `crossing` opens: one per crossing.
fn case_on_hit(crossing: frontera_domain::CrossingId) -> Uuid {
    const CASES_ON_HITS: Uuid = Uuid::from_u128(0x5b1c_0f3e_8a2d_4c61_9e07_3d5a_2b8f_c4e1);
    Uuid::new_v5(&CASES_ON_HITS, crossing.0.as_bytes())
}

fn conflict(e: StoreError) -> AppError {
    match e {
        StoreError::Conflict(c) => AppError::Conflict(c),
        other => other.into(),
    }
}

impl App {
    /// Whether `actor` works `case`: its owner, the protection officers of its organisation,
    /// and their supervisors (a supervisor of the organisation; for a case border staff opened,
    /// the supervisors of their post or of no one post).
    fn works(actor: &Actor, case: &Case) -> bool {
        can(actor, Action::WorkCase, case_resource(case)).allowed()
    }

    /// A case or referral the actor does not work: the try audited, and answered as absent
    /// (the same answer as for an id that does not exist, so that ids are no oracle).
    async fn denied(&self, actor: &Actor, what: &str, id: &str, country: CountryCode) -> AppError {
        let event =
            AuditDraft::new(&actor.name, "protection.denied", what, id, Some(country.as_str()), json!({}));
        if let Err(e) = self.store.append_audit(event).await {
            return e.into();
        }
        AppError::NotFound(format!("{what} {id}"))
    }

    /// Opens a case from the screening form: officers and supervisors at the border, and
    /// protection officers. The case goes to the opener's organisation (the country's
    /// protection pool for border staff), where the protection officers see it.
    pub async fn open_case(&self, actor: &Actor, draft: &CaseDraft) -> Result<Case, AppError> {
        self.open_case_as(actor, draft, CaseSource::Form).await
    }

    /// Opens the case of someone an enumerator interviewed at an informal crossing, who agreed
    /// to be referred: in the country's protection pool, from the enumerator's form.
    pub(crate) async fn open_case_from_interview(
        &self,
        actor: &Actor,
        draft: &CaseDraft,
    ) -> Result<Case, AppError> {
        self.open_case_as(actor, draft, CaseSource::Interview).await
    }

    async fn open_case_as(
        &self,
        actor: &Actor,
        draft: &CaseDraft,
        source: CaseSource,
    ) -> Result<Case, AppError> {
        let action = match source {
            CaseSource::Interview => Action::OpenCaseFromInterview,
            CaseSource::Form | CaseSource::Hit(_) => Action::OpenCase,
        };
        let country = actor.scope.country;
        if !can(actor, action, Resource::of(country)).allowed() {
            return Err(AppError::Forbidden(
                "only border staff and protection officers open protection cases".into(),
            ));
        }
        let on_hit = matches!(source, CaseSource::Hit(_));
        let profiles = parse_all(&draft.profiles, "profiles", Profile::parse)?;
        if profiles.is_empty() {
            return Err(ValidationError::new("profiles", Rule::Required).into());
        }
        let person = CasePerson {
            given_names: required(&draft.given_names, "given_names")?.to_string(),
            surnames: required(&draft.surnames, "surnames")?.to_string(),
            birth_date: text(&draft.birth_date)
                .map(|b| PartialDate::parse(b).map_err(|r| ValidationError::new("birth_date", r)))
                .transpose()?,
            sex: Sex::parse(required(&draft.sex, "sex")?).map_err(|r| ValidationError::new("sex", r))?,
            nationality: CountryCode::parse_field(
                required(&draft.nationality, "nationality")?,
                "nationality",
            )?,
            languages: draft
                .languages
                .iter()
                .map(|l| l.trim().to_ascii_lowercase())
                .filter(|l| !l.is_empty())
                .collect(),
        };
        let risk = match text(&draft.risk) {
            Some(r) => RiskLevel::parse(r).map_err(|e| ValidationError::new("risk", e))?,
            None => RiskLevel::Medium,
        };
        let now = self.now();
        // Who may own cases opens them in their organisation; border staff, in the pool.
        let organisation = if can(actor, Action::OwnCase, Resource::of(country)).allowed() {
            actor.organisation()
        } else {
            protection_pool(country)
        };
        let id = match source {
            CaseSource::Hit(crossing) => case_on_hit(crossing),
            CaseSource::Form | CaseSource::Interview => Uuid::now_v7(),
        };
        let case = Case {
            id: id.to_string(),
            country: actor.scope.country,
            organisation,
            owner: actor.name.clone(),
            person,
            caregiver_informed: draft.caregiver_informed,
            risk,
            step: CaseStep::Identification,
            pending: None,
            closed_at: None,
            crossing_id: text(&draft.crossing_id).map(String::from),
            port: actor.scope.port.clone(),
            notes: text(&draft.note)
                .map(|t| Note { by: actor.name.clone(), at: now, text: t.to_string() })
                .into_iter()
                .collect(),
            tasks: Vec::new(),
            opened_at: now,
            profiles,
        };
        let record = ProtectionRecord {
            kind: "case".into(),
            id: case.id.clone(),
            case_id: case.id.clone(),
            country: case.country,
            organisation: case.organisation.clone(),
            counterpart: None,
            state: "open".into(),
            due_at: None,
            record: to_json(&case)?,
            version: 1,
        };
        let event = AuditDraft::new(
            &actor.name,
            match source {
                CaseSource::Form => "case.open",
                CaseSource::Hit(_) => "case.open_on_hit",
                CaseSource::Interview => "case.open_from_interview",
            },
            "case",
            &case.id,
            Some(case.country.as_str()),
            json!({"profiles": case.profiles, "risk": case.risk, "organisation": case.organisation, "crossing": case.crossing_id}),
        );
        let notify = self
            .notices_for(
                actor,
                &Audience {
                    country: Some(case.country),
                    organisation: Some(case.organisation.clone()),
                    roles: vec![Role::Protection],
                    port: None,
                    names: Vec::new(),
                },
                Tell {
                    kind: "case.opened",
                    subject_kind: "case",
                    subject_id: &case.id,
                    case_id: &case.id,
                    detail: json!({"profiles": case.profiles, "risk": case.risk, "on_hit": on_hit}),
                },
            )
            .await?;
        self.store.save_protection(&record, now, event, &Effects { notify, ..Effects::default() }).await?;
        Ok(case)
    }

    /// The case of a child a missing-child alert found at the border: high risk, in the
    /// country's protection pool, the hits named in its first note. Its id derives from the
    /// crossing's, so a retry of the crossing (after a failure between storing it and opening
    /// the case) opens the case exactly once: the case already open is answered, a missing one
    /// is opened now.
    pub(crate) async fn case_for_crossing(
        &self,
        actor: &Actor,
        crossing: &frontera_domain::Crossing,
        hits: &[String],
    ) -> Result<String, AppError> {
        let id = case_on_hit(crossing.id).to_string();
        if self.store.protection_record("case", &id).await?.is_some() {
            return Ok(id);
        }
        let p = &crossing.person;
        let surnames = match &p.name.second_surname {
            Some(second) => format!("{} {second}", p.name.first_surname),
            None => p.name.first_surname.clone(),
        };
        let draft = CaseDraft {
            given_names: Some(p.name.given_names.clone()),
            surnames: Some(surnames),
            birth_date: p.birth_date.map(|b| b.to_string()),
            sex: Some(p.sex.code().to_string()),
            nationality: Some(p.nationality.as_str().to_string()),
            profiles: vec![Profile::SeparatedChild.as_str().to_string()],
            risk: Some(RiskLevel::High.as_str().to_string()),
            crossing_id: Some(crossing.id.to_string()),
            note: Some(format!(
                "Opened at once: missing-child alert {} at {}.",
                hits.join(", "),
                crossing.port_id
            )),
            ..CaseDraft::default()
        };
        match self.open_case_as(actor, &draft, CaseSource::Hit(crossing.id)).await {
            Ok(case) => Ok(case.id),
            // Two retries raced: the other one opened it.
            Err(AppError::Conflict(_)) => Ok(id),
            Err(e) => Err(e),
        }
    }

    pub(crate) async fn case_record(
        &self,
        actor: &Actor,
        id: &str,
    ) -> Result<(Case, ProtectionRecord), AppError> {
        let Some(r) = self.store.protection_record("case", id).await? else {
            return Err(AppError::NotFound(format!("case {id}")));
        };
        let case: Case = from_json(&r)?;
        if !App::works(actor, &case) {
            return Err(self.denied(actor, "case", id, case.country).await);
        }
        Ok((case, r))
    }

    /// The open cases the actor works, newest first. The list names people (the inbox shows
    /// their names): its read is audited, naming the cases shown.
    pub async fn my_cases(&self, actor: &Actor) -> Result<Vec<Case>, AppError> {
        may_work_protection(actor)?;
        let query = ProtectionQuery {
            kind: Some("case".into()),
            country: (!actor.is_console()).then_some(actor.scope.country),
            states: vec!["open".into()],
            ..ProtectionQuery::default()
        };
        let mut out = Vec::new();
        for r in self.store.protection_records(&query).await? {
            let case: Case = from_json(&r)?;
            if App::works(actor, &case) {
                out.push(case);
            }
        }
        out.sort_by_key(|c| std::cmp::Reverse(c.opened_at));
        let shown: Vec<&str> = out.iter().map(|c| c.id.as_str()).collect();
        let event = crate::audit::list_read(actor, "case.list", "case", "", actor.scope.country, &shown);
        self.store.append_audit(event).await?;
        Ok(out)
    }

    /// The consents and referrals of a case, for those who work it.
    pub async fn case_file(
        &self,
        actor: &Actor,
        id: &str,
    ) -> Result<(Vec<StoredConsent>, Vec<Referral>), AppError> {
        let (case, _) = self.case_record(actor, id).await?;
        let query = ProtectionQuery { case_id: Some(case.id.clone()), ..ProtectionQuery::default() };
        let (mut consents, mut referrals) = (Vec::new(), Vec::new());
        for r in self.store.protection_records(&query).await? {
            match r.kind.as_str() {
                "consent" => consents.push(from_json(&r)?),
                "referral" => referrals.push(from_json(&r)?),
                _ => {}
            }
        }
        Ok((consents, referrals))
    }

    /// A case, for those who work it. Audited.
    pub async fn case(&self, actor: &Actor, id: &str) -> Result<Case, AppError> {
        let (case, _) = self.case_record(actor, id).await?;
        let event =
            AuditDraft::new(&actor.name, "case.read", "case", id, Some(case.country.as_str()), json!({}));
        self.store.append_audit(event).await?;
        Ok(case)
    }

    async fn save_case(
        &self,
        actor: &Actor,
        case: &Case,
        r: ProtectionRecord,
        action: &str,
        detail: serde_json::Value,
        notify: &[NewNotification],
    ) -> Result<(), AppError> {
        let record = ProtectionRecord {
            state: if case.closed_at.is_some() { "closed" } else { "open" }.into(),
            record: to_json(case)?,
            version: r.version + 1,
            ..r
        };
        let event =
            AuditDraft::new(&actor.name, action, "case", &case.id, Some(case.country.as_str()), detail);
        self.store
            .save_protection(
                &record,
                self.now(),
                event,
                &Effects { notify: notify.to_vec(), ..Effects::default() },
            )
            .await
            .map_err(conflict)
    }

    /// Tells those who work `case` (its owner and the protection officers of its organisation)
    /// and `also` of a change to it.
    async fn tell_case(
        &self,
        actor: &Actor,
        case: &Case,
        also: &[&str],
        kind: &str,
        detail: serde_json::Value,
    ) -> Result<Vec<NewNotification>, AppError> {
        let audience = Audience {
            country: Some(case.country),
            organisation: Some(case.organisation.clone()),
            roles: vec![Role::Protection, Role::Supervisor],
            port: case.port.clone(),
            names: std::iter::once(case.owner.as_str())
                .chain(also.iter().copied())
                .map(String::from)
                .collect(),
        };
        let tell = Tell { kind, subject_kind: "case", subject_id: &case.id, case_id: &case.id, detail };
        self.notices_for(actor, &audience, tell).await
    }

    /// Hands a case to another owner: a protection officer of the case's organisation and
    /// country, whose account is active. The new owner hears of it.
    pub async fn reassign_case(&self, actor: &Actor, case_id: &str, owner: &str) -> Result<Case, AppError> {
        let (mut case, r) = self.case_record(actor, case_id).await?;
        if case.closed_at.is_some() {
            return Err(refused(
                format!("case {case_id} is closed"),
                format!("el caso {case_id} está cerrado"),
            ));
        }
        let owner = owner.trim();
        if owner.is_empty() {
            return Err(ValidationError::new("owner", Rule::Required).into());
        }
        let held = Resource::of(case.country).held_by(&case.organisation);
        let fits = self.store.accounts(Some(case.country)).await?.into_iter().any(|a| {
            a.disabled_at.is_none()
                && a.user.name == owner
                && can(&a.user.as_actor(), Action::OwnCase, held).allowed()
        });
        if !fits {
            let rule = Rule::syntax(
                "not an active protection officer of the case's organisation",
                "no es un agente de protección activo de la organización del caso",
            );
            return Err(ValidationError::new("owner", rule).into());
        }
        if case.owner == owner {
            return Ok(case);
        }
        let before = std::mem::replace(&mut case.owner, owner.to_string());
        let audience = Audience { names: vec![owner.to_string()], ..Audience::default() };
        let tell = Tell {
            kind: "case.assigned",
            subject_kind: "case",
            subject_id: &case.id,
            case_id: &case.id,
            detail: json!({"by": actor.name}),
        };
        let notify = self.notices_for(actor, &audience, tell).await?;
        self.save_case(actor, &case, r, "case.reassign", json!({"from": before, "to": owner}), &notify)
            .await?;
        Ok(case)
    }

    /// The protection officers a case may be handed to (of its organisation and country).
    pub async fn case_owners(&self, actor: &Actor, case_id: &str) -> Result<Vec<String>, AppError> {
        let (case, _) = self.case_record(actor, case_id).await?;
        let mut names: Vec<String> = self
            .store
            .accounts(Some(case.country))
            .await?
            .into_iter()
            .filter(|a| {
                let held = Resource::of(case.country).held_by(&case.organisation);
                a.disabled_at.is_none() && can(&a.user.as_actor(), Action::OwnCase, held).allowed()
            })
            .map(|a| a.user.name)
            .collect();
        names.sort();
        Ok(names)
    }

    /// Adds a note to a case.
    pub async fn add_case_note(&self, actor: &Actor, case_id: &str, text: &str) -> Result<Case, AppError> {
        let (mut case, r) = self.case_record(actor, case_id).await?;
        let text = text.trim();
        if text.is_empty() {
            return Err(ValidationError::new("text", Rule::Required).into());
        }
        case.notes.push(Note { by: actor.name.clone(), at: self.now(), text: text.to_string() });
        self.save_case(actor, &case, r, "case.note", json!({}), &[]).await?;
        Ok(case)
    }

    /// Sets a task on a case, due on `due` (`YYYY-MM-DD`, today or later).
    pub async fn add_case_task(
        &self,
        actor: &Actor,
        case_id: &str,
        text: &str,
        due: &str,
    ) -> Result<Case, AppError> {
        let (mut case, r) = self.case_record(actor, case_id).await?;
        let text = text.trim();
        if text.is_empty() {
            return Err(ValidationError::new("text", Rule::Required).into());
        }
        let due = chrono::NaiveDate::parse_from_str(due.trim(), "%Y-%m-%d")
            .map_err(|_| ValidationError::new("due", Rule::NotADate { format: "YYYY-MM-DD" }))?;
        if due < self.now().date_naive() {
            return Err(ValidationError::new("due", Rule::Before { other: "today" }).into());
        }
        let number = case.tasks.len() as u32 + 1;
        case.tasks.push(Task {
            number,
            text: text.to_string(),
            due,
            by: actor.name.clone(),
            done: None,
            reminded_at: None,
        });
        self.save_case(actor, &case, r, "case.task", json!({"task": number, "due": due}), &[]).await?;
        Ok(case)
    }

    /// Marks a case's task done.
    pub async fn complete_case_task(
        &self,
        actor: &Actor,
        case_id: &str,
        number: u32,
    ) -> Result<Case, AppError> {
        let (mut case, r) = self.case_record(actor, case_id).await?;
        let now = self.now();
        let Some(task) = case.tasks.iter_mut().find(|t| t.number == number) else {
            return Err(AppError::NotFound(format!("task {number} of case {case_id}")));
        };
        if task.done.is_some() {
            return Err(refused(
                format!("task {number} is done already"),
                format!("la tarea {number} ya está hecha"),
            ));
        }
        task.done = Some((now, actor.name.clone()));
        self.save_case(actor, &case, r, "case.task_done", json!({"task": number}), &[]).await?;
        Ok(case)
    }

    /// Moves a case to its next step. The case plan and the closure need a second person's
    /// approval: asking for them leaves the step pending until another who works the case
    /// approves it ([`App::approve_case_step`]).
    pub async fn advance_case(&self, actor: &Actor, case_id: &str) -> Result<Case, AppError> {
        let (mut case, r) = self.case_record(actor, case_id).await?;
        if case.closed_at.is_some() {
            return Err(refused(
                format!("case {case_id} is closed"),
                format!("el caso {case_id} está cerrado"),
            ));
        }
        if let Some((step, by)) = &case.pending {
            return Err(refused(
                format!("{step} asked for by {by} waits for approval"),
                format!("{step}, solicitada por {by}, espera su aprobación"),
            ));
        }
        let Some(next) = case.step.next() else {
            return Err(refused(
                format!("case {case_id} is at its last step"),
                format!("el caso {case_id} está en su última etapa"),
            ));
        };
        if next.requires_approval() && !actor.is_console() {
            case.pending = Some((next, actor.name.clone()));
            let notify = self.tell_case(actor, &case, &[], "case.approval", json!({"step": next})).await?;
            self.save_case(actor, &case, r, "case.step_asked", json!({"step": next}), &notify).await?;
        } else {
            case.step = next;
            self.save_case(actor, &case, r, "case.step", json!({"step": next}), &[]).await?;
        }
        Ok(case)
    }

    /// Approves the step pending on a case: someone who works the case, not who asked for it.
    pub async fn approve_case_step(&self, actor: &Actor, case_id: &str) -> Result<Case, AppError> {
        let (mut case, r) = self.case_record(actor, case_id).await?;
        let Some((step, asked_by)) = case.pending.clone() else {
            return Err(refused(
                format!("nothing waits for approval on case {case_id}"),
                format!("nada espera aprobación en el caso {case_id}"),
            ));
        };
        if asked_by == actor.name {
            return Err(AppError::Forbidden(
                "a step is approved by someone other than who asked for it".into(),
            ));
        }
        case.step = step;
        case.pending = None;
        if step == CaseStep::Closure {
            case.closed_at = Some(self.now());
        }
        let notify =
            self.tell_case(actor, &case, &[&asked_by], "case.approved", json!({"step": step})).await?;
        self.save_case(actor, &case, r, "case.step", json!({"step": step, "asked_by": asked_by}), &notify)
            .await?;
        Ok(case)
    }

    /// Records a consent on a case.
    pub async fn add_consent(
        &self,
        actor: &Actor,
        case_id: &str,
        draft: &ConsentDraft,
    ) -> Result<StoredConsent, AppError> {
        let (case, _) = self.case_record(actor, case_id).await?;
        let given_by = match text(&draft.guardian_name) {
            Some(name) => Giver::Guardian {
                name: name.to_string(),
                relationship: required(&draft.guardian_relationship, "guardian_relationship")?.to_string(),
            },
            None if case.profiles.iter().any(|p| p.is_child()) => {
                return Err(ValidationError::new("guardian_name", Rule::Required).into());
            }
            None => Giver::Person,
        };
        let mut recipients: Vec<Recipient> =
            draft.organisations.iter().map(|o| Recipient::Organisation(o.trim().to_string())).collect();
        for (i, k) in draft.service_kinds.iter().enumerate() {
            if !frontera_domain::directory::TAXONOMY.iter().any(|t| t.0 == k.trim()) {
                let rule = frontera_domain::directory::unknown_kind();
                return Err(ValidationError::new(format!("service_kinds[{i}]"), rule).into());
            }
            recipients.push(Recipient::ServiceKind(k.trim().to_string()));
        }
        if recipients.is_empty() {
            return Err(ValidationError::new("organisations", Rule::Required).into());
        }
        let data = parse_all(&draft.data, "data", DataCategory::parse)?;
        if data.is_empty() {
            return Err(ValidationError::new("data", Rule::Required).into());
        }
        let now = self.now();
        let expires_at = text(&draft.expires_at)
            .map(|t| {
                DateTime::parse_from_rfc3339(t)
                    .map(|d| d.with_timezone(&Utc))
                    .map_err(|_| ValidationError::new("expires_at", Rule::NotATimestamp))
            })
            .transpose()?;
        if expires_at.is_some_and(|e| e <= now) {
            return Err(ValidationError::new("expires_at", Rule::Before { other: "now" }).into());
        }
        let consent = Consent {
            given_by,
            purpose: required(&draft.purpose, "purpose")?.to_string(),
            recipients,
            data,
            given_at: now,
            expires_at,
            withdrawn_at: None,
        };
        let stored = StoredConsent { id: Uuid::now_v7().to_string(), case_id: case.id.clone(), consent };
        let record = ProtectionRecord {
            kind: "consent".into(),
            id: stored.id.clone(),
            case_id: case.id.clone(),
            country: case.country,
            organisation: case.organisation.clone(),
            counterpart: None,
            state: "given".into(),
            due_at: None,
            record: to_json(&stored)?,
            version: 1,
        };
        let event = AuditDraft::new(
            &actor.name,
            "consent.give",
            "consent",
            &stored.id,
            Some(case.country.as_str()),
            json!({"case": case.id}),
        );
        self.store.save_protection(&record, now, event, &Effects::default()).await?;
        Ok(stored)
    }

    /// Withdraws a consent at once: the referrals that rest on it and are not over are
    /// cancelled in the same stroke, so nothing it covered goes on.
    pub async fn withdraw_consent(
        &self,
        actor: &Actor,
        case_id: &str,
        consent_id: &str,
    ) -> Result<StoredConsent, AppError> {
        let (case, _) = self.case_record(actor, case_id).await?;
        let Some(r) =
            self.store.protection_record("consent", consent_id).await?.filter(|r| r.case_id == case.id)
        else {
            return Err(AppError::NotFound(format!("consent {consent_id}")));
        };
        let mut stored: StoredConsent = from_json(&r)?;
        let now = self.now();
        if stored.consent.withdrawn_at.is_none() {
            stored.consent.withdrawn_at = Some(now);
            let record = ProtectionRecord {
                state: "withdrawn".into(),
                record: to_json(&stored)?,
                version: r.version + 1,
                ..r
            };
            let event = AuditDraft::new(
                &actor.name,
                "consent.withdraw",
                "consent",
                consent_id,
                Some(case.country.as_str()),
                json!({"case": case.id}),
            );
            self.store.save_protection(&record, now, event, &Effects::default()).await.map_err(conflict)?;
        }
        let query = ProtectionQuery {
            kind: Some("referral".into()),
            case_id: Some(case.id.clone()),
            ..ProtectionQuery::default()
        };
        for r in self.store.protection_records(&query).await? {
            let referral: Referral = from_json(&r)?;
            if referral.packet.consent == stored.id
                && !referral.lifecycle.state.is_outcome()
                && !matches!(referral.lifecycle.state, State::Cancelled | State::Closed)
            {
                let cancel = Event::Cancel { reason: "consent withdrawn".into() };
                self.step_referral(actor, r, referral, cancel, Party::Sender).await?;
            }
        }
        Ok(stored)
    }

    /// Refers the person of a case to a service at a location: the minimum packet, under a
    /// consent that covers the receiving organisation (by name or by a kind of service it
    /// offers) and the data sent, or an override recorded with its reason.
    pub async fn refer(
        &self,
        actor: &Actor,
        case_id: &str,
        draft: &ReferralDraft,
    ) -> Result<Referral, AppError> {
        let (case, _) = self.case_record(actor, case_id).await?;
        if !can(actor, Action::MakeReferral, Resource::of(case.country)).allowed() {
            return Err(AppError::Forbidden("referrals are made by protection officers".into()));
        }
        if case.closed_at.is_some() {
            return Err(refused(
                format!("case {case_id} is closed"),
                format!("el caso {case_id} está cerrado"),
            ));
        }
        let sal_id = required(&draft.service_at_location, "service_at_location")?;
        let directory = self.directory().await?;
        let Some(sal) = directory.service_at_locations.iter().find(|s| s.id == sal_id) else {
            return Err(ValidationError::new(
                "service_at_location",
                Rule::syntax(
                    format!("no service at a location {sal_id} in the directory"),
                    format!("no hay un servicio en un lugar {sal_id} en el directorio"),
                ),
            )
            .into());
        };
        let service = directory.services.iter().find(|s| s.id == sal.service_id);
        let location = directory.locations.iter().find(|l| l.id == sal.location_id);
        let (Some(service), Some(location)) = (service, location) else {
            return Err(AppError::Internal(format!("the directory's {sal_id} refers to a missing record")));
        };
        let priority = Priority::parse(text(&draft.priority).unwrap_or("normal"))
            .map_err(|r| ValidationError::new("priority", r))?;
        let reason = required(&draft.reason, "reason")?.to_string();
        let services = if draft.services.is_empty() { service.kinds.clone() } else { draft.services.clone() };
        let data = if draft.data.is_empty() {
            vec![DataCategory::Identity, DataCategory::Needs]
        } else {
            parse_all(&draft.data, "data", DataCategory::parse)?
        };
        let now = self.now();
        let query = ProtectionQuery {
            kind: Some("consent".into()),
            case_id: Some(case.id.clone()),
            ..ProtectionQuery::default()
        };
        let consents: Vec<StoredConsent> =
            self.store.protection_records(&query).await?.iter().map(from_json).collect::<Result<_, _>>()?;
        let plain: Vec<Consent> = consents.iter().map(|c| c.consent.clone()).collect();
        let to = Receiving { organisation: &service.organisation_id, service_kinds: &service.kinds };
        let (consent_ref, consent_override) = match covering(&plain, to, &data, now) {
            Ok(c) => {
                let i = plain.iter().position(|p| p == c).unwrap_or(0);
                (consents[i].id.clone(), None)
            }
            Err(gap) => match text(&draft.override_reason) {
                Some(why) => {
                    let o = ConsentOverride::new(&actor.name, why)
                        .map_err(|r| ValidationError::new("override_reason", r))?;
                    ("override".to_string(), Some(o))
                }
                None => return Err(consent_refusal(&gap)),
            },
        };
        let may = |c: DataCategory| data.contains(&c);
        let packet = Packet {
            priority,
            name: if may(DataCategory::Identity) {
                format!("{} {}", case.person.given_names, case.person.surnames)
            } else {
                format!("case {}", &case.id[case.id.len().saturating_sub(8)..])
            },
            birth_date: case.person.birth_date.filter(|_| may(DataCategory::Identity)),
            sex: may(DataCategory::Identity).then_some(case.person.sex),
            languages: if may(DataCategory::Contact) { case.person.languages.clone() } else { Vec::new() },
            unaccompanied_child: case.profiles.contains(&Profile::UnaccompaniedChild),
            caregiver_informed: case.caregiver_informed,
            needs: if may(DataCategory::Needs) { case.profiles.clone() } else { Vec::new() },
            reason,
            services,
            consent: consent_ref,
            referred_by: actor.name.clone(),
            from_organisation: case.organisation.clone(),
        };
        let referral = Referral {
            id: Uuid::now_v7().to_string(),
            case_id: case.id.clone(),
            sender: (case.organisation.clone(), case.country),
            receiver: (service.organisation_id.clone(), location.country),
            service_at_location: sal.id.clone(),
            packet,
            consent_override,
            lifecycle: Lifecycle::new(priority, now),
            escalated_at: None,
            // A service in a country whose hub this hub exchanges with: the referral is handed
            // over, and the receiver's steps come back from there.
            exchange: (location.country != case.country && self.exchange.peer(location.country).is_some())
                .then_some(crate::exchange::Crossed { peer: location.country, here: Party::Sender }),
        };
        let record = ProtectionRecord {
            kind: "referral".into(),
            id: referral.id.clone(),
            case_id: case.id.clone(),
            country: case.country,
            organisation: case.organisation.clone(),
            counterpart: Some(service.organisation_id.clone()),
            state: State::Requested.as_str().into(),
            due_at: Some(referral.lifecycle.answer_due().timestamp_micros()),
            record: to_json(&referral)?,
            version: 1,
        };
        let event = AuditDraft::new(
            &actor.name,
            "referral.request",
            "referral",
            &referral.id,
            Some(case.country.as_str()),
            json!({
                "case": case.id, "to": referral.receiver.0, "service_at_location": sal.id,
                "priority": priority, "consent": referral.packet.consent,
                "override": referral.consent_override.as_ref().map(|o| &o.reason),
            }),
        );
        let (notify, send) = match &referral.exchange {
            Some(crossed) => (Vec::new(), vec![crate::exchange::hand_over(&referral, crossed.peer)?]),
            None => (
                self.tell_referral(actor, &referral, Party::Receiver, "referral.request", None).await?,
                Vec::new(),
            ),
        };
        self.store.save_protection(&record, now, event, &Effects { notify, send }).await?;
        Ok(referral)
    }

    /// Which side of `referral` the actor is on, if any.
    async fn side(&self, actor: &Actor, referral: &Referral) -> Result<Option<Party>, AppError> {
        if actor.is_console() {
            return Ok(Some(Party::Sender));
        }
        // The receiving side is an organisation *of a country*: the same id in the other
        // country's accounts reaches nothing.
        let receiver = Resource::of(referral.receiver.1).held_by(&referral.receiver.0);
        if can(actor, Action::ReceiveReferral, receiver).allowed() {
            return Ok(Some(Party::Receiver));
        }
        if let Some(r) = self.store.protection_record("case", &referral.case_id).await? {
            let case: Case = from_json(&r)?;
            if App::works(actor, &case) {
                return Ok(Some(Party::Sender));
            }
        }
        Ok(None)
    }

    async fn referral_record(
        &self,
        actor: &Actor,
        id: &str,
    ) -> Result<(Referral, ProtectionRecord, Party), AppError> {
        let Some(r) = self.store.protection_record("referral", id).await? else {
            return Err(AppError::NotFound(format!("referral {id}")));
        };
        let referral: Referral = from_json(&r)?;
        match self.side(actor, &referral).await? {
            Some(side) => Ok((referral, r, side)),
            None => Err(self.denied(actor, "referral", id, r.country).await),
        }
    }

    fn view(&self, mut referral: Referral, side: Party) -> ReferralView {
        if side == Party::Receiver {
            referral.case_id = String::new();
        }
        let answer_due = referral.lifecycle.answer_due();
        let overdue = referral.lifecycle.is_overdue(self.now());
        ReferralView { side, referral, answer_due, overdue }
    }

    /// A referral as the reader's side sees it. Audited.
    pub async fn referral(&self, actor: &Actor, id: &str) -> Result<ReferralView, AppError> {
        let (referral, r, side) = self.referral_record(actor, id).await?;
        let event = AuditDraft::new(
            &actor.name,
            "referral.read",
            "referral",
            id,
            Some(r.country.as_str()),
            json!({"side": side}),
        );
        self.store.append_audit(event).await?;
        Ok(self.view(referral, side))
    }

    /// The referrals the actor's organisation sent or received, newest first.
    pub async fn referrals(&self, actor: &Actor) -> Result<Vec<ReferralView>, AppError> {
        may_work_protection(actor)?;
        let organisation = actor.organisation();
        let query = ProtectionQuery {
            kind: Some("referral".into()),
            organisation: Some(organisation),
            ..ProtectionQuery::default()
        };
        let mut out = Vec::new();
        for r in self.store.protection_records(&query).await? {
            let referral: Referral = from_json(&r)?;
            if let Some(side) = self.side(actor, &referral).await? {
                out.push(self.view(referral, side));
            }
        }
        out.sort_by_key(|v| std::cmp::Reverse(v.referral.lifecycle.requested_at));
        let shown: Vec<&str> = out.iter().map(|v| v.referral.id.as_str()).collect();
        let event =
            crate::audit::list_read(actor, "referral.list", "referral", "", actor.scope.country, &shown);
        self.store.append_audit(event).await?;
        Ok(out)
    }

    async fn step_referral(
        &self,
        actor: &Actor,
        r: ProtectionRecord,
        referral: Referral,
        event: Event,
        side: Party,
    ) -> Result<Referral, AppError> {
        let now = self.now();
        let mut send = Vec::new();
        if let Some(crossed) = &referral.exchange {
            if crossed.here != side {
                let peer = crossed.peer;
                return Err(refused(
                    format!(
                        "this side of the referral is kept by the hub of {peer}; its steps are taken there"
                    ),
                    format!("este lado de la remisión lo lleva el nodo de {peer}; sus pasos se dan allí"),
                ));
            }
            let step = crate::exchange::StepMessage {
                number: referral.lifecycle.steps.len() + 1,
                event: event.clone(),
                at: now,
            };
            send.push(Outgoing {
                peer: crossed.peer,
                kind: "event".into(),
                subject_id: referral.id.clone(),
                case_id: r.case_id.clone(),
                body: to_json(&step)?,
            });
        }
        self.apply_step(actor, r, referral, event, side, now, send).await
    }

    /// Applies a step to a referral at `at` and stores it, with the notifications of the other
    /// side and the messages `send` to the other hub.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn apply_step(
        &self,
        actor: &Actor,
        r: ProtectionRecord,
        mut referral: Referral,
        event: Event,
        side: Party,
        at: DateTime<Utc>,
        send: Vec<Outgoing>,
    ) -> Result<Referral, AppError> {
        let now = at;
        let name = event.name();
        let note = event.text().map(String::from);
        let state = referral
            .lifecycle
            .apply(event, side, at)
            .map_err(|e| refused(e.message(Lang::En), e.message(Lang::Es)))?;
        let record = ProtectionRecord {
            state: state.as_str().into(),
            due_at: state.awaits_answer().then(|| referral.lifecycle.answer_due().timestamp_micros()),
            record: to_json(&referral)?,
            version: r.version + 1,
            ..r
        };
        let audit = AuditDraft::new(
            &actor.name,
            &format!("referral.{name}"),
            "referral",
            &referral.id,
            Some(record.country.as_str()),
            json!({"side": side, "state": state, "note": note}),
        );
        let to = match side {
            Party::Sender => Party::Receiver,
            Party::Receiver => Party::Sender,
        };
        let notify = self.tell_referral(actor, &referral, to, &format!("referral.{name}"), note).await?;
        self.store.save_protection(&record, now, audit, &Effects { notify, send }).await.map_err(conflict)?;
        Ok(referral)
    }

    /// Tells one side of a referral of a change to it: the receiving organisation's providers
    /// and protection officers; or the referring officer and the sending organisation's
    /// protection officers (and, for an overdue answer, its supervisors).
    pub(crate) async fn tell_referral(
        &self,
        actor: &Actor,
        referral: &Referral,
        to: Party,
        kind: &str,
        note: Option<String>,
    ) -> Result<Vec<NewNotification>, AppError> {
        // The other side of a referral that crosses works on the other hub, which tells it.
        if referral.exchange.is_some_and(|c| c.here != to) {
            return Ok(Vec::new());
        }
        let audience = match to {
            Party::Receiver => Audience {
                country: Some(referral.receiver.1),
                organisation: Some(referral.receiver.0.clone()),
                roles: vec![Role::Provider, Role::Protection],
                port: None,
                names: Vec::new(),
            },
            Party::Sender => Audience {
                country: Some(referral.sender.1),
                organisation: Some(referral.sender.0.clone()),
                roles: if kind == "referral.overdue" {
                    vec![Role::Protection, Role::Supervisor]
                } else {
                    vec![Role::Protection]
                },
                port: None,
                names: vec![referral.packet.referred_by.clone()],
            },
        };
        let detail = json!({
            "priority": referral.lifecycle.priority,
            "state": referral.lifecycle.state,
            "from": referral.sender.0,
            "to": referral.receiver.0,
            "note": note,
        });
        let tell = Tell {
            kind,
            subject_kind: "referral",
            subject_id: &referral.id,
            case_id: &referral.case_id,
            detail,
        };
        self.notices_for(actor, &audience, tell).await
    }

    /// Takes a step on a referral as the actor's side: the receiver receives, accepts, rejects,
    /// starts, completes or fails it; the sender cancels, follows it up and closes it. A step
    /// the state machine refuses is a conflict saying why; nothing changes.
    pub async fn act_on_referral(
        &self,
        actor: &Actor,
        id: &str,
        event: Event,
    ) -> Result<ReferralView, AppError> {
        let (referral, r, side) = self.referral_record(actor, id).await?;
        let referral = self.step_referral(actor, r, referral, event, side).await?;
        Ok(self.view(referral, side))
    }

    /// Escalates the referrals whose answer is overdue at `now` to the sending organisation's
    /// supervisor (once each): marked and audited. Returns the ids escalated. Run by the node's
    /// background job every few minutes.
    pub async fn escalate_overdue(&self, now: DateTime<Utc>) -> Result<Vec<String>, AppError> {
        let query = ProtectionQuery {
            kind: Some("referral".into()),
            due_before: Some(now.timestamp_micros()),
            states: vec![State::Requested.as_str().into(), State::Received.as_str().into()],
            ..ProtectionQuery::default()
        };
        let mut escalated = Vec::new();
        for r in self.store.protection_records(&query).await? {
            let mut referral: Referral = from_json(&r)?;
            // A referral handed over from the other hub is escalated there, by its sender.
            let handed_over = referral.exchange.is_some_and(|c| c.here == Party::Receiver);
            if handed_over || referral.escalated_at.is_some() || !referral.lifecycle.is_overdue(now) {
                continue;
            }
            referral.escalated_at = Some(now);
            let event = AuditDraft::new(
                "system",
                "referral.escalate",
                "referral",
                &referral.id,
                Some(r.country.as_str()),
                json!({"due": referral.lifecycle.answer_due(), "priority": referral.lifecycle.priority, "to": referral.sender.0}),
            );
            let record = ProtectionRecord { record: to_json(&referral)?, version: r.version + 1, ..r };
            let system = Actor::console("deadline-watch", record.country);
            let notify =
                self.tell_referral(&system, &referral, Party::Sender, "referral.overdue", None).await?;
            match self
                .store
                .save_protection(&record, now, event, &Effects { notify, ..Effects::default() })
                .await
            {
                Ok(()) => escalated.push(referral.id),
                // Someone acted on it meanwhile: the next round looks again.
                Err(StoreError::Conflict(_)) => continue,
                Err(e) => return Err(e.into()),
            }
        }
        Ok(escalated)
    }
}

impl App {
    /// Reminds those who work a case (and who set the task) of its tasks due by `now`'s day and
    /// not done, once each. Returns how many tasks were reminded of.
    pub async fn remind_due_tasks(&self, now: DateTime<Utc>) -> Result<u64, AppError> {
        let query = ProtectionQuery {
            kind: Some("case".into()),
            states: vec!["open".into()],
            ..ProtectionQuery::default()
        };
        let mut reminded = 0;
        for r in self.store.protection_records(&query).await? {
            let mut case: Case = from_json(&r)?;
            let today = now.date_naive();
            let due: Vec<(u32, chrono::NaiveDate, String)> = case
                .tasks
                .iter()
                .filter(|t| t.done.is_none() && t.reminded_at.is_none() && t.due <= today)
                .map(|t| (t.number, t.due, t.by.clone()))
                .collect();
            if due.is_empty() {
                continue;
            }
            let watch = Actor::console("deadline-watch", case.country);
            let mut notify = Vec::new();
            for (number, day, by) in &due {
                let detail = json!({"task": number, "due": day});
                notify.extend(self.tell_case(&watch, &case, &[by.as_str()], "case.task_due", detail).await?);
            }
            for t in case.tasks.iter_mut().filter(|t| due.iter().any(|d| d.0 == t.number)) {
                t.reminded_at = Some(now);
            }
            let numbers: Vec<u32> = due.iter().map(|d| d.0).collect();
            match self
                .save_case(&watch, &case, r, "case.task_reminder", json!({"tasks": numbers}), &notify)
                .await
            {
                Ok(()) => reminded += due.len() as u64,
                // Someone changed the case meanwhile: the next round looks again.
                Err(AppError::Conflict(_)) => continue,
                Err(e) => return Err(e),
            }
        }
        Ok(reminded)
    }

    /// The deadline watch: escalates overdue referrals every `every`, for as long as the node
    /// runs. A failed round is logged and the next one tries again.
    pub async fn watch_deadlines(self, every: std::time::Duration) {
        let mut ticks = tokio::time::interval(every);
        loop {
            ticks.tick().await;
            match self.escalate_overdue(self.now()).await {
                Ok(ids) if !ids.is_empty() => tracing::warn!(referrals = ?ids, "overdue referrals escalated"),
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "the deadline watch failed; it tries again"),
            }
            if let Err(e) = self.remind_due_tasks(self.now()).await {
                tracing::error!(error = %e, "the task reminders failed; they try again");
            }
        }
    }
}

/// The state of protection in a country, as counts: for protection officers and, under
/// disclosure control, the binational technical group.
#[derive(Debug, Clone, Serialize)]
pub struct Overview {
    /// The country.
    pub country: CountryCode,
    /// Open cases by profile and risk (a case counts once under each of its profiles).
    pub cases: crate::stats::CrossingStats,
    /// Referrals by state and receiving organisation.
    pub referrals: crate::stats::CrossingStats,
    /// Referrals whose answer is overdue now.
    pub overdue: u64,
    /// Median hours from request to acceptance, of those accepted.
    pub median_hours_to_acceptance: Option<f64>,
    /// Median hours from request to completion, of those completed.
    pub median_hours_to_completion: Option<f64>,
}

fn median(mut values: Vec<f64>) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    Some(if values.len().is_multiple_of(2) { (values[mid - 1] + values[mid]) / 2.0 } else { values[mid] })
}

impl App {
    /// The overview of a country's protection work (default: the caller's): protection
    /// officers see their country's counts whole unless `public`; the binational group sees
    /// either country's only under disclosure control. No names. Audited.
    pub async fn protection_overview(
        &self,
        actor: &Actor,
        country: Option<&str>,
        public: bool,
    ) -> Result<Overview, AppError> {
        let country = match country.map(str::trim).filter(|c| !c.is_empty()) {
            Some(c) => CountryCode::parse_field(c, "country")?,
            None => actor.scope.country,
        };
        if !can(actor, Action::ReadProtectionOverview, Resource::of(country)).allowed() {
            return Err(AppError::Forbidden(format!(
                "the protection overview of {country} is outside your scope"
            )));
        }
        // Counts leave the country, or go to someone who reads no records, only protected.
        let public = public
            || !actor.is_console() && actor.scope.country != country
            || !can(actor, Action::ReadDeidentified, Resource::of(country)).allowed();
        let now = self.now();
        let query = ProtectionQuery { country: Some(country), ..ProtectionQuery::default() };
        let records = self.store.protection_records(&query).await?;
        let mut cases: std::collections::HashMap<Vec<String>, u64> = std::collections::HashMap::new();
        let mut referrals: std::collections::HashMap<Vec<String>, u64> = std::collections::HashMap::new();
        let (mut overdue, mut to_accept, mut to_complete) = (0u64, Vec::new(), Vec::new());
        for r in &records {
            match r.kind.as_str() {
                "case" => {
                    let case: Case = from_json(r)?;
                    if case.closed_at.is_none() {
                        for p in &case.profiles {
                            *cases
                                .entry(vec![p.as_str().to_string(), case.risk.as_str().to_string()])
                                .or_default() += 1;
                        }
                    }
                }
                "referral" => {
                    let referral: Referral = from_json(r)?;
                    let l = &referral.lifecycle;
                    *referrals
                        .entry(vec![l.state.as_str().to_string(), referral.receiver.0.clone()])
                        .or_default() += 1;
                    overdue += u64::from(l.is_overdue(now));
                    let hours = |e: &Event| {
                        l.steps
                            .iter()
                            .find(|s| std::mem::discriminant(&s.event) == std::mem::discriminant(e))
                            .map(|s| (s.at - l.requested_at).num_seconds() as f64 / 3600.0)
                    };
                    to_accept.extend(hours(&Event::Accept));
                    to_complete.extend(hours(&Event::Complete { feedback: String::new() }));
                }
                _ => {}
            }
        }
        let wrap = |t: frontera_stats::Table| {
            if public {
                crate::stats::CrossingStats::Controlled {
                    table: frontera_stats::protect(&t, self.disclosure_threshold),
                }
            } else {
                crate::stats::CrossingStats::None { table: t }
            }
        };
        let event = AuditDraft::new(
            &actor.name,
            "protection.overview",
            "table",
            "protection",
            Some(country.as_str()),
            json!({"public": public}),
        );
        self.store.append_audit(event).await?;
        Ok(Overview {
            country,
            cases: wrap(frontera_stats::Table::from_counts(&["profile", "risk"], cases)),
            referrals: wrap(frontera_stats::Table::from_counts(&["state", "organisation"], referrals)),
            overdue,
            median_hours_to_acceptance: median(to_accept),
            median_hours_to_completion: median(to_complete),
        })
    }
}

/// What a purge did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Purged {
    /// Cases purged.
    pub cases: u64,
    /// Records deleted (cases, consents, referrals).
    pub records: u64,
    /// Referrals the other country's hub handed over, over and purged.
    pub handed_over: u64,
}

impl App {
    /// Purges the cases closed more than `keep_days` days before `now`, with their consents
    /// and referrals, leaving only anonymous counts by the month each closed (cases by profile
    /// and by risk, referrals by how they ended). The node's console runs it; each purge is
    /// audited with the case's id and nothing that names anyone.
    pub async fn purge_closed_cases(
        &self,
        actor: &Actor,
        keep_days: u32,
        now: DateTime<Utc>,
    ) -> Result<Purged, AppError> {
        if !actor.is_console() {
            return Err(AppError::Forbidden("only the node's console purges protection records".into()));
        }
        if keep_days == 0 {
            return Err(ValidationError::new("keep_days", Rule::OutOfRange { min: 1, max: 36_500 }).into());
        }
        let cutoff = now - chrono::Duration::days(i64::from(keep_days));
        let query = ProtectionQuery {
            kind: Some("case".into()),
            states: vec!["closed".into()],
            ..ProtectionQuery::default()
        };
        let mut purged = Purged::default();
        for r in self.store.protection_records(&query).await? {
            let case: Case = from_json(&r)?;
            let Some(closed_at) = case.closed_at.filter(|c| *c < cutoff) else { continue };
            let month = closed_at.format("%Y-%m").to_string();
            let mut counts: Vec<(String, String, String, u64)> = case
                .profiles
                .iter()
                .map(|p| (month.clone(), "cases_by_profile".to_string(), p.as_str().to_string(), 1))
                .collect();
            counts.push((month.clone(), "cases_by_risk".into(), case.risk.as_str().into(), 1));
            let referrals = ProtectionQuery {
                kind: Some("referral".into()),
                case_id: Some(case.id.clone()),
                ..ProtectionQuery::default()
            };
            for rr in self.store.protection_records(&referrals).await? {
                let referral: Referral = from_json(&rr)?;
                let ended = referral.lifecycle.ending();
                counts.push((month.clone(), "referrals_by_outcome".into(), ended.as_str().into(), 1));
            }
            let event = AuditDraft::new(
                &actor.name,
                "case.purge",
                "case",
                &case.id,
                Some(case.country.as_str()),
                json!({"closed": month}),
            );
            purged.records += self.store.purge_protection(&case.id, &counts, event).await?;
            purged.cases += 1;
        }
        // The referrals handed over from the other hub have no case here: each goes once it is
        // over (closed or cancelled by the sender) and its last step is older than the cutoff.
        let handed = ProtectionQuery {
            kind: Some("referral".into()),
            states: vec![State::Closed.as_str().into(), State::Cancelled.as_str().into()],
            ..ProtectionQuery::default()
        };
        for r in self.store.protection_records(&handed).await? {
            let referral: Referral = from_json(&r)?;
            if !referral.exchange.is_some_and(|c| c.here == Party::Receiver) {
                continue;
            }
            let last = referral.lifecycle.steps.last().map_or(referral.lifecycle.requested_at, |s| s.at);
            if last >= cutoff {
                continue;
            }
            let month = last.format("%Y-%m").to_string();
            let ended = referral.lifecycle.ending();
            let counts =
                [(month.clone(), "handed_over_by_outcome".to_string(), ended.as_str().to_string(), 1)];
            let event = AuditDraft::new(
                &actor.name,
                "referral.purge",
                "referral",
                &referral.id,
                Some(r.country.as_str()),
                json!({"over": month}),
            );
            purged.records += self.store.purge_protection(&r.case_id, &counts, event).await?;
            purged.handed_over += 1;
        }
        if purged.records > 0 {
            self.store.compact_protection().await?;
        }
        Ok(purged)
    }

    /// The anonymous statistics purged cases left: (month, measure, value, count).
    pub async fn protection_statistics(&self) -> Result<Vec<(String, String, String, u64)>, AppError> {
        Ok(self.store.protection_statistics().await?)
    }
}

/// A step refused for the state of things, in both languages.
pub(crate) fn refused(en: String, es: String) -> AppError {
    AppError::Refused { en, es }
}

/// Why a referral was refused for want of consent, with how to go on.
fn consent_refusal(gap: &ConsentGap) -> AppError {
    refused(
        format!(
            "no consent covers this referral: {}; record a consent, or an override_reason if it must go anyway",
            gap.message(Lang::En)
        ),
        format!(
            "ningún consentimiento cubre esta remisión: {}; registre un consentimiento, o un override_reason si debe enviarse igual",
            gap.message(Lang::Es)
        ),
    )
}
