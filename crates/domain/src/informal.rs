//! Informal crossings (issue 8), their rules: the points where people cross outside the posts,
//! the hour blocks they are watched in, a count session's tallies, and the short anonymous
//! interview that needs consent before anything is stored.
//!
//! A count session is minted on the enumerator's device with its own id, so that a form sent
//! again after the link dropped is the same session, stored once.

use std::fmt;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::{Rule, ValidationError};
use crate::port::PortId;
use crate::{CountryCode, Direction, Sex};

text_enum! {
    /// What a point is: a river crossing or a path over land.
    Terrain { /** The Río Hondo or another stretch of water. */ River = "river", /** A path, a road, a field. */ Land = "land" }
}

text_enum! {
    /// The age groups an enumerator can tell by sight.
    SightAge { /** Under 18. */ Child = "child", /** 18 to 59. */ Adult = "adult", /** 60 or more. */ Older = "older" }
}

text_enum! {
    /// How people cross.
    Means {
        /** On foot (wading, a footbridge). */ Foot = "foot",
        /** By boat or raft. */ Boat = "boat",
        /** By bicycle or tricycle. */ Bicycle = "bicycle",
        /** By car, motorcycle or truck. */ Vehicle = "vehicle",
    }
}

text_enum! {
    /// Why they cross, as they say.
    Purpose {
        /** To work. */ Work = "work",
        /** To buy or sell. */ Trade = "trade",
        /** To see family. */ Family = "family",
        /** For health care, school or other services. */ Services = "services",
        /** On the way to a third country. */ Transit = "transit",
        /** Anything else. */ Other = "other",
    }
}

text_enum! {
    /// How often they cross.
    Frequency {
        /** Every day or nearly. */ Daily = "daily",
        /** Every week. */ Weekly = "weekly",
        /** Every month. */ Monthly = "monthly",
        /** Now and then. */ Occasionally = "occasionally",
        /** For the first time. */ FirstTime = "first_time",
    }
}

text_enum! {
    /// How long they stay on the other side.
    Stay {
        /** Back the same day. */ SameDay = "same_day",
        /** Less than a week. */ UnderWeek = "under_week",
        /** Less than a month. */ UnderMonth = "under_month",
        /** Longer. */ Longer = "longer",
    }
}

text_enum! {
    /// Why someone crossing informally holds no document that would let them cross at a post.
    NoDocument {
        /** They see no need. */ NoNeed = "no_need",
        /** It costs too much. */ Cost = "cost",
        /** The office or the post is too far. */ Distance = "distance",
        /** It takes too long. */ Time = "time",
        /** They are not eligible. */ NotEligible = "not_eligible",
        /** Lost or taken. */ Lost = "lost",
        /** Anything else. */ Other = "other",
    }
}

impl Frequency {
    /// The one-way crossings in `days` days of a person seen crossing in them who crosses this
    /// often: there and back on five days a week, once a week, once a month, every three months
    /// or so — and never fewer than the one trip there and back they were seen on (in a period
    /// shorter than their rhythm, those who cross in it cross once there and back); someone
    /// crossing for the first time crosses once.
    pub fn crossings_in(self, days: u32) -> f64 {
        let d = f64::from(days);
        let trips = match self {
            Frequency::Daily => d * 5.0 / 7.0,
            Frequency::Weekly => d / 7.0,
            Frequency::Monthly => d / 30.0,
            Frequency::Occasionally => d / 90.0,
            Frequency::FirstTime => return 1.0,
        };
        2.0 * trips.max(1.0)
    }
}

/// An hour block a point is watched in, on the point's local clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Block {
    /// Its start.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "06:00"))]
    pub start: NaiveTime,
    /// Its end.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "08:00"))]
    pub end: NaiveTime,
}

/// An informal crossing point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Point {
    /// Its id (`chac-je`, lower case, digits and `-`).
    pub id: String,
    /// Its name as people call it.
    pub name: String,
    /// The country whose team watches it.
    pub country: CountryCode,
    /// Latitude, degrees.
    pub latitude: f64,
    /// Longitude, degrees.
    pub longitude: f64,
    /// River or land.
    pub terrain: Terrain,
    /// The stretch of river or border it is on (`Río Hondo, tramo medio`).
    pub stretch: String,
    /// The settlements it joins, one on each side.
    pub settlements: [String; 2],
    /// The official ports nearby.
    pub nearby_ports: Vec<PortId>,
    /// The hour blocks it is watched in, in order, not overlapping.
    pub blocks: Vec<Block>,
}

/// What registering a point asks for.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PointDraft {
    /// Its id.
    pub id: Option<String>,
    /// Its name.
    pub name: Option<String>,
    /// Latitude.
    pub latitude: Option<f64>,
    /// Longitude.
    pub longitude: Option<f64>,
    /// `river` or `land`.
    pub terrain: Option<String>,
    /// The stretch.
    pub stretch: Option<String>,
    /// The two settlements.
    #[serde(default)]
    pub settlements: Vec<String>,
    /// Nearby ports' ids.
    #[serde(default)]
    pub nearby_ports: Vec<String>,
    /// The hour blocks, `HH:MM-HH:MM`.
    #[serde(default)]
    pub blocks: Vec<String>,
}

fn text<'a>(value: &'a Option<String>, field: &str) -> Result<&'a str, ValidationError> {
    match value.as_deref().map(str::trim) {
        Some(v) if !v.is_empty() => Ok(v),
        _ => Err(ValidationError::new(field, Rule::Required)),
    }
}

fn refused(field: impl Into<String>, en: impl Into<String>, es: impl Into<String>) -> ValidationError {
    ValidationError::refused(field, en, es)
}

/// Parses an hour block, `HH:MM-HH:MM`.
pub fn parse_block(text: &str, field: &str) -> Result<Block, ValidationError> {
    let bad = || refused(field, "an hour block, HH:MM-HH:MM", "un bloque horario, HH:MM-HH:MM");
    let (a, b) = text.trim().split_once('-').ok_or_else(bad)?;
    let start = NaiveTime::parse_from_str(a.trim(), "%H:%M").map_err(|_| bad())?;
    let end = NaiveTime::parse_from_str(b.trim(), "%H:%M").map_err(|_| bad())?;
    if end <= start {
        return Err(refused(
            field,
            "the block must end after it starts",
            "el bloque debe terminar después de empezar",
        ));
    }
    Ok(Block { start, end })
}

impl PointDraft {
    /// The point, for `country`'s team, its ports checked against those the node knows.
    pub fn parse(
        &self,
        country: CountryCode,
        known_port: impl Fn(&PortId) -> bool,
    ) -> Result<Point, ValidationError> {
        let id = text(&self.id, "id")?;
        PortId::parse(id).map_err(|r| ValidationError::new("id", r))?;
        let name = text(&self.name, "name")?.to_string();
        let latitude = self.latitude.ok_or_else(|| ValidationError::new("latitude", Rule::Required))?;
        if !(-90.0..=90.0).contains(&latitude) {
            return Err(ValidationError::new("latitude", Rule::OutOfRange { min: -90, max: 90 }));
        }
        let longitude = self.longitude.ok_or_else(|| ValidationError::new("longitude", Rule::Required))?;
        if !(-180.0..=180.0).contains(&longitude) {
            return Err(ValidationError::new("longitude", Rule::OutOfRange { min: -180, max: 180 }));
        }
        let terrain = Terrain::parse(self.terrain.as_deref().unwrap_or_default())
            .map_err(|r| ValidationError::new("terrain", r))?;
        let stretch = text(&self.stretch, "stretch")?.to_string();
        let settlements: Vec<String> =
            self.settlements.iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
        let [a, b]: [String; 2] = settlements.try_into().map_err(|_| {
            refused(
                "settlements",
                "the two settlements it joins, one on each side",
                "los dos poblados que une, uno a cada lado",
            )
        })?;
        let mut nearby_ports = Vec::new();
        for (i, p) in self.nearby_ports.iter().enumerate() {
            let field = format!("nearby_ports[{i}]");
            let port = PortId::parse(p).map_err(|r| ValidationError::new(field.clone(), r))?;
            if !known_port(&port) {
                return Err(ValidationError::new(field, Rule::UnknownPort));
            }
            nearby_ports.push(port);
        }
        if self.blocks.is_empty() {
            return Err(ValidationError::new("blocks", Rule::Required));
        }
        let mut blocks: Vec<Block> = Vec::new();
        for (i, b) in self.blocks.iter().enumerate() {
            let field = format!("blocks[{i}]");
            let block = parse_block(b, &field)?;
            if blocks.last().is_some_and(|prev| block.start < prev.end) {
                return Err(refused(
                    field,
                    "blocks in order, none overlapping the one before",
                    "bloques en orden, ninguno encima del anterior",
                ));
            }
            blocks.push(block);
        }
        Ok(Point {
            id: id.to_string(),
            name,
            country,
            latitude,
            longitude,
            terrain,
            stretch,
            settlements: [a, b],
            nearby_ports,
            blocks,
        })
    }
}

/// How many of one kind passed: a line of a count session's tally.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Tally {
    /// Which way.
    pub direction: Direction,
    /// Sex, as seen (`X` when not told).
    pub sex: Sex,
    /// Age group, as seen.
    pub age: SightAge,
    /// A nationality group, only where someone declared it (`GTM`, …).
    pub nationality: Option<CountryCode>,
    /// How they crossed.
    pub means: Means,
    /// Whether they carried goods to trade.
    pub goods: bool,
    /// How many persons.
    pub persons: u32,
}

/// A count session: one point, one day, one hour block, every passer-by counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CountSession {
    /// Its id, minted on the enumerator's device.
    pub id: Uuid,
    /// The point.
    pub point: String,
    /// The local day.
    pub day: NaiveDate,
    /// The block's index in the point's schedule.
    pub block: u32,
    /// Who counted.
    pub enumerator: String,
    /// Groups that passed (people crossing together).
    pub groups: u32,
    /// The persons, by kind.
    pub tallies: Vec<Tally>,
    /// Anything the enumerator noted (the river high, the block cut short).
    pub note: Option<String>,
    /// Why the block could not be watched (a flood, a storm, the enumerator kept away), when it
    /// could not: nothing is counted, and the estimate leaves the block out of its sample.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_watched: Option<String>,
    /// When it was sent.
    pub sent_at: DateTime<Utc>,
}

impl CountSession {
    /// Persons counted.
    pub fn persons(&self) -> u64 {
        self.tallies.iter().map(|t| u64::from(t.persons)).sum()
    }

    /// Checks the session against its point: a block of its schedule, groups no more than
    /// persons, at most 10 000 persons a line, the day not after `today`; a block not watched
    /// says why and counts nothing.
    pub fn check(&self, point: &Point, today: NaiveDate) -> Result<(), ValidationError> {
        if self.block as usize >= point.blocks.len() {
            return Err(refused(
                "block",
                format!("{} is watched in {} blocks", point.name, point.blocks.len()),
                format!("{} se observa en {} bloques", point.name, point.blocks.len()),
            ));
        }
        if self.day > today {
            return Err(ValidationError::new("day", Rule::InFuture));
        }
        if let Some(why) = &self.not_watched {
            if why.trim().is_empty() {
                return Err(ValidationError::new("not_watched", Rule::Required));
            }
            if !self.tallies.is_empty() || self.groups > 0 {
                return Err(ValidationError::new("tallies", Rule::NotAllowedWith { other: "not_watched" }));
            }
            return Ok(());
        }
        for (i, t) in self.tallies.iter().enumerate() {
            if t.persons == 0 || t.persons > 10_000 {
                return Err(ValidationError::new(
                    format!("tallies[{i}].persons"),
                    Rule::OutOfRange { min: 1, max: 10_000 },
                ));
            }
        }
        let persons = self.persons();
        if u64::from(self.groups) > persons || (persons > 0 && self.groups == 0) {
            return Err(refused(
                "groups",
                "between one group and as many groups as persons",
                "entre un grupo y tantos grupos como personas",
            ));
        }
        Ok(())
    }
}

/// The consent an interview rests on, asked before any question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InterviewConsent {
    /// The person agreed to answer, anonymously.
    pub given: bool,
    /// The person agreed that a protection concern be passed to the protection services.
    #[serde(default)]
    pub referral: bool,
}

/// A short anonymous interview of someone crossing: no name, no document number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Interview {
    /// Its id, minted on the enumerator's device.
    pub id: Uuid,
    /// The count session it was drawn in.
    pub session: Uuid,
    /// The consent, recorded first.
    pub consent: InterviewConsent,
    /// Which way they were crossing.
    pub direction: Direction,
    /// Sex, as they say.
    pub sex: Sex,
    /// Age group.
    pub age: SightAge,
    /// Nationality, as they say.
    pub nationality: Option<CountryCode>,
    /// Where they come from (a settlement, a town).
    pub origin: String,
    /// Where they are going.
    pub destination: String,
    /// Why they cross.
    pub purpose: Purpose,
    /// How often.
    pub frequency: Frequency,
    /// How long they stay.
    pub stay: Stay,
    /// Whether they hold a document that would let them cross at a post.
    pub holds_document: bool,
    /// Why not, when they do not.
    pub why_not: Option<NoDocument>,
    /// What they need (free text, no names).
    pub needs: Option<String>,
    /// A protection concern the enumerator saw or heard.
    pub protection_concern: bool,
}

impl Interview {
    /// Checks an interview before it is stored: consent given, the reason owed when no
    /// document is held, a referral only with consent to it.
    pub fn check(&self) -> Result<(), ValidationError> {
        if !self.consent.given {
            return Err(refused(
                "consent.given",
                "an interview without the person's consent cannot be stored",
                "una entrevista sin el consentimiento de la persona no puede guardarse",
            ));
        }
        if self.origin.trim().is_empty() {
            return Err(ValidationError::new("origin", Rule::Required));
        }
        if self.destination.trim().is_empty() {
            return Err(ValidationError::new("destination", Rule::Required));
        }
        match (self.holds_document, self.why_not) {
            (false, None) => return Err(ValidationError::new("why_not", Rule::Required)),
            (true, Some(_)) => {
                return Err(ValidationError::new(
                    "why_not",
                    Rule::NotAllowedWith { other: "holds_document" },
                ));
            }
            _ => {}
        }
        if self.consent.referral && !self.protection_concern {
            return Err(ValidationError::new(
                "consent.referral",
                Rule::NotAllowedWith { other: "no protection concern" },
            ));
        }
        Ok(())
    }

    /// Whether the protection concern may be referred: the person agreed to it.
    pub fn may_refer(&self) -> bool {
        self.protection_concern && self.consent.referral
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Lang;

    fn draft() -> PointDraft {
        PointDraft {
            id: Some("chac-je".into()),
            name: Some("Paso de Chac-Je".into()),
            latitude: Some(18.18),
            longitude: Some(-88.61),
            terrain: Some("river".into()),
            stretch: Some("Río Hondo, tramo medio".into()),
            settlements: vec!["Chac-Je (BZ)".into(), "Ramonal (MX)".into()],
            nearby_ports: vec!["bz-santa-elena".into()],
            blocks: vec!["06:00-08:00".into(), "08:00-10:00".into(), "16:00-18:00".into()],
        }
    }

    #[test]
    fn a_point_has_two_settlements_known_ports_and_blocks_in_order() {
        let known = |p: &PortId| p.as_str().starts_with("bz-");
        let p = draft().parse(CountryCode::BLZ, known).unwrap();
        assert_eq!(
            (p.blocks.len(), p.terrain, p.settlements[1].as_str()),
            (3, Terrain::River, "Ramonal (MX)")
        );
        let bad = PointDraft { blocks: vec!["08:00-10:00".into(), "09:00-11:00".into()], ..draft() };
        assert_eq!(bad.parse(CountryCode::BLZ, known).unwrap_err().field, "blocks[1]");
        let bad = PointDraft { blocks: vec!["10:00-08:00".into()], ..draft() };
        assert!(bad.parse(CountryCode::BLZ, known).unwrap_err().message(Lang::Es).contains("terminar"));
        let bad = PointDraft { settlements: vec!["Chac-Je".into()], ..draft() };
        assert_eq!(bad.parse(CountryCode::BLZ, known).unwrap_err().field, "settlements");
        let bad = PointDraft { nearby_ports: vec!["mx-la-union".into()], ..draft() };
        assert_eq!(bad.parse(CountryCode::BLZ, known).unwrap_err().rule, Rule::UnknownPort);
        let bad = PointDraft { latitude: Some(95.0), ..draft() };
        assert_eq!(bad.parse(CountryCode::BLZ, known).unwrap_err().field, "latitude");
    }

    #[test]
    fn a_count_session_fits_its_points_schedule_and_its_groups_its_persons() {
        let point = draft().parse(CountryCode::BLZ, |_| true).unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        let tally = |persons| Tally {
            direction: Direction::Entry,
            sex: Sex::Female,
            age: SightAge::Adult,
            nationality: None,
            means: Means::Boat,
            goods: true,
            persons,
        };
        let mut s = CountSession {
            id: Uuid::now_v7(),
            point: point.id.clone(),
            day: today,
            block: 2,
            enumerator: "enc.bz".into(),
            groups: 3,
            tallies: vec![tally(4), tally(2)],
            note: None,
            not_watched: None,
            sent_at: Utc::now(),
        };
        assert_eq!((s.check(&point, today), s.persons()), (Ok(()), 6));
        s.block = 3;
        assert_eq!(s.check(&point, today).unwrap_err().field, "block");
        s.block = 0;
        s.groups = 7;
        assert_eq!(s.check(&point, today).unwrap_err().field, "groups");
        s.groups = 2;
        s.tallies[1].persons = 0;
        assert_eq!(s.check(&point, today).unwrap_err().field, "tallies[1].persons");
        s.tallies[1].persons = 1;
        s.day = today.succ_opt().unwrap();
        assert_eq!(s.check(&point, today).unwrap_err().rule, Rule::InFuture);
        // Nobody passed: no group either.
        let empty = CountSession { tallies: vec![], groups: 0, day: today, ..s.clone() };
        assert_eq!(empty.check(&point, today), Ok(()));
        // A block that could not be watched says why and counts nothing.
        let flooded = CountSession { not_watched: Some("river in flood".into()), ..empty.clone() };
        assert_eq!(flooded.check(&point, today), Ok(()));
        let blank = CountSession { not_watched: Some(" ".into()), ..empty.clone() };
        assert_eq!(blank.check(&point, today).unwrap_err().field, "not_watched");
        let both = CountSession { not_watched: Some("storm".into()), day: today, ..s.clone() };
        assert_eq!(both.check(&point, today).unwrap_err().field, "tallies");
    }

    #[test]
    fn an_interview_without_consent_cannot_be_stored_and_a_referral_needs_its_own() {
        let mut i = Interview {
            id: Uuid::now_v7(),
            session: Uuid::now_v7(),
            consent: InterviewConsent { given: false, referral: false },
            direction: Direction::Exit,
            sex: Sex::Male,
            age: SightAge::Adult,
            nationality: CountryCode::parse("GTM").ok(),
            origin: "San Francisco Botes".into(),
            destination: "Blue Creek".into(),
            purpose: Purpose::Work,
            frequency: Frequency::Weekly,
            stay: Stay::UnderWeek,
            holds_document: false,
            why_not: Some(NoDocument::Cost),
            needs: None,
            protection_concern: false,
        };
        let e = i.check().unwrap_err();
        assert_eq!(e.field, "consent.given");
        assert!(e.message(Lang::Es).contains("sin el consentimiento"));
        i.consent.given = true;
        assert_eq!(i.check(), Ok(()));
        i.why_not = None;
        assert_eq!(i.check().unwrap_err().field, "why_not");
        i.why_not = Some(NoDocument::Distance);
        i.consent.referral = true;
        assert_eq!(i.check().unwrap_err().field, "consent.referral");
        i.protection_concern = true;
        assert!(i.check().is_ok() && i.may_refer());
        i.consent.referral = false;
        assert!(!i.may_refer(), "a concern without consent to refer stays with the enumerator");
    }
}
