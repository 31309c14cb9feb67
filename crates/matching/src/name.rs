//! Two names compared token by token, in any order: which tokens met, how, and a score.

use crate::normalize::NameTokens;
use crate::phonetic;
use crate::similarity::jaro_winkler_chars;

/// How a token of one name met a token of the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum How {
    /// The same letters.
    Exact,
    /// Different letters, the same sound.
    Phonetic,
    /// One is the other cut short (an MRZ field's width, an abbreviation of three letters or more).
    Truncated,
    /// A typo or two: one edit (two in a long name), or Jaro–Winkler at or above
    /// [`TYPO_SIMILARITY`].
    Typo,
    /// An initial standing for the name.
    Initial,
}

/// The similarity at or above which two tokens are taken for a typo of each other.
pub const TYPO_SIMILARITY: f64 = 0.88;

/// What each kind of meeting is worth (Typo scales with the similarity).
fn worth(how: How, similarity: f64) -> f64 {
    match how {
        How::Exact => 1.0,
        How::Phonetic => 0.93,
        How::Truncated => 0.9,
        How::Typo => 0.95 * similarity,
        How::Initial => 0.6,
    }
}

/// The optimal-string-alignment distance of two tokens (insertions, deletions, substitutions
/// and swaps of neighbours), or `None` once it passes `max`.
fn edit_distance(a: &[char], b: &[char], max: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let (n, m) = (a.len(), b.len());
    let mut rows = vec![vec![0usize; m + 1]; n + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=n {
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (rows[i - 1][j] + 1).min(rows[i][j - 1] + 1).min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = d;
        }
    }
    let d = rows[n][m];
    (d <= max).then_some(d)
}

fn vowel(c: char) -> bool {
    matches!(c, 'A' | 'E' | 'I' | 'O' | 'U')
}

/// How two tokens meet, if they do, and what that is worth.
pub fn compare_tokens(a: &str, b: &str) -> Option<(How, f64)> {
    if a == b {
        return Some((How::Exact, 1.0));
    }
    let (ca, cb): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let (la, lb) = (ca.len(), cb.len());
    if la == 1 || lb == 1 {
        return (ca.first() == cb.first()).then_some((How::Initial, worth(How::Initial, 0.0)));
    }
    let (short, long) = if la <= lb { (a, b) } else { (b, a) };
    let short_len = la.min(lb);
    if short_len >= 3 && long.starts_with(short) {
        let w = if short_len >= 4 { worth(How::Truncated, 0.0) } else { 0.85 };
        return Some((How::Truncated, w));
    }
    // Names that differ only in their final vowel are different names in Spanish (DOMINGA,
    // DOMINGO; MARIA, MARIO), not one name misspelt.
    let endings_agree = !(la == lb && ca[..la - 1] == cb[..lb - 1] && vowel(ca[la - 1]) && vowel(cb[lb - 1]));
    let similarity = jaro_winkler_chars(&ca, &cb);
    // Every kind of meeting below needs the letters to be this close (one edit in four letters
    // leaves them at 0.83): most pairs of a candidate's tokens stop here, cheaply.
    if similarity < 0.75 {
        return None;
    }
    if short_len >= 3 && endings_agree && similarity >= 0.8 && phonetic::sound_alike(a, b) {
        return Some((How::Phonetic, worth(How::Phonetic, similarity)));
    }
    if short_len >= 4 && endings_agree {
        let max = if short_len >= 8 { 2 } else { 1 };
        if let Some(d) = edit_distance(&ca, &cb, max) {
            return Some((How::Typo, if d == 1 { 0.9 } else { 0.85 }));
        }
    }
    (similarity >= TYPO_SIMILARITY && short_len >= 4 && endings_agree)
        .then(|| (How::Typo, worth(How::Typo, similarity)))
}

/// One token of the query and the token of the other name it met.
#[derive(Debug, Clone, PartialEq)]
pub struct TokenMatch {
    /// The query's token.
    pub query: String,
    /// The other name's token.
    pub found: String,
    /// How they met.
    pub how: How,
    /// What the meeting is worth, in [0, 1].
    pub worth: f64,
}

/// Two names compared.
#[derive(Debug, Clone, PartialEq)]
pub struct NameMatch {
    /// The score in [0, 1]: 1 when every token of both met exactly.
    pub score: f64,
    /// The tokens that met, in the query's order.
    pub matched: Vec<TokenMatch>,
    /// The query's tokens that met nothing.
    pub unmatched_query: Vec<String>,
    /// The other name's tokens that met nothing (a second surname or a middle name left out of
    /// the query, say).
    pub unmatched_found: Vec<String>,
}

/// The score of two names alone, as [`compare_names`] gives it, without its explanation.
pub fn name_score(query: &NameTokens, found: &NameTokens) -> f64 {
    let q: Vec<&String> = query.all().collect();
    let f: Vec<&String> = found.all().collect();
    align(&q, &f).0
}

/// The alignment of two names' tokens: the score, and the meetings (worth, query token, other
/// token, how) in the query's order.
fn align(q: &[&String], f: &[&String]) -> (f64, Vec<(f64, usize, usize, How)>) {
    let mut pairs: Vec<(f64, usize, usize, How)> = Vec::new();
    for (i, a) in q.iter().enumerate() {
        for (j, b) in f.iter().enumerate() {
            if let Some((how, w)) = compare_tokens(a, b) {
                pairs.push((w, i, j, how));
            }
        }
    }
    // The best meetings first; among equals, the one that keeps the order of the names.
    pairs.sort_by(|x, y| {
        y.0.total_cmp(&x.0)
            .then((x.1 as isize - x.2 as isize).abs().cmp(&(y.1 as isize - y.2 as isize).abs()))
    });
    let (mut q_used, mut f_used) = (vec![false; q.len()], vec![false; f.len()]);
    let mut kept = Vec::with_capacity(q.len().min(f.len()));
    for (w, i, j, how) in pairs {
        if q_used[i] || f_used[j] {
            continue;
        }
        q_used[i] = true;
        f_used[j] = true;
        kept.push((w, i, j, how));
    }
    kept.sort_by_key(|p| p.1);
    let gained: f64 = kept.iter().map(|p| p.0).sum();
    let unmatched_q = q.len() - kept.len();
    let unmatched_f = f.len() - kept.len();
    let weight = kept.len() as f64 + unmatched_q as f64 + LEFT_OUT * unmatched_f as f64;
    let score = if weight > 0.0 { (gained / weight).clamp(0.0, 1.0) } else { 0.0 };
    (score, kept)
}

/// How much a token of the other name that the query leaves out costs, against 1 for a query
/// token that meets nothing: people drop their second surname or a middle name; they rarely
/// invent one.
const LEFT_OUT: f64 = 0.3;

/// Compare a query name with another, token by token in any order: swapped surnames, given names
/// in another order and surnames written as given names all meet. Each token meets at most one
/// token, the best meetings first.
pub fn compare_names(query: &NameTokens, found: &NameTokens) -> NameMatch {
    let q: Vec<&String> = query.all().collect();
    let f: Vec<&String> = found.all().collect();
    let (score, pairs) = align(&q, &f);
    let (mut q_used, mut f_used) = (vec![false; q.len()], vec![false; f.len()]);
    let mut matched = Vec::with_capacity(pairs.len());
    for (w, i, j, how) in pairs {
        q_used[i] = true;
        f_used[j] = true;
        matched.push(TokenMatch { query: q[i].clone(), found: f[j].clone(), how, worth: w });
    }
    let unmatched_query: Vec<String> =
        q.iter().zip(&q_used).filter(|(_, used)| !**used).map(|(t, _)| (*t).clone()).collect();
    let unmatched_found: Vec<String> =
        f.iter().zip(&f_used).filter(|(_, used)| !**used).map(|(t, _)| (*t).clone()).collect();
    NameMatch { score, matched, unmatched_query, unmatched_found }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score(query: (&str, &str), found: (&str, &str)) -> f64 {
        compare_names(&NameTokens::new(query.0, query.1), &NameTokens::new(found.0, found.1)).score
    }

    const LISTED: (&str, &str) = ("José Luis", "Hernández Canché");

    #[test]
    fn a_name_meets_itself_with_score_one() {
        for (g, s) in [LISTED, ("Ana", "Pech"), ("", "Chan"), ("María de los Ángeles", "de la Cruz y Peña")]
        {
            assert_eq!(score((g, s), (g, s)), 1.0, "{g} {s}");
        }
    }

    #[test]
    fn each_variation_of_this_border_still_meets() {
        let cases: &[(&str, (&str, &str), f64)] = &[
            ("case and accents", ("JOSE LUIS", "HERNANDEZ CANCHE"), 1.0),
            ("surnames swapped", ("José Luis", "Canché Hernández"), 1.0),
            ("given names in another order", ("Luis José", "Hernández Canché"), 1.0),
            ("second surname dropped", ("José Luis", "Hernández"), 0.85),
            ("mother's surname only", ("José Luis", "Canché"), 0.85),
            ("hyphenated surnames", ("José Luis", "Hernández-Canché"), 1.0),
            ("a middle name left out", ("José", "Hernández Canché"), 0.9),
            ("a spelling that sounds the same", ("Jose Luiz", "Ernandez Canche"), 0.93),
            ("a typo", ("José Luis", "Hernandes Canhce"), 0.88),
            ("cut at the MRZ width", ("JOSE L", "HERNANDEZ CANCHE"), 0.85),
            ("a given name cut short", ("JOSE LUIS", "HERNANDEZ CANC"), 0.93),
        ];
        for (what, query, at_least) in cases {
            let s = score(*query, LISTED);
            assert!(s >= *at_least, "{what}: {s:.3} < {at_least}");
        }
    }

    #[test]
    fn different_people_score_low() {
        for other in
            [("Ana María", "Pech Canul"), ("Luis", "Pérez"), ("José", "Chan"), ("Mario", "Hernández López")]
        {
            let s = score(other, LISTED);
            assert!(s < 0.7, "{other:?}: {s:.3}");
        }
    }

    /// Names drawn from letters, accents, particles and punctuation by a fixed-seed generator.
    fn random_names(n: usize) -> Vec<String> {
        const PIECES: &[&str] = &[
            "a", "e", "ñ", "ü", "é", "ll", "ch", "qu", "x", "z", "h", "b", "v", "rr", "ß", "ø", "-", "'",
            " ", " de ", " la ", "mc", "o", "y", "k", "w", "th", "ph", "gu", "ç",
        ];
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        (0..n)
            .map(|_| {
                let mut name = String::new();
                for _ in 0..(4 + state % 16) {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    name.push_str(PIECES[(state % PIECES.len() as u64) as usize]);
                }
                name
            })
            .collect()
    }

    #[test]
    fn any_name_normalises_idempotently_and_meets_itself_with_score_one() {
        for name in random_names(3_000) {
            let once = crate::normalize::tokens(&name).join(" ");
            assert_eq!(crate::normalize::tokens(&once).join(" "), once, "{name:?}");
            let tokens = NameTokens::whole(&name);
            if !tokens.is_empty() {
                assert_eq!(compare_names(&tokens, &tokens).score, 1.0, "{name:?}");
            }
        }
    }

    #[test]
    fn the_explanation_says_how_each_token_met() {
        let m =
            compare_names(&NameTokens::new("Jose Luiz", "Ernandes"), &NameTokens::new(LISTED.0, LISTED.1));
        let hows: Vec<(&str, &str, How)> =
            m.matched.iter().map(|t| (t.query.as_str(), t.found.as_str(), t.how)).collect();
        assert_eq!(
            hows,
            [
                ("JOSE", "JOSE", How::Exact),
                ("LUIZ", "LUIS", How::Phonetic),
                ("ERNANDES", "HERNANDEZ", How::Phonetic)
            ]
        );
        assert_eq!(m.unmatched_found, ["CANCHE"]);
        assert!(m.unmatched_query.is_empty());
    }
}
