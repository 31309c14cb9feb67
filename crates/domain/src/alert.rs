//! Alert lists: persons and documents a border post must stop, hold or protect, as the lists
//! describe them (several names, partial birth dates, several nationalities and documents).

use chrono::NaiveDate;

use crate::country::CountryCode;
use crate::error::Rule;
use crate::person::{PartialDate, Sex};

/// What an alert is about, and so what a hit asks of the officer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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
}

/// How much a list trusts one of its names for a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NameQuality {
    /// The name the list gives first.
    Primary,
    /// An alias the list trusts (the UN list's `Good`, `a.k.a.`, `f.k.a.`).
    Good,
    /// An alias the list flags as weak (the UN list's `Low`): a hit on it alone counts less.
    Low,
}

/// A name of a listed person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertName {
    /// Given names, where the list tells them apart (empty otherwise).
    pub given_names: String,
    /// Surnames, or the whole name where the list does not tell its parts apart.
    pub surnames: String,
    /// How much the list trusts it.
    pub quality: NameQuality,
}

/// A document of a listed person, or a listed document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertDocument {
    /// Its kind as the list words it (`Passport`, `National Identification Number`, …).
    pub kind: String,
    /// Its number as the list writes it.
    pub number: String,
    /// Who issued it, when the list says and the country is known.
    pub issuing_state: Option<CountryCode>,
}

/// An entry of an alert list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertEntry {
    /// The entry's reference in its source list (the UN list's `REFERENCE_NUMBER`).
    pub reference: String,
    /// What it is about.
    pub kind: AlertKind,
    /// The names, the primary one first.
    pub names: Vec<AlertName>,
    /// Sex, when the list gives it.
    pub sex: Option<Sex>,
    /// Birth dates as precise as the list has them (several when it is unsure).
    pub birth_dates: Vec<PartialDate>,
    /// Nationalities the list gives and this node knows.
    pub nationalities: Vec<CountryCode>,
    /// Documents.
    pub documents: Vec<AlertDocument>,
    /// When the list took the entry in.
    pub listed_on: Option<NaiveDate>,
    /// Why, in the list's words.
    pub reason: String,
}
