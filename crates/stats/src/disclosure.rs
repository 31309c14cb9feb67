//! Disclosure control for tables that leave a hub.
//!
//! The published table holds every cell and every total: for each dimension, the cells that
//! differ only in it add up to a total cell (written `_T`, as SDMX writes a total), and totals
//! add up to totals of totals, up to the grand total. Anyone holding the table knows these
//! equations. Cells counting fewer persons than the threshold are suppressed (primary
//! suppression); then further cells, the smallest first, until no suppressed cell can be worked
//! out from what is shown (secondary suppression):
//!
//! - from the equations alone: a suppressed cell is recoverable when some combination of the
//!   equations among the suppressed cells isolates it (checked by Gaussian elimination over
//!   each group of suppressed cells the equations link);
//! - from the equations and the fact that a cell that is listed counts at least one person: a
//!   total whose suppressed parts add up to as many persons as there are parts gives each away.
//!
//! A suppressed cell is marked as such, never shown as zero. A combination that does not occur
//! is a zero and gives nothing away.

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

use crate::table::Table;

/// The key value of a total over a dimension.
pub const TOTAL: &str = "_T";

/// A published cell.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Cell {
    /// Its count.
    Shown(u64),
    /// Withheld.
    Suppressed,
}

impl Cell {
    /// The count, when shown.
    pub fn shown(self) -> Option<u64> {
        match self {
            Cell::Shown(n) => Some(n),
            Cell::Suppressed => None,
        }
    }
}

/// A row of a protected table.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProtectedRow {
    /// The values, in the table's dimension order; [`TOTAL`] where the row adds up a dimension.
    pub key: Vec<String>,
    /// The count, or that it is withheld.
    pub cell: Cell,
    /// Withheld because it counts fewer persons than the threshold (not to protect another).
    pub primary: bool,
}

/// A table with its totals, after disclosure control.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProtectedTable {
    /// The dimensions' names, in column order.
    pub dimensions: Vec<&'static str>,
    /// The smallest count shown.
    pub threshold: u64,
    /// Cells and totals, sorted by key (a total after the values it adds up).
    pub rows: Vec<ProtectedRow>,
}

/// A table with every total, as linked equations: each `Group` says the `parts` add up to the
/// `whole`.
struct Linked {
    keys: Vec<Vec<Option<u32>>>,
    counts: Vec<u64>,
    groups: Vec<Group>,
    /// The groups each cell is in, as a part or as the whole.
    groups_of: Vec<Vec<usize>>,
}

struct Group {
    whole: usize,
    parts: Vec<usize>,
}

impl Linked {
    /// The cells of `table` and all their totals, with the equations between them.
    fn new(table: &Table, values: &[Vec<String>]) -> Linked {
        let dims = table.dimensions.len();
        let mut index: HashMap<Vec<Option<u32>>, usize> = HashMap::new();
        let mut keys: Vec<Vec<Option<u32>>> = Vec::new();
        let mut counts: Vec<u64> = Vec::new();
        for row in &table.rows {
            let coded: Vec<u32> = row
                .key
                .iter()
                .zip(values)
                .map(|(v, all)| all.binary_search(v).map_or(0, |i| i as u32))
                .collect();
            // The row counts towards every total that drops some of its dimensions.
            for mask in 0u32..(1 << dims) {
                let key: Vec<Option<u32>> =
                    coded.iter().enumerate().map(|(d, v)| (mask & (1 << d) == 0).then_some(*v)).collect();
                let at = *index.entry(key.clone()).or_insert_with(|| {
                    keys.push(key);
                    counts.push(0);
                    counts.len() - 1
                });
                counts[at] += row.count;
            }
        }
        let mut groups: Vec<Group> = Vec::new();
        let mut group_at: HashMap<(usize, usize), usize> = HashMap::new();
        for (cell, key) in keys.iter().enumerate() {
            for d in 0..dims {
                if key[d].is_none() {
                    continue;
                }
                let mut whole_key = key.clone();
                whole_key[d] = None;
                let Some(&whole) = index.get(&whole_key) else { continue };
                let g = *group_at.entry((d, whole)).or_insert_with(|| {
                    groups.push(Group { whole, parts: Vec::new() });
                    groups.len() - 1
                });
                groups[g].parts.push(cell);
            }
        }
        let mut groups_of = vec![Vec::new(); keys.len()];
        for (g, group) in groups.iter().enumerate() {
            groups_of[group.whole].push(g);
            for &p in &group.parts {
                groups_of[p].push(g);
            }
        }
        Linked { keys, counts, groups, groups_of }
    }

    fn cells_of(&self, g: usize) -> impl Iterator<Item = usize> + '_ {
        std::iter::once(self.groups[g].whole).chain(self.groups[g].parts.iter().copied())
    }
}

/// Applies disclosure control to `table`: cells and totals under `threshold` persons (but not
/// zero) are withheld, and as many more as keep them from being worked out.
pub fn protect(table: &Table, threshold: u64) -> ProtectedTable {
    protect_with(table, threshold, &[])
}

/// As [`protect`], with the cells keyed in `withheld` (their values in dimension order, [`TOTAL`]
/// for a total) withheld from the start: the cells another table of the same publication
/// withholds, which this one must not show either. The others it withholds are then chosen so
/// that none of them can be worked out either.
pub fn protect_with(table: &Table, threshold: u64, withheld: &[Vec<String>]) -> ProtectedTable {
    let values: Vec<Vec<String>> = (0..table.dimensions.len())
        .map(|d| {
            let set: BTreeSet<&String> = table.rows.iter().map(|r| &r.key[d]).collect();
            set.into_iter().cloned().collect()
        })
        .collect();
    let linked = Linked::new(table, &values);
    let n = linked.keys.len();
    let primary: Vec<bool> = linked.counts.iter().map(|&c| c > 0 && c < threshold).collect();
    let key_of = |c: usize| -> Vec<String> {
        linked.keys[c]
            .iter()
            .zip(&values)
            .map(|(v, all)| match v {
                Some(i) => all.get(*i as usize).cloned().unwrap_or_default(),
                None => TOTAL.to_string(),
            })
            .collect()
    };
    let mut suppressed: Vec<bool> =
        (0..n).map(|c| primary[c] || (!withheld.is_empty() && withheld.contains(&key_of(c)))).collect();
    // A cheap first pass: no equation may hold exactly one withheld cell.
    let mut changed = true;
    while changed {
        changed = false;
        for g in 0..linked.groups.len() {
            if linked.cells_of(g).filter(|&c| suppressed[c]).count() == 1
                && let Some(c) = smallest_shown(&linked, &suppressed, linked.cells_of(g))
            {
                suppressed[c] = true;
                changed = true;
            }
        }
    }
    // Then until nothing withheld can be worked out: each round withholds, for every cell that
    // could be, the smallest shown cell of its equations (or of those of the withheld cells it
    // is linked to, when its own hold nothing more).
    for _ in 0..n {
        let exposed = recoverable(&linked, &suppressed);
        if exposed.is_empty() {
            break;
        }
        let mut progress = false;
        for cell in exposed {
            let near = linked.groups_of[cell].iter().flat_map(|&g| linked.cells_of(g));
            let pick = smallest_shown(&linked, &suppressed, near).or_else(|| {
                let component = component_of(&linked, &suppressed, cell);
                let wider = component
                    .iter()
                    .flat_map(|&c| linked.groups_of[c].iter().flat_map(|&g| linked.cells_of(g)));
                smallest_shown(&linked, &suppressed, wider)
            });
            if let Some(c) = pick {
                suppressed[c] = true;
                progress = true;
            }
        }
        if !progress {
            break;
        }
    }
    let mut rows: Vec<ProtectedRow> = (0..n)
        .map(|c| ProtectedRow {
            key: key_of(c),
            cell: if suppressed[c] { Cell::Suppressed } else { Cell::Shown(linked.counts[c]) },
            primary: primary[c],
        })
        .collect();
    // Values before their total: `_T` sorts after letters and digits only by rule, so say it.
    rows.sort_by(|a, b| {
        let order = |k: &Vec<String>| k.iter().map(|v| (v == TOTAL, v.clone())).collect::<Vec<_>>();
        order(&a.key).cmp(&order(&b.key))
    });
    ProtectedTable { dimensions: table.dimensions.clone(), threshold, rows }
}

/// The shown cell of `cells` with the smallest count (and the smallest key, for a tie).
fn smallest_shown(linked: &Linked, suppressed: &[bool], cells: impl Iterator<Item = usize>) -> Option<usize> {
    cells
        .filter(|&c| !suppressed[c])
        .min_by(|&a, &b| (linked.counts[a], &linked.keys[a]).cmp(&(linked.counts[b], &linked.keys[b])))
}

/// The withheld cells linked to `cell` through equations among withheld cells.
fn component_of(linked: &Linked, suppressed: &[bool], cell: usize) -> Vec<usize> {
    let mut seen = vec![false; suppressed.len()];
    let mut stack = vec![cell];
    let mut out = Vec::new();
    seen[cell] = true;
    while let Some(c) = stack.pop() {
        out.push(c);
        for &g in &linked.groups_of[c] {
            for other in linked.cells_of(g) {
                if suppressed[other] && !seen[other] {
                    seen[other] = true;
                    stack.push(other);
                }
            }
        }
    }
    out
}

/// The withheld cells someone holding the published table could work out exactly.
fn recoverable(linked: &Linked, suppressed: &[bool]) -> Vec<usize> {
    let mut out = BTreeSet::new();
    // Parts that count at least one person each, adding up to as many persons as parts.
    for group in &linked.groups {
        if suppressed[group.whole] {
            continue;
        }
        let hidden: Vec<usize> = group.parts.iter().copied().filter(|&p| suppressed[p]).collect();
        let shown: u64 = group.parts.iter().filter(|&&p| !suppressed[p]).map(|&p| linked.counts[p]).sum();
        if !hidden.is_empty() && linked.counts[group.whole].saturating_sub(shown) == hidden.len() as u64 {
            out.extend(hidden);
        }
    }
    // The equations among withheld cells, one linked group at a time.
    let mut done = vec![false; suppressed.len()];
    for start in 0..suppressed.len() {
        if !suppressed[start] || done[start] {
            continue;
        }
        let component = component_of(linked, suppressed, start);
        for &c in &component {
            done[c] = true;
        }
        out.extend(isolated(linked, suppressed, &component));
    }
    out.into_iter().collect()
}

/// The cells of `component` (withheld, linked) that the equations pin down: those whose unit
/// vector lies in the span of the equations restricted to withheld cells.
fn isolated(linked: &Linked, suppressed: &[bool], component: &[usize]) -> Vec<usize> {
    let column: HashMap<usize, usize> = component.iter().enumerate().map(|(i, &c)| (c, i)).collect();
    let width = component.len();
    let mut groups: BTreeSet<usize> = BTreeSet::new();
    for &c in component {
        groups.extend(linked.groups_of[c].iter().copied());
    }
    let mut rows: Vec<Vec<f64>> = groups
        .into_iter()
        .map(|g| {
            let mut row = vec![0.0; width];
            let group = &linked.groups[g];
            if let Some(&i) = column.get(&group.whole) {
                row[i] = -1.0;
            }
            for p in &group.parts {
                if let Some(&i) = column.get(p)
                    && suppressed[*p]
                {
                    row[i] = 1.0;
                }
            }
            row
        })
        .filter(|row| row.iter().any(|v| *v != 0.0))
        .collect();
    // Reduced row echelon form.
    const EPSILON: f64 = 1e-9;
    let mut pivots: Vec<(usize, usize)> = Vec::new();
    let mut next = 0;
    for col in 0..width {
        let Some(best) =
            (next..rows.len()).max_by(|&a, &b| rows[a][col].abs().total_cmp(&rows[b][col].abs()))
        else {
            break;
        };
        if rows[best][col].abs() < EPSILON {
            continue;
        }
        rows.swap(next, best);
        let lead = rows[next][col];
        for v in rows[next].iter_mut() {
            *v /= lead;
        }
        let pivot_row = rows[next].clone();
        for (r, row) in rows.iter_mut().enumerate() {
            if r != next && row[col].abs() > EPSILON {
                let factor = row[col];
                for (v, p) in row.iter_mut().zip(&pivot_row) {
                    *v -= factor * p;
                }
            }
        }
        pivots.push((next, col));
        next += 1;
    }
    pivots
        .into_iter()
        .filter(|&(r, col)| rows[r].iter().enumerate().all(|(c, v)| c == col || v.abs() < EPSILON))
        .map(|(_, col)| component[col])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::Row;

    /// A two-way table of ports by nationalities from its counts (0: the combination does not
    /// occur).
    fn two_way(counts: &[&[u64]]) -> Table {
        let mut rows = Vec::new();
        for (i, line) in counts.iter().enumerate() {
            for (j, &count) in line.iter().enumerate() {
                if count > 0 {
                    rows.push(Row { key: vec![format!("p{i}"), format!("n{j}")], count });
                }
            }
        }
        Table { dimensions: vec!["port", "nationality"], rows }
    }

    /// An attacker who knows every shown cell and that the parts of each total add up to it,
    /// and that each listed cell counts at least one person: every consistent table, by search.
    /// Returns the withheld cells that have one value in all of them.
    fn attack(t: &ProtectedTable) -> Vec<Vec<String>> {
        let n = t.rows.len();
        let mut groups: Vec<(usize, Vec<usize>)> = Vec::new();
        for (w, whole) in t.rows.iter().enumerate() {
            for d in 0..t.dimensions.len() {
                if whole.key[d] != TOTAL {
                    continue;
                }
                let parts: Vec<usize> = (0..n)
                    .filter(|&p| {
                        let k = &t.rows[p].key;
                        k[d] != TOTAL && (0..k.len()).all(|e| e == d || k[e] == whole.key[e])
                    })
                    .collect();
                groups.push((w, parts));
            }
        }
        let hidden: Vec<usize> = (0..n).filter(|&c| t.rows[c].cell == Cell::Suppressed).collect();
        let grand = t.rows.iter().find_map(|r| match r.cell {
            Cell::Shown(v) if r.key.iter().all(|k| k == TOTAL) => Some(v),
            _ => None,
        });
        let most = grand.unwrap_or(60);
        let mut value: Vec<Option<u64>> =
            t.rows.iter().map(|r| if let Cell::Shown(v) = r.cell { Some(v) } else { None }).collect();
        let mut seen: Vec<BTreeSet<u64>> = vec![BTreeSet::new(); n];
        fn consistent(groups: &[(usize, Vec<usize>)], value: &[Option<u64>]) -> bool {
            groups.iter().all(|(w, parts)| {
                let known: u64 = parts.iter().filter_map(|&p| value[p]).sum();
                let open = parts.iter().filter(|&&p| value[p].is_none()).count() as u64;
                match value[*w] {
                    Some(total) if open == 0 => known == total,
                    Some(total) => known + open <= total,
                    None => true,
                }
            })
        }
        fn search(
            at: usize,
            hidden: &[usize],
            most: u64,
            groups: &[(usize, Vec<usize>)],
            value: &mut Vec<Option<u64>>,
            seen: &mut Vec<BTreeSet<u64>>,
        ) {
            if at == hidden.len() {
                for &c in hidden {
                    seen[c].extend(value[c]);
                }
                return;
            }
            for v in 1..=most {
                value[hidden[at]] = Some(v);
                if consistent(groups, value) {
                    search(at + 1, hidden, most, groups, value, seen);
                }
            }
            value[hidden[at]] = None;
        }
        search(0, &hidden, most, &groups, &mut value, &mut seen);
        hidden.into_iter().filter(|&c| seen[c].len() == 1).map(|c| t.rows[c].key.clone()).collect()
    }

    fn shown(t: &ProtectedTable, key: &[&str]) -> Cell {
        t.rows.iter().find(|r| r.key == key).map(|r| r.cell).expect("the cell is published")
    }

    #[test]
    fn one_small_cell_is_withheld_with_enough_others_that_none_can_be_worked_out() {
        let t = two_way(&[&[20, 3, 15], &[12, 18, 9], &[14, 11, 22]]);
        let p = protect(&t, 5);
        assert_eq!(shown(&p, &["p0", "n1"]), Cell::Suppressed);
        assert!(p.rows.iter().any(|r| r.key == ["p0", "n1"] && r.primary));
        let withheld = p.rows.iter().filter(|r| r.cell == Cell::Suppressed).count();
        assert!(withheld >= 4, "a lone cell in a row and a column needs three partners: {withheld}");
        assert_eq!(attack(&p), Vec::<Vec<String>>::new());
        // The grand total and the totals that give nothing away stay.
        assert_eq!(shown(&p, &[TOTAL, TOTAL]), Cell::Shown(124));
        assert!(p.rows.iter().filter(|r| r.cell != Cell::Suppressed).count() >= 10);
    }

    #[test]
    fn a_total_another_table_withholds_is_withheld_here_with_enough_others() {
        // No cell is small, but another table of the publication withheld the column total
        // n1: shown here it would undo that table's protection; withheld alone it would be the
        // grand total less the other columns.
        let t = two_way(&[&[20, 13, 15], &[12, 18, 9], &[14, 11, 22]]);
        let alone = protect(&t, 5);
        assert!(alone.rows.iter().all(|r| r.cell != Cell::Suppressed));
        let forced = vec![vec![TOTAL.to_string(), "n1".to_string()]];
        let p = protect_with(&t, 5, &forced);
        assert_eq!(shown(&p, &[TOTAL, "n1"]), Cell::Suppressed);
        assert!(!p.rows.iter().any(|r| r.key == [TOTAL, "n1"] && r.primary), "withheld for another table");
        assert_eq!(attack(&p), Vec::<Vec<String>>::new());
    }

    #[test]
    fn a_small_cell_in_every_row_is_protected() {
        let t = two_way(&[&[2, 13, 8], &[9, 1, 16], &[12, 7, 4]]);
        let p = protect(&t, 5);
        for key in [["p0", "n0"], ["p1", "n1"], ["p2", "n2"]] {
            assert_eq!(shown(&p, &key), Cell::Suppressed, "{key:?}");
        }
        assert_eq!(attack(&p), Vec::<Vec<String>>::new());
    }

    #[test]
    fn zeros_are_not_cells_and_a_small_total_is_withheld_too() {
        // n2 occurs at one port only: its total equals the cell, so both go.
        let t = two_way(&[&[20, 7, 3], &[12, 18, 0], &[14, 11, 0]]);
        let p = protect(&t, 5);
        assert!(p.rows.iter().all(|r| r.key != ["p1", "n2"]), "a zero is no row");
        assert_eq!(shown(&p, &["p0", "n2"]), Cell::Suppressed);
        assert_eq!(shown(&p, &[TOTAL, "n2"]), Cell::Suppressed);
        assert_eq!(attack(&p), Vec::<Vec<String>>::new());
    }

    #[test]
    fn a_table_with_nothing_small_shows_everything() {
        let t = two_way(&[&[20, 6], &[12, 18]]);
        let p = protect(&t, 5);
        assert!(p.rows.iter().all(|r| r.cell != Cell::Suppressed));
        assert_eq!(p.rows.len(), 4 + 2 + 2 + 1);
        // Values before their total.
        let keys: Vec<String> = p.rows.iter().map(|r| r.key.join("/")).collect();
        assert_eq!(keys, ["p0/n0", "p0/n1", "p0/_T", "p1/n0", "p1/n1", "p1/_T", "_T/n0", "_T/n1", "_T/_T"]);
    }

    #[test]
    fn the_attacker_finds_what_primary_suppression_alone_leaves_open() {
        // Withholding only the small cell: its row total minus the rest gives it away.
        let t = two_way(&[&[20, 3, 15], &[12, 18, 9]]);
        let mut p = protect(&t, 5);
        for r in &mut p.rows {
            r.cell = if r.primary { Cell::Suppressed } else { Cell::Shown(count(&t, &r.key)) };
        }
        assert_eq!(attack(&p), vec![vec!["p0".to_string(), "n1".to_string()]]);
    }

    fn count(t: &Table, key: &[String]) -> u64 {
        t.rows
            .iter()
            .filter(|r| r.key.iter().zip(key).all(|(v, k)| k == TOTAL || v == k))
            .map(|r| r.count)
            .sum()
    }
}
