//! The informal-crossing records as kept: points, plans, count sessions and interviews.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use frontera_domain::CountryCode;
use frontera_domain::informal::{Block, CountSession, Interview, Point};
use frontera_stats::informal::{self as design, Draws};
use frontera_store::InformalRecord;
use serde::{Deserialize, Serialize};

use crate::AppError;

/// A point as kept: the point and whether it is still watched.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KeptPoint {
    /// The point.
    #[serde(flatten)]
    pub point: Point,
    /// `active`, or `retired` (kept for the sessions counted there, not drawn again).
    pub state: String,
}

/// A point of a plan, as it was when the plan was drawn.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanPoint {
    /// The point's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// The group it is estimated in (its stretch).
    pub group: String,
    /// The hour blocks it is watched in.
    pub blocks: Vec<Block>,
}

/// A sampling plan: a period's frame and the blocks drawn from it, with who watches each.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MonitoringPlan {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// The country whose team runs it.
    pub country: CountryCode,
    /// The first day.
    pub from: NaiveDate,
    /// The last day.
    pub to: NaiveDate,
    /// The market weekdays (`mon` … `sun`): a stratum of their own.
    pub market_days: Vec<String>,
    /// The points of the frame.
    pub points: Vec<PlanPoint>,
    /// What was asked to be drawn, by kind of day.
    pub draws: BTreeMap<String, Draws>,
    /// The seed the draw used (drawn again with it, the same sample comes out).
    pub seed: u64,
    /// The frame and the sample, with every block's inclusion probability.
    pub design: design::Plan,
    /// The enumerator of each block drawn, in the order of `design.assignments`.
    pub enumerators: Vec<Option<String>>,
    /// Who drew it.
    pub drawn_by: String,
    /// When.
    pub drawn_at: DateTime<Utc>,
}

/// What storing a session or an interview did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Stored {
    /// Its id.
    pub id: String,
    /// `stored`, `already_present` (sent again unchanged) or `corrected`.
    pub outcome: String,
    /// The plan whose sample it counts in, if any (a session outside the sample is monitoring
    /// only, described but not expanded).
    pub plan: Option<String>,
    /// The protection case an interview's referral opened.
    pub case: Option<String>,
}

/// A kept session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KeptSession {
    /// The session.
    #[serde(flatten)]
    pub session: CountSession,
    /// The plan whose sample it counts in.
    pub plan: Option<String>,
}

/// A kept interview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KeptInterview {
    /// The interview.
    #[serde(flatten)]
    pub interview: Interview,
    /// The point.
    pub point: String,
    /// The day.
    pub day: NaiveDate,
    /// Who asked.
    pub enumerator: String,
    /// Whether a protection case was opened from it (the case is not named here).
    pub referred: bool,
}

pub(super) fn from_json<T: for<'de> Deserialize<'de>>(r: &InformalRecord) -> Result<T, AppError> {
    serde_json::from_str(&r.record).map_err(|e| AppError::Internal(format!("{} {}: {e}", r.kind, r.id)))
}
