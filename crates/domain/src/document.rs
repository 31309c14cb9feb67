//! Travel documents: passports, identity cards, visas, border cards.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::country::CountryCode;
use crate::error::Rule;

/// What kind of document a traveller shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum DocumentKind {
    /// A passport (MRZ document code `P…`).
    Passport,
    /// An identity card (`I…`, `A…`, `C…`).
    IdCard,
    /// A visa (`V…`).
    Visa,
    /// A border card: Mexico's regional-visitor card (TVR) or border-worker card (TVTF).
    BorderCard,
    /// Any other document.
    Other,
}

impl DocumentKind {
    /// Every kind.
    pub const ALL: [DocumentKind; 5] = [
        DocumentKind::Passport,
        DocumentKind::IdCard,
        DocumentKind::Visa,
        DocumentKind::BorderCard,
        DocumentKind::Other,
    ];

    /// The names accepted by [`DocumentKind::parse`].
    pub const NAMES: &'static [&'static str] = &["passport", "id_card", "visa", "border_card", "other"];

    /// Parse one of `passport`, `id_card`, `visa`, `border_card`, `other`.
    pub fn parse(text: &str) -> Result<DocumentKind, Rule> {
        match text.trim() {
            "passport" => Ok(DocumentKind::Passport),
            "id_card" => Ok(DocumentKind::IdCard),
            "visa" => Ok(DocumentKind::Visa),
            "border_card" => Ok(DocumentKind::BorderCard),
            "other" => Ok(DocumentKind::Other),
            "" => Err(Rule::Required),
            _ => Err(Rule::OneOf { allowed: Self::NAMES }),
        }
    }

    /// The name, as [`DocumentKind::parse`] reads it.
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::Passport => "passport",
            DocumentKind::IdCard => "id_card",
            DocumentKind::Visa => "visa",
            DocumentKind::BorderCard => "border_card",
            DocumentKind::Other => "other",
        }
    }

    /// The kind an MRZ document code stands for.
    pub fn from_mrz_code(code: &str) -> DocumentKind {
        match code.as_bytes().first() {
            Some(b'P') => DocumentKind::Passport,
            Some(b'V') => DocumentKind::Visa,
            Some(b'I' | b'A' | b'C') => DocumentKind::IdCard,
            _ => DocumentKind::Other,
        }
    }
}

/// A document number: 1 to 20 upper-case letters and digits (spaces and MRZ fillers removed).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, example = "L898902C3"))]
pub struct DocumentNumber(String);

impl DocumentNumber {
    /// Parse a document number as typed or read from an MRZ.
    pub fn parse(text: &str) -> Result<DocumentNumber, Rule> {
        let cleaned: String = if text.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()) {
            text.to_string()
        } else {
            text.chars().filter(|c| !c.is_whitespace() && *c != '<').collect::<String>().to_ascii_uppercase()
        };
        if cleaned.is_empty() {
            return Err(Rule::Required);
        }
        if cleaned.len() > 20 {
            return Err(Rule::TooLong { max: 20 });
        }
        if !cleaned.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()) {
            return Err(Rule::Charset { allowed: "letters A-Z and digits" });
        }
        Ok(DocumentNumber(cleaned))
    }

    /// The number as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for DocumentNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for DocumentNumber {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        DocumentNumber::parse(&value).map_err(|r| r.message_en())
    }
}

impl From<DocumentNumber> for String {
    fn from(value: DocumentNumber) -> Self {
        value.0
    }
}

/// The document used at a crossing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TravelDocument {
    /// Passport, ID card, visa, border card, other.
    pub kind: DocumentKind,
    /// Its number.
    pub number: DocumentNumber,
    /// The state or organisation that issued it.
    pub issuing_state: CountryCode,
    /// Its expiry date, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expiry_date: Option<NaiveDate>,
    /// The MRZ format it was read from, when it was read from one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mrz_format: Option<MrzFormat>,
}

/// The layout of an MRZ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum MrzFormat {
    /// 3 lines of 30 characters.
    #[serde(rename = "TD1")]
    Td1,
    /// 2 lines of 36 characters.
    #[serde(rename = "TD2")]
    Td2,
    /// 2 lines of 44 characters (passports).
    #[serde(rename = "TD3")]
    Td3,
    /// A visa of 2 lines of 44 characters.
    #[serde(rename = "MRV-A")]
    MrvA,
    /// A visa of 2 lines of 36 characters.
    #[serde(rename = "MRV-B")]
    MrvB,
}

impl MrzFormat {
    /// `TD1`, `TD2`, `TD3`, `MRV-A` or `MRV-B`.
    pub fn as_str(self) -> &'static str {
        match self {
            MrzFormat::Td1 => "TD1",
            MrzFormat::Td2 => "TD2",
            MrzFormat::Td3 => "TD3",
            MrzFormat::MrvA => "MRV-A",
            MrzFormat::MrvB => "MRV-B",
        }
    }

    /// Parse the name of a format.
    pub fn parse(text: &str) -> Option<MrzFormat> {
        match text {
            "TD1" => Some(MrzFormat::Td1),
            "TD2" => Some(MrzFormat::Td2),
            "TD3" => Some(MrzFormat::Td3),
            "MRV-A" => Some(MrzFormat::MrvA),
            "MRV-B" => Some(MrzFormat::MrvB),
            _ => None,
        }
    }
}

impl fmt::Display for MrzFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
