//! XLSX: a workbook with one sheet per table and a sheet of definitions. A withheld count is
//! `x`, as statistical offices print it, never a zero a sum would take in.

use frontera_domain::Lang;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::{ExportError, describe};
use crate::view::View;

/// One sheet of a workbook.
#[derive(Debug, Clone, Copy)]
pub struct Sheet<'a> {
    /// Its name on the tab (at most 31 characters; `[]:*?/\` are replaced).
    pub name: &'a str,
    /// A title written above the table.
    pub title: &'a str,
    /// The table.
    pub view: View<'a>,
}

impl From<XlsxError> for ExportError {
    fn from(e: XlsxError) -> Self {
        ExportError::Write(e.to_string())
    }
}

/// A tab's name as Excel allows it.
fn tab(name: &str) -> String {
    let clean: String = name
        .chars()
        .map(|c| if matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\') { '-' } else { c })
        .collect();
    clean.chars().take(31).collect()
}

fn table_sheet(ws: &mut Worksheet, sheet: &Sheet<'_>, lang: Lang) -> Result<(), ExportError> {
    let bold = Format::new().set_bold();
    let title = Format::new().set_bold().set_font_size(13);
    let right = Format::new().set_align(rust_xlsxwriter::FormatAlign::Right);
    ws.set_name(tab(sheet.name))?;
    ws.write_string_with_format(0, 0, sheet.title, &title)?;
    let dims = sheet.view.dimensions();
    let header_row = 2;
    for (c, d) in dims.iter().enumerate() {
        ws.write_string_with_format(header_row, c as u16, describe(d, lang).0, &bold)?;
    }
    let count_col = dims.len() as u16;
    ws.write_string_with_format(header_row, count_col, describe("count", lang).0, &bold)?;
    for (r, line) in sheet.view.lines().iter().enumerate() {
        let row = header_row + 1 + r as u32;
        for (c, value) in line.key.iter().enumerate() {
            ws.write_string(row, c as u16, value)?;
        }
        match line.count {
            Some(n) => ws.write_number(row, count_col, n as f64)?,
            None => ws.write_string_with_format(row, count_col, "x", &right)?,
        };
    }
    ws.set_freeze_panes(header_row + 1, 0)?;
    ws.autofit();
    Ok(())
}

/// A workbook of `sheets` and a last sheet of definitions: `about` (what the tables cover:
/// country, period, disclosure, …), then each column's definition and `definitions` (of the
/// values: flows, outcomes, …), in `lang`.
pub fn workbook(
    sheets: &[Sheet<'_>],
    about: &[(String, String)],
    definitions: &[(String, String)],
    lang: Lang,
) -> Result<Vec<u8>, ExportError> {
    let mut book = Workbook::new();
    for sheet in sheets {
        table_sheet(book.add_worksheet(), sheet, lang)?;
    }
    let ws = book.add_worksheet();
    let es = lang == Lang::Es;
    ws.set_name(if es { "Definiciones" } else { "Definitions" })?;
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap();
    let mut row = 0u32;
    for (name, value) in about {
        ws.write_string_with_format(row, 0, name, &bold)?;
        ws.write_string(row, 1, value)?;
        row += 1;
    }
    row += 1;
    ws.write_string_with_format(row, 0, if es { "Término" } else { "Term" }, &bold)?;
    ws.write_string_with_format(row, 1, if es { "Definición" } else { "Definition" }, &bold)?;
    row += 1;
    let mut columns: Vec<&str> = Vec::new();
    for sheet in sheets {
        for d in sheet.view.dimensions() {
            if !columns.contains(d) {
                columns.push(d);
            }
        }
    }
    columns.push("count");
    let described = columns.iter().map(|c| {
        let (label, text) = describe(c, lang);
        (label.to_string(), text.to_string())
    });
    for (name, text) in described.chain(definitions.iter().cloned()) {
        ws.write_string_with_format(row, 0, &name, &bold)?;
        ws.write_string_with_format(row, 1, &text, &wrap)?;
        row += 1;
    }
    ws.set_column_width(0, 28)?;
    ws.set_column_width(1, 100)?;
    Ok(book.save_to_buffer()?)
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use calamine::{Data, Reader, Xlsx};

    use super::*;
    use crate::disclosure::protect;
    use crate::export::tests::table;

    #[test]
    fn each_table_is_a_sheet_that_reads_back_and_definitions_come_last() {
        let t = table();
        let p = protect(&t, 5);
        let sheets = [
            Sheet { name: "crossings", title: "Crossings, March 2026", view: View::Counted(&t) },
            Sheet { name: "public: [controlled]", title: "Public", view: View::Protected(&p) },
        ];
        let about = [("Country".to_string(), "BLZ".to_string())];
        let defs = [("long_term_arrival".to_string(), "An immigrant.".to_string())];
        let bytes = workbook(&sheets, &about, &defs, Lang::En).expect("a workbook");
        let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).expect("an XLSX");
        assert_eq!(book.sheet_names(), ["crossings", "public- -controlled-", "Definitions"]);
        let range = book.worksheet_range("crossings").expect("the sheet");
        let rows: Vec<&[Data]> = range.rows().collect();
        assert_eq!(rows[0][0], Data::String("Crossings, March 2026".into()));
        let header: Vec<String> = rows[2].iter().map(|c| c.to_string()).collect();
        assert_eq!(header, ["Month", "Nationality", "Sex", "Count"]);
        for (row, cell) in rows[3..].iter().zip(&t.rows) {
            let key: Vec<String> = row[..3].iter().map(|c| c.to_string()).collect();
            assert_eq!(key, cell.key);
            assert_eq!(row[3], Data::Float(cell.count as f64));
        }
        assert_eq!(rows.len() - 3, t.rows.len());
        let public = book.worksheet_range("public- -controlled-").expect("the sheet");
        let withheld = public.rows().skip(3).filter(|r| r[3] == Data::String("x".into())).count();
        assert_eq!(withheld, p.rows.iter().filter(|r| r.cell == crate::disclosure::Cell::Suppressed).count());
        let defs = book.worksheet_range("Definitions").expect("definitions");
        let text: Vec<String> =
            defs.rows().map(|r| r.iter().map(|c| c.to_string()).collect::<Vec<_>>().join("|")).collect();
        assert_eq!(text[0], "Country|BLZ");
        assert!(text.iter().any(|l| l.starts_with("Nationality|The traveller's nationality")), "{text:?}");
        assert!(text.iter().any(|l| l == "long_term_arrival|An immigrant."), "{text:?}");
    }
}
