//! Protection cases, consents and referrals: a person identified at the border is a case; a
//! consent lets named data go to named recipients; a referral carries the minimum packet to a
//! service at a location and follows the state machine of [`frontera_domain::protection`].
//!
//! Who sees what. A case is seen by whoever works it: its owner, and the protection officers of
//! its organisation (an organisation of none is the country's protection pool). A referral is
//! seen by its sender's side in full and by its receiving organisation through its packet
//! only, never the case. Everything else is refused, and the refusal audited.

mod cases;
pub mod overview;
mod referrals;

use chrono::{DateTime, Utc};
use frontera_domain::access::{Action, Actor, Resource, can};
use frontera_domain::protection::{
    CaseStep, Consent, ConsentGap, ConsentOverride, Lifecycle, Party, Priority, Profile, RiskLevel,
};
use frontera_domain::{CountryCode, Lang, PartialDate, Rule, Sex, ValidationError};
use frontera_store::{ProtectionRecord, StoreError};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::AppError;

/// The person a case is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
    pub exchange: Option<Crossed>,
}

/// A referral as one side sees it: the receiver without the case.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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

/// Where a referral that crosses is kept: the other hub's country, and the side this hub holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Crossed {
    /// The other hub's country.
    pub peer: CountryCode,
    /// The side whose steps are taken on this hub.
    pub here: Party,
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
