//! HXL, the Humanitarian Exchange Language: a table as CSV with a row of hashtags under the
//! header. Sex and age group become attributes of the count columns (`+f`, `+m`,
//! `+age15_24`, …) rather than rows, as HXL has it; dimensions HXL has no hashtag for get `#x_`
//! ones. A withheld count is empty; a combination that does not occur is 0.

use std::collections::{BTreeSet, HashMap, HashSet};

use frontera_domain::Lang;

use super::{ExportError, TOTAL, describe};
use crate::view::View;

/// The hashtag of a dimension's column.
fn tag(dimension: &str) -> String {
    match dimension {
        "day" => "#date".into(),
        "week" | "month" | "quarter" | "year" => format!("#date+{dimension}"),
        "country" => "#country+code".into(),
        "port" => "#loc+code".into(),
        "nationality" => "#country+code+origin".into(),
        "status" => "#status".into(),
        "length" => "#x_length_days".into(),
        other => format!("#x_{other}"),
    }
}

/// The attribute of a sex or age group value (none for the total).
fn attribute(dimension: &str, value: &str) -> Option<String> {
    if value == TOTAL {
        return None;
    }
    Some(match (dimension, value) {
        ("sex", "F") => "+f".into(),
        ("sex", "M") => "+m".into(),
        ("sex", other) => format!("+x_sex_{}", other.to_ascii_lowercase()),
        (_, "65+") => "+age65plus".into(),
        (_, "unknown") => "+age_unknown".into(),
        (_, range) => format!("+age{}", range.replace('-', "_")),
    })
}

/// Writes `view` as HXL-tagged CSV, the counts tagged `count_tag` (`#x_crossings`, …), the
/// header's labels in `lang`.
pub fn write_csv(
    view: View<'_>,
    count_tag: &str,
    lang: Lang,
    out: &mut dyn std::io::Write,
) -> Result<(), ExportError> {
    let dims = view.dimensions();
    let pivot: Vec<usize> = (0..dims.len()).filter(|&i| matches!(dims[i], "sex" | "age_group")).collect();
    let rest: Vec<usize> = (0..dims.len()).filter(|i| !pivot.contains(i)).collect();
    let lines = view.lines();
    // The count columns: each combination of sex and age group that occurs.
    let columns: BTreeSet<Vec<&str>> =
        lines.iter().map(|l| pivot.iter().map(|&i| l.key[i].as_str()).collect()).collect();
    let columns: Vec<Vec<&str>> = columns.into_iter().collect();
    let mut rows: Vec<Vec<&str>> = Vec::new();
    let mut seen: HashSet<Vec<&str>> = HashSet::new();
    let mut cells: HashMap<(Vec<&str>, Vec<&str>), Option<u64>> = HashMap::new();
    for l in &lines {
        let row: Vec<&str> = rest.iter().map(|&i| l.key[i].as_str()).collect();
        let column: Vec<&str> = pivot.iter().map(|&i| l.key[i].as_str()).collect();
        if seen.insert(row.clone()) {
            rows.push(row.clone());
        }
        cells.insert((row, column), l.count);
    }
    let mut w = csv::Writer::from_writer(out);
    let (count_label, _) = describe("count", lang);
    let mut labels: Vec<String> = rest.iter().map(|&i| describe(dims[i], lang).0.to_string()).collect();
    let mut tags: Vec<String> = rest.iter().map(|&i| tag(dims[i])).collect();
    for column in &columns {
        let values: Vec<&str> = column.iter().copied().filter(|v| *v != TOTAL).collect();
        labels.push(if values.is_empty() {
            count_label.to_string()
        } else {
            format!("{count_label} {}", values.join(" "))
        });
        let attributes: String =
            pivot.iter().zip(column).filter_map(|(&i, v)| attribute(dims[i], v)).collect();
        tags.push(format!("{count_tag}{attributes}"));
    }
    w.write_record(&labels)?;
    w.write_record(&tags)?;
    for row in &rows {
        let mut record: Vec<String> = row.iter().map(|v| v.to_string()).collect();
        for column in &columns {
            record.push(match cells.get(&(row.clone(), column.clone())) {
                Some(Some(n)) => n.to_string(),
                Some(None) => String::new(),
                None => "0".into(),
            });
        }
        w.write_record(&record)?;
    }
    w.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::disclosure::protect;
    use crate::export::tests::table;

    fn read(text: &str) -> Vec<Vec<String>> {
        csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(text.as_bytes())
            .records()
            .map(|r| r.expect("a record").iter().map(String::from).collect())
            .collect()
    }

    #[test]
    fn sex_becomes_attributes_of_the_count_columns_and_the_table_reads_back() {
        let t = table();
        let mut out = Vec::new();
        write_csv(View::Counted(&t), "#x_crossings", Lang::Es, &mut out).expect("written");
        let rows = read(&String::from_utf8(out).expect("UTF-8"));
        assert_eq!(rows[0], ["Mes", "Nacionalidad", "Cantidad F", "Cantidad M"]);
        assert_eq!(rows[1], ["#date+month", "#country+code+origin", "#x_crossings+f", "#x_crossings+m"]);
        assert_eq!(rows.len(), 2 + 3);
        // Every count of the table, and nothing else, is in the file.
        let mut back: Vec<(String, String, String, u64)> = Vec::new();
        for r in &rows[2..] {
            for (sex, v) in [("F", &r[2]), ("M", &r[3])] {
                back.push((r[0].clone(), r[1].clone(), sex.into(), v.parse().expect("a count")));
            }
        }
        let want: Vec<(String, String, String, u64)> =
            t.rows.iter().map(|r| (r.key[0].clone(), r.key[1].clone(), r.key[2].clone(), r.count)).collect();
        assert_eq!(back, want);
    }

    #[test]
    fn a_public_table_has_its_totals_as_untagged_columns_and_withheld_counts_empty() {
        let p = protect(&table(), 5);
        let mut out = Vec::new();
        write_csv(View::Protected(&p), "#x_crossings", Lang::En, &mut out).expect("written");
        let rows = read(&String::from_utf8(out).expect("UTF-8"));
        assert_eq!(rows[1][2..], ["#x_crossings+f", "#x_crossings+m", "#x_crossings"]);
        let gtm = rows.iter().find(|r| r[1] == "GTM").expect("Guatemala's row");
        assert_eq!(gtm[2], "", "two persons are withheld");
        assert!(rows.iter().any(|r| r[0] == TOTAL));
        assert_eq!(attribute("age_group", "65+").as_deref(), Some("+age65plus"));
        assert_eq!(attribute("age_group", "15-24").as_deref(), Some("+age15_24"));
    }
}
