//! The United Nations Security Council Consolidated List, as its XML is published: each
//! `INDIVIDUAL` becomes a travel-ban entry with its names and aliases, birth dates (exact, a year,
//! or a range of years), nationalities, documents and listing date. Entities (organisations) are
//! counted and left out: a border post screens persons.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use frontera_domain::alert::{AlertDocument, AlertEntry, AlertKind, AlertName, NameQuality};
use frontera_domain::{CountryCode, PartialDate, Rule, Sex, ValidationError};
use quick_xml::Reader;
use quick_xml::events::Event;

/// At most this many years a `BETWEEN` birth date expands to.
const MAX_YEAR_RANGE: i32 = 15;

/// The list as read.
#[derive(Debug, Clone, Default)]
pub struct UnList {
    /// When the UN generated the file (its `dateGenerated`).
    pub generated: Option<String>,
    /// The individuals.
    pub entries: Vec<AlertEntry>,
    /// Entities left out.
    pub entities: usize,
    /// Nationality and issuing-country names this node does not know (left out of the entries).
    pub unknown_countries: BTreeSet<String>,
}

/// What one `INDIVIDUAL` element holds while it is read.
#[derive(Default)]
struct Individual {
    reference: String,
    name_parts: Vec<String>,
    given: String,
    aliases: Vec<(String, NameQuality)>,
    alias_quality: Option<NameQuality>,
    sex: Option<Sex>,
    birth_dates: Vec<PartialDate>,
    date_kind: String,
    date_year: Option<i32>,
    date_from: Option<i32>,
    date_to: Option<i32>,
    date_full: Option<NaiveDate>,
    nationalities: Vec<CountryCode>,
    documents: Vec<AlertDocument>,
    document: (String, String, Option<CountryCode>),
    listed_on: Option<NaiveDate>,
    list_type: String,
}

fn syntax(en: String, es: String) -> ValidationError {
    ValidationError::new("file", Rule::syntax(en, es))
}

/// Read the list from the file's text.
pub fn parse(text: &str) -> Result<UnList, ValidationError> {
    let mut reader = Reader::from_str(text);
    let mut list = UnList::default();
    let mut path: Vec<String> = Vec::new();
    let mut buffer = String::new();
    let mut current: Option<Individual> = None;
    let mut saw_root = false;
    loop {
        let event = reader.read_event().map_err(|e| {
            let at = reader.error_position();
            syntax(
                format!("not well-formed XML at byte {at}: {e}"),
                format!("XML mal formado en el byte {at}: {e}"),
            )
        })?;
        match event {
            Event::Start(e) => {
                let name = e.name().as_ref().to_string();
                if name == "CONSOLIDATED_LIST" {
                    saw_root = true;
                    list.generated = e
                        .attributes()
                        .flatten()
                        .find(|a| a.key.as_ref() == "dateGenerated")
                        .map(|a| a.value.to_string());
                }
                match name.as_str() {
                    "INDIVIDUAL" => current = Some(Individual::default()),
                    "ENTITY" => list.entities += 1,
                    "INDIVIDUAL_DATE_OF_BIRTH" => {
                        if let Some(i) = current.as_mut() {
                            i.date_kind.clear();
                            (i.date_year, i.date_from, i.date_to, i.date_full) = (None, None, None, None);
                        }
                    }
                    "INDIVIDUAL_DOCUMENT" => {
                        if let Some(i) = current.as_mut() {
                            i.document = Default::default();
                        }
                    }
                    "INDIVIDUAL_ALIAS" => {
                        if let Some(i) = current.as_mut() {
                            i.alias_quality = None;
                        }
                    }
                    _ => {}
                }
                path.push(name);
                buffer.clear();
            }
            Event::Text(t) => buffer.push_str(&t.xml10_content()),
            Event::CData(t) => buffer.push_str(&t.into_inner()),
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c.to_string()),
                    _ => match r.xml10_content().as_ref() {
                        "amp" => Some("&".into()),
                        "lt" => Some("<".into()),
                        "gt" => Some(">".into()),
                        "quot" => Some("\"".into()),
                        "apos" => Some("'".into()),
                        _ => None,
                    },
                };
                buffer.push_str(&resolved.unwrap_or_default());
            }
            Event::End(_) => {
                let name = path.pop().unwrap_or_default();
                let parent = path.last().map(String::as_str).unwrap_or("");
                let value = buffer.trim().to_string();
                buffer.clear();
                if name == "INDIVIDUAL" {
                    if let Some(i) = current.take() {
                        list.entries.push(finish(i)?);
                    }
                    continue;
                }
                if let Some(i) = current.as_mut() {
                    take(i, &name, parent, value, &mut list.unknown_countries)?;
                }
            }
            Event::Empty(e) if e.name().as_ref() == "ENTITY" => list.entities += 1,
            Event::Eof => break,
            _ => {}
        }
    }
    if !saw_root {
        return Err(syntax(
            "no CONSOLIDATED_LIST element: not the UN list's XML".into(),
            "sin elemento CONSOLIDATED_LIST: no es el XML de la lista de la ONU".into(),
        ));
    }
    Ok(list)
}

fn country(name: &str, unknown: &mut BTreeSet<String>) -> Option<CountryCode> {
    let found = CountryCode::from_name(name);
    if found.is_none() && !name.is_empty() {
        unknown.insert(name.to_string());
    }
    found
}

fn year(value: &str, reference: &str) -> Result<i32, ValidationError> {
    value.parse().map_err(|_| {
        syntax(
            format!("{reference}: the year {value:?} is not a number"),
            format!("{reference}: el año {value:?} no es un número"),
        )
    })
}

/// One closed element of an individual, stored where it belongs.
fn take(
    i: &mut Individual,
    name: &str,
    parent: &str,
    value: String,
    unknown: &mut BTreeSet<String>,
) -> Result<(), ValidationError> {
    match (parent, name) {
        ("INDIVIDUAL", "REFERENCE_NUMBER") => i.reference = value,
        ("INDIVIDUAL", "FIRST_NAME") => i.given = value,
        ("INDIVIDUAL", "SECOND_NAME" | "THIRD_NAME" | "FOURTH_NAME") if !value.is_empty() => {
            i.name_parts.push(value)
        }
        ("INDIVIDUAL", "UN_LIST_TYPE") => i.list_type = value,
        ("INDIVIDUAL", "LISTED_ON") => i.listed_on = NaiveDate::parse_from_str(&value, "%Y-%m-%d").ok(),
        ("INDIVIDUAL", "GENDER") => {
            i.sex = match value.as_str() {
                "Male" => Some(Sex::Male),
                "Female" => Some(Sex::Female),
                _ => None,
            }
        }
        ("NATIONALITY", "VALUE") => i.nationalities.extend(country(&value, unknown)),
        ("INDIVIDUAL_ALIAS", "QUALITY") => {
            i.alias_quality = Some(if value == "Low" { NameQuality::Low } else { NameQuality::Good })
        }
        ("INDIVIDUAL_ALIAS", "ALIAS_NAME") if !value.is_empty() => {
            i.aliases.push((value, i.alias_quality.unwrap_or(NameQuality::Good)))
        }
        ("INDIVIDUAL_DATE_OF_BIRTH", "TYPE_OF_DATE") => i.date_kind = value,
        ("INDIVIDUAL_DATE_OF_BIRTH", "DATE") => {
            i.date_full = NaiveDate::parse_from_str(&value, "%Y-%m-%d").ok()
        }
        ("INDIVIDUAL_DATE_OF_BIRTH", "YEAR") if !value.is_empty() => {
            i.date_year = Some(year(&value, &i.reference)?)
        }
        ("INDIVIDUAL_DATE_OF_BIRTH", "FROM_YEAR") => i.date_from = Some(year(&value, &i.reference)?),
        ("INDIVIDUAL_DATE_OF_BIRTH", "TO_YEAR") => i.date_to = Some(year(&value, &i.reference)?),
        ("INDIVIDUAL", "INDIVIDUAL_DATE_OF_BIRTH") => birth(i)?,
        ("INDIVIDUAL_DOCUMENT", "TYPE_OF_DOCUMENT") => i.document.0 = value,
        ("INDIVIDUAL_DOCUMENT", "NUMBER") => i.document.1 = value,
        ("INDIVIDUAL_DOCUMENT", "ISSUING_COUNTRY" | "COUNTRY_OF_ISSUE") if i.document.2.is_none() => {
            i.document.2 = country(&value, unknown)
        }
        ("INDIVIDUAL", "INDIVIDUAL_DOCUMENT") => {
            let (kind, number, issuing_state) = std::mem::take(&mut i.document);
            if !number.is_empty() {
                i.documents.push(AlertDocument { kind, number, issuing_state });
            }
        }
        _ => {}
    }
    Ok(())
}

/// A closed `INDIVIDUAL_DATE_OF_BIRTH`: an exact date, a year, or every year of a range.
fn birth(i: &mut Individual) -> Result<(), ValidationError> {
    if let Some(date) = i.date_full {
        i.birth_dates.push(PartialDate::full(date));
    } else if let Some(y) = i.date_year {
        i.birth_dates.extend(PartialDate::from_parts(y, None, None));
    } else if let (Some(from), Some(to)) = (i.date_from, i.date_to) {
        if to < from || to - from > MAX_YEAR_RANGE {
            return Err(syntax(
                format!("{}: the birth years {from} to {to} are not a range", i.reference),
                format!("{}: los años de nacimiento {from} a {to} no son un intervalo", i.reference),
            ));
        }
        i.birth_dates.extend((from..=to).filter_map(|y| PartialDate::from_parts(y, None, None)));
    }
    Ok(())
}

fn finish(i: Individual) -> Result<AlertEntry, ValidationError> {
    if i.reference.is_empty() {
        return Err(syntax(
            "an INDIVIDUAL without a REFERENCE_NUMBER".into(),
            "un INDIVIDUAL sin REFERENCE_NUMBER".into(),
        ));
    }
    let mut names = vec![AlertName {
        given_names: i.given,
        surnames: i.name_parts.join(" "),
        quality: NameQuality::Primary,
    }];
    names.extend(i.aliases.into_iter().map(|(alias, quality)| AlertName {
        given_names: String::new(),
        surnames: alias,
        quality,
    }));
    let mut birth_dates = i.birth_dates;
    birth_dates.sort();
    birth_dates.dedup();
    let mut nationalities = i.nationalities;
    nationalities.sort();
    nationalities.dedup();
    Ok(AlertEntry {
        reference: i.reference,
        kind: AlertKind::TravelBan,
        names,
        sex: i.sex,
        birth_dates,
        nationalities,
        documents: i.documents,
        listed_on: i.listed_on,
        reason: format!("UN Security Council sanctions list ({})", i.list_type),
        authority: "United Nations Security Council".into(),
        valid_from: None,
        valid_until: None,
        action: AlertKind::TravelBan.default_action(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<CONSOLIDATED_LIST dateGenerated="2026-02-27T00:00:09.554Z"><INDIVIDUALS>
<INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>ABDUL</FIRST_NAME><SECOND_NAME>SATAR</SECOND_NAME>
<THIRD_NAME>AL-HAQ</THIRD_NAME><UN_LIST_TYPE>Al-Qaida</UN_LIST_TYPE><REFERENCE_NUMBER>QDi.999</REFERENCE_NUMBER>
<LISTED_ON>2001-10-06</LISTED_ON><GENDER>Male</GENDER>
<NATIONALITY><VALUE>Iran (Islamic Republic of)</VALUE><VALUE>Atlantis</VALUE></NATIONALITY>
<INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>Abu Omar &amp; Sons</ALIAS_NAME></INDIVIDUAL_ALIAS>
<INDIVIDUAL_ALIAS><QUALITY>Low</QUALITY><ALIAS_NAME>Satar</ALIAS_NAME></INDIVIDUAL_ALIAS>
<INDIVIDUAL_ALIAS><QUALITY/><ALIAS_NAME/></INDIVIDUAL_ALIAS>
<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><DATE>1964-07-01</DATE></INDIVIDUAL_DATE_OF_BIRTH>
<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>BETWEEN</TYPE_OF_DATE><FROM_YEAR>1966</FROM_YEAR><TO_YEAR>1967</TO_YEAR></INDIVIDUAL_DATE_OF_BIRTH>
<INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>Passport</TYPE_OF_DOCUMENT><NUMBER>OB 0243318</NUMBER><ISSUING_COUNTRY>Pakistan</ISSUING_COUNTRY></INDIVIDUAL_DOCUMENT>
<INDIVIDUAL_DOCUMENT/>
</INDIVIDUAL></INDIVIDUALS>
<ENTITIES><ENTITY><FIRST_NAME>SOME FRONT</FIRST_NAME></ENTITY></ENTITIES></CONSOLIDATED_LIST>"#;

    #[test]
    fn an_individual_reads_with_aliases_dates_nationalities_and_documents() {
        let list = parse(SAMPLE).unwrap();
        assert_eq!(list.generated.as_deref(), Some("2026-02-27T00:00:09.554Z"));
        assert_eq!((list.entries.len(), list.entities), (1, 1));
        let e = &list.entries[0];
        assert_eq!(e.reference, "QDi.999");
        assert_eq!(e.kind, AlertKind::TravelBan);
        let names: Vec<(&str, &str, NameQuality)> =
            e.names.iter().map(|n| (n.given_names.as_str(), n.surnames.as_str(), n.quality)).collect();
        assert_eq!(
            names,
            [
                ("ABDUL", "SATAR AL-HAQ", NameQuality::Primary),
                ("", "Abu Omar & Sons", NameQuality::Good),
                ("", "Satar", NameQuality::Low)
            ]
        );
        let dates: Vec<String> = e.birth_dates.iter().map(|d| d.to_string()).collect();
        assert_eq!(dates, ["1964-07-01", "1966", "1967"]);
        assert_eq!(e.nationalities.iter().map(|c| c.as_str()).collect::<Vec<_>>(), ["IRN"]);
        assert_eq!(list.unknown_countries.iter().collect::<Vec<_>>(), ["Atlantis"]);
        assert_eq!(e.documents.len(), 1);
        assert_eq!(e.documents[0].number, "OB 0243318");
        assert_eq!(e.documents[0].issuing_state.map(|c| c.as_str()), Some("PAK"));
        assert_eq!(e.sex, Some(Sex::Male));
        assert_eq!(e.listed_on, NaiveDate::from_ymd_opt(2001, 10, 6));
    }

    #[test]
    fn a_file_that_is_not_the_list_is_refused_naming_the_rule() {
        for bad in ["<html></html>", "<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL>", "not xml at all <<<"] {
            match parse(bad) {
                Err(e) => assert_eq!(e.field, "file", "{bad}"),
                Ok(list) => assert!(list.entries.is_empty() && bad.contains("INDIVIDUAL"), "{bad}"),
            }
        }
        let no_reference = SAMPLE.replace("<REFERENCE_NUMBER>QDi.999</REFERENCE_NUMBER>", "");
        assert!(parse(&no_reference).is_err());
    }
}
