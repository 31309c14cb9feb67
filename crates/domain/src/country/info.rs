//! One country's reference data.

/// Reference data of one country or ICAO nationality code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CountryInfo {
    /// The alpha-3 (or ICAO) code.
    pub code: &'static str,
    /// The ISO 3166-1 alpha-2 code, empty for ICAO-only codes.
    pub alpha2: &'static str,
    /// Short name in English.
    pub name_en: &'static str,
    /// Short name in Spanish.
    pub name_es: &'static str,
    /// True for codes that ICAO 9303 defines and ISO 3166-1 does not.
    pub icao_only: bool,
}
