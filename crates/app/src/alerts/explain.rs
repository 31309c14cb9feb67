//! Why a candidate scored as it did, in a form the API, the console and the counter show.

use frontera_domain::Lang;
use frontera_domain::alert::NameQuality;
use frontera_matching::How;
use frontera_matching::screening::{BirthEvidence, NationalityEvidence, SexEvidence};
use frontera_matching::similarity::DocumentMatch;
use serde::{Deserialize, Serialize};

/// One token of the traveller's name and the listed token it met.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenExplanation {
    /// The traveller's token.
    pub query: String,
    /// The listed token.
    pub listed: String,
    /// How they met: `exact`, `phonetic`, `truncated`, `typo`, `initial` or `other_name` (close
    /// letters, but two names each common on the list).
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub how: How,
}

/// How the names met.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NameExplanation {
    /// The listed name that met best, as the list writes it.
    pub matched: String,
    /// Whether it is an alias rather than the list's primary name.
    pub alias: bool,
    /// How much the list trusts that name.
    pub quality: NameQuality,
    /// The names' score alone, in [0, 1].
    pub score: f64,
    /// The tokens that met.
    pub tokens: Vec<TokenExplanation>,
    /// The traveller's tokens that met nothing.
    pub unmatched_query: Vec<String>,
    /// The listed name's tokens the traveller's name leaves out.
    pub unmatched_listed: Vec<String>,
}

/// Why a candidate scored as it did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Explanation {
    /// The explanation in one English sentence.
    pub summary: String,
    /// The names; absent for an entry that lists a document only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<NameExplanation>,
    /// `exact`, `partial` (the same year and month, no day known on one side), `same_year` (no
    /// more known on one side), `day_month_swapped`, `conflicting` or `unknown` (a side gives
    /// none).
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub birth_date: BirthEvidence,
    /// `same`, `different` or `unknown`.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub nationality: NationalityEvidence,
    /// `exact`, `ocr_variant` or `different`, when both sides give a document number.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub document: Option<DocumentMatch>,
    /// `same`, `different` or `unknown`.
    #[serde(default = "unknown_sex")]
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub sex: SexEvidence,
}

/// Hits stored before sex was compared read back as not compared.
fn unknown_sex() -> SexEvidence {
    SexEvidence::Unknown
}

impl Explanation {
    /// The explanation of a candidate whose best name is `matched` (of `quality`); `no_names`
    /// when the entry lists a document only.
    pub fn of(
        e: &frontera_matching::screening::Explanation,
        matched: String,
        quality: NameQuality,
        no_names: bool,
    ) -> Explanation {
        let name = (!no_names).then(|| NameExplanation {
            matched,
            alias: e.name_index > 0,
            quality,
            score: (e.name.score * 1000.0).round() / 1000.0,
            tokens: e
                .name
                .matched
                .iter()
                .map(|t| TokenExplanation { query: t.query.clone(), listed: t.found.clone(), how: t.how })
                .collect(),
            unmatched_query: e.name.unmatched_query.clone(),
            unmatched_listed: e.name.unmatched_found.clone(),
        });
        let mut explanation = Explanation {
            summary: String::new(),
            name,
            birth_date: e.birth,
            nationality: e.nationality,
            document: e.document,
            sex: e.sex,
        };
        explanation.summary = explanation.sentence(Lang::En);
        explanation
    }

    /// The explanation in one sentence in `lang`.
    pub fn sentence(&self, lang: Lang) -> String {
        let es = lang == Lang::Es;
        let mut parts = Vec::new();
        if let Some(n) = &self.name {
            let tokens: Vec<String> = n
                .tokens
                .iter()
                .map(|t| {
                    let how = how_word(t.how, lang);
                    if t.query == t.listed {
                        format!("{} ({how})", t.query)
                    } else {
                        format!("{}≈{} ({how})", t.query, t.listed)
                    }
                })
                .collect();
            let which = match (n.alias, n.quality, es) {
                (false, _, false) => "name".to_string(),
                (false, _, true) => "nombre".to_string(),
                (true, NameQuality::Low, false) => "weak alias".to_string(),
                (true, NameQuality::Low, true) => "alias débil".to_string(),
                (true, _, _) => "alias".to_string(),
            };
            let mut text = format!("{which} {:?}: {}", n.matched, tokens.join(", "));
            if !n.unmatched_query.is_empty() {
                let t = n.unmatched_query.join(" ");
                text.push_str(&if es { format!("; sin par: {t}") } else { format!("; unmatched: {t}") });
            }
            if !n.unmatched_listed.is_empty() {
                let t = n.unmatched_listed.join(" ");
                text.push_str(&if es { format!("; no dado: {t}") } else { format!("; not given: {t}") });
            }
            parts.push(text);
        }
        let birth = match (self.birth_date, es) {
            (BirthEvidence::Exact, false) => "birth date exact",
            (BirthEvidence::Exact, true) => "fecha de nacimiento exacta",
            (BirthEvidence::Partial, false) => "birth date consistent as far as known",
            (BirthEvidence::Partial, true) => "fecha de nacimiento coherente hasta donde se conoce",
            (BirthEvidence::SameYear, false) => "same year of birth, no more known",
            (BirthEvidence::SameYear, true) => "mismo año de nacimiento, sin más datos",
            (BirthEvidence::DayMonthSwapped, false) => "birth date with day and month swapped",
            (BirthEvidence::DayMonthSwapped, true) => "fecha de nacimiento con día y mes invertidos",
            (BirthEvidence::Conflicting, false) => "birth date conflicting",
            (BirthEvidence::Conflicting, true) => "fecha de nacimiento en conflicto",
            (BirthEvidence::Unknown, false) => "birth date not compared",
            (BirthEvidence::Unknown, true) => "fecha de nacimiento no comparada",
        };
        parts.push(birth.into());
        let nationality = match (self.nationality, es) {
            (NationalityEvidence::Same, false) => Some("same nationality"),
            (NationalityEvidence::Same, true) => Some("misma nacionalidad"),
            (NationalityEvidence::Different, false) => Some("other nationality"),
            (NationalityEvidence::Different, true) => Some("otra nacionalidad"),
            (NationalityEvidence::Unknown, _) => None,
        };
        parts.extend(nationality.map(String::from));
        if self.sex == SexEvidence::Different {
            parts.push(if es { "otro sexo" } else { "other sex" }.into());
        }
        let document = match (self.document, es) {
            (Some(DocumentMatch::Exact), false) => Some("document number exact"),
            (Some(DocumentMatch::Exact), true) => Some("número de documento exacto"),
            (Some(DocumentMatch::OcrVariant), false) => Some("document number equal but for OCR confusions"),
            (Some(DocumentMatch::OcrVariant), true) => {
                Some("número de documento igual salvo confusiones de OCR")
            }
            (Some(DocumentMatch::Different), false) => Some("document number different"),
            (Some(DocumentMatch::Different), true) => Some("número de documento distinto"),
            (None, _) => None,
        };
        parts.extend(document.map(String::from));
        parts.join("; ")
    }
}

/// How two tokens met, in words.
pub fn how_word(how: How, lang: Lang) -> &'static str {
    match (how, lang) {
        (How::Exact, Lang::En) => "exact",
        (How::Exact, Lang::Es) => "exacto",
        (How::Phonetic, Lang::En) => "sounds alike",
        (How::Phonetic, Lang::Es) => "suena igual",
        (How::Truncated, Lang::En) => "cut short",
        (How::Truncated, Lang::Es) => "truncado",
        (How::Typo, Lang::En) => "typo",
        (How::Typo, Lang::Es) => "error tipográfico",
        (How::Initial, Lang::En) => "initial",
        (How::Initial, Lang::Es) => "inicial",
        (How::OtherName, Lang::En) => "another name",
        (How::OtherName, Lang::Es) => "otro nombre",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn another_name_is_said_in_both_languages() {
        let explanation = Explanation {
            summary: String::new(),
            name: Some(NameExplanation {
                matched: "Marlon Bradley".into(),
                alias: false,
                quality: NameQuality::Primary,
                score: 0.82,
                tokens: vec![
                    TokenExplanation { query: "MARVIN".into(), listed: "MARLON".into(), how: How::OtherName },
                    TokenExplanation { query: "BRADLEY".into(), listed: "BRADLEY".into(), how: How::Exact },
                ],
                unmatched_query: Vec::new(),
                unmatched_listed: Vec::new(),
            }),
            birth_date: BirthEvidence::SameYear,
            nationality: NationalityEvidence::Same,
            document: None,
            sex: SexEvidence::Same,
        };
        let en = explanation.sentence(Lang::En);
        let es = explanation.sentence(Lang::Es);
        assert!(en.contains("MARVIN≈MARLON (another name)") && en.contains("BRADLEY (exact)"), "{en}");
        assert!(es.contains("MARVIN≈MARLON (otro nombre)") && es.contains("BRADLEY (exacto)"), "{es}");
        assert_eq!(serde_json::to_value(How::OtherName).unwrap(), "other_name");
    }
}
