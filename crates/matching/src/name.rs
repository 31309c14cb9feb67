//! Two names compared token by token, in any order: which tokens met, how, and a score.

use crate::normalize::NameTokens;
use crate::phonetic;
use crate::similarity::jaro_winkler_slices;

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
    /// Close letters or a like sound, but two names each common on the list (MARVIN and MARLON,
    /// MARIANA and MARINA): another name more likely than a slip. Only the screening index, which
    /// knows the list, says so.
    OtherName,
}

/// What a short name garbled by two slips is worth.
const GARBLED: f64 = 0.55;

/// What a slip in a name of three letters is worth.
const THREE_LETTERS: f64 = 0.85;

/// What two slips in a name of six or seven letters are worth.
const TWO_SLIPS: f64 = 0.65;

/// The similarity at or above which two tokens are taken for a typo of each other.
pub const TYPO_SIMILARITY: f64 = 0.88;

/// What each kind of meeting is worth (Typo scales with the similarity).
fn worth(how: How, similarity: f64) -> f64 {
    match how {
        How::Exact => 1.0,
        How::Phonetic => 0.93,
        How::Truncated => 0.9,
        How::Typo | How::OtherName => 0.95 * similarity,
        How::Initial => 0.6,
    }
}

/// The optimal-string-alignment distance of two tokens (insertions, deletions, substitutions
/// and swaps of neighbours), or `None` once it passes `max`. Three rows, kept on the stack for
/// tokens of up to 63 letters.
fn edit_distance<T: Copy + PartialEq>(a: &[T], b: &[T], max: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let (n, m) = (a.len(), b.len());
    const ROW: usize = 64;
    let (mut s0, mut s1, mut s2) = ([0usize; ROW], [0usize; ROW], [0usize; ROW]);
    let (mut h0, mut h1, mut h2);
    let (mut before, mut prev, mut cur): (&mut [usize], &mut [usize], &mut [usize]) = if m < ROW {
        (&mut s0[..=m], &mut s1[..=m], &mut s2[..=m])
    } else {
        h0 = vec![0usize; m + 1];
        h1 = vec![0usize; m + 1];
        h2 = vec![0usize; m + 1];
        (&mut h0[..], &mut h1[..], &mut h2[..])
    };
    for (j, cell) in prev.iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=n {
        cur[0] = i;
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(before[j - 2] + 1);
            }
            cur[j] = d;
        }
        // The rows move down one: the oldest is written over next.
        let oldest = before;
        before = prev;
        prev = cur;
        cur = oldest;
    }
    let d = prev[m];
    (d <= max).then_some(d)
}

fn vowel(c: char) -> bool {
    matches!(c, 'A' | 'E' | 'I' | 'O' | 'U')
}

/// How two tokens meet, if they do, and what that is worth.
pub fn compare_tokens(a: &str, b: &str) -> Option<(How, f64)> {
    compare_tokens_at(a, b, true)
}

/// [`compare_tokens`], where `may_be_cut` tells whether either token ends its part of the name
/// (the last given name, the last surname): only there does a field's width cut a name short,
/// so elsewhere one token beginning another (MARTIN, MARTINEZ) is no meeting.
pub fn compare_tokens_at(a: &str, b: &str, may_be_cut: bool) -> Option<(How, f64)> {
    if a == b {
        return Some((How::Exact, 1.0));
    }
    // Folded tokens are nearly always ASCII: their bytes are their letters, with no allocation.
    if a.is_ascii() && b.is_ascii() {
        compare_letters(a, b, a.as_bytes(), b.as_bytes(), may_be_cut)
    } else {
        let (ca, cb): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
        compare_letters(a, b, &ca, &cb, may_be_cut)
    }
}

/// [`compare_tokens_at`] on the tokens' letters.
fn compare_letters<T: Copy + PartialEq + Into<char>>(
    a: &str,
    b: &str,
    ca: &[T],
    cb: &[T],
    may_be_cut: bool,
) -> Option<(How, f64)> {
    let (la, lb) = (ca.len(), cb.len());
    if la == 1 || lb == 1 {
        return (ca.first() == cb.first()).then_some((How::Initial, worth(How::Initial, 0.0)));
    }
    // Two letters left by a field's width (FR for FRANCISCO).
    if may_be_cut && la.min(lb) == 2 && ca[..2] == cb[..2] {
        return Some((How::Truncated, 0.7));
    }
    let (short, long) = if la <= lb { (a, b) } else { (b, a) };
    let short_len = la.min(lb);
    if short_len >= 3 && long.starts_with(short) {
        if may_be_cut {
            let w = if short_len >= 4 { worth(How::Truncated, 0.0) } else { 0.85 };
            return Some((How::Truncated, w));
        }
        // Letters added at the end, where no cut can be: another name (MARTIN, MARTINEZ), and a
        // vowel added is the name of the other sex (MANUEL, MANUELA; JUAN, JUANA). Another
        // letter alone is a slip.
        let added_vowel =
            la.abs_diff(lb) == 1 && vowel((if la > lb { ca[la - 1] } else { cb[lb - 1] }).into());
        if la.abs_diff(lb) >= 2 || added_vowel {
            return None;
        }
    }
    // Names that differ only in their final vowel, A against O or E, are the names of the two
    // sexes in Spanish (DOMINGA, DOMINGO; VICENTA, VICENTE), not one name misspelt; another
    // final vowel (MARII, JORGI) is a slip, but in a name of three letters any vowel is the
    // name's own (CHE, CHI).
    let endings_agree = !(la == lb
        && ca[..la - 1] == cb[..lb - 1]
        && vowel(ca[la - 1].into())
        && vowel(cb[lb - 1].into())
        && (la <= 3
            || matches!((ca[la - 1].into(), cb[lb - 1].into()), ('A', 'O' | 'E') | ('O' | 'E', 'A'))));
    // A silent H dropped before a name of any length (HAU, AU), and two-letter names that sound
    // alike (UZ, US): too short for the letters' similarity below to say anything.
    let without_h = |x: &[T], y: &[T]| x.len() == y.len() + 1 && x[0].into() == 'H' && x[1..] == *y;
    if (short_len >= 2 && (without_h(ca, cb) || without_h(cb, ca)))
        || (la == 2 && lb == 2 && ca[0] == cb[0] && phonetic::sound_alike(a, b))
    {
        return Some((How::Phonetic, worth(How::Phonetic, 0.0)));
    }
    // Three letters with one slip inside, the first and the last kept (AUA, AMA for ANA), or the
    // last two swapped (AAN): the edit counts below start at four letters.
    if la == 3 && lb == 3 && ca[0] == cb[0] && (ca[2] == cb[2] || (ca[1] == cb[2] && ca[2] == cb[1])) {
        return Some((How::Typo, THREE_LETTERS));
    }
    let similarity = jaro_winkler_slices(ca, cb);
    // Every kind of meeting below needs the letters to be this close (one edit in four letters
    // leaves them at 0.83): most pairs of a candidate's tokens stop here, cheaply.
    if similarity < 0.75 {
        return None;
    }
    // Sounding alike, as far as a key drops vowels, is for names of about one length: JOHN is
    // not JOHANNA.
    if short_len >= 3
        && endings_agree
        && similarity >= 0.8
        && la.abs_diff(lb) <= 2
        && phonetic::sound_alike(a, b)
    {
        return Some((How::Phonetic, worth(How::Phonetic, similarity)));
    }
    if short_len >= 4 && endings_agree {
        // Two slips in a name of six letters or more that keeps its first: weak, but a hurried
        // hand or a worn document makes them (MARISOL, MAXISLO).
        let max = match short_len {
            8.. => 2,
            6.. if ca.first() == cb.first() => 2,
            _ => 1,
        };
        if let Some(d) = edit_distance(ca, cb, max) {
            let w = match (d, short_len) {
                (1, _) => 0.9,
                (_, 8..) => 0.85,
                _ => TWO_SLIPS,
            };
            return Some((How::Typo, w));
        }
    }
    // Letters this close that no edit count above explains: a typo only when the first letter
    // stays and two edits at most tell them apart (not CASTRO and CASTILLO, SHARON and ARON).
    if similarity >= TYPO_SIMILARITY
        && short_len >= 4
        && endings_agree
        && ca.first() == cb.first()
        && edit_distance(ca, cb, 2).is_some()
    {
        return Some((How::Typo, worth(How::Typo, similarity)));
    }
    // A name garbled by two slips (a worn document, a hurried hand: AHNY for ANDY, EHHCK for
    // ERICK), same first letter and length, letters as close as any meeting above needs: worth
    // so little that only the other names and a full birth date together make a hit of it.
    (short_len >= 4 && endings_agree && ca.first() == cb.first() && la.abs_diff(lb) <= 1)
        .then_some((How::Typo, GARBLED))
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
    let score = |query: &NameTokens| {
        let q: Vec<&String> = query.all().collect();
        let f: Vec<&String> = found.all().collect();
        align(&q, &f, ends(query), ends(found)).0
    };
    let as_written = score(query);
    match respaced(query, found) {
        Some(other) => as_written.max(score(&other)),
        None => as_written,
    }
}

/// The query with a part of its name (the given names, the surnames) split where the other
/// name splits it, when that part holds the same letters give or take one, split elsewhere: a
/// space moved or lost (ANAL UCIA, JUANJOSE for JUAN JOSE), or a letter typed for it
/// (MIGUELSANGEL), or a particle glued to a name by a moved space (JOSE DEJ ESUS, D ELEON).
/// `None` when no part differs that way. The letters stay the query's: a slip
/// among them still costs what it costs.
fn respaced(query: &NameTokens, found: &NameTokens) -> Option<NameTokens> {
    fn part(q: &[String], f: &[String]) -> Option<Vec<String>> {
        if q.len().max(f.len()) < 2 {
            return None;
        }
        // Cheap refusals first, without allocating: most candidates stop here. Folded tokens
        // are nearly always ASCII, so bytes stand for letters in these checks (the split below
        // counts letters).
        let bytes = |t: &[String]| t.iter().map(String::len).sum::<usize>();
        let first = |t: &[String]| t.first().and_then(|t| t.bytes().next());
        let last = |t: &[String]| t.last().and_then(|t| t.bytes().last());
        if last(q) != last(f) || q.iter().map(String::len).eq(f.iter().map(String::len)) {
            return None;
        }
        let (q_bytes, f_bytes) = (bytes(q), bytes(f));
        let plain = q_bytes.abs_diff(f_bytes) <= 2 && first(q) == first(f);
        // A particle glued to a name: more letters, and the first the other's or a particle's.
        let glued = q_bytes > f_bytes
            && q_bytes <= f_bytes + 6
            && (first(q) == first(f) || matches!(first(q), Some(b'D' | b'L' | b'V')));
        if !plain && !glued {
            return None;
        }
        let widths: Vec<usize> = f.iter().map(|t| t.chars().count()).collect();
        let total: usize = widths.iter().sum();
        let letters: Vec<char> = match plain.then(|| q.iter().flat_map(|t| t.chars()).collect::<Vec<char>>())
        {
            Some(letters) if letters.len().abs_diff(total) <= 1 && letters.len() >= 5 => letters,
            _ => without_particle(q, f)?,
        };
        // A letter more or fewer stands for a space lost or typed over (MIGUELSANGEL): where
        // both parts hold as many tokens, no space went, and a letter more is a slip in a token
        // (KUK PEREZ is not KU PEREZ respaced).
        if letters.len().abs_diff(total) > 1 || (letters.len() != total && q.len() == f.len()) {
            return None;
        }
        // The other name's boundaries; a letter more or fewer falls to the last token.
        let mut out = Vec::with_capacity(widths.len());
        let mut at = 0;
        for (i, w) in widths.iter().enumerate() {
            let end = if i + 1 == widths.len() { letters.len() } else { (at + w).min(letters.len()) };
            out.push(letters[at..end].iter().collect::<String>());
            at = end;
        }
        (out.iter().all(|t| !t.is_empty()) && out != q).then_some(out)
    }
    // Only where both names tell given names from surnames.
    if query.given.is_empty() || found.given.is_empty() {
        return None;
    }
    let given = part(&query.given, &found.given);
    let surnames = part(&query.surnames, &found.surnames);
    if given.is_none() && surnames.is_none() {
        return None;
    }
    Some(NameTokens {
        given: given.unwrap_or_else(|| query.given.clone()),
        surnames: surnames.unwrap_or_else(|| query.surnames.clone()),
    })
}

/// The letters of a part of the query with a particle's letters taken out where a moved space
/// glued them to a name (JOSE DEJ ESUS, D ELEON, MARIA D ELOURDES): particles are dropped from
/// both names, but glued to a letter they are no longer a word of their own. `None` unless one
/// particle taken out leaves the other part's letters, give or take one, with its first letter.
fn without_particle(q: &[String], f: &[String]) -> Option<Vec<char>> {
    /// Particles as they run together with one another (DE LA, DE LOS).
    const GLUED: &[&str] = &[
        "DELOS", "DELAS", "DELA", "DEL", "DE", "LOS", "LAS", "LA", "VANDER", "VAN", "VON", "DA", "DOS", "DI",
        "DU", "LE",
    ];
    let letters: String = q.concat();
    let target: usize = f.iter().map(String::len).sum();
    let first = f.first().and_then(|t| t.bytes().next())?;
    // Where a query token begins, or one letter into it (a space moved by one).
    let mut at = 0;
    let mut starts = Vec::with_capacity(2 * q.len());
    for t in q {
        starts.push(at);
        starts.push(at + 1);
        at += t.len();
    }
    // Of the ways to take one out, the one that leaves the other's length (DE, not DEL, out of
    // D ELOURDES).
    starts
        .into_iter()
        .flat_map(|p| GLUED.iter().map(move |g| (p, g)))
        .filter_map(|(p, g)| {
            let rest = letters.get(p..)?;
            if !rest.starts_with(g) {
                return None;
            }
            let kept = format!("{}{}", letters.get(..p)?, rest.get(g.len()..)?);
            (kept.len().abs_diff(target) <= 1 && kept.bytes().next() == Some(first) && kept.len() >= 4)
                .then_some(kept)
        })
        .min_by_key(|kept| kept.len().abs_diff(target))
        .map(|kept| kept.chars().collect())
}

/// Where a field's width may have cut a name, and how its tokens divide.
#[derive(Debug, Clone, Copy)]
struct Shape {
    /// The number of given names' tokens (0 when the source does not tell them apart).
    given: usize,
    /// The position of the token a cut would shorten: a machine-readable zone writes surnames,
    /// then given names, so its width cuts the last given name, or the last surname when no
    /// given name is left.
    cut: Option<usize>,
}

/// The shortest name, in a zone's letters and fillers (`SURNAME<SURNAME<<GIVEN<GIVEN`), that a
/// zone's width may have cut: TD1 holds 30 (particles the tokens leave out make up the slack).
const CUT_FROM: usize = 25;

fn ends(name: &NameTokens) -> Shape {
    let written: usize = name.all().map(|t| t.chars().count() + 1).sum::<usize>() + 1;
    let cut = if written >= CUT_FROM {
        name.len().checked_sub(1).map(|last| name.given.len().checked_sub(1).unwrap_or(last))
    } else {
        None
    };
    Shape { given: name.given.len(), cut }
}

impl Shape {
    /// Whether token `i` of a name of `len` tokens is a middle name or a surname after the
    /// first: not where a person's name begins. Unknown where the parts are not told apart.
    fn is_tail(self, i: usize, len: usize) -> bool {
        self.given > 0 && i < len && i != 0 && i != self.given
    }

    /// Whether token `i` is a given name (`Some(true)`), a surname, or unknown.
    fn part(self, i: usize) -> Option<bool> {
        (self.given > 0).then_some(i < self.given)
    }
}

/// The alignment of two names' tokens: the score, and the meetings (worth, query token, other
/// token, how) in the query's order.
fn align(
    q: &[&String],
    f: &[&String],
    q_shape: Shape,
    f_shape: Shape,
) -> (f64, Vec<(f64, usize, usize, How)>) {
    let mut pairs: Vec<(f64, usize, usize, How)> = Vec::new();
    for (i, a) in q.iter().enumerate() {
        for (j, b) in f.iter().enumerate() {
            // A cut token meets the token it was cut from: a given name, not a surname.
            let same_part = match (q_shape.part(i), f_shape.part(j)) {
                (Some(x), Some(y)) => x == y,
                _ => true,
            };
            let may_be_cut = same_part && (q_shape.cut == Some(i) || f_shape.cut == Some(j));
            // A given name meets a surname (a name written in the wrong fields) only as it is
            // or as it sounds: a slip as well is another name (RAMONA, RAMOS).
            if let Some((how, w)) = compare_tokens_at(a, b, may_be_cut)
                && (same_part || matches!(how, How::Exact | How::Phonetic))
            {
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
    let unmatched_f = f.len() - kept.len();
    // The query's tokens that met nothing: each costs 1, but where every token of the other
    // name met, a middle name or a second surname of the query's is one the list left out.
    let extra: f64 = (0..q.len())
        .filter(|i| !q_used[*i])
        .map(|i| if unmatched_f == 0 && q_shape.is_tail(i, q.len()) { QUERY_EXTRA } else { 1.0 })
        .sum();
    let weight = kept.len() as f64
        + extra
        + LEFT_OUT * unmatched_f as f64
        + if first_given_left_out(&f_used, f_shape) { LEFT_OUT_FIRST - LEFT_OUT } else { 0.0 };
    let score = if weight > 0.0 { (gained / weight).clamp(0.0, 1.0) } else { 0.0 };
    (score, kept)
}

/// How much a token of the other name that the query leaves out costs, against 1 for a query
/// token that meets nothing: people drop their second surname or a middle name; they rarely
/// invent one.
const LEFT_OUT: f64 = 0.2;

/// What the other name's first given name costs when the query leaves it out but meets a later
/// one (PAUL JENSEN against ADAM PAUL JENSEN): a document carries every given name, and the one
/// it puts first is the one a person is least often without, so this marks another person more
/// often than a name left out. A middle name, or the second surname, left out costs
/// [`LEFT_OUT`].
const LEFT_OUT_FIRST: f64 = 0.5;

/// What a middle name or a second surname of the query's costs when the other name, every
/// token of which met, has none there (JOSE HERNANDEZ CANCHE against a list's José Hernández):
/// lists often hold fewer names than a document, but a name the query adds is still a name the
/// listed person is not known to bear, so it costs more than a listed name the query leaves
/// out, and only a birth date agreeing in more than its year makes a hit of two tokens and one
/// added.
const QUERY_EXTRA: f64 = 0.55;

/// Whether the other name's first given name met nothing while a later given name met.
fn first_given_left_out(f_used: &[bool], f_shape: Shape) -> bool {
    f_shape.given >= 2
        && f_used.first() == Some(&false)
        && f_used.get(1..f_shape.given).is_some_and(|later| later.contains(&true))
}

/// Compare a query name with another, token by token in any order: swapped surnames, given names
/// in another order and surnames written as given names all meet. Each token meets at most one
/// token, the best meetings first.
pub fn compare_names(query: &NameTokens, found: &NameTokens) -> NameMatch {
    let as_written = compare_split(query, found);
    match respaced(query, found) {
        Some(other) => {
            let respaced = compare_split(&other, found);
            if respaced.score > as_written.score { respaced } else { as_written }
        }
        None => as_written,
    }
}

/// [`compare_names`] of the query's tokens as they are split.
fn compare_split(query: &NameTokens, found: &NameTokens) -> NameMatch {
    let q: Vec<&String> = query.all().collect();
    let f: Vec<&String> = found.all().collect();
    let (score, pairs) = align(&q, &f, ends(query), ends(found));
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
            ("cut to two letters", ("JOSE LU", "HERNANDEZ CANCHE"), 0.9),
            ("a given name cut short", ("JOSE LUI", "HERNANDEZ CANCHE"), 0.93),
            ("given names run together", ("JOSELUIS", "HERNANDEZ CANCHE"), 1.0),
            ("a space moved", ("JOSEL UIS", "HERNANDEZ CANCHE"), 1.0),
            ("a letter typed for the space", ("JOSEXLUIS", "HERNANDEZ CANCHE"), 0.88),
            ("surnames split elsewhere", ("JOSE LUIS", "HERNAND EZCANCHE"), 1.0),
        ];
        for (what, query, at_least) in cases {
            let s = score(*query, LISTED);
            assert!(s >= *at_least, "{what}: {s:.3} < {at_least}");
        }
        // A space moved next to a particle glues it to a name.
        let glued = [
            (
                "DE glued in a given name",
                ("JOSE DEJ ESUS", "GARCIA"),
                ("José de Jesús", "García Zavala"),
                0.85,
            ),
            ("DE glued in a surname", ("AURELIO", "D ELEON"), ("Aurelio", "De León"), 0.95),
            (
                "DE glued, a slip too",
                ("MARIA D ELOZRDES", "CASTELLANOS"),
                ("María de Lourdes", "Castellanos"),
                0.85,
            ),
            ("DE LA glued", ("CARLOS", "GONZALEZ DELAC RUZ"), ("Carlos", "González De la Cruz"), 0.95),
        ];
        for (what, query, listed, at_least) in glued {
            let s = score(query, listed);
            assert!(s >= at_least, "{what}: {s:.3} < {at_least}");
        }
        assert!(score(("DELIA", "CRUZ"), ("Lia", "Cruz")) < 0.85, "DELIA is a name, not DE + LIA");
        // Slips in short names, and a final vowel that no name of the other sex ends in.
        let short = [
            ("a slip in three letters", ("AUA MARIA", "REYES"), ("Ana María", "Reyes")),
            ("three letters, two swapped", ("AAN MARIA", "REYES"), ("Ana María", "Reyes")),
            ("a silent H dropped", ("RODRIGO", "AU MARTINEZ"), ("Rodrigo", "Hau Martínez")),
            ("two letters that sound alike", ("SELVIN", "MORALES UZ"), ("Selvin", "Morales Us")),
            ("another final vowel", ("MARII GUADALUPE", "AYALA"), ("María Guadalupe", "Ayala")),
        ];
        for (what, query, listed) in short {
            let s = score(query, listed);
            assert!(s >= 0.9, "{what}: {s:.3}");
        }
        // Surnames long enough to fill the zone leave no room for the given names.
        let s = score(
            ("", "HERNANDEZ CANCHE VILLANUEVA MONT"),
            ("José Luis", "Hernández Canché Villanueva Montenegro"),
        );
        assert!(s >= 0.75, "the surnames cut, no given name left: {s:.3}");
    }

    #[test]
    fn different_people_score_low() {
        for other in
            [("Ana María", "Pech Canul"), ("Luis", "Pérez"), ("José", "Chan"), ("Mario", "Hernández López")]
        {
            let s = score(other, LISTED);
            assert!(s < 0.7, "{other:?}: {s:.3}");
        }
        // One token beginning another is a name cut short only at the end of a part.
        let s = score(("Martín", "Chan"), ("Ephrasia", "Martínez Chan"));
        assert!(s < 0.7, "MARTIN is not MARTINEZ cut short: {s:.3}");
        // Letters that look close but take three edits, or another first letter, or another
        // length with the same consonants.
        for (other, listed) in [
            (("Andy", "Castro"), ("Andy", "Castillo")),
            (("Sharon", "Plett"), ("Aron", "Plett")),
            (("Johanna", "Jones"), ("John", "Jones")),
        ] {
            let s = score(other, listed);
            assert!(s < 0.7, "{other:?} is not {listed:?}: {s:.3}");
        }
        // A letter more where no space went is a slip in a token, not the surnames respaced;
        // a given name meets a surname only as written; three letters keep their vowel.
        for (other, listed) in [
            (("Andrea", "Kuk Pérez"), ("Andrea", "Ku Pérez")),
            (("Juan Carlos", "Chuc Pérez"), ("Juan Carlos", "Che Pérez")),
            (("Ramona", "Cruz"), ("Jerónimo", "Cruz Ramos")),
            (("Luis", "Che"), ("Luis", "Chi")),
        ] {
            let s = score(other, listed);
            assert!(s < 0.85, "{other:?} is not {listed:?}: {s:.3}");
        }
        // A second surname the list lacks costs more than one the query lacks; a second
        // surname other than the listed one is no surname the list lacks.
        let list_lacks = score(("JOSE", "HERNANDEZ CANCHE"), ("José", "Hernández"));
        let query_lacks = score(("JOSE", "HERNANDEZ"), ("José", "Hernández Canché"));
        assert!((0.75..query_lacks).contains(&list_lacks), "{list_lacks:.3} {query_lacks:.3}");
        let s = score(("JOSE LUIS", "HERNANDEZ LOPEZ"), ("José Luis", "Hernández Canché"));
        assert!(s < 0.75, "LOPEZ is not a surname the list left out: {s:.3}");
        // A final vowel changed, A for O or E, is the name of the other sex.
        for (other, listed) in
            [(("Mario", "Yaxcal"), ("María", "Yaxcal")), (("Vicente", "Pech"), ("Vicenta", "Pech"))]
        {
            let s = score(other, listed);
            assert!(s < 0.7, "{other:?} is not {listed:?}: {s:.3}");
        }
        // The listed name's first given name left out, a later one kept: another person more
        // often than the same one without a middle name.
        let first_out = score(("PAUL", "JENSEN"), ("Adam Paul", "Jensen"));
        let middle_out = score(("ADAM", "JENSEN"), ("Adam Paul", "Jensen"));
        assert!(first_out < 0.85 && middle_out >= 0.9, "{first_out:.3} {middle_out:.3}");
        // A vowel added at the end is the name of the other sex.
        let s = score(("Manuel", "Yaxcal"), ("Manuela", "Yaxcal"));
        assert!(s < 0.7, "MANUEL is not MANUELA: {s:.3}");
        // Nor where the name is too short for any zone to have cut it.
        let s = score(("Rosa", "Magaña"), ("Rosalía", "Magaña"));
        assert!(s < 0.7, "ROSA is not ROSALIA cut short: {s:.3}");
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
