//! Screening: finding the alert-list persons a traveller may be, each with a score and the
//! reasons for it.
//!
//! An [`Index`] holds the entries of the lists. A query's name tokens are looked up by their
//! phonetic key and by their first three letters, in the bucket of the traveller's birth year
//! (and among the entries whose year is unknown), and by the document number with OCR's
//! confusions folded; only the entries found that way are scored, never the whole list. A score
//! starts from the best name or alias ([`crate::name::compare_names`]) and moves with the birth
//! date, the nationality and the document number.

mod evidence;

use std::collections::{HashMap, HashSet};

use frontera_domain::PartialDate;

pub use evidence::{BirthEvidence, NationalityEvidence, SexEvidence};

use crate::name::{How, NameMatch, compare_names, name_score};
use crate::normalize::NameTokens;
use crate::phonetic;
use crate::similarity::{DocumentMatch, compare_documents};

/// A person on an alert list, as screening compares them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Entry {
    /// The entry's reference in its list (the UN list's `REFERENCE_NUMBER`, say).
    pub reference: String,
    /// The name first, then every alias.
    pub names: Vec<NameTokens>,
    /// Birth dates, as precise as the list gives them (several when the list is unsure).
    pub birth_dates: Vec<PartialDate>,
    /// Nationalities, as codes.
    pub nationalities: Vec<String>,
    /// Document numbers.
    pub documents: Vec<String>,
    /// Sex, when the list gives it.
    pub sex: Option<frontera_domain::Sex>,
}

impl Entry {
    /// The entry an alert-list person makes: every name and alias, dates, nationalities,
    /// documents.
    pub fn of(alert: &frontera_domain::alert::AlertEntry) -> Entry {
        Entry {
            reference: alert.reference.clone(),
            names: alert.names.iter().map(|n| NameTokens::new(&n.given_names, &n.surnames)).collect(),
            birth_dates: alert.birth_dates.clone(),
            nationalities: alert.nationalities.iter().map(|c| c.as_str().to_string()).collect(),
            documents: alert.documents.iter().map(|d| d.number.clone()).collect(),
            sex: alert.sex,
        }
    }
}

/// A traveller to screen.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Query {
    /// The name.
    pub name: NameTokens,
    /// The birth date, if known.
    pub birth_date: Option<PartialDate>,
    /// The nationality, as a code.
    pub nationality: Option<String>,
    /// The document number.
    pub document: Option<String>,
    /// The sex, if known.
    pub sex: Option<frontera_domain::Sex>,
}

/// Why a candidate scored as it did.
#[derive(Debug, Clone, PartialEq)]
pub struct Explanation {
    /// Which of the entry's names met best (0 for its name, then its aliases in order).
    pub name_index: usize,
    /// How that name met the query's.
    pub name: NameMatch,
    /// The birth date's evidence.
    pub birth: BirthEvidence,
    /// The nationality's evidence.
    pub nationality: NationalityEvidence,
    /// The document number's, when both sides give one.
    pub document: Option<DocumentMatch>,
    /// The sex's.
    pub sex: SexEvidence,
}

/// An entry a query may be, with its score in [0, 1].
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The entry's position in the index.
    pub entry: usize,
    /// The score.
    pub score: f64,
    /// The reasons.
    pub explanation: Explanation,
}

/// At most this many entries found by the look-ups are scored, those the look-ups found the most
/// ways first.
pub const MAX_SCORED: usize = 300;

/// What a name that leaves out two or more of the listed name's tokens loses when the birth
/// dates agree on the year alone (see [`Index::name_worth`]).
const SPARSE_NAME: f64 = 0.05;

/// What a name loses for each pair of its tokens met as a typo (or as sounds alike, in other
/// letters) where both are names the list knows (see [`Index::known`]), when no more than part
/// of the birth date agrees: enough that a name of three tokens, one of them another name, met
/// with a birth year, is no hit.
const OTHER_NAME: f64 = 0.2;

/// A token is a name the list knows when one entry in this many holds it, and at least
/// [`KNOWN_MIN`] do: common enough that a traveller bearing it more likely bears that name than
/// a slip for another.
const KNOWN_SHARE: usize = 50_000;

/// See [`KNOWN_SHARE`]: a small list knows too few people to tell names from slips.
const KNOWN_MIN: usize = 5;

/// The birth-year bucket of entries whose year is unknown.
const NO_YEAR: i32 = 0;

/// FNV-1a: the index's keys as numbers (a phonetic key, or three letters, and a birth year).
fn hash(kind: u8, text: &str, year: i32) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in [kind].iter().chain(text.as_bytes()).chain(&year.to_le_bytes()) {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The keys a token is found by: its sound, its first three letters (a name cut short keeps
/// them) and, for a token of five letters or more, its last three (a typo near the start of both
/// a given name and a surname leaves the name findable by its ends).
fn token_keys(token: &str, year: i32) -> impl Iterator<Item = u64> {
    token_keys_by_kind(token, year).map(|(k, _)| k)
}

/// [`token_keys`] with the kind of each: 1 its sound, 2 its start, 4 its end.
fn token_keys_by_kind(token: &str, year: i32) -> impl Iterator<Item = (u64, u8)> {
    let letters = token.chars().count();
    let sounds: Vec<(u64, u8)> = if letters >= 2 {
        phonetic::keys(token).iter().map(|k| (hash(b'k', k, year), 1)).collect()
    } else {
        Vec::new()
    };
    let prefix: String = token.chars().take(3).collect();
    let start = (letters >= 3).then(|| (hash(b'p', &prefix, year), 2));
    let suffix: String = token.chars().skip(letters.saturating_sub(3)).collect();
    let end = (letters >= 5).then(|| (hash(b's', &suffix, year), 4));
    sounds.into_iter().chain(start).chain(end)
}

/// A document number with OCR's confusions folded (O and 0 alike, …).
fn document_key(number: &str) -> Option<u64> {
    let folded: String = number
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| match c.to_ascii_uppercase() {
            'O' | 'Q' | 'D' => '0',
            'I' | 'L' => '1',
            'S' => '5',
            'B' => '8',
            'Z' => '2',
            'G' => '6',
            other => other,
        })
        .collect();
    (!folded.is_empty()).then(|| hash(b'd', &folded, 0))
}

/// The entries of the alert lists, indexed for screening.
#[derive(Debug, Default)]
pub struct Index {
    entries: Vec<Entry>,
    postings: HashMap<u64, Vec<u32>>,
    /// Every birth-year bucket in use, [`NO_YEAR`] included.
    years: Vec<i32>,
    /// The names the list knows (see [`KNOWN_SHARE`]).
    known: HashSet<String>,
}

impl Index {
    /// Index `entries`.
    pub fn build(entries: Vec<Entry>) -> Index {
        let mut postings: HashMap<u64, Vec<u32>> = HashMap::new();
        let mut all_years = vec![NO_YEAR];
        for (i, e) in entries.iter().enumerate() {
            let id = i as u32;
            let mut years: Vec<i32> = e.birth_dates.iter().map(PartialDate::year).collect();
            years.sort_unstable();
            years.dedup();
            if years.is_empty() {
                years.push(NO_YEAR);
            }
            all_years.extend_from_slice(&years);
            let mut keys: Vec<u64> = Vec::new();
            for year in &years {
                for token in e.names.iter().flat_map(NameTokens::all) {
                    keys.extend(token_keys(token, *year));
                }
            }
            keys.extend(e.documents.iter().filter_map(|d| document_key(d)));
            keys.sort_unstable();
            keys.dedup();
            for k in keys {
                postings.entry(k).or_default().push(id);
            }
        }
        all_years.sort_unstable();
        all_years.dedup();
        let known = Index::known_names(&entries);
        Index { entries, postings, years: all_years, known }
    }

    /// The tokens enough entries hold to be names rather than slips (see [`KNOWN_SHARE`]).
    fn known_names(entries: &[Entry]) -> HashSet<String> {
        let at_least = (entries.len() / KNOWN_SHARE).max(KNOWN_MIN);
        let mut counts: HashMap<&str, usize> = HashMap::new();
        let mut tokens: Vec<&str> = Vec::new();
        for e in entries {
            tokens.clear();
            tokens.extend(e.names.iter().flat_map(NameTokens::all).map(String::as_str));
            tokens.sort_unstable();
            tokens.dedup();
            for t in &tokens {
                *counts.entry(t).or_default() += 1;
            }
        }
        counts.into_iter().filter(|(_, n)| *n >= at_least).map(|(t, _)| t.to_string()).collect()
    }

    /// Whether `token` is a name the list knows.
    pub fn knows(&self, token: &str) -> bool {
        self.known.contains(token)
    }

    /// The entries.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The candidates for `query` scoring at least `min_score`, best first, at most `limit`.
    pub fn screen(&self, query: &Query, min_score: f64, limit: usize) -> Vec<Candidate> {
        let years: Vec<i32> = match &query.birth_date {
            Some(b) => vec![b.year(), NO_YEAR],
            // Without a birth date every year's bucket is searched: slower, still far from all.
            None => Vec::new(),
        };
        // Each entry gains, for each query token that finds it, a point for each kind of key
        // that does (its sound, its start, its end): a token the entry holds as it is finds it
        // three ways, a misspelt one fewer. Counted by sorting: no hashing of thousands of ids.
        let mut found: Vec<(u32, u32)> = Vec::new();
        let mut per_token: Vec<(u32, u8)> = Vec::new();
        for token in query.name.all() {
            per_token.clear();
            let keys: Vec<(u64, u8)> = if years.is_empty() {
                self.years.iter().flat_map(|y| token_keys_by_kind(token, *y)).collect()
            } else {
                years.iter().flat_map(|y| token_keys_by_kind(token, *y)).collect()
            };
            for (k, kind) in keys {
                if let Some(list) = self.postings.get(&k) {
                    per_token.extend(list.iter().map(|id| (*id, kind)));
                }
            }
            per_token.sort_unstable_by_key(|(id, _)| *id);
            let mut i = 0;
            while i < per_token.len() {
                let id = per_token[i].0;
                let mut kinds = 0u8;
                while i < per_token.len() && per_token[i].0 == id {
                    kinds |= per_token[i].1;
                    i += 1;
                }
                found.push((id, kinds.count_ones()));
            }
        }
        found.sort_unstable_by_key(|(id, _)| *id);
        let mut ranked: Vec<(u32, u32)> = Vec::new();
        for (id, points) in found {
            match ranked.last_mut() {
                Some((last, total)) if *last == id => *total += points,
                _ => ranked.push((id, points)),
            }
        }
        if let Some(k) = query.document.as_deref().and_then(document_key)
            && let Some(list) = self.postings.get(&k)
        {
            for id in list {
                // A document number outweighs any name: always scored.
                match ranked.binary_search_by_key(id, |(e, _)| *e) {
                    Ok(at) => ranked[at].1 += 100,
                    Err(at) => ranked.insert(at, (*id, 100)),
                }
            }
        }
        ranked.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        self.break_ties_at_the_cut(query, &mut ranked);
        ranked.truncate(MAX_SCORED);
        // Scores alone first; the explanation only for those that pass.
        let mut candidates: Vec<Candidate> = ranked
            .into_iter()
            .filter(|(id, _)| self.quick_score(query, *id as usize) >= min_score)
            .filter_map(|(id, _)| self.score(query, id as usize))
            .filter(|c| c.score >= min_score)
            .collect();
        candidates.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.entry.cmp(&b.entry)));
        candidates.truncate(limit);
        candidates
    }

    /// Where more entries than are scored tie at the cut (a common surname found by every key,
    /// a typo in the given name finding nothing: OSAUR HERNANDEZ HERNANDEZ), those whose birth
    /// date agrees best with the query's go first, not the first listed.
    fn break_ties_at_the_cut(&self, query: &Query, ranked: &mut [(u32, u32)]) {
        let (Some(birth), Some(&(_, cut))) = (query.birth_date.as_ref(), ranked.get(MAX_SCORED)) else {
            return;
        };
        let start = ranked.partition_point(|(_, p)| *p > cut);
        let end = ranked.partition_point(|(_, p)| *p >= cut);
        let Some(tied) = ranked.get_mut(start..end) else { return };
        let keep = MAX_SCORED.saturating_sub(start);
        if keep == 0 || keep >= tied.len() {
            return;
        }
        let agreement = |id: u32| {
            self.entries
                .get(id as usize)
                .map_or(u8::MAX, |e| BirthEvidence::of(Some(birth), &e.birth_dates).rank())
        };
        let mut keyed: Vec<(u8, u32, u32)> = tied.iter().map(|(id, p)| (agreement(*id), *id, *p)).collect();
        keyed.select_nth_unstable(keep - 1);
        keyed.truncate(keep);
        keyed.sort_unstable();
        for (slot, (_, id, p)) in tied.iter_mut().zip(keyed) {
            *slot = (id, p);
        }
    }

    /// What an entry's dates, nationalities and documents say about the query.
    fn evidence(
        query: &Query,
        e: &Entry,
    ) -> (BirthEvidence, NationalityEvidence, Option<DocumentMatch>, SexEvidence) {
        let birth = BirthEvidence::of(query.birth_date.as_ref(), &e.birth_dates);
        let nationality = NationalityEvidence::of(query.nationality.as_deref(), &e.nationalities);
        let document = query.document.as_deref().and_then(|q| {
            e.documents.iter().map(|d| compare_documents(q, d)).min_by_key(|m| match m {
                DocumentMatch::Exact => 0,
                DocumentMatch::OcrVariant => 1,
                DocumentMatch::Different => 2,
            })
        });
        (birth, nationality, document, SexEvidence::of(query.sex, e.sex))
    }

    /// A name's score moved by the evidence. A document on the list is the strongest evidence
    /// there is (a lost or stolen document may carry no name at all).
    fn combine(
        name: f64,
        (birth, nationality, document, sex): (
            BirthEvidence,
            NationalityEvidence,
            Option<DocumentMatch>,
            SexEvidence,
        ),
    ) -> f64 {
        let mut score = name + birth.weight() + nationality.weight(birth) + sex.weight();
        match document {
            Some(DocumentMatch::Exact) => score = score.max(0.97),
            Some(DocumentMatch::OcrVariant) => score = score.max(0.9),
            _ => {}
        }
        score.clamp(0.0, 1.0)
    }

    /// What a name is worth once it is known how far the birth dates agree: a query that
    /// leaves out two or more of a listed name's tokens, or holds more tokens than the listed
    /// name, met with no more than a birth year, is most often another person of a common name
    /// (MARIA CHAN against MARIA ELENA CHAN PECH, or MARIA ELENA CHAN PECH against a listed
    /// María Elena Chan, born that year), and pays for it.
    fn name_worth(name: f64, query: &NameTokens, listed: &NameTokens, birth: BirthEvidence) -> f64 {
        if birth == BirthEvidence::SameYear && (listed.len() >= query.len() + 2 || query.len() > listed.len())
        {
            name - SPARSE_NAME
        } else {
            name
        }
    }

    /// A name whose tokens met as typos where both are names the list knows (MARVIN for MARLON,
    /// TZIB for TZIR), or as sounds alike that are not one name spelt two ways (MARIANA for
    /// MARINA, see [`phonetic::spelt_alike`]), is most often another person's, unless the whole
    /// birth date agrees: each
    /// such meeting is marked [`How::OtherName`] and costs [`OTHER_NAME`]. Only ever lowers a
    /// score, so the quick score above stays a bound.
    fn other_names(&self, mut name: NameMatch, worth: f64, birth: BirthEvidence) -> (NameMatch, f64) {
        if matches!(birth, BirthEvidence::Exact | BirthEvidence::DayMonthSwapped) {
            return (name, worth);
        }
        let mut others = 0;
        for t in &mut name.matched {
            let slip = match t.how {
                How::Typo => true,
                How::Phonetic => !phonetic::spelt_alike(&t.query, &t.found),
                _ => false,
            };
            if slip && self.knows(&t.query) && self.knows(&t.found) {
                t.how = How::OtherName;
                others += 1;
            }
        }
        let lost = OTHER_NAME * f64::from(others);
        name.score = (name.score - lost).max(0.0);
        (name, (worth - lost).max(0.0))
    }

    /// An entry's score against the query, without the reasons.
    fn quick_score(&self, query: &Query, entry: usize) -> f64 {
        let Some(e) = self.entries.get(entry) else { return 0.0 };
        let evidence = Index::evidence(query, e);
        let name = e
            .names
            .iter()
            .map(|n| Index::name_worth(name_score(&query.name, n), &query.name, n, evidence.0))
            .fold(0.0, f64::max);
        Index::combine(name, evidence)
    }

    /// Score one entry against the query, with the reasons.
    pub fn score(&self, query: &Query, entry: usize) -> Option<Candidate> {
        let e = self.entries.get(entry)?;
        let evidence = Index::evidence(query, e);
        let worth = |n: &NameTokens, m: &NameMatch| Index::name_worth(m.score, &query.name, n, evidence.0);
        let (name_index, name, worth) = e
            .names
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let m = compare_names(&query.name, n);
                let w = worth(n, &m);
                (i, m, w)
            })
            .max_by(|a, b| a.2.total_cmp(&b.2))
            .unwrap_or_else(|| (0, compare_names(&query.name, &NameTokens::default()), 0.0));
        let (name, worth) = self.other_names(name, worth, evidence.0);
        let score = Index::combine(worth, evidence);
        let (birth, nationality, document, sex) = evidence;
        Some(Candidate {
            entry,
            score,
            explanation: Explanation { name_index, name, birth, nationality, document, sex },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(
        reference: &str,
        names: &[(&str, &str)],
        birth: &[&str],
        nationality: &[&str],
        documents: &[&str],
    ) -> Entry {
        Entry {
            reference: reference.into(),
            names: names.iter().map(|(g, s)| NameTokens::new(g, s)).collect(),
            birth_dates: birth.iter().map(|b| PartialDate::parse(b).unwrap()).collect(),
            nationalities: nationality.iter().map(|n| (*n).to_string()).collect(),
            documents: documents.iter().map(|d| (*d).to_string()).collect(),
            sex: None,
        }
    }

    fn index() -> Index {
        Index::build(vec![
            entry(
                "BZ.1",
                &[("José Luis", "Hernández Canché"), ("Pepe", "Canché")],
                &["1971-03-14"],
                &["MEX"],
                &[],
            ),
            entry(
                "UN.7",
                &[("Mohammed", "Al-Rashid"), ("Abu", "Omar")],
                &["1964", "1965"],
                &["SYR"],
                &["N12345678"],
            ),
            entry("LOST.3", &[], &[], &[], &["G7654321"]),
            entry("BZ.2", &[("Ana", "Pech")], &[], &["BLZ"], &[]),
        ])
    }

    fn query(given: &str, surnames: &str, birth: Option<&str>) -> Query {
        Query {
            name: NameTokens::new(given, surnames),
            birth_date: birth.map(|b| PartialDate::parse(b).unwrap()),
            ..Query::default()
        }
    }

    /// [`query`] with the passport's nationality.
    fn query_from(given: &str, surnames: &str, birth: Option<&str>, nationality: &str) -> Query {
        Query { nationality: Some(nationality.into()), ..query(given, surnames, birth) }
    }

    /// [`KNOWN_MIN`] entries bearing `given`: enough for the list to know it as a name.
    fn namesakes(given: &'static str, nationality: &'static str) -> impl Iterator<Item = Entry> {
        (0..KNOWN_MIN)
            .map(move |i| entry(&format!("{given}.{i}"), &[(given, "Young")], &["1980"], &[nationality], &[]))
    }

    fn best(q: &Query) -> Option<(String, f64)> {
        let index = index();
        index.screen(q, 0.8, 5).first().map(|c| (index.entries()[c.entry].reference.clone(), c.score))
    }

    #[test]
    fn a_listed_person_is_found_through_variations_and_aliases() {
        let found = |q: Query| best(&q).map(|(r, _)| r);
        assert_eq!(found(query("JOSE LUIS", "HERNANDEZ CANCHE", Some("1971-03-14"))), Some("BZ.1".into()));
        assert_eq!(
            found(query("Jose", "Ernandes", Some("1971-14-03".replace("14-03", "03-14").as_str()))),
            Some("BZ.1".into())
        );
        assert_eq!(found(query("Pepe", "Canche", Some("1971"))), Some("BZ.1".into()), "by an alias");
        assert_eq!(
            found(query("Muhammad", "Rashid", Some("1965-02-01"))),
            Some("UN.7".into()),
            "a transliteration"
        );
        assert_eq!(
            found(query("Ana", "Pech", Some("1990-01-01"))),
            Some("BZ.2".into()),
            "a year the list lacks"
        );
        assert_eq!(found(query("Ana", "Pech", None)), Some("BZ.2".into()), "no birth date given");
    }

    #[test]
    fn a_conflicting_birth_date_or_another_name_is_no_hit() {
        assert_eq!(best(&query("José Luis", "Hernández Canché", Some("1985-01-01"))), None);
        assert_eq!(best(&query("María", "López Chan", Some("1971-03-14"))), None);
    }

    #[test]
    fn a_listed_document_is_a_hit_whatever_the_name_with_ocr_slips_forgiven() {
        let mut q = query("Juan", "Pérez", Some("1980-01-01"));
        q.document = Some("G7654321".into());
        assert_eq!(best(&q).map(|(r, s)| (r, s >= 0.97)), Some(("LOST.3".into(), true)));
        q.document = Some("67654321".into());
        let hit = index().screen(&q, 0.8, 5);
        assert_eq!(hit[0].explanation.document, Some(DocumentMatch::OcrVariant));
    }

    #[test]
    fn a_garbled_given_name_hits_only_with_the_surname_the_full_birth_date_and_the_nationality() {
        let index = Index::build(vec![entry("BZ.9", &[("Andy", "Alvarez")], &["1970-12-13"], &["BLZ"], &[])]);
        let mut q = query_from("Ahny", "Alvarez", Some("1970-12-13"), "BLZ");
        assert_eq!(index.screen(&q, 0.85, 5).len(), 1, "two slips in a short name, all else agreeing");
        q.birth_date = Some(PartialDate::parse("1970").unwrap());
        assert!(index.screen(&q, 0.85, 5).is_empty(), "the year alone is not enough");
        let other = query_from("Alan", "Alvarez", Some("1970-12-13"), "BLZ");
        assert!(index.screen(&other, 0.85, 5).is_empty(), "another name of the same length is no slip");
    }

    #[test]
    fn a_given_name_worn_past_reading_hits_with_the_surnames_and_the_full_birth_date() {
        let index =
            Index::build(vec![entry("BZ.8", &[("Erick", "Ordóñez Coy")], &["1994-12-14"], &["GTM"], &[])]);
        let q = query_from("EHHCK", "ORDONEZ COY", Some("1994-12-14"), "GTM");
        assert_eq!(index.screen(&q, 0.85, 5).len(), 1);
        // With one surname, the year alone is not enough.
        let index =
            Index::build(vec![entry("BZ.8", &[("Erick", "Ordóñez")], &["1994-12-14"], &["GTM"], &[])]);
        let mut q = query_from("EHHCK", "ORDONEZ", Some("1994-12-14"), "GTM");
        assert_eq!(index.screen(&q, 0.85, 5).len(), 1);
        q.birth_date = Some(PartialDate::parse("1994").unwrap());
        assert!(index.screen(&q, 0.85, 5).is_empty(), "one surname and the year alone is not enough");
    }

    #[test]
    fn half_a_listed_name_and_the_birth_year_alone_is_no_hit() {
        let listed = |birth: &str| {
            Index::build(vec![entry("BZ.6", &[("María Elena", "Chan Pech")], &[birth], &["BLZ"], &[])])
        };
        let q = query_from("Maria", "Chan", Some("1975-03-02"), "BLZ");
        assert!(listed("1975").screen(&q, 0.85, 5).is_empty(), "a common name, the year alone");
        assert_eq!(listed("1975-03-02").screen(&q, 0.85, 5).len(), 1, "the same name with the full date");
        let one_left_out = query_from("Maria Elena", "Chan", Some("1975-03-02"), "BLZ");
        assert_eq!(listed("1975").screen(&one_left_out, 0.85, 5).len(), 1, "one token left out");
    }

    #[test]
    fn a_traveller_of_the_other_sex_needs_more_than_the_name() {
        let mut listed = entry("BZ.5", &[("Rosario", "Cucul Pop")], &["2009"], &[], &[]);
        listed.sex = Some(frontera_domain::Sex::Female);
        let index = Index::build(vec![listed]);
        let mut q = query("Rosario", "Cucul", Some("2009-09-14"));
        q.sex = Some(frontera_domain::Sex::Female);
        assert_eq!(index.screen(&q, 0.85, 5).len(), 1);
        q.sex = Some(frontera_domain::Sex::Male);
        let found = index.screen(&q, 0.5, 5);
        assert_eq!(found[0].explanation.sex, SexEvidence::Different);
        assert!(found[0].score < 0.85, "{}", found[0].score);
        q.sex = Some(frontera_domain::Sex::Unspecified);
        assert_eq!(index.screen(&q, 0.85, 5).len(), 1, "X says nothing either way");
    }

    #[test]
    fn among_more_namesakes_than_are_scored_the_birth_date_picks_who_is() {
        // More entries bearing the two surnames, born that year, than a query scores; the
        // listed man last of all, his given name found by no key.
        let letters = |i: usize| {
            format!("Q{}{}X", char::from(b'A' + (i / 26) as u8), char::from(b'A' + (i % 26) as u8))
        };
        let mut entries: Vec<Entry> = (0..MAX_SCORED + 100)
            .map(|i| {
                entry(
                    &format!("N.{i}"),
                    &[(&letters(i), "Hernández Hernández")],
                    &["1987-03-01"],
                    &["MEX"],
                    &[],
                )
            })
            .collect();
        entries.push(entry("MX.1", &[("Oscar", "Hernández Hernández")], &["1987-10-10"], &["MEX"], &[]));
        let index = Index::build(entries);
        let q = query_from("Osaur", "Hernández Hernández", Some("1987-10-10"), "MEX");
        let found = index.screen(&q, 0.85, 5);
        assert_eq!(found.first().map(|c| index.entries()[c.entry].reference.as_str()), Some("MX.1"));
    }

    #[test]
    fn two_names_the_list_knows_are_not_a_typo_of_each_other_unless_the_whole_date_agrees() {
        let listed = |birth: &str| entry("BZ.1", &[("Marlon", "Bradley")], &[birth], &["BLZ"], &[]);
        // Others on the list bear MARVIN and MARLON: both are names, not slips.
        let others = |given: &'static str| namesakes(given, "BLZ");
        let q = query_from("Marvin", "Bradley", Some("1950-08-05"), "BLZ");
        let alone = Index::build(vec![listed("1950")]);
        let slip = alone.score(&q, 0).unwrap();
        assert_eq!(slip.explanation.name.matched[0].how, How::Typo);
        let known = Index::build(
            [listed("1950")].into_iter().chain(others("Marvin")).chain(others("Marlon")).collect(),
        );
        assert!(known.knows("MARVIN") && known.knows("MARLON") && !known.knows("BRADLEY"));
        let other = known.score(&q, 0).unwrap();
        assert_eq!(other.explanation.name.matched[0].how, How::OtherName);
        assert!((slip.score - other.score - OTHER_NAME).abs() < 1e-9, "{} {}", slip.score, other.score);
        assert!(other.score < 0.85, "another man of that name born that year: {}", other.score);
        // Born that very day, the name is more likely a slip than another man's.
        let known = Index::build(
            [listed("1950-08-05")].into_iter().chain(others("Marvin")).chain(others("Marlon")).collect(),
        );
        let c = known.score(&q, 0).unwrap();
        assert_eq!(c.explanation.name.matched[0].how, How::Typo);
        assert!(c.score >= 0.85, "{}", c.score);
    }

    #[test]
    fn a_list_that_holds_fewer_names_than_the_document_is_met_where_the_date_says_more_than_a_year() {
        let listed = |birth: &str| {
            Index::build(vec![entry("BZ.9", &[("José", "Hernández")], &[birth], &["MEX"], &[])])
        };
        let q = query_from("JOSE", "HERNANDEZ CANCHE", Some("1971-03-14"), "MEX");
        let full = listed("1971-03-14").screen(&q, 0.85, 5);
        assert_eq!(full.len(), 1, "the same day, the same passport");
        assert_eq!(full[0].explanation.name.unmatched_query, vec!["CANCHE".to_string()]);
        let year = listed("1971").screen(&q, 0.5, 5);
        assert!(year[0].score < 0.85, "a name the list lacks and only a year: {}", year[0].score);
    }

    #[test]
    fn two_names_the_list_knows_that_sound_alike_are_two_names_unless_spelt_alike() {
        let others = |given: &'static str| namesakes(given, "MEX");
        let list = |listed: &'static str| {
            Index::build(
                [entry("MX.1", &[(listed, "Canché Hernández")], &["1953"], &["MEX"], &[])]
                    .into_iter()
                    .chain(others("Mariana"))
                    .chain(others("Marina"))
                    .chain(others("Vasquez"))
                    .chain(others("Vazquez"))
                    .collect(),
            )
        };
        let q = query_from("Mariana", "Canché Hernández", Some("1953-12-12"), "MEX");
        let other = list("Marina").score(&q, 0).unwrap();
        assert_eq!(other.explanation.name.matched[0].how, How::OtherName);
        assert!(other.score < 0.85, "MARIANA is not MARINA: {}", other.score);
        // One name spelt two ways stays a meeting by sound, both spellings common or not.
        let index = list("Vasquez");
        let q = query_from("Vazquez", "Canché Hernández", Some("1953-12-12"), "MEX");
        let same = index.score(&q, 0).unwrap();
        assert!(index.knows("VASQUEZ") && index.knows("VAZQUEZ"));
        assert_eq!(same.explanation.name.matched[0].how, How::Phonetic);
        assert!(same.score >= 0.85, "{}", same.score);
    }

    #[test]
    fn another_nationality_outweighs_a_birth_year_but_not_a_full_date() {
        let year_only =
            Index::build(vec![entry("MX.3", &[("Juan", "López García")], &["1944"], &["MEX"], &[])]);
        let mut q = query_from("Juan", "López", Some("1944-08-11"), "MEX");
        assert_eq!(
            year_only.screen(&q, 0.85, 5).len(),
            1,
            "one surname dropped, the year and passport agree"
        );
        q.nationality = Some("BLZ".into());
        let found = year_only.screen(&q, 0.5, 5);
        assert_eq!(found[0].explanation.nationality, NationalityEvidence::Different);
        assert!(found[0].score < 0.85, "a namesake born that year with another passport: {}", found[0].score);
        let full =
            Index::build(vec![entry("MX.3", &[("Juan", "López García")], &["1944-08-11"], &["MEX"], &[])]);
        assert_eq!(full.screen(&q, 0.85, 5).len(), 1, "the whole date agrees: a second passport, perhaps");
        let q = query("Juan", "López García", Some("1944-08-11"));
        let q = Query { nationality: Some("BLZ".into()), ..q };
        assert_eq!(year_only.screen(&q, 0.85, 5).len(), 1, "the whole name and the year agree");
    }

    #[test]
    fn the_explanation_names_the_alias_and_the_evidence() {
        let index = index();
        let q = query_from("Pepe", "Canché", Some("1971-03-14"), "GTM");
        let c = &index.screen(&q, 0.5, 1)[0];
        assert_eq!(c.explanation.name_index, 1);
        assert_eq!(c.explanation.birth, BirthEvidence::Exact);
        assert_eq!(c.explanation.nationality, NationalityEvidence::Different);
        assert_eq!(c.explanation.document, None);
    }
}
