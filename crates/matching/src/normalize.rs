//! Names reduced to what a comparison weighs: folded tokens without particles.

use frontera_domain::{PersonName, fold_name};

/// Particles that join a surname or a given name (`de la Cruz`, `van der Berg`, `bin Laden`):
/// written or dropped at will, so they carry no evidence.
pub const PARTICLES: &[&str] = &[
    "DE", "DEL", "LA", "LAS", "LOS", "Y", "E", "DA", "DAS", "DO", "DOS", "DI", "DU", "VAN", "VON", "DER",
    "DEN", "LE", "BIN", "BINT", "BEN", "AL", "EL",
];

/// Apostrophes join the parts of a name (O'Brien, D'Angelo), as machine-readable zones write
/// them: OBRIEN.
const APOSTROPHES: &[char] = &['\'', '\u{2019}', '\u{02BC}', '`', '\u{00B4}'];

/// A digit read where a name can hold none: the letter a reader of a printed zone (OCR)
/// mistakes it for.
fn ocr_letter(c: char) -> char {
    match c {
        '0' => 'O',
        '1' => 'I',
        '2' => 'Z',
        '5' => 'S',
        '6' => 'G',
        '8' => 'B',
        other => other,
    }
}

/// The tokens of a name: each word folded (no accents, case or punctuation; apostrophes
/// dropped; digits an OCR reader put for letters read back as those letters), particles left
/// out.
pub fn tokens(text: &str) -> Vec<String> {
    let joined: String = text.chars().filter(|c| !APOSTROPHES.contains(c)).collect();
    fold_name(&joined)
        .split(' ')
        .filter(|w| !w.is_empty() && !PARTICLES.contains(w))
        .map(|w| w.chars().map(ocr_letter).collect())
        .collect()
}

/// A name as tokens: given names and surnames apart, as far as the source tells them apart.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NameTokens {
    /// The given names' tokens.
    pub given: Vec<String>,
    /// The surnames' tokens (both surnames, where there are two).
    pub surnames: Vec<String>,
}

impl NameTokens {
    /// From given names and surnames as written.
    pub fn new(given: &str, surnames: &str) -> NameTokens {
        NameTokens { given: tokens(given), surnames: tokens(surnames) }
    }

    /// From a name as a document carries it.
    pub fn of(name: &PersonName) -> NameTokens {
        NameTokens::new(&name.given_names, &name.surnames())
    }

    /// From one line of text with no telling given names from surnames (a list's `whole name`).
    pub fn whole(text: &str) -> NameTokens {
        NameTokens { given: Vec::new(), surnames: tokens(text) }
    }

    /// Every token, given names first.
    pub fn all(&self) -> impl Iterator<Item = &String> {
        self.given.iter().chain(self.surnames.iter())
    }

    /// The number of tokens.
    pub fn len(&self) -> usize {
        self.given.len() + self.surnames.len()
    }

    /// Whether there is no token at all.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_drop_accents_case_punctuation_and_particles() {
        assert_eq!(tokens("María José de la Cruz-Peña"), ["MARIA", "JOSE", "CRUZ", "PENA"]);
        assert_eq!(tokens("VAN DER BERG<<ANNA"), ["BERG", "ANNA"]);
        assert_eq!(tokens("R0SA 8ALAM C5UL"), ["ROSA", "BALAM", "CSUL"], "OCR's digits for letters");
        assert_eq!(tokens("  "), Vec::<String>::new());
        assert_eq!(
            tokens("Thomas O'Brien D’Angelo"),
            ["THOMAS", "OBRIEN", "DANGELO"],
            "as the zone writes them"
        );
    }

    #[test]
    fn normalising_twice_changes_nothing() {
        for name in ["Núñez Peña", "O'Brien-Smith", "ZOË", "Ибрагим", "de los Santos", "ß"] {
            let once = tokens(name).join(" ");
            assert_eq!(tokens(&once).join(" "), once, "{name}");
        }
    }
}
