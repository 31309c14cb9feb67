//! The bulletin as a PDF: A4 pages in the manner of an official statistical bulletin, DejaVu
//! Sans embedded (only the glyphs used), charts drawn as vectors.

use printpdf::{
    Color, FontId, Line, LinePoint, Op, PaintMode, ParsedFont, PdfDocument, PdfFontHandle, PdfPage,
    PdfSaveOptions, Point, Pt, Rect, Rgb, TextItem,
};

use super::{BulletinText, Chart, TableText};

const REGULAR: &[u8] = include_bytes!("../../fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../../fonts/DejaVuSans-Bold.ttf");

const PAGE_W: f32 = 595.28;
const PAGE_H: f32 = 841.89;
const MARGIN: f32 = 50.0;
const CONTENT_W: f32 = PAGE_W - 2.0 * MARGIN;

/// The brand's blue and the exits' orange, as on the dashboard; greys for rules and notes.
const BLUE: (f32, f32, f32) = (0.043, 0.310, 0.424);
const ORANGE: (f32, f32, f32) = (0.702, 0.361, 0.0);
const INK: (f32, f32, f32) = (0.1, 0.1, 0.1);
const GREY: (f32, f32, f32) = (0.4, 0.4, 0.4);
const RULE: (f32, f32, f32) = (0.8, 0.8, 0.8);

fn colour((r, g, b): (f32, f32, f32)) -> Color {
    Color::Rgb(Rgb { r, g, b, icc_profile: None })
}

struct Face {
    id: FontId,
    font: ParsedFont,
}

impl Face {
    /// The width of `text` at `size`.
    fn width(&self, text: &str, size: f32) -> f32 {
        let upem = f32::from(self.font.pdf_font_metrics.units_per_em.max(1));
        let units: u32 = text
            .chars()
            .map(|c| {
                self.font
                    .lookup_glyph_index(c as u32)
                    .and_then(|g| self.font.get_glyph_width(g))
                    .map_or(0, u32::from)
            })
            .sum();
        units as f32 / upem * size
    }
}

/// A document being laid out top to bottom.
struct Writer {
    regular: Face,
    bold: Face,
    pages: Vec<Vec<Op>>,
    ops: Vec<Op>,
    /// The baseline of the next line, from the bottom of the page.
    y: f32,
    footer: String,
}

impl Writer {
    fn face(&self, bold: bool) -> &Face {
        if bold { &self.bold } else { &self.regular }
    }

    fn text(&mut self, x: f32, y: f32, size: f32, bold: bool, rgb: (f32, f32, f32), text: &str) {
        let font = self.face(bold).id.clone();
        self.ops.extend([
            Op::StartTextSection,
            Op::SetTextCursor { pos: Point { x: Pt(x), y: Pt(y) } },
            Op::SetFont { font: PdfFontHandle::External(font), size: Pt(size) },
            Op::SetFillColor { col: colour(rgb) },
            Op::ShowText { items: vec![TextItem::Text(text.to_string())] },
            Op::EndTextSection,
        ]);
    }

    fn text_right(&mut self, right: f32, y: f32, size: f32, bold: bool, rgb: (f32, f32, f32), text: &str) {
        let w = self.face(bold).width(text, size);
        self.text(right - w, y, size, bold, rgb, text);
    }

    fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, rgb: (f32, f32, f32)) {
        self.ops.push(Op::SetFillColor { col: colour(rgb) });
        self.ops.push(Op::DrawRectangle {
            rectangle: Rect {
                x: Pt(x),
                y: Pt(y),
                width: Pt(w),
                height: Pt(h),
                mode: Some(PaintMode::Fill),
                winding_order: None,
            },
        });
    }

    fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, rgb: (f32, f32, f32), thickness: f32) {
        let p = |x: f32, y: f32| LinePoint { p: Point { x: Pt(x), y: Pt(y) }, bezier: false };
        self.ops.push(Op::SetOutlineColor { col: colour(rgb) });
        self.ops.push(Op::SetOutlineThickness { pt: Pt(thickness) });
        self.ops.push(Op::DrawLine { line: Line { points: vec![p(x1, y1), p(x2, y2)], is_closed: false } });
    }

    fn finish_page(&mut self) {
        let number = (self.pages.len() + 1).to_string();
        let footer = self.footer.clone();
        self.line(MARGIN, 36.0, PAGE_W - MARGIN, 36.0, RULE, 0.5);
        self.text(MARGIN, 24.0, 8.0, false, GREY, &footer);
        self.text_right(PAGE_W - MARGIN, 24.0, 8.0, false, GREY, &number);
        let ops = std::mem::take(&mut self.ops);
        self.pages.push(ops);
        self.y = PAGE_H - MARGIN;
    }

    /// Starts a new page unless `height` more points fit on this one.
    fn room(&mut self, height: f32) {
        if self.y - height < MARGIN + 10.0 {
            self.finish_page();
        }
    }

    /// Words of `text` in lines no wider than `width`.
    fn wrap(&self, text: &str, size: f32, bold: bool, width: f32) -> Vec<String> {
        let face = self.face(bold);
        let mut lines = Vec::new();
        let mut line = String::new();
        for word in text.split_whitespace() {
            let candidate = if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
            if !line.is_empty() && face.width(&candidate, size) > width {
                lines.push(std::mem::replace(&mut line, word.to_string()));
            } else {
                line = candidate;
            }
        }
        if !line.is_empty() {
            lines.push(line);
        }
        lines
    }

    fn paragraph(&mut self, x: f32, width: f32, size: f32, bold: bool, rgb: (f32, f32, f32), text: &str) {
        let leading = size * 1.35;
        for line in self.wrap(text, size, bold, width) {
            self.room(leading);
            self.y -= leading;
            self.text(x, self.y, size, bold, rgb, &line);
        }
    }

    fn heading(&mut self, text: &str) {
        self.room(40.0);
        self.y -= 22.0;
        self.text(MARGIN, self.y, 12.5, true, BLUE, text);
        self.y -= 6.0;
        self.line(MARGIN, self.y, PAGE_W - MARGIN, self.y, BLUE, 0.8);
    }

    fn chart(&mut self, chart: &Chart, words: (&str, &str)) {
        let height = 150.0;
        self.room(height + 50.0);
        self.y -= 16.0;
        self.text(MARGIN, self.y, 10.0, true, INK, &chart.title);
        // The legend, right-aligned with the title.
        let (entries, exits) = words;
        let legend_y = self.y;
        let exits_w = self.regular.width(exits, 8.0);
        let entries_w = self.regular.width(entries, 8.0);
        let right = PAGE_W - MARGIN;
        self.rect(right - exits_w - 12.0, legend_y, 8.0, 8.0, ORANGE);
        self.text(right - exits_w, legend_y + 0.5, 8.0, false, INK, exits);
        let left = right - exits_w - 24.0 - entries_w;
        self.rect(left - 12.0, legend_y, 8.0, 8.0, BLUE);
        self.text(left, legend_y + 0.5, 8.0, false, INK, entries);
        let top = self.y - 10.0;
        let bottom = top - height;
        let axis_x = MARGIN + 40.0;
        let max = chart.entries.iter().chain(&chart.exits).copied().max().unwrap_or(0).max(1);
        let step = crate::ui::chart::nice_ceiling(max.div_ceil(4));
        let ceiling = step * 4;
        for i in 0..=4u32 {
            let v = step * i;
            let y = bottom + height * (v as f32 / ceiling as f32);
            self.line(axis_x, y, PAGE_W - MARGIN, y, RULE, 0.4);
            self.text_right(axis_x - 4.0, y - 2.5, 7.0, false, GREY, &super::count(u64::from(v)));
        }
        let n = chart.labels.len().max(1);
        let slot = (PAGE_W - MARGIN - axis_x) / n as f32;
        let bar_w = (slot * 0.38).min(14.0);
        let every = n.div_ceil(16).max(1);
        for i in 0..chart.labels.len() {
            let x0 = axis_x + slot * i as f32 + slot / 2.0 - bar_w;
            for (j, (values, rgb)) in [(&chart.entries, BLUE), (&chart.exits, ORANGE)].into_iter().enumerate()
            {
                let v = values.get(i).copied().unwrap_or(0);
                let h = height * (v as f32 / ceiling as f32);
                if h > 0.0 {
                    self.rect(x0 + bar_w * j as f32, bottom, bar_w, h, rgb);
                }
            }
            if i % every == 0 {
                let label = &chart.labels[i];
                let w = self.regular.width(label, 7.0);
                self.text(
                    axis_x + slot * i as f32 + (slot - w) / 2.0,
                    bottom - 10.0,
                    7.0,
                    false,
                    GREY,
                    label,
                );
            }
        }
        self.line(axis_x, bottom, PAGE_W - MARGIN, bottom, GREY, 0.6);
        self.y = bottom - 14.0;
        self.paragraph(MARGIN, CONTENT_W, 8.0, false, GREY, &chart.summary);
    }

    fn table(&mut self, t: &TableText) {
        let size = 8.0;
        let row_h = 13.0;
        let cols = t.columns.len().max(2);
        let first_w = (CONTENT_W * 0.34).max(CONTENT_W - 90.0 * (cols - 1) as f32);
        let other_w = (CONTENT_W - first_w) / (cols - 1) as f32;
        self.room(row_h * 3.0 + 24.0);
        self.y -= 18.0;
        self.text(MARGIN, self.y, 10.0, true, INK, &t.title);
        let header = |w: &mut Writer| {
            w.y -= row_h;
            for (c, name) in t.columns.iter().enumerate().skip(1) {
                let right = MARGIN + first_w + other_w * c as f32 - 4.0;
                w.text_right(right, w.y, size, true, INK, name);
            }
            w.line(MARGIN, w.y - 4.0, PAGE_W - MARGIN, w.y - 4.0, GREY, 0.6);
        };
        header(self);
        for (r, row) in t.rows.iter().enumerate() {
            if self.y - row_h < MARGIN + 10.0 {
                self.finish_page();
                header(self);
            }
            self.y -= row_h;
            let last = r + 1 == t.rows.len();
            let label = row.first().map(String::as_str).unwrap_or("");
            let mut shown = label.to_string();
            while self.regular.width(&shown, size) > first_w - 6.0 && shown.chars().count() > 3 {
                shown.pop();
            }
            self.text(MARGIN, self.y, size, last, INK, &shown);
            for (c, value) in row.iter().enumerate().skip(1) {
                let right = MARGIN + first_w + other_w * c as f32 - 4.0;
                self.text_right(right, self.y, size, last, INK, value);
            }
            if last {
                self.line(MARGIN, self.y + row_h - 4.0, PAGE_W - MARGIN, self.y + row_h - 4.0, RULE, 0.4);
            }
        }
        self.y -= 4.0;
    }
}

/// The bulletin as PDF bytes, and how many pages it has.
pub fn render(b: &BulletinText) -> Result<(Vec<u8>, usize), String> {
    let mut doc = PdfDocument::new(&format!("{} — {}", b.title, b.heading));
    let mut warnings = Vec::new();
    let mut face = |bytes: &[u8]| -> Result<Face, String> {
        let font =
            ParsedFont::from_bytes(bytes, 0, &mut warnings).ok_or("the embedded font does not parse")?;
        Ok(Face { id: doc.add_font(&font), font })
    };
    let (regular, bold) = (face(REGULAR)?, face(BOLD)?);
    let footer = format!("Frontera · {} · {}", b.title, b.heading);
    let mut w = Writer { regular, bold, pages: Vec::new(), ops: Vec::new(), y: PAGE_H - MARGIN, footer };

    // The masthead.
    w.rect(0.0, PAGE_H - 8.0, PAGE_W, 8.0, BLUE);
    w.y -= 14.0;
    w.text(MARGIN, w.y, 10.0, true, BLUE, &b.title.to_uppercase());
    w.y -= 24.0;
    w.text(MARGIN, w.y, 20.0, true, INK, &b.heading);
    w.paragraph(MARGIN, CONTENT_W, 9.0, false, GREY, &b.subtitle);

    // Headline figures: a row of boxes.
    w.heading(&b.words.headlines);
    let n = b.tiles.len().max(1) as f32;
    let gap = 8.0;
    let box_w = (CONTENT_W - gap * (n - 1.0)) / n;
    let box_h = 108.0;
    w.room(box_h + 10.0);
    let top = w.y - 8.0;
    for (i, t) in b.tiles.iter().enumerate() {
        let x = MARGIN + (box_w + gap) * i as f32;
        w.rect(x, top - box_h, box_w, box_h, (0.94, 0.96, 0.97));
        w.rect(x, top - 3.0, box_w, 3.0, BLUE);
        let mut y = top - 16.0;
        for line in w.wrap(&t.label, 7.5, true, box_w - 12.0) {
            w.text(x + 6.0, y, 7.5, true, GREY, &line);
            y -= 9.5;
        }
        // Labels of one line and of two keep the values level.
        y = y.min(top - 35.0) - 8.0;
        w.text(x + 6.0, y, 15.0, true, INK, &t.value);
        y -= 11.0;
        if t.provisional {
            let p = format!("({})", b.words.provisional);
            w.text(x + 6.0, y, 6.5, false, ORANGE, &p);
        }
        y -= 10.0;
        for text in [&t.previous, &t.last_year] {
            for line in w.wrap(text, 6.5, false, box_w - 12.0) {
                w.text(x + 6.0, y, 6.5, false, GREY, &line);
                y -= 7.5;
            }
            y -= 3.0;
        }
    }
    w.y = top - box_h - 6.0;

    w.chart(&b.trend, (&b.words.entries, &b.words.exits));
    w.chart(&b.daily, (&b.words.entries, &b.words.exits));

    for t in &b.tables {
        w.table(t);
    }
    w.paragraph(MARGIN, CONTENT_W, 7.5, false, GREY, &b.disclosure);

    w.heading(&b.words.definitions);
    for (term, text) in &b.definitions {
        w.room(30.0);
        w.y -= 4.0;
        w.paragraph(MARGIN, CONTENT_W, 8.5, true, INK, term);
        w.paragraph(MARGIN + 10.0, CONTENT_W - 10.0, 8.0, false, INK, text);
    }
    w.heading(&b.words.quality);
    for note in &b.quality {
        w.y -= 3.0;
        w.paragraph(MARGIN, CONTENT_W, 8.0, false, INK, &format!("• {note}"));
    }
    w.finish_page();

    let pages: Vec<PdfPage> =
        w.pages.into_iter().map(|ops| PdfPage::new(printpdf::Mm(210.0), printpdf::Mm(297.0), ops)).collect();
    let count = pages.len();
    let mut warnings = Vec::new();
    Ok((doc.with_pages(pages).save(&PdfSaveOptions::default(), &mut warnings), count))
}
