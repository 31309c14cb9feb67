//! Referrals to the directory's services, their steps on both sides, and their deadlines.

use chrono::{DateTime, Utc};
use frontera_domain::access::{Action, Actor, Resource, Role, can};
use frontera_domain::audit::AuditDraft;
use frontera_domain::protection::{
    Consent, ConsentOverride, DataCategory, Event, Lifecycle, Party, Priority, Profile, Receiving, State,
    covering,
};
use frontera_domain::{Lang, Rule, ValidationError};
use frontera_store::{Effects, NewNotification, Outgoing, ProtectionQuery, ProtectionRecord, StoreError};
use serde_json::json;
use uuid::Uuid;

use super::{
    Case, Crossed, Packet, Referral, ReferralDraft, ReferralView, StoredConsent, conflict, consent_refusal,
    from_json, may_work_protection, parse_all, refused, required, text, to_json,
};
use crate::notices::{Audience, Tell};
use crate::{App, AppError};

impl App {
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
                .then_some(Crossed { peer: location.country, here: Party::Sender }),
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
    pub(super) async fn side(&self, actor: &Actor, referral: &Referral) -> Result<Option<Party>, AppError> {
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

    pub(super) async fn referral_record(
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

    pub(super) fn view(&self, mut referral: Referral, side: Party) -> ReferralView {
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

    pub(super) async fn step_referral(
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
