//! The attacks of the security review, each tried as a role of the *other* country would try it
//! against a whole node: every test names its attack, and fails where the hole is open.

use super::*;

/// A node on each engine the tests have: SQLite always, and PostgreSQL (a database of its own,
/// dropped by [`finish`]) when `FRONTERA_TEST_DATABASE_URL` is set, as CI sets it.
async fn nodes() -> Vec<(Node, Option<(String, String)>)> {
    let mut out = vec![(Node::new().await, None)];
    if let Ok(admin_url) = std::env::var("FRONTERA_TEST_DATABASE_URL") {
        let db = format!("frontera_w_{}", uuid::Uuid::new_v4().simple());
        let pool = sqlx::PgPool::connect(&admin_url).await.unwrap();
        sqlx::query(&format!("CREATE DATABASE \"{db}\"")).execute(&pool).await.unwrap();
        pool.close().await;
        let (base, query) = admin_url.split_once('?').map_or((admin_url.as_str(), ""), |(b, q)| (b, q));
        let base = base.rsplit_once('/').map(|(b, _)| b).unwrap();
        let url = if query.is_empty() { format!("{base}/{db}") } else { format!("{base}/{db}?{query}") };
        let store = frontera_store::open(&url).await.unwrap();
        let app = App::new(store.clone(), PortRegistry::builtin(), "node-api-test");
        let node = Node {
            router: frontera_web::router(app.clone()),
            app,
            store,
            _dir: tempfile::tempdir().unwrap(),
        };
        out.push((node, Some((admin_url, db))));
    }
    out
}

/// Drops a PostgreSQL node's database.
async fn finish(node: Node, pg: Option<(String, String)>) {
    drop(node);
    if let Some((admin_url, db)) = pg {
        let pool = sqlx::PgPool::connect(&admin_url).await.unwrap();
        sqlx::query(&format!("DROP DATABASE IF EXISTS \"{db}\" WITH (FORCE)")).execute(&pool).await.unwrap();
        pool.close().await;
    }
}

/// A Mexican shelter and its service, as Mexico's directory holds them.
const MEXICAN_SHELTER: &str = r#"[{"id": "svc-mx-casa", "name": "Casa del Migrante", "status": "active",
    "attributes": [{"taxonomy_term": {"code": "shelter"}}],
    "organization": {"id": "org-mx-casa", "name": "Casa del Migrante Chetumal", "email": "casa@example.mx"},
    "service_at_locations": [{"id": "sal-mx-casa", "location": {"id": "loc-mx-casa",
      "addresses": [{"city": "Chetumal", "state_province": "Quintana Roo", "country": "MX"}]}}]}]"#;

async fn load_as_console(node: &Node, hsds: &str) {
    let part = frontera_app::directory::read_hsds(hsds, CountryCode::BLZ).unwrap();
    node.app.save_directory(&console(), &part, "t").await.unwrap();
}

#[tokio::test]
async fn a_protection_officer_cannot_rewrite_the_other_countrys_directory() {
    for (node, pg) in nodes().await {
        load_as_console(&node, MEXICAN_SHELTER).await;
        let before = node.app.directory().await.unwrap();
        let belize = node.token("prot.bz", "protection", "BLZ", None).await;
        let mexico = node.token("prot.mx", "protection", "MEX", None).await;

        // The review's attack: the Mexican organisation and its service, renamed, with the
        // attacker's e-mail and the service switched off; and the same without a location, which
        // used to give the organisation the uploader's country.
        let hijack = MEXICAN_SHELTER
            .replace("Casa del Migrante Chetumal", "Casa (moved)")
            .replace("casa@example.mx", "attacker@example.bz")
            .replace(r#""status": "active""#, r#""status": "inactive""#)
            .replace(r#""country": "MX""#, r#""country": "BZ""#);
        let homeless = r#"[{"id": "svc-mx-casa", "name": "Casa", "status": "inactive",
            "organization": {"id": "org-mx-casa", "name": "Casa (moved)", "email": "attacker@example.bz"}}]"#;
        // A new service of the attacker's hung on the Mexican organisation, and a new service of
        // the attacker's own organisation offered at the Mexican location.
        let grafted = r#"[{"id": "svc-bz-graft", "name": "Graft", "status": "active",
            "organization": {"id": "org-mx-casa", "name": "Casa del Migrante Chetumal"}}]"#;
        let borrowed = r#"[{"id": "svc-bz-own", "name": "Own", "status": "active",
            "organization": {"id": "org-bz-own", "name": "Own"},
            "service_at_locations": [{"id": "sal-bz-own", "location": {"id": "loc-mx-casa",
              "addresses": [{"city": "Chetumal", "state_province": "Quintana Roo", "country": "MX"}]}}]}]"#;
        for (attack, body) in [
            ("hijack", hijack.as_str()),
            ("homeless", homeless),
            ("grafted", grafted),
            ("borrowed", borrowed),
        ] {
            let (status, e) = node.post_text("/api/v1/directory", &belize, body).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{attack}: {e}");
            let message = e["error"]["message"].as_str().unwrap();
            assert!(message.contains("outside your scope") && message.contains('['), "{attack}: {message}");
            assert_eq!(node.app.directory().await.unwrap(), before, "{attack} changed nothing");
        }
        let (status, found) = node.get("/api/v1/directory/services?country=MEX", &mexico).await;
        assert_eq!((status, found["total_items"].as_u64()), (StatusCode::OK, Some(1)), "{found}");

        // Mexico's own officer changes its own organisation; its country stays Mexico's even when
        // the file says nothing of where it is.
        let (status, body) = node.post_text("/api/v1/directory", &mexico, homeless).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let after = node.app.directory().await.unwrap();
        let casa = after.organisations.iter().find(|o| o.id == "org-mx-casa").unwrap();
        assert_eq!((casa.country, casa.name.as_str()), (CountryCode::MEX, "Casa (moved)"));
        finish(node, pg).await;
    }
}

#[tokio::test]
async fn an_administrator_cannot_give_an_account_the_other_countrys_organisation() {
    let node = Node::new().await;
    load_as_console(&node, MEXICAN_SHELTER).await;
    load_as_console(&node, HSDS).await;
    let admin_mx = node.token("admin.mx", "admin", "MEX", None).await;
    let admin_mx = node.app.authenticate(&admin_mx).await.unwrap();
    let rogue = |name: &str, org: &str| NewUser {
        organisation: Some(org.into()),
        ..new_user(name, "provider", "MEX", None)
    };
    for (org, why) in [("org-casa", "another country"), ("org-nowhere", "no organisation")] {
        let e = node.app.add_user(&admin_mx, &rogue("rogue.mx", org), true).await.unwrap_err();
        assert!(
            matches!(&e, frontera_app::AppError::Invalid(v) if v.field == "organisation" && v.to_string().contains(why)),
            "{org}: {e:?}"
        );
    }
    node.app.add_user(&admin_mx, &rogue("casa.mx", "org-mx-casa"), false).await.unwrap();
    let change = frontera_app::users::AccountChange {
        role: "provider".into(),
        port: None,
        organisation: Some("org-casa".into()),
        enabled: true,
    };
    let e = node.app.change_account(&admin_mx, "casa.mx", &change).await.unwrap_err();
    assert!(matches!(&e, frontera_app::AppError::Invalid(v) if v.field == "organisation"), "{e:?}");
}

#[tokio::test]
async fn an_account_of_the_other_country_naming_the_receiving_organisation_reaches_nothing() {
    let node = Node::new().await;
    load_as_console(&node, HSDS).await;
    let protection = node.token("prot.bz", "protection", "BLZ", None).await;
    let mut legal = new_user("legal.bz", "provider", "BLZ", None);
    legal.organisation = Some("org-legal".into());
    let legal = node.app.add_user(&console(), &legal, true).await.unwrap().1.unwrap().expose().to_string();
    // An account as a store written before the rule, or by hand, could hold: Mexico's, naming
    // Belize's organisation.
    let token = frontera_app::auth::Token::generate();
    let hash = token.hash();
    let forged = frontera_store::User {
        id: frontera_domain::access::UserId(uuid::Uuid::now_v7()),
        name: "forged.mx".into(),
        role: frontera_domain::Role::Provider,
        country: CountryCode::MEX,
        port: None,
        organisation: Some("org-legal".into()),
        created_at: chrono::Utc::now(),
    };
    let event = frontera_domain::audit::AuditDraft::new("t", "user.add", "user", "forged", None, json!({}));
    let credentials = frontera_store::Credentials {
        token_hash: Some(&hash),
        token_expires_at: Some(chrono::Utc::now() + chrono::Duration::days(1)),
        password_hash: None,
    };
    node.store.add_user(&forged, credentials, event).await.unwrap();
    let forged = token.expose().to_string();

    let (status, case) = node
        .post(
            "/api/v1/cases",
            &protection,
            json!({"given_names": "Rosa", "surnames": "Xol", "sex": "F", "nationality": "GTM", "birth_date": "1990",
                   "profiles": ["trafficking"]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{case}");
    let id = case["id"].as_str().unwrap();
    let (status, consent) = node
        .post(
            &format!("/api/v1/cases/{id}/consents"),
            &protection,
            json!({"purpose": "shelter", "organisations": ["org-legal"], "data": ["identity", "needs"]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{consent}");
    let (status, referral) = node
        .post(
            &format!("/api/v1/cases/{id}/referrals"),
            &protection,
            json!({"service_at_location": "sal-2", "priority": "urgent", "reason": "an asylum claim"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{referral}");
    let rid = referral["id"].as_str().unwrap();

    let (status, _) = node.get(&format!("/api/v1/referrals/{rid}"), &forged).await;
    assert!(matches!(status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND), "{status}");
    let (_, listed) = node.get("/api/v1/referrals", &forged).await;
    assert_eq!(listed, json!([]));
    let events = format!("/api/v1/referrals/{rid}/events");
    let (status, _) = node.post(&events, &forged, json!({"event": "reject", "reason": "no"})).await;
    assert!(matches!(status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND), "{status}");
    let (status, seen) = node.get(&format!("/api/v1/referrals/{rid}"), &legal).await;
    assert_eq!((status, seen["lifecycle"]["state"].as_str()), (StatusCode::OK, Some("requested")), "{seen}");
}

/// A workbook written with `write` on its first sheet.
fn workbook(write: impl Fn(&mut rust_xlsxwriter::Worksheet)) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    write(book.add_worksheet());
    book.save_to_buffer().unwrap()
}

#[tokio::test]
async fn a_workbook_that_claims_a_huge_sheet_or_unpacks_to_gigabytes_is_refused_and_the_node_answers() {
    let node = Node::new().await;
    let registrar = node.token("reg.mx", "registrar", "MEX", None).await;
    let import = "/api/v1/labour/import/workers?format=xlsx";
    // The review's bomb: one cell at A1, one at XFD1048576; a dense grid of it is 512 GiB.
    let corners = workbook(|sheet| {
        sheet.write_string(0, 0, "document_number").unwrap();
        sheet.write_string(1_048_575, 16_383, "x").unwrap();
    });
    assert!(corners.len() < 8 * 1024, "{} bytes", corners.len());
    // A sheet a few kilobytes long whose parts unpack to more than the limit.
    let inflated = workbook(|sheet| {
        let filler = "a".repeat(32_000);
        for row in 0..2_200u32 {
            sheet.write_string(row, 0, format!("{row}{filler}")).unwrap();
        }
    });
    for (bomb, bytes, limit) in [("corners", corners, "200000 rows"), ("inflated", inflated, "64 MiB")] {
        let (status, _, body) = node
            .raw(
                "POST",
                import,
                &registrar,
                Some(("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", bytes)),
            )
            .await;
        let body: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bomb}: {body}");
        assert_eq!(body["error"]["field"], "file", "{bomb}: {body}");
        assert!(body["error"]["message"].as_str().unwrap().contains(limit), "{bomb}: {body}");
        let (status, _) = node.call("GET", "/healthz", None, None, None).await;
        assert_eq!(status, StatusCode::OK, "the node still answers after {bomb}");
    }
    // A workbook within the limits still loads, its rows numbered as the sheet numbers them.
    let fine = workbook(|sheet| {
        for (column, name) in
            ["given_names", "surnames", "sex", "nationality", "document_number"].iter().enumerate()
        {
            sheet.write_string(0, column as u16, *name).unwrap();
        }
        for (column, value) in ["Juana", "Pech", "F", "MEX", "G12345678"].iter().enumerate() {
            sheet.write_string(3, column as u16, *value).unwrap();
        }
    });
    let (status, _, body) = node
        .raw("POST", &format!("{import}&dry_run=true"), &registrar, Some(("application/octet-stream", fine)))
        .await;
    let body: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!((status, body["rows"].as_u64()), (StatusCode::OK, Some(1)), "{body}");
}

fn from(last: u8) -> std::net::IpAddr {
    std::net::IpAddr::V4(std::net::Ipv4Addr::new(198, 51, 100, last))
}

fn failed_logins(events: &[frontera_domain::audit::AuditEvent]) -> usize {
    events.iter().filter(|e| e.action == "user.login_failed").count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forty_wrong_passwords_and_the_right_one_at_once_are_counted_before_any_is_checked() {
    let node = Node::new().await;
    node.user_with_password("officer.mx", "officer", "MEX", None, "una frase larga de paso").await;
    let mut attempts = Vec::new();
    for i in 0..41 {
        let app = node.app.clone();
        let password = if i == 20 { "una frase larga de paso" } else { "adivinanza adivinanza" };
        attempts.push(tokio::spawn(async move { app.login_from("officer.mx", password, from(7)).await }));
    }
    let mut answers = Vec::new();
    for a in attempts {
        answers.push(a.await.unwrap());
    }
    let waited =
        answers.iter().filter(|a| matches!(a, Err(frontera_app::AppError::LockedOut { .. }))).count();
    let events = node.store.audit_events(0, 1000).await.unwrap();
    assert!(failed_logins(&events) <= 5, "{} passwords checked", failed_logins(&events));
    assert!(waited >= 35, "{waited} of 41 waited");
}

#[tokio::test]
async fn a_guesser_cannot_lock_the_owner_out_of_their_counter() {
    let node = Node::new().await;
    node.user_with_password("officer.bz", "officer", "BLZ", Some("bz-santa-elena"), "a long pass phrase")
        .await;
    node.app.login_from("officer.bz", "a long pass phrase", from(1)).await.unwrap();
    // The review's attack: five wrong passwords every so often, now from many addresses.
    for guesser in 2..30 {
        for _ in 0..6 {
            let _ = node.app.login_from("officer.bz", "guess guess guess", from(guesser)).await;
        }
    }
    let e = node.app.login_from("officer.bz", "guess guess guess", from(2)).await.unwrap_err();
    assert!(matches!(e, frontera_app::AppError::LockedOut { .. }), "{e:?}");
    node.app
        .login_from("officer.bz", "a long pass phrase", from(1))
        .await
        .expect("the owner's counter gets in");
}

#[tokio::test]
async fn an_unknown_name_gets_the_answers_a_known_one_gets() {
    let node = Node::new().await;
    node.user_with_password("officer.bz", "officer", "BLZ", None, "a long pass phrase").await;
    let answers = |name: &'static str, address| {
        let app = node.app.clone();
        async move {
            let mut out = Vec::new();
            for _ in 0..7 {
                out.push(match app.login_from(name, "guess guess guess", address).await {
                    Err(frontera_app::AppError::BadCredentials) => "bad credentials",
                    Err(frontera_app::AppError::LockedOut { .. }) => "wait",
                    other => panic!("{other:?}"),
                });
            }
            out
        }
    };
    let known = answers("officer.bz", from(3)).await;
    assert_eq!(known, answers("nobody.bz", from(4)).await);
    assert_eq!(known[..4], ["bad credentials"; 4]);
    assert_eq!(known[4..], ["wait"; 3]);
}

#[tokio::test]
async fn requests_without_a_valid_token_run_out_of_attempts() {
    let node = Node::new().await;
    let token = node.token("analyst.mx", "analyst", "MEX", None).await;
    let mut statuses = Vec::new();
    for i in 0..40 {
        let (status, _) = node.get("/api/v1/me", &format!("frt_guess{i}")).await;
        statuses.push(status);
    }
    assert_eq!(statuses[0], StatusCode::UNAUTHORIZED);
    assert_eq!(statuses.last(), Some(&StatusCode::TOO_MANY_REQUESTS));
    let (status, _) = node.get("/api/v1/me", &token).await;
    assert_eq!(status, StatusCode::OK, "a valid token is never throttled");
}

/// Three crossings at Santa Elena, recorded by a Belizean officer; the first's answer.
async fn three_belizean_crossings(node: &Node) -> Value {
    let officer = node.token("ana.bz", "officer", "BLZ", Some("bz-santa-elena")).await;
    let mut first = Value::Null;
    for _ in 0..3 {
        let (status, body) = node.post("/api/v1/crossings", &officer, mrz_crossing("bz-santa-elena")).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        first = if first.is_null() { body } else { first };
    }
    first
}

#[tokio::test]
async fn a_liaison_cannot_switch_off_disclosure_control_on_the_other_countrys_statistics() {
    let node = Node::new().await;
    three_belizean_crossings(&node).await;
    let liaison = node.token("liaison.mx", "liaison", "MEX", None).await;
    for asked in ["", "&threshold=1", "&threshold=2&public=false"] {
        let (status, body) =
            node.get(&format!("/api/v1/stats/crossings?country=BLZ&by=port{asked}"), &liaison).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["disclosure"], "controlled", "{asked}");
        let rows = body["rows"].as_array().unwrap();
        assert!(!rows.is_empty() && rows.iter().all(|r| r["cell"] == "suppressed"), "{asked}: {body}");
    }
    // Belize's own analyst may ask for a higher threshold of their public table, and may not
    // go below the node's.
    let analyst = node.token("analyst.bz", "analyst", "BLZ", None).await;
    let (_, body) = node.get("/api/v1/stats/crossings?by=port&public=true&threshold=1", &analyst).await;
    assert!(body["rows"].as_array().unwrap().iter().all(|r| r["cell"] == "suppressed"), "{body}");
}

#[tokio::test]
async fn a_liaison_reads_tables_never_records_of_either_country() {
    let node = Node::new().await;
    let first = three_belizean_crossings(&node).await;
    let id = first["id"].as_str().unwrap();
    for country in ["MEX", "BLZ"] {
        let liaison = node.token(&format!("liaison.{country}"), "liaison", country, None).await;
        for uri in [
            "/api/v1/crossings".to_string(),
            "/api/v1/crossings?country=BLZ".to_string(),
            format!("/api/v1/crossings/{id}"),
            "/api/v1/informal/interviews?from=2026-01-01&to=2026-12-31".to_string(),
            "/api/v1/informal/sessions?from=2026-01-01&to=2026-12-31".to_string(),
        ] {
            let (status, body) = node.get(&uri, &liaison).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{country} {uri}: {body}");
        }
        let (status, body) = node.get("/api/v1/stats/crossings?country=BLZ&by=direction", &liaison).await;
        assert_eq!((status, body["disclosure"].as_str()), (StatusCode::OK, Some("controlled")), "{body}");
    }
}

#[tokio::test]
async fn an_officer_cannot_tell_whether_the_other_country_knows_a_traveller() {
    for (node, pg) in nodes().await {
        let first = three_belizean_crossings(&node).await;
        let (person, crossing) = (first["person_id"].as_str().unwrap(), first["id"].as_str().unwrap());
        let officer = node.token("officer.mx", "officer", "MEX", Some("mx-subteniente-lopez")).await;
        let nobody = uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, b"nobody");
        let nothing = uuid::Uuid::now_v7();
        for (known, absent) in [
            (format!("/api/v1/persons/{person}/crossings"), format!("/api/v1/persons/{nobody}/crossings")),
            (format!("/api/v1/crossings/{crossing}"), format!("/api/v1/crossings/{nothing}")),
            (
                format!("/api/v1/crossings/{crossing}/screening"),
                format!("/api/v1/crossings/{nothing}/screening"),
            ),
        ] {
            let (status, body) = node.get(&known, &officer).await;
            let (absent_status, absent_body) = node.get(&absent, &officer).await;
            assert_eq!(
                (status, absent_status),
                (StatusCode::NOT_FOUND, StatusCode::NOT_FOUND),
                "{known}: {body}"
            );
            assert_eq!(body["error"]["code"], absent_body["error"]["code"]);
        }
        let events = node.store.audit_events(0, 1000).await.unwrap();
        let denied: Vec<_> =
            events.iter().filter(|e| e.action == "access.denied" && e.actor == "officer.mx").collect();
        assert_eq!(denied.len(), 3, "each try at the other country's records is audited");
        assert!(
            denied.iter().any(|e| e.record_id == person) && denied.iter().any(|e| e.record_id == crossing)
        );
        finish(node, pg).await;
    }
}

#[tokio::test]
async fn every_list_of_personal_data_read_is_audited_naming_what_it_showed() {
    for (node, pg) in nodes().await {
        load_as_console(&node, HSDS).await;
        let protection = node.token("prot.bz", "protection", "BLZ", None).await;
        let supervisor = node.token("sup.bz", "supervisor", "BLZ", None).await;
        let (status, case) = node
            .post(
                "/api/v1/cases",
                &protection,
                json!({"given_names": "Rosa", "surnames": "Xol", "sex": "F", "nationality": "GTM", "profiles": ["trafficking"]}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{case}");
        let (status, _) = node.get("/api/v1/referrals", &protection).await;
        assert_eq!(status, StatusCode::OK);
        let (status, page) = node
            .call(
                "PUT",
                "/api/v1/alert-lists/wanted",
                Some(&supervisor),
                Some(json!({"threshold": 0.9})),
                None,
            )
            .await;
        assert!(status.is_success(), "{page}");
        let entry = json!({"reference": "W-1", "kind": "removal_order", "action": "deny_entry",
            "names": [{"given_names": "Juan", "surnames": "Pérez", "quality": "primary"}],
            "reason": "removed 2025", "authority": "Immigration Department"});
        let (status, body) = node.post("/api/v1/alert-lists/wanted/alerts", &supervisor, entry).await;
        assert!(status.is_success(), "{body}");
        let (status, _) = node.get("/api/v1/alert-lists/wanted/alerts", &supervisor).await;
        assert_eq!(status, StatusCode::OK);
        let (status, _) = node.get("/api/v1/alert-lists/wanted/alerts/W-1", &supervisor).await;
        assert_eq!(status, StatusCode::OK);
        let events = node.store.audit_events(0, 1000).await.unwrap();
        let has = |action: &str| events.iter().any(|e| e.action == action);
        assert!(has("referral.list") && has("alert.list_read") && has("alert.read"), "{events:?}");
        let list = events.iter().find(|e| e.action == "alert.list_read").unwrap();
        assert!(list.detail.contains("W-1"), "{}", list.detail);
        // The protection inbox, on its page.
        let _ = node.app.my_cases(&node.app.authenticate(&protection).await.unwrap()).await.unwrap();
        let events = node.store.audit_events(0, 1000).await.unwrap();
        let inbox = events.iter().find(|e| e.action == "case.list").unwrap();
        assert!(inbox.detail.contains(case["id"].as_str().unwrap()), "{}", inbox.detail);
        finish(node, pg).await;
    }
}

#[tokio::test]
async fn an_api_token_is_revoked_expires_and_dies_with_a_new_password_or_a_switched_off_account() {
    for (node, pg) in nodes().await {
        let admin = node.app.authenticate(&node.token("admin.bz", "admin", "BLZ", None).await).await.unwrap();
        let officer = node.token("ana.bz", "officer", "BLZ", Some("bz-santa-elena")).await;
        let works = |token: String| {
            let node = &node;
            async move { node.get("/api/v1/me", &token).await.0 == StatusCode::OK }
        };
        assert!(works(officer.clone()).await);
        // Revoked by an administrator of the country; never by the other country's.
        let admin_mx =
            node.app.authenticate(&node.token("admin.mx", "admin", "MEX", None).await).await.unwrap();
        assert!(matches!(
            node.app.revoke_tokens(&admin_mx, "ana.bz").await,
            Err(frontera_app::AppError::Forbidden(_))
        ));
        assert_eq!(node.app.revoke_tokens(&admin, "ana.bz").await.unwrap(), 1);
        assert!(!works(officer).await, "revoked");
        // A token works for its days, then no more.
        let (user, short) = node.app.issue_token_for(&admin, "ana.bz", 1).await.unwrap();
        assert!(works(short.expose().to_string()).await);
        let later = chrono::Utc::now() + chrono::Duration::days(1) + chrono::Duration::minutes(1);
        assert_eq!(node.store.user_by_token(&short.hash(), later).await.unwrap(), None, "expired");
        assert!(node.app.issue_token_for(&admin, "ana.bz", 0).await.is_err());
        // A new password revokes every token.
        let password = frontera_app::login::Password::generate();
        node.app.set_password(&admin, "ana.bz", &password).await.unwrap();
        assert!(!works(short.expose().to_string()).await, "a password reset revokes");
        // Switched off, then on: no old token comes back.
        let (_, token) = node.app.issue_token(&admin, "ana.bz").await.unwrap();
        let change = |enabled| frontera_app::users::AccountChange {
            role: "officer".into(),
            port: Some("bz-santa-elena".into()),
            organisation: None,
            enabled,
        };
        node.app.change_account(&admin, &user.name, &change(false)).await.unwrap();
        node.app.change_account(&admin, &user.name, &change(true)).await.unwrap();
        assert!(!works(token.expose().to_string()).await, "switching off revokes for good");
        let events = node.store.audit_events(0, 1000).await.unwrap();
        assert!(events.iter().any(|e| e.action == "user.tokens_revoked"));
        finish(node, pg).await;
    }
}

#[tokio::test]
async fn an_administrator_revokes_a_users_tokens_from_the_accounts_page_in_spanish() {
    let node = Node::new().await;
    node.user_with_password("admin.bz", "admin", "BLZ", None, "una frase larga de administración").await;
    let officer = node.token("ana.bz", "officer", "BLZ", Some("bz-santa-elena")).await;
    let mut browser = Browser::new(&node, "es");
    browser.log_in("admin.bz", "una frase larga de administración").await;
    let page = browser.get("/admin/users").await;
    assert!(page.html.contains("/admin/users/ana.bz/tokens/revoke") && page.html.contains("Revocar tokens"));
    let csrf = Browser::csrf(&page);
    let forged = browser.post("/admin/users/ana.bz/tokens/revoke", &[("csrf", "not-the-token")]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert_eq!(node.get("/api/v1/me", &officer).await.0, StatusCode::OK);
    let done = browser.post("/admin/users/ana.bz/tokens/revoke", &[("csrf", &csrf)]).await;
    assert!(done.html.contains("Se revocó un token de API de ana.bz"), "{}", done.html);
    assert_eq!(node.get("/api/v1/me", &officer).await.0, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_language_switch_goes_back_only_to_a_path_of_this_site_and_never_fails() {
    let node = Node::new().await;
    let mut browser = Browser::new(&node, "en");
    for (next, to) in [
        ("/%09/evil.example", "/"),
        ("/%0a/evil.example", "/"),
        ("%0a", "/"),
        ("//evil.example", "/"),
        ("/%5Cevil.example", "/"),
        ("https://evil.example", "/"),
        ("/%20/evil.example", "/"),
        ("/counter?port=bz-santa-elena", "/counter?port=bz-santa-elena"),
    ] {
        let page =
            browser.get(&format!("/lang/es?next={}", next.replace('?', "%3F").replace('=', "%3D"))).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{next}");
        assert_eq!(page.location.as_deref(), Some(to), "{next}");
    }
}

#[tokio::test]
async fn every_answer_with_personal_data_is_kept_out_of_caches_and_never_sniffed() {
    let node = Node::new().await;
    let first = three_belizean_crossings(&node).await;
    let officer = node.token("sup.bz", "supervisor", "BLZ", None).await;
    for uri in [
        format!("/api/v1/crossings/{}", first["id"].as_str().unwrap()),
        "/api/v1/crossings".into(),
        "/api/v1/me".into(),
    ] {
        let (status, headers, _) = node.raw("GET", &uri, &officer, None).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        assert_eq!(headers[header::CACHE_CONTROL], "no-store", "{uri}");
        assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff", "{uri}");
        assert!(headers.get(header::STRICT_TRANSPORT_SECURITY).is_none(), "no HSTS over plain HTTP");
    }
    // Behind a proxy that terminated TLS, HSTS too.
    let request = Request::builder()
        .uri("/api/v1/me")
        .header(header::AUTHORIZATION, format!("Bearer {officer}"))
        .header("x-forwarded-proto", "https")
        .body(Body::empty())
        .unwrap();
    let response = node.router.clone().oneshot(request).await.unwrap();
    assert_eq!(response.headers()[header::STRICT_TRANSPORT_SECURITY], "max-age=31536000");
    // The stylesheet may be cached: it names no one.
    let (_, headers, _) = node.raw("GET", "/static/app.css", &officer, None).await;
    assert_eq!(headers[header::CACHE_CONTROL], "public, max-age=3600");
}

#[tokio::test]
async fn the_peer_hub_cannot_hand_over_a_referral_with_the_receivers_steps_already_taken() {
    let node = Node::new().await;
    load_as_console(&node, HSDS).await;
    // A Mexican protection officer refers to the Belizean legal clinic, and the clinic accepts:
    // the referral as it would stand on a hub after the receiver's step.
    let protection = node.token("prot.mx", "protection", "MEX", None).await;
    let mut legal = new_user("legal.bz", "provider", "BLZ", None);
    legal.organisation = Some("org-legal".into());
    let legal = node.app.add_user(&console(), &legal, true).await.unwrap().1.unwrap().expose().to_string();
    let (_, case) = node
        .post(
            "/api/v1/cases",
            &protection,
            json!({"given_names": "Ana", "surnames": "Poot", "sex": "F", "nationality": "HND", "birth_date": "1988",
                   "profiles": ["trafficking"]}),
        )
        .await;
    let id = case["id"].as_str().unwrap();
    node.post(
        &format!("/api/v1/cases/{id}/consents"),
        &protection,
        json!({"purpose": "legal aid", "organisations": ["org-legal"], "data": ["identity", "needs"]}),
    )
    .await;
    let (status, referral) = node
        .post(
            &format!("/api/v1/cases/{id}/referrals"),
            &protection,
            json!({"service_at_location": "sal-2", "priority": "normal", "reason": "asylum claim"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{referral}");
    let rid = referral["id"].as_str().unwrap();
    let (status, _) =
        node.post(&format!("/api/v1/referrals/{rid}/events"), &legal, json!({"event": "accept"})).await;
    assert_eq!(status, StatusCode::OK);
    let stored = node.store.protection_record("referral", rid).await.unwrap().unwrap();
    let mut accepted: Value = serde_json::from_str(&stored.record).unwrap();
    assert_eq!(accepted["lifecycle"]["state"], "accepted");

    // Mexico's hub hands it over to Belize's as a new referral, already accepted.
    let peer = node.token("hub.mx", "peer", "MEX", None).await;
    accepted["id"] = json!(uuid::Uuid::now_v7().to_string());
    accepted["case_id"] = json!("");
    accepted["exchange"] = Value::Null;
    let (status, e) = node.post("/api/v1/exchange/referrals", &peer, accepted.clone()).await;
    assert_eq!((status, error_of(&e).1.as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "lifecycle"), "{e}");
    let forged_id = accepted["id"].as_str().unwrap();
    assert!(node.store.protection_record("referral", forged_id).await.unwrap().is_none(), "nothing stored");
    // Handed over as it is sent, requested and without steps, it is taken.
    accepted["lifecycle"]["state"] = json!("requested");
    accepted["lifecycle"]["steps"] = json!([]);
    let (status, body) = node.post("/api/v1/exchange/referrals", &peer, accepted).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}
