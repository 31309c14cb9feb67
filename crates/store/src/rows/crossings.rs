//! The row forms of crossings, travellers, their counts and the facts statistics read.

use chrono::{DateTime, NaiveDate, Utc};
use frontera_domain::document::{DocumentKind, DocumentNumber, TravelDocument};
use frontera_domain::mrz::MrzFormat;
use frontera_domain::{
    Category, CountryCode, Crossing, CrossingId, Direction, PartialDate, Person, PersonId, PersonName,
    PortId, Provenance, Purpose, Sex, TransportMode,
};
use sqlx::{Database, Encode, QueryBuilder, Type};
use uuid::Uuid;

use super::shared::{Param, corrupt, from_micros, micros};
use crate::error::StoreError;

/// The columns of `crossings`, in the order [`push_values`] binds them.
pub(crate) const COLUMNS: &str = "id, port_id, country, direction, category, purpose, transport_mode, \
    permitted_stay_days, occurred_at, person_id, given_names, first_surname, second_surname, sex, birth_date, \
    nationality, document_kind, document_number, issuing_state, document_expiry, mrz_format, recorded_by, \
    node_id, recorded_at, fingerprint, processing_ms";

/// The number of columns in [`COLUMNS`].
pub(crate) const COLUMN_COUNT: usize = 26;

#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct CrossingRecord {
    pub id: Uuid,
    pub port_id: String,
    pub country: String,
    pub direction: String,
    pub category: String,
    pub purpose: Option<String>,
    pub transport_mode: Option<String>,
    pub permitted_stay_days: Option<i64>,
    pub occurred_at: i64,
    pub person_id: Uuid,
    pub given_names: String,
    pub first_surname: String,
    pub second_surname: Option<String>,
    pub sex: String,
    pub birth_date: Option<String>,
    pub nationality: String,
    pub document_kind: String,
    pub document_number: String,
    pub issuing_state: String,
    pub document_expiry: Option<String>,
    pub mrz_format: Option<String>,
    pub recorded_by: String,
    pub node_id: String,
    pub recorded_at: i64,
    pub fingerprint: String,
    pub processing_ms: Option<i64>,
}

impl CrossingRecord {
    pub(crate) fn from_crossing(c: &Crossing, fingerprint: &str) -> CrossingRecord {
        CrossingRecord {
            id: c.id.0,
            port_id: c.port_id.to_string(),
            country: c.country.to_string(),
            direction: c.direction.as_str().into(),
            category: c.category.as_str().into(),
            purpose: c.purpose.map(|p| p.as_str().into()),
            transport_mode: c.transport_mode.map(|t| t.as_str().into()),
            permitted_stay_days: c.permitted_stay_days.map(i64::from),
            occurred_at: micros(c.occurred_at),
            person_id: c.person_id.0,
            given_names: c.person.name.given_names.clone(),
            first_surname: c.person.name.first_surname.clone(),
            second_surname: c.person.name.second_surname.clone(),
            sex: c.person.sex.code().into(),
            birth_date: c.person.birth_date.map(|b| b.to_string()),
            nationality: c.person.nationality.to_string(),
            document_kind: c.document.kind.as_str().into(),
            document_number: c.document.number.to_string(),
            issuing_state: c.document.issuing_state.to_string(),
            document_expiry: c.document.expiry_date.map(|d| d.to_string()),
            mrz_format: c.document.mrz_format.map(|f| f.as_str().into()),
            recorded_by: c.provenance.recorded_by.clone(),
            node_id: c.provenance.node_id.clone(),
            recorded_at: micros(c.provenance.recorded_at),
            fingerprint: fingerprint.to_string(),
            processing_ms: c.provenance.processing_ms.map(i64::from),
        }
    }

    pub(crate) fn into_crossing(self) -> Result<Crossing, StoreError> {
        let country = |column: &'static str, v: &str| CountryCode::parse(v).map_err(|_| corrupt(column, v));
        let purpose = self
            .purpose
            .as_deref()
            .map(|p| Purpose::parse(p).map_err(|_| corrupt("purpose", p)))
            .transpose()?;
        let transport_mode = self
            .transport_mode
            .as_deref()
            .map(|t| TransportMode::parse(t).map_err(|_| corrupt("transport_mode", t)))
            .transpose()?;
        let birth_date = self
            .birth_date
            .as_deref()
            .map(|b| PartialDate::parse(b).map_err(|_| corrupt("birth_date", b)))
            .transpose()?;
        let expiry_date = self
            .document_expiry
            .as_deref()
            .map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| corrupt("document_expiry", d)))
            .transpose()?;
        let mrz_format = self
            .mrz_format
            .as_deref()
            .map(|f| MrzFormat::parse(f).ok_or_else(|| corrupt("mrz_format", f)))
            .transpose()?;
        Ok(Crossing {
            id: CrossingId(self.id),
            port_id: PortId::parse(&self.port_id).map_err(|_| corrupt("port_id", &self.port_id))?,
            country: country("country", &self.country)?,
            direction: Direction::parse(&self.direction)
                .map_err(|_| corrupt("direction", &self.direction))?,
            category: Category::parse(&self.category).map_err(|_| corrupt("category", &self.category))?,
            purpose,
            transport_mode,
            permitted_stay_days: self.permitted_stay_days.and_then(|d| u16::try_from(d).ok()),
            occurred_at: from_micros("occurred_at", self.occurred_at)?,
            person_id: PersonId(self.person_id),
            person: Person {
                name: PersonName {
                    given_names: self.given_names,
                    first_surname: self.first_surname,
                    second_surname: self.second_surname,
                },
                sex: Sex::parse(&self.sex).map_err(|_| corrupt("sex", &self.sex))?,
                birth_date,
                nationality: country("nationality", &self.nationality)?,
            },
            document: TravelDocument {
                kind: DocumentKind::parse(&self.document_kind)
                    .map_err(|_| corrupt("document_kind", &self.document_kind))?,
                number: DocumentNumber::parse(&self.document_number)
                    .map_err(|_| corrupt("document_number", &self.document_number))?,
                issuing_state: country("issuing_state", &self.issuing_state)?,
                expiry_date,
                mrz_format,
            },
            provenance: Provenance {
                recorded_by: self.recorded_by,
                node_id: self.node_id,
                recorded_at: from_micros("recorded_at", self.recorded_at)?,
                processing_ms: self.processing_ms.and_then(|ms| u32::try_from(ms).ok()),
            },
        })
    }
}

/// Appends `VALUES (…), (…)` for `rows` to an `INSERT INTO crossings (COLUMNS)`.
pub(crate) fn push_values<'a, DB: Database>(qb: &mut QueryBuilder<'a, DB>, rows: &'a [CrossingRecord])
where
    Uuid: Encode<'a, DB> + Type<DB>,
    &'a str: Encode<'a, DB> + Type<DB>,
    Option<&'a str>: Encode<'a, DB> + Type<DB>,
    i64: Encode<'a, DB> + Type<DB>,
    Option<i64>: Encode<'a, DB> + Type<DB>,
{
    qb.push_values(rows, |mut b, r| {
        b.push_bind(r.id)
            .push_bind(r.port_id.as_str())
            .push_bind(r.country.as_str())
            .push_bind(r.direction.as_str())
            .push_bind(r.category.as_str())
            .push_bind(r.purpose.as_deref())
            .push_bind(r.transport_mode.as_deref())
            .push_bind(r.permitted_stay_days)
            .push_bind(r.occurred_at)
            .push_bind(r.person_id)
            .push_bind(r.given_names.as_str())
            .push_bind(r.first_surname.as_str())
            .push_bind(r.second_surname.as_deref())
            .push_bind(r.sex.as_str())
            .push_bind(r.birth_date.as_deref())
            .push_bind(r.nationality.as_str())
            .push_bind(r.document_kind.as_str())
            .push_bind(r.document_number.as_str())
            .push_bind(r.issuing_state.as_str())
            .push_bind(r.document_expiry.as_deref())
            .push_bind(r.mrz_format.as_deref())
            .push_bind(r.recorded_by.as_str())
            .push_bind(r.node_id.as_str())
            .push_bind(r.recorded_at)
            .push_bind(r.fingerprint.as_str())
            .push_bind(r.processing_ms);
    });
}

/// Appends ` WHERE …` for every filter of `q`, and the cursor's bound when `q.after` is set.
pub(crate) fn push_filters<'a, DB: Database>(
    qb: &mut QueryBuilder<'a, DB>,
    q: &'a crate::crossings::CrossingQuery,
) where
    Uuid: Encode<'a, DB> + Type<DB>,
    &'a str: Encode<'a, DB> + Type<DB>,
    i64: Encode<'a, DB> + Type<DB>,
{
    qb.push(" WHERE 1 = 1");
    if !q.countries.is_empty() {
        qb.push(" AND country IN (");
        let mut sep = qb.separated(", ");
        for c in &q.countries {
            sep.push_bind(c.as_str());
        }
        qb.push(")");
    }
    if let Some(port) = &q.port {
        qb.push(" AND port_id = ").push_bind(port.as_str());
    }
    if let Some(d) = q.direction {
        qb.push(" AND direction = ").push_bind(d.as_str());
    }
    if let Some(from) = q.from {
        qb.push(" AND occurred_at >= ").push_bind(from.timestamp_micros());
    }
    if let Some(to) = q.to {
        qb.push(" AND occurred_at < ").push_bind(to.timestamp_micros());
    }
    if let Some(n) = q.nationality {
        qb.push(" AND nationality = ").push_bind(n.as_str());
    }
    if let Some(c) = q.category {
        qb.push(" AND category = ").push_bind(c.as_str());
    }
    if let Some(p) = q.person {
        qb.push(" AND person_id = ").push_bind(p.0);
    }
}

/// Appends the cursor bound, the order and the limit (one more than asked, to see if a next page
/// exists).
pub(crate) fn push_page<'a, DB: Database>(
    qb: &mut QueryBuilder<'a, DB>,
    q: &'a crate::crossings::CrossingQuery,
) where
    Uuid: Encode<'a, DB> + Type<DB>,
    i64: Encode<'a, DB> + Type<DB>,
{
    let (cmp, dir) = match q.order {
        crate::crossings::Order::NewestFirst => ("<", "DESC"),
        crate::crossings::Order::OldestFirst => (">", "ASC"),
    };
    if let Some(c) = &q.after {
        qb.push(format!(" AND (occurred_at, id) {cmp} ("))
            .push_bind(c.occurred_micros)
            .push(", ")
            .push_bind(c.id.0)
            .push(")");
    }
    qb.push(format!(" ORDER BY occurred_at {dir}, id {dir} LIMIT "))
        .push_bind(i64::from(q.limit.clamp(1, 10_000)) + 1);
}

/// Splits the extra row off a page.
pub(crate) fn into_page(
    records: Vec<CrossingRecord>,
    limit: u32,
) -> Result<crate::crossings::CrossingPage, StoreError> {
    let limit = limit.clamp(1, 10_000) as usize;
    let more = records.len() > limit;
    let crossings =
        records.into_iter().take(limit).map(CrossingRecord::into_crossing).collect::<Result<Vec<_>, _>>()?;
    let next = if more { crossings.last().map(crate::crossings::Cursor::after) } else { None };
    Ok(crate::crossings::CrossingPage { crossings, next })
}

/// Sorts the rows of a chunk an insert did not all store: those whose id is stored with another
/// fingerprint conflict; the rest not inserted were stored before with the same content.
pub(crate) fn sort_skipped(
    chunk: &[CrossingRecord],
    stored: &std::collections::HashMap<Uuid, String>,
    inserted: u64,
    counts: &mut crate::crossings::ImportCounts,
) {
    let mut conflicting = 0u64;
    for r in chunk {
        if stored.get(&r.id).is_some_and(|fingerprint| *fingerprint != r.fingerprint) {
            counts.conflicting.push(CrossingId(r.id));
            conflicting += 1;
        }
    }
    counts.already_present += (chunk.len() as u64).saturating_sub(inserted + conflicting);
}

/// The columns of `travellers`, in the order [`TravellerRecord`] holds them.
pub(crate) const TRAVELLER_COLUMNS: &str =
    "person_id, country, name_key, birth_date, document_number, last_crossing, last_at, stay_until";

/// A row of `travellers`: a person's search keys and their latest crossing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TravellerRecord {
    pub person_id: Uuid,
    pub country: String,
    pub name_key: String,
    pub birth_date: Option<String>,
    pub document_number: String,
    pub last_crossing: Uuid,
    pub last_at: i64,
    pub stay_until: Option<i64>,
}

/// What storing a `travellers` row does when its person has one: a later crossing replaces it,
/// an earlier one (an import of older records) leaves it.
/// The country and the document number never change: the person's id derives from them.
pub(crate) const TRAVELLER_UPSERT: &str = " ON CONFLICT (person_id) DO UPDATE SET \
    name_key = excluded.name_key, birth_date = excluded.birth_date, \
    last_crossing = excluded.last_crossing, last_at = excluded.last_at, stay_until = excluded.stay_until \
    WHERE (excluded.last_at, excluded.last_crossing) >= (travellers.last_at, travellers.last_crossing)";

/// Microseconds in a day.
pub(crate) const DAY_MICROS: i64 = 86_400_000_000;

impl TravellerRecord {
    /// The row `c` makes when it is its person's latest crossing.
    pub(crate) fn from_crossing(c: &Crossing) -> TravellerRecord {
        let last_at = micros(c.occurred_at);
        let stay_until = match (c.direction, c.permitted_stay_days) {
            (Direction::Entry, Some(days)) => Some(last_at + i64::from(days) * DAY_MICROS),
            _ => None,
        };
        TravellerRecord {
            person_id: c.person_id.0,
            country: c.country.to_string(),
            name_key: c.person.name.search_key(),
            birth_date: c.person.birth_date.map(|b| b.to_string()),
            document_number: c.document.number.to_string(),
            last_crossing: c.id.0,
            last_at,
            stay_until,
        }
    }
}

/// The latest crossing of each person among the crossings of an import, kept as it streams by
/// (moved in, not copied: a file in time order replaces nearly every row) and made into
/// `travellers` rows once, at commit.
#[derive(Debug, Default)]
pub(crate) struct LatestPerPerson(std::collections::HashMap<Uuid, Crossing>);

impl LatestPerPerson {
    /// Take in a batch.
    pub(crate) fn add(&mut self, crossings: impl IntoIterator<Item = Crossing>) {
        use std::collections::hash_map::Entry;
        let recency = |c: &Crossing| (micros(c.occurred_at), c.id.0);
        for c in crossings {
            match self.0.entry(c.person_id.0) {
                Entry::Vacant(slot) => {
                    slot.insert(c);
                }
                Entry::Occupied(mut slot) => {
                    if recency(&c) > recency(slot.get()) {
                        slot.insert(c);
                    }
                }
            }
        }
    }

    /// The rows, in person order (neighbours in the table's B-tree).
    pub(crate) fn into_sorted(self) -> Vec<TravellerRecord> {
        let mut rows: Vec<TravellerRecord> = self.0.values().map(TravellerRecord::from_crossing).collect();
        rows.sort_unstable_by_key(|r| r.person_id);
        rows
    }
}

/// The order of a traveller search's crossings: the most recently seen first.
pub(crate) const LATEST_FIRST: &str = "occurred_at DESC, id DESC";

/// The order of overstays: the earliest end of stay first.
pub(crate) const OVERDUE_FIRST: &str = "occurred_at + permitted_stay_days * 86400000000 ASC, id ASC";

/// The ids of the latest crossings of the travellers `q` finds (every criterion given must
/// hold), with placeholders numbered from 1 in the engine's `mark` form (`?1`, `$1`).
pub(crate) fn traveller_search(q: &crate::crossings::TravellerQuery, mark: &str) -> (String, Vec<Param>) {
    let mut sql = String::from("SELECT last_crossing FROM travellers WHERE country = ");
    let mut args = Vec::new();
    let mut bind = |sql: &mut String, value: Param| {
        args.push(value);
        sql.push_str(&format!("{mark}{}", args.len()));
    };
    bind(&mut sql, Param::Text(q.country.to_string()));
    // Each word of the name begins a word of the key: `per lop` finds PEREZ LOPEZ.
    for word in frontera_domain::fold_name(&q.name).split(' ').filter(|w| !w.is_empty()) {
        sql.push_str(" AND ' ' || name_key LIKE ");
        bind(&mut sql, Param::Text(format!("% {word}%")));
    }
    if let Some(number) = &q.document_number {
        sql.push_str(" AND document_number = ");
        bind(&mut sql, Param::Text(number.to_string()));
    }
    if let Some(birth) = &q.birth_date {
        // A partial date on either side matches the dates it contains.
        let text = birth.to_string();
        sql.push_str(" AND (birth_date = ");
        bind(&mut sql, Param::Text(text.clone()));
        sql.push_str(" OR birth_date LIKE ");
        bind(&mut sql, Param::Text(format!("{text}-%")));
        sql.push_str(" OR ");
        bind(&mut sql, Param::Text(text));
        sql.push_str(" LIKE birth_date || '-%')");
    }
    sql.push_str(" ORDER BY last_at DESC, last_crossing DESC LIMIT ");
    bind(&mut sql, Param::Int(i64::from(q.limit.clamp(1, 1_000))));
    (sql, args)
}

/// The open overstays of a country, or of the entries at one port, at `at`: their count
/// (`SELECT COUNT(*)`) when `limit` is `None`, else the ids of the latest crossings of at most
/// `limit` of them, the earliest end of stay first.
pub(crate) fn overstays(
    country: CountryCode,
    port: Option<&PortId>,
    at: DateTime<Utc>,
    limit: Option<u32>,
    mark: &str,
) -> (String, Vec<Param>) {
    let select = if limit.is_some() { "last_crossing" } else { "COUNT(*)" };
    let mut sql = format!(
        "SELECT {select} FROM travellers WHERE country = {mark}1 AND stay_until IS NOT NULL AND stay_until < {mark}2"
    );
    let mut args = vec![Param::Text(country.to_string()), Param::Int(micros(at))];
    if let Some(port) = port {
        args.push(Param::Text(port.to_string()));
        // One look-up by id per overstay: far fewer than the port's crossings.
        sql.push_str(&format!(
            " AND EXISTS (SELECT 1 FROM crossings c WHERE c.id = travellers.last_crossing AND c.port_id = {mark}3)"
        ));
    }
    if let Some(limit) = limit {
        args.push(Param::Int(i64::from(limit.clamp(1, 1_000))));
        sql.push_str(&format!(" ORDER BY stay_until, person_id LIMIT {mark}{}", args.len()));
    }
    (sql, args)
}

/// A [`crate::crossings::CrossingFact`] from its stored columns.
pub(crate) fn fact(row: FactRow) -> Result<crate::crossings::CrossingFact, StoreError> {
    let (occurred_at, direction, category, processing_ms, port_id, nationality, sex, birth_date, country) =
        row;
    Ok(crate::crossings::CrossingFact {
        occurred_at: from_micros("occurred_at", occurred_at)?,
        direction: Direction::parse(&direction).map_err(|_| corrupt("direction", &direction))?,
        category: Category::parse(&category).map_err(|_| corrupt("category", &category))?,
        processing_ms: processing_ms.and_then(|ms| u32::try_from(ms).ok()),
        port_id: PortId::parse(&port_id).map_err(|_| corrupt("port_id", &port_id))?,
        country: CountryCode::parse(&country).map_err(|_| corrupt("country", &country))?,
        nationality: CountryCode::parse(&nationality).map_err(|_| corrupt("nationality", &nationality))?,
        sex: Sex::parse(&sex).map_err(|_| corrupt("sex", &sex))?,
        birth_date: birth_date
            .map(|b| PartialDate::parse(&b).map_err(|_| corrupt("birth_date", &b)))
            .transpose()?,
    })
}

/// The columns of a [`crate::crossings::CrossingFact`], in [`FactRow`]'s order.
pub(crate) const FACT_COLUMNS: &str =
    "SELECT occurred_at, direction, category, processing_ms, port_id, nationality, sex, birth_date, country";

/// A row of [`FACT_COLUMNS`].
pub(crate) type FactRow = (i64, String, String, Option<i64>, String, String, String, Option<String>, String);

/// The key columns of `crossing_counts`, in `CountKey::columns`' order.
pub(crate) const COUNT_KEY_COLUMNS: &str =
    "country, day, port_id, direction, nationality, category, sex, age_group";

/// The tables of counts: by day, and by month (a cell's `day` the month's first).
pub(crate) const COUNT_TABLES: [&str; 2] = ["crossing_counts", "crossing_counts_monthly"];

/// The table of counts a query reads.
pub(crate) fn count_table(q: &crate::crossings::CountQuery) -> &'static str {
    if q.monthly { COUNT_TABLES[1] } else { COUNT_TABLES[0] }
}

/// Adds `excluded.crossings` to a cell of `table`, creating it at that count.
pub(crate) fn count_upsert(table: &str, marks: &[String]) -> String {
    format!(
        "INSERT INTO {table} ({COUNT_KEY_COLUMNS}, crossings) VALUES ({}) \
         ON CONFLICT ({COUNT_KEY_COLUMNS}) DO UPDATE SET crossings = {table}.crossings + excluded.crossings",
        marks.join(", ")
    )
}

/// A count key from its stored columns.
pub(crate) fn count_key(f: [String; 8]) -> Result<frontera_domain::CountKey, StoreError> {
    let [country, day, port, direction, nationality, category, sex, age] = f;
    Ok(frontera_domain::CountKey {
        country: CountryCode::parse(&country).map_err(|_| corrupt("country", &country))?,
        day: iso_day(&day).ok_or_else(|| corrupt("day", &day))?,
        port_id: PortId::parse(&port).map_err(|_| corrupt("port_id", &port))?,
        direction: Direction::parse(&direction).map_err(|_| corrupt("direction", &direction))?,
        nationality: CountryCode::parse(&nationality).map_err(|_| corrupt("nationality", &nationality))?,
        category: Category::parse(&category).map_err(|_| corrupt("category", &category))?,
        sex: Sex::parse(&sex).map_err(|_| corrupt("sex", &sex))?,
        age_group: frontera_domain::AgeGroup::parse(&age).ok_or_else(|| corrupt("age_group", &age))?,
    })
}

/// A day written `YYYY-MM-DD`, read without a format parser (a count query reads one a cell).
pub(crate) fn iso_day(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        b.get(range)?.iter().try_fold(0u32, |n, d| d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0')))
    };
    NaiveDate::from_ymd_opt(i32::try_from(number(0..4)?).ok()?, number(5..7)?, number(8..10)?)
}

/// How many of `keys` fall in each cell.
pub(crate) fn tally<'a>(
    keys: impl IntoIterator<Item = &'a frontera_domain::CountKey>,
) -> std::collections::HashMap<&'a frontera_domain::CountKey, u64> {
    let mut cells = std::collections::HashMap::new();
    for k in keys {
        *cells.entry(k).or_default() += 1;
    }
    cells
}

/// The `WHERE` of a count query, with placeholders from 1 in the engine's `mark` form.
pub(crate) fn count_filter(q: &crate::crossings::CountQuery, mark: &str) -> (String, Vec<String>) {
    let mut clauses = Vec::new();
    let mut args: Vec<String> = Vec::new();
    if !q.countries.is_empty() {
        let mut marks = Vec::new();
        for c in &q.countries {
            args.push(c.to_string());
            marks.push(format!("{mark}{}", args.len()));
        }
        clauses.push(format!("country IN ({})", marks.join(", ")));
    }
    if let Some(from) = q.from {
        args.push(from.to_string());
        clauses.push(format!("day >= {mark}{}", args.len()));
    }
    if let Some(to) = q.to {
        args.push(to.to_string());
        clauses.push(format!("day <= {mark}{}", args.len()));
    }
    let sql = if clauses.is_empty() { String::new() } else { format!(" WHERE {}", clauses.join(" AND ")) };
    (sql, args)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_day_reads_back_and_anything_else_is_refused() {
        assert_eq!(iso_day("2026-02-28"), NaiveDate::from_ymd_opt(2026, 2, 28));
        for bad in ["2026-02-30", "2026-2-28", "2026/02/28", "20260228", "2026-02-2x", ""] {
            assert_eq!(iso_day(bad), None, "{bad}");
        }
    }
}

/// Builds [`crate::crossings::Movements`] from the rows of either engine: the documents first, then the
/// crossings, each naming its document by person id.
#[derive(Default)]
pub(crate) struct MovementsBuilder {
    out: crate::crossings::Movements,
    holder_at: std::collections::HashMap<Uuid, u32>,
    port_at: std::collections::HashMap<String, u16>,
}

/// The documents of a country: `person_id, name_key, birth_date, sex, nationality` (bind the
/// country as the first parameter).
pub(crate) const HOLDER_SELECT: &str = "SELECT t.person_id, t.name_key, t.birth_date, c.sex, c.nationality \
    FROM travellers t JOIN crossings c ON c.id = t.last_crossing WHERE t.country = ?";

/// The crossings of a country: `person_id, occurred_at, port_id, direction, category,
/// permitted_stay_days` (bind the country and the instant they come before).
pub(crate) const MOVEMENT_SELECT: &str = "SELECT person_id, occurred_at, port_id, direction, category, \
    permitted_stay_days FROM crossings WHERE country = ? AND occurred_at < ?";

impl MovementsBuilder {
    /// Adds a document.
    pub(crate) fn holder(
        &mut self,
        person_id: Uuid,
        name_key: String,
        birth_date: Option<&str>,
        sex: &str,
        nationality: &str,
    ) -> Result<(), StoreError> {
        let holder = crate::crossings::Holder {
            person_id: PersonId(person_id),
            name_key,
            birth_date: birth_date
                .map(|b| PartialDate::parse(b).map_err(|_| corrupt("birth_date", b)))
                .transpose()?,
            sex: Sex::parse(sex).map_err(|_| corrupt("sex", sex))?,
            nationality: CountryCode::parse(nationality).map_err(|_| corrupt("nationality", nationality))?,
        };
        self.holder_at.insert(person_id, self.out.holders.len() as u32);
        self.out.holders.push(holder);
        Ok(())
    }

    /// Adds a crossing of a document added before.
    pub(crate) fn crossing(
        &mut self,
        person_id: Uuid,
        occurred_at: i64,
        port_id: &str,
        direction: &str,
        category: &str,
        permitted_stay_days: Option<i64>,
    ) -> Result<(), StoreError> {
        let holder = *self.holder_at.get(&person_id).ok_or_else(|| StoreError::Corrupt {
            column: "travellers",
            value: format!("no row for person {person_id}, who has crossings"),
        })?;
        let port = match self.port_at.get(port_id) {
            Some(&p) => p,
            None => {
                let id = PortId::parse(port_id).map_err(|_| corrupt("port_id", port_id))?;
                let p = u16::try_from(self.out.ports.len()).map_err(|_| corrupt("port_id", port_id))?;
                self.out.ports.push(id);
                self.port_at.insert(port_id.to_string(), p);
                p
            }
        };
        self.out.rows.push(crate::crossings::MovementFact {
            holder,
            occurred_at,
            port,
            direction: Direction::parse(direction).map_err(|_| corrupt("direction", direction))?,
            category: Category::parse(category).map_err(|_| corrupt("category", category))?,
            permitted_stay_days: permitted_stay_days.and_then(|d| u16::try_from(d).ok()),
        });
        Ok(())
    }

    /// The movements.
    pub(crate) fn finish(self) -> crate::crossings::Movements {
        self.out
    }
}
