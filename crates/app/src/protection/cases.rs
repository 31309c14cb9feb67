//! Opening and working cases: notes, tasks, steps, owners and consents.

use chrono::{DateTime, Utc};
use frontera_domain::access::{Action, Actor, Resource, Role, can, protection_pool};
use frontera_domain::audit::AuditDraft;
use frontera_domain::protection::{
    CaseStep, Consent, DataCategory, Event, Giver, Party, Profile, Recipient, RiskLevel, State,
};
use frontera_domain::{CountryCode, PartialDate, Rule, Sex, ValidationError};
use frontera_store::{Effects, NewNotification, ProtectionQuery, ProtectionRecord};
use serde_json::json;
use uuid::Uuid;

use super::{
    Case, CaseDraft, CasePerson, CaseSource, ConsentDraft, Note, Referral, StoredConsent, Task, case_on_hit,
    case_resource, conflict, from_json, may_work_protection, parse_all, refused, required, text, to_json,
};
use crate::notices::{Audience, Tell};
use crate::{App, AppError};

impl App {
    /// Whether `actor` works `case`: its owner, the protection officers of its organisation,
    /// and their supervisors (a supervisor of the organisation; for a case border staff opened,
    /// the supervisors of their post or of no one post).
    pub(super) fn works(actor: &Actor, case: &Case) -> bool {
        can(actor, Action::WorkCase, case_resource(case)).allowed()
    }

    /// A case or referral the actor does not work: the try audited, and answered as absent
    /// (the same answer as for an id that does not exist, so that ids are no oracle).
    pub(super) async fn denied(&self, actor: &Actor, what: &str, id: &str, country: CountryCode) -> AppError {
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

    pub(super) async fn open_case_as(
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

    pub(super) async fn save_case(
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
    pub(super) async fn tell_case(
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
}
