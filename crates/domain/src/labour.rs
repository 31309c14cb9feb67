//! The rules of labour migration: the kinds of work permit (reference data), the economic
//! sectors (ISIC Rev. 4 sections), the places a permit is valid in (ISO 3166-2 subdivisions),
//! a permit's lifecycle, and the counter's check of a border worker's permits.
//!
//! A permit's days are the local days of the country that issued it: it is valid through its
//! last day, wherever on that day the crossing falls in the port's time zone.

use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::{CountryCode, Lang, Rule};

/// A kind of work permit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PermitKind {
    /// Its code.
    pub code: &'static str,
    /// Its name in English.
    pub en: &'static str,
    /// Its name in Spanish.
    pub es: &'static str,
    /// The country that issues it.
    pub country: CountryCode,
    /// The longest validity, in days.
    pub max_days: u32,
    /// The subdivisions it may be valid in (empty: the whole country).
    pub regions: &'static [&'static str],
}

/// The kinds of permit the two countries issue.
pub const PERMIT_KINDS: &[PermitKind] = &[
    PermitKind {
        code: "mx-tvtf",
        en: "Border worker visitor card (TVTF)",
        es: "Tarjeta de Visitante Trabajador Fronterizo (TVTF)",
        country: CountryCode::MEX,
        max_days: 366,
        regions: &["MX-CAM", "MX-CHP", "MX-TAB", "MX-ROO"],
    },
    PermitKind {
        code: "mx-temporary-work",
        en: "Temporary resident with permission to work",
        es: "Residente temporal con permiso para trabajar",
        country: CountryCode::MEX,
        max_days: 4 * 366,
        regions: &[],
    },
    PermitKind {
        code: "mx-seasonal-agricultural",
        en: "Seasonal agricultural worker",
        es: "Trabajador agrícola de temporada",
        country: CountryCode::MEX,
        max_days: 240,
        regions: &["MX-CAM", "MX-CHP", "MX-TAB", "MX-ROO"],
    },
    PermitKind {
        code: "bz-temporary-employment",
        en: "Temporary employment permit",
        es: "Permiso de empleo temporal",
        country: CountryCode::BLZ,
        max_days: 366,
        regions: &[],
    },
    PermitKind {
        code: "bz-seasonal-agricultural",
        en: "Seasonal agricultural work permit",
        es: "Permiso de trabajo agrícola de temporada",
        country: CountryCode::BLZ,
        max_days: 240,
        regions: &["BZ-CZL", "BZ-OW", "BZ-CY", "BZ-SC", "BZ-TOL", "BZ-BZ"],
    },
];

/// The codes of [`PERMIT_KINDS`], in their order.
pub const PERMIT_KIND_CODES: &[&str] = &[
    "mx-tvtf",
    "mx-temporary-work",
    "mx-seasonal-agricultural",
    "bz-temporary-employment",
    "bz-seasonal-agricultural",
];

impl PermitKind {
    /// The kind of this code.
    pub fn parse(code: &str) -> Result<&'static PermitKind, Rule> {
        PERMIT_KINDS.iter().find(|k| k.code == code.trim()).ok_or(Rule::OneOf { allowed: PERMIT_KIND_CODES })
    }

    /// Its name in `lang`.
    pub fn name(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en,
            Lang::Es => self.es,
        }
    }
}

/// The sections of the International Standard Industrial Classification (ISIC Rev. 4): code,
/// English, Spanish.
pub const SECTORS: &[(&str, &str, &str)] = &[
    ("A", "Agriculture, forestry and fishing", "Agricultura, ganadería, silvicultura y pesca"),
    ("B", "Mining and quarrying", "Explotación de minas y canteras"),
    ("C", "Manufacturing", "Industrias manufactureras"),
    (
        "D",
        "Electricity, gas, steam and air conditioning supply",
        "Suministro de electricidad, gas, vapor y aire acondicionado",
    ),
    (
        "E",
        "Water supply; sewerage, waste management",
        "Suministro de agua; alcantarillado y gestión de desechos",
    ),
    ("F", "Construction", "Construcción"),
    ("G", "Wholesale and retail trade", "Comercio al por mayor y al por menor"),
    ("H", "Transportation and storage", "Transporte y almacenamiento"),
    ("I", "Accommodation and food service activities", "Alojamiento y servicio de comidas"),
    ("J", "Information and communication", "Información y comunicaciones"),
    ("K", "Financial and insurance activities", "Actividades financieras y de seguros"),
    ("L", "Real estate activities", "Actividades inmobiliarias"),
    (
        "M",
        "Professional, scientific and technical activities",
        "Actividades profesionales, científicas y técnicas",
    ),
    (
        "N",
        "Administrative and support service activities",
        "Actividades de servicios administrativos y de apoyo",
    ),
    ("O", "Public administration and defence", "Administración pública y defensa"),
    ("P", "Education", "Enseñanza"),
    ("Q", "Human health and social work activities", "Atención de la salud humana y asistencia social"),
    ("R", "Arts, entertainment and recreation", "Actividades artísticas, de entretenimiento y recreativas"),
    ("S", "Other service activities", "Otras actividades de servicios"),
    ("T", "Activities of households as employers", "Actividades de los hogares como empleadores"),
    ("U", "Activities of extraterritorial organizations", "Actividades de organizaciones extraterritoriales"),
];

/// An ISIC section's code, checked.
pub fn parse_sector(code: &str) -> Result<&'static str, Rule> {
    let code = code.trim().to_ascii_uppercase();
    SECTORS.iter().find(|s| s.0 == code).map(|s| s.0).ok_or_else(|| Rule::Refused {
        en: "not a section of ISIC Rev. 4 (A to U)".into(),
        es: "no es una sección de la CIIU Rev. 4 (A a U)".into(),
    })
}

/// The subdivisions of the two countries a permit can be valid in (ISO 3166-2): code, name.
pub const REGIONS: &[(&str, &str)] = &[
    ("BZ-BZ", "Belize"),
    ("BZ-CY", "Cayo"),
    ("BZ-CZL", "Corozal"),
    ("BZ-OW", "Orange Walk"),
    ("BZ-SC", "Stann Creek"),
    ("BZ-TOL", "Toledo"),
    ("MX-CAM", "Campeche"),
    ("MX-CHP", "Chiapas"),
    ("MX-ROO", "Quintana Roo"),
    ("MX-TAB", "Tabasco"),
    ("MX-YUC", "Yucatán"),
];

/// A subdivision's code, checked.
pub fn parse_region(code: &str) -> Result<&'static str, Rule> {
    let code = code.trim().to_ascii_uppercase();
    REGIONS.iter().find(|r| r.0 == code).map(|r| r.0).ok_or_else(|| Rule::Refused {
        en: "not a subdivision this node knows (ISO 3166-2, e.g. MX-ROO, BZ-CZL)".into(),
        es: "no es una subdivisión que este nodo conozca (ISO 3166-2, p. ej. MX-ROO, BZ-CZL)".into(),
    })
}

text_enum! {
    /// Where a permit stands.
    PermitState {
        /// Asked for, not decided.
        Applied = "applied",
        /// Issued and in force.
        Issued = "issued",
        /// Issued again for a new period, and in force.
        Renewed = "renewed",
        /// Turned down.
        Refused = "refused",
        /// Past its last day.
        Expired = "expired",
        /// Withdrawn before its end.
        Revoked = "revoked",
    }
}

impl PermitState {
    /// Whether it is in force (until its last day).
    pub fn in_force(self) -> bool {
        matches!(self, PermitState::Issued | PermitState::Renewed)
    }
}

/// A change to a permit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum PermitEvent {
    /// Issue it, valid from one day through another.
    Issue {
        /// Its first day.
        valid_from: NaiveDate,
        /// Its last day.
        valid_until: NaiveDate,
    },
    /// Turn the application down.
    Refuse {
        /// Why.
        reason: String,
    },
    /// Issue it again, through a later last day.
    Renew {
        /// The new last day.
        valid_until: NaiveDate,
    },
    /// Mark it expired (its last day is past).
    Expire,
    /// Withdraw it.
    Revoke {
        /// Why.
        reason: String,
    },
}

impl PermitEvent {
    /// The event's name.
    pub fn name(&self) -> &'static str {
        match self {
            PermitEvent::Issue { .. } => "issue",
            PermitEvent::Refuse { .. } => "refuse",
            PermitEvent::Renew { .. } => "renew",
            PermitEvent::Expire => "expire",
            PermitEvent::Revoke { .. } => "revoke",
        }
    }

    /// The states it may be taken from.
    pub fn from(&self) -> &'static [PermitState] {
        use PermitState::*;
        match self {
            PermitEvent::Issue { .. } | PermitEvent::Refuse { .. } => &[Applied],
            // A permit that lapsed may be renewed; a revoked or refused one may not.
            PermitEvent::Renew { .. } => &[Issued, Renewed, Expired],
            PermitEvent::Expire | PermitEvent::Revoke { .. } => &[Issued, Renewed],
        }
    }
}

/// Why a change to a permit was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "why", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum PermitRefusal {
    /// Not from this state.
    NotFrom {
        /// The state.
        state: PermitState,
    },
    /// The change needs a reason.
    ReasonRequired,
    /// The last day comes before the first (or, renewing, before the current last day).
    Backwards,
    /// Longer than the kind allows.
    TooLong {
        /// The most days.
        max_days: u32,
    },
    /// Expired before its last day has passed.
    NotYetOver,
}

/// A change refused, with what was tried.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PermitChangeRefused {
    /// The change tried.
    pub event: &'static str,
    /// Why.
    pub refusal: PermitRefusal,
}

impl PermitChangeRefused {
    /// The refusal in words.
    pub fn message(&self, lang: Lang) -> String {
        let e = self.event;
        match (&self.refusal, lang) {
            (PermitRefusal::NotFrom { state }, Lang::En) => format!("a permit that is {state} cannot {e}"),
            (PermitRefusal::NotFrom { state }, Lang::Es) => {
                format!("un permiso en estado «{state}» no admite «{e}»")
            }
            (PermitRefusal::ReasonRequired, Lang::En) => format!("to {e} a permit, say why"),
            (PermitRefusal::ReasonRequired, Lang::Es) => format!("para «{e}» un permiso, indique el motivo"),
            (PermitRefusal::Backwards, Lang::En) => {
                "the last day must come after the first (and after the current last day)".into()
            }
            (PermitRefusal::Backwards, Lang::Es) => {
                "el último día debe ser posterior al primero (y al último día vigente)".into()
            }
            (PermitRefusal::TooLong { max_days }, Lang::En) => {
                format!("this kind of permit is valid for at most {max_days} days")
            }
            (PermitRefusal::TooLong { max_days }, Lang::Es) => {
                format!("este tipo de permiso vale como máximo {max_days} días")
            }
            (PermitRefusal::NotYetOver, Lang::En) => "a permit expires only after its last day".into(),
            (PermitRefusal::NotYetOver, Lang::Es) => "un permiso vence solo después de su último día".into(),
        }
    }
}

impl fmt::Display for PermitChangeRefused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

/// One change of a permit's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PermitChange {
    /// What was done.
    pub event: PermitEvent,
    /// The state it led to.
    pub state: PermitState,
    /// When.
    pub at: DateTime<Utc>,
}

/// A permit's validity and history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PermitLife {
    /// Where it stands.
    pub state: PermitState,
    /// Its first day, once issued.
    pub valid_from: Option<NaiveDate>,
    /// Its last day, once issued.
    pub valid_until: Option<NaiveDate>,
    /// Every change since the application, oldest first.
    pub changes: Vec<PermitChange>,
}

impl PermitLife {
    /// The last day it was (or will be) in force, on the local calendar of `zone`: its last day,
    /// or the day it was revoked if sooner; `None` when it was never issued.
    pub fn last_day(&self, zone: Tz) -> Option<NaiveDate> {
        let until = self.valid_until?;
        self.valid_from?;
        let revoked = self
            .changes
            .iter()
            .rev()
            .find(|c| matches!(c.event, PermitEvent::Revoke { .. }))
            .map(|c| c.at.with_timezone(&zone).date_naive());
        Some(revoked.map_or(until, |r| r.min(until)))
    }

    /// Whether it was in force on some day from `first` through `last` (local days of `zone`).
    pub fn in_force_within(&self, first: NaiveDate, last: NaiveDate, zone: Tz) -> bool {
        match (self.valid_from, self.last_day(zone)) {
            (Some(from), Some(until)) => from <= last && until >= first && from <= until,
            _ => false,
        }
    }

    /// The local day it was first issued.
    pub fn issued_on(&self, zone: Tz) -> Option<NaiveDate> {
        self.changes
            .iter()
            .find(|c| matches!(c.event, PermitEvent::Issue { .. }))
            .map(|c| c.at.with_timezone(&zone).date_naive())
    }

    /// A permit applied for.
    pub fn applied() -> PermitLife {
        PermitLife { state: PermitState::Applied, valid_from: None, valid_until: None, changes: Vec::new() }
    }

    /// Applies `event` to a permit of `kind` at `at`, whose local day is `today`. A refused
    /// change changes nothing and says why.
    pub fn apply(
        &mut self,
        kind: &PermitKind,
        event: PermitEvent,
        today: NaiveDate,
        at: DateTime<Utc>,
    ) -> Result<PermitState, PermitChangeRefused> {
        let refuse = |refusal| PermitChangeRefused { event: event.name(), refusal };
        if !event.from().contains(&self.state) {
            return Err(refuse(PermitRefusal::NotFrom { state: self.state }));
        }
        let too_long =
            |from: NaiveDate, until: NaiveDate| (until - from).num_days() + 1 > i64::from(kind.max_days);
        let (state, from, until) = match &event {
            PermitEvent::Issue { valid_from, valid_until } => {
                if valid_until < valid_from {
                    return Err(refuse(PermitRefusal::Backwards));
                }
                if too_long(*valid_from, *valid_until) {
                    return Err(refuse(PermitRefusal::TooLong { max_days: kind.max_days }));
                }
                (PermitState::Issued, Some(*valid_from), Some(*valid_until))
            }
            PermitEvent::Renew { valid_until } => {
                let current = self.valid_until.unwrap_or(*valid_until);
                if *valid_until <= current {
                    return Err(refuse(PermitRefusal::Backwards));
                }
                // The new period runs from the day after the old one ended, or from today when
                // it had lapsed.
                let from = (current + chrono::Duration::days(1)).max(today);
                if too_long(from, *valid_until) {
                    return Err(refuse(PermitRefusal::TooLong { max_days: kind.max_days }));
                }
                (PermitState::Renewed, Some(from), Some(*valid_until))
            }
            PermitEvent::Refuse { reason } | PermitEvent::Revoke { reason } if reason.trim().is_empty() => {
                return Err(refuse(PermitRefusal::ReasonRequired));
            }
            PermitEvent::Refuse { .. } => (PermitState::Refused, self.valid_from, self.valid_until),
            PermitEvent::Revoke { .. } => (PermitState::Revoked, self.valid_from, self.valid_until),
            PermitEvent::Expire => {
                if self.valid_until.is_some_and(|u| today <= u) {
                    return Err(refuse(PermitRefusal::NotYetOver));
                }
                (PermitState::Expired, self.valid_from, self.valid_until)
            }
        };
        self.state = state;
        self.valid_from = from;
        self.valid_until = until;
        self.changes.push(PermitChange { event, state, at });
        Ok(state)
    }
}

/// What the counter needs of one permit: its kind, where it stands, its days and places.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PermitFacts<'a> {
    /// The permit's id.
    pub id: &'a str,
    /// Its kind.
    pub kind: &'static PermitKind,
    /// Its life.
    pub life: &'a PermitLife,
    /// The subdivisions it is valid in (empty: the whole country).
    pub regions: &'a [String],
    /// Why it was revoked, if it was.
    pub revoked_because: Option<&'a str>,
}

text_enum! {
    /// What the officer decided on a border worker whose permits were not in order.
    PermitDecision {
        /// Let through all the same (a permit being renewed, a mistake in the registry, …).
        Admit = "admit",
        /// Turned away at the counter.
        Refuse = "refuse",
    }
}

/// What the counter tells the officer about a border worker's permits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum PermitCheck {
    /// A permit in force through `until`, valid at the destination.
    Valid {
        /// The permit.
        permit: String,
        /// Its last day.
        until: NaiveDate,
    },
    /// In force, but its last day is near.
    Expiring {
        /// The permit.
        permit: String,
        /// Its last day.
        until: NaiveDate,
        /// Days left after today.
        days_left: i64,
    },
    /// In force, but not in the state or district of destination.
    NotValidThere {
        /// The permit.
        permit: String,
        /// The destination.
        destination: String,
        /// Where it is valid.
        valid_in: Vec<String>,
    },
    /// Its last day has passed.
    Expired {
        /// The permit.
        permit: String,
        /// Its last day.
        until: NaiveDate,
    },
    /// Withdrawn.
    Revoked {
        /// The permit.
        permit: String,
        /// Why.
        reason: String,
    },
    /// No permit, or none issued yet.
    None,
}

impl PermitCheck {
    /// The status's name (`valid`, `expiring`, `not_valid_there`, `expired`, `revoked`, `none`).
    pub fn status(&self) -> &'static str {
        match self {
            PermitCheck::Valid { .. } => "valid",
            PermitCheck::Expiring { .. } => "expiring",
            PermitCheck::NotValidThere { .. } => "not_valid_there",
            PermitCheck::Expired { .. } => "expired",
            PermitCheck::Revoked { .. } => "revoked",
            PermitCheck::None => "none",
        }
    }

    /// Whether the officer owes a decision: the worker has no permit in force at the
    /// destination. The counter never turns anyone away by itself.
    pub fn needs_decision(&self) -> bool {
        !matches!(self, PermitCheck::Valid { .. } | PermitCheck::Expiring { .. })
    }

    /// How good the news is: the counter shows the best of a worker's permits.
    fn rank(&self) -> u8 {
        match self {
            PermitCheck::Valid { .. } => 5,
            PermitCheck::Expiring { .. } => 4,
            PermitCheck::NotValidThere { .. } => 3,
            PermitCheck::Expired { .. } => 2,
            PermitCheck::Revoked { .. } => 1,
            PermitCheck::None => 0,
        }
    }
}

/// Checks a worker's permits for a crossing at `at` at a port in `zone`, going to
/// `destination` (a subdivision, when known), warning `warn_days` before a last day. A permit
/// is valid through its last day, as the port's local calendar has it.
pub fn check_permits(
    permits: &[PermitFacts<'_>],
    at: DateTime<Utc>,
    zone: Tz,
    destination: Option<&str>,
    warn_days: u32,
) -> PermitCheck {
    let today = at.with_timezone(&zone).date_naive();
    let one = |p: &PermitFacts<'_>| -> PermitCheck {
        let permit = p.id.to_string();
        let l = p.life;
        match (l.state, l.valid_from, l.valid_until) {
            (PermitState::Revoked, _, _) => {
                PermitCheck::Revoked { permit, reason: p.revoked_because.unwrap_or_default().to_string() }
            }
            (PermitState::Expired, _, Some(until)) => PermitCheck::Expired { permit, until },
            (state, Some(from), Some(until)) if state.in_force() => {
                if today > until {
                    return PermitCheck::Expired { permit, until };
                }
                if today < from {
                    return PermitCheck::None;
                }
                if let Some(d) = destination
                    && !p.regions.is_empty()
                    && !p.regions.iter().any(|r| r.eq_ignore_ascii_case(d))
                {
                    return PermitCheck::NotValidThere {
                        permit,
                        destination: d.to_string(),
                        valid_in: p.regions.to_vec(),
                    };
                }
                let days_left = (until - today).num_days();
                if days_left <= i64::from(warn_days) {
                    PermitCheck::Expiring { permit, until, days_left }
                } else {
                    PermitCheck::Valid { permit, until }
                }
            }
            _ => PermitCheck::None,
        }
    };
    permits.iter().map(one).max_by_key(PermitCheck::rank).unwrap_or(PermitCheck::None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_kinds_codes_are_listed_in_order() {
        assert_eq!(PERMIT_KINDS.iter().map(|k| k.code).collect::<Vec<_>>(), PERMIT_KIND_CODES);
        assert_eq!(parse_sector("a"), Ok("A"));
        assert!(parse_sector("Z").is_err() && parse_region("MX-XX").is_err());
        assert_eq!(parse_region("mx-roo"), Ok("MX-ROO"));
    }

    fn tvtf() -> &'static PermitKind {
        PermitKind::parse("mx-tvtf").unwrap()
    }

    fn issued(from: NaiveDate, until: NaiveDate) -> PermitLife {
        let mut l = PermitLife::applied();
        l.apply(tvtf(), PermitEvent::Issue { valid_from: from, valid_until: until }, from, Utc::now())
            .unwrap();
        l
    }

    #[test]
    fn every_change_from_every_state_is_allowed_or_refused_saying_why() {
        let today = day(2026, 6, 1);
        let events = [
            PermitEvent::Issue { valid_from: day(2026, 6, 1), valid_until: day(2027, 5, 31) },
            PermitEvent::Refuse { reason: "no employer letter".into() },
            PermitEvent::Renew { valid_until: day(2028, 5, 31) },
            PermitEvent::Expire,
            PermitEvent::Revoke { reason: "employer reported fraud".into() },
        ];
        let states = [
            PermitState::Applied,
            PermitState::Issued,
            PermitState::Renewed,
            PermitState::Refused,
            PermitState::Expired,
            PermitState::Revoked,
        ];
        for state in states {
            for event in &events {
                let mut l = PermitLife {
                    state,
                    valid_from: Some(day(2025, 6, 1)),
                    valid_until: Some(day(2026, 5, 31)),
                    changes: Vec::new(),
                };
                let before = l.clone();
                let result = l.apply(tvtf(), event.clone(), today, Utc::now());
                let allowed = event.from().contains(&state);
                match result {
                    Ok(_) => assert!(allowed, "{} from {state}", event.name()),
                    Err(e) => {
                        assert_eq!(l, before, "a refused change changes nothing");
                        if !allowed {
                            assert_eq!(e.refusal, PermitRefusal::NotFrom { state });
                            assert!(e.message(Lang::Es).contains("no admite"));
                        }
                    }
                }
            }
        }
        // The forbidden ones the issue names: nothing after a revocation; no renewal of an
        // application; no second issue.
        let mut revoked = issued(day(2026, 1, 1), day(2026, 12, 31));
        revoked.apply(tvtf(), PermitEvent::Revoke { reason: "fraud".into() }, today, Utc::now()).unwrap();
        for e in &events {
            assert!(revoked.apply(tvtf(), e.clone(), today, Utc::now()).is_err(), "{}", e.name());
        }
    }

    #[test]
    fn reasons_days_and_lengths_are_checked() {
        let today = day(2026, 6, 1);
        let mut l = PermitLife::applied();
        let e = l.apply(tvtf(), PermitEvent::Refuse { reason: " ".into() }, today, Utc::now()).unwrap_err();
        assert_eq!(e.refusal, PermitRefusal::ReasonRequired);
        let backwards = PermitEvent::Issue { valid_from: day(2026, 6, 2), valid_until: day(2026, 6, 1) };
        assert_eq!(
            l.apply(tvtf(), backwards, today, Utc::now()).unwrap_err().refusal,
            PermitRefusal::Backwards
        );
        let long = PermitEvent::Issue { valid_from: day(2026, 6, 1), valid_until: day(2027, 6, 2) };
        assert_eq!(
            l.apply(tvtf(), long, today, Utc::now()).unwrap_err().refusal,
            PermitRefusal::TooLong { max_days: 366 }
        );
        let mut l = issued(day(2026, 6, 1), day(2027, 5, 31));
        let early = l.apply(tvtf(), PermitEvent::Expire, day(2027, 5, 31), Utc::now()).unwrap_err();
        assert_eq!(early.refusal, PermitRefusal::NotYetOver, "valid through its last day");
        assert_eq!(
            l.apply(tvtf(), PermitEvent::Expire, day(2027, 6, 1), Utc::now()),
            Ok(PermitState::Expired)
        );
        // A lapsed card is renewed from the day of renewal.
        let renew = PermitEvent::Renew { valid_until: day(2028, 7, 31) };
        assert_eq!(l.apply(tvtf(), renew, day(2027, 8, 1), Utc::now()), Ok(PermitState::Renewed));
        assert_eq!((l.valid_from, l.valid_until), (Some(day(2027, 8, 1)), Some(day(2028, 7, 31))));
        assert_eq!(l.changes.len(), 3);
    }

    #[test]
    fn the_counter_sees_the_best_of_a_workers_permits_on_the_ports_calendar() {
        let belize: Tz = chrono_tz::America::Belize;
        let cancun: Tz = chrono_tz::America::Cancun;
        let card = issued(day(2026, 1, 1), day(2026, 11, 30));
        let roo = vec!["MX-ROO".to_string(), "MX-CAM".to_string()];
        let facts = |life: &PermitLife| PermitFacts {
            id: "p1",
            kind: tvtf(),
            life: kept(life.clone()),
            regions: kept(roo.clone()),
            revoked_because: None,
        };
        // 05:30 UTC on 1 December is 23:30 on 30 November in Belize (UTC−6), the card's last
        // day, and 00:30 on 1 December in Quintana Roo (UTC−5), the day after it.
        let at = Utc.with_ymd_and_hms(2026, 12, 1, 5, 30, 0).unwrap();
        let p = [facts(&card)];
        assert!(matches!(
            check_permits(&p, at, belize, Some("MX-ROO"), 15),
            PermitCheck::Expiring { days_left: 0, .. }
        ));
        assert!(matches!(check_permits(&p, at, cancun, Some("MX-ROO"), 15), PermitCheck::Expired { .. }));
        let june = Utc.with_ymd_and_hms(2026, 6, 1, 15, 0, 0).unwrap();
        assert!(matches!(check_permits(&p, june, cancun, Some("MX-ROO"), 15), PermitCheck::Valid { .. }));
        assert_eq!(
            check_permits(&p, june, cancun, Some("MX-YUC"), 15),
            PermitCheck::NotValidThere {
                permit: "p1".into(),
                destination: "MX-YUC".into(),
                valid_in: roo.clone()
            }
        );
        assert!(matches!(check_permits(&p, june, cancun, None, 15), PermitCheck::Valid { .. }));
        assert_eq!(check_permits(&[], june, cancun, None, 15), PermitCheck::None);
        let mut revoked = card.clone();
        revoked.apply(tvtf(), PermitEvent::Revoke { reason: "fraud".into() }, day(2026, 6, 1), june).unwrap();
        let both = [PermitFacts { revoked_because: Some("fraud"), ..facts(&revoked) }, facts(&card)];
        assert!(
            matches!(check_permits(&both, june, cancun, None, 15), PermitCheck::Valid { .. }),
            "the best one"
        );
        assert!(matches!(check_permits(&both[..1], june, cancun, None, 15), PermitCheck::Revoked { .. }));
        let applied = PermitLife::applied();
        assert_eq!(check_permits(&[facts(&applied)], june, cancun, None, 15), PermitCheck::None);
    }

    /// A value that lives for the rest of the test.
    fn kept<T>(value: T) -> &'static T {
        Box::leak(Box::new(value))
    }
}
