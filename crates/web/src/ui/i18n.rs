//! The interface's words, in Fluent files a translator edits without touching Rust:
//! `crates/web/locales/{en,es}/main.ftl`, compiled into the binary.

use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use frontera_domain::Lang;

/// The Fluent source of each language.
pub const SOURCES: [(Lang, &str); 2] = [
    (Lang::En, include_str!("../../locales/en/main.ftl")),
    (Lang::Es, include_str!("../../locales/es/main.ftl")),
];

struct Catalog {
    en: FluentBundle<FluentResource>,
    es: FluentBundle<FluentResource>,
}

fn bundle(lang: Lang, source: &str) -> FluentBundle<FluentResource> {
    let id = unic_langid::LanguageIdentifier::from_bytes(lang.code().as_bytes()).unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // Both languages run left to right: no bidi isolation marks in the HTML.
    bundle.set_use_isolating(false);
    // A syntax error in a translation file keeps the messages that did parse; the catalog test
    // fails on any error, so a broken file never ships.
    let resource = FluentResource::try_new(source.to_string()).unwrap_or_else(|(partial, _)| partial);
    if let Err(errors) = bundle.add_resource(resource) {
        tracing::error!(?errors, "duplicate messages in the {} catalog", lang.code());
    }
    bundle
}

static CATALOG: LazyLock<Catalog> = LazyLock::new(|| {
    let source = |l: Lang| SOURCES.iter().find(|(lang, _)| *lang == l).map_or("", |(_, s)| *s);
    Catalog { en: bundle(Lang::En, source(Lang::En)), es: bundle(Lang::Es, source(Lang::Es)) }
});

/// The words of one language, for a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tr {
    /// The language.
    pub lang: Lang,
}

impl Tr {
    /// A translator into `lang`.
    pub fn new(lang: Lang) -> Tr {
        Tr { lang }
    }

    fn bundle(&self) -> &'static FluentBundle<FluentResource> {
        match self.lang {
            Lang::En => &CATALOG.en,
            Lang::Es => &CATALOG.es,
        }
    }

    /// The message `key`; the key itself when missing (the catalog test keeps that from
    /// shipping).
    pub fn t(&self, key: &str) -> String {
        self.format(key, None)
    }

    /// The message `key` with named arguments.
    pub fn t_args(&self, key: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        let mut fluent = FluentArgs::new();
        for (name, value) in args {
            fluent.set(*name, value.clone());
        }
        self.format(key, Some(&fluent))
    }

    /// The message `key` with one text argument.
    pub fn t1(&self, key: &str, arg: &str, value: &str) -> String {
        self.t_args(key, &[(arg, FluentValue::from(value))])
    }

    fn format(&self, key: &str, args: Option<&FluentArgs<'_>>) -> String {
        let bundle = self.bundle();
        let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
            tracing::warn!(key, lang = self.lang.code(), "missing translation");
            return key.to_string();
        };
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, args, &mut errors);
        if !errors.is_empty() {
            tracing::warn!(key, ?errors, "translation formatting");
        }
        text.into_owned()
    }

    /// The other language, for the switch in the header.
    pub fn other(&self) -> Lang {
        match self.lang {
            Lang::En => Lang::Es,
            Lang::Es => Lang::En,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    fn keys(source: &str) -> BTreeSet<String> {
        let resource = match FluentResource::try_new(source.to_string()) {
            Ok(r) => r,
            Err((_, errors)) => panic!("a translation file does not parse: {errors:?}"),
        };
        resource
            .entries()
            .filter_map(|e| match e {
                fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn every_message_exists_in_both_languages() {
        let en = keys(SOURCES[0].1);
        let es = keys(SOURCES[1].1);
        let only_en: Vec<_> = en.difference(&es).collect();
        let only_es: Vec<_> = es.difference(&en).collect();
        assert!(
            only_en.is_empty() && only_es.is_empty(),
            "only in English: {only_en:?}; only in Spanish: {only_es:?}"
        );
        assert!(en.len() > 10);
    }

    #[test]
    fn every_key_a_template_or_handler_uses_is_in_the_catalog() {
        let en = keys(SOURCES[0].1);
        let dirs = [
            concat!(env!("CARGO_MANIFEST_DIR"), "/templates"),
            concat!(env!("CARGO_MANIFEST_DIR"), "/src/ui"),
        ];
        let mut missing = Vec::new();
        for dir in dirs {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.ends_with("i18n.rs") {
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                for call in [".t(\"", ".t1(\"", ".t_args(\""] {
                    for (at, _) in text.match_indices(call) {
                        let rest = &text[at + call.len()..];
                        let key = &rest[..rest.find('"').unwrap()];
                        if !en.contains(key) && !key.is_empty() {
                            missing.push(format!("{}: {key}", path.display()));
                        }
                    }
                }
            }
        }
        // Keys built at run time from the domain's values.
        use frontera_domain::alert::{AlertKind, HitAction, HitStatus};
        use frontera_domain::{Category, Direction, Purpose, Role, TransportMode};
        // Every column of a CSV list, and the fields of the screening and list forms.
        let alert_fields: Vec<&str> = frontera_app::alerts::csv_list::COLUMNS
            .iter()
            .chain(&[
                "name",
                "list",
                "threshold",
                "format",
                "birth_date",
                "nationality",
                "document",
                "candidates",
                "names",
                "header",
                "row",
                "file",
            ])
            .copied()
            .collect();
        let built: [(&str, &[&str]); 18] = [
            ("alert-kind", AlertKind::NAMES),
            ("hit-action", HitAction::NAMES),
            ("hit-status", HitStatus::NAMES),
            ("hits-field", &["note", "resolution"]),
            ("alerts-field", &alert_fields),
            ("port-kind", frontera_domain::PortKind::NAMES),
            ("admin-field", &["name", "role", "country", "port", "organisation", "password", "enabled"]),
            ("audit", &["from", "to"]),
            ("travellers", &["name", "document_number", "birth_date"]),
            ("role", Role::NAMES),
            ("direction", Direction::NAMES),
            ("category", Category::NAMES),
            ("purpose", Purpose::NAMES),
            ("transport", TransportMode::NAMES),
            ("document", &["passport", "id_card", "visa", "border_card", "other"]),
            ("sex", &["F", "M", "X"]),
            ("check", &["document_number", "birth_date", "expiry_date", "optional_data", "composite"]),
            ("check-label", &["optional_data", "composite"]),
        ];
        for (prefix, values) in built {
            for value in values {
                if !en.contains(&format!("{prefix}-{value}")) {
                    missing.push(format!("{prefix}-{value}"));
                }
            }
        }
        assert!(missing.is_empty(), "keys used but not translated: {missing:?}");
    }

    #[test]
    fn messages_format_with_their_arguments() {
        let es = Tr::new(Lang::Es);
        assert_eq!(es.t("login-submit"), "Entrar");
        let text = es.t_args("login-locked", &[("time", FluentValue::from("14:05"))]);
        assert!(text.contains("14:05"), "{text}");
        assert_eq!(Tr::new(Lang::En).t("no-such-key"), "no-such-key");
    }
}
