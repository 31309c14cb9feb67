//! String similarity for typos, and document numbers compared through OCR's confusions.

/// Jaro–Winkler similarity in [0, 1]: 1 for equal strings, high for a typo or two, with a bonus
/// for a common beginning (up to 4 characters).
pub fn jaro_winkler(a: &str, b: &str) -> f64 {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    jaro_winkler_chars(&a, &b)
}

/// [`jaro_winkler`] of two tokens already split into characters.
pub fn jaro_winkler_chars(a: &[char], b: &[char]) -> f64 {
    jaro_winkler_slices(a, b)
}

/// The longest token compared without allocating (longer ones are compared all the same).
const SHORT: usize = 64;

/// [`jaro_winkler`] of two sequences of letters (bytes of ASCII tokens, or chars). Tokens of up
/// to [`SHORT`] letters are compared on the stack: screening compares tens of thousands of
/// token pairs a query.
pub fn jaro_winkler_slices<T: Copy + PartialEq>(a: &[T], b: &[T]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let (mut taken_stack, mut matched_stack) = ([false; SHORT], [false; SHORT]);
    let (mut taken_heap, mut matched_heap);
    let (taken, matched): (&mut [bool], &mut [bool]) = if a.len() <= SHORT && b.len() <= SHORT {
        (&mut taken_stack[..b.len()], &mut matched_stack[..a.len()])
    } else {
        taken_heap = vec![false; b.len()];
        matched_heap = vec![false; a.len()];
        (&mut taken_heap[..], &mut matched_heap[..])
    };
    let window = (a.len().max(b.len()) / 2).saturating_sub(1);
    let mut m = 0usize;
    for (i, ca) in a.iter().enumerate() {
        let (lo, hi) = (i.saturating_sub(window), (i + window + 1).min(b.len()));
        for j in lo..hi {
            if !taken[j] && b[j] == *ca {
                taken[j] = true;
                matched[i] = true;
                m += 1;
                break;
            }
        }
    }
    if m == 0 {
        return 0.0;
    }
    // The matched letters of each, in order: half of those out of step are transpositions.
    let in_a = a.iter().zip(matched.iter()).filter(|(_, t)| **t).map(|(c, _)| *c);
    let in_b = b.iter().zip(taken.iter()).filter(|(_, t)| **t).map(|(c, _)| *c);
    let transpositions = in_a.zip(in_b).filter(|(x, y)| x != y).count() / 2;
    let m = m as f64;
    let jaro = (m / a.len() as f64 + m / b.len() as f64 + (m - transpositions as f64) / m) / 3.0;
    let prefix = a.iter().zip(b).take(4).take_while(|(x, y)| x == y).count() as f64;
    jaro + prefix * 0.1 * (1.0 - jaro)
}

/// Characters OCR reads one for another in document numbers, by class.
fn ocr_class(c: char) -> char {
    match c {
        'O' | '0' | 'Q' | 'D' => '0',
        'I' | '1' | 'L' => '1',
        'S' | '5' => '5',
        'B' | '8' => '8',
        'Z' | '2' => '2',
        'G' | '6' => '6',
        other => other,
    }
}

/// How two document numbers compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentMatch {
    /// The same characters.
    Exact,
    /// The same but for characters OCR confuses (O/0, I/1, S/5, B/8, Z/2, G/6).
    OcrVariant,
    /// Different.
    Different,
}

/// Compare two document numbers (as written; spaces, hyphens and `<` fillers ignored, any case).
pub fn compare_documents(a: &str, b: &str) -> DocumentMatch {
    let clean = |s: &str| -> Vec<char> {
        s.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).collect()
    };
    let (a, b) = (clean(a), clean(b));
    if a.is_empty() || b.is_empty() {
        return DocumentMatch::Different;
    }
    if a == b {
        return DocumentMatch::Exact;
    }
    if a.len() == b.len() && a.iter().zip(&b).all(|(x, y)| ocr_class(*x) == ocr_class(*y)) {
        return DocumentMatch::OcrVariant;
    }
    DocumentMatch::Different
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jaro_winkler_matches_its_published_values() {
        let close = |a: &str, b: &str, want: f64| {
            let got = jaro_winkler(a, b);
            assert!((got - want).abs() < 0.001, "{a}/{b}: {got}, want {want}");
        };
        close("MARTHA", "MARHTA", 0.961);
        close("DWAYNE", "DUANE", 0.840);
        close("DIXON", "DICKSONX", 0.813);
        close("SAME", "SAME", 1.0);
        close("ABC", "XYZ", 0.0);
        close("", "", 1.0);
        close("A", "", 0.0);
    }

    #[test]
    fn document_numbers_meet_through_ocr_confusions_only() {
        assert_eq!(compare_documents("G1234567", "g-1234567"), DocumentMatch::Exact);
        assert_eq!(compare_documents("G1234567", "61234S67"), DocumentMatch::OcrVariant);
        assert_eq!(compare_documents("L898902C3", "L8989O2C3"), DocumentMatch::OcrVariant);
        assert_eq!(compare_documents("L898902C3", "L898902C4"), DocumentMatch::Different);
        assert_eq!(compare_documents("L898902C3", "L898902C"), DocumentMatch::Different);
        assert_eq!(compare_documents("", ""), DocumentMatch::Different);
    }
}
