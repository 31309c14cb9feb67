//! A phonetic key for the Spanish and English names of this border, and for the Latin
//! transliterations of other names on alert lists: tokens that sound alike get the same key
//! (`VASQUEZ`, `BAZQUES`; `GONZALEZ`, `GONSALES`; `JIMENEZ`, `XIMENEZ`; `MOHAMMED`, `MUHAMAD`).
//!
//! The rules, on a folded token: digraphs first (`CH`, `SH` → X; `PH` → F; `QU`, `CK`,
//! `KH` → K; `TH` → T; `GH` → G; `GU` before E/I → G; `DJ`, `DZ`, `ZH` → J; `LL` → L, as English
//! spells it and as a doubled letter reads), then letters (B and V
//! alike; C before E/I/Y and Z sound as S, else C is K; G before E/I sounds as J; an initial X
//! before a vowel is J; H is silent; W is B or U), a final D sounds as T; the first sound is
//! kept even when it is a vowel, later vowels dropped, and a repeated sound counts once.

/// The keys of a token: its [`key`], and for a token with `LL` also the key with `LL` read as
/// `Y`, as most Spanish speakers say it (`CASTILLO`, `CASTIYO`).
pub fn keys(token: &str) -> Vec<String> {
    readings(token, false)
}

/// Whether two tokens share a key.
pub fn sound_alike(a: &str, b: &str) -> bool {
    let kb = keys(b);
    keys(a).iter().any(|k| kb.contains(k))
}

/// Whether two tokens that sound alike are one name spelt two ways (VASQUEZ, BAZQUEZ; MOHAMMED,
/// MUHAMMAD; REID, REED) rather than two names with one skeleton of consonants (MARIANA, MARINA;
/// MAYRA, MARIA; LUCIO, LUIS): read as [`key`] reads them, but with every vowel kept in its
/// place, they agree.
pub fn spelt_alike(a: &str, b: &str) -> bool {
    let rb = readings(b, true);
    readings(a, true).iter().any(|r| rb.contains(r))
}

/// A token's [`sounds`], and for a token with `LL` also its sounds with `LL` read as `Y`.
fn readings(token: &str, vowels: bool) -> Vec<String> {
    let mut out = vec![sounds(token, vowels)];
    if token.contains("LL") {
        let other = sounds(&token.replace("LL", "Y"), vowels);
        if other != out[0] {
            out.push(other);
        }
    }
    out
}

/// The phonetic key of a folded token (upper-case letters; anything else is kept as is).
pub fn key(token: &str) -> String {
    sounds(token, false)
}

/// A token's sounds: [`key`], or with `vowels` every vowel kept (as one sound, A) where it is.
fn sounds(token: &str, vowels: bool) -> String {
    let letters: Vec<char> = token.chars().collect();
    let at = |i: usize| letters.get(i).copied().unwrap_or(' ');
    let front_vowel = |c: char| matches!(c, 'E' | 'I' | 'Y');
    let vowel = |c: char| matches!(c, 'A' | 'E' | 'I' | 'O' | 'U');
    let mut sounds: Vec<char> = Vec::with_capacity(letters.len());
    let mut i = 0;
    while i < letters.len() {
        let (c, next) = (at(i), at(i + 1));
        let (sound, width) = match (c, next) {
            ('C', 'H') | ('S', 'H') => ('X', 2),
            ('P', 'H') => ('F', 2),
            ('L', 'L') => ('L', 2),
            ('Q', 'U') | ('C', 'K') | ('K', 'H') => ('K', 2),
            ('T', 'H') => ('T', 2),
            ('G', 'H') => ('G', 2),
            ('G', 'U') if front_vowel(at(i + 2)) => ('G', 2),
            ('D', 'J') | ('D', 'Z') | ('Z', 'H') => ('J', 2),
            ('B', _) | ('V', _) => ('B', 1),
            ('C', n) if front_vowel(n) => ('S', 1),
            ('C', _) | ('K', _) | ('Q', _) => ('K', 1),
            ('Z', _) => ('S', 1),
            ('G', n) if front_vowel(n) => ('J', 1),
            ('X', n) if i == 0 && vowel(n) => ('J', 1),
            ('H', _) => ('\0', 1),
            ('W', n) if vowel(n) => ('B', 1),
            ('W', _) => ('A', 1),
            ('Y', n) if vowel(n) => ('Y', 1),
            ('Y', _) => ('A', 1),
            ('D', ' ') => ('T', 1),
            (v, _) if vowel(v) => ('A', 1),
            (other, _) => (other, 1),
        };
        i += width;
        if sound != '\0' {
            sounds.push(sound);
        }
    }
    let mut out = String::with_capacity(sounds.len());
    let mut last = None;
    for (n, s) in sounds.into_iter().enumerate() {
        // The first sound stays even when a vowel; later vowels are dropped (or kept, each).
        if s == 'A' && n > 0 {
            if vowels {
                out.push(s);
            }
            last = Some(s);
            continue;
        }
        if last != Some(s) || n == 0 {
            out.push(s);
        }
        last = Some(s);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(a: &str, b: &str) {
        assert_eq!(key(a), key(b), "{a} and {b} should sound alike");
    }

    #[test]
    fn spellings_that_sound_alike_share_a_key() {
        same("VASQUEZ", "BAZQUES");
        same("GONZALEZ", "GONSALES");
        same("JIMENEZ", "XIMENEZ");
        same("HERNANDEZ", "ERNANDES");
        same("MOHAMMED", "MUHAMAD");
        same("MOHAMED", "MOHAMMAD");
        same("CHAVEZ", "CHAVES");
        same("SANCHEZ", "SANCHES");
        same("CASTILLO", "CASTILO");
        assert!(sound_alike("TILLETT", "TIYETT") && sound_alike("PHILLIPS", "FILIPS"));
        same("QUINTERO", "KINTERO");
        same("PHILLIPS", "FILIPS");
        same("CEDILLO", "SEDILLO");
        same("THOMAS", "TOMAS");
        same("OSAMA", "USAMA");
    }

    #[test]
    fn different_names_keep_different_keys() {
        for (a, b) in [("PECH", "PEREZ"), ("CANUL", "CANCHE"), ("MARIA", "MARIO"), ("LOPEZ", "LOPERA")] {
            if a == "MARIA" {
                // Vowels carry no sound in a key: MARIA and MARIO meet here and part in `similarity`.
                assert_eq!(key(a), key(b));
                continue;
            }
            assert_ne!(key(a), key(b), "{a} and {b}");
        }
    }

    #[test]
    fn one_name_spelt_two_ways_is_told_from_two_names_that_sound_alike() {
        for (a, b) in [
            ("VASQUEZ", "BAZQUEZ"),
            ("HERNANDEZ", "ERNANDEZ"),
            ("MOHAMMED", "MUHAMMAD"),
            ("REID", "REED"),
            ("SARA", "SARAH"),
            ("LUCAS", "LUKAS"),
            ("CASTILLO", "CASTIYO"),
            ("GONZALEZ", "GONSALES"),
        ] {
            assert!(spelt_alike(a, b), "{a} and {b} are one name");
        }
        for (a, b) in [("MARIANA", "MARINA"), ("MAYRA", "MARIA"), ("LUCIO", "LUIS"), ("COBB", "COBA")] {
            assert!(sound_alike(a, b) && !spelt_alike(a, b), "{a} and {b} are two names");
        }
    }

    #[test]
    fn a_key_is_a_key_of_itself_and_never_panics() {
        for t in ["", "A", "H", "HH", "AEIOU", "XX", "Ñ", "Ж", "CCCC", "W", "Y"] {
            let k = key(t);
            assert!(k.chars().count() <= t.chars().count().max(1), "{t} -> {k}");
        }
    }
}
