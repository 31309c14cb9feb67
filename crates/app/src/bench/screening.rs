//! `frontera bench screening`: the screening index over a synthetic alert list of the demo's
//! name model (and the UN list, when given), queried with listed people whose names and birth
//! dates were corrupted the ways this border corrupts them, and with travellers on no list.

use std::time::Instant;

use chrono::{Datelike, NaiveDate};
use frontera_domain::PartialDate;
use frontera_matching::NameTokens;
use frontera_matching::screening::{BirthEvidence, Entry, Index, Query};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::demo::names::{self, Community};

/// The score at or above which a candidate is a hit, unless told otherwise.
pub const THRESHOLD: f64 = 0.85;

/// What the evaluation measured.
#[derive(Debug, Clone, Serialize)]
pub struct ScreeningFigures {
    /// Entries in the index.
    pub entries: usize,
    /// Seconds to build the index.
    pub build_seconds: f64,
    /// Resident memory of the process after the build, in MiB (the list and its index).
    pub resident_mib: f64,
    /// Listed people queried with corrupted names.
    pub true_queries: usize,
    /// Share of them found at or above the threshold.
    pub recall: f64,
    /// Travellers on no list queried.
    pub clean_queries: usize,
    /// Hits among them, per 1 000.
    pub false_hits_per_1000: f64,
    /// Of those, hits on a homonym: a listed person every one of whose name's tokens the
    /// traveller's name holds, or the other way round, with a birth date that agrees as far as
    /// the list gives it. No comparison of names and dates can tell these apart; a richer name
    /// model makes them rarer.
    pub homonym_hits_per_1000: f64,
    /// Median time of one query on one core, in milliseconds.
    pub p50_ms: f64,
    /// 99th percentile of one query on one core, in milliseconds.
    pub p99_ms: f64,
    /// Queries per second with every core.
    pub queries_per_second: f64,
    /// The threshold used.
    pub threshold: f64,
    /// The first listed people missed (as many as asked for).
    pub missed_examples: Vec<Missed>,
    /// The first hits on people on no list (as many as asked for).
    pub false_hit_examples: Vec<FalseHit>,
}

/// A listed person the index missed.
#[derive(Debug, Clone, Serialize)]
pub struct Missed {
    /// What was asked: the corrupted name, the birth date and the passport's nationality.
    pub asked: String,
    /// The list's entry: names, birth dates as the list gives them, nationality.
    pub listed: String,
    /// The best score the entry reached.
    pub score: f64,
}

/// A hit on a traveller on no list.
#[derive(Debug, Clone, Serialize)]
pub struct FalseHit {
    /// Who was asked.
    pub asked: String,
    /// The entry hit.
    pub hit: String,
    /// Its score.
    pub score: f64,
    /// A homonym (see [`ScreeningFigures::homonym_hits_per_1000`]).
    pub homonym: bool,
}

/// A synthetic person: given names, surnames, birth date.
#[derive(Debug, Clone)]
pub(crate) struct Person {
    pub given: Vec<String>,
    pub surnames: Vec<String>,
    pub birth: NaiveDate,
    pub nationality: &'static str,
    pub sex: frontera_domain::Sex,
}

/// Who is on a list kept at this border, by community, with the share of the list each takes:
/// the region's people in proportion to each country's population (Mexico 130 million,
/// Guatemala 18, Honduras and El Salvador 16), Belize's weighted ten times over (its own lists
/// are kept here) and split among its communities as they are, and a tenth from beyond the
/// region.
pub(crate) const LISTED: &[(&Community, &str, f64)] = &[
    (&names::MEXICAN, "MEX", 0.695),
    (&names::GUATEMALAN, "GTM", 0.096),
    (&names::CENTRAL_AMERICAN, "HND", 0.087),
    (&names::VISITOR, "USA", 0.10),
    (&names::MESTIZO, "BLZ", 0.0115),
    (&names::CREOLE, "BLZ", 0.0057),
    (&names::MAYA, "BLZ", 0.0024),
    (&names::GARIFUNA, "BLZ", 0.0013),
    (&names::MENNONITE, "BLZ", 0.0011),
];

/// Who comes to the counter: the demo's crossings (Belizean day trips, Mexican visitors and
/// workers, the Mennonite farmers of Blue Creek), with the tourists and the Central Americans
/// in transit.
const TRAVELLERS: &[(&Community, &str, f64)] = &[
    (&names::MESTIZO, "BLZ", 0.36),
    (&names::CREOLE, "BLZ", 0.18),
    (&names::MAYA, "BLZ", 0.07),
    (&names::GARIFUNA, "BLZ", 0.04),
    (&names::MENNONITE, "BLZ", 0.07),
    (&names::MEXICAN, "MEX", 0.20),
    (&names::GUATEMALAN, "GTM", 0.03),
    (&names::CENTRAL_AMERICAN, "HND", 0.02),
    (&names::VISITOR, "USA", 0.03),
];

/// Families mix: now and then a surname comes from another community.
const COMMUNITIES: &[&Community] = &[
    &names::MESTIZO,
    &names::CREOLE,
    &names::MAYA,
    &names::GARIFUNA,
    &names::MENNONITE,
    &names::MEXICAN,
    &names::GUATEMALAN,
    &names::CENTRAL_AMERICAN,
    &names::VISITOR,
];

pub(crate) fn person(rng: &mut ChaCha8Rng, mix: &[(&'static Community, &'static str, f64)]) -> Person {
    let (community, nationality, _) = *mix.choose_weighted(rng, |m| m.2).unwrap_or(&mix[0]);
    let sex = if rng.gen_bool(0.5) { frontera_domain::Sex::Female } else { frontera_domain::Sex::Male };
    let mut given = vec![community.given(rng, sex).to_string()];
    if rng.gen_bool(0.35) {
        let second = community.given(rng, sex);
        if !given.iter().any(|g| g == second) {
            given.push(second.to_string());
        }
    }
    let surname = |rng: &mut ChaCha8Rng| {
        let c = if rng.gen_bool(0.15) { COMMUNITIES[rng.gen_range(0..COMMUNITIES.len())] } else { community };
        c.surname(rng).to_string()
    };
    let mut surnames = vec![surname(rng)];
    if rng.gen_bool(community.two_surnames.max(0.3)) {
        surnames.push(surname(rng));
    }
    let birth = NaiveDate::from_ymd_opt(rng.gen_range(1940..2010), 1, 1).unwrap_or_default()
        + chrono::Duration::days(rng.gen_range(0..365));
    Person { given, surnames, birth, nationality, sex }
}

/// The list's entry of a person: the date as precise as lists are (often only a year).
fn entry(rng: &mut ChaCha8Rng, p: &Person, reference: usize) -> Entry {
    let birth = match rng.gen_range(0..100) {
        0..75 => PartialDate::full(p.birth),
        75..90 => PartialDate::from_parts(p.birth.year(), None, None).unwrap_or(PartialDate::full(p.birth)),
        _ => PartialDate::from_parts(p.birth.year(), Some(p.birth.month()), None)
            .unwrap_or(PartialDate::full(p.birth)),
    };
    Entry {
        reference: format!("SYN.{reference}"),
        names: vec![NameTokens::new(&p.given.join(" "), &p.surnames.join(" "))],
        birth_dates: vec![birth],
        nationalities: vec![p.nationality.to_string()],
        documents: Vec::new(),
        // Most lists give the sex; some entries lack it.
        sex: rng.gen_bool(0.8).then_some(p.sex),
    }
}

/// A letter changed the way a hurried hand or a reader does.
fn typo(rng: &mut ChaCha8Rng, word: &str) -> String {
    let mut chars: Vec<char> = word.chars().collect();
    if chars.len() < 4 {
        return word.to_string();
    }
    let i = rng.gen_range(1..chars.len() - 1);
    if rng.gen_bool(0.5) {
        chars.swap(i, i + 1);
    } else {
        chars[i] = (b'a' + rng.gen_range(0..26u8)) as char;
    }
    chars.into_iter().collect()
}

/// A letter an OCR reader takes for a digit (O for 0, B for 8, …), where the word has one.
fn ocr_slip(rng: &mut ChaCha8Rng, word: &str) -> String {
    const TWINS: &[(char, char)] = &[('O', '0'), ('I', '1'), ('S', '5'), ('B', '8'), ('Z', '2'), ('G', '6')];
    let upper = names::mrz_style(word);
    let at: Vec<usize> =
        upper.char_indices().filter(|(_, c)| TWINS.iter().any(|(l, _)| l == c)).map(|(i, _)| i).collect();
    let Some(&i) = at.get(rng.gen_range(0..at.len().max(1))) else { return upper };
    upper
        .char_indices()
        .map(|(j, c)| if j == i { TWINS.iter().find(|(l, _)| *l == c).map_or(c, |(_, d)| *d) } else { c })
        .collect()
}

/// A spelling that sounds the same.
fn respell(word: &str) -> String {
    const SWAPS: &[(&str, &str)] =
        &[("z", "s"), ("s", "z"), ("v", "b"), ("b", "v"), ("ll", "y"), ("y", "i"), ("qu", "k"), ("ph", "f")];
    let lower = word.to_lowercase();
    // After the first letter, whatever its width.
    let first = lower.chars().next().map_or(0, char::len_utf8);
    for (from, to) in SWAPS {
        if let Some(at) = lower[first..].find(from) {
            let at = at + first;
            return format!("{}{}{}", &lower[..at], to, &lower[at + from.len()..]);
        }
    }
    if let Some(rest) = lower.strip_prefix('h') {
        return rest.to_string();
    }
    lower
}

/// A listed person as a traveller shows up: one or two of the corruptions of this border.
fn corrupt(rng: &mut ChaCha8Rng, p: &Person) -> Query {
    let (mut given, mut surnames) = (p.given.clone(), p.surnames.clone());
    let mut birth = PartialDate::full(p.birth);
    for _ in 0..rng.gen_range(1..=2) {
        match rng.gen_range(0..11) {
            0 if surnames.len() > 1 => {
                surnames.pop();
            }
            // The mother's surname only.
            8 if surnames.len() > 1 => {
                surnames.remove(0);
            }
            // A printed zone read by OCR: a digit for a letter.
            9 => {
                let i = rng.gen_range(0..given.len() + surnames.len());
                let word = if i < given.len() { &mut given[i] } else { &mut surnames[i - given.len()] };
                *word = ocr_slip(rng, word);
            }
            // As a zone writes it: no accents, upper case, the surnames hyphenated.
            10 => {
                given = given.iter().map(|g| names::mrz_style(g)).collect();
                surnames = vec![surnames.iter().map(|s| names::mrz_style(s)).collect::<Vec<_>>().join("-")];
            }
            1 if surnames.len() > 1 => surnames.swap(0, 1),
            2 => {
                let i = rng.gen_range(0..surnames.len());
                surnames[i] = typo(rng, &surnames[i]);
            }
            3 => {
                if let Some(s) = surnames.first_mut() {
                    *s = respell(s);
                }
            }
            4 => {
                // The name field of a TD1 zone: surnames, then given names, in 30 characters
                // (a name that fits is not cut).
                let whole = format!("{}  {}", surnames.join(" "), given.join(" "));
                let cut: String = whole.chars().take(30).collect();
                if cut.len() < whole.len() {
                    let n = surnames.join(" ").chars().count();
                    let rest: String = cut.chars().skip(n + 2).collect();
                    given = rest.split_whitespace().map(String::from).collect();
                }
            }
            5 if given.len() > 1 => given.swap(0, 1),
            6 if given.len() > 1 => {
                given.pop();
            }
            7 if p.birth.day() <= 12 && p.birth.day() != p.birth.month() => {
                birth = PartialDate::from_parts(p.birth.year(), Some(p.birth.day()), Some(p.birth.month()))
                    .unwrap_or(birth);
            }
            _ => {
                if let Some(g) = given.first_mut() {
                    *g = typo(rng, g);
                }
            }
        }
    }
    // Now and then the person crosses on a second passport (or a false one).
    let nationality = if rng.gen_bool(0.03) {
        let others: Vec<&str> =
            ["BLZ", "MEX", "GTM", "HND", "USA"].into_iter().filter(|n| *n != p.nationality).collect();
        others[rng.gen_range(0..others.len())]
    } else {
        p.nationality
    };
    Query {
        name: NameTokens::new(&given.join(" "), &surnames.join(" ")),
        birth_date: Some(birth),
        nationality: Some(nationality.to_string()),
        document: None,
        sex: Some(p.sex),
    }
}

fn clean(p: &Person) -> Query {
    Query {
        name: NameTokens::new(&p.given.join(" "), &p.surnames.join(" ")),
        birth_date: Some(PartialDate::full(p.birth)),
        nationality: Some(p.nationality.to_string()),
        document: None,
        sex: Some(p.sex),
    }
}

fn resident_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmRSS:")).map(String::from))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|kb| kb.parse::<f64>().ok()))
        .map_or(0.0, |kb| kb / 1024.0)
}

fn show(q: &Query) -> String {
    let name: Vec<&str> = q.name.all().map(String::as_str).collect();
    format!(
        "{} {} {}",
        name.join(" "),
        q.birth_date.map(|b| b.to_string()).unwrap_or_default(),
        q.nationality.as_deref().unwrap_or_default()
    )
}

fn listed_as(e: &Entry) -> String {
    let name: Vec<&str> = e.names.first().map(|n| n.all().map(String::as_str).collect()).unwrap_or_default();
    let birth: Vec<String> = e.birth_dates.iter().map(|b| b.to_string()).collect();
    format!("{} {} {}", name.join(" "), birth.join(","), e.nationalities.join(","))
}

/// Run the evaluation: `entries` synthetic people (plus `extra`, the UN list's, say), `queries`
/// of each kind, keeping the first `examples` misses and false hits.
pub fn run(
    entries: usize,
    queries: usize,
    extra: Vec<Entry>,
    seed: u64,
    threshold: f64,
    examples: usize,
) -> ScreeningFigures {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let people: Vec<Person> = (0..entries).map(|_| person(&mut rng, LISTED)).collect();
    let mut list: Vec<Entry> = people.iter().enumerate().map(|(i, p)| entry(&mut rng, p, i)).collect();
    list.extend(extra);
    let started = Instant::now();
    let index = Index::build(list);
    let build_seconds = started.elapsed().as_secs_f64();
    let resident = resident_mib();

    let listed: Vec<(usize, Query)> = (0..queries)
        .map(|_| {
            let i = rng.gen_range(0..people.len().max(1));
            (i, corrupt(&mut rng, &people[i]))
        })
        .collect();
    let mut other = ChaCha8Rng::seed_from_u64(seed ^ 0x5eed);
    let travellers: Vec<Query> = (0..queries).map(|_| clean(&person(&mut other, TRAVELLERS))).collect();

    let mut times = Vec::with_capacity(2 * queries);
    let mut found = 0usize;
    let mut missed_examples = Vec::new();
    for (i, q) in &listed {
        let t = Instant::now();
        let hits = index.screen(q, threshold, 10);
        times.push(t.elapsed().as_secs_f64());
        let reference = format!("SYN.{i}");
        if hits.iter().any(|h| index.entries()[h.entry].reference == reference) {
            found += 1;
        } else if missed_examples.len() < examples {
            let score = index.score(q, *i).map_or(0.0, |c| c.score);
            missed_examples.push(Missed { asked: show(q), listed: listed_as(&index.entries()[*i]), score });
        }
    }
    let mut false_hits = 0usize;
    let mut homonyms = 0usize;
    let mut false_hit_examples = Vec::new();
    for q in &travellers {
        let t = Instant::now();
        let hits = index.screen(q, threshold, 10);
        times.push(t.elapsed().as_secs_f64());
        if let Some(h) = hits.first() {
            false_hits += 1;
            let e = &index.entries()[h.entry];
            let asked: Vec<&String> = q.name.all().collect();
            let homonym = e.names.iter().any(|n| {
                let listed: Vec<&String> = n.all().collect();
                asked.iter().all(|t| listed.contains(t)) || listed.iter().all(|t| asked.contains(t))
            }) && matches!(
                h.explanation.birth,
                BirthEvidence::Exact | BirthEvidence::Partial | BirthEvidence::SameYear
            );
            if homonym {
                homonyms += 1;
            }
            if false_hit_examples.len() < examples {
                false_hit_examples.push(FalseHit {
                    asked: show(q),
                    hit: listed_as(e),
                    score: h.score,
                    homonym,
                });
            }
        }
    }
    times.sort_by(f64::total_cmp);
    let at = |p: f64| {
        times
            .get(((times.len() as f64 * p) as usize).min(times.len().saturating_sub(1)))
            .copied()
            .unwrap_or(0.0)
    };

    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let all: Vec<&Query> = listed.iter().map(|(_, q)| q).chain(&travellers).collect();
    let started = Instant::now();
    std::thread::scope(|s| {
        for chunk in all.chunks(all.len().div_ceil(cores).max(1)) {
            let index = &index;
            s.spawn(move || chunk.iter().map(|q| index.screen(q, threshold, 10).len()).sum::<usize>());
        }
    });
    let queries_per_second = all.len() as f64 / started.elapsed().as_secs_f64().max(1e-9);

    ScreeningFigures {
        entries: index.entries().len(),
        build_seconds,
        resident_mib: resident,
        true_queries: listed.len(),
        recall: found as f64 / listed.len().max(1) as f64,
        clean_queries: travellers.len(),
        false_hits_per_1000: 1000.0 * false_hits as f64 / travellers.len().max(1) as f64,
        homonym_hits_per_1000: 1000.0 * homonyms as f64 / travellers.len().max(1) as f64,
        p50_ms: at(0.5) * 1e3,
        p99_ms: at(0.99) * 1e3,
        queries_per_second,
        threshold,
        missed_examples,
        false_hit_examples,
    }
}
