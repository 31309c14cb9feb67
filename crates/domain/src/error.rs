//! The one validation error of the domain: which field broke which rule.

use std::fmt;

/// A rule that a field of the input did not satisfy.
///
/// Each rule has a stable machine `code` (for API clients and tests) and a message in English and
/// Spanish.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rule {
    /// The field is required but missing or empty.
    Required,
    /// The text is longer than allowed.
    TooLong { max: usize },
    /// The text is shorter than required.
    TooShort { min: usize },
    /// The text contains characters outside the allowed set.
    Charset { allowed: &'static str },
    /// Not a country known to ISO 3166-1 or ICAO Doc 9303.
    UnknownCountry,
    /// No port with that id is configured on this node.
    UnknownPort,
    /// Not one of the allowed values.
    OneOf { allowed: &'static [&'static str] },
    /// Not a calendar date in the expected format.
    NotADate { format: &'static str },
    /// Not an RFC 3339 timestamp.
    NotATimestamp,
    /// A date or instant lies in the future.
    InFuture,
    /// A document expiry that precedes the holder's birth date.
    ExpiryBeforeBirth,
    /// A number outside its allowed range.
    OutOfRange { min: i64, max: i64 },
    /// A field that is allowed only in some other combination of fields.
    NotAllowedWith { other: &'static str },
    /// A date or bound that comes before another it must not precede.
    Before { other: &'static str },
    /// The document was given neither as an MRZ nor as typed fields.
    MrzOrDocument,
    /// A search with no criterion: it would list everyone.
    SearchCriterion,
    /// An MRZ that is not an MRZ (wrong shape, wrong characters).
    NotAnMrz { reason: NotAnMrz },
    /// An MRZ check digit that does not match its field.
    CheckDigit { checks: Vec<String> },
    /// Not a UUID.
    NotAUuid,
    /// Text that does not follow its syntax (a configuration file, a CSV row), the reason said in
    /// English and Spanish.
    Syntax { en: String, es: String },
    /// A value a rule of the domain refuses, the rule said in both languages.
    Refused { en: String, es: String },
}

impl Rule {
    /// Text that does not follow its syntax, the reason said in English and Spanish.
    pub fn syntax(en: impl Into<String>, es: impl Into<String>) -> Rule {
        Rule::Syntax { en: en.into(), es: es.into() }
    }

    /// The stable machine code of the rule.
    pub fn code(&self) -> &'static str {
        match self {
            Rule::Required => "required",
            Rule::TooLong { .. } => "too_long",
            Rule::TooShort { .. } => "too_short",
            Rule::Charset { .. } => "charset",
            Rule::UnknownCountry => "unknown_country",
            Rule::UnknownPort => "unknown_port",
            Rule::OneOf { .. } => "one_of",
            Rule::NotADate { .. } => "not_a_date",
            Rule::NotATimestamp => "not_a_timestamp",
            Rule::InFuture => "in_future",
            Rule::ExpiryBeforeBirth => "expiry_before_birth",
            Rule::OutOfRange { .. } => "out_of_range",
            Rule::NotAllowedWith { .. } => "not_allowed_with",
            Rule::Before { .. } => "before",
            Rule::MrzOrDocument => "mrz_or_document",
            Rule::SearchCriterion => "search_criterion",
            Rule::NotAnMrz { .. } => "not_an_mrz",
            Rule::CheckDigit { .. } => "check_digit",
            Rule::NotAUuid => "not_a_uuid",
            Rule::Syntax { .. } => "syntax",
            Rule::Refused { .. } => "refused",
        }
    }

    /// The message in English.
    pub fn message_en(&self) -> String {
        match self {
            Rule::Required => "is required".into(),
            Rule::TooLong { max } => format!("must be at most {max} characters"),
            Rule::TooShort { min } => format!("must be at least {min} characters"),
            Rule::Charset { allowed } => format!("may contain only {allowed}"),
            Rule::UnknownCountry => "is not an ISO 3166-1 alpha-3 or ICAO 9303 country code".into(),
            Rule::UnknownPort => "is not a port configured on this node".into(),
            Rule::OneOf { allowed } => format!("must be one of: {}", allowed.join(", ")),
            Rule::NotADate { format } => format!("must be a date written {format}"),
            Rule::NotATimestamp => "must be an RFC 3339 timestamp such as 2026-03-01T14:30:00Z".into(),
            Rule::InFuture => "must not be in the future".into(),
            Rule::ExpiryBeforeBirth => "must not be before the holder's birth date".into(),
            Rule::OutOfRange { min, max } => format!("must be between {min} and {max}"),
            Rule::NotAllowedWith { other } => format!("is not allowed together with {other}"),
            Rule::Before { other } => format!("must not come before {other}"),
            Rule::MrzOrDocument => {
                "give either the MRZ lines or the typed document and person, not both".into()
            }
            Rule::SearchCriterion => {
                "give a name (at least 2 letters), a document number or a birth date".into()
            }
            Rule::NotAnMrz { reason } => {
                format!("is not a machine-readable zone: {}", reason.message(Lang::En))
            }
            Rule::CheckDigit { checks } => {
                format!("check digit failed for: {}", checks.join(", "))
            }
            Rule::NotAUuid => "must be a UUID".into(),
            Rule::Syntax { en, .. } => format!("is not valid: {en}"),
            Rule::Refused { en, .. } => format!("is not valid: {en}"),
        }
    }

    /// The message in Spanish.
    pub fn message_es(&self) -> String {
        match self {
            Rule::Required => "es obligatorio".into(),
            Rule::TooLong { max } => format!("debe tener como máximo {max} caracteres"),
            Rule::TooShort { min } => format!("debe tener al menos {min} caracteres"),
            Rule::Charset { allowed } => format!("solo puede contener {allowed}"),
            Rule::UnknownCountry => "no es un código de país ISO 3166-1 alfa-3 ni OACI 9303".into(),
            Rule::UnknownPort => "no es un puerto configurado en este nodo".into(),
            Rule::OneOf { allowed } => format!("debe ser uno de: {}", allowed.join(", ")),
            Rule::NotADate { format } => format!("debe ser una fecha con formato {format}"),
            Rule::NotATimestamp => "debe ser una marca de tiempo RFC 3339 como 2026-03-01T14:30:00Z".into(),
            Rule::InFuture => "no puede estar en el futuro".into(),
            Rule::ExpiryBeforeBirth => "no puede ser anterior a la fecha de nacimiento del titular".into(),
            Rule::OutOfRange { min, max } => format!("debe estar entre {min} y {max}"),
            Rule::NotAllowedWith { other } => format!("no se admite junto con {other}"),
            Rule::Before { other } => format!("no debe ser anterior a {other}"),
            Rule::MrzOrDocument => {
                "indique las líneas MRZ o el documento y la persona tecleados, no ambos".into()
            }
            Rule::SearchCriterion => {
                "indique un nombre (al menos 2 letras), un número de documento o una fecha de nacimiento"
                    .into()
            }
            Rule::NotAnMrz { reason } => {
                format!("no es una zona de lectura mecánica: {}", reason.message(Lang::Es))
            }
            Rule::CheckDigit { checks } => {
                format!("falló el dígito de control de: {}", checks.join(", "))
            }
            Rule::NotAUuid => "debe ser un UUID".into(),
            Rule::Syntax { es, .. } => format!("no es válido: {es}"),
            Rule::Refused { es, .. } => format!("no es válido: {es}"),
        }
    }
}

/// A field of the input that broke a rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {}", rule.message_en())]
pub struct ValidationError {
    /// The field's path in the input, e.g. `person.birth_date`.
    pub field: String,
    /// The rule it broke.
    pub rule: Rule,
}

impl ValidationError {
    /// A value a rule of the domain refuses, the rule said in English and Spanish.
    pub fn refused(
        field: impl Into<String>,
        en: impl Into<String>,
        es: impl Into<String>,
    ) -> ValidationError {
        ValidationError::new(field, Rule::Refused { en: en.into(), es: es.into() })
    }

    /// A new error for `field`.
    pub fn new(field: impl Into<String>, rule: Rule) -> Self {
        Self { field: field.into(), rule }
    }

    /// The same error with `prefix.` in front of its field path.
    pub fn within(mut self, prefix: &str) -> Self {
        self.field = format!("{prefix}.{}", self.field);
        self
    }
}

/// Display a message in one of the two languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Spanish.
    Es,
}

impl Lang {
    /// The language an `Accept-Language` header or a `LANG` variable asks for: the supported
    /// language with the highest weight (`q`), the first listed on a tie, English when none.
    pub fn negotiate(accept: &str) -> Lang {
        let mut best: Option<(f32, Lang)> = None;
        for part in accept.split(',') {
            let mut pieces = part.split(';');
            let tag = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
            let lang = if tag.starts_with("es") {
                Lang::Es
            } else if tag.starts_with("en") {
                Lang::En
            } else {
                continue;
            };
            let q = pieces
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            if q > 0.0 && best.is_none_or(|(b, _)| q > b) {
                best = Some((q, lang));
            }
        }
        best.map_or(Lang::En, |(_, lang)| lang)
    }

    /// The language's code (`en`, `es`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
        }
    }

    /// The language of a code (`en`, `es`), if supported.
    pub fn from_code(code: &str) -> Option<Lang> {
        match code.trim().to_ascii_lowercase().as_str() {
            "en" => Some(Lang::En),
            "es" => Some(Lang::Es),
            _ => None,
        }
    }
}

impl ValidationError {
    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.rule.message_en(),
            Lang::Es => self.rule.message_es(),
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Lang::En => "en",
            Lang::Es => "es",
        })
    }
}

/// Why text is not an MRZ at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotAnMrz {
    /// One line whose length is no format's.
    OneLine {
        /// Its length.
        chars: usize,
    },
    /// A character outside `A`–`Z`, `0`–`9` and `<`.
    BadCharacter {
        /// The line, from 1.
        line: usize,
        /// The character.
        character: char,
        /// Its position in the line, from 1.
        position: usize,
    },
    /// Lines whose number or lengths no format has.
    Shape {
        /// The lines' lengths.
        lengths: Vec<usize>,
    },
    /// A field that does not hold what its format says.
    MalformedField {
        /// The field.
        field: String,
    },
}

impl NotAnMrz {
    /// The reason in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        let es = lang == Lang::Es;
        match self {
            NotAnMrz::OneLine { chars } if es => format!(
                "una línea de {chars} caracteres; una MRZ tiene 2 o 3 líneas (3 × 30, 2 × 36 o 2 × 44)"
            ),
            NotAnMrz::OneLine { chars } => {
                format!("one line of {chars} characters; an MRZ has 2 or 3 lines (3 × 30, 2 × 36 or 2 × 44)")
            }
            NotAnMrz::BadCharacter { line, character, position } if es => format!(
                "la línea {line} tiene '{}' en la posición {position}; una MRZ solo usa A-Z, 0-9 y '<'",
                character.escape_debug()
            ),
            NotAnMrz::BadCharacter { line, character, position } => format!(
                "line {line} has '{}' at position {position}; an MRZ uses only A-Z, 0-9 and '<'",
                character.escape_debug()
            ),
            NotAnMrz::Shape { lengths } if es => format!(
                "{} línea(s) de {lengths:?} caracteres; una MRZ es de 3 × 30 (TD1), 2 × 36 (TD2, MRV-B) o 2 × 44 (TD3, MRV-A)",
                lengths.len()
            ),
            NotAnMrz::Shape { lengths } => format!(
                "{} line(s) of {lengths:?} characters; an MRZ is 3 × 30 (TD1), 2 × 36 (TD2, MRV-B) or 2 × 44 (TD3, MRV-A)",
                lengths.len()
            ),
            NotAnMrz::MalformedField { field } if es => format!("el campo {field} está mal formado"),
            NotAnMrz::MalformedField { field } => format!("{field} is malformed"),
        }
    }
}

impl fmt::Display for NotAnMrz {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not an MRZ: {}", self.message(Lang::En))
    }
}

impl std::error::Error for NotAnMrz {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_language_asked_for_most_wins() {
        assert_eq!(Lang::negotiate("es-MX,es;q=0.9,en;q=0.8"), Lang::Es);
        assert_eq!(Lang::negotiate("en-US,en;q=0.9"), Lang::En);
        assert_eq!(Lang::negotiate("en;q=0.5, es;q=0.9"), Lang::Es);
        assert_eq!(Lang::negotiate("fr-FR, es;q=0.3"), Lang::Es);
        assert_eq!(Lang::negotiate("fr-FR, de"), Lang::En);
        assert_eq!(Lang::negotiate("es;q=0, en;q=0.1"), Lang::En);
        assert_eq!(Lang::negotiate("es_MX.UTF-8"), Lang::Es);
        assert_eq!((Lang::from_code("ES"), Lang::from_code("fr")), (Some(Lang::Es), None));
    }
}
