//! Estimates of informal crossings and the total flow as files: CSV, SDMX-CSV 2.0, HXL-tagged
//! CSV and XLSX, each carrying how the figures were made. Estimates are marked as such (SDMX
//! `OBS_STATUS` `E`, `M` where no sample covers it) and carry their standard error and 95% interval; the descriptive
//! indicators travel apart (a sheet of their own), labelled as not representative.

use chrono::Datelike;
use frontera_domain::Lang;
use rust_xlsxwriter::{Format, Workbook};

use super::estimate::{InformalEstimate, METHOD, TotalFlow};
use crate::AppError;
use crate::stats::TableFormat;

/// A cell of an export.
enum Cell {
    Text(String),
    Number(f64),
    Empty,
}

impl Cell {
    fn text(&self) -> String {
        match self {
            Cell::Text(t) => t.clone(),
            Cell::Number(n) => format!("{}", (n * 100.0).round() / 100.0),
            Cell::Empty => String::new(),
        }
    }
}

/// A table to write: column names, their HXL hashtags, their SDMX concepts (`None`: not in the
/// SDMX file) and the rows.
struct Grid {
    columns: Vec<(&'static str, &'static str, Option<&'static str>)>,
    rows: Vec<Vec<Cell>>,
    /// The SDMX dataflow.
    dataflow: &'static str,
    /// The SDMX columns in the data structure's order: its dimensions, `OBS_VALUE`, its
    /// attributes (`OBS_STATUS` and `COMMENT_DSET` come last, from the values).
    sdmx: &'static [&'static str],
    /// `TIME_PERIOD` as SDMX writes it, where the column says it otherwise.
    sdmx_period: Option<String>,
}

fn method(lang: Lang) -> &'static str {
    match lang {
        Lang::Es => METHOD[1],
        _ => METHOD[0],
    }
}

fn io(e: impl std::fmt::Display) -> AppError {
    AppError::Internal(format!("writing the file: {e}"))
}

impl Grid {
    fn write(&self, format: TableFormat, lang: Lang, extra: Option<&Grid>) -> Result<Vec<u8>, AppError> {
        match format {
            TableFormat::Json => Err(AppError::Internal("JSON is not a file export".into())),
            TableFormat::Csv | TableFormat::Hxl => {
                let mut w = csv::Writer::from_writer(Vec::new());
                let mut header: Vec<&str> = self.columns.iter().map(|c| c.0).collect();
                header.push("method");
                w.write_record(&header).map_err(io)?;
                if format == TableFormat::Hxl {
                    let mut tags: Vec<&str> = self.columns.iter().map(|c| c.1).collect();
                    tags.push("#meta+method");
                    w.write_record(&tags).map_err(io)?;
                }
                for row in &self.rows {
                    let mut cells: Vec<String> = row.iter().map(Cell::text).collect();
                    cells.push(method(lang).to_string());
                    w.write_record(&cells).map_err(io)?;
                }
                w.into_inner().map_err(io)
            }
            TableFormat::SdmxCsv => {
                let mut w = csv::Writer::from_writer(Vec::new());
                let mut header = vec!["STRUCTURE", "STRUCTURE_ID", "ACTION"];
                header.extend(self.sdmx.iter().copied());
                header.extend(["OBS_STATUS", "COMMENT_DSET"]);
                w.write_record(&header).map_err(io)?;
                let at = |concept: &str| self.columns.iter().position(|c| c.2 == Some(concept));
                for row in &self.rows {
                    let mut cells = vec!["dataflow".to_string(), self.dataflow.to_string(), "I".to_string()];
                    for concept in self.sdmx {
                        cells.push(match (*concept, &self.sdmx_period) {
                            ("TIME_PERIOD", Some(p)) => p.clone(),
                            _ => at(concept).and_then(|i| row.get(i)).map(Cell::text).unwrap_or_default(),
                        });
                    }
                    let observed =
                        at("OBS_VALUE").and_then(|i| row.get(i)).is_some_and(|c| !matches!(c, Cell::Empty));
                    cells.extend([if observed { "E" } else { "M" }.to_string(), METHOD[0].to_string()]);
                    w.write_record(&cells).map_err(io)?;
                }
                w.into_inner().map_err(io)
            }
            TableFormat::Xlsx => {
                let mut book = Workbook::new();
                let bold = Format::new().set_bold();
                let wrap = Format::new().set_text_wrap();
                for (name, grid) in [("estimates", Some(self)), ("descriptive", extra)] {
                    let Some(grid) = grid else { continue };
                    let ws = book.add_worksheet();
                    ws.set_name(name).map_err(io)?;
                    for (c, col) in grid.columns.iter().enumerate() {
                        ws.write_string_with_format(0, c as u16, col.0, &bold).map_err(io)?;
                    }
                    for (r, row) in grid.rows.iter().enumerate() {
                        for (c, cell) in row.iter().enumerate() {
                            let (r, c) = (r as u32 + 1, c as u16);
                            match cell {
                                Cell::Text(t) => ws.write_string(r, c, t).map(|_| ()),
                                Cell::Number(n) => ws.write_number(r, c, *n).map(|_| ()),
                                Cell::Empty => Ok(()),
                            }
                            .map_err(io)?;
                        }
                    }
                    ws.autofit();
                }
                let ws = book.add_worksheet();
                ws.set_name("method").map_err(io)?;
                ws.set_column_width(0, 120).map_err(io)?;
                ws.write_string_with_format(0, 0, "English", &bold).map_err(io)?;
                ws.write_string_with_format(1, 0, METHOD[0], &wrap).map_err(io)?;
                ws.write_string_with_format(2, 0, "Español", &bold).map_err(io)?;
                ws.write_string_with_format(3, 0, METHOD[1], &wrap).map_err(io)?;
                book.save_to_buffer().map_err(io)
            }
        }
    }
}

fn opt(v: Option<f64>) -> Cell {
    v.map_or(Cell::Empty, Cell::Number)
}

impl InformalEstimate {
    /// The estimate as a file in `format` (not JSON), with its method.
    pub fn render(&self, format: TableFormat, lang: Lang) -> Result<Vec<u8>, AppError> {
        let period = format!("{}/{}", self.from, self.to);
        let month_end = self.from.checked_add_months(chrono::Months::new(1)).and_then(|d| d.pred_opt());
        let sdmx_period = if self.from.day() == 1 && Some(self.to) == month_end {
            self.from.format("%Y-%m").to_string()
        } else if self.from == self.to {
            self.from.to_string()
        } else {
            format!("{}/P{}D", self.from, (self.to - self.from).num_days() + 1)
        };
        let grid = Grid {
            dataflow: "FRONTERA:DF_INFORMAL(1.0)",
            sdmx: &[
                "REF_AREA",
                "POINT_GROUP",
                "MEASURE",
                "BREAKDOWN",
                "BREAKDOWN_VALUE",
                "TIME_PERIOD",
                "OBS_VALUE",
                "STD_ERR",
                "LOWER_BOUND",
                "UPPER_BOUND",
                "DEG_FREEDOM",
                "COEF_VAR",
            ],
            sdmx_period: Some(sdmx_period),
            columns: vec![
                ("country", "#country+code", Some("REF_AREA")),
                ("period", "#date", Some("TIME_PERIOD")),
                ("group", "#loc+group", Some("POINT_GROUP")),
                ("measure", "#indicator+measure", Some("MEASURE")),
                ("by", "#indicator+breakdown", Some("BREAKDOWN")),
                ("value", "#indicator+value", Some("BREAKDOWN_VALUE")),
                ("estimate", "#indicator+num+est", Some("OBS_VALUE")),
                ("standard_error", "#indicator+num+se", Some("STD_ERR")),
                ("lower_95", "#indicator+num+low", Some("LOWER_BOUND")),
                ("upper_95", "#indicator+num+high", Some("UPPER_BOUND")),
                ("degrees_of_freedom", "#indicator+num+df", Some("DEG_FREEDOM")),
                ("cv", "#indicator+num+cv", Some("COEF_VAR")),
                ("blocks_drawn", "#indicator+num+blocks", None),
                ("interviews", "#indicator+num+interviews", None),
            ],
            rows: self
                .lines
                .iter()
                .map(|l| {
                    vec![
                        Cell::Text(self.country.to_string()),
                        Cell::Text(period.clone()),
                        Cell::Text(self.group.clone().unwrap_or_else(|| "_T".into())),
                        Cell::Text(self.measure.as_str().into()),
                        Cell::Text(self.by.clone().unwrap_or_else(|| "_T".into())),
                        Cell::Text(l.value.clone()),
                        Cell::Number(l.total),
                        Cell::Number(l.standard_error),
                        Cell::Number(l.low),
                        Cell::Number(l.high),
                        Cell::Number(f64::from(l.degrees_of_freedom)),
                        Cell::Number(l.cv),
                        Cell::Number(self.blocks_drawn as f64),
                        Cell::Number(self.interviews as f64),
                    ]
                })
                .collect(),
        };
        let d = &self.descriptive;
        let mut rows = vec![
            vec![Cell::Text("sessions".into()), Cell::Number(d.sessions as f64)],
            vec![Cell::Text("days".into()), Cell::Number(d.days as f64)],
            vec![Cell::Text("persons_counted".into()), Cell::Number(d.persons)],
            vec![Cell::Text("per_day".into()), Cell::Number(d.per_day)],
            vec![Cell::Text("per_session".into()), Cell::Number(d.per_session)],
        ];
        rows.extend(d.shares.iter().map(|(v, s)| vec![Cell::Text(format!("share_{v}")), Cell::Number(*s)]));
        let descriptive = Grid {
            dataflow: "",
            sdmx: &[],
            sdmx_period: None,
            columns: vec![("indicator (descriptive, not representative)", "", None), ("value", "", None)],
            rows,
        };
        grid.write(format, lang, Some(&descriptive))
    }
}

impl TotalFlow {
    /// The total flow as a file in `format` (not JSON), with its method.
    pub fn render(&self, format: TableFormat, lang: Lang) -> Result<Vec<u8>, AppError> {
        let grid = Grid {
            dataflow: "FRONTERA:DF_TOTAL_FLOW(1.0)",
            sdmx: &[
                "REF_AREA",
                "POINT_GROUP",
                "TIME_PERIOD",
                "OBS_VALUE",
                "OFFICIAL_ENTRIES",
                "OFFICIAL_EXITS",
                "STD_ERR",
                "LOWER_BOUND",
                "UPPER_BOUND",
                "INFORMAL_SHARE",
            ],
            sdmx_period: None,
            columns: vec![
                ("country", "#country+code", Some("REF_AREA")),
                ("month", "#date+month", Some("TIME_PERIOD")),
                ("group", "#loc+group", Some("POINT_GROUP")),
                ("official_entries", "#indicator+num+official+entries", Some("OFFICIAL_ENTRIES")),
                ("official_exits", "#indicator+num+official+exits", Some("OFFICIAL_EXITS")),
                ("informal_estimate", "#indicator+num+informal+est", Some("OBS_VALUE")),
                ("informal_standard_error", "#indicator+num+informal+se", Some("STD_ERR")),
                ("informal_lower_95", "#indicator+num+informal+low", Some("LOWER_BOUND")),
                ("informal_upper_95", "#indicator+num+informal+high", Some("UPPER_BOUND")),
                ("informal_share", "#indicator+num+informal+pct", Some("INFORMAL_SHARE")),
                ("note", "#meta+note", None),
            ],
            rows: self
                .months
                .iter()
                .map(|m| {
                    let i = m.informal.as_ref();
                    vec![
                        Cell::Text(self.country.to_string()),
                        Cell::Text(m.month.clone()),
                        Cell::Text(self.group.clone().unwrap_or_else(|| "_T".into())),
                        Cell::Number(m.official_entries as f64),
                        Cell::Number(m.official_exits as f64),
                        opt(i.map(|i| i.total)),
                        opt(i.map(|i| i.standard_error)),
                        opt(i.map(|i| i.low)),
                        opt(i.map(|i| i.high)),
                        opt(m.informal_share),
                        m.note
                            .as_ref()
                            .map_or(Cell::Empty, |n| Cell::Text(n[usize::from(lang == Lang::Es)].clone())),
                    ]
                })
                .collect(),
        };
        grid.write(format, lang, None)
    }
}
