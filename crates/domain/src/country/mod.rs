//! Countries: ISO 3166-1 alpha-3 codes plus the codes ICAO Doc 9303 uses where they differ
//! (`D` for Germany, the British nationality codes, `XXA` stateless, `UTO` for specimens, …).

mod info;
mod table;

pub use info::CountryInfo;

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::{Rule, ValidationError};

/// The formal names of the United Nations' lists where they differ from the table's short names.
const UN_NAMES: &[(&str, &str)] = &[
    ("Democratic Republic of the Congo", "COD"),
    ("Democratic People's Republic of Korea", "PRK"),
    ("Republic of Korea", "KOR"),
    ("Iran (Islamic Republic of)", "IRN"),
    ("Syrian Arab Republic", "SYR"),
    ("United Republic of Tanzania", "TZA"),
    ("United Kingdom of Great Britain and Northern Ireland", "GBR"),
    ("United States of America", "USA"),
    ("Bolivia (Plurinational State of)", "BOL"),
    ("Venezuela (Bolivarian Republic of)", "VEN"),
    ("Lao People's Democratic Republic", "LAO"),
    ("Viet Nam", "VNM"),
    ("Republic of Moldova", "MDA"),
    ("Türkiye", "TUR"),
    ("State of Palestine", "PSE"),
    ("Côte d'Ivoire", "CIV"),
    ("Russian Federation", "RUS"),
    ("Libya", "LBY"),
    ("Brunei Darussalam", "BRN"),
    ("Micronesia (Federated States of)", "FSM"),
    ("Netherlands (Kingdom of the)", "NLD"),
];

/// A country (or ICAO nationality) code known to the reference table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, example = "BLZ"))]
pub struct CountryCode(&'static str);

impl CountryCode {
    /// Belize.
    pub const BLZ: CountryCode = CountryCode("BLZ");
    /// Mexico.
    pub const MEX: CountryCode = CountryCode("MEX");

    /// Parse a code as written in a form or an MRZ: upper case, `<` fillers allowed (`D<<`).
    pub fn parse(text: &str) -> Result<CountryCode, Rule> {
        let code = text.trim().trim_end_matches('<');
        if code.is_empty() {
            return Err(Rule::Required);
        }
        // Codes are 1 to 3 ASCII letters: upper-case them on the stack.
        let mut buf = [0u8; 3];
        if code.len() > 3 || !code.bytes().all(|b| b.is_ascii_alphabetic()) {
            return Err(Rule::UnknownCountry);
        }
        for (slot, b) in buf.iter_mut().zip(code.bytes()) {
            *slot = b.to_ascii_uppercase();
        }
        let upper = std::str::from_utf8(&buf[..code.len()]).map_err(|_| Rule::UnknownCountry)?;
        Self::info_of(upper).map(|info| CountryCode(info.code)).ok_or(Rule::UnknownCountry)
    }

    /// The country a name designates: its English or Spanish short name, or the formal name the
    /// United Nations use (`Iran (Islamic Republic of)`, `Democratic People's Republic of Korea`),
    /// compared without accents or case. `None` for a name the table does not know.
    pub fn from_name(name: &str) -> Option<CountryCode> {
        let wanted = crate::fold_name(name);
        if wanted.is_empty() {
            return None;
        }
        if let Some((_, code)) = UN_NAMES.iter().find(|(n, _)| crate::fold_name(n) == wanted) {
            return Self::parse(code).ok();
        }
        Self::all()
            .iter()
            .filter(|c| !c.icao_only)
            .find(|c| crate::fold_name(c.name_en) == wanted || crate::fold_name(c.name_es) == wanted)
            .map(|c| CountryCode(c.code))
    }

    /// Parse, naming `field` on error.
    pub fn parse_field(text: &str, field: &str) -> Result<CountryCode, ValidationError> {
        Self::parse(text).map_err(|rule| ValidationError::new(field, rule))
    }

    fn info_of(code: &str) -> Option<&'static CountryInfo> {
        table::COUNTRIES.binary_search_by(|c| c.code.cmp(code)).ok().and_then(|i| table::COUNTRIES.get(i))
    }

    /// The code as text.
    pub fn as_str(&self) -> &'static str {
        self.0
    }

    /// The country's short name in `lang` (the code itself when unknown).
    pub fn name(&self, lang: crate::Lang) -> &'static str {
        match (self.info(), lang) {
            (Some(i), crate::Lang::Es) => i.name_es,
            (Some(i), crate::Lang::En) => i.name_en,
            (None, _) => self.as_str(),
        }
    }

    /// The country's reference data.
    pub fn info(&self) -> Option<&'static CountryInfo> {
        Self::info_of(self.0)
    }

    /// Every known code.
    pub fn all() -> &'static [CountryInfo] {
        table::COUNTRIES
    }
}

impl fmt::Display for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl Serialize for CountryCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0)
    }
}

impl<'de> Deserialize<'de> for CountryCode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        CountryCode::parse(&text).map_err(|rule| serde::de::Error::custom(rule.message_en()))
    }
}

impl TryFrom<String> for CountryCode {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        CountryCode::parse(&value).map_err(|rule| rule.message_en())
    }
}

impl From<CountryCode> for String {
    fn from(value: CountryCode) -> Self {
        value.0.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countries_are_found_by_short_spanish_or_un_formal_name() {
        let code = |n: &str| CountryCode::from_name(n).map(|c| c.as_str());
        assert_eq!(code("Mexico"), Some("MEX"));
        assert_eq!(code("méxico"), Some("MEX"));
        assert_eq!(code("Belice"), Some("BLZ"));
        assert_eq!(code("Iran (Islamic Republic of)"), Some("IRN"));
        assert_eq!(code("Democratic People's Republic of Korea"), Some("PRK"));
        assert_eq!(code("United Kingdom of Great Britain and Northern Ireland"), Some("GBR"));
        assert_eq!(code("Afghanistan"), Some("AFG"));
        assert_eq!(code("na"), None);
        assert_eq!(code(""), None);
    }

    #[test]
    fn the_table_is_sorted_so_binary_search_finds_every_code() {
        for pair in table::COUNTRIES.windows(2) {
            assert!(pair[0].code < pair[1].code, "{} before {}", pair[0].code, pair[1].code);
        }
        for c in table::COUNTRIES {
            assert_eq!(CountryCode::parse(c.code).unwrap().as_str(), c.code);
        }
    }

    #[test]
    fn icao_codes_with_fillers_parse() {
        assert_eq!(CountryCode::parse("D<<").unwrap().as_str(), "D");
        assert_eq!(CountryCode::parse("utO").unwrap().as_str(), "UTO");
        assert_eq!(CountryCode::parse("ZZZ"), Err(Rule::UnknownCountry));
        assert_eq!(CountryCode::parse(""), Err(Rule::Required));
        assert_eq!(CountryCode::BLZ.info().unwrap().name_es, "Belice");
    }
}
