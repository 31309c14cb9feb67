//! Crossings: one entry or exit of one person at one port at one instant.

use std::fmt;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::country::CountryCode;
use crate::document::{DocumentKind, DocumentNumber, TravelDocument};
use crate::error::{Rule, ValidationError};
use crate::mrz;
use crate::person::{PartialDate, Person, PersonId, PersonName, Sex};
use crate::port::{Port, PortId, PortRegistry};

/// The id of a crossing: a UUIDv7 minted where the crossing was recorded, so that syncing a
/// post's records to its hub twice stores them once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, format = Uuid))]
pub struct CrossingId(pub Uuid);

impl CrossingId {
    /// A new id for a crossing recorded now.
    pub fn mint() -> CrossingId {
        CrossingId(Uuid::now_v7())
    }

    /// The instant a UUIDv7 carries, to the millisecond.
    pub fn instant(&self) -> Option<DateTime<Utc>> {
        let (secs, nanos) = self.0.get_timestamp()?.to_unix();
        DateTime::from_timestamp(secs as i64, nanos)
    }

    /// Parse a client-minted id: a UUID of version 7.
    pub fn parse(text: &str) -> Result<CrossingId, Rule> {
        let uuid = Uuid::parse_str(text.trim()).map_err(|_| Rule::NotAUuid)?;
        if uuid.get_version_num() != 7 {
            return Err(Rule::NotAUuid);
        }
        Ok(CrossingId(uuid))
    }
}

impl fmt::Display for CrossingId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            /// Every value's name.
            pub const NAMES: &'static [&'static str] = &[$($text),+];
            /// Every value.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// Parse the value's name.
            pub fn parse(text: &str) -> Result<$name, Rule> {
                match text.trim() {
                    $($text => Ok($name::$variant),)+
                    "" => Err(Rule::Required),
                    _ => Err(Rule::OneOf { allowed: Self::NAMES }),
                }
            }

            /// The value's name.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

text_enum! {
    /// Into the country that runs the port, or out of it.
    Direction { /** Into the port's country. */ Entry = "entry", /** Out of it. */ Exit = "exit" }
}

text_enum! {
    /// The migratory category of the traveller at this crossing.
    Category {
        /// A visitor (tourist, business, family).
        Visitor = "visitor",
        /// A holder of a regional-visitor card (Mexico's TVR) or its equivalent.
        RegionalVisitor = "regional_visitor",
        /// A border worker (Mexico's TVTF or a Belizean work permit).
        BorderWorker = "border_worker",
        /// A foreign resident of the port's country.
        Resident = "resident",
        /// A national of the port's country coming home.
        ReturningNational = "returning_national",
        /// A national of the port's country leaving it.
        DepartingNational = "departing_national",
        /// A traveller in transit to a third country.
        Transit = "transit",
        /// Crew of a vessel or driver of a cargo or passenger vehicle.
        CrewDriver = "crew_driver",
        /// Anything else.
        Other = "other",
    }
}

text_enum! {
    /// Why the traveller crosses.
    Purpose {
        /// Tourism.
        Tourism = "tourism",
        /// Shopping (e.g. the Corozal Free Zone, Chetumal).
        Shopping = "shopping",
        /// Visiting family.
        Family = "family",
        /// Work.
        Work = "work",
        /// Business.
        Business = "business",
        /// Health care.
        Health = "health",
        /// Study.
        Study = "study",
        /// Transit to a third country.
        Transit = "transit",
        /// Going home.
        ReturnHome = "return_home",
        /// Anything else.
        Other = "other",
    }
}

text_enum! {
    /// How the traveller crosses.
    TransportMode {
        /// On foot.
        Pedestrian = "pedestrian",
        /// By car.
        Car = "car",
        /// By bus or taxi.
        Bus = "bus",
        /// By truck.
        Truck = "truck",
        /// By motorcycle.
        Motorcycle = "motorcycle",
        /// By bicycle.
        Bicycle = "bicycle",
        /// By boat.
        Boat = "boat",
        /// By air.
        Air = "air",
        /// Otherwise.
        Other = "other",
    }
}

/// The number of days a person admitted at an entry may stay: 1 to 365.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = u16))]
pub struct PermittedStay(u16);

impl PermittedStay {
    /// Parse a number of days.
    pub fn parse(days: i64) -> Result<PermittedStay, Rule> {
        if (1..=365).contains(&days) {
            Ok(PermittedStay(days as u16))
        } else {
            Err(Rule::OutOfRange { min: 1, max: 365 })
        }
    }

    /// The days.
    pub fn days(self) -> u16 {
        self.0
    }
}

/// A crossing that passed every rule and is ready to be stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewCrossing {
    /// Its id.
    pub id: CrossingId,
    /// The port.
    pub port_id: PortId,
    /// The country that runs the port and holds the record.
    pub country: CountryCode,
    /// Entry or exit.
    pub direction: Direction,
    /// The traveller's category.
    pub category: Category,
    /// Why they cross.
    pub purpose: Option<Purpose>,
    /// How they cross.
    pub transport_mode: Option<TransportMode>,
    /// Days granted at entry.
    pub permitted_stay: Option<PermittedStay>,
    /// When, in UTC.
    pub occurred_at: DateTime<Utc>,
    /// The document shown.
    pub document: TravelDocument,
    /// The traveller as the document names them.
    pub person: Person,
}

/// The namespace of person ids derived from documents.
const PERSON_NAMESPACE: Uuid = Uuid::from_bytes([
    0x6f, 0x72, 0x6e, 0x74, 0x65, 0x72, 0x41, 0x2d, 0x9b, 0x1e, 0x50, 0x65, 0x72, 0x73, 0x6f, 0x6e,
]);

impl PersonId {
    /// The id of the person a country holds for this document.
    pub fn for_document(country: CountryCode, document: &TravelDocument) -> PersonId {
        PersonId::for_document_key(country, document.kind, document.issuing_state, &document.number)
    }

    /// The id of the person a country holds for the document of this kind, issuer and number.
    pub fn for_document_key(
        country: CountryCode,
        kind: DocumentKind,
        issuing_state: CountryCode,
        number: &DocumentNumber,
    ) -> PersonId {
        let key = format!("{}|{}|{}|{}", country, kind.as_str(), issuing_state, number);
        PersonId(Uuid::new_v5(&PERSON_NAMESPACE, key.as_bytes()))
    }
}

impl NewCrossing {
    /// The person this crossing belongs to.
    pub fn person_id(&self) -> PersonId {
        PersonId::for_document(self.country, &self.document)
    }

    /// The crossing with an id derived from its content: a UUIDv7 of its instant whose random
    /// bits are a digest of every other field. For rows that arrive without an id (a CSV from a
    /// system that mints none), so that importing the same rows twice stores them once.
    pub fn with_content_id(mut self) -> NewCrossing {
        let digest = self.digest(false);
        let mut random = [0u8; 10];
        random.copy_from_slice(&digest[..10]);
        let millis = u64::try_from(self.occurred_at.timestamp_millis()).unwrap_or(0);
        self.id = CrossingId(uuid::Builder::from_unix_timestamp_millis(millis, &random).into_uuid());
        self
    }

    /// A digest of every field, to tell a re-sent crossing from a different one with the same id.
    pub fn fingerprint(&self) -> String {
        // 128 bits tell apart two contents sent under one id; the full 256 would only cost space.
        hex::encode(&self.digest(true)[..16])
    }

    /// BLAKE3 over every field (and the id, if asked), each length-prefixed so that no two
    /// crossings share an encoding; dates go in as fixed-width numbers. The order and spelling of the fields are part of the stored
    /// data's meaning: change them only with a migration of the stored fingerprints.
    fn digest(&self, with_id: bool) -> [u8; 32] {
        fn opt(v: Option<&str>) -> &str {
            v.unwrap_or("\u{0}")
        }
        /// A date as year, month and day (0 when unknown); all zeros when there is none.
        fn date(ymd: Option<(i32, u32, u32)>) -> [u8; 8] {
            let (y, m, d) = ymd.unwrap_or((0, 0, 0));
            let mut out = [0u8; 8];
            out[..4].copy_from_slice(&y.to_be_bytes());
            out[4..6].copy_from_slice(&(m as u16).to_be_bytes());
            out[6..].copy_from_slice(&(d as u16).to_be_bytes());
            out
        }
        // The fields go into one buffer hashed at once: the same digest as feeding them one by
        // one, at a fraction of the cost for fields this short.
        let mut buf: Vec<u8> = Vec::with_capacity(512);
        let mut put = |bytes: &[u8]| {
            buf.extend_from_slice(&(bytes.len() as u32).to_be_bytes());
            buf.extend_from_slice(bytes);
        };
        if with_id {
            put(self.id.0.as_bytes());
        }
        put(self.port_id.as_str().as_bytes());
        put(self.country.as_str().as_bytes());
        put(self.direction.as_str().as_bytes());
        put(self.category.as_str().as_bytes());
        put(opt(self.purpose.map(Purpose::as_str)).as_bytes());
        put(opt(self.transport_mode.map(TransportMode::as_str)).as_bytes());
        put(&self.permitted_stay.map_or(0, PermittedStay::days).to_be_bytes());
        put(&self.occurred_at.timestamp_micros().to_be_bytes());
        let d = &self.document;
        put(d.kind.as_str().as_bytes());
        put(d.number.as_str().as_bytes());
        put(d.issuing_state.as_str().as_bytes());
        put(&date(d.expiry_date.map(|e| (e.year(), e.month(), e.day()))));
        put(opt(d.mrz_format.map(crate::mrz::MrzFormat::as_str)).as_bytes());
        let p = &self.person;
        put(p.name.given_names.as_bytes());
        put(p.name.first_surname.as_bytes());
        put(opt(p.name.second_surname.as_deref()).as_bytes());
        put(p.sex.code().as_bytes());
        put(&date(p.birth_date.map(|b| (b.year(), b.month().unwrap_or(0), b.day().unwrap_or(0)))));
        put(p.nationality.as_str().as_bytes());
        *blake3::hash(&buf).as_bytes()
    }
}

/// Who recorded a crossing, where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Provenance {
    /// The user name of the officer (or `cli:…` for imports).
    pub recorded_by: String,
    /// The node that recorded it.
    pub node_id: String,
    /// When it was stored, in UTC.
    pub recorded_at: DateTime<Utc>,
    /// Milliseconds from opening the counter's form to recording, where a counter measured it:
    /// the processing time supervisors watch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub processing_ms: Option<u32>,
}

/// The longest processing time kept, in milliseconds: a form open for a day measures nothing.
pub const MAX_PROCESSING_MS: u32 = 86_400_000;

impl Provenance {
    /// A processing time in milliseconds, 0 to [`MAX_PROCESSING_MS`].
    pub fn parse_processing_ms(ms: i64) -> Result<u32, ValidationError> {
        u32::try_from(ms).ok().filter(|ms| *ms <= MAX_PROCESSING_MS).ok_or_else(|| {
            ValidationError::new(
                "processing_ms",
                Rule::OutOfRange { min: 0, max: i64::from(MAX_PROCESSING_MS) },
            )
        })
    }
}

/// A stored crossing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Crossing {
    /// Its id (UUIDv7).
    pub id: CrossingId,
    /// The port.
    pub port_id: PortId,
    /// The country that runs the port and holds the record.
    pub country: CountryCode,
    /// Entry or exit.
    pub direction: Direction,
    /// The traveller's category.
    pub category: Category,
    /// Why they cross.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purpose: Option<Purpose>,
    /// How they cross.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transport_mode: Option<TransportMode>,
    /// Days granted at entry.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub permitted_stay_days: Option<u16>,
    /// When, in UTC.
    pub occurred_at: DateTime<Utc>,
    /// The person's id on this node.
    pub person_id: PersonId,
    /// The traveller as the document names them.
    pub person: Person,
    /// The document shown.
    pub document: TravelDocument,
    /// Who recorded it, where, when.
    #[serde(flatten)]
    pub provenance: Provenance,
}

impl Crossing {
    /// The stored form of a new crossing.
    pub fn from_new(new: NewCrossing, provenance: Provenance) -> Crossing {
        Crossing {
            id: new.id,
            person_id: new.person_id(),
            port_id: new.port_id,
            country: new.country,
            direction: new.direction,
            category: new.category,
            purpose: new.purpose,
            transport_mode: new.transport_mode,
            permitted_stay_days: new.permitted_stay.map(PermittedStay::days),
            occurred_at: new.occurred_at,
            person: new.person,
            document: new.document,
            provenance,
        }
    }
}

/// A document as typed at a counter, before parsing.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DocumentDraft {
    /// `passport`, `id_card`, `visa`, `border_card` or `other`.
    pub kind: Option<String>,
    /// The number.
    pub number: Option<String>,
    /// The issuing state's code.
    pub issuing_state: Option<String>,
    /// Expiry date, `YYYY-MM-DD`.
    pub expiry_date: Option<String>,
}

/// A person as typed at a counter, before parsing.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonDraft {
    /// Given names.
    pub given_names: Option<String>,
    /// First (or only) surname.
    pub first_surname: Option<String>,
    /// Second surname.
    pub second_surname: Option<String>,
    /// `F`, `M` or `X`.
    pub sex: Option<String>,
    /// `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
    pub birth_date: Option<String>,
    /// Nationality code.
    pub nationality: Option<String>,
}

/// A crossing as it arrives from a form, the API or a CSV row, before parsing.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CrossingDraft {
    /// A client-minted UUIDv7; minted here when absent.
    pub id: Option<String>,
    /// The port's id.
    pub port_id: Option<String>,
    /// `entry` or `exit`.
    pub direction: Option<String>,
    /// The traveller's category.
    pub category: Option<String>,
    /// Why they cross.
    pub purpose: Option<String>,
    /// How they cross.
    pub transport_mode: Option<String>,
    /// Days granted at entry (1–365).
    pub permitted_stay_days: Option<i64>,
    /// RFC 3339; now when absent.
    pub occurred_at: Option<String>,
    /// The MRZ lines of the document.
    pub mrz: Option<Vec<String>>,
    /// The document, for documents without an MRZ.
    pub document: Option<DocumentDraft>,
    /// The person, for documents without an MRZ.
    pub person: Option<PersonDraft>,
    /// Milliseconds from opening the counter's form to recording, as the counter measured them
    /// (0 to 86 400 000).
    #[serde(default)]
    pub processing_ms: Option<i64>,
    /// Where a border worker is going (a state or district, ISO 3166-2: `MX-ROO`, `BZ-CZL`);
    /// their permits are checked there. Default: the port's own.
    #[serde(default)]
    pub destination: Option<String>,
}

/// How far ahead of the node's clock a crossing may be stamped (reader and post clocks drift).
const CLOCK_SKEW: Duration = Duration::minutes(5);

fn required<'a>(value: &'a Option<String>, field: &str) -> Result<&'a str, ValidationError> {
    match value.as_deref().map(str::trim) {
        Some(v) if !v.is_empty() => Ok(v),
        _ => Err(ValidationError::new(field, Rule::Required)),
    }
}

fn optional(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

fn with_field<T>(result: Result<T, Rule>, field: &str) -> Result<T, ValidationError> {
    result.map_err(|r| ValidationError::new(field, r))
}

impl DocumentDraft {
    /// Parse the typed document.
    pub fn parse(&self) -> Result<TravelDocument, ValidationError> {
        let kind = with_field(DocumentKind::parse(required(&self.kind, "document.kind")?), "document.kind")?;
        let number =
            with_field(DocumentNumber::parse(required(&self.number, "document.number")?), "document.number")?;
        let issuing_state = CountryCode::parse_field(
            required(&self.issuing_state, "document.issuing_state")?,
            "document.issuing_state",
        )?;
        let expiry_date = optional(&self.expiry_date)
            .map(|d| {
                NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| {
                    ValidationError::new("document.expiry_date", Rule::NotADate { format: "YYYY-MM-DD" })
                })
            })
            .transpose()?;
        Ok(TravelDocument { kind, number, issuing_state, expiry_date, mrz_format: None })
    }
}

impl PersonDraft {
    /// Parse the typed person; `today` bounds the birth date.
    pub fn parse(&self, today: NaiveDate) -> Result<Person, ValidationError> {
        let name = PersonName::parse(
            self.given_names.as_deref().unwrap_or(""),
            self.first_surname.as_deref().unwrap_or(""),
            self.second_surname.as_deref(),
        )
        .map_err(|e| e.within("person"))?;
        let sex = with_field(Sex::parse(required(&self.sex, "person.sex")?), "person.sex")?;
        let birth_date = optional(&self.birth_date)
            .map(|d| with_field(PartialDate::parse(d), "person.birth_date"))
            .transpose()?;
        if birth_date.is_some_and(|b| b.is_after(today)) {
            return Err(ValidationError::new("person.birth_date", Rule::InFuture));
        }
        let nationality = CountryCode::parse_field(
            required(&self.nationality, "person.nationality")?,
            "person.nationality",
        )?;
        Ok(Person { name, sex, birth_date, nationality })
    }
}

impl CrossingDraft {
    /// Where the traveller is going: the destination given (a subdivision of the port's
    /// country), else the port's own subdivision, if it has one.
    pub fn destination_region(&self, port: &Port) -> Result<Option<&'static str>, ValidationError> {
        let Some(given) = optional(&self.destination) else {
            return Ok(port.region.as_deref().and_then(|r| crate::labour::parse_region(r).ok()));
        };
        let region =
            crate::labour::parse_region(given).map_err(|r| ValidationError::new("destination", r))?;
        let alpha2 = port.country.info().map_or(port.country.as_str(), |i| i.alpha2);
        if !region.starts_with(alpha2) {
            return Err(ValidationError::refused(
                "destination",
                format!("not a subdivision of {}", port.country),
                format!("no es una subdivisión de {}", port.country),
            ));
        }
        Ok(Some(region))
    }

    /// Parse every field against the node's ports and clock; the first broken rule is returned,
    /// naming its field.
    pub fn parse(&self, ports: &PortRegistry, now: DateTime<Utc>) -> Result<NewCrossing, ValidationError> {
        let today = now.date_naive();
        let id = match optional(&self.id) {
            Some(id) => with_field(CrossingId::parse(id), "id")?,
            None => CrossingId::mint(),
        };
        let port = ports.resolve(required(&self.port_id, "port_id")?, "port_id")?;
        let direction = with_field(Direction::parse(required(&self.direction, "direction")?), "direction")?;
        let category = with_field(Category::parse(required(&self.category, "category")?), "category")?;
        match (direction, category) {
            (Direction::Exit, Category::ReturningNational) => {
                return Err(ValidationError::new(
                    "category",
                    Rule::NotAllowedWith { other: "direction exit" },
                ));
            }
            (Direction::Entry, Category::DepartingNational) => {
                return Err(ValidationError::new(
                    "category",
                    Rule::NotAllowedWith { other: "direction entry" },
                ));
            }
            _ => {}
        }
        self.destination_region(port)?;
        let purpose =
            optional(&self.purpose).map(|p| with_field(Purpose::parse(p), "purpose")).transpose()?;
        let transport_mode = optional(&self.transport_mode)
            .map(|t| with_field(TransportMode::parse(t), "transport_mode"))
            .transpose()?;
        let permitted_stay = self
            .permitted_stay_days
            .map(|d| with_field(PermittedStay::parse(d), "permitted_stay_days"))
            .transpose()?;
        if permitted_stay.is_some() && direction == Direction::Exit {
            return Err(ValidationError::new(
                "permitted_stay_days",
                Rule::NotAllowedWith { other: "direction exit" },
            ));
        }
        // A re-sent crossing without `occurred_at` must fingerprint the same as the first send, so
        // the default is the instant inside a client-minted UUIDv7, and now only for a fresh id.
        let occurred_at = match (optional(&self.occurred_at), optional(&self.id)) {
            (Some(t), _) => DateTime::parse_from_rfc3339(t)
                .map_err(|_| ValidationError::new("occurred_at", Rule::NotATimestamp))?
                .with_timezone(&Utc),
            (None, Some(_)) => id.instant().unwrap_or(now),
            (None, None) => now,
        };
        if occurred_at > now + CLOCK_SKEW {
            return Err(ValidationError::new("occurred_at", Rule::InFuture));
        }
        let (document, person) = match (&self.mrz, &self.document, &self.person) {
            (Some(lines), None, None) => {
                let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
                let zone = mrz::parse(&lines)
                    .map_err(|e| ValidationError::new("mrz", Rule::NotAnMrz { reason: e }))?;
                zone.to_document_and_person(today)?
            }
            (None, Some(doc), Some(person)) => {
                let document = doc.parse()?;
                let person = person.parse(today)?;
                (document, person)
            }
            (None, None, _) => return Err(ValidationError::new("document", Rule::MrzOrDocument)),
            (None, Some(_), None) => return Err(ValidationError::new("person", Rule::Required)),
            (Some(_), _, _) => return Err(ValidationError::new("mrz", Rule::MrzOrDocument)),
        };
        if let (Some(birth), Some(expiry)) =
            (person.birth_date.and_then(|b| b.earliest()), document.expiry_date)
            && expiry < birth
        {
            return Err(ValidationError::new("document.expiry_date", Rule::ExpiryBeforeBirth));
        }
        Ok(NewCrossing {
            id,
            port_id: port.id.clone(),
            country: port.country,
            direction,
            category,
            purpose,
            transport_mode,
            permitted_stay,
            occurred_at,
            document,
            person,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-27T15:00:00Z").unwrap().with_timezone(&Utc)
    }

    fn typed() -> CrossingDraft {
        CrossingDraft {
            port_id: Some("bz-santa-elena".into()),
            direction: Some("entry".into()),
            category: Some("visitor".into()),
            document: Some(DocumentDraft {
                kind: Some("passport".into()),
                number: Some("G12345678".into()),
                issuing_state: Some("MEX".into()),
                expiry_date: Some("2030-05-01".into()),
            }),
            person: Some(PersonDraft {
                given_names: Some("María José".into()),
                first_surname: Some("Hernández".into()),
                second_surname: Some("Canché".into()),
                sex: Some("F".into()),
                birth_date: Some("1988-03-14".into()),
                nationality: Some("MEX".into()),
            }),
            ..CrossingDraft::default()
        }
    }

    fn field_and_rule(draft: &CrossingDraft) -> (String, &'static str) {
        let err = draft.parse(&PortRegistry::builtin(), now()).unwrap_err();
        (err.field, err.rule.code())
    }

    #[test]
    fn a_typed_crossing_parses_and_belongs_to_the_ports_country() {
        let c = typed().parse(&PortRegistry::builtin(), now()).unwrap();
        assert_eq!(c.country, CountryCode::BLZ);
        assert_eq!(c.person.name.second_surname.as_deref(), Some("Canché"));
        assert_eq!(c.occurred_at, now());
        assert_eq!(c.id.0.get_version_num(), 7);
    }

    #[test]
    fn the_fingerprint_changes_with_any_field_and_only_then() {
        let a = typed().parse(&PortRegistry::builtin(), now()).unwrap();
        let mut b = a.clone();
        assert_eq!(a.fingerprint(), b.fingerprint());
        b.person.name.second_surname = None;
        assert_ne!(a.fingerprint(), b.fingerprint());
        let mut c = a.clone();
        c.occurred_at += Duration::microseconds(1);
        assert_ne!(a.fingerprint(), c.fingerprint());
        let mut d = a.clone();
        d.permitted_stay = Some(PermittedStay::parse(30).unwrap());
        assert_ne!(a.fingerprint(), d.fingerprint());
        assert_eq!(a.clone().with_content_id().id, a.with_content_id().id);
    }

    #[test]
    fn the_same_document_gives_the_same_person_in_one_country_only() {
        let a = typed().parse(&PortRegistry::builtin(), now()).unwrap();
        let mut other = typed();
        other.port_id = Some("mx-subteniente-lopez".into());
        let b = other.parse(&PortRegistry::builtin(), now()).unwrap();
        let again = typed().parse(&PortRegistry::builtin(), now()).unwrap();
        assert_eq!(a.person_id(), again.person_id());
        assert_ne!(a.person_id(), b.person_id());
    }

    #[test]
    fn each_bad_input_names_its_field_and_rule() {
        let mut d = typed();
        d.port_id = Some("nowhere".into());
        assert_eq!(field_and_rule(&d), ("port_id".into(), "unknown_port"));

        let mut d = typed();
        d.person.as_mut().unwrap().birth_date = Some("2030-01-01".into());
        assert_eq!(field_and_rule(&d), ("person.birth_date".into(), "in_future"));

        let mut d = typed();
        d.document.as_mut().unwrap().expiry_date = Some("1980-01-01".into());
        assert_eq!(field_and_rule(&d), ("document.expiry_date".into(), "expiry_before_birth"));

        let mut d = typed();
        d.direction = Some("sideways".into());
        assert_eq!(field_and_rule(&d), ("direction".into(), "one_of"));

        let mut d = typed();
        d.occurred_at = Some("2026-11-28T15:00:00Z".into());
        assert_eq!(field_and_rule(&d), ("occurred_at".into(), "in_future"));

        let mut d = typed();
        d.id = Some("not-a-uuid".into());
        assert_eq!(field_and_rule(&d), ("id".into(), "not_a_uuid"));

        let mut d = typed();
        d.direction = Some("exit".into());
        d.permitted_stay_days = Some(30);
        assert_eq!(field_and_rule(&d), ("permitted_stay_days".into(), "not_allowed_with"));

        let mut d = typed();
        d.mrz = Some(vec!["P<".into()]);
        assert_eq!(field_and_rule(&d), ("mrz".into(), "mrz_or_document"));

        let mut d = typed();
        d.person.as_mut().unwrap().first_surname = None;
        assert_eq!(field_and_rule(&d), ("person.first_surname".into(), "required"));
    }

    #[test]
    fn an_mrz_with_a_wrong_check_digit_is_refused_naming_the_check() {
        let d = CrossingDraft {
            port_id: Some("mx-subteniente-lopez".into()),
            direction: Some("entry".into()),
            category: Some("visitor".into()),
            mrz: Some(vec![
                "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<".into(),
                "L898902C37UTO7408122F1204159ZE184226B<<<<<10".into(),
            ]),
            ..CrossingDraft::default()
        };
        let err = d.parse(&PortRegistry::builtin(), now()).unwrap_err();
        assert_eq!(err.field, "mrz");
        assert_eq!(err.rule, Rule::CheckDigit { checks: vec!["document_number".into(), "composite".into()] });
    }
}
