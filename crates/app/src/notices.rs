//! Notifications: who hears of a change to a case or a referral, and their inbox of them.
//!
//! A notification is written with the change it tells of, in the same transaction, one row per
//! recipient. It names its subject (a case, a referral) and what happened, never the person:
//! a recipient who follows it meets the access policy at the case or the referral.

use chrono::{DateTime, Utc};
use frontera_domain::CountryCode;
use frontera_domain::access::{Actor, Role};
use frontera_store::{NewNotification, Notification};
use serde::Serialize;

use crate::{App, AppError};

/// The most notifications an inbox lists.
pub const INBOX_SIZE: u32 = 200;

/// A notification as its recipient reads it.
#[derive(Debug, Clone, Serialize)]
pub struct Notice {
    /// Its number.
    pub id: i64,
    /// What happened: `case.opened`, `case.approval`, `case.approved`, `referral.request`,
    /// `referral.<step>` (a step of the referral's lifecycle) or `referral.overdue`.
    pub kind: String,
    /// `case` or `referral`.
    pub subject_kind: String,
    /// Its id.
    pub subject_id: String,
    /// What the message says besides: profiles and risk, a priority, an organisation, a step.
    pub detail: serde_json::Value,
    /// When.
    pub created_at: DateTime<Utc>,
    /// When it was marked read.
    pub read_at: Option<DateTime<Utc>>,
}

impl Notice {
    fn of(n: Notification) -> Notice {
        Notice {
            id: n.id,
            detail: serde_json::from_str(&n.notification.detail).unwrap_or(serde_json::Value::Null),
            kind: n.notification.kind,
            subject_kind: n.notification.subject_kind,
            subject_id: n.notification.subject_id,
            created_at: n.created_at,
            read_at: n.read_at,
        }
    }

    /// The page of its subject.
    pub fn link(&self) -> String {
        match self.subject_kind.as_str() {
            "case" => format!("/protection/cases/{}", self.subject_id),
            _ => format!("/protection/referrals/{}", self.subject_id),
        }
    }
}

/// Who a notification goes to: the users of a country in some roles, of one organisation
/// (the country's protection pool: those of no organisation), at no one port or at `port`, and
/// named users.
#[derive(Debug, Clone, Default)]
pub(crate) struct Audience {
    pub(crate) country: Option<CountryCode>,
    pub(crate) organisation: Option<String>,
    pub(crate) roles: Vec<Role>,
    pub(crate) port: Option<frontera_domain::PortId>,
    pub(crate) names: Vec<String>,
}

/// A change told: what happened, about what, to whom.
pub(crate) struct Tell<'a> {
    pub(crate) kind: &'a str,
    pub(crate) subject_kind: &'a str,
    pub(crate) subject_id: &'a str,
    pub(crate) case_id: &'a str,
    pub(crate) detail: serde_json::Value,
}

impl App {
    /// The notifications `tell` owes `audience`: one for each active user in it, except the
    /// actor, who knows.
    pub(crate) async fn notices_for(
        &self,
        actor: &Actor,
        audience: &Audience,
        tell: Tell<'_>,
    ) -> Result<Vec<NewNotification>, AppError> {
        let mut names: Vec<String> = audience.names.clone();
        if let Some(country) = audience.country {
            let pool = frontera_domain::access::protection_pool(country);
            for account in self.store.accounts(Some(country)).await? {
                let user = &account.user;
                let organisation = user.organisation.clone().unwrap_or_else(|| pool.clone());
                if account.disabled_at.is_none()
                    && audience.roles.contains(&user.role)
                    && audience.organisation.as_ref().is_none_or(|o| *o == organisation)
                    && user.port.as_ref().is_none_or(|p| audience.port.as_ref() == Some(p))
                {
                    names.push(user.name.clone());
                }
            }
        }
        names.sort();
        names.dedup();
        let detail = tell.detail.to_string();
        Ok(names
            .into_iter()
            .filter(|n| *n != actor.name && !n.starts_with("cli:") && n != "system")
            .map(|recipient| NewNotification {
                recipient,
                kind: tell.kind.to_string(),
                subject_kind: tell.subject_kind.to_string(),
                subject_id: tell.subject_id.to_string(),
                case_id: Some(tell.case_id.to_string()),
                detail: detail.clone(),
            })
            .collect())
    }

    /// The actor's notifications, newest first (the unread ones only when asked).
    pub async fn notifications(&self, actor: &Actor, unread_only: bool) -> Result<Vec<Notice>, AppError> {
        let rows = self.store.notifications(&actor.name, unread_only, INBOX_SIZE).await?;
        Ok(rows.into_iter().map(Notice::of).collect())
    }

    /// How many notifications the actor has not read.
    pub async fn unread_notifications(&self, actor: &Actor) -> Result<u64, AppError> {
        Ok(self.store.unread_notifications(&actor.name).await?)
    }

    /// Marks the actor's notifications read: those numbered, or all when none is. Returns how
    /// many were unread.
    pub async fn mark_notifications_read(&self, actor: &Actor, ids: &[i64]) -> Result<u64, AppError> {
        Ok(self.store.mark_notifications_read(&actor.name, ids, self.now()).await?)
    }
}
