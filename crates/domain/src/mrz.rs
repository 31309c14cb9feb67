//! The machine-readable zone of ICAO Doc 9303 travel documents.
//!
//! A border counter reads the MRZ with a document reader that types it like a keyboard, so this
//! parser is the first thing hostile or damaged input meets: it never panics, never indexes past
//! a line, and separates "this is not an MRZ" (wrong shape or characters) from "this is an MRZ
//! whose check digits fail" (a misread, a forgery, or a corrupted chip copy), which the officer
//! must see named.
//!
//! Five formats: TD1 (3 × 30, identity cards), TD2 (2 × 36), TD3 (2 × 44, passports), and the
//! visas MRV-A (2 × 44) and MRV-B (2 × 36).

use std::borrow::Cow;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::country::CountryCode;
pub use crate::document::MrzFormat;
use crate::document::{DocumentKind, DocumentNumber, TravelDocument};
pub use crate::error::NotAnMrz;
use crate::error::{Rule, ValidationError};
use crate::person::{PartialDate, Person, PersonName, Sex};

/// A check digit of the zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Check {
    /// The document number's check digit.
    DocumentNumber,
    /// The birth date's check digit.
    BirthDate,
    /// The expiry date's check digit.
    ExpiryDate,
    /// The optional data's (personal number's) check digit, TD3 only.
    OptionalData,
    /// The composite check digit over the whole zone (TD1, TD2, TD3).
    Composite,
}

impl Check {
    /// The check's name as printed.
    pub fn as_str(self) -> &'static str {
        match self {
            Check::DocumentNumber => "document_number",
            Check::BirthDate => "birth_date",
            Check::ExpiryDate => "expiry_date",
            Check::OptionalData => "optional_data",
            Check::Composite => "composite",
        }
    }
}

/// A field whose content breaks its own rule (a birth date that is not a date, an unknown sex).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum BadField {
    /// Birth date is not YYMMDD (with `<` for an unknown month or day).
    BirthDate,
    /// Expiry date is not YYMMDD.
    ExpiryDate,
    /// Sex is not `F`, `M`, `X` or `<`.
    Sex,
    /// The primary identifier (surname) is empty.
    Surname,
    /// The document number is empty.
    DocumentNumber,
}

/// A parsed MRZ: its fields as printed (fillers removed, dates as `YYMMDD`) and its checks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Mrz {
    /// The layout.
    pub format: MrzFormat,
    /// The document code (`P`, `I`, `AC`, `V`, …).
    pub document_code: String,
    /// The issuing state or organisation, as its code.
    pub issuing_state: String,
    /// The primary identifier, words separated by spaces.
    pub surname: String,
    /// The secondary identifier, words separated by spaces.
    pub given_names: String,
    /// Whether the name filled its field to the last character and may have been truncated.
    pub name_truncated: bool,
    /// The document number.
    pub document_number: String,
    /// The holder's nationality code.
    pub nationality: String,
    /// Birth date as printed, `YYMMDD`, `<` for unknown parts.
    pub birth_date: String,
    /// `F`, `M` or `X`.
    pub sex: String,
    /// Expiry date as printed, `YYMMDD`.
    pub expiry_date: String,
    /// Optional data (TD3: personal number; TD1: line 1's optional data).
    pub optional_data: String,
    /// TD1 only: line 2's optional data.
    #[serde(skip_serializing_if = "String::is_empty", default)]
    pub optional_data_2: String,
    /// Whether every check digit matches and every field is well-formed.
    pub valid: bool,
    /// The checks that failed, in the order of the zone.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub failed_checks: Vec<Check>,
    /// The fields whose content is malformed.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub bad_fields: Vec<BadField>,
}

/// The value of an MRZ character in a check-digit sum (`<` = 0, `A` = 10 … `Z` = 35).
fn char_value(b: u8) -> u32 {
    match b {
        b'0'..=b'9' => u32::from(b - b'0'),
        b'A'..=b'Z' => u32::from(b - b'A') + 10,
        _ => 0,
    }
}

/// The ICAO check digit of `data` (weights 7, 3, 1 repeating, modulo 10).
pub fn check_digit(data: &[u8]) -> u8 {
    const WEIGHTS: [u32; 3] = [7, 3, 1];
    let sum: u32 = data.iter().enumerate().map(|(i, &b)| char_value(b) * WEIGHTS[i % 3]).sum();
    (sum % 10) as u8
}

/// The check digit of several fields read as one (the composite check), without copying them.
fn check_digit_of_parts(parts: &[&[u8]]) -> u8 {
    const WEIGHTS: [u32; 3] = [7, 3, 1];
    let mut sum = 0u32;
    let mut i = 0usize;
    for part in parts {
        for &b in *part {
            sum += char_value(b) * WEIGHTS[i % 3];
            i += 1;
        }
    }
    (sum % 10) as u8
}

fn digit_matches(parts: &[&[u8]], check: u8) -> bool {
    let expected = check_digit_of_parts(parts);
    match check {
        b'0'..=b'9' => check - b'0' == expected,
        b'<' => expected == 0 && parts.iter().all(|p| p.iter().all(|&b| b == b'<')),
        _ => false,
    }
}

/// Slices `line[a..b]`; the shape was checked before, so this never falls outside.
fn field(line: &[u8], a: usize, b: usize) -> &[u8] {
    line.get(a..b).unwrap_or(&[])
}

fn at(line: &[u8], i: usize) -> u8 {
    line.get(i).copied().unwrap_or(b'<')
}

/// A field's text: fillers at both ends dropped, fillers inside turned into spaces.
fn text(bytes: &[u8]) -> String {
    let start = bytes.iter().position(|&b| b != b'<').unwrap_or(bytes.len());
    let end = bytes.iter().rposition(|&b| b != b'<').map_or(start, |i| i + 1);
    let mut out = String::with_capacity(end - start);
    // Only A-Z, 0-9 and '<' reach here.
    out.extend(bytes[start..end].iter().map(|&b| if b == b'<' { ' ' } else { b as char }));
    out
}

fn raw(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Split the lines a reader typed or a user pasted: one argument per line, or one text with line
/// breaks, or the whole zone on one line.
fn split_lines<'a>(input: &[&'a str]) -> Result<Vec<Cow<'a, [u8]>>, NotAnMrz> {
    let mut lines: Vec<Cow<'a, [u8]>> = Vec::with_capacity(3);
    for chunk in input {
        for line in chunk.split(['\n', '\r']) {
            let line = line.trim().as_bytes();
            if line.is_empty() {
                continue;
            }
            if line.iter().any(u8::is_ascii_lowercase) {
                lines.push(Cow::Owned(line.to_ascii_uppercase()));
            } else {
                lines.push(Cow::Borrowed(line));
            }
        }
    }
    if lines.len() == 1 {
        let one = lines.remove(0);
        let width = match one.len() {
            90 => 30,
            72 => 36,
            88 => 44,
            chars => return Err(NotAnMrz::OneLine { chars }),
        };
        lines = one.chunks(width).map(|c| Cow::Owned(c.to_vec())).collect();
    }
    for (i, line) in lines.iter().enumerate() {
        if let Some(pos) =
            line.iter().position(|b| !(b.is_ascii_uppercase() || b.is_ascii_digit() || *b == b'<'))
        {
            let character = String::from_utf8_lossy(line).chars().nth(pos).unwrap_or('?');
            return Err(NotAnMrz::BadCharacter { line: i + 1, character, position: pos + 1 });
        }
    }
    Ok(lines)
}

fn detect(lines: &[Cow<'_, [u8]>]) -> Result<MrzFormat, NotAnMrz> {
    let visa = lines.first().is_some_and(|l| l.first() == Some(&b'V'));
    let len = |i: usize| lines.get(i).map_or(0, |l| l.len());
    match (lines.len(), len(0), len(1), len(2)) {
        (3, 30, 30, 30) => Ok(MrzFormat::Td1),
        (2, 36, 36, _) if visa => Ok(MrzFormat::MrvB),
        (2, 36, 36, _) => Ok(MrzFormat::Td2),
        (2, 44, 44, _) if visa => Ok(MrzFormat::MrvA),
        (2, 44, 44, _) => Ok(MrzFormat::Td3),
        _ => Err(NotAnMrz::Shape { lengths: lines.iter().map(|l| l.len()).collect() }),
    }
}

struct Checks {
    failed: Vec<Check>,
}

impl Checks {
    fn verify(&mut self, check: Check, data: &[u8], digit: u8) {
        self.verify_parts(check, &[data], digit);
    }

    fn verify_parts(&mut self, check: Check, parts: &[&[u8]], digit: u8) {
        if !digit_matches(parts, digit) {
            self.failed.push(check);
        }
    }
}

/// A document number with its check digit, possibly extended into the optional data (TD1 and
/// TD2 numbers longer than 9 characters put `<` in the check-digit position and continue there).
fn long_number<'a>(number: &'a [u8], digit: u8, optional: &'a [u8]) -> (Cow<'a, [u8]>, u8, &'a [u8]) {
    if digit == b'<' && optional.first().is_some_and(|&b| b != b'<') {
        let run = optional.iter().position(|&b| b == b'<').unwrap_or(optional.len());
        if run >= 1 {
            let mut full = number.to_vec();
            full.extend_from_slice(&optional[..run - 1]);
            return (Cow::Owned(full), optional[run - 1], &optional[run..]);
        }
    }
    (Cow::Borrowed(number), digit, optional)
}

/// Parse an MRZ given as its lines and verify every check digit.
///
/// `Err` when the text is not an MRZ; `Ok` with `valid: false` and the failed checks named when it
/// is one whose checks fail.
pub fn parse(input: &[&str]) -> Result<Mrz, NotAnMrz> {
    let lines = split_lines(input)?;
    let format = detect(&lines)?;
    let l1: &[u8] = lines.first().map_or(&[], |l| l.as_ref());
    let l2: &[u8] = lines.get(1).map_or(&[], |l| l.as_ref());
    let mut checks = Checks { failed: Vec::new() };

    let (document_code, issuing_state) = (text(field(l1, 0, 2)), text(field(l1, 2, 5)));
    let (name_field, number, nationality, birth, sex, expiry, optional, optional_2);
    match format {
        MrzFormat::Td1 => {
            let l3: &[u8] = lines.get(2).map_or(&[], |l| l.as_ref());
            name_field = l3;
            let (num, digit, opt) = long_number(field(l1, 5, 14), at(l1, 14), field(l1, 15, 30));
            checks.verify(Check::DocumentNumber, &num, digit);
            number = num;
            optional = opt;
            birth = field(l2, 0, 6);
            checks.verify(Check::BirthDate, birth, at(l2, 6));
            sex = at(l2, 7);
            expiry = field(l2, 8, 14);
            checks.verify(Check::ExpiryDate, expiry, at(l2, 14));
            nationality = field(l2, 15, 18);
            optional_2 = field(l2, 18, 29);
            let composite = [field(l1, 5, 30), field(l2, 0, 7), field(l2, 8, 15), field(l2, 18, 29)];
            checks.verify_parts(Check::Composite, &composite, at(l2, 29));
        }
        MrzFormat::Td2 | MrzFormat::Td3 | MrzFormat::MrvA | MrzFormat::MrvB => {
            let width = l1.len();
            name_field = field(l1, 5, width);
            let opt_end = match format {
                MrzFormat::Td2 => 35,
                MrzFormat::Td3 => 42,
                _ => width,
            };
            let (num, digit, opt) = if format == MrzFormat::Td2 {
                long_number(field(l2, 0, 9), at(l2, 9), field(l2, 28, opt_end))
            } else {
                (Cow::Borrowed(field(l2, 0, 9)), at(l2, 9), field(l2, 28, opt_end))
            };
            checks.verify(Check::DocumentNumber, &num, digit);
            number = num;
            nationality = field(l2, 10, 13);
            birth = field(l2, 13, 19);
            checks.verify(Check::BirthDate, birth, at(l2, 19));
            sex = at(l2, 20);
            expiry = field(l2, 21, 27);
            checks.verify(Check::ExpiryDate, expiry, at(l2, 27));
            optional = opt;
            optional_2 = &[];
            if format == MrzFormat::Td3 {
                checks.verify(Check::OptionalData, field(l2, 28, 42), at(l2, 42));
            }
            if matches!(format, MrzFormat::Td2 | MrzFormat::Td3) {
                let end = width - 1;
                let composite = [field(l2, 0, 10), field(l2, 13, 20), field(l2, 21, end)];
                checks.verify_parts(Check::Composite, &composite, at(l2, end));
            }
        }
    }

    let (surname, given_names, name_truncated) = names(name_field);
    let mut bad_fields = Vec::new();
    if !date_shape(birth, true) {
        bad_fields.push(BadField::BirthDate);
    }
    if !date_shape(expiry, false) {
        bad_fields.push(BadField::ExpiryDate);
    }
    if !matches!(sex, b'F' | b'M' | b'X' | b'<') {
        bad_fields.push(BadField::Sex);
    }
    if surname.is_empty() {
        bad_fields.push(BadField::Surname);
    }
    let mut document_number = text(&number);
    document_number.retain(|c| c != ' ');
    if document_number.is_empty() {
        bad_fields.push(BadField::DocumentNumber);
    }
    Ok(Mrz {
        format,
        document_code,
        issuing_state,
        surname,
        given_names,
        name_truncated,
        document_number,
        nationality: text(nationality),
        birth_date: raw(birth),
        sex: if sex == b'<' { "X".into() } else { (sex as char).to_string() },
        expiry_date: raw(expiry),
        optional_data: text(optional),
        optional_data_2: text(optional_2),
        valid: checks.failed.is_empty() && bad_fields.is_empty(),
        failed_checks: checks.failed,
        bad_fields,
    })
}

/// Surname, given names and whether the field was full to its last character.
fn names(field: &[u8]) -> (String, String, bool) {
    let truncated = field.last().is_some_and(|&b| b != b'<');
    let split = field.windows(2).position(|w| w == b"<<");
    match split {
        Some(i) => (text(&field[..i]), text(&field[i + 2..]), truncated),
        None => (text(field), String::new(), truncated),
    }
}

/// `YYMMDD`, where a birth date may leave the month and day (or the day) as `<<`.
fn date_shape(date: &[u8], partial_allowed: bool) -> bool {
    let digits = |s: &[u8]| s.iter().all(u8::is_ascii_digit);
    let unknown = |s: &[u8]| s == b"<<";
    if date.len() != 6 || !digits(&date[0..2]) {
        return false;
    }
    let (mm, dd) = (&date[2..4], &date[4..6]);
    if digits(mm) && digits(dd) {
        let two = |s: &[u8]| u32::from(s[0] - b'0') * 10 + u32::from(s[1] - b'0');
        return NaiveDate::from_ymd_opt(2000, two(mm), two(dd)).is_some();
    }
    partial_allowed && ((digits(mm) && unknown(dd)) || (unknown(mm) && unknown(dd)))
}

fn two_digits(s: &str) -> Option<u32> {
    s.get(0..2).and_then(|p| p.parse().ok())
}

/// Resolve an MRZ birth date (`YYMMDD`, possibly partial) to a date, choosing the century that
/// does not put it in the future.
pub fn resolve_birth_date(yymmdd: &str, today: NaiveDate) -> Option<PartialDate> {
    let yy = two_digits(yymmdd)? as i32;
    let century = if 2000 + yy > today.year() { 1900 } else { 2000 };
    let month = yymmdd.get(2..4).and_then(|m| m.parse().ok());
    let day = month.and(yymmdd.get(4..6).and_then(|d| d.parse().ok()));
    PartialDate::from_parts(century + yy, month, day)
}

/// Resolve an MRZ expiry date: this century, unless that lies more than 50 years ahead.
pub fn resolve_expiry_date(yymmdd: &str, today: NaiveDate) -> Option<NaiveDate> {
    let yy = two_digits(yymmdd)? as i32;
    let century = if 2000 + yy > today.year() + 50 { 1900 } else { 2000 };
    let month = yymmdd.get(2..4)?.parse().ok()?;
    let day = yymmdd.get(4..6)?.parse().ok()?;
    NaiveDate::from_ymd_opt(century + yy, month, day)
}

impl Mrz {
    /// The document and holder this zone describes, with dates resolved against `today`.
    ///
    /// Fails, naming the field `mrz`, when a check digit fails or a field is malformed or unknown.
    pub fn to_document_and_person(
        &self,
        today: NaiveDate,
    ) -> Result<(TravelDocument, Person), ValidationError> {
        let err = |rule| ValidationError::new("mrz", rule);
        if !self.failed_checks.is_empty() {
            return Err(err(Rule::CheckDigit {
                checks: self.failed_checks.iter().map(|c| c.as_str().to_string()).collect(),
            }));
        }
        if let Some(bad) = self.bad_fields.first() {
            let name = serde_json::to_value(bad).ok().and_then(|v| v.as_str().map(String::from));
            return Err(err(Rule::NotAnMrz {
                reason: NotAnMrz::MalformedField { field: name.unwrap_or_default() },
            }));
        }
        let issuing_state = CountryCode::parse(&self.issuing_state)
            .map_err(|r| ValidationError::new("mrz.issuing_state", r))?;
        let nationality =
            CountryCode::parse(&self.nationality).map_err(|r| ValidationError::new("mrz.nationality", r))?;
        let number = DocumentNumber::parse(&self.document_number)
            .map_err(|r| ValidationError::new("mrz.document_number", r))?;
        let birth_date = resolve_birth_date(&self.birth_date, today);
        if birth_date.is_some_and(|b| b.is_after(today)) {
            return Err(ValidationError::new("mrz.birth_date", Rule::InFuture));
        }
        let expiry_date = resolve_expiry_date(&self.expiry_date, today);
        if let (Some(b), Some(e)) = (birth_date.and_then(|b| b.earliest()), expiry_date)
            && e < b
        {
            return Err(ValidationError::new("mrz.expiry_date", Rule::ExpiryBeforeBirth));
        }
        let sex = Sex::parse(&self.sex).map_err(|r| ValidationError::new("mrz.sex", r))?;
        let document = TravelDocument {
            kind: DocumentKind::from_mrz_code(&self.document_code),
            number,
            issuing_state,
            expiry_date,
            mrz_format: Some(self.format),
        };
        let person = Person {
            name: PersonName::from_mrz(&self.surname, &self.given_names, nationality),
            sex,
            birth_date,
            nationality,
        };
        Ok((document, person))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Lang;

    const TD3: [&str; 2] =
        ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"];

    #[test]
    fn the_check_digit_of_the_icao_example() {
        assert_eq!(check_digit(b"L898902C3"), 6);
        assert_eq!(check_digit(b"740812"), 2);
        assert_eq!(check_digit(b"<<<<<<"), 0);
    }

    #[test]
    fn a_td3_parses_with_every_field() {
        let mrz = parse(&TD3).unwrap();
        assert!(mrz.valid, "{mrz:?}");
        assert_eq!(mrz.surname, "ERIKSSON");
        assert_eq!(mrz.given_names, "ANNA MARIA");
        assert_eq!(mrz.optional_data, "ZE184226B");
        assert!(!mrz.name_truncated);
    }

    #[test]
    fn the_whole_zone_on_one_line_or_with_breaks_parses_the_same() {
        let joined = parse(&[&TD3.concat()]).unwrap();
        let broken = parse(&[&TD3.join("\n")]).unwrap();
        assert_eq!(joined, parse(&TD3).unwrap());
        assert_eq!(broken, joined);
    }

    #[test]
    fn each_failed_check_is_named() {
        let bad_birth =
            ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408132F1204159ZE184226B<<<<<10"];
        let mrz = parse(&bad_birth).unwrap();
        assert!(!mrz.valid);
        assert_eq!(mrz.failed_checks, vec![Check::BirthDate, Check::Composite]);
    }

    #[test]
    fn shapes_that_are_not_an_mrz_are_refused() {
        assert!(parse(&["hello"]).is_err());
        assert!(parse(&[]).is_err());
        assert!(
            parse(&[
                "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                "L898902C36UTO7408122F1204159ZE184226B<<<<<1"
            ])
            .is_err()
        );
        let err = parse(&[
            "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
            "L898902C36UTO7408122F1204159ZE184226B<<<<<1é",
        ])
        .unwrap_err();
        assert_eq!(err, NotAnMrz::BadCharacter { line: 2, character: 'é', position: 44 });
        assert!(err.message(Lang::En).starts_with("line 2 has 'é' at position 44"), "{err}");
        assert!(err.message(Lang::Es).starts_with("la línea 2 tiene 'é' en la posición 44"), "{err}");
    }

    #[test]
    fn a_long_td1_document_number_continues_in_the_optional_data() {
        // A 12-character number: `<` in the check-digit position, the rest and its check digit after.
        let number = b"D23145890123";
        let digit = check_digit(number);
        let mut l1 = format!("I<UTOD23145890<123{digit}").into_bytes();
        l1.resize(30, b'<');
        let l1 = String::from_utf8(l1).unwrap();
        let l2_body = "7408122F1204159UTO<<<<<<<<<<<";
        let mut composite = l1.as_bytes()[5..30].to_vec();
        composite.extend_from_slice(&l2_body.as_bytes()[0..7]);
        composite.extend_from_slice(&l2_body.as_bytes()[8..15]);
        composite.extend_from_slice(&l2_body.as_bytes()[18..29]);
        let l2 = format!("{l2_body}{}", check_digit(&composite));
        let mrz = parse(&[&l1, &l2, "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"]).unwrap();
        assert_eq!(mrz.document_number, "D23145890123");
        assert!(mrz.valid, "{mrz:?}");
    }

    #[test]
    fn dates_resolve_to_the_right_century() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        assert_eq!(resolve_birth_date("740812", today).unwrap().to_string(), "1974-08-12");
        assert_eq!(resolve_birth_date("150101", today).unwrap().to_string(), "2015-01-01");
        assert_eq!(resolve_birth_date("74<<<<", today).unwrap().to_string(), "1974");
        assert_eq!(resolve_expiry_date("961210", today).unwrap().to_string(), "1996-12-10");
        assert_eq!(resolve_expiry_date("120415", today).unwrap().to_string(), "2012-04-15");
    }

    /// Damaged reads never panic: every specimen, with characters replaced, removed, added and
    /// lines cut or joined, thousands of times (a fixed-seed stand-in for the cargo-fuzz target).
    #[test]
    fn damaged_zones_never_panic() {
        let specimens: [&[&str]; 3] = [
            &TD3,
            &[
                "I<UTOD231458907<<<<<<<<<<<<<<<",
                "7408122F1204159UTO<<<<<<<<<<<6",
                "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
            ],
            &["I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "D231458907UTO7408122F1204159<<<<<<<6"],
        ];
        let alphabet = b"ABCXYZ0123456789<<<< \n\xc3\xa9";
        let mut seed: u64 = 0x5eed;
        let mut next = |n: usize| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((seed >> 33) as usize) % n.max(1)
        };
        let today = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        let (mut parsed, mut refused) = (0, 0);
        for round in 0..20_000 {
            let specimen = specimens[round % specimens.len()];
            let mut lines: Vec<Vec<u8>> = specimen.iter().map(|l| l.as_bytes().to_vec()).collect();
            for _ in 0..=next(4) {
                let i = next(lines.len());
                let line = &mut lines[i];
                match next(5) {
                    0 if !line.is_empty() => {
                        let at = next(line.len());
                        line[at] = alphabet[next(alphabet.len())];
                    }
                    1 if !line.is_empty() => {
                        line.remove(next(line.len()));
                    }
                    2 => line.insert(next(line.len() + 1), alphabet[next(alphabet.len())]),
                    3 => line.truncate(next(line.len() + 1)),
                    _ => {
                        let at = next(line.len() + 1);
                        line.splice(at..at, b"<<".iter().copied());
                    }
                }
            }
            let texts: Vec<String> = lines.iter().map(|l| String::from_utf8_lossy(l).into_owned()).collect();
            let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
            match parse(&refs) {
                Ok(zone) => {
                    parsed += 1;
                    let _ = zone.to_document_and_person(today);
                }
                Err(_) => refused += 1,
            }
        }
        assert!(parsed > 1_000 && refused > 1_000, "{parsed} parsed, {refused} refused");
    }

    /// An MRV-B visa (2 × 36, no composite check digit), built with its check digits.
    pub(crate) fn mrv_b() -> [String; 2] {
        let digit = |s: &str| check_digit(s.as_bytes());
        let line2 = format!(
            "L8988901C{}XXX400907{}F961210{}<<<<<<<<",
            digit("L8988901C"),
            digit("400907"),
            digit("961210")
        );
        ["V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<".to_string(), line2]
    }

    #[test]
    fn an_mrv_b_visa_parses_without_a_composite_check() {
        let [l1, l2] = mrv_b();
        let zone = parse(&[&l1, &l2]).unwrap();
        assert_eq!(zone.format, MrzFormat::MrvB);
        assert!(zone.valid, "{zone:?}");
        assert_eq!((zone.document_number.as_str(), zone.nationality.as_str()), ("L8988901C", "XXX"));
        let broken = format!("{}{}", &l2[..27], if &l2[27..28] == "0" { "1" } else { "0" });
        let zone = parse(&[&l1, &format!("{broken}{}", &l2[28..])]).unwrap();
        assert_eq!(zone.failed_checks, vec![Check::ExpiryDate]);
    }

    #[test]
    fn a_full_name_field_is_flagged_as_maybe_truncated() {
        let l1 = "P<UTOVANDERSTEENHOVENWOLFSCHLEGEL<<ALEXANDRA";
        let mrz = parse(&[l1, TD3[1]]).unwrap();
        assert!(mrz.name_truncated);
        assert_eq!(mrz.given_names, "ALEXANDRA");
    }
}
