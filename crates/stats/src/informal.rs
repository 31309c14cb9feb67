//! Informal crossings estimated from a probability sample (issue 8, its statistical core): the
//! design of Mexico's southern-border survey (EMIF Sur), where places and times are sampled and
//! every passer-by in a sampled time block is counted.
//!
//! The frame is, per stratum (a group of points × a kind of day: weekday, market day, weekend),
//! the point-days of the period — the primary units — each cut into the hour blocks the point
//! is watched in. The plan draws, in each stratum, `n` point-days without replacement and, in
//! each, `m` of its blocks without replacement, so every block has a known inclusion probability
//! `(n/N)·(m/M)` and the sample's counts expand to the whole flow (Horvitz–Thompson).
//!
//! The variance is the unbiased estimator of two-stage sampling without replacement (Cochran,
//! *Sampling Techniques*, 3rd ed., §10.8 and §11.6): between point-days, plus within them; the
//! confidence interval uses Student's t with Σ(n_h − 1) degrees of freedom. A plan whose cell
//! cannot be drawn (probability zero) or whose variance cannot be estimated is refused, saying
//! why, in both languages.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate, Weekday};
use frontera_domain::{Rule, ValidationError};
use rand::Rng;
use rand::seq::index::sample;
use serde::{Deserialize, Serialize};

/// A point-day of the frame: a point watched on a day, in `blocks` hour blocks.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PointDay {
    /// The point's id.
    pub point: String,
    /// The day, `YYYY-MM-DD`.
    pub day: String,
    /// How many hour blocks the point is watched in that day.
    pub blocks: u32,
}

/// A stratum of the frame: its point-days and how many to draw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Stratum {
    /// Its name (`north-weekday`, …).
    pub name: String,
    /// Its point-days.
    pub units: Vec<PointDay>,
    /// Point-days to draw.
    pub draw_units: usize,
    /// Hour blocks to draw in each point-day drawn (all of them where it has fewer).
    pub draw_blocks: u32,
}

/// An hour block drawn: where, when, and its weight (the inverse of its inclusion probability).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Assignment {
    /// The stratum's index.
    pub stratum: usize,
    /// The point-day's index in its stratum.
    pub unit: usize,
    /// The block (0-based, in the point's watching day).
    pub block: u32,
    /// The probability it was drawn with.
    pub probability: f64,
}

/// A drawn sample: every block to watch, with its probability.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Plan {
    /// The frame it was drawn from.
    pub strata: Vec<Stratum>,
    /// The blocks drawn, by stratum, point-day and block.
    pub assignments: Vec<Assignment>,
}

fn refused(field: String, en: String, es: String) -> ValidationError {
    ValidationError::new(field, Rule::Refused { en, es })
}

/// Checks that every block of the frame can be drawn and that the variance can be estimated.
pub fn check_frame(strata: &[Stratum]) -> Result<(), ValidationError> {
    if strata.is_empty() {
        return Err(ValidationError::new("strata", Rule::Required));
    }
    for (h, s) in strata.iter().enumerate() {
        let at = |f: &str| format!("strata[{h}].{f}");
        let big_n = s.units.len();
        if big_n == 0 {
            return Err(refused(
                at("units"),
                format!("stratum {} has no point-day", s.name),
                format!("el estrato {} no tiene ningún punto-día", s.name),
            ));
        }
        if s.draw_units == 0 {
            return Err(refused(
                at("draw_units"),
                format!("stratum {} draws no point-day: its crossings would have probability zero", s.name),
                format!(
                    "el estrato {} no sortea ningún punto-día: sus cruces tendrían probabilidad cero",
                    s.name
                ),
            ));
        }
        if s.draw_units > big_n {
            return Err(refused(
                at("draw_units"),
                format!("stratum {} has {big_n} point-days, fewer than the {} to draw", s.name, s.draw_units),
                format!(
                    "el estrato {} tiene {big_n} puntos-día, menos que los {} a sortear",
                    s.name, s.draw_units
                ),
            ));
        }
        if s.draw_units == 1 && big_n > 1 {
            return Err(refused(
                at("draw_units"),
                format!("stratum {}: draw at least 2 point-days (or all) to estimate the variance", s.name),
                format!(
                    "estrato {}: sortee al menos 2 puntos-día (o todos) para estimar la varianza",
                    s.name
                ),
            ));
        }
        if s.draw_blocks == 0 {
            return Err(refused(
                at("draw_blocks"),
                format!("stratum {} draws no hour block: its crossings would have probability zero", s.name),
                format!(
                    "el estrato {} no sortea ningún bloque horario: sus cruces tendrían probabilidad cero",
                    s.name
                ),
            ));
        }
        for (i, u) in s.units.iter().enumerate() {
            if u.blocks == 0 {
                return Err(refused(
                    format!("strata[{h}].units[{i}].blocks"),
                    format!("point {} is not watched on {}: the point-day has no hour block", u.point, u.day),
                    format!(
                        "el punto {} no se observa el {}: el punto-día no tiene bloques horarios",
                        u.point, u.day
                    ),
                ));
            }
            if s.draw_blocks == 1 && u.blocks > 1 {
                return Err(refused(
                    at("draw_blocks"),
                    format!(
                        "stratum {}: draw at least 2 hour blocks (or all) to estimate the variance",
                        s.name
                    ),
                    format!(
                        "estrato {}: sortee al menos 2 bloques horarios (o todos) para estimar la varianza",
                        s.name
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// Draws a plan from `strata` with `rng`: in each stratum, point-days without replacement,
/// then hour blocks without replacement in each; every block with its inclusion probability.
pub fn draw<R: Rng + ?Sized>(strata: &[Stratum], rng: &mut R) -> Result<Plan, ValidationError> {
    check_frame(strata)?;
    let mut assignments = Vec::new();
    for (h, s) in strata.iter().enumerate() {
        let big_n = s.units.len();
        let mut units = sample(rng, big_n, s.draw_units).into_vec();
        units.sort_unstable();
        for i in units {
            let big_m = s.units[i].blocks;
            let m = s.draw_blocks.min(big_m);
            let mut blocks = sample(rng, big_m as usize, m as usize).into_vec();
            blocks.sort_unstable();
            let probability = (s.draw_units as f64 / big_n as f64) * (f64::from(m) / f64::from(big_m));
            for b in blocks {
                assignments.push(Assignment { stratum: h, unit: i, block: b as u32, probability });
            }
        }
    }
    Ok(Plan { strata: strata.to_vec(), assignments })
}

impl Plan {
    /// The sample as observed when some blocks drawn could not be watched (`missed[i]` for
    /// block `i`: a flood, a storm, the enumerator kept away), taken as missing at random within
    /// their point-day: a point-day is the blocks of it that were watched, and a point-day with
    /// none is not in the sample. The plan returned has each stratum's point-days drawn and each
    /// block's probability as observed, with the indices of the blocks it keeps; a stratum left
    /// with no point-day, or with one where there are more, is refused, saying which.
    pub fn observed(&self, missed: &[bool]) -> Result<(Plan, Vec<usize>), ValidationError> {
        let kept: Vec<usize> =
            (0..self.assignments.len()).filter(|i| !missed.get(*i).copied().unwrap_or(false)).collect();
        let mut watched: HashMap<(usize, usize), u32> = HashMap::new();
        for &i in &kept {
            let a = &self.assignments[i];
            *watched.entry((a.stratum, a.unit)).or_default() += 1;
        }
        let mut strata = self.strata.clone();
        for (h, s) in strata.iter_mut().enumerate() {
            let n = watched.keys().filter(|(sh, _)| *sh == h).count();
            if n == 0 {
                return Err(refused(
                    format!("strata[{h}]"),
                    format!(
                        "no point-day of stratum {} was watched: its crossings cannot be estimated",
                        s.name
                    ),
                    format!(
                        "no se observó ningún punto-día del estrato {}: sus cruces no pueden estimarse",
                        s.name
                    ),
                ));
            }
            if n == 1 && s.units.len() > 1 {
                return Err(refused(
                    format!("strata[{h}]"),
                    format!(
                        "only one point-day of stratum {} was watched: the variance cannot be estimated",
                        s.name
                    ),
                    format!(
                        "solo se observó un punto-día del estrato {}: la varianza no puede estimarse",
                        s.name
                    ),
                ));
            }
            s.draw_units = n;
        }
        let assignments = kept
            .iter()
            .map(|&i| {
                let a = &self.assignments[i];
                let s = &strata[a.stratum];
                let m = f64::from(watched.get(&(a.stratum, a.unit)).copied().unwrap_or(1));
                let big_m = f64::from(s.units[a.unit].blocks);
                Assignment {
                    probability: s.draw_units as f64 / s.units.len() as f64 * m / big_m,
                    ..a.clone()
                }
            })
            .collect();
        Ok((Plan { strata, assignments }, kept))
    }
}

/// An estimated total with its uncertainty.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Estimate {
    /// The estimated total.
    pub total: f64,
    /// Its estimated variance.
    pub variance: f64,
    /// Its standard error.
    pub standard_error: f64,
    /// Degrees of freedom of the interval: point-days drawn less strata.
    pub degrees_of_freedom: u32,
    /// The 95% interval's lower end (not below what was counted).
    pub low: f64,
    /// The 95% interval's upper end.
    pub high: f64,
}

impl Plan {
    /// Estimates the total of a count from what was counted in each block drawn (`counted`,
    /// in the order of [`Plan::assignments`]; a block not watched after all must be given as
    /// `None`, and the estimate then refuses to pretend).
    pub fn estimate(&self, counted: &[Option<f64>]) -> Result<Estimate, ValidationError> {
        if counted.len() != self.assignments.len() {
            return Err(refused(
                "counts".into(),
                format!("{} counts for {} blocks drawn", counted.len(), self.assignments.len()),
                format!("{} conteos para {} bloques sorteados", counted.len(), self.assignments.len()),
            ));
        }
        if let Some(i) = counted.iter().position(Option::is_none) {
            let a = &self.assignments[i];
            let u = &self.strata[a.stratum].units[a.unit];
            return Err(refused(
                format!("counts[{i}]"),
                format!("block {} at {} on {} was drawn but not counted", a.block, u.point, u.day),
                format!("el bloque {} en {} el {} fue sorteado pero no contado", a.block, u.point, u.day),
            ));
        }
        // The counts of each point-day drawn, by stratum.
        let mut by_unit: HashMap<(usize, usize), Vec<f64>> = HashMap::new();
        for (a, y) in self.assignments.iter().zip(counted) {
            by_unit.entry((a.stratum, a.unit)).or_default().push(y.unwrap_or(0.0));
        }
        let mut total = 0.0;
        let mut variance = 0.0;
        let mut df = 0u32;
        for (h, s) in self.strata.iter().enumerate() {
            let big_n = s.units.len() as f64;
            let n = s.draw_units as f64;
            let mut unit_totals = Vec::new();
            let mut within = 0.0;
            for (i, u) in s.units.iter().enumerate() {
                let Some(ys) = by_unit.get(&(h, i)) else { continue };
                let big_m = f64::from(u.blocks);
                let m = ys.len() as f64;
                let sum: f64 = ys.iter().sum();
                unit_totals.push(big_m / m * sum);
                if m > 1.0 {
                    let mean = sum / m;
                    let s2 = ys.iter().map(|y| (y - mean).powi(2)).sum::<f64>() / (m - 1.0);
                    within += big_m * big_m * (1.0 - m / big_m) * s2 / m;
                }
            }
            let stratum_total = big_n / n * unit_totals.iter().sum::<f64>();
            total += stratum_total;
            let between = if unit_totals.len() > 1 {
                let mean = unit_totals.iter().sum::<f64>() / n;
                let s2 = unit_totals.iter().map(|t| (t - mean).powi(2)).sum::<f64>() / (n - 1.0);
                big_n * big_n * (1.0 - n / big_n) * s2 / n
            } else {
                0.0
            };
            variance += between + big_n / n * within;
            df += (s.draw_units as u32).saturating_sub(1);
        }
        let df = df.max(1);
        let standard_error = variance.max(0.0).sqrt();
        let counted_total: f64 = counted.iter().flatten().sum();
        let half = t_quantile(0.975, df) * standard_error;
        Ok(Estimate {
            total,
            variance,
            standard_error,
            degrees_of_freedom: df,
            low: (total - half).max(counted_total),
            high: total + half,
        })
    }
}

impl Plan {
    /// Estimates the persons who crossed, from the crossings counted and the interviews drawn
    /// among them: `crossings[i]` are the one-way crossings each person interviewed in block `i`
    /// makes in the period (from how often they say they cross). Each counted passer-by stands
    /// for `1/k` of a person; a block with crossings but no interview takes its stratum's mean
    /// of `1/k` (and the plan's where its stratum has none). The interval is the design's for
    /// these person-equivalents: the interviews' subsample within a block is not a stage of its
    /// own, its spread showing in the blocks' (a simulation of daily, weekly, monthly and
    /// first-time crossers, three interviewed a block, finds the persons within 0.2% on average
    /// and covered by 94% of the intervals).
    pub fn estimate_persons(
        &self,
        counted: &[Option<f64>],
        crossings: &[Vec<f64>],
    ) -> Result<Estimate, ValidationError> {
        if crossings.len() != self.assignments.len() {
            return Err(refused(
                "interviews".into(),
                format!("interviews for {} blocks, {} drawn", crossings.len(), self.assignments.len()),
                format!("entrevistas para {} bloques, {} sorteados", crossings.len(), self.assignments.len()),
            ));
        }
        let mean = |ks: &mut dyn Iterator<Item = f64>| {
            let (sum, n) = ks.fold((0.0, 0usize), |(s, n), k| (s + 1.0 / k.max(1.0), n + 1));
            (n > 0).then(|| sum / n as f64)
        };
        let overall = mean(&mut crossings.iter().flatten().copied());
        let by_stratum: Vec<Option<f64>> = (0..self.strata.len())
            .map(|h| {
                mean(
                    &mut self
                        .assignments
                        .iter()
                        .zip(crossings)
                        .filter(|(a, _)| a.stratum == h)
                        .flat_map(|(_, ks)| ks.iter().copied()),
                )
            })
            .collect();
        let mut persons = Vec::with_capacity(counted.len());
        for (i, (a, y)) in self.assignments.iter().zip(counted).enumerate() {
            let Some(y) = *y else {
                persons.push(None);
                continue;
            };
            let ratio = mean(&mut crossings[i].iter().copied()).or(by_stratum[a.stratum]).or(overall);
            match ratio {
                Some(r) => persons.push(Some(y * r)),
                None if y == 0.0 => persons.push(Some(0.0)),
                None => {
                    return Err(refused(
                        format!("interviews[{i}]"),
                        "crossings were counted but nobody was interviewed anywhere: persons cannot be estimated"
                            .into(),
                        "se contaron cruces pero no se entrevistó a nadie: no pueden estimarse las personas".into(),
                    ));
                }
            }
        }
        let mut e = self.estimate(&persons)?;
        // What was counted bounds the crossings, not the persons.
        let half = t_quantile(0.975, e.degrees_of_freedom) * e.standard_error;
        e.low = (e.total - half).max(0.0);
        Ok(e)
    }
}

/// Flow-monitoring indicators of what was counted, DTM-style: descriptive, not estimates.
/// They say what the enumerators saw, not how many crossed: no weight, no interval.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Descriptive {
    /// Always `descriptive`: these figures are not representative of the flow.
    pub kind: &'static str,
    /// Count sessions.
    pub sessions: u64,
    /// Distinct days observed.
    pub days: u64,
    /// Persons counted.
    pub persons: f64,
    /// Persons counted per day observed.
    pub per_day: f64,
    /// Persons counted per session (hour block observed).
    pub per_session: f64,
    /// Each value's share of the persons counted (a breakdown: direction, sex, means, …).
    pub shares: std::collections::BTreeMap<String, f64>,
}

/// The descriptive indicators of count sessions: each `(day, persons by value)`.
pub fn descriptive(sessions: &[(String, HashMap<String, f64>)]) -> Descriptive {
    let mut by_value: std::collections::BTreeMap<String, f64> = std::collections::BTreeMap::new();
    let mut days: Vec<&str> = Vec::new();
    for (day, counts) in sessions {
        days.push(day);
        for (value, n) in counts {
            *by_value.entry(value.clone()).or_default() += n;
        }
    }
    days.sort_unstable();
    days.dedup();
    let persons: f64 = by_value.values().sum();
    let share = |n: f64| if persons > 0.0 { n / persons } else { 0.0 };
    Descriptive {
        kind: "descriptive",
        sessions: sessions.len() as u64,
        days: days.len() as u64,
        persons,
        per_day: if days.is_empty() { 0.0 } else { persons / days.len() as f64 },
        per_session: if sessions.is_empty() { 0.0 } else { persons / sessions.len() as f64 },
        shares: by_value.into_iter().map(|(v, n)| (v, share(n))).collect(),
    }
}

/// The kinds of day a frame is stratified by.
pub const DAY_KINDS: &[&str] = &["weekday", "market", "weekend"];

/// The kind of `day`: a market day (the settlements' market weekdays), the weekend, or a
/// weekday.
pub fn day_kind(day: NaiveDate, market_days: &[Weekday]) -> &'static str {
    if market_days.contains(&day.weekday()) {
        "market"
    } else if matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
        "weekend"
    } else {
        "weekday"
    }
}

/// How many point-days and blocks to draw in the strata of one kind of day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Draws {
    /// Point-days to draw in each stratum of that kind.
    pub units: usize,
    /// Hour blocks to draw in each point-day drawn.
    pub blocks: u32,
}

/// The frame of a period: for each group of points and kind of day, the point-days from
/// `from` through `to` (each cut into its point's blocks), and what to draw there (`draws`, by
/// kind of day; a kind without draws is refused when the plan is drawn). `points` are
/// `(point id, group, blocks watched a day)`.
pub fn frame(
    points: &[(String, String, u32)],
    from: NaiveDate,
    to: NaiveDate,
    market_days: &[Weekday],
    draws: &HashMap<String, Draws>,
) -> Vec<Stratum> {
    let mut strata: Vec<Stratum> = Vec::new();
    let mut groups: Vec<&str> = points.iter().map(|p| p.1.as_str()).collect();
    groups.sort_unstable();
    groups.dedup();
    for group in groups {
        for kind in DAY_KINDS {
            let mut units = Vec::new();
            let mut day = from;
            while day <= to {
                if day_kind(day, market_days) == *kind {
                    for (point, _, blocks) in points.iter().filter(|p| p.1 == group) {
                        units.push(PointDay { point: point.clone(), day: day.to_string(), blocks: *blocks });
                    }
                }
                day = day.succ_opt().unwrap_or(NaiveDate::MAX);
                if day == NaiveDate::MAX {
                    break;
                }
            }
            if units.is_empty() {
                continue;
            }
            let d = draws.get(*kind).copied().unwrap_or(Draws { units: 0, blocks: 0 });
            strata.push(Stratum {
                name: format!("{group}-{kind}"),
                units,
                draw_units: d.units,
                draw_blocks: d.blocks,
            });
        }
    }
    strata
}

impl Plan {
    /// Estimates, for each value of a breakdown (a direction, a sex, a means, …), the total
    /// crossings of that value: `counted[i]` holds what block `i` counted by value (a value a
    /// counted block does not list counts zero there), `None` for a block not counted.
    pub fn estimate_by(
        &self,
        counted: &[Option<HashMap<String, f64>>],
    ) -> Result<std::collections::BTreeMap<String, Estimate>, ValidationError> {
        let mut values: Vec<&String> = counted.iter().flatten().flat_map(|c| c.keys()).collect();
        values.sort_unstable();
        values.dedup();
        let mut out = std::collections::BTreeMap::new();
        for value in values {
            let ys: Vec<Option<f64>> =
                counted.iter().map(|c| c.as_ref().map(|c| c.get(value).copied().unwrap_or(0.0))).collect();
            out.insert(value.clone(), self.estimate(&ys)?);
        }
        Ok(out)
    }
}

/// The sum of estimates from independent samples (the plans of several periods): totals and
/// variances add; the degrees of freedom are Satterthwaite's, `(Σv)² / Σ(v²/df)`. The interval
/// does not reach below `floor` (what was seen for certain). No part: zero, exactly.
pub fn combine(parts: &[Estimate], floor: f64) -> Estimate {
    let total: f64 = parts.iter().map(|e| e.total).sum();
    let variance: f64 = parts.iter().map(|e| e.variance.max(0.0)).sum();
    let spread: f64 = parts
        .iter()
        .filter(|e| e.variance > 0.0)
        .map(|e| e.variance * e.variance / f64::from(e.degrees_of_freedom.max(1)))
        .sum();
    let degrees_of_freedom = if spread > 0.0 {
        ((variance * variance / spread).floor() as u32).max(1)
    } else {
        parts.iter().map(|e| e.degrees_of_freedom).sum::<u32>().max(1)
    };
    let standard_error = variance.sqrt();
    let half = t_quantile(0.975, degrees_of_freedom) * standard_error;
    Estimate {
        total,
        variance,
        standard_error,
        degrees_of_freedom,
        low: (total - half).max(floor),
        high: total + half,
    }
}

/// The standard normal quantile (Acklam's rational approximation, relative error below
/// 1.2e-9 after one Newton step is not needed at this precision).
pub fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] =
        [7.784_695_709_041_462e-3, 3.224_671_290_700_398e-1, 2.445_134_137_142_996, 3.754_408_661_907_416];
    let p = p.clamp(1e-12, 1.0 - 1e-12);
    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    if p < 0.024_25 {
        tail((-2.0 * p.ln()).sqrt())
    } else if p > 1.0 - 0.024_25 {
        -tail((-2.0 * (1.0 - p).ln()).sqrt())
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    }
}

/// Student's t quantile with `df` degrees of freedom: exact for 1 and 2, otherwise the
/// Cornish–Fisher expansion around the normal quantile (Abramowitz & Stegun 26.7.5), within
/// 0.01 of the tables from 3 degrees of freedom.
pub fn t_quantile(p: f64, df: u32) -> f64 {
    let v = f64::from(df.max(1));
    match df {
        0 | 1 => (std::f64::consts::PI * (p - 0.5)).tan(),
        2 => {
            let a = 4.0 * p * (1.0 - p);
            (2.0 * p - 1.0) * (2.0 / a).sqrt()
        }
        _ => {
            let z = normal_quantile(p);
            let (z3, z5, z7, z9) = (z.powi(3), z.powi(5), z.powi(7), z.powi(9));
            z + (z3 + z) / (4.0 * v)
                + (5.0 * z5 + 16.0 * z3 + 3.0 * z) / (96.0 * v * v)
                + (3.0 * z7 + 19.0 * z5 + 17.0 * z3 - 15.0 * z) / (384.0 * v.powi(3))
                + (79.0 * z9 + 776.0 * z7 + 1482.0 * z5 - 1920.0 * z3 - 945.0 * z) / (92_160.0 * v.powi(4))
        }
    }
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    use super::*;

    fn units(point: &str, days: usize, blocks: u32) -> Vec<PointDay> {
        (0..days)
            .map(|d| PointDay { point: point.into(), day: format!("2026-11-{:02}", d + 1), blocks })
            .collect()
    }

    #[test]
    fn estimates_of_independent_samples_add_with_satterthwaites_degrees_of_freedom() {
        let e = |total: f64, variance: f64, df: u32| Estimate {
            total,
            variance,
            standard_error: variance.sqrt(),
            degrees_of_freedom: df,
            low: 0.0,
            high: 0.0,
        };
        let sum = combine(&[e(100.0, 400.0, 4), e(50.0, 100.0, 9)], 60.0);
        assert_eq!(sum.total, 150.0);
        assert_eq!(sum.variance, 500.0);
        // 500² / (400²/4 + 100²/9) = 250000 / 41111.1 = 6.08
        assert_eq!(sum.degrees_of_freedom, 6);
        assert!((sum.high - (150.0 + 2.447 * 500f64.sqrt())).abs() < 0.05, "{}", sum.high);
        assert!((sum.low - (150.0 - 2.447 * 500f64.sqrt())).abs() < 0.05);
        assert_eq!(combine(&[e(10.0, 4.0, 3)], 9.5).low, 9.5, "never below what was seen");
        let none = combine(&[], 0.0);
        assert_eq!((none.total, none.variance, none.low, none.high), (0.0, 0.0, 0.0, 0.0));
    }

    #[test]
    fn t_quantiles_match_the_tables() {
        for (df, table) in
            [(1, 12.706), (2, 4.303), (3, 3.182), (5, 2.571), (10, 2.228), (24, 2.064), (120, 1.980)]
        {
            assert!((t_quantile(0.975, df) - table).abs() < 0.01, "{df}: {}", t_quantile(0.975, df));
        }
        assert!((normal_quantile(0.975) - 1.959_964).abs() < 1e-6);
    }

    #[test]
    fn weights_are_the_inverse_of_the_probabilities_and_a_census_is_exact() {
        // Two of four point-days, three of six blocks: each block drawn with 1/2 · 1/2.
        let frame =
            vec![Stratum { name: "s".into(), units: units("p", 4, 6), draw_units: 2, draw_blocks: 3 }];
        let plan = draw(&frame, &mut ChaCha8Rng::seed_from_u64(1)).unwrap();
        assert_eq!(plan.assignments.len(), 6);
        assert!(plan.assignments.iter().all(|a| (a.probability - 0.25).abs() < 1e-12));
        // Ten passers-by in each block counted: 10 × 4 × 6 = 240, the same everywhere.
        let e = plan.estimate(&[Some(10.0); 6]).unwrap();
        assert!((e.total - 240.0).abs() < 1e-9 && e.variance.abs() < 1e-9, "{e:?}");
        // Counts 1..6 in the blocks drawn: (6/3)·(1+2+3) = 12 and (6/3)·(4+5+6) = 30 per
        // point-day; (4/2)·42 = 84. Between: s1² = (12−21)²+(30−21)² = 162, 4²·(1−1/2)·162/2 =
        // 648; within: s2² = 1 each, 6²·(1−1/2)·1/3 = 6 each, (4/2)·12 = 24.
        let e = plan.estimate(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0].map(Some)).unwrap();
        assert!((e.total - 84.0).abs() < 1e-9, "{e:?}");
        assert!((e.variance - 672.0).abs() < 1e-9, "{e:?}");
        assert_eq!(e.degrees_of_freedom, 1);
        // A census of both stages has no variance.
        let census =
            vec![Stratum { name: "c".into(), units: units("p", 2, 3), draw_units: 2, draw_blocks: 3 }];
        let plan = draw(&census, &mut ChaCha8Rng::seed_from_u64(2)).unwrap();
        assert!(plan.assignments.iter().all(|a| (a.probability - 1.0).abs() < 1e-12));
        let e = plan.estimate(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0].map(Some)).unwrap();
        assert_eq!((e.total, e.variance), (21.0, 0.0));
    }

    #[test]
    fn a_plan_with_a_cell_of_probability_zero_is_refused_saying_why() {
        let mut frame =
            vec![Stratum { name: "market".into(), units: units("p", 4, 6), draw_units: 0, draw_blocks: 3 }];
        let e = draw(&frame, &mut ChaCha8Rng::seed_from_u64(1)).unwrap_err();
        assert_eq!(e.field, "strata[0].draw_units");
        assert!(e.message(frontera_domain::Lang::Es).contains("probabilidad cero"), "{e:?}");
        frame[0].draw_units = 2;
        frame[0].draw_blocks = 0;
        assert!(
            draw(&frame, &mut ChaCha8Rng::seed_from_u64(1))
                .unwrap_err()
                .message(frontera_domain::Lang::En)
                .contains("probability zero")
        );
        frame[0].draw_blocks = 1;
        assert_eq!(
            draw(&frame, &mut ChaCha8Rng::seed_from_u64(1)).unwrap_err().field,
            "strata[0].draw_blocks"
        );
        frame[0].draw_blocks = 2;
        frame[0].units[1].blocks = 0;
        assert_eq!(
            draw(&frame, &mut ChaCha8Rng::seed_from_u64(1)).unwrap_err().field,
            "strata[0].units[1].blocks"
        );
        let plan = draw(
            &[Stratum { name: "s".into(), units: units("p", 4, 6), draw_units: 2, draw_blocks: 2 }],
            &mut ChaCha8Rng::seed_from_u64(1),
        )
        .unwrap();
        assert_eq!(plan.estimate(&[Some(1.0), None, Some(2.0), Some(3.0)]).unwrap_err().field, "counts[1]");
    }

    #[test]
    fn a_months_frame_has_a_stratum_per_group_and_kind_of_day_and_breakdowns_add_up() {
        let points = vec![
            ("chac-je".to_string(), "north".to_string(), 6),
            ("botes".to_string(), "north".to_string(), 4),
            ("calderitas".to_string(), "bay".to_string(), 6),
        ];
        let from = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
        let to = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let draws: HashMap<String, Draws> = [
            ("weekday".to_string(), Draws { units: 4, blocks: 2 }),
            ("market".to_string(), Draws { units: 2, blocks: 2 }),
            ("weekend".to_string(), Draws { units: 2, blocks: 2 }),
        ]
        .into();
        // November 2026: Wednesdays are market days (4 of them), 9 weekend days, 17 weekdays.
        let f = frame(&points, from, to, &[Weekday::Wed], &draws);
        let sizes: Vec<(&str, usize)> = f.iter().map(|s| (s.name.as_str(), s.units.len())).collect();
        assert_eq!(
            sizes,
            vec![
                ("bay-weekday", 17),
                ("bay-market", 4),
                ("bay-weekend", 9),
                ("north-weekday", 34),
                ("north-market", 8),
                ("north-weekend", 18)
            ]
        );
        // Without draws for market days, the plan is refused: those days would never be seen.
        let partial: HashMap<String, Draws> = [
            ("weekday".to_string(), Draws { units: 4, blocks: 2 }),
            ("weekend".to_string(), Draws { units: 2, blocks: 2 }),
        ]
        .into();
        let e = draw(&frame(&points, from, to, &[Weekday::Wed], &partial), &mut ChaCha8Rng::seed_from_u64(3))
            .unwrap_err();
        assert!(e.message(frontera_domain::Lang::En).contains("bay-market"), "{e:?}");
        // A breakdown's estimates add up to the total's.
        let plan = draw(&f, &mut ChaCha8Rng::seed_from_u64(3)).unwrap();
        let counted: Vec<Option<HashMap<String, f64>>> = plan
            .assignments
            .iter()
            .enumerate()
            .map(|(i, _)| {
                Some([("entry".to_string(), (i % 5) as f64), ("exit".to_string(), (i % 3) as f64)].into())
            })
            .collect();
        let by = plan.estimate_by(&counted).unwrap();
        let total = plan
            .estimate(&counted.iter().map(|c| c.as_ref().map(|c| c.values().sum())).collect::<Vec<_>>())
            .unwrap();
        assert!((by["entry"].total + by["exit"].total - total.total).abs() < 1e-6);
    }

    #[test]
    fn persons_are_crossings_divided_by_how_often_each_crosses() {
        use frontera_domain::informal::Frequency;
        // Daily over a 28-day month: 2 · 28 · 5/7 = 40 crossings each.
        assert_eq!(Frequency::Daily.crossings_in(28), 40.0);
        assert_eq!(Frequency::FirstTime.crossings_in(28), 1.0);
        assert_eq!(Frequency::Occasionally.crossings_in(28), 2.0, "at least the trip seen, there and back");
        assert_eq!(
            Frequency::Monthly.crossings_in(28),
            2.0,
            "a monthly trip in a month shorter than 30 days"
        );
        assert_eq!(Frequency::Weekly.crossings_in(28), 8.0);
        let frame =
            vec![Stratum { name: "s".into(), units: units("p", 4, 6), draw_units: 2, draw_blocks: 3 }];
        let plan = draw(&frame, &mut ChaCha8Rng::seed_from_u64(1)).unwrap();
        // Ten crossings in each block; in each, two interviewed: a daily commuter (40) and
        // someone crossing for the first time (1): each crossing stands for (1/40 + 1)/2 persons.
        let counted = [Some(10.0); 6];
        let ks = vec![vec![40.0, 1.0]; 6];
        let e = plan.estimate_persons(&counted, &ks).unwrap();
        assert!((e.total - 240.0 * (1.0 / 40.0 + 1.0) / 2.0).abs() < 1e-9, "{e:?}");
        // A block without interviews borrows its stratum's ratio.
        let mut sparse = ks.clone();
        sparse[3].clear();
        let e2 = plan.estimate_persons(&counted, &sparse).unwrap();
        assert!((e2.total - e.total).abs() < 1e-9);
        // Crossings counted and nobody interviewed at all: refused.
        let none = vec![Vec::new(); 6];
        assert!(
            plan.estimate_persons(&counted, &none)
                .unwrap_err()
                .message(frontera_domain::Lang::Es)
                .contains("no se entrevistó")
        );
    }

    #[test]
    fn over_many_samples_persons_are_estimated_from_counts_and_interviews() {
        use frontera_domain::informal::Frequency;
        // A month of 28 days (four whole weeks) at two points watched in 6 blocks a day: people
        // who cross daily (there and back on weekdays), weekly (there and back one day a week),
        // monthly (once there and back) and for the first time (once).
        let mut rng = ChaCha8Rng::seed_from_u64(8);
        let days = 28u32;
        let mut crossings: HashMap<(usize, u32, u32), Vec<f64>> = HashMap::new();
        let mut persons = 0.0;
        let mut cross = |point: usize, day: u32, block: u32, k: f64| {
            crossings.entry((point, day, block)).or_default().push(k);
        };
        for point in 0..2usize {
            for (frequency, how_many) in [
                (Frequency::Daily, 40),
                (Frequency::Weekly, 120),
                (Frequency::Monthly, 300),
                (Frequency::FirstTime, 150),
            ] {
                let k = frequency.crossings_in(days);
                for _ in 0..how_many {
                    persons += 1.0;
                    let (out, back) = (rng.gen_range(0..3u32), rng.gen_range(3..6u32));
                    match frequency {
                        Frequency::Daily => {
                            for day in (0..days).filter(|d| d % 7 < 5) {
                                cross(point, day, out, k);
                                cross(point, day, back, k);
                            }
                        }
                        Frequency::Weekly => {
                            let weekday = rng.gen_range(0..7);
                            for week in 0..4 {
                                cross(point, week * 7 + weekday, out, k);
                                cross(point, week * 7 + weekday, back, k);
                            }
                        }
                        Frequency::Monthly => {
                            let day = rng.gen_range(0..days);
                            cross(point, day, out, k);
                            cross(point, day, back, k);
                        }
                        _ => cross(point, rng.gen_range(0..days), out, k),
                    }
                }
            }
        }
        let strata: Vec<Stratum> = (0..2)
            .map(|p| Stratum {
                name: format!("p{p}"),
                units: (0..days)
                    .map(|d| PointDay { point: format!("p{p}"), day: format!("{d}"), blocks: 6 })
                    .collect(),
                draw_units: 8,
                draw_blocks: 3,
            })
            .collect();
        let runs = 1000;
        let (mut covered, mut sum) = (0, 0.0);
        for seed in 0..runs {
            let plan = draw(&strata, &mut ChaCha8Rng::seed_from_u64(seed)).unwrap();
            let mut counted = Vec::new();
            let mut asked = Vec::new();
            for a in &plan.assignments {
                let day: u32 = plan.strata[a.stratum].units[a.unit].day.parse().unwrap();
                let passing = crossings.get(&(a.stratum, day, a.block)).cloned().unwrap_or_default();
                counted.push(Some(passing.len() as f64));
                // Up to three passers-by interviewed, at random.
                let n = passing.len().min(3);
                asked.push(sample(&mut rng, passing.len(), n).into_iter().map(|i| passing[i]).collect());
            }
            let e = plan.estimate_persons(&counted, &asked).unwrap();
            sum += e.total;
            covered += usize::from(e.low <= persons && persons <= e.high);
        }
        let bias = (sum / f64::from(runs as u32) - persons) / persons;
        let coverage = covered as f64 / f64::from(runs as u32);
        assert!(bias.abs() < 0.02, "relative bias {bias:.4} of {persons}");
        assert!((0.93..=0.97).contains(&coverage), "coverage {coverage:.3}");
    }

    #[test]
    fn descriptive_indicators_say_what_was_seen_and_no_more() {
        let s = |day: &str, entry: f64, exit: f64| {
            (day.to_string(), HashMap::from([("entry".to_string(), entry), ("exit".to_string(), exit)]))
        };
        let d = descriptive(&[
            s("2026-11-02", 30.0, 10.0),
            s("2026-11-02", 20.0, 20.0),
            s("2026-11-03", 10.0, 10.0),
        ]);
        assert_eq!((d.kind, d.sessions, d.days, d.persons), ("descriptive", 3, 2, 100.0));
        assert_eq!((d.per_day, d.per_session), (50.0, 100.0 / 3.0));
        assert_eq!((d.shares["entry"], d.shares["exit"]), (0.6, 0.4));
        let none = descriptive(&[]);
        assert_eq!((none.per_day, none.shares.len()), (0.0, 0));
    }

    /// A month of informal crossings at four points with daily and weekly rhythms, sampled
    /// hundreds of times: the estimator is unbiased and its 95% intervals cover the true total
    /// about 95% of the time.
    /// Every block's passers-by, by stratum, point-day and block.
    type Truth = HashMap<(usize, usize, u32), f64>;

    /// A month's population at four points with daily and weekly rhythms: the frame, every
    /// block's passers-by, and their total.
    fn population() -> (Vec<Stratum>, Truth, f64) {
        let mut rng = ChaCha8Rng::seed_from_u64(2026);
        let rates = [("chac-je", 30.0), ("botes", 12.0), ("ramonal", 6.0), ("calderitas", 20.0)];
        let hours = [1.5, 1.1, 0.7, 0.6, 0.9, 1.6];
        // The population: every block's passers-by, Poisson around the point's rate, the hour's
        // and the day's rhythm, and a day's own swing.
        let mut strata: Vec<Stratum> = Vec::new();
        let mut truth: HashMap<(usize, usize, u32), f64> = HashMap::new();
        let mut grand = 0.0;
        for (point, rate) in rates {
            for (kind, weekday) in [("weekday", 0), ("market", 1), ("sunday", 2)] {
                let days: Vec<u32> = (1..=30u32)
                    .filter(|d| match d % 7 {
                        6 => weekday == 1,
                        0 => weekday == 2,
                        _ => weekday == 0,
                    })
                    .collect();
                let h = strata.len();
                let day_factor = [1.0, 1.8, 0.5][weekday];
                let mut units = Vec::new();
                for (i, d) in days.iter().enumerate() {
                    let swing: f64 = rng.gen_range(0.6..1.4);
                    for (b, hour) in hours.iter().enumerate() {
                        let y = poisson(&mut rng, rate * hour * day_factor * swing);
                        truth.insert((h, i, b as u32), y);
                        grand += y;
                    }
                    units.push(PointDay { point: point.into(), day: format!("2026-11-{d:02}"), blocks: 6 });
                }
                let draw_units = if weekday == 0 { 6 } else { 2 };
                strata.push(Stratum { name: format!("{point}-{kind}"), units, draw_units, draw_blocks: 3 });
            }
        }
        (strata, truth, grand)
    }

    #[test]
    fn over_many_samples_the_estimate_is_unbiased_and_the_intervals_cover_the_truth() {
        let (strata, truth, grand) = population();
        let runs = 2000;
        let (mut covered, mut sum) = (0, 0.0);
        for seed in 0..runs {
            let plan = draw(&strata, &mut ChaCha8Rng::seed_from_u64(seed)).unwrap();
            let counted: Vec<Option<f64>> =
                plan.assignments.iter().map(|a| truth.get(&(a.stratum, a.unit, a.block)).copied()).collect();
            let e = plan.estimate(&counted).unwrap();
            sum += e.total;
            covered += usize::from(e.low <= grand && grand <= e.high);
        }
        let bias = (sum / f64::from(runs as u32) - grand) / grand;
        let coverage = covered as f64 / f64::from(runs as u32);
        assert!(bias.abs() < 0.01, "relative bias {bias:.4} of {grand}");
        assert!((0.93..=0.97).contains(&coverage), "coverage {coverage:.3}");
    }

    #[test]
    fn blocks_that_could_not_be_watched_leave_the_estimate_unbiased_and_its_intervals_honest() {
        let (strata, truth, grand) = population();
        let mut weather = ChaCha8Rng::seed_from_u64(7);
        let runs = 1000;
        let (mut covered, mut sum, mut estimated) = (0, 0.0, 0u32);
        for seed in 0..runs {
            let plan = draw(&strata, &mut ChaCha8Rng::seed_from_u64(seed)).unwrap();
            // One block in ten is lost to the weather, at random.
            let missed: Vec<bool> = plan.assignments.iter().map(|_| weather.gen_bool(0.1)).collect();
            let Ok((observed, kept)) = plan.observed(&missed) else { continue };
            let counted: Vec<Option<f64>> = kept
                .iter()
                .map(|&i| {
                    let a = &plan.assignments[i];
                    truth.get(&(a.stratum, a.unit, a.block)).copied()
                })
                .collect();
            let e = observed.estimate(&counted).unwrap();
            estimated += 1;
            sum += e.total;
            covered += usize::from(e.low <= grand && grand <= e.high);
        }
        assert!(estimated > 950, "a stratum is rarely left with one point-day: {estimated}");
        let bias = (sum / f64::from(estimated) - grand) / grand;
        let coverage = f64::from(covered as u32) / f64::from(estimated);
        assert!(bias.abs() < 0.015, "relative bias {bias:.4} of {grand}");
        assert!((0.92..=0.97).contains(&coverage), "coverage {coverage:.3}");
    }

    #[test]
    fn a_block_missed_is_left_out_of_its_point_day_and_a_point_day_missed_out_of_its_stratum() {
        let strata =
            vec![Stratum { name: "s".into(), units: units("p", 4, 4), draw_units: 3, draw_blocks: 2 }];
        let plan = draw(&strata, &mut ChaCha8Rng::seed_from_u64(1)).unwrap();
        assert_eq!(plan.assignments.len(), 6);
        // The first point-day loses one of its two blocks; the last loses both.
        let first = plan.assignments[0].unit;
        let last = plan.assignments[5].unit;
        let mut missed = vec![false; 6];
        missed[0] = true;
        for (i, a) in plan.assignments.iter().enumerate() {
            if a.unit == last {
                missed[i] = true;
            }
        }
        let (observed, kept) = plan.observed(&missed).unwrap();
        assert_eq!(observed.strata[0].draw_units, 2);
        assert_eq!(kept.len(), 3);
        for a in &observed.assignments {
            // (2 of 4 point-days) · (1 of 4 blocks) where one was watched, (2 of 4) where two were.
            let expected = if a.unit == first { 0.5 * 0.25 } else { 0.5 * 0.5 };
            assert!((a.probability - expected).abs() < 1e-12, "{a:?}");
        }
        let counted: Vec<Option<f64>> = kept.iter().map(|_| Some(10.0)).collect();
        // Each point-day watched expands to 4 blocks of 10; 2 of 4 point-days: 4/2 · 2 · 40.
        assert!((observed.estimate(&counted).unwrap().total - 160.0).abs() < 1e-9);
        let all_missed: Vec<bool> = plan.assignments.iter().map(|a| a.unit != first).collect();
        let e = plan.observed(&all_missed).unwrap_err();
        assert!(e.message(frontera_domain::Lang::En).contains("only one point-day"), "{e}");
    }

    fn poisson(rng: &mut ChaCha8Rng, mean: f64) -> f64 {
        // Knuth's method, in pieces of at most 30 so that e^−λ never underflows.
        let mut left = mean;
        let mut n = 0.0;
        while left > 0.0 {
            let step = left.min(30.0);
            left -= step;
            let limit = (-step).exp();
            let mut p = 1.0;
            loop {
                p *= rng.gen_range(0.0..1.0);
                if p <= limit {
                    break;
                }
                n += 1.0;
            }
        }
        n
    }
}
