//! Bar charts as inline SVG, drawn on the server: no script, no library, nothing to download,
//! and they print as sharply as the text around them.

use std::fmt::Write;

/// One series of a chart: its name, its colour and a value per category.
pub struct Series<'a> {
    /// The name in the legend.
    pub name: &'a str,
    /// A fill colour with at least 3:1 contrast on white (WCAG 1.4.11).
    pub colour: &'a str,
    /// One value per label.
    pub values: Vec<u32>,
}

/// Text safe inside SVG markup.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The smallest 1, 2 or 5 × 10ⁿ at or above `max` (at least 1): the top of the axis.
pub(crate) fn nice_ceiling(max: u32) -> u32 {
    let mut step = 1u32;
    loop {
        for m in [1, 2, 5] {
            if let Some(top) = step.checked_mul(m)
                && top >= max
            {
                return top;
            }
        }
        match step.checked_mul(10) {
            Some(next) => step = next,
            None => return u32::MAX,
        }
    }
}

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 240.0;
const LEFT: f64 = 48.0;
const RIGHT: f64 = 8.0;
const TOP: f64 = 28.0;
const BOTTOM: f64 = 26.0;

/// A grouped bar chart: one group per label, one bar per series. `id` names its title for
/// screen readers; `summary` says in words what it shows; every `label_every`-th label is
/// written under its group.
pub fn bars(
    id: &str,
    title: &str,
    summary: &str,
    labels: &[String],
    series: &[Series<'_>],
    label_every: usize,
) -> String {
    let max = series.iter().flat_map(|s| s.values.iter().copied()).max().unwrap_or(0);
    // Four grid steps of a round size.
    let step = nice_ceiling(max.div_ceil(4));
    let top = step.saturating_mul(4);
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let group_w = plot_w / labels.len().max(1) as f64;
    let bar_w = group_w * 0.8 / series.len().max(1) as f64;
    let y = |v: u32| TOP + plot_h - plot_h * f64::from(v) / f64::from(top);
    let mut svg = String::with_capacity(8_192);
    let _ = write!(
        svg,
        r#"<svg class="chart" id="{id}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="{id}-title {id}-desc" xmlns="http://www.w3.org/2000/svg"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        escape(title),
        escape(summary)
    );
    // Grid lines and the axis's values.
    for i in 0..=4u32 {
        let value = step.saturating_mul(i);
        let at = y(value);
        let _ = write!(
            svg,
            r##"<line x1="{LEFT}" x2="{}" y1="{at:.1}" y2="{at:.1}" stroke="#c9d0d8" stroke-width="1"/><text x="{}" y="{:.1}" text-anchor="end" font-size="11" fill="#4a5360">{value}</text>"##,
            WIDTH - RIGHT,
            LEFT - 6.0,
            at + 4.0
        );
    }
    for (g, label) in labels.iter().enumerate() {
        let x0 = LEFT + group_w * g as f64 + group_w * 0.1;
        for (k, s) in series.iter().enumerate() {
            let v = s.values.get(g).copied().unwrap_or(0);
            let (x, top_y) = (x0 + bar_w * k as f64, y(v));
            let _ = write!(
                svg,
                r#"<rect x="{x:.1}" y="{top_y:.1}" width="{:.1}" height="{:.1}" fill="{}"><title>{} · {}: {v}</title></rect>"#,
                (bar_w - 1.0).max(1.0),
                (TOP + plot_h - top_y).max(0.0),
                s.colour,
                escape(label),
                escape(s.name)
            );
        }
        if g % label_every.max(1) == 0 {
            let _ = write!(
                svg,
                r##"<text x="{:.1}" y="{}" text-anchor="middle" font-size="11" fill="#4a5360">{}</text>"##,
                LEFT + group_w * (g as f64 + 0.5),
                HEIGHT - 8.0,
                escape(label)
            );
        }
    }
    // The legend, top right.
    let mut x = WIDTH - RIGHT;
    for s in series.iter().rev() {
        x -= 8.0 * s.name.chars().count() as f64 + 26.0;
        let _ = write!(
            svg,
            r##"<rect x="{x:.1}" y="6" width="12" height="12" fill="{}"/><text x="{:.1}" y="16" font-size="12" fill="#1b1f24">{}</text>"##,
            s.colour,
            x + 16.0,
            escape(s.name)
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_axis_tops_at_a_round_number() {
        let tops: Vec<u32> = [0, 1, 3, 7, 10, 11, 180, 2_001].map(nice_ceiling).to_vec();
        assert_eq!(tops, vec![1, 1, 5, 10, 10, 20, 200, 5_000]);
    }

    #[test]
    fn a_chart_has_a_bar_per_value_and_escapes_its_text() {
        let labels: Vec<String> = ["a<b", "c"].map(String::from).to_vec();
        let series = [
            Series { name: "In", colour: "#0b4f6c", values: vec![3, 0] },
            Series { name: "Out & back", colour: "#b35c00", values: vec![1, 9] },
        ];
        let svg = bars("t", "Title", "Summary", &labels, &series, 1);
        assert_eq!(svg.matches("<rect").count(), 4 + 2, "four bars and two legend keys");
        assert!(svg.contains("a&lt;b") && svg.contains("Out &amp; back") && !svg.contains("a<b"));
        assert!(svg.contains(r#"aria-labelledby="t-title t-desc""#));
    }
}
