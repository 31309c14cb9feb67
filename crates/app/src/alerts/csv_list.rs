//! An alert list as CSV, the format a country's own lists are kept in.
//!
//! One row per entry, with a header; columns in any order, only `reference` required:
//!
//! | column | holds |
//! |---|---|
//! | `reference` | the entry's reference in its list |
//! | `kind` | `travel_ban`, `wanted`, `lost_document`, `missing_child` or `removal_order` (default: the list's) |
//! | `given_names`, `surnames` | the name |
//! | `aliases` | other names, `;` between them, each `GIVEN NAMES/SURNAMES` or a whole name |
//! | `sex` | `F`, `M` or `X` |
//! | `birth_dates` | `;` between them; `YYYY`, `YYYY-MM` or `YYYY-MM-DD` |
//! | `nationalities` | ISO 3166-1 alpha-3 codes, `;` between them |
//! | `documents` | numbers, `;` between them, each `NUMBER` or `STATE:NUMBER` |
//! | `reason`, `authority` | why, and who issued the alert |
//! | `valid_from`, `valid_until`, `listed_on` | `YYYY-MM-DD` |
//! | `action` | `refer`, `deny_entry`, `seize_document`, `protect` or `notify` (default: the kind's) |

use chrono::NaiveDate;
use frontera_domain::alert::{AlertDocument, AlertEntry, AlertKind, AlertName, HitAction, NameQuality};
use frontera_domain::{CountryCode, PartialDate, Rule, Sex, ValidationError};

/// Every column the format knows.
pub const COLUMNS: &[&str] = &[
    "reference",
    "kind",
    "given_names",
    "surnames",
    "aliases",
    "sex",
    "birth_dates",
    "nationalities",
    "documents",
    "reason",
    "authority",
    "valid_from",
    "valid_until",
    "listed_on",
    "action",
];

/// A bad row: its line and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRow {
    /// The line (the header is line 1).
    pub line: u64,
    /// The column and the rule.
    pub error: ValidationError,
}

fn date(text: &str, field: &str) -> Result<Option<NaiveDate>, ValidationError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| ValidationError::new(field, Rule::NotADate { format: "YYYY-MM-DD" }))
}

fn items(text: &str) -> impl Iterator<Item = &str> {
    text.split(';').map(str::trim).filter(|s| !s.is_empty())
}

/// One row's entry, from its cells by column name (a form's fields work as well).
pub fn entry(cell: &dyn Fn(&str) -> String, default_kind: AlertKind) -> Result<AlertEntry, ValidationError> {
    let kind = match cell("kind").trim() {
        "" => default_kind,
        k => AlertKind::parse(k).map_err(|r| ValidationError::new("kind", r))?,
    };
    let mut names = Vec::new();
    let (given, surnames) = (cell("given_names"), cell("surnames"));
    if !given.trim().is_empty() || !surnames.trim().is_empty() {
        names.push(AlertName {
            given_names: given.trim().into(),
            surnames: surnames.trim().into(),
            quality: NameQuality::Primary,
        });
    }
    for alias in items(&cell("aliases")) {
        let (g, s) = alias.split_once('/').unwrap_or(("", alias));
        names.push(AlertName {
            given_names: g.trim().into(),
            surnames: s.trim().into(),
            quality: NameQuality::Good,
        });
    }
    let sex = match cell("sex").trim() {
        "" => None,
        s => Some(Sex::parse(s).map_err(|r| ValidationError::new("sex", r))?),
    };
    let birth_dates = items(&cell("birth_dates"))
        .map(|d| PartialDate::parse(d).map_err(|r| ValidationError::new("birth_dates", r)))
        .collect::<Result<Vec<_>, _>>()?;
    let nationalities = items(&cell("nationalities"))
        .map(|n| CountryCode::parse_field(n, "nationalities"))
        .collect::<Result<Vec<_>, _>>()?;
    let documents = items(&cell("documents"))
        .map(|d| {
            let (state, number) = match d.split_once(':') {
                Some((s, n)) => (Some(CountryCode::parse_field(s, "documents")?), n.trim()),
                None => (None, d),
            };
            Ok(AlertDocument { kind: String::new(), number: number.to_string(), issuing_state: state })
        })
        .collect::<Result<Vec<_>, ValidationError>>()?;
    let action = match cell("action").trim() {
        "" => kind.default_action(),
        a => HitAction::parse(a).map_err(|r| ValidationError::new("action", r))?,
    };
    let entry = AlertEntry {
        reference: cell("reference").trim().into(),
        kind,
        names,
        sex,
        birth_dates,
        nationalities,
        documents,
        listed_on: date(&cell("listed_on"), "listed_on")?,
        reason: cell("reason").trim().into(),
        authority: cell("authority").trim().into(),
        valid_from: date(&cell("valid_from"), "valid_from")?,
        valid_until: date(&cell("valid_until"), "valid_until")?,
        action,
    };
    entry.validate()?;
    Ok(entry)
}

/// Read a list from CSV text: its entries, or every bad row (a header that is not the format's
/// is line 1's error). A reference given twice is an error on its second line.
pub fn parse(text: &str, default_kind: AlertKind) -> Result<Vec<AlertEntry>, Vec<BadRow>> {
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(text.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_ascii_lowercase()).collect(),
        Err(e) => {
            let rule = crate::formats::unreadable_csv(&e);
            return Err(vec![BadRow { line: 1, error: ValidationError::new("header", rule) }]);
        }
    };
    if let Some(unknown) = header.iter().find(|c| !COLUMNS.contains(&c.as_str())) {
        let rule = Rule::syntax(
            format!("unknown column {unknown:?}; the columns are {}", COLUMNS.join(", ")),
            format!("columna desconocida {unknown:?}; las columnas son {}", COLUMNS.join(", ")),
        );
        return Err(vec![BadRow { line: 1, error: ValidationError::new("header", rule) }]);
    }
    if !header.iter().any(|c| c == "reference") {
        return Err(vec![BadRow { line: 1, error: ValidationError::new("reference", Rule::Required) }]);
    }
    let mut entries = Vec::new();
    let mut bad = Vec::new();
    let mut seen = std::collections::HashMap::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                bad.push(BadRow {
                    line,
                    error: ValidationError::new("row", crate::formats::unreadable_csv(&e)),
                });
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        let cell = |name: &str| -> String {
            header.iter().position(|c| c == name).and_then(|i| record.get(i)).unwrap_or("").to_string()
        };
        match entry(&cell, default_kind) {
            Ok(e) => {
                if let Some(first) = seen.insert(e.reference.clone(), line) {
                    let rule = Rule::syntax(
                        format!("the reference is given on line {first} already"),
                        format!("la referencia ya se indica en la línea {first}"),
                    );
                    bad.push(BadRow { line, error: ValidationError::new("reference", rule) });
                } else {
                    entries.push(e);
                }
            }
            Err(error) => bad.push(BadRow { line, error }),
        }
    }
    if bad.is_empty() { Ok(entries) } else { Err(bad) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_gives_names_aliases_dates_documents_and_defaults() {
        let text = "reference,given_names,surnames,aliases,birth_dates,nationalities,documents,reason\n\
                    BZ-W-1,José Luis,Hernández Canché,Pepe/Canché;El Güero,1971-03-14;1971,MEX,MEX:G7654321;A123,robbery\n";
        let entries = parse(text, AlertKind::Wanted).unwrap();
        let e = &entries[0];
        assert_eq!(e.reference, "BZ-W-1");
        assert_eq!(e.kind, AlertKind::Wanted);
        assert_eq!(e.action, HitAction::Refer);
        assert_eq!(e.names.len(), 3);
        assert_eq!(e.names[1].given_names, "Pepe");
        assert_eq!(e.names[2].surnames, "El Güero");
        assert_eq!(e.birth_dates.len(), 2);
        assert_eq!(e.documents[0].issuing_state, Some(CountryCode::MEX));
        assert_eq!(e.documents[1].number, "A123");
    }

    #[test]
    fn bad_rows_are_named_by_line_and_column_and_nothing_is_returned() {
        let text =
            "reference,surnames,birth_dates,kind\nA,Pech,1990-13-01,\n,Chan,,\nC,Ku,,ghost\nA,Pech,,\n";
        let bad = parse(text, AlertKind::Wanted).unwrap_err();
        let found: Vec<(u64, &str)> = bad.iter().map(|b| (b.line, b.error.field.as_str())).collect();
        assert_eq!(found, vec![(2, "birth_dates"), (3, "reference"), (4, "kind")]);
        let text = "reference,surnames\nA,Pech\nA,Pech\n";
        let bad = parse(text, AlertKind::Wanted).unwrap_err();
        assert_eq!((bad[0].line, bad[0].error.field.as_str()), (3, "reference"));
        let bad = parse("ref,surnames\nA,B\n", AlertKind::Wanted).unwrap_err();
        assert_eq!((bad[0].line, bad[0].error.field.as_str()), (1, "header"));
    }

    #[test]
    fn a_lost_document_needs_its_number() {
        let bad = parse("reference,kind\nL1,lost_document\n", AlertKind::Wanted).unwrap_err();
        assert_eq!(bad[0].error.field, "documents");
    }
}
