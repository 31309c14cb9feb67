//! Reading, searching and verifying the audit trail; the accounts administrators manage.

use frontera_domain::access::{Action, Actor, Resource, can};
use frontera_domain::audit::{AuditDraft, AuditEvent, ChainBreak, Verifier};
use frontera_domain::{CountryCode, Rule, ValidationError};
use frontera_store::{Account, AuditQuery};

use crate::{App, AppError};

/// What a verification found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verification {
    /// Every event is intact and linked; this many were checked.
    Intact(u64),
    /// The chain breaks here.
    Broken(ChainBreak),
}

/// The event of a read of a list that shows personal data: who read it, and the ids of what it
/// showed (the list itself is the record read).
pub(crate) fn list_read(
    actor: &Actor,
    action: &str,
    kind: &str,
    list: &str,
    country: CountryCode,
    shown: &[&str],
) -> AuditDraft {
    AuditDraft::new(
        &actor.name,
        action,
        kind,
        list,
        Some(country.as_str()),
        serde_json::json!({"shown": shown}),
    )
}

impl App {
    /// A personal-data record the actor's role may read, but not of this country or port:
    /// the try is audited (`access.denied`), and the answer is that it does not exist, as for
    /// a record that does not.
    pub(crate) async fn out_of_scope(
        &self,
        actor: &Actor,
        kind: &str,
        id: &str,
        country: CountryCode,
    ) -> AppError {
        let event = AuditDraft::new(
            &actor.name,
            "access.denied",
            kind,
            id,
            Some(country.as_str()),
            serde_json::json!({"scope": actor.scope.country}),
        );
        match self.store.append_audit(event).await {
            Ok(_) => AppError::NotFound(format!("{kind} {id}")),
            Err(e) => e.into(),
        }
    }

    /// Walk the whole hash chain from the first event, page by page, held to every head the
    /// node signed (see [`crate::anchors`]).
    pub async fn verify_audit(&self) -> Result<Verification, AppError> {
        self.verify_audit_with(&[]).await
    }

    pub(crate) async fn walk_audit(&self, mut verifier: Verifier) -> Result<Verification, AppError> {
        let mut after = 0;
        loop {
            let events = self.store.audit_events(after, 5_000).await?;
            let Some(last) = events.last() else { break };
            after = last.seq;
            for event in &events {
                if let Err(broken) = verifier.next(event) {
                    return Ok(Verification::Broken(broken));
                }
            }
        }
        let head = self.store.audit_head().await?;
        Ok(match verifier.finish(head.as_ref().map(|(s, h)| (*s, h.as_str()))) {
            Ok(n) => Verification::Intact(n),
            Err(broken) => Verification::Broken(broken),
        })
    }
}

/// An audit-trail search as typed on the audit page.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct AuditFilter {
    /// Who acted, exactly.
    pub actor: String,
    /// The record acted on, by id, exactly.
    pub record: String,
    /// From this day (`YYYY-MM-DD`, UTC), included.
    pub from: String,
    /// To this day (`YYYY-MM-DD`, UTC), included.
    pub to: String,
    /// Events before this sequence number (the next page).
    pub before: Option<i64>,
}

/// How many events an audit page shows.
pub const AUDIT_PAGE: u32 = 100;

fn day(text: &str, field: &str) -> Result<Option<chrono::NaiveDate>, ValidationError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| ValidationError::new(field, Rule::NotADate { format: "YYYY-MM-DD" }))
}

impl App {
    fn may_read_audit(&self, actor: &Actor) -> Result<(), AppError> {
        let own = Resource::of(actor.scope.country);
        if can(actor, Action::ReadAudit, own).allowed() {
            Ok(())
        } else {
            Err(AppError::Forbidden("your role may not read the audit trail".into()))
        }
    }

    /// A page of the audit trail (the actor's country's events and those of no country), newest
    /// first; reading it is itself audited.
    pub async fn audit_trail(
        &self,
        actor: &Actor,
        filter: &AuditFilter,
    ) -> Result<Vec<AuditEvent>, AppError> {
        self.may_read_audit(actor)?;
        let from = day(&filter.from, "from")?;
        let to = day(&filter.to, "to")?;
        if let (Some(f), Some(t)) = (from, to)
            && t < f
        {
            return Err(
                ValidationError::new("to", Rule::NotAllowedWith { other: "a day before `from`" }).into()
            );
        }
        let some = |t: &str| Some(t.trim().to_string()).filter(|t| !t.is_empty());
        let query = AuditQuery {
            country: (!actor.is_console()).then_some(actor.scope.country),
            actor: some(&filter.actor),
            record_id: some(&filter.record),
            record_kind: None,
            from: from.and_then(|d| d.and_hms_opt(0, 0, 0)).map(|t| t.and_utc()),
            to: to.and_then(|d| d.succ_opt()).and_then(|d| d.and_hms_opt(0, 0, 0)).map(|t| t.and_utc()),
            before_seq: filter.before,
            limit: AUDIT_PAGE,
        };
        let detail = serde_json::to_value(filter).unwrap_or_default();
        let event = AuditDraft::new(
            &actor.name,
            "audit.read",
            "audit",
            "search",
            Some(actor.scope.country.as_str()),
            detail,
        );
        self.store.append_audit(event).await?;
        Ok(self.store.search_audit(&query).await?)
    }

    /// Verify the whole chain for a user of the audit page; the verification is recorded.
    pub async fn verify_audit_as(&self, actor: &Actor) -> Result<Verification, AppError> {
        self.may_read_audit(actor)?;
        let verification = self.verify_audit().await?;
        let detail = match &verification {
            Verification::Intact(n) => serde_json::json!({"intact": true, "events": n}),
            Verification::Broken(b) => serde_json::json!({"intact": false, "finding": b.to_string()}),
        };
        let event = AuditDraft::new(
            &actor.name,
            "audit.verify",
            "audit",
            "chain",
            Some(actor.scope.country.as_str()),
            detail,
        );
        self.store.append_audit(event).await?;
        Ok(verification)
    }

    /// The accounts an administrator manages: their country's (every one for the console).
    pub async fn accounts(&self, actor: &Actor) -> Result<Vec<Account>, AppError> {
        let own = Resource::of(actor.scope.country);
        if !can(actor, Action::ManageUsers, own).allowed() {
            return Err(AppError::Forbidden("your role may not manage users".into()));
        }
        let country = (!actor.is_console()).then_some(actor.scope.country);
        Ok(self.store.accounts(country).await?)
    }
}
