//! The home page, signing in and out, the language switch and the node's own assets.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use frontera_app::login::{SESSION_HOURS, random_secret};
use frontera_app::{App, AppError};
use frontera_domain::Lang;
use serde::Deserialize;

use super::guard::Guarded;
use super::i18n::Tr;
use super::session::{LANG, LOGIN_CSRF, SESSION, UiLang, Viewer, cookie, over_tls, same_secret, set_cookie};
use super::shell::{Bar, datetime, error_page, page, same_site_path};

#[derive(Template)]
#[template(path = "home.html")]
pub(super) struct HomePage {
    tr: Tr,
    bar: Option<Bar>,
    next: String,
    name: String,
    role: String,
    country: String,
    port: Option<String>,
    organisation: Option<String>,
    session_ends: String,
    session_ends_iso: String,
}

pub(super) async fn home(State(app): State<App>, viewer: Viewer) -> Response {
    let tr = viewer.tr;
    let a = &viewer.actor;
    let port = a.scope.port.as_ref().and_then(|id| app.ports.get(id));
    let tz = port.map_or(chrono_tz::UTC, |p| p.time_zone);
    let country = a.scope.country.name(tr.lang).to_string();
    let page_data = HomePage {
        tr,
        bar: Bar::of(&viewer),
        next: "/".into(),
        name: a.name.clone(),
        role: tr.t(&format!("role-{}", a.role.as_str())),
        country,
        port: port.map(|p| p.name.clone()),
        organisation: a.scope.organisation.clone(),
        session_ends: datetime(tr.lang, viewer.session.expires_at.with_timezone(&tz)),
        session_ends_iso: viewer.session.expires_at.to_rfc3339(),
    };
    page(StatusCode::OK, &page_data)
}

#[derive(Template)]
#[template(path = "login.html")]
pub(super) struct LoginPage {
    tr: Tr,
    bar: Option<Bar>,
    next: String,
    csrf: String,
    name: String,
    error: Option<String>,
    notice: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct LoginQuery {
    #[serde(default)]
    ended: Option<String>,
    #[serde(default)]
    out: Option<String>,
}

/// The login form, with a fresh double-submit CSRF token.
pub(super) fn login_page(
    tr: Tr,
    headers: &HeaderMap,
    status: StatusCode,
    name: String,
    error: Option<String>,
    notice: Option<String>,
) -> Response {
    let csrf = random_secret();
    let mut response = page(
        status,
        &LoginPage { tr, bar: None, next: "/login".into(), csrf: csrf.clone(), name, error, notice },
    );
    let (k, v) = set_cookie(LOGIN_CSRF, &csrf, 3600, true, over_tls(headers));
    response.headers_mut().append(k, v);
    response
}

pub(super) async fn login_form(
    UiLang(tr): UiLang,
    headers: HeaderMap,
    Query(q): Query<LoginQuery>,
    viewer: Option<Viewer>,
) -> Response {
    if viewer.is_some() {
        return Redirect::to("/").into_response();
    }
    let notice = if q.ended.is_some() {
        Some(tr.t("login-session-ended"))
    } else {
        q.out.is_some().then(|| tr.t("login-logged-out"))
    };
    login_page(tr, &headers, StatusCode::OK, String::new(), None, notice)
}

#[derive(Deserialize)]
pub(super) struct LoginForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
}

pub(super) async fn login(
    State(app): State<App>,
    UiLang(tr): UiLang,
    crate::extract::ClientAddress(address): crate::extract::ClientAddress,
    headers: HeaderMap,
    axum::Form(form): axum::Form<LoginForm>,
) -> Response {
    let expected = cookie(&headers, LOGIN_CSRF).unwrap_or("");
    if expected.is_empty() || !same_secret(expected, &form.csrf) {
        return login_page(tr, &headers, StatusCode::FORBIDDEN, form.name, Some(tr.t("form-expired")), None);
    }
    match app.login_from(&form.name, &form.password, address).await {
        Ok(logged) => {
            let secure = over_tls(&headers);
            let mut response = Redirect::to("/").into_response();
            let h = response.headers_mut();
            let (k, v) = set_cookie(SESSION, logged.secret.expose(), SESSION_HOURS * 3600, true, secure);
            h.append(k, v);
            let (k, v) = set_cookie(LOGIN_CSRF, "", 0, true, secure);
            h.append(k, v);
            response
        }
        Err(AppError::BadCredentials) => login_page(
            tr,
            &headers,
            StatusCode::UNAUTHORIZED,
            form.name,
            Some(tr.t("login-bad-credentials")),
            None,
        ),
        Err(AppError::LockedOut { until }) => {
            let time = until.format("%H:%M:%S").to_string();
            let error = tr.t_args("login-locked", &[("time", time.into())]);
            login_page(tr, &headers, StatusCode::TOO_MANY_REQUESTS, form.name, Some(error), None)
        }
        Err(e) => error_page(tr, None, &e),
    }
}

pub(super) async fn logout(
    State(app): State<App>,
    headers: HeaderMap,
    Guarded { viewer, .. }: Guarded<()>,
) -> Response {
    let secret = cookie(&headers, SESSION).unwrap_or("");
    if let Err(e) = app.logout(&viewer.actor, secret).await {
        return error_page(viewer.tr, Bar::of(&viewer), &e);
    }
    let mut response = Redirect::to("/login?out=1").into_response();
    let (k, v) = set_cookie(SESSION, "", 0, true, over_tls(&headers));
    response.headers_mut().append(k, v);
    response
}

#[derive(Deserialize)]
pub(super) struct LangQuery {
    #[serde(default)]
    next: Option<String>,
}

/// Remember a language and go back where the user was (only to a path of this site).
pub(super) async fn switch_lang(
    Path(code): Path<String>,
    headers: HeaderMap,
    Query(q): Query<LangQuery>,
) -> Response {
    let next = q.next.filter(|n| same_site_path(n)).unwrap_or_else(|| "/".into());
    let Some(lang) = Lang::from_code(&code) else {
        return Redirect::to(&next).into_response();
    };
    let mut response = Redirect::to(&next).into_response();
    // A year; readable by scripts is harmless for a language, but nothing needs it.
    let (k, v) = set_cookie(LANG, lang.code(), 365 * 24 * 3600, true, over_tls(&headers));
    response.headers_mut().append(k, v);
    response
}

/// A file of `static/`, compiled in, cached by browsers for an hour.
pub(super) fn asset(content_type: &'static str, body: &'static str) -> Response {
    let headers = [
        (CONTENT_TYPE, HeaderValue::from_static(content_type)),
        (CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600")),
    ];
    (headers, body).into_response()
}

pub(super) async fn stylesheet() -> Response {
    asset("text/css; charset=utf-8", include_str!("../../static/app.css"))
}

pub(super) async fn count_script() -> Response {
    asset("text/javascript; charset=utf-8", include_str!("../../static/count.js"))
}

pub(super) async fn counter_script() -> Response {
    asset("text/javascript; charset=utf-8", include_str!("../../static/counter.js"))
}

/// WCAG 2.x AA contrast of the stylesheet and the charts: every rule that sets both a text colour
/// and a background, and the text colours that sit on the page's backgrounds, reach 4.5:1; chart
/// bars reach 3:1 on white (non-text contrast).
#[cfg(test)]
mod contrast {
    use std::collections::BTreeMap;

    const CSS: &str = include_str!("../../static/app.css");

    fn rgb(hex: &str) -> [f64; 3] {
        let hex = hex.trim().trim_start_matches('#');
        let hex = if hex.len() == 3 { hex.chars().flat_map(|c| [c, c]).collect() } else { hex.to_string() };
        let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).unwrap();
        [channel(0), channel(2), channel(4)].map(|c| {
            let c = f64::from(c) / 255.0;
            if c <= 0.040_45 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
        })
    }

    /// The WCAG contrast ratio of two colours.
    fn ratio(a: &str, b: &str) -> f64 {
        let lum = |c: [f64; 3]| 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
        let (x, y) = (lum(rgb(a)), lum(rgb(b)));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    }

    fn variables() -> BTreeMap<String, String> {
        let root = CSS.split(":root {").nth(1).unwrap().split('}').next().unwrap();
        root.split(';')
            .filter_map(|d| d.trim().strip_prefix("--")?.split_once(':'))
            .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
            .collect()
    }

    fn resolve(value: &str, vars: &BTreeMap<String, String>) -> Option<String> {
        let value = value.trim();
        match value.strip_prefix("var(--").and_then(|v| v.strip_suffix(')')) {
            Some(name) => vars.get(name).cloned(),
            None => value.starts_with('#').then(|| value.to_string()),
        }
    }

    #[test]
    fn the_formula_matches_known_ratios() {
        assert!((ratio("#000000", "#ffffff") - 21.0).abs() < 0.01);
        assert!((ratio("#777777", "#ffffff") - 4.48).abs() < 0.01);
    }

    #[test]
    fn every_colour_pair_passes_wcag_aa() {
        let vars = variables();
        let mut failures = Vec::new();
        let mut checked = 0;
        // Rules that set both: `selector { … color: X; … background: Y; … }` (not the print sheet).
        let screen = CSS.split("@media print").next().unwrap();
        for block in screen.split('}') {
            let Some((selector, body)) = block.split_once('{') else { continue };
            let get = |prop: &str| {
                body.split(';').find_map(|d| {
                    let (k, v) = d.split_once(':')?;
                    (k.trim() == prop).then(|| resolve(v, &vars)).flatten()
                })
            };
            if let (Some(fg), Some(bg)) =
                (get("color"), get("background").or_else(|| get("background-color")))
            {
                checked += 1;
                if ratio(&fg, &bg) < 4.5 {
                    failures.push(format!("{}: {fg} on {bg} = {:.2}", selector.trim(), ratio(&fg, &bg)));
                }
            }
        }
        // Text colours on the page's backgrounds.
        for fg in ["ink", "muted", "accent", "error", "brand"] {
            for bg in ["paper", "wash"] {
                checked += 1;
                let (f, b) = (&vars[fg], &vars[bg]);
                if ratio(f, b) < 4.5 {
                    failures.push(format!("--{fg} on --{bg} = {:.2}", ratio(f, b)));
                }
            }
        }
        // Chart bars (non-text, 3:1) and chart text (4.5:1) on white.
        for (what, colour, min) in [
            ("entries", crate::ui::dashboard::ENTRY_COLOUR, 3.0),
            ("exits", crate::ui::dashboard::EXIT_COLOUR, 3.0),
            ("chart text", "#4a5360", 4.5),
        ] {
            checked += 1;
            if ratio(colour, "#ffffff") < min {
                failures.push(format!("{what}: {colour} = {:.2}", ratio(colour, "#ffffff")));
            }
        }
        assert!(checked >= 15, "only {checked} pairs found: has the stylesheet changed shape?");
        assert!(failures.is_empty(), "below WCAG AA: {failures:?}");
    }
}
