//! The JSON API and the browser pages, request by request, against a whole node with its own
//! fresh database.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use frontera_app::App;
use frontera_app::users::NewUser;
use frontera_domain::access::Actor;
use frontera_domain::{CountryCode, PortRegistry};
use serde_json::{Value, json};
use tower::ServiceExt;

#[path = "api/security.rs"]
mod security;

fn console() -> Actor {
    Actor::console("test", CountryCode::BLZ)
}

/// A user without a password.
fn new_user(name: &str, role: &str, country: &str, port: Option<&str>) -> NewUser {
    NewUser {
        name: name.into(),
        role: role.into(),
        country: country.into(),
        port: port.map(String::from),
        organisation: None,
        password: None,
    }
}

struct Node {
    router: axum::Router,
    app: App,
    /// The node's store, to check what the API wrote.
    store: std::sync::Arc<dyn frontera_store::Store>,
    _dir: tempfile::TempDir,
}

impl Node {
    async fn new() -> Node {
        let dir = tempfile::tempdir().unwrap();
        let store =
            frontera_store::open(&format!("sqlite:{}", dir.path().join("n.db").display())).await.unwrap();
        let app = App::new(store.clone(), PortRegistry::builtin(), "node-api-test");
        Node { router: frontera_web::router(app.clone()), app, store, _dir: dir }
    }

    async fn token(&self, name: &str, role: &str, country: &str, port: Option<&str>) -> String {
        let new = new_user(name, role, country, port);
        self.app.add_user(&console(), &new, true).await.unwrap().1.unwrap().expose().to_string()
    }

    /// A request with a raw body; the answer's status, headers and bytes.
    async fn raw(
        &self,
        method: &str,
        uri: &str,
        token: &str,
        body: Option<(&str, Vec<u8>)>,
    ) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
        let req = Request::builder()
            .method(method)
            .uri(uri)
            .header(header::AUTHORIZATION, format!("Bearer {token}"));
        let req = match body {
            Some((content_type, bytes)) => {
                req.header(header::CONTENT_TYPE, content_type).body(Body::from(bytes))
            }
            None => req.body(Body::empty()),
        }
        .unwrap();
        let res = self.router.clone().oneshot(req).await.unwrap();
        let (status, headers) = (res.status(), res.headers().clone());
        let bytes = axum::body::to_bytes(res.into_body(), 20 << 20).await.unwrap();
        (status, headers, bytes.to_vec())
    }

    async fn call(
        &self,
        method: &str,
        uri: &str,
        token: Option<&str>,
        body: Option<Value>,
        lang: Option<&str>,
    ) -> (StatusCode, Value) {
        let mut req = Request::builder().method(method).uri(uri);
        if let Some(t) = token {
            req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        if let Some(l) = lang {
            req = req.header(header::ACCEPT_LANGUAGE, l);
        }
        let req = match body {
            Some(b) => req.header(header::CONTENT_TYPE, "application/json").body(Body::from(b.to_string())),
            None => req.body(Body::empty()),
        }
        .unwrap();
        let res = self.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let bytes = axum::body::to_bytes(res.into_body(), 10 << 20).await.unwrap();
        let value = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes).unwrap_or(Value::Null)
        };
        (status, value)
    }

    async fn post(&self, uri: &str, token: &str, body: Value) -> (StatusCode, Value) {
        self.call("POST", uri, Some(token), Some(body), None).await
    }

    async fn get(&self, uri: &str, token: &str) -> (StatusCode, Value) {
        self.call("GET", uri, Some(token), None, None).await
    }

    /// GET something that is not JSON (a CSV), as text.
    async fn get_text(&self, uri: &str, token: &str) -> (StatusCode, String) {
        let req = Request::builder()
            .uri(uri)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap();
        let res = self.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let bytes = axum::body::to_bytes(res.into_body(), 10 << 20).await.unwrap();
        (status, String::from_utf8(bytes.to_vec()).unwrap())
    }

    /// POST a body as it is (a file), not as JSON.
    async fn post_text(&self, uri: &str, token: &str, text: &str) -> (StatusCode, Value) {
        let req = Request::builder()
            .method("POST")
            .uri(uri)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "text/csv")
            .body(Body::from(text.to_string()))
            .unwrap();
        let res = self.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let bytes = axum::body::to_bytes(res.into_body(), 10 << 20).await.unwrap();
        (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
    }
}

const TD3: [&str; 2] =
    ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"];

fn mrz_crossing(port: &str) -> Value {
    json!({"port_id": port, "direction": "entry", "category": "visitor", "mrz": TD3})
}

fn typed_crossing() -> Value {
    json!({
        "port_id": "mx-subteniente-lopez", "direction": "entry", "category": "regional_visitor",
        "permitted_stay_days": 3, "purpose": "shopping", "transport_mode": "car",
        "document": {"kind": "border_card", "number": "R123456789", "issuing_state": "MEX", "expiry_date": "2028-12-31"},
        "person": {"given_names": "Marisol", "first_surname": "Pech", "second_surname": "Magaña", "sex": "F",
                   "birth_date": "1991-06", "nationality": "BLZ"}
    })
}

fn error_of(body: &Value) -> (String, String) {
    (
        body["error"]["code"].as_str().unwrap_or("").into(),
        body["error"]["field"].as_str().unwrap_or("").into(),
    )
}

#[tokio::test]
async fn the_node_answers_health_and_lists_its_ports_without_a_token() {
    let node = Node::new().await;
    let (status, body) = node.call("GET", "/healthz", None, None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["engine"], "sqlite");
    let (status, body) = node.call("GET", "/api/v1/ports", None, None, None).await;
    assert_eq!(status, StatusCode::OK);
    let santa_elena = body["ports"].as_array().unwrap().iter().find(|p| p["id"] == "bz-santa-elena").unwrap();
    assert_eq!(santa_elena["country"], "BLZ");
    assert_eq!(santa_elena["kind"], "land");
    assert_eq!(santa_elena["time_zone"], "America/Belize");
    assert!(santa_elena["name"].as_str().unwrap().contains("Santa Elena"));
}

#[tokio::test]
async fn an_officer_records_from_the_mrz_and_a_resend_is_the_same_record() {
    let node = Node::new().await;
    let officer = node.token("ana.bz", "officer", "BLZ", Some("bz-santa-elena")).await;
    let mut body = mrz_crossing("bz-santa-elena");
    body["id"] = json!(uuid::Uuid::now_v7());
    let (status, first) = node.post("/api/v1/crossings", &officer, body.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    assert_eq!(first["document"]["number"], "L898902C3");
    assert_eq!(first["document"]["mrz_format"], "TD3");
    assert_eq!(first["person"]["first_surname"], "ERIKSSON");
    assert_eq!(first["person"]["birth_date"], "1974-08-12");
    assert!(first["person_id"].is_string());
    let id = uuid::Uuid::parse_str(first["id"].as_str().unwrap()).unwrap();
    assert_eq!(id.get_version_num(), 7);

    let (status, again) = node.post("/api/v1/crossings", &officer, body.clone()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(again, first);
    body["category"] = json!("transit");
    let (status, conflict) = node.post("/api/v1/crossings", &officer, body).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(error_of(&conflict).0, "conflict");
}

#[tokio::test]
async fn every_mrz_format_records_a_crossing() {
    let node = Node::new().await;
    let officer = node.token("ana.bz", "officer", "BLZ", None).await;
    let digit = |s: &str| frontera_domain::mrz::check_digit(s.as_bytes());
    let mrv_b_line2 = format!(
        "L8988901C{}XXX400907{}F961210{}<<<<<<<<",
        digit("L8988901C"),
        digit("400907"),
        digit("961210")
    );
    let zones: Vec<(Vec<String>, &str, &str)> = vec![
        (TD3.iter().map(|l| l.to_string()).collect(), "TD3", "passport"),
        (
            vec![
                "I<UTOD231458907<<<<<<<<<<<<<<<".into(),
                "7408122F1204159UTO<<<<<<<<<<<6".into(),
                "ERIKSSON<<ANNA<MARIA<<<<<<<<<<".into(),
            ],
            "TD1",
            "id_card",
        ),
        (
            vec![
                "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<".into(),
                "D231458907UTO7408122F1204159<<<<<<<6".into(),
            ],
            "TD2",
            "id_card",
        ),
        (
            vec![
                "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<".into(),
                "L8988901C4XXX4009078F96121096ZE184226B<<<<<<".into(),
            ],
            "MRV-A",
            "visa",
        ),
        (vec!["V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<".into(), mrv_b_line2], "MRV-B", "visa"),
    ];
    for (lines, format, kind) in zones {
        let body =
            json!({"port_id": "bz-santa-elena", "direction": "entry", "category": "visitor", "mrz": lines});
        let (status, c) = node.post("/api/v1/crossings", &officer, body).await;
        assert_eq!(status, StatusCode::CREATED, "{format}: {c}");
        assert_eq!(c["document"]["mrz_format"], format);
        assert_eq!(c["document"]["kind"], kind);
        assert_eq!(c["person"]["first_surname"], "ERIKSSON");
    }
}

#[tokio::test]
async fn a_document_without_mrz_is_recorded_from_typed_fields() {
    let node = Node::new().await;
    let officer = node.token("luis.mx", "officer", "MEX", None).await;
    let (status, c) = node.post("/api/v1/crossings", &officer, typed_crossing()).await;
    assert_eq!(status, StatusCode::CREATED, "{c}");
    assert_eq!(c["person"]["second_surname"], "Magaña");
    assert_eq!(c["permitted_stay_days"], 3);
    assert_eq!(c["country"], "MEX");
    // Screened against no list at all: the outcome is kept all the same.
    assert_eq!(c["screening"]["entries"], 0);
    assert_eq!(c["screening"]["hits"], json!([]));
    let (status, got) = node.get(&format!("/api/v1/crossings/{}", c["id"].as_str().unwrap()), &officer).await;
    assert_eq!(status, StatusCode::OK);
    let mut recorded = c.clone();
    recorded.as_object_mut().unwrap().remove("screening");
    assert_eq!(got, recorded);
    let (status, history) =
        node.get(&format!("/api/v1/persons/{}/crossings", c["person_id"].as_str().unwrap()), &officer).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(history["crossings"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn each_bad_input_gets_a_422_naming_its_field_and_rule() {
    let node = Node::new().await;
    let officer = node.token("ana.bz", "officer", "BLZ", None).await;
    let cases: Vec<(Value, &str, &str)> = vec![
        (
            json!({"port_id": "bz-santa-elena", "direction": "entry", "category": "visitor", "mrz": ["NOT AN MRZ"]}),
            "not_an_mrz",
            "mrz",
        ),
        (
            json!({"port_id": "bz-santa-elena", "direction": "entry", "category": "visitor",
                "mrz": ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C37UTO7408122F1204159ZE184226B<<<<<10"]}),
            "check_digit",
            "mrz",
        ),
        (mrz_crossing("bz-atlantis"), "unknown_port", "port_id"),
        (
            {
                let mut b = typed_crossing();
                b["port_id"] = json!("bz-santa-elena");
                b["person"]["birth_date"] = json!("2099-01-01");
                b
            },
            "in_future",
            "person.birth_date",
        ),
        (
            {
                let mut b = typed_crossing();
                b["port_id"] = json!("bz-santa-elena");
                b["document"]["expiry_date"] = json!("1980-01-01");
                b
            },
            "expiry_before_birth",
            "document.expiry_date",
        ),
        (
            {
                let mut b = mrz_crossing("bz-santa-elena");
                b["permitted_stay_days"] = json!("thirty");
                b
            },
            "syntax",
            "permitted_stay_days",
        ),
        (
            {
                let mut b = mrz_crossing("bz-santa-elena");
                b["direction"] = json!("sideways");
                b
            },
            "one_of",
            "direction",
        ),
        (
            {
                let mut b = mrz_crossing("bz-santa-elena");
                b["id"] = json!("12");
                b
            },
            "not_a_uuid",
            "id",
        ),
        (
            {
                let mut b = mrz_crossing("bz-santa-elena");
                b["colour"] = json!("red");
                b
            },
            "syntax",
            "colour",
        ),
    ];
    for (body, code, field) in cases {
        let (status, err) = node.post("/api/v1/crossings", &officer, body.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body} → {err}");
        assert_eq!(error_of(&err), (code.to_string(), field.to_string()), "{body} → {err}");
        assert!(!err["error"]["message"].as_str().unwrap().is_empty());
    }
    let (_, list) = node.get("/api/v1/crossings", &officer).await;
    assert_eq!(list["crossings"].as_array().unwrap().len(), 0, "nothing was stored");
    let (status, err) = node.get("/api/v1/crossings?limit=lots", &officer).await;
    assert_eq!((status, error_of(&err).1.as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "limit"));
    let (status, err) = node.get("/api/v1/crossings/not-a-uuid", &officer).await;
    assert_eq!(
        (status, error_of(&err)),
        (StatusCode::UNPROCESSABLE_ENTITY, ("not_a_uuid".into(), "id".into()))
    );
}

#[tokio::test]
async fn errors_speak_spanish_when_asked() {
    let node = Node::new().await;
    let officer = node.token("ana.bz", "officer", "BLZ", None).await;
    let (status, err) = node
        .call(
            "POST",
            "/api/v1/crossings",
            Some(&officer),
            Some(mrz_crossing("bz-atlantis")),
            Some("es-MX,es;q=0.9"),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(err["error"]["message"].as_str().unwrap().contains("no es un puerto"), "{err}");
    let (_, err) = node.call("GET", "/api/v1/crossings", None, None, Some("es")).await;
    assert!(err["error"]["message"].as_str().unwrap().contains("token"), "{err}");
    let garbage =
        json!({"port_id": "bz-santa-elena", "direction": "entry", "category": "visitor", "mrz": ["P<UTO"]});
    let (status, err) =
        node.call("POST", "/api/v1/crossings", Some(&officer), Some(garbage), Some("es")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let message = err["error"]["message"].as_str().unwrap();
    assert!(message.contains("no es una zona de lectura mecánica: una línea de 5 caracteres"), "{err}");
}

#[tokio::test]
async fn tokens_and_scopes_guard_every_record() {
    let node = Node::new().await;
    let bz = node.token("ana.bz", "officer", "BLZ", None).await;
    let mx = node.token("luis.mx", "officer", "MEX", None).await;
    let (status, _) = node.call("GET", "/api/v1/crossings", None, None, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = node.get("/api/v1/crossings", "frt_0000").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let (_, c) = node.post("/api/v1/crossings", &bz, mrz_crossing("bz-santa-elena")).await;
    let id = c["id"].as_str().unwrap();
    let (status, err) = node.post("/api/v1/crossings", &mx, mrz_crossing("bz-santa-elena")).await;
    assert_eq!((status, error_of(&err).0.as_str()), (StatusCode::FORBIDDEN, "forbidden"));
    // The other country's records are answered as absent ones: their ids are no oracle.
    let (status, _) = node.get(&format!("/api/v1/crossings/{id}"), &mx).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) =
        node.get(&format!("/api/v1/persons/{}/crossings", c["person_id"].as_str().unwrap()), &mx).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = node.get("/api/v1/crossings?port=bz-santa-elena", &mx).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = node.get(&format!("/api/v1/crossings/{}", uuid::Uuid::now_v7()), &bz).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn every_role_sees_exactly_what_it_may() {
    let node = Node::new().await;
    let officer = node.token("ana.bz", "officer", "BLZ", None).await;
    let (_, c) = node.post("/api/v1/crossings", &officer, mrz_crossing("bz-santa-elena")).await;
    let id = c["id"].as_str().unwrap();
    // (role, country, sees the crossing, sees names)
    let expectations = [
        ("officer", "BLZ", true, true),
        ("supervisor", "BLZ", true, true),
        ("protection", "BLZ", true, true),
        ("admin", "BLZ", true, true),
        ("analyst", "BLZ", true, false),
        ("liaison", "BLZ", false, false),
        ("liaison", "MEX", false, false),
        ("registrar", "BLZ", false, false),
        ("provider", "BLZ", false, false),
        ("auditor", "BLZ", false, false),
        ("officer", "MEX", false, false),
        ("analyst", "MEX", false, false),
        ("admin", "MEX", false, false),
    ];
    for (i, (role, country, sees, names)) in expectations.into_iter().enumerate() {
        let token = node.token(&format!("user{i}"), role, country, None).await;
        let (status, one) = node.get(&format!("/api/v1/crossings/{id}"), &token).await;
        let (list_status, list) = node.get("/api/v1/crossings", &token).await;
        let listed = list["crossings"].as_array().map(|a| a.len()).unwrap_or(0);
        if sees {
            assert_eq!(status, StatusCode::OK, "{role} of {country}");
            assert_eq!(listed, 1, "{role} of {country}");
            let text = format!("{one}{list}");
            assert_eq!(text.contains("ERIKSSON"), names, "{role} of {country}: {text}");
            assert_eq!(text.contains("L898902C3"), names, "{role} of {country}");
        } else {
            // Refused to the role, or, to a role that reads crossings, absent from its country.
            assert!(matches!(status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND), "{role} of {country}");
            assert!(list_status == StatusCode::FORBIDDEN || listed == 0, "{role} of {country}: {list}");
        }
    }
}

#[tokio::test]
async fn searches_filter_and_page() {
    let node = Node::new().await;
    let officer = node.token("ana.bz", "officer", "BLZ", None).await;
    for minutes in 0..7 {
        let mut body = mrz_crossing("bz-santa-elena");
        body["occurred_at"] = json!(format!("2026-03-02T1{}:00:00Z", minutes));
        if minutes % 2 == 1 {
            body["direction"] = json!("exit");
        }
        let (status, _) = node.post("/api/v1/crossings", &officer, body).await;
        assert_eq!(status, StatusCode::CREATED);
    }
    let (_, page) = node.get("/api/v1/crossings?direction=entry&limit=3", &officer).await;
    assert_eq!(page["crossings"].as_array().unwrap().len(), 3);
    let cursor = page["next_cursor"].as_str().unwrap();
    let (_, rest) =
        node.get(&format!("/api/v1/crossings?direction=entry&limit=3&cursor={cursor}"), &officer).await;
    assert_eq!(rest["crossings"].as_array().unwrap().len(), 1);
    assert!(rest.get("next_cursor").is_none());
    let (_, window) = node
        .get("/api/v1/crossings?from=2026-03-02T12:00:00Z&to=2026-03-02T15:00:00Z&nationality=UTO", &officer)
        .await;
    assert_eq!(window["crossings"].as_array().unwrap().len(), 3);
    let (_, none) = node.get("/api/v1/crossings?category=transit", &officer).await;
    assert_eq!(none["crossings"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn the_mrz_endpoint_parses_and_names_failed_checks() {
    let node = Node::new().await;
    let officer = node.token("ana.bz", "officer", "BLZ", None).await;
    let (status, ok) = node.post("/api/v1/mrz/parse", &officer, json!({"lines": TD3})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!((ok["valid"].as_bool(), ok["format"].as_str()), (Some(true), Some("TD3")));
    let bad =
        ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204158ZE184226B<<<<<10"];
    let (_, failed) = node.post("/api/v1/mrz/parse", &officer, json!({"lines": bad})).await;
    assert_eq!(failed["valid"], false);
    assert_eq!(failed["failed_checks"], json!(["expiry_date", "composite"]));
    let (status, _) = node.post("/api/v1/mrz/parse", &officer, json!({"lines": ["hello"]})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

/// The API's routes as `api/mod.rs` declares them: (method, path).
fn declared_routes() -> std::collections::BTreeSet<(String, String)> {
    let src = include_str!("../src/api/mod.rs");
    let mut routes = std::collections::BTreeSet::new();
    for chunk in src.split(".route(").skip(1) {
        let path = chunk.split('"').nth(1).unwrap();
        for method in ["get", "post", "put", "delete", "patch"] {
            let call = format!("{method}(");
            let declared = chunk.match_indices(&call).any(|(i, _)| {
                let before = &chunk[..i];
                before.ends_with("routing::")
                    || before.chars().last().is_some_and(|c| !c.is_alphanumeric() && c != '_' && c != ':')
            });
            if declared {
                routes.insert((method.to_uppercase(), path.to_string()));
            }
        }
    }
    routes
}

#[tokio::test]
async fn every_route_is_documented_and_every_documented_operation_is_routed() {
    let document: Value = serde_json::from_str(&frontera_web::openapi::document()).unwrap();
    let mut documented = std::collections::BTreeSet::new();
    for (path, operations) in document["paths"].as_object().unwrap() {
        for (method, operation) in operations.as_object().unwrap() {
            documented.insert((method.to_uppercase(), path.clone()));
            // Every success answer says what it holds, so that clients can generate types.
            for (code, response) in operation["responses"].as_object().unwrap() {
                if code.starts_with('2') {
                    let typed = response["content"]
                        .as_object()
                        .is_some_and(|c| !c.is_empty() && c.values().all(|m| m.get("schema").is_some()));
                    assert!(typed, "{method} {path} answers {code} without a schema");
                }
            }
        }
    }
    let mut declared = declared_routes();
    // The document does not describe itself.
    assert!(declared.remove(&("GET".to_string(), "/api/v1/openapi.json".to_string())));
    assert!(declared.len() > 80, "the routes were read: {declared:?}");
    let undocumented: Vec<_> = declared.difference(&documented).collect();
    assert!(undocumented.is_empty(), "routes missing from the OpenAPI document: {undocumented:?}");
    let unrouted: Vec<_> = documented.difference(&declared).collect();
    assert!(unrouted.is_empty(), "documented operations with no route: {unrouted:?}");
    // And the router answers each documented operation (without a token: never 404 or 405).
    let node = Node::new().await;
    let id = uuid::Uuid::now_v7().to_string();
    for (method, path) in &documented {
        let uri: String = path
            .split('/')
            .map(|seg| if seg.starts_with('{') { id.as_str() } else { seg })
            .collect::<Vec<_>>()
            .join("/");
        let body = (method != "GET").then(|| json!({}));
        let (status, _) = node.call(method, &uri, None, body, None).await;
        assert!(
            status != StatusCode::NOT_FOUND && status != StatusCode::METHOD_NOT_ALLOWED,
            "{method} {path} is documented but answered {status}"
        );
    }
}

#[tokio::test]
async fn the_committed_openapi_document_matches_the_code() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("openapi.json");
    let generated = frontera_web::openapi::document();
    if std::env::var_os("FRONTERA_BLESS").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "crates/web/openapi.json is out of date; regenerate it with FRONTERA_BLESS=1 cargo test -p frontera-web"
    );
    let node = Node::new().await;
    let (status, served) = node.call("GET", "/api/v1/openapi.json", None, None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(served, serde_json::from_str::<Value>(&committed).unwrap());
    for path in [
        "/api/v1/crossings",
        "/api/v1/crossings/{id}",
        "/api/v1/persons/{id}/crossings",
        "/api/v1/mrz/parse",
        "/api/v1/ports",
        "/healthz",
    ] {
        assert!(served["paths"].get(path).is_some(), "{path} is documented");
    }
}

/// A browser: keeps cookies between requests and follows nothing by itself.
struct Browser<'n> {
    node: &'n Node,
    cookies: std::collections::BTreeMap<String, String>,
    lang: &'static str,
}

struct Page {
    status: StatusCode,
    location: Option<String>,
    set_cookies: Vec<String>,
    html: String,
}

impl<'n> Browser<'n> {
    fn new(node: &'n Node, lang: &'static str) -> Browser<'n> {
        Browser { node, cookies: Default::default(), lang }
    }

    async fn send(&mut self, method: &str, uri: &str, form: Option<&[(&str, &str)]>) -> Page {
        let body = form.map(|fields| {
            (
                "application/x-www-form-urlencoded".to_string(),
                serde_urlencoded::to_string(fields).unwrap().into_bytes(),
            )
        });
        self.exchange(method, uri, body).await
    }

    /// A form with a file, as `multipart/form-data`.
    async fn upload(&mut self, uri: &str, fields: &[(&str, &str)], file: (&str, &str, &[u8])) -> Page {
        let boundary = "frontera-test-boundary";
        let mut body = Vec::new();
        for (name, value) in fields {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                    .as_bytes(),
            );
        }
        let (name, content_type, bytes) = file;
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: {content_type}\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        self.exchange("POST", uri, Some((format!("multipart/form-data; boundary={boundary}"), body))).await
    }

    async fn exchange(&mut self, method: &str, uri: &str, body: Option<(String, Vec<u8>)>) -> Page {
        let mut req = Request::builder().method(method).uri(uri).header(header::ACCEPT_LANGUAGE, self.lang);
        if !self.cookies.is_empty() {
            let jar: Vec<String> = self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect();
            req = req.header(header::COOKIE, jar.join("; "));
        }
        let req = match body {
            Some((content_type, bytes)) => {
                req.header(header::CONTENT_TYPE, content_type).body(Body::from(bytes))
            }
            None => req.body(Body::empty()),
        }
        .unwrap();
        let res = self.node.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let location = res.headers().get(header::LOCATION).map(|v| v.to_str().unwrap().to_string());
        let set_cookies: Vec<String> = res
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .map(|v| v.to_str().unwrap().to_string())
            .collect();
        for c in &set_cookies {
            let pair = c.split(';').next().unwrap();
            let (k, v) = pair.split_once('=').unwrap();
            if v.is_empty() || c.contains("Max-Age=0") {
                self.cookies.remove(k);
            } else {
                self.cookies.insert(k.to_string(), v.to_string());
            }
        }
        let bytes = axum::body::to_bytes(res.into_body(), 10 << 20).await.unwrap();
        Page { status, location, set_cookies, html: String::from_utf8_lossy(&bytes).into_owned() }
    }

    async fn get(&mut self, uri: &str) -> Page {
        self.send("GET", uri, None).await
    }

    async fn post(&mut self, uri: &str, form: &[(&str, &str)]) -> Page {
        self.send("POST", uri, Some(form)).await
    }

    /// The value of the hidden field `name` of the page.
    fn hidden(page: &Page, name: &str) -> String {
        let needle = format!("name=\"{name}\" value=\"");
        let at = page.html.find(&needle).expect("the hidden field") + needle.len();
        page.html[at..].split('"').next().unwrap().to_string()
    }

    /// The value of the hidden `csrf` field of the page.
    fn csrf(page: &Page) -> String {
        let needle = "name=\"csrf\" value=\"";
        let at = page.html.find(needle).expect("a csrf field") + needle.len();
        page.html[at..at + 64].to_string()
    }

    async fn log_in(&mut self, name: &str, password: &str) -> Page {
        let form = self.get("/login").await;
        let csrf = Browser::csrf(&form);
        self.post("/login", &[("name", name), ("password", password), ("csrf", &csrf)]).await
    }
}

impl Node {
    async fn user_with_password(
        &self,
        name: &str,
        role: &str,
        country: &str,
        port: Option<&str>,
        password: &str,
    ) {
        let password = Some(frontera_app::login::Password::parse(password).unwrap());
        let new = NewUser { password, ..new_user(name, role, country, port) };
        self.app.add_user(&console(), &new, false).await.unwrap();
    }
}

#[tokio::test]
async fn an_officer_logs_in_in_spanish_sees_their_scope_and_logs_out() {
    let node = Node::new().await;
    node.user_with_password(
        "officer.mx",
        "officer",
        "MEX",
        Some("mx-subteniente-lopez"),
        "una frase muy larga",
    )
    .await;
    let mut browser = Browser::new(&node, "es-MX,es;q=0.9");

    let home = browser.get("/").await;
    assert_eq!((home.status, home.location.as_deref()), (StatusCode::SEE_OTHER, Some("/login")));
    let form = browser.get("/login").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.html.contains("<html lang=\"es\">") && form.html.contains("Iniciar sesión"));
    assert!(form.html.contains("<label for=\"password\">Contraseña</label>"), "every input has its label");

    let wrong = browser.log_in("officer.mx", "no es la contraseña").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.html.contains("El nombre de usuario o la contraseña no son correctos."));

    let ok = browser.log_in("officer.mx", "una frase muy larga").await;
    assert_eq!((ok.status, ok.location.as_deref()), (StatusCode::SEE_OTHER, Some("/")));
    let cookie = ok.set_cookies.iter().find(|c| c.starts_with("frontera_session=")).unwrap();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && !cookie.contains("Secure"));
    let home = browser.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.html.contains("Oficial de frontera") && home.html.contains("México"), "{}", home.html);
    assert!(home.html.contains("Subteniente López"));

    // The language switch is remembered over the browser's preference.
    let switched = browser.get("/lang/en?next=/").await;
    assert_eq!(switched.location.as_deref(), Some("/"));
    let home = browser.get("/").await;
    assert!(home.html.contains("Border officer") && home.html.contains("Mexico"));
    let away = browser.get("/lang/es?next=//evil.example").await;
    assert_eq!(away.location.as_deref(), Some("/"), "only paths of this site");

    // Logging out needs the session's CSRF token.
    let forged = browser.post("/logout", &[("csrf", "0".repeat(64).as_str())]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    // Every page's form is guarded the same way: without the token nothing is done, and the
    // expired-form page leads back.
    for uri in [
        "/protection/cases",
        "/protection/cases/x/note",
        "/notifications/read",
        "/admin/users",
        "/alerts/lists",
        "/hits/x",
        "/informal/do/point",
        "/labour/do/worker",
    ] {
        let forged = browser.post(uri, &[("csrf", "0".repeat(64).as_str()), ("given_names", "Eve")]).await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN, "{uri}");
        assert!(forged.html.contains("href=\"/\""), "{uri}: a way back");
    }
    let csrf = Browser::csrf(&home);
    let out = browser.post("/logout", &[("csrf", &csrf)]).await;
    assert_eq!(out.location.as_deref(), Some("/login?out=1"));
    assert_eq!(browser.get("/").await.location.as_deref(), Some("/login"));

    let actions: Vec<String> =
        node.store.audit_events(0, 100).await.unwrap().into_iter().map(|e| e.action).collect();
    for expected in ["user.login_failed", "user.login", "user.logout"] {
        assert!(actions.iter().any(|a| a == expected), "{expected} in {actions:?}");
    }
}

#[tokio::test]
async fn a_login_without_the_forms_token_is_refused_and_five_failures_make_the_next_attempt_wait() {
    let node = Node::new().await;
    node.user_with_password("officer.bz", "officer", "BLZ", Some("bz-santa-elena"), "a long pass phrase")
        .await;
    let mut browser = Browser::new(&node, "en");
    let forged = browser.post("/login", &[("name", "officer.bz"), ("password", "a long pass phrase")]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(forged.html.contains("did not come from this site"));
    assert!(forged.set_cookies.iter().all(|c| !c.starts_with("frontera_session=")));

    for _ in 0..4 {
        assert_eq!(browser.log_in("officer.bz", "guess guess guess").await.status, StatusCode::UNAUTHORIZED);
    }
    let locked = browser.log_in("officer.bz", "guess guess guess").await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(locked.html.contains("Try again after"), "{}", locked.html);
    let still = browser.log_in("officer.bz", "a long pass phrase").await;
    assert_eq!(still.status, StatusCode::TOO_MANY_REQUESTS);

    // Pages carry headers that keep them out of frames and caches.
    let page = browser.get("/login").await;
    assert!(page.html.contains("href=\"/static/app.css\""));
    let css = browser.get("/static/app.css").await;
    assert!(css.status == StatusCode::OK && css.html.contains(":focus-visible"));
}

const SPECIMEN: &str =
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";

#[tokio::test]
async fn at_the_counter_an_officer_reads_a_passport_records_the_entry_and_sees_it_next_time() {
    let node = Node::new().await;
    node.user_with_password("officer.bz", "officer", "BLZ", Some("bz-santa-elena"), "a long pass phrase")
        .await;
    let mut browser = Browser::new(&node, "en");
    browser.log_in("officer.bz", "a long pass phrase").await;
    let counter = browser.get("/counter").await;
    assert_eq!(counter.status, StatusCode::OK);
    assert!(counter.html.contains("<label for=\"mrz\">") && counter.html.contains("Santa Elena"));
    let csrf = Browser::csrf(&counter);

    // A misread composite digit is shown and explained; nothing is stored by reading.
    let misread = SPECIMEN.replace("<<<<<10", "<<<<<11");
    let read = browser.post("/counter", &[("csrf", &csrf), ("action", "read"), ("mrz", &misread)]).await;
    assert_eq!(read.status, StatusCode::OK);
    assert!(read.html.contains("The composite check digit does not match"), "{}", read.html);
    assert!(read.html.contains("fails its checks"));

    let read = browser.post("/counter", &[("csrf", &csrf), ("action", "read"), ("mrz", SPECIMEN)]).await;
    assert!(read.html.contains("All check digits match.") && read.html.contains("ERIKSSON"));
    assert!(read.html.contains("12 Aug 1974"), "dates in the reader's language");
    assert!(read.html.contains("This document expired on 15 Apr 2012."));
    assert!(read.html.contains("No previous crossings of this document"));
    assert!(read.html.contains("value=\"entry\" checked"), "a first crossing defaults to entry");

    let opened_at = Browser::hidden(&read, "opened_at");
    let form = [
        ("csrf", csrf.as_str()),
        ("opened_at", opened_at.as_str()),
        ("action", "record"),
        ("mrz", SPECIMEN),
        ("port_id", "bz-santa-elena"),
        ("direction", "entry"),
        ("category", "visitor"),
        ("purpose", "tourism"),
        ("transport_mode", "bus"),
        ("permitted_stay_days", "30"),
    ];
    let recorded = browser.post("/counter", &form).await;
    assert_eq!(recorded.status, StatusCode::OK, "{}", recorded.html);
    assert!(recorded.html.contains("Recorded: Entry of ANNA MARIA ERIKSSON"), "{}", recorded.html);
    assert_eq!(node.store.count_crossings(&Default::default()).await.unwrap(), 1);
    // From the crossing just recorded, the officer can identify the traveller for protection.
    assert!(
        recorded.html.contains("id=\"protection-link\"") && recorded.html.contains("/protection?crossing="),
        "{}",
        recorded.html
    );
    let query = frontera_store::CrossingQuery { limit: 10, ..Default::default() };
    let stored = node.store.search_crossings(&query, None).await.unwrap().crossings;
    let ms = stored[0].provenance.processing_ms.expect("the counter measured its processing time");
    assert!(ms < 60_000, "{ms} ms from opening the form to recording");

    // Next time the history shows the entry and suggests the exit, with the same details.
    let again = browser.post("/counter", &[("csrf", &csrf), ("action", "read"), ("mrz", SPECIMEN)]).await;
    assert!(again.html.contains("Previous crossings") && again.html.contains("<td>Entry</td>"));
    assert!(again.html.contains("value=\"exit\" checked"), "{}", again.html);
    assert!(again.html.contains("value=\"bus\" selected"));

    // A bad field is named, and what was typed stays.
    let bad = [
        ("permitted_stay_days", "400"),
        ("direction", "entry"),
        ("csrf", csrf.as_str()),
        ("action", "record"),
        ("mrz", SPECIMEN),
        ("category", "visitor"),
    ];
    let refused = browser.post("/counter", &bad).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.html.contains("permitted_stay_days"), "{}", refused.html);
    assert!(refused.html.contains("ERIKSSON"));
    assert_eq!(node.store.count_crossings(&Default::default()).await.unwrap(), 1);

    // Without the session's token, nothing is recorded.
    let mut forged = form;
    forged[0].1 = "forged";
    assert_eq!(browser.post("/counter", &forged).await.status, StatusCode::FORBIDDEN);
    assert_eq!(node.store.count_crossings(&Default::default()).await.unwrap(), 1);
}

#[tokio::test]
async fn an_analyst_is_refused_the_counter() {
    let node = Node::new().await;
    node.user_with_password("analyst.bz", "analyst", "BLZ", None, "a long pass phrase").await;
    let mut browser = Browser::new(&node, "es");
    browser.log_in("analyst.bz", "a long pass phrase").await;
    let counter = browser.get("/counter").await;
    assert_eq!(counter.status, StatusCode::FORBIDDEN);
    assert!(counter.html.contains("Su rol o su ámbito no le permiten ver esta página."));
}

/// The browser interface end to end in a real Chromium (`e2e/run.mjs`, driven by
/// playwright-core). Skipped, saying so, where Chromium, Node or `e2e/node_modules` is absent;
/// `.ci/run` installs all three.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_browser_interface_works_end_to_end_in_chromium() {
    let e2e = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../e2e");
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let node_ok =
        std::process::Command::new("node").arg("--version").output().is_ok_and(|o| o.status.success());
    if !std::path::Path::new(&chromium).exists()
        || !node_ok
        || !e2e.join("node_modules/playwright-core").exists()
    {
        eprintln!(
            "SKIPPED the_browser_interface_works_end_to_end_in_chromium: it needs Chromium at {chromium} \
             (or $CHROMIUM), Node, and `npm ci` in e2e/; .ci/run installs them"
        );
        return;
    }
    let node = Node::new().await;
    let password = "una frase de prueba larga";
    // Informal crossings first: the referral its demo opens is not news to the protection
    // officer, who comes later.
    let now = chrono::Utc::now();
    let today = now.with_timezone(&chrono_tz::America::Belize).date_naive();
    let options = frontera_app::demo::DemoOptions { days: 7, seed: 7, last_day: today, cutoff: Some(now) };
    node.user_with_password("enumerator.bz", "enumerator", "BLZ", None, password).await;
    node.user_with_password("enumerator.mx", "enumerator", "MEX", None, password).await;
    node.app.load_demo_informal(&console(), options).await.unwrap();
    node.user_with_password("officer.bz", "officer", "BLZ", Some("bz-santa-elena"), password).await;
    node.user_with_password("analyst.bz", "analyst", "BLZ", None, password).await;
    node.user_with_password("supervisor.bz", "supervisor", "BLZ", None, password).await;
    node.user_with_password("protection.bz", "protection", "BLZ", None, password).await;
    node.user_with_password("registrar.bz", "registrar", "BLZ", None, password).await;
    let directory = frontera_app::directory::read_hsds(HSDS, frontera_domain::CountryCode::BLZ).unwrap();
    node.app.save_directory(&console(), &directory, "e2e").await.unwrap();
    // A week of traffic up to now, so that the dashboard and its screenshots have something to show.
    let progress = std::sync::Arc::new(frontera_app::transfer::Silent);
    node.app.load_demo(&console(), options, progress).await.unwrap();
    node.app.load_demo_alerts(&console(), 7).await.unwrap();
    node.app.load_demo_labour(&console(), options).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let server = tokio::spawn(frontera_web::serve(node.app.clone(), listener));
    let shots = std::env::var("FRONTERA_SCREENSHOTS")
        .unwrap_or_else(|_| format!("{}/screenshots", env!("CARGO_TARGET_TMPDIR")));
    let output = tokio::task::spawn_blocking(move || {
        std::process::Command::new("node")
            .arg("run.mjs")
            .current_dir(e2e)
            .env("FRONTERA_URL", url)
            .env("FRONTERA_PASSWORD", password)
            .env("FRONTERA_SCREENSHOTS", shots)
            .env("CHROMIUM", chromium)
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    server.abort();
    let (out, err) = (String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "the browser run failed:\n{out}\n{err}");
    assert!(out.contains("all steps passed"), "{out}");
}

#[tokio::test]
async fn every_page_as_every_role_of_both_countries() {
    let node = Node::new().await;
    // Each country lists its traveller as wanted: their crossings hit their own country's list.
    for (country, list, surname) in [("BLZ", "bz-wanted", "Pech"), ("MEX", "mx-wanted", "Canul")] {
        let import = frontera_app::alerts::ListImport {
            list: list.into(),
            format: frontera_app::alerts::ListFormat::Csv,
            kind: None,
            threshold: None,
            source: None,
            country: Some(country.into()),
            lang: frontera_domain::Lang::En,
        };
        let csv = format!("reference,given_names,surnames\nW-{surname},Ana,{surname}\n");
        node.app.import_alert_list(&console(), &import, &csv).await.unwrap();
    }
    // A traveller of each country, each past a one-day permitted stay: an open overstay.
    let entered = (chrono::Utc::now() - chrono::Duration::days(3)).to_rfc3339();
    let mut persons = Vec::new();
    for (port, surname, number) in
        [("bz-santa-elena", "Pech", "BZ0001"), ("mx-subteniente-lopez", "Canul", "MX0001")]
    {
        let draft: frontera_domain::CrossingDraft = serde_json::from_value(json!({
            "port_id": port, "direction": "entry", "category": "visitor", "permitted_stay_days": 1,
            "occurred_at": entered,
            "document": {"kind": "passport", "number": number, "issuing_state": "GTM"},
            "person": {"given_names": "Ana", "first_surname": surname, "sex": "F", "nationality": "GTM"}
        }))
        .unwrap();
        let c = node.app.record_crossing(&console(), &draft).await.unwrap().crossing;
        persons.push(c.person_id);
    }
    let roles = frontera_domain::Role::NAMES;
    for (country, suffix, port) in [("BLZ", "bz", "bz-santa-elena"), ("MEX", "mx", "mx-subteniente-lopez")] {
        let (own, theirs) = if country == "BLZ" { ("Pech", "Canul") } else { ("Canul", "Pech") };
        let (own_person, their_person) =
            if country == "BLZ" { (persons[0], persons[1]) } else { (persons[1], persons[0]) };
        let other_country = if country == "BLZ" { "MEX" } else { "BLZ" };
        for role in roles {
            let name = format!("{role}.{suffix}");
            let port = (*role == "officer").then_some(port);
            node.user_with_password(&name, role, country, port, "a long pass phrase").await;
            let mut browser = Browser::new(&node, "en");
            let login = browser.log_in(&name, "a long pass phrase").await;
            assert_eq!(login.location.as_deref(), Some("/"), "{name} logs in");

            let home = browser.get("/").await;
            assert_eq!(home.status, StatusCode::OK, "{name}: home");
            assert!(home.html.contains(&format!("Signed in as {name}")), "{name}: home names the user");
            let own_name = if country == "BLZ" { "<dd>Belize</dd>" } else { "<dd>Mexico</dd>" };
            assert!(home.html.contains(own_name), "{name}: home shows the user's country");

            // Only officers and supervisors record crossings, and only at their country's ports.
            let counter = browser.get("/counter").await;
            let records = matches!(*role, "officer" | "supervisor");
            let expected = if records { StatusCode::OK } else { StatusCode::FORBIDDEN };
            assert_eq!(counter.status, expected, "{name}: counter");
            assert_eq!(
                home.html.contains("href=\"/counter\""),
                records,
                "{name}: the menu offers what the role may use"
            );
            if records {
                let own = if country == "BLZ" { "Santa Elena" } else { "Subteniente López" };
                let theirs = if country == "BLZ" { "Subteniente López" } else { "Santa Elena" };
                assert!(
                    counter.html.contains(own) && !counter.html.contains(theirs),
                    "{name}: own ports only"
                );
            }

            // Traveller history: those who read personal data, of their own country only.
            let personal = matches!(*role, "officer" | "supervisor" | "protection" | "admin");
            assert_eq!(
                home.html.contains("href=\"/travellers\""),
                personal,
                "{name}: travellers in the menu"
            );
            let search = browser.get("/travellers?name=ana").await;
            let expected = if personal { StatusCode::OK } else { StatusCode::FORBIDDEN };
            assert_eq!(search.status, expected, "{name}: traveller search");
            assert_eq!(search.html.contains(own), personal, "{name}: finds their country's traveller");
            assert!(!search.html.contains(theirs), "{name}: never the other country's traveller");
            let mine = browser.get(&format!("/travellers/{own_person}")).await;
            assert_eq!(mine.status, expected, "{name}: own traveller's history");
            assert_eq!(mine.html.contains(own), personal, "{name}: own traveller's name");
            let other = browser.get(&format!("/travellers/{their_person}")).await;
            assert!(
                matches!(other.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
                "{name}: the other country's traveller"
            );
            assert!(!other.html.contains(theirs), "{name}: no name of the other country");

            // The dashboard: every role that reads crossings, names of overstays for those who
            // read personal data; the other country's only for the binational group, unnamed.
            let counts =
                matches!(*role, "officer" | "supervisor" | "protection" | "admin" | "analyst" | "liaison");
            assert_eq!(home.html.contains("href=\"/dashboard\""), counts, "{name}: dashboard in the menu");
            // The labour registry's figures: aggregates, for the registrar and those who read
            // de-identified tables.
            let figures = browser.get("/labour/figures/permits.csv").await;
            let reads = matches!(
                *role,
                "registrar" | "admin" | "officer" | "supervisor" | "protection" | "analyst" | "liaison"
            );
            assert_eq!(
                figures.status,
                if reads { StatusCode::OK } else { StatusCode::FORBIDDEN },
                "{name}: labour figures"
            );
            if reads {
                assert!(figures.html.starts_with("kind,sector,region,count"), "{name}: {}", figures.html);
            }
            let dashboard = browser.get("/dashboard").await;
            let expected = if counts { StatusCode::OK } else { StatusCode::FORBIDDEN };
            assert_eq!(dashboard.status, expected, "{name}: dashboard");
            if counts {
                assert!(dashboard.html.contains("<svg class=\"chart\""), "{name}: charts");
                assert!(dashboard.html.contains("One traveller is past"), "{name}: the overstay counted");
                assert_eq!(dashboard.html.contains(own), personal, "{name}: overstay named");
                let processing = matches!(*role, "supervisor" | "admin" | "analyst" | "liaison");
                assert_eq!(
                    dashboard.html.contains("tile-median-week"),
                    processing,
                    "{name}: processing times"
                );
            }
            // The monthly bulletin: the same roles, their own country's, after disclosure
            // control and without a name; as a page and as a PDF.
            let month = chrono::Utc::now().format("%Y-%m").to_string();
            assert_eq!(home.html.contains("href=\"/bulletin\""), counts, "{name}: bulletin in the menu");
            let bulletin = browser.get(&format!("/bulletin?month={month}")).await;
            assert_eq!(bulletin.status, expected, "{name}: bulletin");
            if counts {
                assert!(bulletin.html.contains("Monthly migration bulletin"), "{name}: bulletin page");
                assert!(bulletin.html.contains("<svg class=\"chart\""), "{name}: bulletin charts");
                assert!(!bulletin.html.contains(own) && !bulletin.html.contains(theirs), "{name}: no names");
                let own_country = if country == "BLZ" { "Belize" } else { "Mexico" };
                assert!(bulletin.html.contains(own_country), "{name}: their country's bulletin");
            }
            // The analyst's screen: the same roles; a chart, the table and its downloads.
            assert_eq!(home.html.contains("href=\"/stats\""), counts, "{name}: statistics in the menu");
            let stats = browser.get("/stats?table=crossings&by=month&by=direction").await;
            assert_eq!(stats.status, expected, "{name}: statistics");
            if counts {
                assert!(
                    stats.html.contains("<svg class=\"chart\"") && stats.html.contains("id=\"stats-table\""),
                    "{name}: a chart and a table"
                );
                assert!(stats.html.contains("format=sdmx-csv"), "{name}: downloads");
            }
            if *role == "analyst" {
                let xlsx = browser.get("/stats/export?table=migrants&by=month&format=xlsx").await;
                assert_eq!(xlsx.status, StatusCode::OK, "{name}: a workbook");
                assert!(xlsx.html.starts_with("PK"), "{name}: a workbook is a zip");
                let bad = browser.get("/stats?table=crossings&by=colour").await;
                assert!(
                    bad.html.contains("id=\"stats-error\"") && bad.html.contains("by: "),
                    "{name}: the field is named"
                );
                let pdf = browser.get(&format!("/bulletin.pdf?month={month}")).await;
                assert_eq!(pdf.status, StatusCode::OK, "{name}: the PDF");
                assert!(pdf.html.starts_with("%PDF-"), "{name}: a PDF");
                let bad = browser.get("/bulletin?month=2026-13").await;
                assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}: a bad month");
                assert!(bad.html.contains("month"), "{name}: the field is named");
            }
            // Administration for administrators, the audit trail for them and auditors; each of
            // their own country.
            let admin = *role == "admin";
            assert_eq!(
                home.html.contains("href=\"/admin/users\""),
                admin,
                "{name}: administration in the menu"
            );
            let users = browser.get("/admin/users").await;
            assert_eq!(
                users.status,
                if admin { StatusCode::OK } else { StatusCode::FORBIDDEN },
                "{name}: users"
            );
            let other_suffix = if country == "BLZ" { "mx" } else { "bz" };
            assert!(
                !users.html.contains(&format!("officer.{other_suffix}")),
                "{name}: no user of the other country"
            );
            let reference = browser.get("/admin/reference").await;
            assert_eq!(
                reference.status,
                if admin { StatusCode::OK } else { StatusCode::FORBIDDEN },
                "{name}: reference"
            );
            let audits = matches!(*role, "admin" | "auditor");
            assert_eq!(home.html.contains("href=\"/audit\""), audits, "{name}: audit in the menu");
            let trail = browser.get("/audit").await;
            assert_eq!(
                trail.status,
                if audits { StatusCode::OK } else { StatusCode::FORBIDDEN },
                "{name}: audit trail"
            );
            if audits {
                assert!(trail.html.contains(&format!("officer.{suffix}")), "{name}: own country's events");
                // The other country's staff appear only where they tried this country's records
                // (its data, so its trail tells of the try).
                assert!(
                    trail
                        .html
                        .split("<tr")
                        .filter(|row| row.contains(&format!("officer.{other_suffix}")))
                        .all(|row| row.contains("access.denied")),
                    "{name}: not the other's"
                );
            }

            // Alert lists: read and checked by those who screen, kept by supervisors and
            // administrators; hits decided by officers and supervisors; each of their own country.
            let (own_list, their_list) =
                if country == "BLZ" { ("bz-wanted", "mx-wanted") } else { ("mx-wanted", "bz-wanted") };
            let screens = matches!(*role, "officer" | "supervisor" | "admin");
            let ok_if = |yes: bool| if yes { StatusCode::OK } else { StatusCode::FORBIDDEN };
            assert_eq!(home.html.contains("href=\"/alerts\""), screens, "{name}: alert lists in the menu");
            let lists = browser.get("/alerts?name=Ana").await;
            assert_eq!(lists.status, ok_if(screens), "{name}: alert lists");
            assert_eq!(lists.html.contains(&format!("W-{own}")), screens, "{name}: own list's entry found");
            assert!(
                !lists.html.contains(their_list) && !lists.html.contains(&format!("W-{theirs}")),
                "{name}: never the other's list"
            );
            let list = browser.get(&format!("/alerts/{own_list}")).await;
            assert_eq!(list.status, ok_if(screens), "{name}: own list");
            let other_list = browser.get(&format!("/alerts/{their_list}")).await;
            assert!(
                !other_list.html.contains(&format!("W-{theirs}")),
                "{name}: no entry of the other's list"
            );
            let keeps = matches!(*role, "supervisor" | "admin");
            let new_entry = browser.get(&format!("/alerts/{own_list}/entry")).await;
            assert_eq!(new_entry.status, ok_if(keeps), "{name}: a new entry's form");
            let decides = matches!(*role, "officer" | "supervisor");
            assert_eq!(home.html.contains("href=\"/hits\""), decides, "{name}: hits in the menu");
            let hits = browser.get("/hits").await;
            assert_eq!(hits.status, ok_if(decides), "{name}: hits");
            assert_eq!(hits.html.contains(&format!("W-{own}")), decides, "{name}: own country's hit");
            assert!(!hits.html.contains(&format!("W-{theirs}")), "{name}: never the other country's hit");

            // Informal crossings: the figures for those who read de-identified data or plan the
            // monitoring; the count form for enumerators (and those who plan).
            let reads_informal =
                matches!(*role, "officer" | "supervisor" | "protection" | "admin" | "analyst" | "liaison");
            assert_eq!(
                home.html.contains("href=\"/informal\""),
                reads_informal,
                "{name}: informal in the menu"
            );
            let informal = browser.get("/informal").await;
            let expected = match *role {
                "enumerator" => StatusCode::SEE_OTHER,
                _ if reads_informal => StatusCode::OK,
                _ => StatusCode::FORBIDDEN,
            };
            assert_eq!(informal.status, expected, "{name}: informal crossings");
            let counts = matches!(*role, "enumerator" | "analyst" | "admin");
            assert_eq!(browser.get("/informal/count").await.status, ok_if(counts), "{name}: the count form");
            assert_eq!(
                home.html.contains("href=\"/informal/count\""),
                *role == "enumerator",
                "{name}: count in the menu"
            );

            // Protection: an inbox for those who open cases (an enumerator, analyst or
            // administrator from an interview; a provider answers its organisation's referrals,
            // and has none here), in the menu of border and protection staff; the overview for
            // protection officers and the binational group (the other country's too); the
            // directory for everyone signed in; no case or referral id is an oracle.
            let protects = matches!(*role, "officer" | "supervisor" | "protection");
            let opens = protects || matches!(*role, "enumerator" | "analyst" | "admin");
            assert_eq!(browser.get("/protection").await.status, ok_if(opens), "{name}: protection inbox");
            assert_eq!(
                home.html.contains("href=\"/protection\""),
                protects,
                "{name}: protection in the menu"
            );
            let overviews = matches!(*role, "protection" | "liaison");
            let overview = browser.get("/protection/overview").await;
            assert_eq!(overview.status, ok_if(overviews), "{name}: protection overview");
            assert_eq!(
                home.html.contains("href=\"/protection/overview\""),
                overviews,
                "{name}: overview in the menu"
            );
            let their_overview = browser.get(&format!("/protection/overview?country={other_country}")).await;
            assert_eq!(their_overview.status, ok_if(*role == "liaison"), "{name}: the other's overview");
            assert_eq!(browser.get("/directory").await.status, StatusCode::OK, "{name}: directory");
            assert_eq!(home.html.contains("href=\"/directory\""), protects, "{name}: directory in the menu");
            for page in ["cases", "referrals"] {
                let absent = browser.get(&format!("/protection/{page}/{}", uuid::Uuid::now_v7())).await;
                assert_eq!(absent.status, StatusCode::NOT_FOUND, "{name}: an unknown {page} id");
            }
            // Labour: the registry for its keepers; the counter's permit checks for them and
            // supervisors; seasonal demand for its keepers (an employer needs its registry id,
            // which none has here).
            let keeps_registry = matches!(*role, "registrar" | "admin");
            assert_eq!(browser.get("/labour").await.status, ok_if(keeps_registry), "{name}: registry");
            assert_eq!(
                home.html.contains("href=\"/labour\""),
                keeps_registry,
                "{name}: registry in the menu"
            );
            let worker = browser.get(&format!("/labour/workers/{}", uuid::Uuid::now_v7())).await;
            let expected = if keeps_registry { StatusCode::NOT_FOUND } else { StatusCode::FORBIDDEN };
            assert_eq!(worker.status, expected, "{name}: a worker's file");
            let reads_checks = keeps_registry || *role == "supervisor";
            assert_eq!(browser.get("/labour/checks").await.status, ok_if(reads_checks), "{name}: checks");
            assert_eq!(
                home.html.contains("href=\"/labour/checks\""),
                *role == "supervisor",
                "{name}: checks in the menu"
            );
            assert_eq!(browser.get("/labour/demand").await.status, ok_if(keeps_registry), "{name}: demand");
            assert!(!home.html.contains("href=\"/labour/demand\""), "{name}: demand in the menu");
            // Everyone reads their own notifications.
            assert_eq!(browser.get("/notifications").await.status, StatusCode::OK, "{name}: notifications");
            assert!(home.html.contains("href=\"/notifications\""), "{name}: notifications in the menu");

            let theirs_page = browser.get(&format!("/dashboard?country={other_country}")).await;
            let expected = if *role == "liaison" { StatusCode::OK } else { StatusCode::FORBIDDEN };
            assert_eq!(theirs_page.status, expected, "{name}: the other country's dashboard");
            assert!(!theirs_page.html.contains(theirs), "{name}: no name of the other country");
        }
    }
}

#[tokio::test]
async fn a_traveller_is_found_without_accents_and_their_stay_is_explained() {
    let node = Node::new().await;
    let entered = (chrono::Utc::now() - chrono::Duration::days(5)).to_rfc3339();
    let draft: frontera_domain::CrossingDraft = serde_json::from_value(json!({
        "port_id": "bz-santa-elena", "direction": "entry", "category": "visitor", "permitted_stay_days": 2,
        "occurred_at": entered,
        "document": {"kind": "passport", "number": "G7654321", "issuing_state": "MEX"},
        "person": {"given_names": "José Ángel", "first_surname": "Núñez", "second_surname": "Peña",
                   "sex": "M", "birth_date": "1979-04-02", "nationality": "MEX"}
    }))
    .unwrap();
    let crossing = node.app.record_crossing(&console(), &draft).await.unwrap().crossing;
    node.user_with_password("sup", "supervisor", "BLZ", None, "a long pass phrase").await;
    let mut browser = Browser::new(&node, "es");
    browser.log_in("sup", "a long pass phrase").await;

    let found = browser.get("/travellers?name=jose+nunez+pena").await;
    assert_eq!(found.status, StatusCode::OK);
    assert!(found.html.contains("Se encontró un viajero"), "{}", found.html);
    let href = format!("/travellers/{}", crossing.person_id);
    assert!(found.html.contains(&href));
    let by_birth = browser.get("/travellers?birth_date=1979-04").await;
    assert!(by_birth.html.contains(&href));
    let none = browser.get("/travellers?document_number=G0000000").await;
    assert!(none.html.contains("Ningún viajero"));

    for (query, field) in
        [("name=j", "Nombre"), ("birth_date=1979-13", "Fecha de nacimiento"), ("name=+", "")]
    {
        let bad = browser.get(&format!("/travellers?{query}")).await;
        if field.is_empty() {
            assert_eq!(bad.status, StatusCode::OK, "a blank form is a form, not an error");
            continue;
        }
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert!(bad.html.contains(&format!("{field}: ")) && bad.html.contains("aria-invalid"), "{query}");
    }

    let history = browser.get(&href).await;
    assert_eq!(history.status, StatusCode::OK);
    assert!(history.html.contains("Núñez Peña, José Ángel"));
    assert!(history.html.contains("después de la estancia autorizada"), "{}", history.html);
    assert!(history.html.contains("(sigue en el país)"));
    let events = node.store.audit_events(0, 1000).await.unwrap();
    let reads: Vec<_> = events.iter().filter(|e| e.action == "person.crossings").collect();
    assert_eq!(reads.len(), 1, "reading a history is audited");
    assert!(
        events.iter().any(|e| e.action == "traveller.search" && e.detail.contains(&crossing.id.to_string()))
    );
}

#[tokio::test]
async fn an_administrator_adds_a_user_resets_a_password_and_verifies_the_audit_trail() {
    let node = Node::new().await;
    node.user_with_password("admin.bz", "admin", "BLZ", None, "a long pass phrase").await;
    let mut browser = Browser::new(&node, "en");
    browser.log_in("admin.bz", "a long pass phrase").await;
    let form = browser.get("/admin/users").await;
    let csrf = Browser::csrf(&form);

    // A bad name is named, and what was typed comes back.
    let bad = browser
        .post(
            "/admin/users",
            &[
                ("csrf", &csrf),
                ("name", "ana bz"),
                ("role", "officer"),
                ("port", "bz-santa-elena"),
                ("organisation", ""),
                ("password", ""),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.html.contains("User name: may contain only"), "{}", bad.html);
    assert!(bad.html.contains("value=\"ana bz\""));
    let short = browser
        .post(
            "/admin/users",
            &[
                ("csrf", &csrf),
                ("name", "ana.bz"),
                ("role", "officer"),
                ("port", ""),
                ("organisation", ""),
                ("password", "short"),
            ],
        )
        .await;
    assert!(short.html.contains("Password: must be at least 12 characters"), "{}", short.html);
    let foreign = browser
        .post(
            "/admin/users",
            &[
                ("csrf", &csrf),
                ("name", "ana.bz"),
                ("role", "officer"),
                ("port", "mx-subteniente-lopez"),
                ("organisation", ""),
                ("password", ""),
            ],
        )
        .await;
    assert_eq!(foreign.status, StatusCode::UNPROCESSABLE_ENTITY, "a port of the other country");

    // Added with a generated password, shown once, that logs in.
    let added = browser
        .post(
            "/admin/users",
            &[
                ("csrf", &csrf),
                ("name", "ana.bz"),
                ("role", "officer"),
                ("port", "bz-santa-elena"),
                ("organisation", ""),
                ("password", ""),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::OK);
    assert!(added.html.contains("User ana.bz added."));
    let password =
        added.html.split("id=\"new-password\">").nth(1).unwrap().split('<').next().unwrap().to_string();
    assert_eq!(password.len(), 20);
    let again = browser
        .post(
            "/admin/users",
            &[
                ("csrf", &csrf),
                ("name", "ana.bz"),
                ("role", "officer"),
                ("port", ""),
                ("organisation", ""),
                ("password", ""),
            ],
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.html.contains("A user named ana.bz already exists."));
    let mut ana = Browser::new(&node, "en");
    assert_eq!(ana.log_in("ana.bz", &password).await.location.as_deref(), Some("/"));

    // A new password ends her session.
    let reset = browser.post("/admin/users/ana.bz/password", &[("csrf", &csrf)]).await;
    assert!(reset.html.contains("ana.bz has a new password"));
    assert_eq!(ana.get("/").await.status, StatusCode::SEE_OTHER);
    let forged = browser.post("/admin/users/ana.bz/password", &[("csrf", "not-the-token")]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);

    // Her role and scope change, then her account is switched off: she can no longer log in.
    let edit = browser.get("/admin/users/ana.bz").await;
    assert_eq!(edit.status, StatusCode::OK);
    assert!(edit.html.contains("name=\"enabled\" id=\"enabled\" checked"));
    let changed = browser
        .post(
            "/admin/users/ana.bz",
            &[("csrf", &csrf), ("role", "supervisor"), ("port", ""), ("organisation", ""), ("enabled", "on")],
        )
        .await;
    assert!(changed.html.contains("ana.bz&#39;s account was changed"), "{}", changed.html);
    let password =
        reset.html.split("id=\"new-password\">").nth(1).unwrap().split('<').next().unwrap().to_string();
    let mut ana = Browser::new(&node, "en");
    ana.log_in("ana.bz", &password).await;
    assert!(ana.get("/").await.html.contains("Supervisor"));
    let off = browser
        .post(
            "/admin/users/ana.bz",
            &[("csrf", &csrf), ("role", "supervisor"), ("port", ""), ("organisation", "")],
        )
        .await;
    assert!(
        off.html.contains("ana.bz&#39;s account is switched off") && off.html.contains("Switched off since")
    );
    assert_eq!(ana.get("/").await.status, StatusCode::SEE_OTHER, "her session ended");
    let refused = Browser::new(&node, "en").log_in("ana.bz", &password).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "a switched-off account cannot log in");
    let own = browser
        .post(
            "/admin/users/admin.bz",
            &[("csrf", &csrf), ("role", "admin"), ("port", ""), ("organisation", "")],
        )
        .await;
    assert_eq!(own.status, StatusCode::UNPROCESSABLE_ENTITY, "an administrator cannot switch themselves off");

    // The audit trail shows who did it, filters, and verifies from the page.
    let trail = browser.get("/audit?actor=admin.bz").await;
    assert!(trail.html.contains("user.add") && trail.html.contains("user.password"), "{}", trail.html);
    assert!(trail.html.contains("user.change"));
    assert!(!trail.html.contains("cli:test"), "filtered by actor");
    let bad_day = browser.get("/audit?from=2026-13-01").await;
    assert_eq!(bad_day.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad_day.html.contains("From (day): "));
    let verdict = browser.post("/audit/verify", &[("csrf", &csrf)]).await;
    assert!(verdict.html.contains("The audit trail is intact"), "{}", verdict.html);
    let reference = browser.get("/admin/reference").await;
    assert!(reference.html.contains("Subteniente López") && reference.html.contains("Trabajador fronterizo"));
}

#[tokio::test]
async fn the_traveller_search_api_finds_by_name_and_names_a_bad_criterion() {
    let node = Node::new().await;
    let officer = node.token("o.mx", "officer", "MEX", Some("mx-subteniente-lopez")).await;
    let (status, _) = node.post("/api/v1/crossings", &officer, typed_crossing()).await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, body) = node.get("/api/v1/travellers?name=marisol%20MAGANA", &officer).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["travellers"].as_array().unwrap().len(), 1);
    assert_eq!(body["travellers"][0]["person"]["first_surname"], "Pech");
    let (status, body) = node.get("/api/v1/travellers", &officer).await;
    assert_eq!(
        (status, error_of(&body)),
        (StatusCode::UNPROCESSABLE_ENTITY, ("search_criterion".into(), "name".into()))
    );
    let (status, body) = node.get("/api/v1/travellers?birth_date=1991-6", &officer).await;
    assert_eq!((status, error_of(&body).1), (StatusCode::UNPROCESSABLE_ENTITY, "birth_date".into()));
    let belize = node.token("o.bz", "officer", "BLZ", None).await;
    let (status, body) = node.get("/api/v1/travellers?name=pech", &belize).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body["travellers"].as_array().unwrap().is_empty(), "never the other country's travellers");
    let analyst = node.token("a.mx", "analyst", "MEX", None).await;
    assert_eq!(node.get("/api/v1/travellers?name=pech", &analyst).await.0, StatusCode::FORBIDDEN);
}

const WANTED: &str = "reference,given_names,surnames,birth_dates,nationalities,reason,authority\n\
    W-1,Anna Maria,Eriksson,1974-08-12,UTO,fraud,Court of Utopia\n\
    W-2,José Luis,Hernández Canché,1971-03-14,MEX,robbery,Juzgado 3\n";

#[tokio::test]
async fn lists_are_kept_and_a_person_screened_through_the_api() {
    let node = Node::new().await;
    let supervisor = node.token("sup.bz", "supervisor", "BLZ", Some("bz-santa-elena")).await;
    let officer = node.token("ana.bz", "officer", "BLZ", Some("bz-santa-elena")).await;

    let (status, report) =
        node.post_text("/api/v1/alert-lists/bz-wanted/import?format=csv", &supervisor, WANTED).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!((report["added"].as_u64(), report["entries"].as_u64()), (Some(2), Some(2)));
    let (status, bad) = node
        .post_text("/api/v1/alert-lists/bz-wanted/import?format=csv", &supervisor, "reference,sex\nX,Q\n")
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        (bad["errors"][0]["line"].as_u64(), bad["errors"][0]["field"].as_str()),
        (Some(2), Some("sex"))
    );
    let (status, e) =
        node.post_text("/api/v1/alert-lists/bz-wanted/import?format=pdf", &supervisor, WANTED).await;
    assert_eq!((status, error_of(&e).1.as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "format"));
    let (status, _) =
        node.post_text("/api/v1/alert-lists/bz-wanted/import?format=csv", &officer, WANTED).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // The contract: {"hits": [{score, list, reference, names, explanation}]}, best first.
    let (status, found) = node
        .post("/api/v1/screen", &officer, json!({"name": "Jose Luis Hernandes", "birth_date": "1971"}))
        .await;
    assert_eq!(status, StatusCode::OK, "{found}");
    let hit = &found["hits"][0];
    assert_eq!((hit["list"].as_str(), hit["reference"].as_str()), (Some("bz-wanted"), Some("W-2")));
    assert!(hit["score"].as_f64().unwrap() >= 0.85);
    assert_eq!(hit["names"][0], "José Luis Hernández Canché");
    assert_eq!(hit["explanation"]["birth_date"], "same_year");
    assert!(hit["explanation"]["summary"].as_str().unwrap().contains("HERNANDES"));
    let (_, none) = node.post("/api/v1/screen", &officer, json!({"name": "Rosa Tzib"})).await;
    assert_eq!(none["hits"], json!([]));
    let (_, candidates) =
        node.post("/api/v1/screen", &officer, json!({"name": "Rosa Tzib", "candidates": 5})).await;
    assert!(candidates["hits"].as_array().unwrap().iter().all(|h| h["hit"] == false));
    let (status, e) = node.post("/api/v1/screen", &officer, json!({"birth_date": "1971"})).await;
    assert_eq!((status, error_of(&e).1.as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "name"));

    // An entry by hand, changed, retired.
    let entry = json!({
        "reference": "W-3", "kind": "removal_order", "action": "deny_entry",
        "names": [{"given_names": "Rosa", "surnames": "Tzib Poot", "quality": "primary"}],
        "birth_dates": ["1990-05-02"], "reason": "removed 2025", "authority": "Immigration Department",
        "valid_until": "2030-12-31"
    });
    let (status, made) = node.post("/api/v1/alert-lists/bz-wanted/alerts", &supervisor, entry.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    let (status, _) = node.post("/api/v1/alert-lists/bz-wanted/alerts", &supervisor, entry.clone()).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (_, found) = node.post("/api/v1/screen", &officer, json!({"name": "Rosa Tzib"})).await;
    assert_eq!(found["hits"][0]["reference"], "W-3");
    let mut changed = entry.clone();
    changed["valid_until"] = json!("2020-01-01");
    changed["valid_from"] = json!("2019-01-01");
    let (status, _) = node
        .call("PUT", "/api/v1/alert-lists/bz-wanted/alerts/W-3", Some(&supervisor), Some(changed), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, found) = node.post("/api/v1/screen", &officer, json!({"name": "Rosa Tzib"})).await;
    assert_eq!(found["hits"], json!([]), "an alert no longer in force does not hit");
    let mut reversed = entry.clone();
    reversed["valid_from"] = json!("2031-01-01");
    let (status, e) = node
        .call("PUT", "/api/v1/alert-lists/bz-wanted/alerts/W-3", Some(&supervisor), Some(reversed), None)
        .await;
    assert_eq!((status, error_of(&e).1.as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "valid_until"));
    let (status, retired) =
        node.post("/api/v1/alert-lists/bz-wanted/alerts/W-1/retire", &supervisor, json!({})).await;
    assert_eq!(status, StatusCode::OK);
    assert!(retired["retired_at"].is_string());
    let (_, page) = node.get("/api/v1/alert-lists/bz-wanted/alerts?include_retired=true", &officer).await;
    assert_eq!(page.as_array().unwrap().len(), 3);
    let (_, lists) = node.get("/api/v1/alert-lists", &officer).await;
    assert_eq!((lists[0]["active"].as_u64(), lists[0]["retired"].as_u64()), (Some(2), Some(1)));
    let (status, list) = node
        .call(
            "PUT",
            "/api/v1/alert-lists/bz-wanted",
            Some(&supervisor),
            Some(json!({"threshold": 1.5})),
            None,
        )
        .await;
    assert_eq!((status, error_of(&list).1.as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "threshold"));
}

#[tokio::test]
async fn a_hit_on_a_recorded_crossing_is_resolved_through_the_api() {
    let node = Node::new().await;
    let supervisor = node.token("sup.bz", "supervisor", "BLZ", Some("bz-santa-elena")).await;
    let officer = node.token("ana.bz", "officer", "BLZ", Some("bz-santa-elena")).await;
    node.post_text("/api/v1/alert-lists/bz-wanted/import?format=csv", &supervisor, WANTED).await;
    let (status, c) = node.post("/api/v1/crossings", &officer, mrz_crossing("bz-santa-elena")).await;
    assert_eq!(status, StatusCode::CREATED);
    let hit = &c["screening"]["hits"][0];
    assert_eq!((hit["reference"].as_str(), hit["status"].as_str()), (Some("W-1"), Some("open")));
    let id = hit["id"].as_str().unwrap();
    let (_, pending) = node.get("/api/v1/hits", &officer).await;
    assert_eq!(pending[0]["id"], id);
    let uri = format!("/api/v1/hits/{id}/resolution");
    let (status, e) = node.post(&uri, &officer, json!({"resolution": "ignore"})).await;
    assert_eq!((status, error_of(&e).1.as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "resolution"));
    let (status, done) = node
        .post(&uri, &officer, json!({"resolution": "dismiss", "note": "other birth date on the ID card"}))
        .await;
    assert_eq!((status, done["status"].as_str()), (StatusCode::OK, Some("dismissed")));
    let (status, _) = node.post(&uri, &officer, json!({"resolution": "confirm"})).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, kept) =
        node.get(&format!("/api/v1/crossings/{}/screening", c["id"].as_str().unwrap()), &supervisor).await;
    assert_eq!((status, kept["hits"][0]["status"].as_str()), (StatusCode::OK, Some("dismissed")));
    assert_eq!(kept["hits"][0]["note"], "other birth date on the ID card");
}

#[tokio::test]
async fn tables_of_crossings_come_as_json_or_csv_and_leave_a_country_only_under_control() {
    let node = Node::new().await;
    let officer = node.token("o", "officer", "BLZ", Some("bz-santa-elena")).await;
    for _ in 0..3 {
        let (status, body) = node.post("/api/v1/crossings", &officer, mrz_crossing("bz-santa-elena")).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let analyst = node.token("a", "analyst", "BLZ", None).await;
    let (status, body) = node.get("/api/v1/stats/crossings?by=port,direction", &analyst).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["disclosure"], "none");
    assert_eq!(body["dimensions"], json!(["port", "direction"]));
    let total: u64 = body["rows"].as_array().unwrap().iter().map(|r| r["count"].as_u64().unwrap()).sum();
    assert_eq!(total, 3);

    // Public: three crossings are under the threshold, so nothing is shown but that it exists.
    let (status, body) = node.get("/api/v1/stats/crossings?by=port&public=true", &analyst).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["disclosure"], "controlled");
    assert!(body["rows"].as_array().unwrap().iter().all(|r| r["cell"] == "suppressed"), "{body}");

    let req = Request::builder()
        .uri("/api/v1/stats/crossings?by=direction&format=csv")
        .header(header::AUTHORIZATION, format!("Bearer {analyst}"))
        .body(Body::empty())
        .unwrap();
    let res = node.router.clone().oneshot(req).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()[header::CONTENT_TYPE], "text/csv; charset=utf-8");
    let csv = axum::body::to_bytes(res.into_body(), 1 << 20).await.unwrap();
    assert_eq!(std::str::from_utf8(&csv).unwrap(), "direction,count\nentry,3\n");

    let (status, sdmx) =
        node.get_text("/api/v1/stats/crossings?by=month,direction&format=sdmx-csv", &analyst).await;
    assert_eq!(status, StatusCode::OK);
    assert!(sdmx.starts_with("STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA,"), "{sdmx}");
    assert!(sdmx.contains(",entry,_T,_T,_T,_T,"), "{sdmx}");
    let (status, hxl) = node.get_text("/api/v1/stats/crossings?by=month,sex&format=hxl", &analyst).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(hxl.lines().nth(1), Some("#date+month,#x_crossings+f"), "{hxl}");
    let req = Request::builder()
        .uri("/api/v1/stats/crossings?by=month&format=xlsx")
        .header(header::AUTHORIZATION, format!("Bearer {analyst}"))
        .body(Body::empty())
        .unwrap();
    let res = node.router.clone().oneshot(req).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()[header::CONTENT_DISPOSITION], "attachment; filename=\"crossings.xlsx\"");
    let (status, dsd) = node.get_text("/api/v1/stats/sdmx/structure", &analyst).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        dsd.contains("<str:DataStructure id=\"DSD_CROSSINGS\"")
            && dsd.contains("<str:Code id=\"bz-santa-elena\">")
    );

    for (uri, field) in [
        ("/api/v1/stats/crossings?by=port&format=sdmx-csv", "by"),
        ("/api/v1/stats/crossings?by=colour", "by"),
        ("/api/v1/stats/crossings?from=2026-13-01", "from"),
        ("/api/v1/stats/crossings?format=pdf", "format"),
        ("/api/v1/stats/crossings?public=true&threshold=0", "threshold"),
    ] {
        let (status, body) = node.get(uri, &analyst).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{uri}: {body}");
        assert_eq!(error_of(&body).1, field, "{uri}");
    }
    let (status, _) = node.get("/api/v1/stats/crossings?country=MEX", &analyst).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let liaison = node.token("l", "liaison", "MEX", None).await;
    let (status, body) = node.get("/api/v1/stats/crossings?country=BLZ&by=port", &liaison).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["disclosure"], "controlled");
}

#[tokio::test]
async fn stays_overstays_and_migrants_come_with_their_definitions_in_the_callers_language() {
    let node = Node::new().await;
    let officer = node.token("o", "officer", "BLZ", Some("bz-santa-elena")).await;
    // One visitor admitted for 2 days on 1 March who left on 5 March; another never left.
    let crossing = |direction: &str, at: &str, number: &str, stay: Option<u16>| {
        let mut c = typed_crossing();
        c["port_id"] = json!("bz-santa-elena");
        c["category"] = json!("visitor");
        c["direction"] = json!(direction);
        c["occurred_at"] = json!(at);
        c["document"]["number"] = json!(number);
        c["permitted_stay_days"] = json!(stay);
        c["person"]["nationality"] = json!("MEX");
        c
    };
    for c in [
        crossing("entry", "2026-03-01T15:00:00Z", "P1", Some(2)),
        crossing("exit", "2026-03-05T15:00:00Z", "P1", None),
        crossing("entry", "2026-03-01T16:00:00Z", "P2", Some(2)),
    ] {
        let (status, body) = node.post("/api/v1/crossings", &officer, c).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let analyst = node.token("a", "analyst", "BLZ", None).await;
    let (status, body) = node.get("/api/v1/stats/overstays?by=month&as_of=2026-04-30", &analyst).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["study"], "overstays");
    let march = &body["rates"][0];
    assert_eq!(march["key"], json!(["2026-03"]));
    assert_eq!(
        (march["late_exit"]["shown"].as_u64(), march["overstaying"]["shown"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(march["rate"], 1.0);
    assert_eq!(body["quality"]["open_stays"], 1);

    let (status, body) = node.get_text("/api/v1/stats/stays?as_of=2026-04-30&format=csv", &analyst).await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "length,count\n4-7,1\n"));

    let req = Request::builder()
        .uri("/api/v1/stats/migrants?by=month&as_of=2026-04-30")
        .header(header::AUTHORIZATION, format!("Bearer {analyst}"))
        .header(header::ACCEPT_LANGUAGE, "es-MX")
        .body(Body::empty())
        .unwrap();
    let res = node.router.clone().oneshot(req).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value =
        serde_json::from_slice(&axum::body::to_bytes(res.into_body(), 1 << 20).await.unwrap()).unwrap();
    assert_eq!(body["dimensions"], json!(["month", "flow", "status"]));
    assert_eq!(body["rows"][0]["key"], json!(["2026-03", "long_term_arrival", "provisional"]));
    assert_eq!(body["rows"][1]["key"], json!(["2026-03", "short_term_arrival", "provisional"]));
    let long =
        body["definitions"].as_array().unwrap().iter().find(|d| d["name"] == "long_term_arrival").unwrap();
    assert!(long["text"].as_str().unwrap().contains("12 de los 16 meses"), "{long}");

    for (uri, field) in [
        ("/api/v1/stats/stays?by=port", "by"),
        ("/api/v1/stats/overstays?as_of=30/04/2026", "as_of"),
        ("/api/v1/stats/migrants?present_months=20", "present_months"),
    ] {
        let (status, body) = node.get(uri, &analyst).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{uri}: {body}");
        assert_eq!(error_of(&body).1, field, "{uri}");
    }
    let (status, _) = node.get("/api/v1/stats/migrants?country=MEX", &analyst).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let liaison = node.token("l", "liaison", "MEX", None).await;
    let (status, body) = node.get("/api/v1/stats/migrants?country=BLZ&as_of=2026-04-30", &liaison).await;
    assert_eq!((status, body["disclosure"].as_str()), (StatusCode::OK, Some("controlled")));
}

const HSDS: &str = r#"[
  {"id": "svc-shelter", "name": "Emergency shelter for children", "status": "active", "minimum_age": 0, "maximum_age": 17,
   "languages": [{"code": "es"}, {"code": "en"}], "attributes": [{"taxonomy_term": {"code": "shelter"}}, {"taxonomy_term": {"code": "child_protection"}}],
   "organization": {"id": "org-casa", "name": "Casa de la Niñez"},
   "service_at_locations": [{"id": "sal-1", "schedules": [{"byday": "MO,TU,WE,TH,FR,SA,SU", "opens_at": "00:00", "closes_at": "23:59"}],
     "location": {"id": "loc-corozal", "name": "Corozal", "addresses": [{"city": "Corozal Town", "state_province": "Corozal", "country": "BZ"}]}}]},
  {"id": "svc-legal", "name": "Legal aid for asylum seekers", "status": "active", "minimum_age": 18,
   "languages": [{"code": "es"}], "attributes": [{"taxonomy_term": {"code": "legal_aid"}}],
   "organization": {"id": "org-legal", "name": "Clínica Jurídica"},
   "service_at_locations": [{"id": "sal-2", "location": {"id": "loc-orange-walk", "name": "Orange Walk",
     "addresses": [{"city": "Orange Walk Town", "state_province": "Orange Walk", "country": "BZ"}]}}]}
]"#;

#[tokio::test]
async fn the_directory_loads_from_hsds_and_answers_searches_hsds_style() {
    let node = Node::new().await;
    let protection = node.token("p", "protection", "BLZ", None).await;
    let officer = node.token("o", "officer", "BLZ", Some("bz-santa-elena")).await;
    let req = |token: &str, body: &str| {
        Request::builder()
            .method("POST")
            .uri("/api/v1/directory")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .unwrap()
    };
    let res = node.router.clone().oneshot(req(&officer, HSDS)).await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = node.router.clone().oneshot(req(&protection, HSDS)).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value =
        serde_json::from_slice(&axum::body::to_bytes(res.into_body(), 1 << 20).await.unwrap()).unwrap();
    assert_eq!(body, json!({"added": 8, "updated": 0, "unchanged": 0}));
    // A fault is named by its path and nothing is stored.
    let broken = HSDS.replace("\"city\": \"Corozal Town\", ", "");
    let res = node.router.clone().oneshot(req(&protection, &broken)).await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value =
        serde_json::from_slice(&axum::body::to_bytes(res.into_body(), 1 << 20).await.unwrap()).unwrap();
    assert_eq!(error_of(&body).1, "[0].service_at_locations[0].location.addresses[0].city");

    let (status, page) =
        node.get("/api/v1/directory/services?kind=shelter&age=12&language=en", &officer).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!((page["total_items"].as_u64(), page["first_page"].as_bool()), (Some(1), Some(true)));
    let shelter = &page["contents"][0];
    assert_eq!(shelter["organization"]["name"], "Casa de la Niñez");
    assert_eq!(shelter["service_at_locations"][0]["location"]["addresses"][0]["country"], "BZ");
    let (_, page) = node.get("/api/v1/directory/services?age=12&place=orange%20walk", &officer).await;
    assert_eq!(page["total_items"], 0, "legal aid is for adults");
    let (_, page) = node.get("/api/v1/directory/services?place=orange%20walk", &officer).await;
    assert_eq!(page["contents"][0]["id"], "svc-legal");
    let (_, page) = node.get("/api/v1/directory/services?per_page=1&page=2", &officer).await;
    assert_eq!((page["total_pages"].as_u64(), page["last_page"].as_bool()), (Some(2), Some(true)));
    let (status, one) = node.get("/api/v1/directory/services/svc-legal", &officer).await;
    assert_eq!((status, one["name"].as_str()), (StatusCode::OK, Some("Legal aid for asylum seekers")));
    let (status, _) = node.get("/api/v1/directory/services/svc-none", &officer).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, e) = node.get("/api/v1/directory/services?kind=haircuts", &officer).await;
    assert_eq!((status, error_of(&e).1.as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "kind"));
}

#[tokio::test]
async fn a_referral_goes_through_the_api_from_the_counter_to_the_shelter() {
    let node = Node::new().await;
    // The providers' organisations are in the directory before their accounts are made.
    let directory = frontera_app::directory::read_hsds(HSDS, CountryCode::BLZ).unwrap();
    node.app.save_directory(&console(), &directory, "t").await.unwrap();
    let provider = |name: &str, org: &str| {
        let mut new = new_user(name, "provider", "BLZ", None);
        new.organisation = Some(org.into());
        new
    };
    let casa = node
        .app
        .add_user(&console(), &provider("casa", "org-casa"), true)
        .await
        .unwrap()
        .1
        .unwrap()
        .expose()
        .to_string();
    let legal = node
        .app
        .add_user(&console(), &provider("legal", "org-legal"), true)
        .await
        .unwrap()
        .1
        .unwrap()
        .expose()
        .to_string();
    let protection = node.token("prot", "protection", "BLZ", None).await;
    let officer = node.token("ana", "officer", "BLZ", Some("bz-santa-elena")).await;
    node.post_text("/api/v1/directory", &protection, HSDS).await;
    let directory = r#"[{"id": "svc-casa", "name": "Casa shelter", "status": "active",
        "attributes": [{"taxonomy_term": {"code": "shelter"}}], "organization": {"id": "org-casa", "name": "Casa"},
        "service_at_locations": [{"id": "sal-casa", "location": {"id": "loc-casa",
          "addresses": [{"city": "Corozal Town", "state_province": "Corozal", "country": "BZ"}]}}]}]"#;
    let (status, body) = node.post_text("/api/v1/directory", &protection, directory).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let (status, case) = node
        .post(
            "/api/v1/cases",
            &officer,
            json!({"given_names": "Rosa", "surnames": "Xol", "sex": "F", "nationality": "GTM",
                   "profiles": ["trafficking"], "risk": "high", "note": "documents held by the driver"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{case}");
    let id = case["id"].as_str().unwrap();
    let (status, e) = node.post("/api/v1/cases", &officer, json!({"given_names": "Rosa"})).await;
    assert_eq!((status, error_of(&e).1.as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "profiles"));
    let (status, _) = node.get(&format!("/api/v1/cases/{id}"), &casa).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, noted) = node
        .post(&format!("/api/v1/cases/{id}/notes"), &protection, json!({"text": "called the shelter"}))
        .await;
    assert_eq!((status, noted["notes"].as_array().map(Vec::len)), (StatusCode::OK, Some(2)));
    let (status, e) =
        node.post(&format!("/api/v1/cases/{id}/owner"), &protection, json!({"owner": "casa"})).await;
    assert_eq!(
        (status, error_of(&e).1.as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, "owner"),
        "a provider owns no case"
    );
    let (status, owned) =
        node.post(&format!("/api/v1/cases/{id}/owner"), &protection, json!({"owner": "prot"})).await;
    assert_eq!((status, owned["owner"].as_str()), (StatusCode::OK, Some("prot")));
    let tomorrow = (chrono::Utc::now() + chrono::Duration::days(1)).format("%Y-%m-%d").to_string();
    let (status, tasked) = node
        .post(&format!("/api/v1/cases/{id}/tasks"), &protection, json!({"text": "visit", "due": tomorrow}))
        .await;
    assert_eq!((status, tasked["tasks"][0]["number"].as_u64()), (StatusCode::OK, Some(1)), "{tasked}");
    let (status, _) = node.post(&format!("/api/v1/cases/{id}/tasks/1/done"), &protection, json!({})).await;
    assert_eq!(status, StatusCode::OK);
    let (status, e) = node
        .post(&format!("/api/v1/cases/{id}/tasks"), &protection, json!({"text": "x", "due": "someday"}))
        .await;
    assert_eq!((status, error_of(&e).1.as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "due"));
    let (status, stepped) = node.post(&format!("/api/v1/cases/{id}/step"), &protection, json!({})).await;
    assert_eq!((status, stepped["step"].as_str()), (StatusCode::OK, Some("assessment")));
    let (status, _) = node.post(&format!("/api/v1/cases/{id}/step/approval"), &protection, json!({})).await;
    assert_eq!(status, StatusCode::CONFLICT, "nothing waits for approval");

    let refer = json!({"service_at_location": "sal-casa", "priority": "urgent", "reason": "safe shelter away from the driver"});
    let (status, e) = node.post(&format!("/api/v1/cases/{id}/referrals"), &protection, refer.clone()).await;
    assert_eq!(status, StatusCode::CONFLICT, "{e}");
    assert!(e["error"]["message"].as_str().unwrap().contains("no consent"), "{e}");
    let uri = format!("/api/v1/cases/{id}/referrals");
    let (status, e) = node.call("POST", &uri, Some(&protection), Some(refer.clone()), Some("es")).await;
    assert_eq!((status, e["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("refused")));
    assert!(e["error"]["message"].as_str().unwrap().contains("ningún consentimiento"), "{e}");
    let (status, consent) = node
        .post(
            &format!("/api/v1/cases/{id}/consents"),
            &protection,
            json!({"purpose": "shelter", "organisations": ["org-casa"], "data": ["identity", "needs"]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{consent}");
    let (status, referral) = node.post(&format!("/api/v1/cases/{id}/referrals"), &protection, refer).await;
    assert_eq!(status, StatusCode::CREATED, "{referral}");
    let rid = referral["id"].as_str().unwrap();

    let (status, seen) = node.get(&format!("/api/v1/referrals/{rid}"), &casa).await;
    assert_eq!(
        (status, seen["side"].as_str(), seen["case_id"].as_str()),
        (StatusCode::OK, Some("receiver"), Some(""))
    );
    assert_eq!(seen["packet"]["name"], "Rosa Xol");
    let (status, _) = node.get(&format!("/api/v1/referrals/{rid}"), &legal).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let events = format!("/api/v1/referrals/{rid}/events");
    let (status, e) = node.post(&events, &protection, json!({"event": "accept"})).await;
    assert_eq!(status, StatusCode::CONFLICT, "{e}");
    let (status, after) = node.post(&events, &casa, json!({"event": "accept"})).await;
    assert_eq!((status, after["lifecycle"]["state"].as_str()), (StatusCode::OK, Some("accepted")));
    let (status, e) = node.post(&events, &casa, json!({"event": "reject", "reason": ""})).await;
    assert_eq!(status, StatusCode::CONFLICT, "{e}");
    let (status, e) = node.post(&events, &casa, json!({"event": "teleport"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let (_, mine) = node.get("/api/v1/referrals", &casa).await;
    assert_eq!(mine.as_array().unwrap().len(), 1);
    // A file on the case: the body is the file; the receiver of a referral never sees it.
    let files = format!("/api/v1/cases/{id}/attachments");
    let pdf = b"%PDF-1.4\nconsent signed by Rosa\n".to_vec();
    let (status, _, body) = node
        .raw(
            "POST",
            &format!("{files}?name=consent%20form.pdf"),
            &protection,
            Some(("application/pdf", pdf.clone())),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&body));
    let file: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(
        (file["name"].as_str(), file["media_type"].as_str()),
        (Some("consent form.pdf"), Some("application/pdf"))
    );
    let (status, _, body) =
        node.raw("POST", &format!("{files}?name=x.png"), &protection, Some(("image/png", pdf.clone()))).await;
    let e: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!((status, error_of(&e).1.as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "file"));
    let (status, _, body) =
        node.raw("POST", &files, &protection, Some(("application/pdf", pdf.clone()))).await;
    let e: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!((status, error_of(&e).1.as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "name"));
    let huge = [b"%PDF-".to_vec(), vec![b'x'; 10 * 1024 * 1024 + 10]].concat();
    let (status, _, body) = node
        .raw("POST", &format!("{files}?name=big.pdf"), &protection, Some(("application/pdf", huge)))
        .await;
    let e: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!((status, error_of(&e).1.as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "file"), "{e}");
    let (_, listed) = node.get(&files, &protection).await;
    assert_eq!(listed.as_array().map(Vec::len), Some(1));
    let one = format!("{files}/{}", file["id"].as_str().unwrap());
    let (status, headers, bytes) = node.raw("GET", &one, &protection, None).await;
    assert_eq!((status, bytes), (StatusCode::OK, pdf));
    assert_eq!(headers[header::CONTENT_TYPE], "application/pdf");
    assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert!(
        headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .starts_with("attachment; filename=\"consent form.pdf\"")
    );
    let (status, _, _) = node.raw("GET", &one, &casa, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "the receiver gets the packet, not the case's files");

    // Notifications: the shelter heard of the request, the protection officer of the case and
    // of the acceptance, each in the language asked for; reading them marks them.
    let (status, heard) =
        node.call("GET", "/api/v1/notifications?unread=true", Some(&casa), None, Some("es")).await;
    assert_eq!((status, heard["unread"].as_u64()), (StatusCode::OK, Some(1)), "{heard}");
    assert_eq!(heard["notifications"][0]["kind"], "referral.request");
    assert_eq!(heard["notifications"][0]["subject_id"].as_str(), Some(rid));
    assert!(
        heard["notifications"][0]["text"].as_str().unwrap().starts_with("Nueva remisión (Urgente"),
        "{heard}"
    );
    let (_, told) = node.get("/api/v1/notifications", &protection).await;
    let kinds: Vec<&str> =
        told["notifications"].as_array().unwrap().iter().map(|n| n["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["referral.accept", "case.opened"], "{told}");
    assert!(told["notifications"][0]["text"].as_str().unwrap().contains("accepted your referral"), "{told}");
    assert!(!told.to_string().contains("Rosa"), "no name in a notification");
    let first = told["notifications"][1]["id"].as_i64().unwrap();
    let (status, r) = node.post("/api/v1/notifications/read", &protection, json!({"ids": [first]})).await;
    assert_eq!((status, r["marked"].as_u64()), (StatusCode::OK, Some(1)));
    let (status, e) = node.post("/api/v1/notifications/read", &protection, json!({"ids": "all"})).await;
    assert_eq!((status, error_of(&e).1.as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "ids"));
    let (_, r) = node.post("/api/v1/notifications/read", &protection, json!({})).await;
    assert_eq!(r["marked"].as_u64(), Some(1));
    let (_, left) = node.get("/api/v1/notifications?unread=true", &protection).await;
    assert_eq!(left["unread"].as_u64(), Some(0));
    let (status, e) = node.get("/api/v1/notifications?unread=maybe", &protection).await;
    assert_eq!((status, error_of(&e).1.as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "unread"));
    let withdraw = format!("/api/v1/cases/{id}/consents/{}/withdrawal", consent["id"].as_str().unwrap());
    let (status, w) = node.post(&withdraw, &protection, json!({})).await;
    assert_eq!(status, StatusCode::OK, "{w}");
    let (_, seen) = node.get(&format!("/api/v1/referrals/{rid}"), &protection).await;
    assert_eq!(seen["lifecycle"]["state"], "cancelled");
    let (status, o) = node.get("/api/v1/protection/overview", &protection).await;
    assert_eq!((status, o["cases"]["disclosure"].as_str()), (StatusCode::OK, Some("none")), "{o}");
    let (status, o) = node.get("/api/v1/protection/overview?public=true", &protection).await;
    assert_eq!((status, o["referrals"]["disclosure"].as_str()), (StatusCode::OK, Some("controlled")), "{o}");
    let (status, _) = node.get("/api/v1/protection/overview", &casa).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_officer_identifies_a_child_in_the_browser_and_the_protection_officer_refers_her() {
    let node = Node::new().await;
    node.app
        .save_directory(
            &console(),
            &frontera_app::directory::read_hsds(HSDS, frontera_domain::CountryCode::BLZ).unwrap(),
            "t",
        )
        .await
        .unwrap();
    for (name, role) in [("ana.bz", "officer"), ("prot.bz", "protection")] {
        let port = (role == "officer").then_some("bz-santa-elena");
        node.user_with_password(name, role, "BLZ", port, "a long pass phrase").await;
    }
    let mut officer = Browser::new(&node, "es");
    officer.log_in("ana.bz", "a long pass phrase").await;
    let inbox = officer.get("/protection").await;
    assert_eq!(inbox.status, StatusCode::OK);
    assert!(inbox.html.contains("Identificar a una persona que necesita protección"), "Spanish form");
    let csrf = Browser::csrf(&inbox);
    let opened = officer
        .post(
            "/protection/cases",
            &[
                ("csrf", &csrf),
                ("profiles", "unaccompanied_child"),
                ("profiles", "trafficking"),
                ("given_names", "Marta"),
                ("surnames", "Coc"),
                ("birth_date", "2012"),
                ("sex", "F"),
                ("nationality", "GTM"),
                ("risk", "high"),
                ("note", "travelling with an unrelated adult"),
            ],
        )
        .await;
    let case_url = opened.location.clone().expect("to the case's page");
    assert!(case_url.starts_with("/protection/cases/"), "{case_url}");
    // A form without its profiles names the field.
    let bad = officer.post("/protection/cases", &[("csrf", &csrf), ("given_names", "X")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.html.contains("profiles"), "the field is named");

    let mut protection = Browser::new(&node, "en");
    protection.log_in("prot.bz", "a long pass phrase").await;
    let inbox = protection.get("/protection").await;
    assert!(inbox.html.contains("Marta Coc"), "the pool's case is in the protection officer's inbox");
    // The header counts the notification; the page says what happened and leads to the case.
    assert!(inbox.html.contains(r#"<span class="badge" aria-label="1 unread">1</span>"#), "the count");
    let notices = protection.get("/notifications").await;
    assert!(
        notices.html.contains(
            "New protection case: Unaccompanied child, Possible victim of trafficking (risk: High)"
        ),
        "the message"
    );
    let href = notices.html.split("href=\"/notifications/").nth(1).and_then(|r| r.split('"').next()).unwrap();
    let followed = protection.get(&format!("/notifications/{href}")).await;
    assert_eq!(followed.location.as_deref(), Some(case_url.as_str()));
    assert!(!protection.get("/protection").await.html.contains(r#"class="badge""#), "read now");
    assert!(protection.get("/notifications/999999").await.status == StatusCode::NOT_FOUND);
    let case = protection.get(&case_url).await;
    assert_eq!(case.status, StatusCode::OK);
    assert!(case.html.contains("Unaccompanied child, Possible victim of trafficking"), "needs in words");
    let csrf = Browser::csrf(&case);
    let consent = protection
        .post(
            &format!("{case_url}/consent"),
            &[
                ("csrf", &csrf),
                ("purpose", "shelter"),
                ("guardian_name", "Child protection officer on duty"),
                ("guardian_relationship", "appointed guardian"),
                ("service_kinds", "shelter"),
                ("data", "identity"),
                ("data", "needs"),
            ],
        )
        .await;
    assert_eq!(consent.location.as_deref(), Some(case_url.as_str()));
    let referred = protection
        .post(
            &format!("{case_url}/refer"),
            &[
                ("csrf", &csrf),
                ("service_at_location", "sal-1"),
                ("priority", "emergency"),
                ("reason", "safe bed tonight"),
            ],
        )
        .await;
    let referral_url = referred.location.clone().expect("to the referral's page");
    let referral = protection.get(&referral_url).await;
    assert!(
        referral.html.contains("Emergency (24 h)") && referral.html.contains("Requested"),
        "the referral's page"
    );
    let note = protection
        .post(&format!("{case_url}/note"), &[("csrf", &csrf), ("text", "shelter called back")])
        .await;
    assert_eq!(note.location.as_deref(), Some(case_url.as_str()));
    assert!(protection.get(&case_url).await.html.contains("shelter called back"));
    let due = (chrono::Utc::now() + chrono::Duration::days(2)).format("%Y-%m-%d").to_string();
    let task = protection
        .post(&format!("{case_url}/task"), &[("csrf", &csrf), ("text", "call the consulate"), ("due", &due)])
        .await;
    assert_eq!(task.location.as_deref(), Some(case_url.as_str()));
    let done = protection.post(&format!("{case_url}/task-done-1"), &[("csrf", &csrf)]).await;
    assert_eq!(done.location.as_deref(), Some(case_url.as_str()));
    let page = protection.get(&case_url).await;
    assert!(
        page.html.contains("call the consulate") && page.html.contains("done by prot.bz"),
        "the task, done"
    );
    // A file through the page's form: listed, then downloaded.
    let png = b"\x89PNG\r\n\x1a\nimage";
    let up = protection
        .upload(
            &format!("{case_url}/attachments"),
            &[("csrf", &csrf)],
            ("passport scan.png", "image/png", png),
        )
        .await;
    assert_eq!(up.location.as_deref(), Some(case_url.as_str()), "{}", up.html);
    let page = protection.get(&case_url).await;
    assert!(
        page.html.contains("passport scan.png") && page.html.contains("image/png, 13 B"),
        "the file is listed"
    );
    let href = page
        .html
        .split("href=\"")
        .find(|h| h.contains("/attachments/"))
        .and_then(|h| h.split('"').next())
        .unwrap()
        .to_string();
    let got = protection.get(&href).await;
    assert_eq!(got.status, StatusCode::OK);
    let bad = protection
        .upload(
            &format!("{case_url}/attachments"),
            &[("csrf", &csrf)],
            ("run.exe", "application/octet-stream", b"MZ\x90\x00"),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let forged = protection
        .upload(&format!("{case_url}/attachments"), &[("csrf", "nope")], ("a.txt", "text/plain", b"hello"))
        .await;
    assert_ne!(forged.location.as_deref(), Some(case_url.as_str()), "a forged form attaches nothing");

    // The overview: whole for the country's protection officers, withheld small counts for the
    // binational group, in each one's language.
    let overview = protection.get("/protection/overview").await;
    assert_eq!(overview.status, StatusCode::OK);
    assert!(
        overview.html.contains("<td>Unaccompanied child</td><td>High</td><td class=\"num\">1</td>"),
        "{}",
        overview.html
    );
    assert!(overview.html.contains("<td>Requested</td>"), "the referral by its state");
    node.user_with_password("liaison.mx", "liaison", "MEX", None, "a long pass phrase").await;
    let mut liaison = Browser::new(&node, "es");
    liaison.log_in("liaison.mx", "a long pass phrase").await;
    let shared = liaison.get("/protection/overview?country=BLZ").await;
    assert_eq!(shared.status, StatusCode::OK);
    assert!(shared.html.contains("Se ocultan los conteos pequeños"), "under control");
    assert!(
        shared.html.contains("<td>Niño no acompañado</td><td>Alto</td><td class=\"num\">x</td>"),
        "{}",
        shared.html
    );
    assert!(!shared.html.contains("<td class=\"num\">1</td>"), "no count of one shown across the border");
    assert_eq!(officer.get("/protection/overview").await.status, StatusCode::FORBIDDEN);

    // The directory: found by kind and age; loaded from a file by a protection officer only.
    let found = protection.get("/directory?kind=shelter&age=12&place=corozal").await;
    assert_eq!(found.status, StatusCode::OK);
    assert!(found.html.contains("Emergency shelter for children") && found.html.contains("1 services found"));
    assert!(!found.html.contains("Legal aid for asylum seekers"), "an adult service is not for a child");
    assert!(found.html.contains("Ages 0 to 17") && found.html.contains("Corozal Town, Corozal (BLZ)"));
    let bad_age = protection.get("/directory?age=old").await;
    assert_eq!(bad_age.status, StatusCode::UNPROCESSABLE_ENTITY);
    let form = protection.get("/directory").await;
    assert!(form.html.contains("action=\"/directory/load\""), "a protection officer keeps the directory");
    let clinic = r#"[{"id": "svc-clinic", "name": "Clínica del puente", "status": "active",
        "attributes": [{"taxonomy_term": {"code": "medical"}}], "organization": {"id": "org-clinic", "name": "Clínica"},
        "service_at_locations": [{"id": "sal-clinic", "location": {"id": "loc-clinic",
          "addresses": [{"city": "Corozal Town", "state_province": "Corozal", "country": "BZ"}]}}]}]"#;
    let csrf = Browser::csrf(&form);
    let loaded = protection
        .upload("/directory/load", &[("csrf", &csrf)], ("clinic.json", "application/json", clinic.as_bytes()))
        .await;
    let to = loaded.location.clone().expect("back to the directory");
    assert!(protection.get(&to).await.html.contains("4 records added, 0 updated, 0 unchanged."), "{to}");
    let broken = protection
        .upload(
            "/directory/load",
            &[("csrf", &csrf)],
            ("broken.json", "application/json", br#"[{"id": "x"}]"#),
        )
        .await;
    assert_eq!(broken.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(broken.html.contains("[0].organization"), "the fault's path");
    assert!(!officer.get("/directory").await.html.contains("/directory/load"), "an officer only searches");
    let csrf = Browser::csrf(&officer.get("/directory").await);
    let refused = officer
        .upload("/directory/load", &[("csrf", &csrf)], ("clinic.json", "application/json", clinic.as_bytes()))
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

/// A node listening on a port of its own, exchanging with `peers`.
async fn listening(
    node: &mut Node,
    listener: tokio::net::TcpListener,
    peers: Vec<frontera_app::exchange::Peer>,
) {
    let mut app = node.app.clone();
    app.exchange = std::sync::Arc::new(frontera_app::exchange::Peers::new(peers).unwrap());
    node.app = app.clone();
    node.router = frontera_web::router(app);
    let service = node.router.clone().into_make_service_with_connect_info::<std::net::SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, service).await });
}

#[tokio::test]
async fn a_referral_crosses_to_the_other_hub_and_each_side_takes_its_steps_where_it_works() {
    use frontera_app::exchange::Peer;
    let (mut blz, mut mex) = (Node::new().await, Node::new().await);
    let blz_listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let mex_listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let (blz_url, mex_url) = (
        format!("http://{}", blz_listener.local_addr().unwrap()),
        format!("http://{}", mex_listener.local_addr().unwrap()),
    );
    // Each hub makes an account for the other; each is told the other's address and token.
    let for_blz = mex.token("hub.bz", "peer", "BLZ", None).await;
    let for_mex = blz.token("hub.mx", "peer", "MEX", None).await;
    listening(
        &mut blz,
        blz_listener,
        vec![Peer {
            country: CountryCode::MEX,
            url: mex_url.clone(),
            token: for_blz.clone(),
            insecure: true,
        }],
    )
    .await;
    listening(
        &mut mex,
        mex_listener,
        vec![Peer { country: CountryCode::BLZ, url: blz_url, token: for_mex.clone(), insecure: true }],
    )
    .await;

    let protection = blz.token("prot.bz", "protection", "BLZ", None).await;
    // The shelter in Chetumal is in both hubs' directories: Mexico keeps it, Belize refers to it.
    let shelter = r#"[{"id": "svc-casa", "name": "Casa shelter", "status": "active",
        "attributes": [{"taxonomy_term": {"code": "shelter"}}], "organization": {"id": "org-casa", "name": "Casa"},
        "service_at_locations": [{"id": "sal-casa", "location": {"id": "loc-casa",
          "addresses": [{"city": "Chetumal", "state_province": "Quintana Roo", "country": "MX"}]}}]}]"#;
    let part = frontera_app::directory::read_hsds(shelter, CountryCode::BLZ).unwrap();
    blz.app.save_directory(&console(), &part, "t").await.unwrap();
    mex.app.save_directory(&Actor::console("test", CountryCode::MEX), &part, "t").await.unwrap();
    let mut casa_user = new_user("casa.mx", "provider", "MEX", None);
    casa_user.organisation = Some("org-casa".into());
    let casa = mex.app.add_user(&console(), &casa_user, true).await.unwrap().1.unwrap().expose().to_string();

    // In Belize: a case, a consent, a referral to the shelter in Chetumal.
    let (_, case) = blz
        .post(
            "/api/v1/cases",
            &protection,
            json!({"given_names": "Rosa", "surnames": "Xol", "sex": "F", "nationality": "GTM", "birth_date": "2011",
                   "profiles": ["unaccompanied_child"], "risk": "high", "note": "met at the bridge, alone"}),
        )
        .await;
    let id = case["id"].as_str().unwrap().to_string();
    let (status, _) = blz
        .post(
            &format!("/api/v1/cases/{id}/consents"),
            &protection,
            json!({"purpose": "shelter", "guardian_name": "Ana Xol", "guardian_relationship": "mother, by phone",
                   "organisations": ["org-casa"], "data": ["identity", "needs"]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, referral) = blz
        .post(
            &format!("/api/v1/cases/{id}/referrals"),
            &protection,
            json!({"service_at_location": "sal-casa", "priority": "emergency", "reason": "a safe bed tonight"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{referral}");
    let rid = referral["id"].as_str().unwrap().to_string();
    assert_eq!(referral["exchange"], json!({"peer": "MEX", "here": "sender"}));

    // The Belizean hub cannot reach Mexico for a while: the message waits, and goes later.
    let client = frontera_app::exchange::http_client().unwrap();
    let now = chrono::Utc::now();
    let unreachable = vec![Peer {
        country: CountryCode::MEX,
        url: "http://127.0.0.1:9".into(),
        token: for_blz.clone(),
        insecure: true,
    }];
    let mut cut_off = blz.app.clone();
    cut_off.exchange = std::sync::Arc::new(frontera_app::exchange::Peers::new(unreachable).unwrap());
    let round = cut_off.deliver_outbox(&client, now).await.unwrap();
    assert_eq!((round.delivered, round.retrying), (0, 1));
    assert_eq!(blz.app.deliver_outbox(&client, now).await.unwrap().delivered, 0, "not before its pause");
    let later = now + chrono::Duration::minutes(1);
    assert_eq!(blz.app.deliver_outbox(&client, later).await.unwrap().delivered, 1);

    // In Mexico: the shelter sees the packet and hears of it; the case stayed in Belize.
    let (status, seen) = mex.get(&format!("/api/v1/referrals/{rid}"), &casa).await;
    assert_eq!((status, seen["side"].as_str()), (StatusCode::OK, Some("receiver")), "{seen}");
    assert_eq!(seen["packet"]["name"], "Rosa Xol");
    let (_, heard) = mex.get("/api/v1/notifications", &casa).await;
    assert_eq!(heard["notifications"][0]["kind"], "referral.request");
    let mex_records = mex.store.protection_records(&Default::default()).await.unwrap();
    assert_eq!(mex_records.len(), 1, "the referral only, no case");
    assert!(
        !mex_records[0].record.contains(&id) && !mex_records[0].record.contains("alone"),
        "nothing of the case"
    );
    // An overdue answer is the sender's to escalate, in Belize; Mexico's watch leaves it.
    let late = chrono::Utc::now() + chrono::Duration::days(2);
    assert!(mex.app.escalate_overdue(late).await.unwrap().is_empty());
    assert_eq!(blz.app.escalate_overdue(late).await.unwrap(), std::slice::from_ref(&rid));
    // Handed over twice: the same.
    let again = blz.store.protection_record("referral", &rid).await.unwrap().unwrap();
    let (status, _) =
        mex.post("/api/v1/exchange/referrals", &for_blz, serde_json::from_str(&again.record).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    // Only the other hub hands over.
    let (status, _) =
        mex.post("/api/v1/exchange/referrals", &casa, serde_json::from_str(&again.record).unwrap()).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = mex.get("/api/v1/crossings", &for_blz).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "the peer account reads nothing");

    // Each side steps where it works: the shelter in Mexico, the officer in Belize.
    let (status, e) =
        blz.post(&format!("/api/v1/referrals/{rid}/events"), &protection, json!({"event": "accept"})).await;
    assert_eq!(status, StatusCode::CONFLICT, "{e}");
    for event in [json!({"event": "receive"}), json!({"event": "accept"})] {
        let (status, after) = mex.post(&format!("/api/v1/referrals/{rid}/events"), &casa, event).await;
        assert_eq!(status, StatusCode::OK, "{after}");
    }
    assert_eq!(mex.app.deliver_outbox(&client, chrono::Utc::now()).await.unwrap().delivered, 2);
    let (_, there) = blz.get(&format!("/api/v1/referrals/{rid}"), &protection).await;
    assert_eq!(there["lifecycle"]["state"], "accepted");
    assert_eq!(there["lifecycle"]["steps"].as_array().unwrap().len(), 2);
    let (_, told) = blz.get("/api/v1/notifications?unread=true", &protection).await;
    let kinds: Vec<&str> =
        told["notifications"].as_array().unwrap().iter().map(|n| n["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["referral.accept", "referral.receive", "referral.overdue"], "{told}");
    // A step sent twice changes nothing; one ahead of its turn waits.
    let steps = format!("/api/v1/exchange/referrals/{rid}/steps");
    let (status, _) = blz
        .post(&steps, &for_mex, json!({"number": 2, "event": {"event": "accept"}, "at": chrono::Utc::now()}))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, e) = blz
        .post(&steps, &for_mex, json!({"number": 5, "event": {"event": "start"}, "at": chrono::Utc::now()}))
        .await;
    assert_eq!((status, e["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("conflict")));

    let (status, _) = mex
        .post(
            &format!("/api/v1/referrals/{rid}/events"),
            &casa,
            json!({"event": "complete", "feedback": "placed; mother on her way"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    mex.app.deliver_outbox(&client, chrono::Utc::now()).await.unwrap();
    let (status, closed) =
        blz.post(&format!("/api/v1/referrals/{rid}/events"), &protection, json!({"event": "close"})).await;
    assert_eq!((status, closed["lifecycle"]["state"].as_str()), (StatusCode::OK, Some("closed")), "{closed}");
    assert_eq!(blz.app.deliver_outbox(&client, chrono::Utc::now()).await.unwrap().delivered, 1);
    let (_, there) = mex.get(&format!("/api/v1/referrals/{rid}"), &casa).await;
    assert_eq!(there["lifecycle"]["state"], "closed");
    assert_eq!(
        there["lifecycle"]["steps"],
        blz.app
            .referral(&console(), &rid)
            .await
            .unwrap()
            .referral
            .lifecycle
            .steps
            .iter()
            .map(|s| serde_json::to_value(s).unwrap())
            .collect::<Value>()
    );
    assert!(blz.store.outbox().await.unwrap().is_empty() && mex.store.outbox().await.unwrap().is_empty());
    // The sender's steps are not taken in Mexico, even by its console.
    let e = mex
        .app
        .act_on_referral(&console(), &rid, frontera_domain::protection::Event::Close)
        .await
        .unwrap_err();
    assert!(e.message(frontera_domain::Lang::En).contains("kept by the hub of BLZ"), "{e:?}");

    // Retention in Mexico: the referral handed over goes once over and old, its count kept.
    let purged = mex.app.purge_closed_cases(&console(), 30, chrono::Utc::now()).await.unwrap();
    assert_eq!(purged.handed_over, 0, "not yet");
    let purged = mex
        .app
        .purge_closed_cases(&console(), 30, chrono::Utc::now() + chrono::Duration::days(31))
        .await
        .unwrap();
    assert_eq!((purged.handed_over, purged.records), (1, 1));
    assert!(mex.store.protection_records(&Default::default()).await.unwrap().is_empty());
    let (_, none) = mex.get("/api/v1/notifications", &casa).await;
    assert_eq!(none["notifications"].as_array().map(Vec::len), Some(0), "nor what was told of it");
    let stats = mex.app.protection_statistics().await.unwrap();
    assert_eq!(
        stats.iter().map(|(_, m, v, n)| (m.as_str(), v.as_str(), *n)).collect::<Vec<_>>(),
        [("handed_over_by_outcome", "completed", 1)]
    );
}

#[tokio::test]
async fn a_registrar_issues_a_border_worker_card_and_the_officer_sees_its_status_through_the_api() {
    let node = Node::new().await;
    let registrar = node.token("reg.mx", "registrar", "MEX", None).await;
    let officer = node.token("ofi.mx", "officer", "MEX", Some("mx-subteniente-lopez")).await;
    let (status, employer) = node
        .post(
            "/api/v1/labour/employers",
            &registrar,
            json!({"name": "Ingenio del Río Hondo", "registration": "IRH-860101", "sector": "A", "region": "MX-ROO"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{employer}");
    let (status, e) = node.post("/api/v1/labour/employers", &officer, json!({"name": "x"})).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{e}");
    let (status, worker) = node
        .post(
            "/api/v1/labour/workers",
            &registrar,
            json!({"given_names": "Mario", "surnames": "Tzul Caal", "sex": "M", "nationality": "GTM", "document_number": "G1234567"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{worker}");
    let (status, e) = node
        .post(
            "/api/v1/labour/workers",
            &registrar,
            json!({"given_names": "Ana", "surnames": "X", "sex": "Q"}),
        )
        .await;
    assert_eq!((status, error_of(&e).1.as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "sex"));
    let (status, permit) = node
        .post(
            "/api/v1/labour/permits",
            &registrar,
            json!({"kind": "mx-tvtf", "worker_id": worker["id"], "employer_ids": [employer["id"]], "regions": ["MX-ROO"]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{permit}");
    let events = format!("/api/v1/labour/permits/{}/events", permit["id"].as_str().unwrap());
    let (status, e) = node
        .call("POST", &events, Some(&registrar), Some(json!({"event": "revoke", "reason": "x"})), Some("es"))
        .await;
    assert_eq!((status, e["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("refused")));
    assert!(e["error"]["message"].as_str().unwrap().contains("no admite"), "{e}");
    let today = chrono::Utc::now().with_timezone(&chrono_tz::America::Cancun).date_naive();
    let until = today + chrono::Duration::days(10);
    let (status, issued) = node
        .post(&events, &registrar, json!({"event": "issue", "valid_from": today, "valid_until": until}))
        .await;
    assert_eq!((status, issued["life"]["state"].as_str()), (StatusCode::OK, Some("issued")), "{issued}");

    let (status, seen) =
        node.get("/api/v1/labour/check?document=g1234567&destination=MX-ROO", &officer).await;
    assert_eq!(
        (status, seen["status"].as_str(), seen["days_left"].as_i64()),
        (StatusCode::OK, Some("expiring"), Some(10))
    );
    let (_, seen) = node.get("/api/v1/labour/check?document=G1234567&destination=MX-CHP", &officer).await;
    assert_eq!(seen["status"], "not_valid_there");
    let (_, seen) = node.get("/api/v1/labour/check?document=G1234567&warn_days=5", &officer).await;
    assert_eq!(seen["status"], "valid");
    let (status, e) = node.get("/api/v1/labour/check?document=G1234567&destination=XX", &officer).await;
    assert_eq!((status, error_of(&e).1.as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "destination"));
    let (status, _) =
        node.get(&format!("/api/v1/labour/workers/{}", worker["id"].as_str().unwrap()), &officer).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "the officer sees the status, not the file");
    let (status, file) =
        node.get(&format!("/api/v1/labour/workers/{}", worker["id"].as_str().unwrap()), &registrar).await;
    assert_eq!((status, file["permits"].as_array().map(Vec::len)), (StatusCode::OK, Some(1)));
    let (_, found) = node.get("/api/v1/labour/workers?q=tzul", &registrar).await;
    assert_eq!(found.as_array().map(Vec::len), Some(1));

    // His crossing as a border worker carries the check; going to Chiapas, the officer decides.
    let crossing = json!({
        "port_id": "mx-subteniente-lopez", "direction": "entry", "category": "border_worker",
        "destination": "MX-CHP",
        "document": {"kind": "passport", "number": "G1234567", "issuing_state": "GTM", "expiry_date": "2031-01-01"},
        "person": {"given_names": "Mario", "first_surname": "Tzul", "sex": "M", "nationality": "GTM"}
    });
    let (status, recorded) = node.post("/api/v1/crossings", &officer, crossing.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{recorded}");
    assert_eq!(
        (recorded["permit"]["check"]["status"].as_str(), recorded["permit"]["needs_decision"].as_bool()),
        (Some("not_valid_there"), Some(true)),
        "{recorded}"
    );
    let decide = format!("/api/v1/crossings/{}/permit-decision", recorded["id"].as_str().unwrap());
    let (status, e) = node.post(&decide, &officer, json!({"decision": "admit"})).await;
    assert_eq!((status, error_of(&e).1.as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "reason"));
    let (status, kept) =
        node.post(&decide, &officer, json!({"decision": "admit", "reason": "works in Chetumal today"})).await;
    assert_eq!((status, kept["decision"]["decision"].as_str()), (StatusCode::OK, Some("admit")), "{kept}");
    let (status, e) = node.post(&decide, &officer, json!({"decision": "refuse", "reason": "x"})).await;
    assert_eq!(status, StatusCode::CONFLICT, "{e}");
    let (status, checks) = node.get("/api/v1/labour/checks?state=admit", &registrar).await;
    assert_eq!((status, checks.as_array().map(Vec::len)), (StatusCode::OK, Some(1)), "{checks}");
    let (status, _) = node.get("/api/v1/labour/checks", &officer).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, file) =
        node.get(&format!("/api/v1/labour/workers/{}", worker["id"].as_str().unwrap()), &registrar).await;
    assert_eq!(
        (file["crossings"].as_array().map(Vec::len), file["checks"][0]["decision"]["decision"].as_str()),
        (Some(1), Some("admit")),
        "{file}"
    );

    // Seasonal demand and the registry's figures.
    let month = today.format("%Y-%m").to_string();
    let (status, d) = node
        .post(
            "/api/v1/labour/demand",
            &registrar,
            json!({"employer_id": employer["id"], "workers": 120, "from": month, "to": month}),
        )
        .await;
    assert_eq!((status, d["sector"].as_str()), (StatusCode::CREATED, Some("A")), "{d}");
    let (status, e) = node
        .post("/api/v1/labour/demand", &registrar, json!({"requester": "Cañeros", "sector": "A", "region": "MX-ROO", "workers": 5, "from": month, "to": "1999-01"}))
        .await;
    assert_eq!((status, error_of(&e).1.as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "to"));
    let (status, report) =
        node.get(&format!("/api/v1/labour/demand/report?from={month}&to={month}"), &registrar).await;
    assert_eq!(
        (status, report["months"][0]["demanded"].as_u64(), report["months"][0]["workers_crossing"].as_u64()),
        (StatusCode::OK, Some(120), Some(1)),
        "{report}"
    );
    let (status, _) = node.get("/api/v1/labour/demand/report", &officer).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, table) = node.get("/api/v1/stats/permits?by=kind,sector", &registrar).await;
    assert_eq!((status, table["rows"][0]["count"].as_u64()), (StatusCode::OK, Some(1)), "{table}");
    let (status, commuting) = node.get("/api/v1/stats/commuting?by=month", &registrar).await;
    assert_eq!(
        (status, commuting["dimensions"][1].as_str(), commuting["rows"][0]["key"][1].as_str()),
        (StatusCode::OK, Some("pattern"), Some("occasional")),
        "{commuting}"
    );
    let (status, _) = node.get("/api/v1/stats/stays", &registrar).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a registrar's tables are the labour ones");
    let (status, _) = node.get("/api/v1/stats/circularity?country=BLZ", &registrar).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "their own country's only");
    // The registry's files: an import with a bad row stores nothing and names it.
    let csv = "name,registration,sector,region\nTienda Libre,TL-1,G,MX-ROO\nSin sector,SS-2,,MX-ROO\n";
    let (status, _, body) = node
        .raw(
            "POST",
            "/api/v1/labour/import/employers",
            &registrar,
            Some(("text/csv", csv.as_bytes().to_vec())),
        )
        .await;
    let report: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(
        (
            status,
            report["errors"][0]["line"].as_u64(),
            report["errors"][0]["field"].as_str(),
            report["imported"].as_u64()
        ),
        (StatusCode::UNPROCESSABLE_ENTITY, Some(3), Some("sector"), Some(0)),
        "{report}"
    );
    let csv = csv.replace("SS-2,,", "SS-2,G,");
    let (status, _, body) = node
        .raw("POST", "/api/v1/labour/import/employers", &registrar, Some(("text/csv", csv.into_bytes())))
        .await;
    let report: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!((status, report["imported"].as_u64()), (StatusCode::OK, Some(2)), "{report}");
    let (status, _) = node.get("/api/v1/labour/export/permits?format=pdf", &registrar).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, e) = node.get("/api/v1/stats/permits?by=colour", &registrar).await;
    assert_eq!((status, error_of(&e).1.as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "by"));
}

#[tokio::test]
async fn an_enumerator_counts_the_blocks_drawn_and_the_analyst_reads_the_estimate_through_the_api() {
    let node = Node::new().await;
    let analyst = node.token("analista.mx", "analyst", "MEX", None).await;
    let counter = node.token("encuestador.mx", "enumerator", "MEX", None).await;
    let point = json!({
        "id": "mx-paso-botes", "name": "Paso de Botes", "latitude": 17.93, "longitude": -88.86,
        "terrain": "river", "stretch": "rio-hondo", "settlements": ["Botes", "San Antonio"],
        "nearby_ports": ["mx-la-union"], "blocks": ["06:00-09:00", "09:00-12:00", "12:00-15:00"]
    });
    let (status, e) = node.post("/api/v1/informal/points", &counter, point.clone()).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{e}");
    let mut bad = point.clone();
    bad["blocks"] = json!(["09:00-12:00", "06:00-09:00"]);
    let (status, e) =
        node.call("POST", "/api/v1/informal/points", Some(&analyst), Some(bad), Some("es")).await;
    assert_eq!((status, error_of(&e).1.as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "blocks[1]"));
    assert!(e["error"]["message"].as_str().unwrap().contains("orden"), "{e}");
    let (status, p) = node.post("/api/v1/informal/points", &analyst, point).await;
    assert_eq!(status, StatusCode::CREATED, "{p}");
    let plan = json!({
        "name": "Abril 2026", "from": "2026-04-01", "to": "2026-04-30", "market_days": ["sat"],
        "draws": {"weekday": {"units": 3, "blocks": 2}, "market": {"units": 2, "blocks": 2}, "weekend": {"units": 2, "blocks": 2}},
        "seed": 11
    });
    let mut zero = plan.clone();
    zero["draws"]["market"] = json!({"units": 0, "blocks": 2});
    let (status, e) = node.post("/api/v1/informal/plans", &analyst, zero).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let (status, plan) = node.post("/api/v1/informal/plans", &analyst, plan).await;
    assert_eq!(status, StatusCode::CREATED, "{plan}");
    let id = plan["id"].as_str().unwrap();
    let blocks = plan["design"]["assignments"].as_array().unwrap().len();
    assert_eq!(blocks, 14);
    let all: Vec<Value> = (0..blocks).map(|i| json!({"index": i, "enumerator": "encuestador.mx"})).collect();
    let (status, e) =
        node.post(&format!("/api/v1/informal/plans/{id}/assignments"), &analyst, json!(all)).await;
    assert_eq!(status, StatusCode::OK, "{e}");
    let (status, mine) = node.get("/api/v1/informal/assignments", &counter).await;
    assert_eq!(status, StatusCode::OK, "{mine}");
    let mine = mine.as_array().unwrap().clone();
    assert_eq!(mine.len(), 14);
    // Before everything is counted, the estimate names the block missing.
    let (status, e) = node.get("/api/v1/informal/estimates?from=2026-04-01&to=2026-04-30", &analyst).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(e["error"]["message"].as_str().unwrap().contains("not counted"), "{e}");
    for (i, a) in mine.iter().enumerate() {
        let session = json!({
            "id": uuid::Uuid::now_v7(), "point": a["point"], "day": a["day"], "block": a["block"], "groups": 3,
            "tallies": [
                {"direction": "entry", "sex": "F", "age": "adult", "means": "boat", "goods": true, "persons": 4 + i},
                {"direction": "exit", "sex": "M", "age": "child", "means": "foot", "goods": false, "persons": 2}
            ]
        });
        let (status, s) = node.post("/api/v1/informal/sessions", &counter, session.clone()).await;
        assert_eq!(status, StatusCode::CREATED, "{s}");
        let (status, s) = node.post("/api/v1/informal/sessions", &counter, session).await;
        assert_eq!((status, s["outcome"].as_str()), (StatusCode::OK, Some("already_present")));
    }
    let (_, mine) = node.get("/api/v1/informal/assignments", &counter).await;
    assert!(mine.as_array().unwrap().iter().all(|a| a["session"].is_string()), "every block counted");
    let (status, est) =
        node.get("/api/v1/informal/estimates?from=2026-04-01&to=2026-04-30&by=sex", &analyst).await;
    assert_eq!(status, StatusCode::OK, "{est}");
    let total = &est["lines"][0];
    assert_eq!(total["value"], "_T");
    assert!(total["low"].as_f64().unwrap() <= total["total"].as_f64().unwrap());
    assert!(total["high"].as_f64().unwrap() > total["total"].as_f64().unwrap());
    assert_eq!(est["descriptive"]["kind"], "descriptive");
    let (status, csv) = node
        .get_text("/api/v1/informal/estimates?from=2026-04-01&to=2026-04-30&by=sex&format=sdmx-csv", &analyst)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(csv.contains("FRONTERA:DF_INFORMAL(1.0)") && csv.contains("Horvitz"), "{csv}");
    let (status, flow) = node.get("/api/v1/informal/flow?from=2026-03&to=2026-04", &analyst).await;
    assert_eq!(status, StatusCode::OK, "{flow}");
    assert!(flow["months"][0]["informal"].is_null() && flow["months"][0]["note"].is_array());
    assert_eq!(flow["months"][1]["informal"]["total"], total["total"]);
    // An interview without consent is refused by name.
    let interview = json!({
        "id": uuid::Uuid::now_v7(), "session": mine[0]["session"], "consent": {"given": false},
        "direction": "entry", "sex": "F", "age": "adult", "origin": "Botes", "destination": "Chetumal",
        "purpose": "trade", "frequency": "weekly", "stay": "same_day", "holds_document": true,
        "protection_concern": false
    });
    let (status, e) = node.post("/api/v1/informal/interviews", &counter, interview).await;
    assert_eq!((status, error_of(&e).1.as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "consent.given"));

    // The forms without the script: a bad select is named by its field; a count goes in whole.
    node.user_with_password("encuestadora.mx", "enumerator", "MEX", None, "a long pass phrase").await;
    let mut browser = Browser::new(&node, "en");
    browser.log_in("encuestadora.mx", "a long pass phrase").await;
    let page = browser.get("/informal/count").await;
    assert_eq!(page.status, StatusCode::OK);
    let csrf = Browser::csrf(&page);
    let session = uuid::Uuid::now_v7().to_string();
    let fields = |purpose: &'static str| {
        vec![
            ("csrf", csrf.clone()),
            ("id", uuid::Uuid::now_v7().to_string()),
            ("session", mine[0]["session"].as_str().unwrap().to_string()),
            ("consent", "on".to_string()),
            ("direction", "entry".to_string()),
            ("sex", "F".to_string()),
            ("age", "adult".to_string()),
            ("origin", "Botes".to_string()),
            ("destination", "Chetumal".to_string()),
            ("purpose", purpose.to_string()),
            ("frequency", "weekly".to_string()),
            ("stay", "same_day".to_string()),
            ("holds_document", "yes".to_string()),
        ]
    };
    let bad = fields("smuggling");
    let bad: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let refused = browser.post("/informal/interview/send", &bad).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.html.contains("purpose"), "the field is named");
    let good = fields("trade");
    let good: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let sent = browser.post("/informal/interview/send", &good).await;
    assert_eq!(sent.location.as_deref().map(|l| l.starts_with("/informal/count?done=interview")), Some(true));
    let count = [
        ("csrf", csrf.as_str()),
        ("id", session.as_str()),
        ("slot", "mx-paso-botes/2"),
        ("day", "2026-05-01"),
        ("groups", "1"),
        ("d0", "exit"),
        ("s0", "M"),
        ("a0", "adult"),
        ("m0", "boat"),
        ("c0", "gtm"),
        ("n0", "2"),
    ];
    let sent = browser.post("/informal/count/send", &count).await;
    assert_eq!(
        sent.location.as_deref(),
        Some(format!("/informal/count?done=session&session={session}").as_str())
    );
    let (_, kept) = node.get("/api/v1/informal/sessions?from=2026-05-01&to=2026-05-01", &analyst).await;
    assert_eq!(kept[0]["tallies"][0]["nationality"], "GTM");
}
