//! Protection: people identified at the border as needing protection, the consent that lets
//! their data go to others, and the referrals that carry it to a service — a state machine
//! after FHIR Task (requested → received → accepted or rejected → in progress → completed or
//! failed; cancelled by the sender; closed by the sender on the receiver's feedback or a
//! recorded follow-up), with response deadlines by priority.
//!
//! Pure rules: who may take which step from which state, whether a consent covers a referral
//! at an instant, when a response is overdue. The app stores, notifies and audits.

use std::fmt;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{Lang, Rule};

text_enum! {
    /// A reason a person needs protection, as the screening form at the border records it.
    Profile {
        /// A child travelling with no parent or customary caregiver.
        UnaccompaniedChild = "unaccompanied_child",
        /// A child apart from their parents or customary caregiver but with another adult.
        SeparatedChild = "separated_child",
        /// Signs of trafficking in persons.
        Trafficking = "trafficking",
        /// Asks for asylum, or may need international protection.
        Asylum = "asylum",
        /// Needs urgent medical care.
        Medical = "medical",
        /// Has survived, or fled, violence.
        Violence = "violence",
        /// A person with a disability.
        Disability = "disability",
        /// A pregnant woman.
        Pregnant = "pregnant",
        /// An older person.
        OlderPerson = "older_person",
    }
}

impl Profile {
    /// Whether the profile is a child's.
    pub fn is_child(self) -> bool {
        matches!(self, Profile::UnaccompaniedChild | Profile::SeparatedChild)
    }
}

text_enum! {
    /// How much harm threatens the person if nothing is done.
    RiskLevel {
        /// Low.
        Low = "low",
        /// Medium.
        Medium = "medium",
        /// High: act today.
        High = "high",
    }
}

text_enum! {
    /// The steps of case management, in order.
    CaseStep {
        /// Identified and registered.
        Identification = "identification",
        /// Needs and risks assessed.
        Assessment = "assessment",
        /// A plan agreed (a supervisor approves it).
        CasePlan = "case_plan",
        /// The plan carried out: services, referrals.
        Implementation = "implementation",
        /// Checking that the help arrived and holds.
        FollowUp = "follow_up",
        /// Closed (a supervisor approves it).
        Closure = "closure",
    }
}

impl CaseStep {
    /// The step after this one.
    pub fn next(self) -> Option<CaseStep> {
        let all = CaseStep::ALL;
        all.iter().position(|s| *s == self).and_then(|i| all.get(i + 1)).copied()
    }

    /// Whether entering this step needs a supervisor's approval.
    pub fn requires_approval(self) -> bool {
        matches!(self, CaseStep::CasePlan | CaseStep::Closure)
    }
}

text_enum! {
    /// What a consent lets go to a recipient.
    DataCategory {
        /// Name, birth date, sex.
        Identity = "identity",
        /// How to reach the person: telephone, address, languages.
        Contact = "contact",
        /// The profiles, needs and the reason for the referral.
        Needs = "needs",
        /// Health information.
        Health = "health",
    }
}

/// Who a consent lets data go to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Recipient {
    /// One organisation of the directory, by id.
    Organisation(String),
    /// Any organisation offering a kind of service (a taxonomy term: `shelter`, `legal_aid`, …).
    ServiceKind(String),
}

/// Who gave a consent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Giver {
    /// The person themselves.
    Person,
    /// A guardian, for a child or a person who cannot consent.
    Guardian {
        /// The guardian's name.
        name: String,
        /// How they are related or appointed (`mother`, `child protection officer`, …).
        relationship: String,
    },
}

/// A consent, as a record: who, for what, to whom, which data, until when; withdrawn at once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Consent {
    /// Who gave it.
    pub given_by: Giver,
    /// What for, in words.
    pub purpose: String,
    /// Who may receive the data.
    pub recipients: Vec<Recipient>,
    /// What data may go.
    pub data: Vec<DataCategory>,
    /// When it was given.
    pub given_at: DateTime<Utc>,
    /// When it lapses, if it does.
    pub expires_at: Option<DateTime<Utc>>,
    /// When it was withdrawn.
    pub withdrawn_at: Option<DateTime<Utc>>,
}

/// The recipient of a referral as a consent sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Receiving<'a> {
    /// The receiving organisation's id.
    pub organisation: &'a str,
    /// The kinds of service requested.
    pub service_kinds: &'a [String],
}

/// Why no consent covers a referral.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "gap", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ConsentGap {
    /// There is no consent on the case.
    Missing,
    /// Not given yet at that instant.
    NotYetGiven,
    /// Lapsed.
    Expired {
        /// When.
        at: DateTime<Utc>,
    },
    /// Withdrawn.
    Withdrawn {
        /// When.
        at: DateTime<Utc>,
    },
    /// The recipient is neither named nor of a kind named.
    RecipientNotCovered,
    /// A category of data the referral carries is not consented to.
    DataNotCovered {
        /// Which.
        category: DataCategory,
    },
}

impl ConsentGap {
    /// The gap in words.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (ConsentGap::Missing, Lang::En) => "there is no consent on the case".into(),
            (ConsentGap::Missing, Lang::Es) => "el caso no tiene consentimiento".into(),
            (ConsentGap::NotYetGiven, Lang::En) => "the consent had not been given yet".into(),
            (ConsentGap::NotYetGiven, Lang::Es) => "el consentimiento aún no se había dado".into(),
            (ConsentGap::Expired { at }, Lang::En) => {
                format!("the consent expired on {}", at.format("%Y-%m-%d %H:%M UTC"))
            }
            (ConsentGap::Expired { at }, Lang::Es) => {
                format!("el consentimiento venció el {}", at.format("%Y-%m-%d %H:%M UTC"))
            }
            (ConsentGap::Withdrawn { at }, Lang::En) => {
                format!("the consent was withdrawn on {}", at.format("%Y-%m-%d %H:%M UTC"))
            }
            (ConsentGap::Withdrawn { at }, Lang::Es) => {
                format!("el consentimiento se retiró el {}", at.format("%Y-%m-%d %H:%M UTC"))
            }
            (ConsentGap::RecipientNotCovered, Lang::En) => {
                "the consent does not name this organisation or the kind of service asked".into()
            }
            (ConsentGap::RecipientNotCovered, Lang::Es) => {
                "el consentimiento no nombra a esta organización ni el tipo de servicio solicitado".into()
            }
            (ConsentGap::DataNotCovered { category }, Lang::En) => {
                format!("the consent does not cover the {category} data the referral carries")
            }
            (ConsentGap::DataNotCovered { category }, Lang::Es) => {
                format!("el consentimiento no cubre los datos de {category} que lleva la remisión")
            }
        }
    }
}

impl Consent {
    /// Whether this consent lets `data` go to `to` at `at`.
    pub fn covers(
        &self,
        to: Receiving<'_>,
        data: &[DataCategory],
        at: DateTime<Utc>,
    ) -> Result<(), ConsentGap> {
        if at < self.given_at {
            return Err(ConsentGap::NotYetGiven);
        }
        if let Some(w) = self.withdrawn_at.filter(|w| *w <= at) {
            return Err(ConsentGap::Withdrawn { at: w });
        }
        if let Some(e) = self.expires_at.filter(|e| *e <= at) {
            return Err(ConsentGap::Expired { at: e });
        }
        let named = self.recipients.iter().any(|r| match r {
            Recipient::Organisation(id) => id == to.organisation,
            Recipient::ServiceKind(kind) => to.service_kinds.iter().any(|k| k == kind),
        });
        if !named {
            return Err(ConsentGap::RecipientNotCovered);
        }
        if let Some(category) = data.iter().find(|c| !self.data.contains(c)) {
            return Err(ConsentGap::DataNotCovered { category: *category });
        }
        Ok(())
    }
}

/// The consent among `consents` that covers a referral at `at`, or the gap of the one that came
/// closest (a withdrawal or a lapse says more than a recipient not named).
pub fn covering<'a>(
    consents: &'a [Consent],
    to: Receiving<'_>,
    data: &[DataCategory],
    at: DateTime<Utc>,
) -> Result<&'a Consent, ConsentGap> {
    let mut gap = ConsentGap::Missing;
    let rank = |g: &ConsentGap| match g {
        ConsentGap::Missing => 0,
        ConsentGap::NotYetGiven => 1,
        ConsentGap::RecipientNotCovered => 2,
        ConsentGap::DataNotCovered { .. } => 3,
        ConsentGap::Expired { .. } => 4,
        ConsentGap::Withdrawn { .. } => 5,
    };
    for c in consents {
        match c.covers(to, data, at) {
            Ok(()) => return Ok(c),
            Err(g) if rank(&g) >= rank(&gap) => gap = g,
            Err(_) => {}
        }
    }
    Err(gap)
}

/// A referral made without a covering consent: who decided it and why. Only a user with the
/// override permission records one; the reason is kept with the referral and audited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConsentOverride {
    /// Who decided.
    pub by: String,
    /// Why (at least 20 characters: a reason, not a formality).
    pub reason: String,
}

impl ConsentOverride {
    /// An override, its reason checked.
    pub fn new(by: &str, reason: &str) -> Result<ConsentOverride, Rule> {
        let reason = reason.trim();
        if reason.chars().count() < 20 {
            return Err(Rule::TooShort { min: 20 });
        }
        Ok(ConsentOverride { by: by.to_string(), reason: reason.to_string() })
    }
}

text_enum! {
    /// How fast the receiver must answer.
    Priority {
        /// Life or safety at stake: an answer within 24 hours.
        Emergency = "emergency",
        /// An answer within 72 hours.
        Urgent = "urgent",
        /// An answer within two weeks.
        Normal = "normal",
    }
}

impl Priority {
    /// How long the receiver has to accept or reject.
    pub fn response_within(self) -> Duration {
        match self {
            Priority::Emergency => Duration::hours(24),
            Priority::Urgent => Duration::hours(72),
            Priority::Normal => Duration::days(14),
        }
    }
}

text_enum! {
    /// Where a referral stands.
    State {
        /// Sent, not yet seen.
        Requested = "requested",
        /// Seen by the receiving organisation.
        Received = "received",
        /// Accepted: the service will help.
        Accepted = "accepted",
        /// Rejected, with a reason.
        Rejected = "rejected",
        /// The service has started helping.
        InProgress = "in_progress",
        /// The help was given.
        Completed = "completed",
        /// The person never arrived, or the help could not be given.
        Failed = "failed",
        /// Withdrawn by the sender.
        Cancelled = "cancelled",
        /// Closed by the sender on the receiver's feedback or a recorded follow-up.
        Closed = "closed",
    }
}

impl State {
    /// Whether nothing more happens to the referral but its closing.
    pub fn is_outcome(self) -> bool {
        matches!(self, State::Rejected | State::Completed | State::Failed)
    }

    /// Whether the receiver still owes an answer.
    pub fn awaits_answer(self) -> bool {
        matches!(self, State::Requested | State::Received)
    }
}

/// Which side of a referral acts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Party {
    /// The referring organisation.
    Sender,
    /// The receiving organisation.
    Receiver,
}

/// A step someone takes on a referral.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Event {
    /// The receiver has seen it.
    Receive,
    /// The receiver will help.
    Accept,
    /// The receiver will not help.
    Reject {
        /// Why.
        reason: String,
    },
    /// The receiver has started.
    Start,
    /// The receiver has helped.
    Complete {
        /// What was done: the feedback the sender closes on.
        feedback: String,
    },
    /// The person never arrived, or the help could not be given.
    Fail {
        /// What happened.
        reason: String,
    },
    /// The sender withdraws it.
    Cancel {
        /// Why.
        reason: String,
    },
    /// The sender records a follow-up (a call, a visit): what they learnt.
    FollowUp {
        /// What they learnt.
        note: String,
    },
    /// The sender closes it.
    Close,
}

impl Event {
    /// The event's name.
    pub fn name(&self) -> &'static str {
        match self {
            Event::Receive => "receive",
            Event::Accept => "accept",
            Event::Reject { .. } => "reject",
            Event::Start => "start",
            Event::Complete { .. } => "complete",
            Event::Fail { .. } => "fail",
            Event::Cancel { .. } => "cancel",
            Event::FollowUp { .. } => "follow_up",
            Event::Close => "close",
        }
    }

    /// Who may take it.
    pub fn party(&self) -> Party {
        match self {
            Event::Cancel { .. } | Event::FollowUp { .. } | Event::Close => Party::Sender,
            _ => Party::Receiver,
        }
    }

    /// The states it may be taken from.
    pub fn from(&self) -> &'static [State] {
        use State::*;
        match self {
            Event::Receive => &[Requested],
            Event::Accept => &[Requested, Received],
            Event::Reject { .. } => &[Requested, Received],
            Event::Start => &[Accepted],
            Event::Complete { .. } => &[Accepted, InProgress],
            Event::Fail { .. } => &[Accepted, InProgress],
            Event::Cancel { .. } => &[Requested, Received, Accepted, InProgress],
            Event::FollowUp { .. } => {
                &[Requested, Received, Accepted, InProgress, Rejected, Completed, Failed]
            }
            Event::Close => &[Rejected, Completed, Failed],
        }
    }

    /// The reason, feedback or note the step carries, if it carries one.
    pub fn text(&self) -> Option<&str> {
        match self {
            Event::Reject { reason } | Event::Fail { reason } | Event::Cancel { reason } => Some(reason),
            Event::Complete { feedback } => Some(feedback),
            Event::FollowUp { note } => Some(note),
            _ => None,
        }
    }
}

/// Why a step was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "why", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Refusal {
    /// Only the other side takes this step.
    WrongParty {
        /// Who does.
        allowed: Party,
    },
    /// Not from this state.
    NotFrom {
        /// The state.
        state: State,
    },
    /// The step needs a reason or a note.
    TextRequired,
    /// Closing needs the receiver's feedback or a recorded follow-up.
    NoFeedback,
}

/// A step refused, with what was tried.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StepRefused {
    /// The step tried.
    pub event: &'static str,
    /// Why it was refused.
    pub refusal: Refusal,
}

impl StepRefused {
    /// The refusal in words.
    pub fn message(&self, lang: Lang) -> String {
        let e = self.event;
        match (&self.refusal, lang) {
            (Refusal::WrongParty { allowed: Party::Sender }, Lang::En) => {
                format!("only the referring organisation may {e} a referral")
            }
            (Refusal::WrongParty { allowed: Party::Receiver }, Lang::En) => {
                format!("only the receiving organisation may {e} a referral")
            }
            (Refusal::WrongParty { allowed: Party::Sender }, Lang::Es) => {
                format!("solo la organización que remite puede hacer «{e}» en una remisión")
            }
            (Refusal::WrongParty { allowed: Party::Receiver }, Lang::Es) => {
                format!("solo la organización que recibe puede hacer «{e}» en una remisión")
            }
            (Refusal::NotFrom { state }, Lang::En) => format!("a referral that is {state} cannot {e}"),
            (Refusal::NotFrom { state }, Lang::Es) => {
                format!("una remisión en estado «{state}» no admite «{e}»")
            }
            (Refusal::TextRequired, Lang::En) => format!("to {e} a referral, say why or what happened"),
            (Refusal::TextRequired, Lang::Es) => {
                format!("para «{e}» una remisión, indique el motivo o lo ocurrido")
            }
            (Refusal::NoFeedback, Lang::En) => {
                "a referral closes on the receiver's feedback or after a recorded follow-up".into()
            }
            (Refusal::NoFeedback, Lang::Es) => {
                "una remisión se cierra con la respuesta de quien la recibe o tras un seguimiento registrado"
                    .into()
            }
        }
    }
}

impl fmt::Display for StepRefused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

/// One step of a referral's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Step {
    /// What was done.
    pub event: Event,
    /// By which side.
    pub party: Party,
    /// The state it led to.
    pub state: State,
    /// When.
    pub at: DateTime<Utc>,
}

/// A referral's life: its state, its deadline and every step taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Lifecycle {
    /// Where it stands.
    pub state: State,
    /// How fast the receiver must answer.
    pub priority: Priority,
    /// When it was sent.
    pub requested_at: DateTime<Utc>,
    /// Every step since, oldest first.
    pub steps: Vec<Step>,
}

impl Lifecycle {
    /// How it ended, for statistics: its last outcome or cancellation (a closed referral by
    /// what came before the close), else where it stands.
    pub fn ending(&self) -> State {
        self.steps
            .iter()
            .rev()
            .map(|s| s.state)
            .find(|s| s.is_outcome() || *s == State::Cancelled)
            .unwrap_or(self.state)
    }

    /// A referral sent at `at`.
    pub fn new(priority: Priority, at: DateTime<Utc>) -> Lifecycle {
        Lifecycle { state: State::Requested, priority, requested_at: at, steps: Vec::new() }
    }

    /// By when the receiver must accept or reject.
    pub fn answer_due(&self) -> DateTime<Utc> {
        self.requested_at + self.priority.response_within()
    }

    /// Whether the answer is overdue at `now`.
    pub fn is_overdue(&self, now: DateTime<Utc>) -> bool {
        self.state.awaits_answer() && now > self.answer_due()
    }

    /// When the receiver answered (accepted or rejected), if it has.
    pub fn answered_at(&self) -> Option<DateTime<Utc>> {
        self.steps.iter().find(|s| matches!(s.event, Event::Accept | Event::Reject { .. })).map(|s| s.at)
    }

    /// Takes `event` as `party` at `at`, or says why not (nothing changes then).
    pub fn apply(&mut self, event: Event, party: Party, at: DateTime<Utc>) -> Result<State, StepRefused> {
        let refuse = |refusal| StepRefused { event: event.name(), refusal };
        if event.party() != party {
            return Err(refuse(Refusal::WrongParty { allowed: event.party() }));
        }
        if !event.from().contains(&self.state) {
            return Err(refuse(Refusal::NotFrom { state: self.state }));
        }
        if event.text().is_some_and(|t| t.trim().is_empty()) {
            return Err(refuse(Refusal::TextRequired));
        }
        if event == Event::Close {
            let feedback = self.steps.iter().any(|s| {
                matches!(s.event, Event::Complete { .. } | Event::Fail { .. } | Event::Reject { .. })
            });
            let followed = self.steps.iter().any(|s| matches!(s.event, Event::FollowUp { .. }));
            if !(feedback || followed) {
                return Err(refuse(Refusal::NoFeedback));
            }
        }
        let state = match &event {
            Event::Receive => State::Received,
            Event::Accept => State::Accepted,
            Event::Reject { .. } => State::Rejected,
            Event::Start => State::InProgress,
            Event::Complete { .. } => State::Completed,
            Event::Fail { .. } => State::Failed,
            Event::Cancel { .. } => State::Cancelled,
            Event::FollowUp { .. } => self.state,
            Event::Close => State::Closed,
        };
        self.state = state;
        self.steps.push(Step { event, party, state, at });
        Ok(state)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(hours: i64) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-02T08:00:00Z").unwrap().with_timezone(&Utc)
            + Duration::hours(hours)
    }

    fn every_event() -> Vec<Event> {
        vec![
            Event::Receive,
            Event::Accept,
            Event::Reject { reason: "no beds".into() },
            Event::Start,
            Event::Complete { feedback: "placed in the shelter".into() },
            Event::Fail { reason: "never arrived".into() },
            Event::Cancel { reason: "family found".into() },
            Event::FollowUp { note: "called the shelter".into() },
            Event::Close,
        ]
    }

    #[test]
    fn a_referral_goes_from_requested_to_closed_and_every_step_is_kept() {
        let mut r = Lifecycle::new(Priority::Urgent, at(0));
        assert_eq!(r.apply(Event::Receive, Party::Receiver, at(1)), Ok(State::Received));
        assert_eq!(r.apply(Event::Accept, Party::Receiver, at(2)), Ok(State::Accepted));
        assert_eq!(r.apply(Event::Start, Party::Receiver, at(30)), Ok(State::InProgress));
        let done = Event::Complete { feedback: "placed with an aunt".into() };
        assert_eq!(r.apply(done, Party::Receiver, at(50)), Ok(State::Completed));
        assert_eq!(r.apply(Event::Close, Party::Sender, at(51)), Ok(State::Closed));
        assert_eq!(r.steps.len(), 5);
        assert_eq!(r.answered_at(), Some(at(2)));
        assert_eq!(r.steps.iter().map(|s| s.state).collect::<Vec<_>>()[4], State::Closed);
    }

    #[test]
    fn every_step_from_every_state_is_taken_only_by_its_side_and_only_where_allowed() {
        // Reach each state, then try every event as each side.
        let paths: Vec<(State, Vec<Event>)> = vec![
            (State::Requested, vec![]),
            (State::Received, vec![Event::Receive]),
            (State::Accepted, vec![Event::Accept]),
            (State::Rejected, vec![Event::Reject { reason: "full".into() }]),
            (State::InProgress, vec![Event::Accept, Event::Start]),
            (State::Completed, vec![Event::Accept, Event::Complete { feedback: "done".into() }]),
            (State::Failed, vec![Event::Accept, Event::Fail { reason: "no show".into() }]),
            (State::Cancelled, vec![Event::Cancel { reason: "not needed".into() }]),
            (State::Closed, vec![Event::Reject { reason: "full".into() }, Event::Close]),
        ];
        for (state, path) in paths {
            for event in every_event() {
                for party in [Party::Sender, Party::Receiver] {
                    let mut r = Lifecycle::new(Priority::Normal, at(0));
                    for step in &path {
                        r.apply(step.clone(), step.party(), at(1)).unwrap();
                    }
                    assert_eq!(r.state, state);
                    let before = r.clone();
                    let result = r.apply(event.clone(), party, at(2));
                    let allowed = event.party() == party && event.from().contains(&state);
                    assert_eq!(
                        result.is_ok(),
                        allowed,
                        "{} by {party:?} from {state}: {result:?}",
                        event.name()
                    );
                    if let Err(e) = result {
                        assert_eq!(r, before, "a refused step changes nothing");
                        let why = e.message(Lang::En);
                        assert!(!why.is_empty() && !e.message(Lang::Es).is_empty());
                        if event.party() != party {
                            assert!(matches!(e.refusal, Refusal::WrongParty { .. }), "{why}");
                        } else {
                            assert_eq!(e.refusal, Refusal::NotFrom { state }, "{why}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn the_forbidden_steps_say_why() {
        let mut r = Lifecycle::new(Priority::Emergency, at(0));
        let e = r.apply(Event::Accept, Party::Sender, at(1)).unwrap_err();
        assert_eq!(e.message(Lang::En), "only the receiving organisation may accept a referral");
        let e = r.apply(Event::Complete { feedback: "x".into() }, Party::Receiver, at(1)).unwrap_err();
        assert_eq!(e.message(Lang::En), "a referral that is requested cannot complete");
        r.apply(Event::Cancel { reason: "the family was found".into() }, Party::Sender, at(2)).unwrap();
        let e = r.apply(Event::Accept, Party::Receiver, at(3)).unwrap_err();
        assert_eq!(e.refusal, Refusal::NotFrom { state: State::Cancelled });
        assert!(e.message(Lang::Es).contains("cancelled"));
        let mut r = Lifecycle::new(Priority::Normal, at(0));
        let e = r.apply(Event::Reject { reason: "  ".into() }, Party::Receiver, at(1)).unwrap_err();
        assert_eq!(e.refusal, Refusal::TextRequired);
    }

    #[test]
    fn a_referral_closes_on_feedback_or_a_follow_up() {
        // Cancelled referrals are not closed: they are over.
        let mut r = Lifecycle::new(Priority::Normal, at(0));
        r.apply(Event::Accept, Party::Receiver, at(1)).unwrap();
        r.apply(Event::Fail { reason: "did not arrive".into() }, Party::Receiver, at(2)).unwrap();
        assert_eq!(r.apply(Event::Close, Party::Sender, at(3)), Ok(State::Closed));
        // Follow-ups keep the state and count towards closing.
        let mut r = Lifecycle::new(Priority::Normal, at(0));
        r.apply(Event::FollowUp { note: "called twice, no answer".into() }, Party::Sender, at(1)).unwrap();
        assert_eq!(r.state, State::Requested);
        let e = r.apply(Event::Close, Party::Sender, at(2)).unwrap_err();
        assert_eq!(e.refusal, Refusal::NotFrom { state: State::Requested });
    }

    #[test]
    fn answers_are_due_by_priority_and_overdue_only_while_awaited() {
        for (priority, hours) in
            [(Priority::Emergency, 24), (Priority::Urgent, 72), (Priority::Normal, 14 * 24)]
        {
            let mut r = Lifecycle::new(priority, at(0));
            assert_eq!(r.answer_due(), at(hours));
            assert!(!r.is_overdue(at(hours)));
            assert!(r.is_overdue(at(hours + 1)));
            r.apply(Event::Receive, Party::Receiver, at(hours + 2)).unwrap();
            assert!(r.is_overdue(at(hours + 3)), "seen is not answered");
            r.apply(Event::Accept, Party::Receiver, at(hours + 4)).unwrap();
            assert!(!r.is_overdue(at(hours + 5)));
        }
    }

    fn consent() -> Consent {
        Consent {
            given_by: Giver::Guardian { name: "Rosa Pech".into(), relationship: "mother".into() },
            purpose: "shelter and family tracing".into(),
            recipients: vec![
                Recipient::Organisation("org-casa-bz".into()),
                Recipient::ServiceKind("shelter".into()),
            ],
            data: vec![DataCategory::Identity, DataCategory::Needs],
            given_at: at(0),
            expires_at: Some(at(24 * 30)),
            withdrawn_at: None,
        }
    }

    #[test]
    fn a_consent_covers_named_recipients_and_data_until_it_lapses_or_is_withdrawn() {
        let c = consent();
        let kinds = ["legal_aid".to_string()];
        let named = Receiving { organisation: "org-casa-bz", service_kinds: &kinds };
        let data = [DataCategory::Identity, DataCategory::Needs];
        assert_eq!(c.covers(named, &data, at(1)), Ok(()));
        let shelter = ["shelter".to_string()];
        let by_kind = Receiving { organisation: "org-other", service_kinds: &shelter };
        assert_eq!(c.covers(by_kind, &data, at(1)), Ok(()));
        let stranger = Receiving { organisation: "org-other", service_kinds: &kinds };
        assert_eq!(c.covers(stranger, &data, at(1)), Err(ConsentGap::RecipientNotCovered));
        assert_eq!(
            c.covers(named, &[DataCategory::Health], at(1)),
            Err(ConsentGap::DataNotCovered { category: DataCategory::Health })
        );
        assert_eq!(c.covers(named, &data, at(24 * 30)), Err(ConsentGap::Expired { at: at(24 * 30) }));
        assert_eq!(c.covers(named, &data, at(-1)), Err(ConsentGap::NotYetGiven));
        let withdrawn = Consent { withdrawn_at: Some(at(5)), ..consent() };
        assert_eq!(withdrawn.covers(named, &data, at(4)), Ok(()));
        assert_eq!(withdrawn.covers(named, &data, at(5)), Err(ConsentGap::Withdrawn { at: at(5) }));
        // Of several, the one that covers; otherwise the gap that says most.
        let both = [Consent { recipients: vec![], ..consent() }, withdrawn.clone()];
        assert_eq!(covering(&both, named, &data, at(6)), Err(ConsentGap::Withdrawn { at: at(5) }));
        assert!(covering(&both, named, &data, at(4)).is_ok());
        assert_eq!(covering(&[], named, &data, at(4)), Err(ConsentGap::Missing));
        assert!(ConsentGap::Withdrawn { at: at(5) }.message(Lang::Es).contains("retiró"));
    }

    #[test]
    fn an_override_needs_a_reason() {
        assert_eq!(ConsentOverride::new("sup.bz", "urgent"), Err(Rule::TooShort { min: 20 }));
        let o = ConsentOverride::new("sup.bz", "  child alone at night, life at risk ").unwrap();
        assert_eq!(o.reason, "child alone at night, life at risk");
    }

    #[test]
    fn case_steps_follow_in_order_and_two_need_a_supervisor() {
        let mut step = CaseStep::Identification;
        let mut seen = vec![step];
        while let Some(next) = step.next() {
            seen.push(next);
            step = next;
        }
        assert_eq!(seen, CaseStep::ALL);
        let approved: Vec<CaseStep> =
            CaseStep::ALL.iter().copied().filter(|s| s.requires_approval()).collect();
        assert_eq!(approved, [CaseStep::CasePlan, CaseStep::Closure]);
        assert!(Profile::UnaccompaniedChild.is_child() && !Profile::Asylum.is_child());
        assert_eq!(Profile::parse("trafficking"), Ok(Profile::Trafficking));
        assert!(Profile::parse("tired").is_err());
    }
}
