//! Alert lists: persons and documents a border post must stop, hold or protect, as the lists
//! describe them (several names, partial birth dates, several nationalities and documents).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::country::CountryCode;
use crate::error::{Rule, ValidationError};
use crate::person::{PartialDate, Sex};

/// What an alert is about, and so what a hit asks of the officer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum AlertKind {
    /// A person under a travel ban (the UN Security Council's sanctions, say).
    TravelBan,
    /// A person wanted by a court or the police.
    Wanted,
    /// A document reported lost or stolen.
    LostDocument,
    /// A child reported missing: a hit is a protection case at once.
    MissingChild,
    /// A person under a removal order.
    RemovalOrder,
}

impl AlertKind {
    /// Every kind's name.
    pub const NAMES: &'static [&'static str] =
        &["travel_ban", "wanted", "lost_document", "missing_child", "removal_order"];
    const ALL: [AlertKind; 5] = [
        AlertKind::TravelBan,
        AlertKind::Wanted,
        AlertKind::LostDocument,
        AlertKind::MissingChild,
        AlertKind::RemovalOrder,
    ];

    /// Parse a kind's name.
    pub fn parse(text: &str) -> Result<AlertKind, Rule> {
        AlertKind::ALL
            .iter()
            .zip(AlertKind::NAMES)
            .find(|(_, n)| **n == text.trim())
            .map(|(k, _)| *k)
            .ok_or(Rule::OneOf { allowed: AlertKind::NAMES })
    }

    /// The kind's name.
    pub fn as_str(self) -> &'static str {
        let i = AlertKind::ALL.iter().position(|k| *k == self).unwrap_or(0);
        AlertKind::NAMES.get(i).copied().unwrap_or("travel_ban")
    }

    /// What a hit on this kind asks for, unless the entry says otherwise.
    pub fn default_action(self) -> HitAction {
        match self {
            AlertKind::TravelBan | AlertKind::RemovalOrder => HitAction::DenyEntry,
            AlertKind::Wanted => HitAction::Refer,
            AlertKind::LostDocument => HitAction::SeizeDocument,
            AlertKind::MissingChild => HitAction::Protect,
        }
    }
}

impl std::fmt::Display for AlertKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What the officer is to do on a confirmed hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum HitAction {
    /// Hold the traveller and refer them to the supervisor and the issuing authority.
    Refer,
    /// Refuse entry (or exit).
    DenyEntry,
    /// Retain the document and give the traveller a receipt.
    SeizeDocument,
    /// Keep the child safe and open a protection case at once.
    Protect,
    /// Let the traveller go on and notify the issuing authority.
    Notify,
}

impl HitAction {
    /// Every action's name.
    pub const NAMES: &'static [&'static str] =
        &["refer", "deny_entry", "seize_document", "protect", "notify"];
    const ALL: [HitAction; 5] = [
        HitAction::Refer,
        HitAction::DenyEntry,
        HitAction::SeizeDocument,
        HitAction::Protect,
        HitAction::Notify,
    ];

    /// Parse an action's name.
    pub fn parse(text: &str) -> Result<HitAction, Rule> {
        HitAction::ALL
            .iter()
            .zip(HitAction::NAMES)
            .find(|(_, n)| **n == text.trim())
            .map(|(a, _)| *a)
            .ok_or(Rule::OneOf { allowed: HitAction::NAMES })
    }

    /// The action's name.
    pub fn as_str(self) -> &'static str {
        let i = HitAction::ALL.iter().position(|a| *a == self).unwrap_or(0);
        HitAction::NAMES.get(i).copied().unwrap_or("refer")
    }
}

/// How much a list trusts one of its names for a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum NameQuality {
    /// The name the list gives first.
    Primary,
    /// An alias the list trusts (the UN list's `Good`, `a.k.a.`, `f.k.a.`).
    Good,
    /// An alias the list flags as weak (the UN list's `Low`): a hit on it alone counts less.
    Low,
}

/// A name of a listed person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AlertName {
    /// Given names, where the list tells them apart (empty otherwise).
    pub given_names: String,
    /// Surnames, or the whole name where the list does not tell its parts apart.
    pub surnames: String,
    /// How much the list trusts it.
    pub quality: NameQuality,
}

/// A document of a listed person, or a listed document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AlertDocument {
    /// Its kind as the list words it (`Passport`, `National Identification Number`, …).
    pub kind: String,
    /// Its number as the list writes it.
    pub number: String,
    /// Who issued it, when the list says and the country is known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuing_state: Option<CountryCode>,
}

/// An entry of an alert list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AlertEntry {
    /// The entry's reference in its source list (the UN list's `REFERENCE_NUMBER`).
    pub reference: String,
    /// What it is about.
    pub kind: AlertKind,
    /// The names, the primary one first.
    #[serde(default)]
    pub names: Vec<AlertName>,
    /// Sex, when the list gives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sex: Option<Sex>,
    /// Birth dates as precise as the list has them (several when it is unsure).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<String>))]
    pub birth_dates: Vec<PartialDate>,
    /// Nationalities the list gives and this node knows.
    #[serde(default)]
    pub nationalities: Vec<CountryCode>,
    /// Documents.
    #[serde(default)]
    pub documents: Vec<AlertDocument>,
    /// When the list took the entry in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub listed_on: Option<NaiveDate>,
    /// Why, in the list's words.
    #[serde(default)]
    pub reason: String,
    /// Who issued the alert (a court, a police force, the UN Security Council).
    #[serde(default)]
    pub authority: String,
    /// The first day the alert is in force, if it starts later than its listing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<NaiveDate>,
    /// The last day the alert is in force, if it ends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<NaiveDate>,
    /// What a confirmed hit asks the officer to do.
    pub action: HitAction,
}

/// The longest reference, name, reason or authority an entry may hold.
const MAX_TEXT: usize = 2_000;

fn text_rule(text: &str, max: usize) -> Result<(), Rule> {
    if text.chars().count() > max { Err(Rule::TooLong { max }) } else { Ok(()) }
}

impl AlertEntry {
    /// Check the entry: a reference; a name or a document to find it by (a lost document needs
    /// its number); texts of sensible length; a validity period that ends after it starts.
    pub fn validate(&self) -> Result<(), ValidationError> {
        let reference = self.reference.trim();
        if reference.is_empty() {
            return Err(ValidationError::new("reference", Rule::Required));
        }
        text_rule(reference, 64).map_err(|r| ValidationError::new("reference", r))?;
        if reference.chars().any(char::is_control) {
            return Err(ValidationError::new("reference", Rule::Charset { allowed: "printable characters" }));
        }
        for (i, name) in self.names.iter().enumerate() {
            if name.given_names.trim().is_empty() && name.surnames.trim().is_empty() {
                return Err(ValidationError::new(format!("names[{i}].surnames"), Rule::Required));
            }
            text_rule(&name.given_names, 200)
                .map_err(|r| ValidationError::new(format!("names[{i}].given_names"), r))?;
            text_rule(&name.surnames, 200)
                .map_err(|r| ValidationError::new(format!("names[{i}].surnames"), r))?;
        }
        for (i, d) in self.documents.iter().enumerate() {
            if d.number.trim().is_empty() {
                return Err(ValidationError::new(format!("documents[{i}].number"), Rule::Required));
            }
            text_rule(&d.number, 64)
                .map_err(|r| ValidationError::new(format!("documents[{i}].number"), r))?;
        }
        if self.kind == AlertKind::LostDocument && self.documents.is_empty() {
            return Err(ValidationError::new("documents", Rule::Required));
        }
        if self.names.is_empty() && self.documents.is_empty() {
            return Err(ValidationError::new("names", Rule::Required));
        }
        text_rule(&self.reason, MAX_TEXT).map_err(|r| ValidationError::new("reason", r))?;
        text_rule(&self.authority, 200).map_err(|r| ValidationError::new("authority", r))?;
        if let (Some(from), Some(until)) = (self.valid_from, self.valid_until)
            && until < from
        {
            return Err(ValidationError::new(
                "valid_until",
                Rule::NotAllowedWith { other: "an earlier valid_from" },
            ));
        }
        Ok(())
    }

    /// A digest of the entry's content: a re-import that brings the same digest changes nothing.
    pub fn fingerprint(&self) -> String {
        let json = serde_json::to_string(self).unwrap_or_default();
        hex::encode(Sha256::digest(json.as_bytes()))
    }

    /// The entry's names as people write them, `Given Names SURNAMES`, the primary one first.
    pub fn display_names(&self) -> Vec<String> {
        self.names
            .iter()
            .map(|n| {
                let (g, s) = (n.given_names.trim(), n.surnames.trim());
                if g.is_empty() { s.to_string() } else { format!("{g} {s}") }
            })
            .collect()
    }
}

/// Whether a validity period (either end open) holds `day`.
pub fn in_force(valid_from: Option<NaiveDate>, valid_until: Option<NaiveDate>, day: NaiveDate) -> bool {
    valid_from.is_none_or(|from| from <= day) && valid_until.is_none_or(|until| day <= until)
}

/// A list's name: 1–64 characters of letters, digits, `.`, `_` and `-`.
pub fn parse_list_name(text: &str) -> Result<String, Rule> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Rule::Required);
    }
    if text.len() > 64 {
        return Err(Rule::TooLong { max: 64 });
    }
    if !text.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')) {
        return Err(Rule::Charset { allowed: "letters, digits, '.', '_' and '-'" });
    }
    Ok(text.to_string())
}

/// A list's threshold: the score, in (0, 1], at or above which a candidate is a hit.
pub fn parse_threshold(value: f64) -> Result<f64, Rule> {
    if value.is_finite() && value > 0.0 && value <= 1.0 {
        Ok(value)
    } else {
        Err(Rule::syntax(
            "a threshold is a number above 0 and at most 1",
            "un umbral es un número mayor que 0 y como máximo 1",
        ))
    }
}

/// Where a hit stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum HitStatus {
    /// Waiting for the officer at the counter.
    Open,
    /// Sent to the supervisor, who decides.
    Escalated,
    /// The traveller is the listed person (or the document the listed one).
    Confirmed,
    /// A false hit: someone else.
    Dismissed,
}

impl HitStatus {
    /// Every status's name.
    pub const NAMES: &'static [&'static str] = &["open", "escalated", "confirmed", "dismissed"];
    const ALL: [HitStatus; 4] =
        [HitStatus::Open, HitStatus::Escalated, HitStatus::Confirmed, HitStatus::Dismissed];

    /// Parse a status's name.
    pub fn parse(text: &str) -> Result<HitStatus, Rule> {
        HitStatus::ALL
            .iter()
            .zip(HitStatus::NAMES)
            .find(|(_, n)| **n == text.trim())
            .map(|(s, _)| *s)
            .ok_or(Rule::OneOf { allowed: HitStatus::NAMES })
    }

    /// The status's name.
    pub fn as_str(self) -> &'static str {
        let i = HitStatus::ALL.iter().position(|s| *s == self).unwrap_or(0);
        HitStatus::NAMES.get(i).copied().unwrap_or("open")
    }

    /// Whether someone still has to decide.
    pub fn is_pending(self) -> bool {
        matches!(self, HitStatus::Open | HitStatus::Escalated)
    }
}

/// What an officer or supervisor decides on a hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Resolution {
    /// The traveller is the listed person.
    Confirm,
    /// A false hit.
    Dismiss,
    /// The supervisor should decide.
    Escalate,
}

impl Resolution {
    /// Every resolution's name.
    pub const NAMES: &'static [&'static str] = &["confirm", "dismiss", "escalate"];

    /// Parse a resolution's name.
    pub fn parse(text: &str) -> Result<Resolution, Rule> {
        match text.trim() {
            "confirm" => Ok(Resolution::Confirm),
            "dismiss" => Ok(Resolution::Dismiss),
            "escalate" => Ok(Resolution::Escalate),
            _ => Err(Rule::OneOf { allowed: Resolution::NAMES }),
        }
    }

    /// The status a hit takes.
    pub fn status(self) -> HitStatus {
        match self {
            Resolution::Confirm => HitStatus::Confirmed,
            Resolution::Dismiss => HitStatus::Dismissed,
            Resolution::Escalate => HitStatus::Escalated,
        }
    }
}
