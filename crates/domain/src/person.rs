//! Persons as their documents name them: given names, first and second surname, sex, a birth date
//! that may be partial (year only, or year and month), nationality.

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::country::CountryCode;
use crate::error::{Rule, ValidationError};

/// The id of a person on a node.
///
/// A person is identified by the country that holds the record and the document they travel on;
/// the id is derived from both (UUIDv5), so that a post and its hub agree on it without talking.
/// Linking the same person across documents or countries is record linkage, not identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, format = Uuid))]
pub struct PersonId(pub Uuid);

impl fmt::Display for PersonId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Sex as a travel document records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Sex {
    /// `F`.
    #[serde(rename = "F")]
    Female,
    /// `M`.
    #[serde(rename = "M")]
    Male,
    /// `X` (or `<` in an MRZ): unspecified.
    #[serde(rename = "X")]
    Unspecified,
}

impl Sex {
    /// Parse `F`, `M`, `X` (or `<`).
    pub fn parse(text: &str) -> Result<Sex, Rule> {
        match text.trim().to_ascii_uppercase().as_str() {
            "F" => Ok(Sex::Female),
            "M" => Ok(Sex::Male),
            "X" | "<" => Ok(Sex::Unspecified),
            _ => Err(Rule::OneOf { allowed: &["F", "M", "X"] }),
        }
    }

    /// `F`, `M` or `X`.
    pub fn code(self) -> &'static str {
        match self {
            Sex::Female => "F",
            Sex::Male => "M",
            Sex::Unspecified => "X",
        }
    }
}

/// A date of which the month and day may be unknown, as MRZs and alert lists allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PartialDate {
    year: i32,
    month: Option<u32>,
    day: Option<u32>,
}

impl PartialDate {
    /// A full date.
    pub fn full(date: NaiveDate) -> PartialDate {
        PartialDate { year: date.year(), month: Some(date.month()), day: Some(date.day()) }
    }

    /// A date of which only the year (and maybe the month) is known; `None` where the parts do not
    /// form a date.
    pub fn from_parts(year: i32, month: Option<u32>, day: Option<u32>) -> Option<PartialDate> {
        match (month, day) {
            (None, Some(_)) => None,
            (None, None) => (1..=9999).contains(&year).then_some(PartialDate { year, month, day }),
            (Some(m), None) => NaiveDate::from_ymd_opt(year, m, 1).map(|_| PartialDate { year, month, day }),
            (Some(m), Some(d)) => NaiveDate::from_ymd_opt(year, m, d).map(PartialDate::full),
        }
    }

    /// Parse `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Result<PartialDate, Rule> {
        let text = text.trim();
        if text.is_empty() {
            return Err(Rule::Required);
        }
        let bad = || Rule::NotADate { format: "YYYY-MM-DD, YYYY-MM or YYYY" };
        let mut parts = text.split('-');
        let mut num = |len: usize| -> Result<Option<u32>, Rule> {
            match parts.next() {
                None => Ok(None),
                Some(p) if p.len() == len && p.bytes().all(|b| b.is_ascii_digit()) => {
                    p.parse().map(Some).map_err(|_| bad())
                }
                Some(_) => Err(bad()),
            }
        };
        let year = num(4)?.ok_or_else(bad)?;
        let month = num(2)?;
        let day = num(2)?;
        if parts.next().is_some() {
            return Err(bad());
        }
        PartialDate::from_parts(year as i32, month, day).ok_or_else(bad)
    }

    /// The year.
    pub fn year(&self) -> i32 {
        self.year
    }

    /// The month, when known.
    pub fn month(&self) -> Option<u32> {
        self.month
    }

    /// The day, when known.
    pub fn day(&self) -> Option<u32> {
        self.day
    }

    /// The full date, when day and month are known.
    pub fn as_date(&self) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.year, self.month?, self.day?)
    }

    /// The earliest day this date may stand for.
    pub fn earliest(&self) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
    }

    /// Whether every day it may stand for lies after `today`.
    pub fn is_after(&self, today: NaiveDate) -> bool {
        self.earliest().is_some_and(|d| d > today)
    }
}

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for PartialDate {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .pattern(Some(r"^\d{4}(-\d{2}(-\d{2})?)?$"))
            .description(Some("A date that may be partial: YYYY-MM-DD, YYYY-MM or YYYY"))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for PartialDate {}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
            if let Some(d) = self.day {
                write!(f, "-{d:02}")?;
            }
        }
        Ok(())
    }
}

impl TryFrom<String> for PartialDate {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        PartialDate::parse(&value).map_err(|r| r.message_en())
    }
}

impl From<PartialDate> for String {
    fn from(value: PartialDate) -> Self {
        value.to_string()
    }
}

/// Names as a document carries them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonName {
    /// Given names, space-separated; may be empty (some documents carry none).
    pub given_names: String,
    /// The first (or only) surname.
    pub first_surname: String,
    /// The second surname, where the person carries one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub second_surname: Option<String>,
}

/// Particles that begin a compound surname and never stand alone (`DE LA CRUZ`, `DEL VALLE`).
const SURNAME_PARTICLES: &[&str] =
    &["DE", "DEL", "LA", "LAS", "LOS", "Y", "SAN", "SANTA", "VAN", "VON", "DA", "DOS", "MC", "MAC"];

/// Nationalities whose documents put both surnames in the primary identifier.
const TWO_SURNAME_STATES: &[&str] = &[
    "MEX", "GTM", "HND", "SLV", "NIC", "CRI", "PAN", "COL", "VEN", "ECU", "PER", "BOL", "CHL", "ARG", "URY",
    "PRY", "ESP", "CUB", "DOM",
];

fn clean_name(text: &str, field: &str, required: bool) -> Result<String, ValidationError> {
    let tidy = !text.starts_with(' ')
        && !text.ends_with(' ')
        && !text.contains("  ")
        && !text.contains(|c: char| c.is_whitespace() && c != ' ');
    let text = if tidy { text.to_string() } else { text.split_whitespace().collect::<Vec<_>>().join(" ") };
    if text.is_empty() {
        return if required { Err(ValidationError::new(field, Rule::Required)) } else { Ok(text) };
    }
    if text.chars().count() > 100 {
        return Err(ValidationError::new(field, Rule::TooLong { max: 100 }));
    }
    if !text.chars().all(|c| c.is_alphabetic() || matches!(c, ' ' | '-' | '\'' | '.')) {
        return Err(ValidationError::new(
            field,
            Rule::Charset { allowed: "letters, spaces, '-', apostrophes and '.'" },
        ));
    }
    Ok(text)
}

/// Letters that canonical decomposition leaves whole, and what a name search reads for them (as
/// ICAO 9303 transliterates them in an MRZ).
const FOLD_WHOLE: &[(char, &str)] = &[
    ('ß', "SS"),
    ('Æ', "AE"),
    ('æ', "AE"),
    ('Ø', "O"),
    ('ø', "O"),
    ('Œ', "OE"),
    ('œ', "OE"),
    ('Ł', "L"),
    ('ł', "L"),
    ('Đ', "D"),
    ('đ', "D"),
    ('Þ', "TH"),
    ('þ', "TH"),
    ('ı', "I"),
];

/// A name as a search compares it: accents and case dropped (`Peña` → `PENA`), letters that do not
/// decompose transliterated as ICAO 9303 does (`ß` → `SS`), every run of anything but letters and
/// digits (spaces, hyphens, apostrophes, the MRZ filler `<`) made one space.
pub fn fold_name(text: &str) -> String {
    if !text.is_ascii() {
        return fold_unicode(text);
    }
    // Nothing to decompose or transliterate: the same rules, a byte at a time.
    let mut out = String::with_capacity(text.len());
    let mut gap = false;
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() {
            if gap && !out.is_empty() {
                out.push(' ');
            }
            gap = false;
            out.push(char::from(b.to_ascii_uppercase()));
        } else {
            gap = true;
        }
    }
    out
}

/// [`fold_name`] for any text.
fn fold_unicode(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    use unicode_normalization::char::is_combining_mark;
    let mut out = String::with_capacity(text.len());
    let mut gap = false;
    for c in text.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        if c.is_alphanumeric() {
            if gap && !out.is_empty() {
                out.push(' ');
            }
            gap = false;
            match FOLD_WHOLE.iter().find(|(from, _)| *from == c) {
                Some((_, to)) => out.push_str(to),
                None => out.extend(c.to_uppercase()),
            }
        } else {
            gap = true;
        }
    }
    out
}

impl PersonName {
    /// Parse names typed at a counter.
    pub fn parse(
        given_names: &str,
        first_surname: &str,
        second_surname: Option<&str>,
    ) -> Result<PersonName, ValidationError> {
        let given_names = clean_name(given_names, "given_names", false)?;
        let first_surname = clean_name(first_surname, "first_surname", true)?;
        let second_surname = match second_surname {
            Some(s) => Some(clean_name(s, "second_surname", false)?).filter(|s| !s.is_empty()),
            None => None,
        };
        Ok(PersonName { given_names, first_surname, second_surname })
    }

    /// The names of an MRZ primary identifier: where the nationality writes two surnames and the
    /// identifier holds exactly two (particles kept with the name they precede), they are split;
    /// otherwise the whole identifier is the first surname.
    pub fn from_mrz(primary: &str, secondary: &str, nationality: CountryCode) -> PersonName {
        let words: Vec<&str> = primary.split_whitespace().collect();
        let mut surnames: Vec<String> = Vec::new();
        let mut pending = String::new();
        for w in &words {
            if !pending.is_empty() {
                pending.push(' ');
            }
            pending.push_str(w);
            if !SURNAME_PARTICLES.contains(w) {
                surnames.push(std::mem::take(&mut pending));
            }
        }
        if !pending.is_empty() {
            surnames.push(pending);
        }
        let (first_surname, second_surname) =
            if TWO_SURNAME_STATES.contains(&nationality.as_str()) && surnames.len() == 2 {
                (surnames[0].clone(), Some(surnames[1].clone()))
            } else {
                (words.join(" "), None)
            };
        PersonName { given_names: secondary.to_string(), first_surname, second_surname }
    }

    /// The key a name search compares: given names and surnames folded by [`fold_name`], so
    /// that `Núñez`, `NUNEZ` and `nuñez` meet.
    pub fn search_key(&self) -> String {
        let mut key = fold_name(&self.given_names);
        for part in [Some(&self.first_surname), self.second_surname.as_ref()].into_iter().flatten() {
            let part = fold_name(part);
            if !part.is_empty() {
                if !key.is_empty() {
                    key.push(' ');
                }
                key.push_str(&part);
            }
        }
        key
    }

    /// All surnames, as one text.
    pub fn surnames(&self) -> String {
        match &self.second_surname {
            Some(second) => format!("{} {}", self.first_surname, second),
            None => self.first_surname.clone(),
        }
    }
}

/// A person as recorded at a crossing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Person {
    /// The names.
    #[serde(flatten)]
    pub name: PersonName,
    /// Sex.
    pub sex: Sex,
    /// Birth date, possibly partial.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<PartialDate>,
    /// Nationality (ISO 3166-1 alpha-3 or ICAO code).
    pub nationality: CountryCode,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_dates_parse_and_print_as_written() {
        for text in ["1974", "1974-08", "1974-08-12"] {
            assert_eq!(PartialDate::parse(text).unwrap().to_string(), text);
        }
        for bad in ["74", "1974-13", "1974-02-30", "1974-8-1", "1974-08-12-01", "abcd"] {
            assert!(matches!(PartialDate::parse(bad), Err(Rule::NotADate { .. })), "{bad}");
        }
        let today = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        assert!(PartialDate::parse("2027").unwrap().is_after(today));
        assert!(!PartialDate::parse("2026").unwrap().is_after(today));
    }

    #[test]
    fn mrz_names_split_two_surnames_for_hispanic_nationalities_only() {
        let n = PersonName::from_mrz("GARCIA LOPEZ", "MARIA JOSE", CountryCode::MEX);
        assert_eq!((n.first_surname.as_str(), n.second_surname.as_deref()), ("GARCIA", Some("LOPEZ")));
        let n = PersonName::from_mrz("DE LA CRUZ CHAN", "ANA", CountryCode::MEX);
        assert_eq!((n.first_surname.as_str(), n.second_surname.as_deref()), ("DE LA CRUZ", Some("CHAN")));
        let n = PersonName::from_mrz("YOUNG GILLETT", "JOHN", CountryCode::BLZ);
        assert_eq!((n.first_surname.as_str(), n.second_surname), ("YOUNG GILLETT", None));
    }

    #[test]
    fn names_fold_without_accents_case_or_punctuation() {
        assert_eq!(fold_name("  Núñez-Peña  d'Ávila "), "NUNEZ PENA D AVILA");
        assert_eq!(fold_name("GARCIA<<LOPEZ"), "GARCIA LOPEZ");
        assert_eq!(fold_name("Strauß Øster"), "STRAUSS OSTER");
        assert_eq!(fold_name("çãé ü"), "CAE U");
        assert_eq!(fold_name("-'."), "");
    }

    #[test]
    fn folding_ascii_a_byte_at_a_time_agrees_with_the_unicode_rules() {
        // Every printable ASCII character, in runs of every length up to 3, at both ends.
        let printable: Vec<char> = (0x20u8..0x7f).map(char::from).collect();
        for a in &printable {
            for b in &printable {
                for text in [format!("{a}"), format!("{a}{b}"), format!("x{a}{b}Y"), format!("{a}o{b}")] {
                    assert_eq!(fold_name(&text), fold_unicode(&text), "{text:?}");
                }
            }
        }
        let typed = PersonName::parse("José María", "Núñez", Some("de la Peña")).unwrap();
        let scanned = PersonName::from_mrz("NUNEZ DE LA PENA", "JOSE MARIA", CountryCode::MEX);
        assert_eq!(typed.search_key(), "JOSE MARIA NUNEZ DE LA PENA");
        assert_eq!(typed.search_key(), scanned.search_key());
        assert_eq!(PersonName::parse("", "Chan", None).unwrap().search_key(), "CHAN");
    }

    #[test]
    fn typed_names_are_checked() {
        assert_eq!(PersonName::parse("Ana", "", None).unwrap_err().field, "first_surname");
        assert!(matches!(PersonName::parse("Ana1", "Pech", None).unwrap_err().rule, Rule::Charset { .. }));
        let n = PersonName::parse("  José  María ", "Núñez", Some("")).unwrap();
        assert_eq!(n.given_names, "José María");
        assert_eq!(n.second_surname, None);
    }
}
