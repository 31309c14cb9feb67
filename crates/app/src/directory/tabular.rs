//! The directory as HSDS 3.0's tabular form: a data package of CSV files, one per table
//! (`organizations.csv`, `services.csv`, `locations.csv`, `addresses.csv`,
//! `service_at_locations.csv`, `schedules.csv`, `languages.csv`, `attributes.csv`,
//! `taxonomy_terms.csv`, `taxonomies.csv`), joined by their `_id` columns, with a
//! `datapackage.json` that describes them.
//!
//! Reading joins the tables into HSDS's nested JSON and hands it to [`super::read_hsds_value`],
//! so both forms are checked by the same rules; a fault of a table is named by its file, its
//! line and its column (`services.csv:4:organization_id`). Columns are found by name, in any
//! order; columns this directory does not keep are ignored.

use std::collections::HashMap;

use frontera_domain::directory::{Directory, TAXONOMY};
use frontera_domain::{CountryCode, Rule, ValidationError};
use serde_json::{Map, Value, json};

use super::HsdsService;

/// The package's tables, in the order HSDS lists them, with the columns written.
pub const TABLES: &[(&str, &[&str])] = &[
    ("organizations.csv", &["id", "name", "description", "email", "website"]),
    (
        "services.csv",
        &[
            "id",
            "organization_id",
            "name",
            "description",
            "status",
            "email",
            "eligibility_description",
            "minimum_age",
            "maximum_age",
        ],
    ),
    ("locations.csv", &["id", "organization_id", "location_type", "name", "latitude", "longitude"]),
    (
        "addresses.csv",
        &["id", "location_id", "address_1", "city", "state_province", "country", "address_type"],
    ),
    ("service_at_locations.csv", &["id", "service_id", "location_id"]),
    (
        "schedules.csv",
        &["id", "service_at_location_id", "freq", "byday", "opens_at", "closes_at", "description"],
    ),
    ("languages.csv", &["id", "service_id", "code"]),
    ("attributes.csv", &["id", "link_id", "link_type", "link_entity", "taxonomy_term_id"]),
    ("taxonomy_terms.csv", &["id", "code", "name", "taxonomy_id"]),
    ("taxonomies.csv", &["id", "name", "description"]),
];

/// The taxonomy the directory's kinds of service come from.
const TAXONOMY_ID: &str = "frontera-services";

fn alpha2(c: CountryCode) -> String {
    c.info().map_or(c.as_str(), |i| if i.alpha2.is_empty() { i.code } else { i.alpha2 }).to_string()
}

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(ToString::to_string).unwrap_or_default()
}

/// The directory's services as HSDS 3.0 tables: each file's name and its bytes, the
/// `datapackage.json` last.
pub fn write_tabular(services: &[HsdsService]) -> Result<Vec<(String, Vec<u8>)>, csv::Error> {
    let mut rows: HashMap<&str, Vec<Vec<String>>> = HashMap::new();
    let mut seen: std::collections::HashSet<(String, String)> = std::collections::HashSet::new();
    let mut once = |table: &'static str, row: Vec<String>, rows: &mut HashMap<&str, Vec<Vec<String>>>| {
        if seen.insert((table.to_string(), row[0].clone())) {
            rows.entry(table).or_default().push(row);
        }
    };
    let mut terms: Vec<&str> = Vec::new();
    for h in services {
        let (s, o) = (&h.service, &h.organisation);
        once(
            "organizations.csv",
            vec![o.id.clone(), o.name.clone(), o.description.clone(), opt(&o.email), opt(&o.website)],
            &mut rows,
        );
        once(
            "services.csv",
            vec![
                s.id.clone(),
                s.organisation_id.clone(),
                s.name.clone(),
                s.description.clone(),
                s.status.clone(),
                opt(&s.email),
                opt(&s.eligibility.description),
                opt(&s.eligibility.minimum_age),
                opt(&s.eligibility.maximum_age),
            ],
            &mut rows,
        );
        for code in &s.languages {
            once(
                "languages.csv",
                vec![format!("{}-language-{code}", s.id), s.id.clone(), code.clone()],
                &mut rows,
            );
        }
        for kind in &s.kinds {
            once(
                "attributes.csv",
                vec![
                    format!("{}-{kind}", s.id),
                    s.id.clone(),
                    "service".into(),
                    "service".into(),
                    kind.clone(),
                ],
                &mut rows,
            );
            if !terms.contains(&kind.as_str()) {
                terms.push(kind);
            }
        }
        for (sal, l) in &h.at {
            once(
                "locations.csv",
                vec![
                    l.id.clone(),
                    l.organisation_id.clone(),
                    "physical".into(),
                    l.name.clone(),
                    opt(&l.latitude),
                    opt(&l.longitude),
                ],
                &mut rows,
            );
            once(
                "addresses.csv",
                vec![
                    format!("{}-address", l.id),
                    l.id.clone(),
                    opt(&l.address),
                    l.city.clone(),
                    l.region.clone(),
                    alpha2(l.country),
                    "physical".into(),
                ],
                &mut rows,
            );
            once(
                "service_at_locations.csv",
                vec![sal.id.clone(), sal.service_id.clone(), sal.location_id.clone()],
                &mut rows,
            );
            for (k, sc) in sal.schedules.iter().enumerate() {
                once(
                    "schedules.csv",
                    vec![
                        format!("{}-schedule-{}", sal.id, k + 1),
                        sal.id.clone(),
                        "WEEKLY".into(),
                        sc.byday.clone(),
                        sc.opens_at.clone(),
                        sc.closes_at.clone(),
                        opt(&sc.description),
                    ],
                    &mut rows,
                );
            }
        }
    }
    for code in terms {
        let name = TAXONOMY.iter().find(|t| t.0 == code).map_or(code, |t| t.1);
        once(
            "taxonomy_terms.csv",
            vec![code.to_string(), code.to_string(), name.to_string(), TAXONOMY_ID.into()],
            &mut rows,
        );
    }
    once(
        "taxonomies.csv",
        vec![
            TAXONOMY_ID.into(),
            "Frontera service types".into(),
            "The kinds of service protection officers refer people to".into(),
        ],
        &mut rows,
    );
    let mut files = Vec::new();
    let mut resources = Vec::new();
    for (name, columns) in TABLES {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(*columns)?;
        for row in rows.get(name).into_iter().flatten() {
            w.write_record(row)?;
        }
        let bytes = w.into_inner().map_err(|e| csv::Error::from(e.into_error()))?;
        files.push((name.to_string(), bytes));
        resources.push(json!({
            "name": name.trim_end_matches(".csv"),
            "path": name,
            "format": "csv",
            "mediatype": "text/csv",
            "profile": "tabular-data-resource",
            "schema": {"fields": columns.iter().map(|c| json!({"name": c, "type": "string"})).collect::<Vec<_>>()},
        }));
    }
    let package = json!({
        "name": "frontera-service-directory",
        "title": "Service directory (HSDS 3.0)",
        "profile": "tabular-data-package",
        "resources": resources,
    });
    let package =
        serde_json::to_vec_pretty(&package).map_err(|e| csv::Error::from(std::io::Error::other(e)))?;
    files.push(("datapackage.json".into(), package));
    Ok(files)
}

/// A table's cells of one row, by column.
type Row = HashMap<String, String>;

/// A table's rows grouped by a column's value, each with its line.
type Grouped<'t> = HashMap<String, Vec<(u64, &'t Row)>>;

/// One table read: its rows as column → value (empty cells left out), with their lines.
struct Table {
    file: &'static str,
    rows: Vec<(u64, Row)>,
}

impl Table {
    fn read(file: &'static str, bytes: &[u8]) -> Result<Table, ValidationError> {
        let bad = |e: csv::Error| {
            let line = e.position().map_or(0, |p| p.line());
            ValidationError::new(format!("{file}:{line}"), crate::formats::unreadable_csv(&e))
        };
        let mut r = csv::ReaderBuilder::new().flexible(false).from_reader(bytes);
        let headers: Vec<String> = r
            .headers()
            .map_err(bad)?
            .iter()
            .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
            .collect();
        let mut rows = Vec::new();
        for record in r.records() {
            let record = record.map_err(bad)?;
            let line = record.position().map_or(0, |p| p.line());
            let row = headers
                .iter()
                .zip(record.iter())
                .map(|(h, v)| (h.clone(), v.trim().to_string()))
                .filter(|(_, v)| !v.is_empty())
                .collect();
            rows.push((line, row));
        }
        Ok(Table { file, rows })
    }

    /// Rows grouped by the value of `column` (rows without it are a fault).
    fn by(&self, column: &str) -> Result<Grouped<'_>, ValidationError> {
        let mut out: HashMap<String, Vec<_>> = HashMap::new();
        for (line, row) in &self.rows {
            let key = need(self.file, *line, row, column)?;
            out.entry(key).or_default().push((*line, row));
        }
        Ok(out)
    }
}

fn need(
    file: &str,
    line: u64,
    row: &HashMap<String, String>,
    column: &str,
) -> Result<String, ValidationError> {
    row.get(column)
        .cloned()
        .ok_or_else(|| ValidationError::new(format!("{file}:{line}:{column}"), Rule::Required))
}

fn unknown(file: &str, line: u64, column: &str, other: &str) -> ValidationError {
    ValidationError::new(
        format!("{file}:{line}:{column}"),
        Rule::syntax(
            format!("no row of {other} has this id"),
            format!("ninguna fila de {other} tiene este id"),
        ),
    )
}

/// A cell as JSON: a number where the column holds one (a fault when it does not parse).
fn cell(
    file: &str,
    line: u64,
    row: &HashMap<String, String>,
    column: &str,
    number: bool,
) -> Result<Value, ValidationError> {
    match row.get(column) {
        None => Ok(Value::Null),
        Some(v) if number => v
            .parse::<f64>()
            .ok()
            .and_then(|n| {
                if n.fract() == 0.0 && n >= 0.0 {
                    Some(json!(n as u64))
                } else {
                    serde_json::Number::from_f64(n).map(Value::Number)
                }
            })
            .ok_or_else(|| {
                ValidationError::new(
                    format!("{file}:{line}:{column}"),
                    Rule::syntax("not a number", "no es un número"),
                )
            }),
        Some(v) => Ok(Value::String(v.clone())),
    }
}

fn object(
    file: &str,
    line: u64,
    row: &HashMap<String, String>,
    columns: &[(&str, bool)],
) -> Result<Map<String, Value>, ValidationError> {
    let mut o = Map::new();
    for (column, number) in columns {
        o.insert(column.to_string(), cell(file, line, row, column, *number)?);
    }
    Ok(o)
}

/// Reads an HSDS 3.0 data package: `files` maps each CSV's name to its bytes
/// (`organizations.csv` and `services.csv` must be there; the others may be missing).
pub fn read_tabular(
    files: &HashMap<String, Vec<u8>>,
    default_country: CountryCode,
) -> Result<Directory, ValidationError> {
    let table = |file: &'static str, required: bool| -> Result<Table, ValidationError> {
        match files.get(file) {
            Some(bytes) => Table::read(file, bytes),
            None if required => Err(ValidationError::new(file, Rule::Required)),
            None => Ok(Table { file, rows: Vec::new() }),
        }
    };
    let organisations = table("organizations.csv", true)?;
    let services = table("services.csv", true)?;
    let locations = table("locations.csv", false)?;
    let addresses = table("addresses.csv", false)?;
    let sals = table("service_at_locations.csv", false)?;
    let schedules = table("schedules.csv", false)?;
    let languages = table("languages.csv", false)?;
    let attributes = table("attributes.csv", false)?;
    let terms = table("taxonomy_terms.csv", false)?;

    let org_by_id = organisations.by("id")?;
    let loc_by_id = locations.by("id")?;
    let address_by_location = addresses.by("location_id")?;
    let sal_by_service = sals.by("service_id")?;
    let schedules_by_sal = schedules.by("service_at_location_id")?;
    let languages_by_service = languages.by("service_id")?;
    let attributes_by_link = attributes.by("link_id")?;
    let term_code: HashMap<String, String> = terms
        .rows
        .iter()
        .map(|(line, row)| Ok((need(terms.file, *line, row, "id")?, need(terms.file, *line, row, "code")?)))
        .collect::<Result<_, ValidationError>>()?;
    let service_ids = services.by("id")?;
    for (line, row) in &schedules.rows {
        let sal = need(schedules.file, *line, row, "service_at_location_id")?;
        if !sals.rows.iter().any(|(_, r)| r.get("id") == Some(&sal)) {
            return Err(unknown(schedules.file, *line, "service_at_location_id", "service_at_locations.csv"));
        }
    }
    for (file, by) in [(languages.file, &languages_by_service), (sals.file, &sal_by_service)] {
        for (id, rows) in by {
            if !service_ids.contains_key(id) {
                return Err(unknown(file, rows[0].0, "service_id", "services.csv"));
            }
        }
    }

    let mut out = Vec::new();
    for (line, s) in &services.rows {
        let f = services.file;
        let id = need(f, *line, s, "id")?;
        let org_id = need(f, *line, s, "organization_id")?;
        let Some(org) = org_by_id.get(&org_id).and_then(|rows| rows.first()) else {
            return Err(unknown(f, *line, "organization_id", "organizations.csv"));
        };
        let mut service = object(
            f,
            *line,
            s,
            &[
                ("id", false),
                ("name", false),
                ("description", false),
                ("status", false),
                ("email", false),
                ("eligibility_description", false),
                ("minimum_age", true),
                ("maximum_age", true),
            ],
        )?;
        service.insert(
            "organization".into(),
            Value::Object(object(
                organisations.file,
                org.0,
                org.1,
                &[
                    ("id", false),
                    ("name", false),
                    ("description", false),
                    ("email", false),
                    ("website", false),
                ],
            )?),
        );
        let langs: Vec<Value> = languages_by_service
            .get(&id)
            .into_iter()
            .flatten()
            .map(|(line, l)| Ok(json!({"code": need(languages.file, *line, l, "code")?})))
            .collect::<Result<_, ValidationError>>()?;
        service.insert("languages".into(), Value::Array(langs));
        let kinds: Vec<Value> = attributes_by_link
            .get(&id)
            .into_iter()
            .flatten()
            .filter(|(_, a)| a.get("link_type").is_none_or(|t| t == "service"))
            .map(|(line, a)| {
                let term = need(attributes.file, *line, a, "taxonomy_term_id")?;
                let code = term_code.get(&term).cloned().unwrap_or(term);
                Ok(json!({"taxonomy_term": {"code": code}}))
            })
            .collect::<Result<_, ValidationError>>()?;
        service.insert("attributes".into(), Value::Array(kinds));
        let mut at = Vec::new();
        for (sal_line, sal) in sal_by_service.get(&id).into_iter().flatten() {
            let sf = sals.file;
            let sal_id = need(sf, *sal_line, sal, "id")?;
            let loc_id = need(sf, *sal_line, sal, "location_id")?;
            let Some((loc_line, loc)) = loc_by_id.get(&loc_id).and_then(|rows| rows.first()) else {
                return Err(unknown(sf, *sal_line, "location_id", "locations.csv"));
            };
            let mut location = object(
                locations.file,
                *loc_line,
                loc,
                &[("id", false), ("name", false), ("latitude", true), ("longitude", true)],
            )?;
            let Some((a_line, a)) = address_by_location.get(&loc_id).and_then(|rows| rows.first()) else {
                return Err(ValidationError::new(
                    format!("{}:{loc_line}:id", locations.file),
                    Rule::syntax(
                        "no row of addresses.csv has this location_id",
                        "ninguna fila de addresses.csv tiene este location_id",
                    ),
                ));
            };
            let address = object(
                addresses.file,
                *a_line,
                a,
                &[("address_1", false), ("city", false), ("state_province", false), ("country", false)],
            )?;
            for column in ["city", "state_province", "country"] {
                need(addresses.file, *a_line, a, column)?;
            }
            location.insert("addresses".into(), json!([address]));
            let hours: Vec<Value> = schedules_by_sal
                .get(&sal_id)
                .into_iter()
                .flatten()
                .map(|(line, sc)| {
                    for column in ["byday", "opens_at", "closes_at"] {
                        need(schedules.file, *line, sc, column)?;
                    }
                    Ok(Value::Object(object(
                        schedules.file,
                        *line,
                        sc,
                        &[
                            ("byday", false),
                            ("opens_at", false),
                            ("closes_at", false),
                            ("description", false),
                        ],
                    )?))
                })
                .collect::<Result<_, ValidationError>>()?;
            at.push(json!({"id": sal_id, "location": location, "schedules": hours}));
        }
        service.insert("service_at_locations".into(), Value::Array(at));
        need(f, *line, s, "name")?;
        need(organisations.file, org.0, org.1, "name")?;
        out.push(Value::Object(service));
    }
    super::read_hsds_value(&Value::Array(out), default_country)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::{read_hsds, write_hsds};

    const SAMPLE: &str = r#"[
      {"id": "svc-casa", "name": "Casa shelter", "status": "active", "minimum_age": 0, "maximum_age": 17,
       "languages": [{"code": "es"}, {"code": "kek"}],
       "attributes": [{"taxonomy_term": {"code": "shelter"}}, {"taxonomy_term": {"code": "child_protection"}}],
       "organization": {"id": "org-casa", "name": "Casa, \"la de todos\"", "email": "casa@example.org"},
       "service_at_locations": [{"id": "sal-casa", "schedules": [{"byday": "MO,TU", "opens_at": "08:00", "closes_at": "18:00"}],
         "location": {"id": "loc-casa", "latitude": 18.5, "longitude": -88.3,
           "addresses": [{"address_1": "Av. Héroes 1", "city": "Chetumal", "state_province": "Quintana Roo", "country": "MX"}]}}]},
      {"id": "svc-legal", "name": "Legal aid", "status": "active", "organization": {"id": "org-casa", "name": "Casa, \"la de todos\""},
       "attributes": [{"taxonomy_term": {"code": "legal_aid"}}],
       "service_at_locations": [{"id": "sal-legal", "location": {"id": "loc-casa",
           "addresses": [{"city": "Chetumal", "state_province": "Quintana Roo", "country": "MX"}]}}]}
    ]"#;

    fn package() -> HashMap<String, Vec<u8>> {
        let d = read_hsds(SAMPLE, CountryCode::BLZ).unwrap();
        let services = crate::directory::nest(&d);
        write_tabular(&services).unwrap().into_iter().collect()
    }

    #[test]
    fn the_tables_read_back_as_the_directory_they_were_written_from() {
        let d = read_hsds(SAMPLE, CountryCode::BLZ).unwrap();
        let files = package();
        let names: Vec<&str> = TABLES.iter().map(|t| t.0).collect();
        for name in &names {
            assert!(files.contains_key(*name), "{name}");
        }
        let services = String::from_utf8(files["services.csv"].clone()).unwrap();
        assert!(services.starts_with("id,organization_id,name,"), "{services}");
        let package: Value = serde_json::from_slice(&files["datapackage.json"]).unwrap();
        assert_eq!(package["resources"].as_array().unwrap().len(), TABLES.len());
        let back = read_tabular(&files, CountryCode::BLZ).unwrap();
        assert_eq!(back, d);
        // And the JSON written from either is the same.
        assert_eq!(write_hsds(&crate::directory::nest(&back)), write_hsds(&crate::directory::nest(&d)));
    }

    #[test]
    fn a_fault_in_a_table_is_named_by_its_file_line_and_column() {
        let mut files = package();
        let text = String::from_utf8(files["services.csv"].clone()).unwrap().replace("org-casa", "org-none");
        files.insert("services.csv".into(), text.into_bytes());
        let e = read_tabular(&files, CountryCode::BLZ).unwrap_err();
        assert_eq!(e.field, "services.csv:2:organization_id");

        let mut files = package();
        let text = String::from_utf8(files["services.csv"].clone()).unwrap().replace(",17", ",old");
        files.insert("services.csv".into(), text.into_bytes());
        assert_eq!(read_tabular(&files, CountryCode::BLZ).unwrap_err().field, "services.csv:2:maximum_age");

        let mut files = package();
        files.remove("organizations.csv");
        assert_eq!(read_tabular(&files, CountryCode::BLZ).unwrap_err().field, "organizations.csv");

        let mut files = package();
        let text = String::from_utf8(files["addresses.csv"].clone()).unwrap().replace("Chetumal", "");
        files.insert("addresses.csv".into(), text.into_bytes());
        assert_eq!(read_tabular(&files, CountryCode::BLZ).unwrap_err().field, "addresses.csv:2:city");

        // Columns in another order, extra columns: read by name.
        let mut files = package();
        files.insert(
            "organizations.csv".into(),
            b"tax_status,name,id\nexempt,\"Casa, \"\"la de todos\"\"\",org-casa\n".to_vec(),
        );
        let back = read_tabular(&files, CountryCode::BLZ).unwrap();
        assert_eq!(back.organisations[0].name, "Casa, \"la de todos\"");
    }
}
