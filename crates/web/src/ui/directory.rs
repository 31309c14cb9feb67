//! The service directory in the browser: finding a service by kind, place, language and age,
//! each with its organisation, where and when it is offered; and, for protection officers and
//! administrators, loading a part of it from an HSDS 3.0 JSON file.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use frontera_app::directory::{HsdsService, ServiceQuery, read_hsds};
use frontera_app::{App, AppError};
use frontera_domain::access::{Action, Resource, can};
use serde::Deserialize;

use super::i18n::Tr;
use super::session::Viewer;
use super::shell::{Bar, error_page, form_expired, page};

/// A kind of service to choose.
pub(super) struct KindChoice {
    value: String,
    label: String,
    selected: bool,
}

/// A service as the page lists it.
pub(super) struct ServiceLine {
    id: String,
    name: String,
    organisation: String,
    kinds: String,
    languages: String,
    ages: String,
    places: Vec<String>,
}

#[derive(Template)]
#[template(path = "directory.html")]
struct DirectoryPage {
    tr: Tr,
    bar: Option<Bar>,
    next: String,
    csrf: String,
    kinds: Vec<KindChoice>,
    place: String,
    language: String,
    age: String,
    country: String,
    searched: bool,
    services: Vec<ServiceLine>,
    manages: bool,
    loaded: Option<String>,
}

/// The search form, as typed.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DirectoryQuery {
    kind: String,
    place: String,
    language: String,
    age: String,
    country: String,
    /// What a load just did (after the redirect).
    loaded: String,
}

fn line(tr: Tr, h: &HsdsService) -> ServiceLine {
    let s = &h.service;
    let ages = match (s.eligibility.minimum_age, s.eligibility.maximum_age) {
        (None, None) => tr.t("directory-all-ages"),
        (min, max) => tr.t_args(
            "directory-ages",
            &[
                ("min", min.unwrap_or(0).to_string().into()),
                ("max", max.map_or("—".into(), |m| m.to_string()).into()),
            ],
        ),
    };
    ServiceLine {
        id: s.id.clone(),
        name: s.name.clone(),
        organisation: h.organisation.name.clone(),
        kinds: s.kinds.iter().map(|k| tr.t(&format!("kind-{k}"))).collect::<Vec<_>>().join(", "),
        languages: s.languages.join(", "),
        ages,
        places: h
            .at
            .iter()
            .map(|(sal, l)| {
                let hours = sal
                    .schedules
                    .iter()
                    .map(|sc| format!("{} {}–{}", sc.byday, sc.opens_at, sc.closes_at))
                    .collect::<Vec<_>>()
                    .join("; ");
                let place = format!("{}, {} ({})", l.city, l.region, l.country);
                if hours.is_empty() { place } else { format!("{place} · {hours}") }
            })
            .collect(),
    }
}

/// The directory's search page.
pub async fn search(State(app): State<App>, viewer: Viewer, Query(q): Query<DirectoryQuery>) -> Response {
    let tr = viewer.tr;
    let searched = [&q.kind, &q.place, &q.language, &q.age, &q.country].iter().any(|v| !v.trim().is_empty());
    let age = match q.age.trim() {
        "" => None,
        a => match a.parse::<u8>() {
            Ok(a) if a <= 120 => Some(a),
            _ => {
                let e = frontera_domain::ValidationError::new(
                    "age",
                    frontera_domain::Rule::OutOfRange { min: 0, max: 120 },
                );
                return error_page(tr, Bar::of(&viewer), &AppError::Invalid(e));
            }
        },
    };
    let query = ServiceQuery {
        kind: Some(q.kind.clone()).filter(|k| !k.is_empty()),
        place: Some(q.place.clone()).filter(|p| !p.trim().is_empty()),
        language: Some(q.language.clone()).filter(|l| !l.trim().is_empty()),
        age,
        country: Some(q.country.clone()).filter(|c| !c.trim().is_empty()),
    };
    let services = match app.search_services(&query).await {
        Ok(s) => s,
        Err(e) => return error_page(tr, Bar::of(&viewer), &e),
    };
    let here = Resource::of(viewer.actor.scope.country);
    let kinds = frontera_domain::directory::TAXONOMY
        .iter()
        .map(|t| KindChoice {
            value: t.0.to_string(),
            label: tr.t(&format!("kind-{}", t.0)),
            selected: t.0 == q.kind,
        })
        .collect();
    page(
        StatusCode::OK,
        &DirectoryPage {
            tr,
            bar: Bar::of(&viewer),
            next: "/directory".into(),
            csrf: viewer.session.csrf_token.clone(),
            kinds,
            place: q.place.clone(),
            language: q.language.clone(),
            age: q.age.clone(),
            country: q.country.clone(),
            searched,
            services: services.iter().map(|h| line(tr, h)).collect(),
            manages: can(&viewer.actor, Action::ManageDirectory, here).allowed(),
            loaded: Some(q.loaded.clone()).filter(|l| !l.is_empty()),
        },
    )
}

/// Loads an HSDS 3.0 JSON file into the directory (`multipart/form-data`: `csrf`, `file`): all
/// or nothing, a fault named by its path.
pub async fn load(
    State(app): State<App>,
    viewer: Viewer,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let tr = viewer.tr;
    let unreadable = || {
        AppError::Invalid(frontera_domain::ValidationError::new(
            "file",
            frontera_domain::Rule::syntax("the file could not be read", "no se pudo leer el archivo"),
        ))
    };
    let Some(fields) = super::shell::posted(multipart).await else {
        return error_page(tr, Bar::of(&viewer), &unreadable());
    };
    if !viewer.csrf_ok(&fields.get("csrf").map(super::shell::Part::text).unwrap_or_default()) {
        return form_expired(&viewer, "/directory");
    }
    let Some(file) = fields.get("file") else {
        let e = frontera_domain::ValidationError::new("file", frontera_domain::Rule::Required);
        return error_page(tr, Bar::of(&viewer), &AppError::Invalid(e));
    };
    let name = file.file_name.clone().unwrap_or_else(|| "directory.json".into());
    let Ok(text) = String::from_utf8(file.bytes.to_vec()) else {
        return error_page(tr, Bar::of(&viewer), &unreadable());
    };
    let result = async {
        let part = read_hsds(&text, viewer.actor.scope.country)?;
        app.save_directory(&viewer.actor, &part, &name).await
    }
    .await;
    match result {
        Ok(c) => {
            let said = tr.t_args(
                "directory-loaded",
                &[
                    ("added", c.added.to_string().into()),
                    ("updated", c.updated.to_string().into()),
                    ("unchanged", c.unchanged.to_string().into()),
                ],
            );
            let to = format!(
                "/directory?loaded={}",
                form_urlencoded::byte_serialize(said.as_bytes()).collect::<String>()
            );
            Redirect::to(&to).into_response()
        }
        Err(e) => error_page(tr, Bar::of(&viewer), &e),
    }
}
