//! The node's use cases, as its users live them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Write;
use std::sync::Arc;

use chrono::{Duration, NaiveDate, Utc};
use frontera_app::audit::Verification;
use frontera_app::crossings::{CrossingFilter, CrossingView};
use frontera_app::demo::{self, DemoOptions, Generator};
use frontera_app::login::Password;
use frontera_app::transfer::{ImportOptions, Silent};
use frontera_app::users::NewUser;
use frontera_app::{App, AppError};
use frontera_domain::access::Actor;
use frontera_domain::audit::ChainBreak;
use frontera_domain::crossing::{DocumentDraft, PersonDraft};
use frontera_domain::{CountryCode, CrossingDraft, Direction, PortRegistry};

struct Node {
    app: App,
    /// The node's store, to check what the use cases wrote.
    store: Arc<dyn frontera_store::Store>,
    url: String,
    _dir: tempfile::TempDir,
    console: Actor,
}

async fn node() -> Node {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("node.db").display());
    let store = frontera_store::open(&url).await.unwrap();
    let app = App::new(store.clone(), PortRegistry::builtin(), "node-test");
    Node { app, store, url, _dir: dir, console: Actor::console("test", CountryCode::BLZ) }
}

impl Node {
    async fn user(&self, name: &str, role: &str, country: &str, port: Option<&str>) -> Actor {
        let new = NewUser {
            name: name.into(),
            role: role.into(),
            country: country.into(),
            port: port.map(String::from),
            organisation: None,
            password: None,
        };
        let (_, token) = self.app.add_user(&self.console, &new, true).await.unwrap();
        self.app.authenticate(token.unwrap().expose()).await.unwrap()
    }
}

#[tokio::test]
async fn a_password_opens_a_session_five_wrong_ones_lock_the_account_and_every_try_is_audited() {
    let node = node().await;
    let password = Password::parse("cuatro caballos cansados").unwrap();
    let new = NewUser {
        name: "officer.bz".into(),
        role: "officer".into(),
        country: "BLZ".into(),
        port: Some("bz-santa-elena".into()),
        organisation: None,
        password: Some(password.clone()),
    };
    node.app.add_user(&node.console, &new, false).await.unwrap();

    let logged = node.app.login("officer.bz", "cuatro caballos cansados").await.unwrap();
    assert_eq!(logged.actor.name, "officer.bz");
    let (actor, session) = node.app.session_actor(logged.secret.expose()).await.unwrap();
    assert_eq!((actor.name.as_str(), session.csrf_token.len()), ("officer.bz", 64));
    node.app.logout(&actor, logged.secret.expose()).await.unwrap();
    assert!(matches!(
        node.app.session_actor(logged.secret.expose()).await,
        Err(AppError::Unauthenticated(_))
    ));

    // An unknown name and a wrong password get the same answer.
    assert!(matches!(node.app.login("nobody", "whatever it is").await, Err(AppError::BadCredentials)));
    for _ in 0..4 {
        assert!(matches!(
            node.app.login("officer.bz", "wrong guess 1234").await,
            Err(AppError::BadCredentials)
        ));
    }
    let locked = node.app.login("officer.bz", "wrong guess 1234").await;
    assert!(matches!(locked, Err(AppError::LockedOut { .. })), "{locked:?}");
    let refused = node.app.login("officer.bz", "cuatro caballos cansados").await;
    assert!(matches!(refused, Err(AppError::LockedOut { .. })), "the right password waits out the lock too");

    // An administrator's new password lifts the lock.
    let fresh = Password::parse("otra contraseña larga").unwrap();
    node.app.set_password(&node.console, "officer.bz", &fresh).await.unwrap();
    node.app.login("officer.bz", "otra contraseña larga").await.unwrap();

    let events = node.store.audit_events(0, 100).await.unwrap();
    let actions: Vec<&str> = events.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions.iter().filter(|a| **a == "user.login_failed").count(), 5);
    // The right password sent while the wait runs is not checked at all: nothing to audit.
    assert_eq!(actions.iter().filter(|a| **a == "user.login_refused").count(), 0);
    assert_eq!(actions.iter().filter(|a| **a == "user.login").count(), 2);
    assert!(actions.contains(&"user.logout") && actions.contains(&"user.password"));
    assert!(events.iter().all(|e| !e.detail.contains("caballos")), "no password in the audit trail");
}

#[tokio::test]
async fn an_officer_may_set_only_their_own_password() {
    let node = node().await;
    let officer = node.user("officer.bz", "officer", "BLZ", Some("bz-santa-elena")).await;
    node.user("other.bz", "officer", "BLZ", Some("bz-santa-elena")).await;
    let p = Password::parse("una frase bastante larga").unwrap();
    node.app.set_password(&officer, "officer.bz", &p).await.unwrap();
    assert!(matches!(node.app.set_password(&officer, "other.bz", &p).await, Err(AppError::Forbidden(_))));
}

fn mrz_entry(port: &str) -> CrossingDraft {
    CrossingDraft {
        port_id: Some(port.into()),
        direction: Some("entry".into()),
        category: Some("visitor".into()),
        mrz: Some(vec![
            "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<".into(),
            "L898902C36UTO7408122F1204159ZE184226B<<<<<10".into(),
        ]),
        ..CrossingDraft::default()
    }
}

fn typed_exit(port: &str, number: &str) -> CrossingDraft {
    CrossingDraft {
        port_id: Some(port.into()),
        direction: Some("exit".into()),
        category: Some("departing_national".into()),
        document: Some(DocumentDraft {
            kind: Some("passport".into()),
            number: Some(number.into()),
            issuing_state: Some("BLZ".into()),
            expiry_date: Some("2030-01-31".into()),
        }),
        person: Some(PersonDraft {
            given_names: Some("Shanice".into()),
            first_surname: Some("Gillett".into()),
            second_surname: None,
            sex: Some("F".into()),
            birth_date: Some("1990".into()),
            nationality: Some("BLZ".into()),
        }),
        ..CrossingDraft::default()
    }
}

#[tokio::test]
async fn an_officer_at_santa_elena_records_an_entry_from_the_mrz_and_only_belize_sees_the_name() {
    let node = node().await;
    let officer = node.user("ana.bz", "officer", "BLZ", Some("bz-santa-elena")).await;
    let recorded = node.app.record_crossing(&officer, &mrz_entry("bz-santa-elena")).await.unwrap();
    let (crossing, created) = (recorded.crossing, recorded.created);
    assert!(created);
    assert_eq!(crossing.person.name.first_surname, "ERIKSSON");
    assert_eq!(crossing.document.number.as_str(), "L898902C3");
    assert_eq!(crossing.provenance.recorded_by, "ana.bz");
    assert_eq!(crossing.id.0.get_version_num(), 7);

    // The same officer may not record at Blue Creek, nor anyone from Mexico in Belize.
    let err = node.app.record_crossing(&officer, &mrz_entry("bz-blue-creek")).await.unwrap_err();
    assert!(matches!(err, AppError::Forbidden(_)), "{err}");
    let mexican = node.user("luis.mx", "officer", "MEX", None).await;
    let err = node.app.record_crossing(&mexican, &mrz_entry("bz-santa-elena")).await.unwrap_err();
    assert!(matches!(err, AppError::Forbidden(_)), "{err}");
    // Reading it is answered as for a crossing that does not exist.
    let err = node.app.crossing(&mexican, crossing.id).await.unwrap_err();
    assert!(matches!(err, AppError::NotFound(_)), "{err}");
    let err = node.app.person_crossings(&mexican, crossing.person_id).await.unwrap_err();
    assert!(matches!(err, AppError::NotFound(_)), "{err}");
    let list = node.app.search_crossings(&mexican, &CrossingFilter::default()).await.unwrap();
    assert!(list.crossings.is_empty(), "a Mexican officer's search holds no Belizean record");

    // A Belizean analyst sees the crossing without the name; a liaison of Mexico reads
    // tables only, never records.
    let analyst = node.user("stats.bz", "analyst", "BLZ", None).await;
    let view = node.app.crossing(&analyst, crossing.id).await.unwrap();
    let CrossingView::Deidentified(d) = view else { panic!("an analyst saw a name") };
    assert_eq!(d.birth_year, Some(1974));
    let json = serde_json::to_string(
        &node.app.search_crossings(&analyst, &CrossingFilter::default()).await.unwrap(),
    )
    .unwrap();
    assert!(!json.contains("ERIKSSON") && !json.contains("L898902C3"), "{json}");
    let liaison = node.user("group.mx", "liaison", "MEX", None).await;
    let err = node.app.search_crossings(&liaison, &CrossingFilter::default()).await.unwrap_err();
    assert!(matches!(err, AppError::Forbidden(_)), "{err}");

    // The Belizean supervisor reads it, and the read is audited.
    let supervisor = node.user("sup.bz", "supervisor", "BLZ", None).await;
    assert!(matches!(node.app.crossing(&supervisor, crossing.id).await.unwrap(), CrossingView::Full(_)));
    let events = node.store.audit_events(0, 100).await.unwrap();
    assert!(events.iter().any(|e| e.action == "crossing.read" && e.actor == "sup.bz"));
    assert!(!events.iter().any(|e| e.actor == "stats.bz"), "no personal data, no read event");
}

#[tokio::test]
async fn a_resent_crossing_is_stored_once_and_a_changed_one_with_the_same_id_conflicts() {
    let node = node().await;
    let officer = node.user("ana.bz", "officer", "BLZ", None).await;
    let mut draft = typed_exit("bz-santa-elena", "P1234567");
    draft.id = Some(uuid::Uuid::now_v7().to_string());
    let recorded = node.app.record_crossing(&officer, &draft).await.unwrap();
    let (first, created) = (recorded.crossing, recorded.created);
    assert!(created);
    let recorded = node.app.record_crossing(&officer, &draft).await.unwrap();
    let (again, created) = (recorded.crossing, recorded.created);
    assert!(!created);
    assert_eq!(first, again);
    draft.category = Some("visitor".into());
    assert!(matches!(node.app.record_crossing(&officer, &draft).await, Err(AppError::Conflict(_))));
}

#[tokio::test]
async fn a_travellers_history_lists_entries_and_exits_in_order() {
    let node = node().await;
    let officer = node.user("ana.bz", "officer", "BLZ", None).await;
    let mut out = typed_exit("bz-santa-elena", "P7654321");
    out.occurred_at = Some((Utc::now() - Duration::hours(5)).to_rfc3339());
    let mut back = typed_exit("bz-santa-elena", "P7654321");
    back.direction = Some("entry".into());
    back.category = Some("returning_national".into());
    back.occurred_at = Some((Utc::now() - Duration::hours(1)).to_rfc3339());
    let recorded = node.app.record_crossing(&officer, &back).await.unwrap();
    let (b, _) = (recorded.crossing, recorded.created);
    let recorded = node.app.record_crossing(&officer, &out).await.unwrap();
    let (a, _) = (recorded.crossing, recorded.created);
    assert_eq!(a.person_id, b.person_id);
    let history = node.app.person_crossings(&officer, a.person_id).await.unwrap();
    let directions: Vec<Direction> = history.iter().map(|c| c.direction).collect();
    assert_eq!(directions, [Direction::Exit, Direction::Entry]);
}

fn write_csv(dir: &std::path::Path, name: &str, body: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    let mut f = std::fs::File::create(&path).unwrap();
    f.write_all(body.as_bytes()).unwrap();
    path
}

const HEADER: &str = "id,occurred_at,port_id,direction,category,document_kind,document_number,issuing_state,given_names,first_surname,second_surname,sex,birth_date,nationality\n";

#[tokio::test]
async fn an_import_with_bad_rows_stores_nothing_unless_asked_to_skip_them() {
    let node = node().await;
    let dir = tempfile::tempdir().unwrap();
    let body = format!(
        "{HEADER}\
,2026-03-01T15:00:00Z,bz-santa-elena,entry,visitor,passport,G11111111,MEX,Ana,López,Chi,F,1980-02-02,MEX\n\
,2026-03-01T15:05:00Z,bz-nowhere,entry,visitor,passport,G22222222,MEX,Luis,Pool,,M,1975,MEX\n\
,2026-03-01T15:09:00Z,mx-subteniente-lopez,exit,visitor,passport,P3333333,BLZ,Keisha,Young,,F,2090-01-01,BLZ\n\
,2026-03-01T15:10:00Z,mx-subteniente-lopez,exit,visitor,passport,P4444444,BLZ,Delroy,Flowers,,M,1969-07-04,BLZ\n\
,2026-03-01T15:12:00Z,mx-subteniente-lopez,exit\n"
    );
    let path = write_csv(dir.path(), "day.csv", &body);
    let report = node
        .app
        .import_crossings(&node.console, &path, ImportOptions::default(), Arc::new(Silent))
        .await
        .unwrap();
    assert!(!report.committed);
    assert_eq!(report.rows, 5);
    let lines: Vec<(u64, &str, &str)> =
        report.errors.iter().map(|e| (e.line, e.field.as_str(), e.rule)).collect();
    assert_eq!(
        lines,
        [(3, "port_id", "unknown_port"), (4, "birth_date", "in_future"), (6, "row", "syntax")],
        "a short row is named by its line too"
    );
    assert_eq!(node.store.count_crossings(&Default::default()).await.unwrap(), 0);
    // Every reason in the reader's language, the short row's too.
    let spanish = ImportOptions { lang: frontera_domain::Lang::Es, ..ImportOptions::default() };
    let report = node.app.import_crossings(&node.console, &path, spanish, Arc::new(Silent)).await.unwrap();
    let short = report.errors.iter().find(|e| e.line == 6).unwrap();
    assert!(short.message.starts_with("no es válido: CSV ilegible"), "{}", short.message);

    let skip = ImportOptions { skip_invalid: true, ..ImportOptions::default() };
    let report = node.app.import_crossings(&node.console, &path, skip, Arc::new(Silent)).await.unwrap();
    assert!(report.committed);
    assert_eq!((report.inserted, report.error_count), (2, 3));
    let report = node.app.import_crossings(&node.console, &path, skip, Arc::new(Silent)).await.unwrap();
    assert_eq!((report.inserted, report.already_present), (0, 2), "the same file again adds nothing");
}

#[tokio::test]
async fn an_export_imported_on_another_node_reproduces_every_crossing() {
    let post = node().await;
    let officer = post.user("ana.bz", "officer", "BLZ", None).await;
    for number in ["P1000001", "P1000002", "P1000003"] {
        post.app.record_crossing(&officer, &typed_exit("bz-santa-elena", number)).await.unwrap();
    }
    post.app.record_crossing(&officer, &mrz_entry("bz-santa-elena")).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.csv");
    let mut file = std::fs::File::create(&path).unwrap();
    let n = post
        .app
        .export_crossings(&post.console, &CrossingFilter::default(), &mut file, &Silent)
        .await
        .unwrap();
    assert_eq!(n, 4);
    drop(file);

    let hub = node().await;
    let report = hub
        .app
        .import_crossings(&hub.console, &path, ImportOptions::default(), Arc::new(Silent))
        .await
        .unwrap();
    assert!(report.committed, "{:?}", report.errors);
    assert_eq!(report.inserted, 4);
    let q = frontera_store::CrossingQuery { limit: 100, ..Default::default() };
    let mut at_post = post.store.search_crossings(&q, None).await.unwrap().crossings;
    let mut at_hub = hub.store.search_crossings(&q, None).await.unwrap().crossings;
    at_post.sort_by_key(|c| c.id);
    at_hub.sort_by_key(|c| c.id);
    assert_eq!(at_post, at_hub);
    // Importing the post's export into the post itself finds everything already there.
    let report = post
        .app
        .import_crossings(&post.console, &path, ImportOptions::default(), Arc::new(Silent))
        .await
        .unwrap();
    assert_eq!((report.inserted, report.already_present), (0, 4));
}

async fn raw(url: &str, sql: &str) -> Result<(), rusqlite::Error> {
    let conn = rusqlite::Connection::open(url.trim_start_matches("sqlite:"))?;
    conn.execute_batch(sql)
}

#[tokio::test]
async fn the_audit_trail_refuses_edits_and_names_the_first_tampered_event() {
    let node = node().await;
    let officer = node.user("ana.bz", "officer", "BLZ", None).await;
    for number in ["P2000001", "P2000002", "P2000003"] {
        node.app.record_crossing(&officer, &typed_exit("bz-santa-elena", number)).await.unwrap();
    }
    assert_eq!(node.app.verify_audit().await.unwrap(), Verification::Intact(4));

    let err = raw(&node.url, "UPDATE audit_events SET actor = 'mallory' WHERE seq = 2").await.unwrap_err();
    assert!(err.to_string().contains("append-only"), "{err}");
    let err = raw(&node.url, "DELETE FROM audit_events WHERE seq = 2").await.unwrap_err();
    assert!(err.to_string().contains("append-only"), "{err}");

    // Someone who drops the trigger can edit, but not unseen.
    raw(
        &node.url,
        "DROP TRIGGER audit_events_no_update;\nUPDATE audit_events SET actor = 'mallory' WHERE seq = 3",
    )
    .await
    .unwrap();
    assert_eq!(node.app.verify_audit().await.unwrap(), Verification::Broken(ChainBreak::Altered { seq: 3 }));
}

#[tokio::test]
async fn removing_the_last_audit_events_is_detected() {
    let node = node().await;
    let officer = node.user("ana.bz", "officer", "BLZ", None).await;
    node.app.record_crossing(&officer, &typed_exit("bz-santa-elena", "P3000001")).await.unwrap();
    raw(&node.url, "DROP TRIGGER audit_events_no_delete;\nDELETE FROM audit_events WHERE seq = 2")
        .await
        .unwrap();
    assert_eq!(
        node.app.verify_audit().await.unwrap(),
        Verification::Broken(ChainBreak::Truncated { last: 1, head: 2 })
    );
}

fn options(days: u32, seed: u64) -> DemoOptions {
    DemoOptions { days, seed, last_day: NaiveDate::from_ymd_opt(2026, 3, 14).unwrap(), cutoff: None }
}

#[test]
fn the_demo_is_the_same_for_the_same_seed_and_differs_for_another() {
    let a = Generator::new(options(2, 7)).unwrap();
    let b = Generator::new(options(2, 7)).unwrap();
    let c = Generator::new(options(2, 8)).unwrap();
    let day = NaiveDate::from_ymd_opt(2026, 3, 13).unwrap();
    assert_eq!(demo::digest(&a.day(day)), demo::digest(&b.day(day)));
    assert_ne!(demo::digest(&a.day(day)), demo::digest(&c.day(day)));
}

#[test]
fn a_demo_day_looks_like_the_border() {
    let g = Generator::new(options(30, 1)).unwrap();
    let days: Vec<NaiveDate> = g.days().collect();
    assert_eq!(days.len(), 30);
    let all: Vec<_> = days.iter().flat_map(|d| g.day(*d)).collect();
    let per_day = all.len() / 30;
    assert!((6_000..12_000).contains(&per_day), "{per_day} crossings a day");
    let at = |port: &str| all.iter().filter(|g| g.crossing.port_id.as_str() == port).count();
    assert!(at("bz-santa-elena") > 5 * at("bz-blue-creek"));
    assert!(at("bz-blue-creek") > 0 && at("bz-san-pedro") > 0 && at("mx-chetumal-muelle") > 0);
    assert!(all.iter().any(|g| g.crossing.person.name.second_surname.is_some()));
    // The same traveller leaves Belize and enters Mexico minutes later.
    let mut paired = 0;
    for exit in all
        .iter()
        .filter(|g| {
            g.crossing.port_id.as_str() == "bz-santa-elena" && g.crossing.direction == Direction::Exit
        })
        .take(200)
    {
        let entry = all.iter().find(|g| {
            g.traveller == exit.traveller
                && g.crossing.port_id.as_str() == "mx-subteniente-lopez"
                && g.crossing.direction == Direction::Entry
                && (g.crossing.occurred_at - exit.crossing.occurred_at) > Duration::zero()
                && (g.crossing.occurred_at - exit.crossing.occurred_at) < Duration::minutes(30)
        });
        if entry.is_some() {
            paired += 1;
        }
    }
    assert!(paired > 150, "{paired} of 200 exits are followed by an entry across the bridge");
    // Every generated crossing is one the API would accept.
    let last = all.iter().map(|g| g.crossing.occurred_at).max().unwrap();
    assert!(last.date_naive() <= NaiveDate::from_ymd_opt(2026, 3, 15).unwrap());
}

#[tokio::test]
async fn the_demo_loads_once_however_often_it_runs() {
    let node = node().await;
    let report = node.app.load_demo(&node.console, options(3, 5), Arc::new(Silent)).await.unwrap();
    assert!(report.inserted > 10_000);
    assert_eq!(report.inserted, report.generated);
    let again = node.app.load_demo(&node.console, options(3, 5), Arc::new(Silent)).await.unwrap();
    assert_eq!(again.inserted, 0);
    let users = node.app.demo_users(&node.console).await.unwrap();
    assert_eq!(users.len(), 22);
    let officer = node.app.authenticate(&users[0].token).await.unwrap();
    assert_eq!(officer.name, "officer.bz");
    // One import event per run (three days is one weekly batch), the directory the demo's
    // providers work for, one per demo user.
    assert_eq!(node.app.verify_audit().await.unwrap(), Verification::Intact(2 + 1 + 22));
    // Its protection work: a directory of both countries and three cases, once.
    let p = node.app.load_demo_protection(&node.console, &users).await.unwrap();
    assert_eq!((p.services, p.cases), (6, 3));
    let again = node.app.load_demo_protection(&node.console, &users).await.unwrap();
    assert_eq!((again.services, again.cases), (6, 0));
    let token = |name: &str| users.iter().find(|u| u.name == name).unwrap().token.clone();
    let centre = node.app.authenticate(&token("provider.mx")).await.unwrap();
    let received = node.app.referrals(&centre).await.unwrap();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].referral.lifecycle.state, frontera_domain::protection::State::Accepted);
    let protection = node.app.authenticate(&token("protection.bz")).await.unwrap();
    assert_eq!(node.app.my_cases(&protection).await.unwrap().len(), 3);
    assert!(node.app.notifications(&protection, true).await.unwrap().len() >= 3);

    // Its labour registries, consistent with its traffic: the cards the workers cross with are
    // their permits.
    let l = node.app.load_demo_labour(&node.console, options(3, 5)).await.unwrap();
    assert_eq!((l.employers, l.workers, l.permits, l.demands), (12, 680, 680, 6));
    let again = node.app.load_demo_labour(&node.console, options(3, 5)).await.unwrap();
    assert_eq!(again.permits, 0);
    let registrar = node.app.authenticate(&token("registrar.mx")).await.unwrap();
    let officer = node.app.authenticate(&token("officer.mx")).await.unwrap();
    let workers = node.app.search_workers(&registrar, "").await.unwrap();
    assert_eq!(workers.len(), 260, "Belizeans and Central Americans on a TVTF");
    let mut statuses = std::collections::BTreeMap::new();
    let mut crossed = 0;
    let at = chrono::NaiveDate::from_ymd_opt(2026, 3, 14).unwrap().and_hms_opt(15, 0, 0).unwrap().and_utc();
    for w in workers.iter().take(60) {
        let file = node.app.worker_file(&registrar, &w.id).await.unwrap();
        crossed += usize::from(!file.crossings.is_empty());
        let card = file.permits[0].card_number.clone().unwrap();
        let check = node
            .app
            .check_worker(
                &officer,
                CountryCode::MEX,
                &card,
                at,
                chrono_tz::America::Cancun,
                Some("MX-ROO"),
                30,
            )
            .await
            .unwrap();
        *statuses.entry(check.status()).or_insert(0) += 1;
    }
    assert!(crossed > 40, "{crossed} of 60 workers crossed in three days");
    assert!(statuses.get("valid").copied().unwrap_or(0) > 40, "{statuses:?}");
    assert!(statuses.len() >= 2, "more than one status: {statuses:?}");
    let season = frontera_app::labour::DemandReportRequest {
        from: Some("2025-11".into()),
        to: Some("2026-06".into()),
        ..Default::default()
    };
    let report = node.app.demand_report(&registrar, &season).await.unwrap();
    let march = report.months.iter().find(|m| m.month == "2026-03").unwrap();
    assert!(
        march.demanded >= 430 && march.permits_in_force > 200 && march.workers_crossing > 150,
        "{march:?}"
    );

    // Its informal crossings: both banks watched, last month's sample counted whole and this
    // month's up to the last day; the analyst's estimate rests on them.
    let m = node.app.load_demo_informal(&node.console, options(3, 5)).await.unwrap();
    assert_eq!((m.points, m.plans), (8, 4));
    assert!(m.sessions > 100 && m.interviews > m.sessions, "{m:?}");
    let again = node.app.load_demo_informal(&node.console, options(3, 5)).await.unwrap();
    assert_eq!(again.sessions, 0);
    let analyst = node.app.authenticate(&token("analyst.mx")).await.unwrap();
    let february = frontera_app::informal::EstimateRequest {
        country: None,
        from: NaiveDate::from_ymd_opt(2026, 2, 1).unwrap(),
        to: NaiveDate::from_ymd_opt(2026, 2, 28).unwrap(),
        group: None,
        by: Some("purpose".into()),
        measure: frontera_app::informal::Measure::Crossings,
    };
    let e = node.app.estimate_informal(&analyst, &february).await.unwrap();
    let total = &e.lines[0];
    // Four points, a weekday mean of 56 persons a block over four blocks: some 6 000 a month.
    assert!(total.total > 3_000.0 && total.total < 12_000.0, "{total:?}");
    assert!(total.low < total.total && total.total < total.high && total.cv < 0.5, "{total:?}");
    assert!(e.lines.iter().any(|l| l.value == "work"));
    let cases =
        node.app.my_cases(&node.app.authenticate(&token("protection.mx")).await.unwrap()).await.unwrap();
    assert!(cases.iter().any(|c| c.person.given_names == "Rosa"), "the referral from an interview");
}

/// The UN list shipped with the project's shared data, when it is there.
fn un_list_text() -> Option<String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/un-consolidated-list.xml");
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(_) => {
            eprintln!("skipped: {} is absent (the project's shared data)", path.display());
            None
        }
    }
}

#[test]
fn the_un_list_reads_whole_and_finds_listed_people_by_alias_and_by_transliteration() {
    use frontera_matching::NameTokens;
    use frontera_matching::screening::{Entry, Index, Query};
    let Some(text) = un_list_text() else { return };
    let list = frontera_app::alerts::un_xml::parse(&text).unwrap();
    assert_eq!((list.entries.len(), list.entities), (730, 273));
    for e in &list.entries {
        let primary = &e.names[0];
        assert!(!e.reference.is_empty(), "an entry without a reference");
        assert!(
            !(primary.given_names.is_empty() && primary.surnames.is_empty()),
            "{} has no name",
            e.reference
        );
    }
    let with_dates = list.entries.iter().filter(|e| !e.birth_dates.is_empty()).count();
    let with_nationality = list.entries.iter().filter(|e| !e.nationalities.is_empty()).count();
    assert!(
        with_dates > 600 && with_nationality > 500,
        "{with_dates} dated, {with_nationality} with a nationality"
    );
    assert!(list.unknown_countries.len() < 10, "{:?}", list.unknown_countries);

    let index = Index::build(list.entries.iter().map(Entry::of).collect());
    let screen = |given: &str, surnames: &str, birth: &str| {
        let query = Query {
            name: NameTokens::new(given, surnames),
            birth_date: Some(frontera_domain::PartialDate::parse(birth).unwrap()),
            ..Query::default()
        };
        index.screen(&query, 0.8, 3).first().map(|c| index.entries()[c.entry].reference.clone())
    };
    assert_eq!(screen("Ahmed Fuad", "Salim", "1951-06-19").as_deref(), Some("QDi.006"), "by an alias");
    assert_eq!(screen("Ayman", "al Zawahiri", "1951-06-19").as_deref(), Some("QDi.006"), "a transliteration");
    assert_eq!(screen("Mahfuz Ould", "al Walid", "1975-01-01").as_deref(), Some("QDi.015"), "another");
    assert_eq!(screen("María José", "Hernández Canché", "1988-03-14"), None, "a traveller on no list");
}

fn list_import(list: &str, format: frontera_app::alerts::ListFormat) -> frontera_app::alerts::ListImport {
    frontera_app::alerts::ListImport {
        list: list.into(),
        format,
        kind: None,
        threshold: None,
        source: Some("test".into()),
        country: None,
        lang: frontera_domain::Lang::En,
    }
}

const WANTED_V1: &str = "reference,given_names,surnames,aliases,birth_dates,nationalities,reason,authority\n\
    W-1,Anna Maria,Eriksson,,1974-08-12,UTO,fraud,Court of Utopia\n\
    W-2,José Luis,Hernández Canché,Pepe/Canché,1971-03-14,MEX,robbery,Juzgado 3\n\
    W-3,Shanice,Gillett,,1990,BLZ,theft,Belize Police\n";

#[tokio::test]
async fn a_list_loads_from_csv_its_new_version_updates_and_retires_and_a_bad_file_stores_nothing() {
    use frontera_app::alerts::{ListFormat, ScreenRequest};
    let node = node().await;
    let supervisor = node.user("sup.bz", "supervisor", "BLZ", Some("bz-santa-elena")).await;
    let report = node
        .app
        .import_alert_list(&supervisor, &list_import("bz-wanted", ListFormat::Csv), WANTED_V1)
        .await
        .unwrap();
    assert_eq!((report.entries, report.added, report.errors.len()), (3, 3, 0));
    let v2 = "reference,given_names,surnames,birth_dates\nW-1,Anna Maria,Eriksson,1974-08-12\nW-2,José Luis,Hernández,1971-03-14\n";
    let report = node
        .app
        .import_alert_list(&supervisor, &list_import("bz-wanted", ListFormat::Csv), v2)
        .await
        .unwrap();
    assert_eq!((report.added, report.updated, report.unchanged, report.retired), (0, 2, 0, 1));

    // Retired: Gillett is no hit any more; the others still are.
    let screen = |name: &str| ScreenRequest { name: Some(name.into()), ..ScreenRequest::default() };
    let found = node.app.screen(&supervisor, &screen("Shanice Gillett")).await.unwrap();
    assert!(found.hits.is_empty(), "{:?}", found.hits);
    let found = node.app.screen(&supervisor, &screen("Jose Luis Hernandes")).await.unwrap();
    assert_eq!(found.hits[0].reference, "W-2");

    // A bad row: nothing stored, every bad row named.
    let bad = "reference,surnames,birth_dates\nW-1,Eriksson,1974-13-01\nW-5,Pech,\n,Chan,\n";
    let report = node
        .app
        .import_alert_list(&supervisor, &list_import("bz-wanted", ListFormat::Csv), bad)
        .await
        .unwrap();
    let lines: Vec<(u64, &str)> = report.errors.iter().map(|e| (e.line, e.field.as_str())).collect();
    assert_eq!(lines, vec![(2, "birth_dates"), (4, "reference")]);
    let lists = node.app.alert_lists(&supervisor).await.unwrap();
    assert_eq!((lists[0].active, lists[0].retired), (2, 1), "the bad file changed nothing");

    // Only those who keep the lists may load them; an analyst may not even screen.
    let officer = node.user("ana.bz", "officer", "BLZ", Some("bz-santa-elena")).await;
    let analyst = node.user("stat.bz", "analyst", "BLZ", None).await;
    let denied =
        node.app.import_alert_list(&officer, &list_import("bz-wanted", ListFormat::Csv), WANTED_V1).await;
    assert!(matches!(denied, Err(AppError::Forbidden(_))));
    assert!(matches!(node.app.screen(&analyst, &screen("Anna Eriksson")).await, Err(AppError::Forbidden(_))));
    let events = node.store.audit_events(0, 1000).await.unwrap();
    assert_eq!(events.iter().filter(|e| e.action == "alerts.import").count(), 2);
    assert_eq!(events.iter().filter(|e| e.action == "alerts.screen").count(), 2);
}

#[tokio::test]
async fn a_crossing_that_hits_waits_for_the_officer_and_an_escalated_hit_for_the_supervisor() {
    use frontera_app::alerts::ListFormat;
    use frontera_app::alerts::hits::HitDecision;
    use frontera_domain::alert::HitStatus;
    let node = node().await;
    let officer = node.user("ana.bz", "officer", "BLZ", Some("bz-santa-elena")).await;
    let supervisor = node.user("sup.bz", "supervisor", "BLZ", Some("bz-santa-elena")).await;
    node.app
        .import_alert_list(&supervisor, &list_import("bz-wanted", ListFormat::Csv), WANTED_V1)
        .await
        .unwrap();

    let recorded = node.app.record_crossing(&officer, &mrz_entry("bz-santa-elena")).await.unwrap();
    let screening = recorded.screening.unwrap();
    assert_eq!((screening.entries, screening.protection), (3, false));
    assert_eq!(screening.hits.len(), 1);
    let hit = &screening.hits[0];
    assert_eq!((hit.reference.as_str(), hit.status), ("W-1", Some(HitStatus::Open)));
    assert_eq!(hit.explanation.birth_date, frontera_matching::screening::BirthEvidence::Exact);
    let id = hit.id.unwrap();
    // A traveller on no list: screened, no hit.
    let mut someone_else = typed_exit("bz-santa-elena", "P0000001");
    someone_else.person.as_mut().unwrap().first_surname = Some("Young".into());
    let clean = node.app.record_crossing(&officer, &someone_else).await.unwrap();
    assert!(clean.screening.unwrap().hits.is_empty());

    let decide = |resolution: &str, note: Option<&str>| HitDecision {
        resolution: resolution.into(),
        note: note.map(String::from),
    };
    let no_note = node.app.resolve_hit(&officer, id, &decide("dismiss", None)).await;
    assert!(matches!(no_note, Err(AppError::Invalid(ref e)) if e.field == "note"), "{no_note:?}");
    let pending = node.app.pending_hits(&officer, 10).await.unwrap();
    assert_eq!(pending.len(), 1);
    let escalated =
        node.app.resolve_hit(&officer, id, &decide("escalate", Some("same name, unsure"))).await.unwrap();
    assert_eq!(escalated.status, Some(HitStatus::Escalated));
    assert!(node.app.pending_hits(&officer, 10).await.unwrap().is_empty(), "the officer is done with it");
    let not_theirs = node.app.resolve_hit(&officer, id, &decide("confirm", None)).await;
    assert!(matches!(not_theirs, Err(AppError::Forbidden(_))));
    assert_eq!(node.app.pending_hits(&supervisor, 10).await.unwrap().len(), 1);
    let confirmed = node.app.resolve_hit(&supervisor, id, &decide("confirm", Some("checked"))).await.unwrap();
    assert_eq!(
        (confirmed.status, confirmed.resolved_by.as_deref()),
        (Some(HitStatus::Confirmed), Some("sup.bz"))
    );
    let twice = node.app.resolve_hit(&supervisor, id, &decide("dismiss", Some("x"))).await;
    assert!(matches!(twice, Err(AppError::Conflict(_))));

    // The crossing keeps it all.
    let kept = node.app.crossing_screening(&supervisor, recorded.crossing.id).await.unwrap();
    assert_eq!(kept.hits[0].status, Some(HitStatus::Confirmed));
    // The other country's officers see none of it.
    let mx = node.user("luis.mx", "officer", "MEX", Some("mx-subteniente-lopez")).await;
    assert!(node.app.crossing_screening(&mx, recorded.crossing.id).await.is_err());
    let actions: Vec<String> =
        node.store.audit_events(0, 1000).await.unwrap().into_iter().map(|e| e.action).collect();
    assert!(actions.iter().any(|a| a == "hit.escalate") && actions.iter().any(|a| a == "hit.confirm"));
}

#[tokio::test]
async fn a_missing_child_found_at_the_border_raises_the_protection_flag() {
    use frontera_app::alerts::ListFormat;
    let node = node().await;
    let officer = node.user("ana.bz", "officer", "BLZ", Some("bz-santa-elena")).await;
    let list =
        "reference,given_names,surnames,birth_dates,documents\nMC-7,Anna María,Eriksson,1974-08,L898902C3\n";
    let mut import = list_import("bz-missing", ListFormat::Csv);
    import.kind = Some("missing_child".into());
    node.app.import_alert_list(&node.console, &import, list).await.unwrap();
    let recorded = node.app.record_crossing(&officer, &mrz_entry("bz-santa-elena")).await.unwrap();
    let screening = recorded.screening.unwrap();
    assert!(screening.protection);
    let hit = &screening.hits[0];
    assert_eq!(hit.action, frontera_domain::alert::HitAction::Protect);
    assert_eq!(hit.explanation.document, Some(frontera_matching::similarity::DocumentMatch::Exact));
    // The child's protection case is opened at once, in the country's protection pool.
    let case_id = recorded.protection_case.expect("a protection case");
    let protection = node.user("prot.bz", "protection", "BLZ", None).await;
    let case = node.app.case(&protection, &case_id).await.unwrap();
    assert_eq!(
        (case.organisation.as_str(), case.risk),
        ("pool:BLZ", frontera_domain::protection::RiskLevel::High)
    );
    assert_eq!(case.crossing_id.as_deref(), Some(recorded.crossing.id.to_string().as_str()));
    assert!(case.notes[0].text.contains("bz-missing/MC-7"), "{:?}", case.notes);
}

#[tokio::test]
async fn a_retry_after_the_case_failed_to_open_opens_the_missing_childs_case_exactly_once() {
    use frontera_app::alerts::ListFormat;
    let node = node().await;
    let officer = node.user("ana.bz", "officer", "BLZ", Some("bz-santa-elena")).await;
    let list =
        "reference,given_names,surnames,birth_dates,documents\nMC-7,Anna María,Eriksson,1974-08,L898902C3\n";
    let mut import = list_import("bz-missing", ListFormat::Csv);
    import.kind = Some("missing_child".into());
    node.app.import_alert_list(&node.console, &import, list).await.unwrap();
    let mut draft = mrz_entry("bz-santa-elena");
    draft.id = Some(uuid::Uuid::now_v7().to_string());

    // The crossing is stored, then opening its case fails.
    raw(
        &node.url,
        "CREATE TRIGGER fault BEFORE INSERT ON protection_records \
         BEGIN SELECT RAISE(ABORT, 'injected fault'); END;",
    )
    .await
    .unwrap();
    assert!(node.app.record_crossing(&officer, &draft).await.is_err());
    raw(&node.url, "DROP TRIGGER fault;").await.unwrap();

    // The client retries: the crossing is already stored, and the case opens now.
    let retried = node.app.record_crossing(&officer, &draft).await.unwrap();
    assert!(!retried.created);
    let case_id = retried.protection_case.clone().expect("the case opened on retry");
    // Another retry answers the same case and opens no second one.
    let again = node.app.record_crossing(&officer, &draft).await.unwrap();
    assert_eq!(again.protection_case.as_deref(), Some(case_id.as_str()));

    let protection = node.user("prot.bz", "protection", "BLZ", None).await;
    let cases = node.app.my_cases(&protection).await.unwrap();
    let crossing_id = retried.crossing.id.to_string();
    let on_crossing: Vec<_> =
        cases.iter().filter(|c| c.crossing_id.as_deref() == Some(crossing_id.as_str())).collect();
    assert_eq!(on_crossing.len(), 1, "{cases:?}");
    assert_eq!(on_crossing[0].id, case_id);
    let opened = node
        .store
        .audit_events(0, 1000)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "case.open_on_hit")
        .count();
    assert_eq!(opened, 1);
}

#[tokio::test]
async fn the_un_list_loads_through_the_node_and_a_new_version_retires_who_left_it() {
    use frontera_app::alerts::{ListFormat, ScreenRequest};
    let Some(text) = un_list_text() else { return };
    let node = node().await;
    let report = node
        .app
        .import_alert_list(&node.console, &list_import("un-sc", ListFormat::UnXml), &text)
        .await
        .unwrap();
    assert_eq!((report.added, report.entities_skipped), (730, 273));
    let again = node
        .app
        .import_alert_list(&node.console, &list_import("un-sc", ListFormat::UnXml), &text)
        .await
        .unwrap();
    assert_eq!((again.added, again.updated, again.unchanged, again.retired), (0, 0, 730, 0));

    let request = ScreenRequest {
        given_names: Some("Aiman".into()),
        surnames: Some("al-Zawahiri".into()),
        birth_date: Some("1951".into()),
        ..ScreenRequest::default()
    };
    let found = node.app.screen(&node.console, &request).await.unwrap();
    assert_eq!((found.hits[0].list.as_str(), found.hits[0].reference.as_str()), ("un-sc", "QDi.006"));
    let json = serde_json::to_value(&found).unwrap();
    for key in ["score", "list", "reference", "names", "explanation"] {
        assert!(json["hits"][0].get(key).is_some(), "a hit has {key}: {json}");
    }

    // A version without that individual retires it.
    let start = text.find("<REFERENCE_NUMBER>QDi.006</REFERENCE_NUMBER>").unwrap();
    let open = text[..start].rfind("<INDIVIDUAL>").unwrap();
    let close = start + text[start..].find("</INDIVIDUAL>").unwrap() + "</INDIVIDUAL>".len();
    let newer = format!("{}{}", &text[..open], &text[close..]);
    let report = node
        .app
        .import_alert_list(&node.console, &list_import("un-sc", ListFormat::UnXml), &newer)
        .await
        .unwrap();
    assert_eq!((report.retired, report.unchanged), (1, 729));
    assert!(node.app.screen(&node.console, &request).await.unwrap().hits.is_empty());
}

#[tokio::test]
async fn a_list_changed_by_another_process_is_screened_against_soon_after() {
    use frontera_app::alerts::{ListFormat, ScreenRequest};
    let node = node().await;
    let other =
        App::new(frontera_store::open(&node.url).await.unwrap(), PortRegistry::builtin(), "node-test");
    let request = ScreenRequest { name: Some("Shanice Gillett".into()), ..ScreenRequest::default() };
    assert!(node.app.screen(&node.console, &request).await.unwrap().hits.is_empty());
    other
        .import_alert_list(&node.console, &list_import("bz-wanted", ListFormat::Csv), WANTED_V1)
        .await
        .unwrap();
    tokio::time::sleep(frontera_app::alerts::screener::RECHECK + std::time::Duration::from_millis(100)).await;
    assert_eq!(node.app.screen(&node.console, &request).await.unwrap().hits[0].reference, "W-3");
}

#[test]
fn a_screening_request_names_what_is_wrong() {
    use frontera_app::alerts::ScreenRequest;
    let field = |r: ScreenRequest| r.parse().unwrap_err().field;
    assert_eq!(field(ScreenRequest::default()), "name");
    let bad_date = ScreenRequest {
        name: Some("Ana".into()),
        birth_date: Some("1990-13".into()),
        ..ScreenRequest::default()
    };
    assert_eq!(field(bad_date), "birth_date");
    let both =
        ScreenRequest { name: Some("Ana".into()), surnames: Some("Pech".into()), ..ScreenRequest::default() };
    assert_eq!(field(both), "name");
    let many = ScreenRequest { name: Some("Ana".into()), candidates: Some(0), ..ScreenRequest::default() };
    assert_eq!(field(many), "candidates");
    let country = ScreenRequest {
        name: Some("Ana".into()),
        nationality: Some("XYZ".into()),
        ..ScreenRequest::default()
    };
    assert_eq!(field(country), "nationality");
}

#[tokio::test]
async fn a_table_of_crossings_adds_up_to_the_records_and_leaves_a_country_only_under_disclosure_control() {
    use frontera_app::stats::{CrossingStats, StatsRequest};
    let node = node().await;
    let report = node.app.load_demo(&node.console, options(3, 11), Arc::new(Silent)).await.unwrap();
    let all = |by: &str| StatsRequest { by: Some(by.into()), ..StatsRequest::default() };

    // The console counts every country; any breakdown adds up to what was stored.
    let CrossingStats::None { table } = node.app.crossing_stats(&node.console, &all("")).await.unwrap().table
    else {
        panic!("the console's table is not controlled");
    };
    assert_eq!(table.total(), report.inserted);
    let CrossingStats::None { table } =
        node.app.crossing_stats(&node.console, &all("day,port,direction,age_group")).await.unwrap().table
    else {
        panic!("the console's table is not controlled");
    };
    assert_eq!(table.total(), report.inserted);
    let groups: std::collections::BTreeSet<&str> = table.rows.iter().map(|r| r.key[3].as_str()).collect();
    assert!(groups.contains("25-34") && groups.contains("65+"), "{groups:?}");

    // By month (the monthly counts) is by day (the daily counts) added up, over whole months or
    // from the middle of one.
    for from in [None, Some("2020-01-01".to_string()), Some(table.rows[0].key[0].clone())] {
        let month = |by: &str| StatsRequest { from: from.clone(), ..all(by) };
        let CrossingStats::None { table: by_month } =
            node.app.crossing_stats(&node.console, &month("month,port")).await.unwrap().table
        else {
            panic!("not controlled");
        };
        let CrossingStats::None { table: by_day } =
            node.app.crossing_stats(&node.console, &month("day,port")).await.unwrap().table
        else {
            panic!("not controlled");
        };
        let mut summed: std::collections::BTreeMap<(String, String), u64> = Default::default();
        for r in &by_day.rows {
            *summed.entry((r.key[0][..7].to_string(), r.key[1].clone())).or_default() += r.count;
        }
        let monthly: std::collections::BTreeMap<(String, String), u64> =
            by_month.rows.iter().map(|r| ((r.key[0].clone(), r.key[1].clone()), r.count)).collect();
        assert_eq!(monthly, summed, "from {from:?}");
    }

    // An analyst sees their own country's table whole, and only theirs.
    let analyst = node.user("stats.bz", "analyst", "BLZ", None).await;
    let CrossingStats::None { table: own } =
        node.app.crossing_stats(&analyst, &all("port,nationality")).await.unwrap().table
    else {
        panic!("an analyst's own table is whole unless asked");
    };
    assert!(own.rows.iter().all(|r| r.key[0].starts_with("bz-")));
    let mexico = StatsRequest { country: Some("MEX".into()), ..all("port") };
    assert!(matches!(node.app.crossing_stats(&analyst, &mexico).await, Err(AppError::Forbidden(_))));

    // The binational liaison sees Belize's table only after disclosure control, with totals.
    let liaison = node.user("liaison.mx", "liaison", "MEX", None).await;
    let belize = StatsRequest { country: Some("BLZ".into()), ..all("port,nationality") };
    let CrossingStats::Controlled { table: shared } =
        node.app.crossing_stats(&liaison, &belize).await.unwrap().table
    else {
        panic!("another country's table leaves only under control");
    };
    for row in &shared.rows {
        if let frontera_stats::Cell::Shown(n) = row.cell {
            assert!(n >= shared.threshold, "{row:?}");
        }
    }
    let small = own.rows.iter().filter(|r| r.count < 5).count();
    let withheld = shared.rows.iter().filter(|r| r.cell == frontera_stats::Cell::Suppressed).count();
    assert!(withheld >= small, "{withheld} withheld for {small} small cells");
    let mut csv = Vec::new();
    CrossingStats::Controlled { table: shared }.write_csv(&mut csv).unwrap();
    let csv = String::from_utf8(csv).unwrap();
    assert!(csv.starts_with("port,nationality,count,status\n"), "{csv}");
    assert!(csv.contains("_T,_T,"));

    // The kept counts agree with the raw records; a tampered count is found and repaired.
    let check = node.app.check_counts(&node.console, false).await.unwrap();
    assert_eq!((check.crossings, check.differences.len()), (report.inserted, 0), "{check:?}");
    raw(&node.url, "DELETE FROM crossing_counts WHERE port_id = 'bz-blue-creek'").await.unwrap();
    let check = node.app.check_counts(&node.console, false).await.unwrap();
    assert!(!check.differences.is_empty() && !check.repaired);
    assert!(check.differences.iter().all(|d| d.cell[2] == "bz-blue-creek" && d.kept == 0), "{check:?}");
    assert!(matches!(node.app.check_counts(&analyst, true).await, Err(AppError::Forbidden(_))));
    assert!(node.app.check_counts(&node.console, true).await.unwrap().repaired);
    assert!(node.app.check_counts(&node.console, false).await.unwrap().differences.is_empty());

    // Bad input names the field and the rule.
    let bad = node.app.crossing_stats(&analyst, &all("month,colour")).await.unwrap_err();
    assert!(matches!(&bad, AppError::Invalid(e) if e.field == "by"), "{bad:?}");
    let reversed = StatsRequest { from: Some("2026-11-05".into()), to: Some("2026-11-01".into()), ..all("") };
    let bad = node.app.crossing_stats(&analyst, &reversed).await.unwrap_err();
    assert!(matches!(&bad, AppError::Invalid(e) if e.field == "to"), "{bad:?}");
}

#[tokio::test]
async fn a_public_table_exports_as_csv_sdmx_hxl_and_xlsx_and_outside_checkers_read_it_back() {
    use frontera_app::stats::{StatsRequest, TableFormat};
    let node = node().await;
    node.app.load_demo(&node.console, options(3, 11), Arc::new(Silent)).await.unwrap();
    let request = StatsRequest {
        by: Some("month,port,direction,sex".into()),
        country: Some("BLZ".into()),
        public: true,
        ..StatsRequest::default()
    };
    let table = node.app.crossing_stats(&node.console, &request).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    for (format, name) in [
        (TableFormat::Csv, "table.csv"),
        (TableFormat::SdmxCsv, "sdmx.csv"),
        (TableFormat::Hxl, "hxl.csv"),
        (TableFormat::Xlsx, "table.xlsx"),
    ] {
        let bytes = table.render(format, frontera_domain::Lang::En).unwrap();
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    std::fs::write(dir.path().join("structure.xml"), node.app.sdmx_structure()).unwrap();
    let sdmx = std::fs::read_to_string(dir.path().join("sdmx.csv")).unwrap();
    assert!(sdmx.lines().nth(1).unwrap().starts_with("dataflow,FRONTERA:DF_CROSSINGS(1.0),I,BLZ,"), "{sdmx}");
    let workbook = std::fs::read(dir.path().join("table.xlsx")).unwrap();
    assert_eq!(&workbook[..2], b"PK", "a workbook is a zip");
    // A table with no period has no SDMX form; the error names the field.
    let by_port = StatsRequest { by: Some("port".into()), ..StatsRequest::default() };
    let bad = node
        .app
        .crossing_stats(&node.console, &by_port)
        .await
        .unwrap()
        .render(TableFormat::SdmxCsv, frontera_domain::Lang::En);
    assert!(matches!(&bad, Err(AppError::Invalid(e)) if e.field == "by"), "{bad:?}");

    outside_checkers(&[dir.path().to_str().unwrap()], "back as the table");
}

/// Runs `tests/check_exports.py` with `args`: sdmx1 and libhxl, from PyPI, read the files back.
/// CI installs them and sets FRONTERA_REQUIRE_EXPORT_CHECKERS; elsewhere the check runs where
/// they are installed.
fn outside_checkers(args: &[&str], expected: &str) {
    let python = std::env::var("FRONTERA_PYTHON").unwrap_or_else(|_| "python3".into());
    let importable = std::process::Command::new(&python)
        .args(["-c", "import sdmx, hxl"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !importable {
        assert!(
            std::env::var_os("FRONTERA_REQUIRE_EXPORT_CHECKERS").is_none(),
            "{python} cannot import sdmx (sdmx1) and hxl (libhxl)"
        );
        eprintln!("skipping the outside checkers: {python} cannot import sdmx1 and libhxl");
        return;
    }
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/check_exports.py");
    let out = std::process::Command::new(&python).arg(script).args(args).output().unwrap();
    let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{said}");
    assert!(said.contains("read") && said.contains(expected), "{said}");
}

#[tokio::test]
async fn the_bulletin_adds_up_to_the_tables_and_shows_nothing_small() {
    use frontera_app::stats::bulletin::Figure;
    use frontera_app::stats::{StatsRequest, stays::Study, stays::StudyRequest};
    let node = node().await;
    // Two months of traffic ending mid-March 2026: February is whole.
    node.app.load_demo(&node.console, options(45, 5), Arc::new(Silent)).await.unwrap();
    let analyst = node.user("stats.bz", "analyst", "BLZ", None).await;
    let b =
        node.app.bulletin(&analyst, "2026-02", None, frontera_domain::Lang::Es, None, &Silent).await.unwrap();
    assert_eq!((b.country, b.month.to_string(), b.threshold), (CountryCode::BLZ, "2026-02-01".into(), 5));
    let feb = StatsRequest {
        by: Some("direction".into()),
        from: Some("2026-02-01".into()),
        to: Some("2026-02-28".into()),
        ..StatsRequest::default()
    };
    let table = node.app.crossing_stats(&analyst, &feb).await.unwrap().table;
    let frontera_app::stats::CrossingStats::None { table } = table else { panic!("an analyst's own table") };
    let direction = |d: &str| table.rows.iter().find(|r| r.key[0] == d).map_or(0, |r| r.count);
    let headline = |key: &str| b.headlines.iter().find(|h| h.key == key).unwrap().clone();
    assert_eq!(headline("entries").value, Figure::Count(direction("entry")));
    assert_eq!(headline("exits").value, Figure::Count(direction("exit")));
    // January is partly generated, last February not at all.
    assert!(matches!(headline("entries").previous, Figure::Count(n) if n > 0));
    assert_eq!(headline("entries").last_year, Figure::None);
    // The days of the month add up to the month, and the trend's last point is the month.
    let days: u64 = b.daily.iter().map(|p| if let Figure::Count(n) = p.entries { n } else { 0 }).sum();
    assert_eq!((b.daily.len(), days), (28, direction("entry")));
    assert_eq!(b.trend.len(), 13);
    assert_eq!(b.trend[12].entries, Figure::Count(direction("entry")));
    // Long-term arrivals are those of the migrants table, provisional while the window is open.
    let migrants = StudyRequest {
        by: Some("month".into()),
        from: Some("2026-02-01".into()),
        to: Some("2026-02-28".into()),
        ..StudyRequest::default()
    };
    let m = node.app.study(&analyst, Study::Migrants, &migrants, &Silent).await.unwrap();
    let frontera_app::stats::CrossingStats::None { table: m } = m.table else { panic!("whole") };
    let arrivals: u64 = m.rows.iter().filter(|r| r.key[1] == "long_term_arrival").map(|r| r.count).sum();
    let lta = headline("long_term_arrivals");
    assert!(lta.provisional);
    // The headline is the migrants table's own cell, as protected with the rest of the table:
    // where the table withholds long-term arrivals (a complement of small departures), the tile
    // does too, so the total less the other cells cannot give the departures away.
    let migrants_table = &b.tables.iter().find(|t| t.key == "migrants").unwrap().table;
    let in_table = migrants_table.rows.iter().find(|r| r.key == ["long_term_arrival", "_T"]).map(|r| r.cell);
    match in_table {
        Some(frontera_stats::Cell::Shown(n)) => {
            assert_eq!((lta.value, n), (Figure::Count(arrivals), arrivals))
        }
        Some(frontera_stats::Cell::Suppressed) => {
            assert_eq!(lta.value, Figure::Withheld, "{arrivals} withheld")
        }
        None => assert_eq!((lta.value, arrivals), (Figure::None, 0)),
    }
    // The month's totals are one figure wherever the bulletin holds them: shown alike or
    // withheld alike in every table by direction and in the headlines.
    for (direction, key) in [("entry", "entries"), ("exit", "exits")] {
        let headline_shown = matches!(headline(key).value, Figure::Count(_));
        for t in b.tables.iter().filter(|t| t.table.dimensions.contains(&"direction")) {
            let cell = t.table.rows.iter().find(|r| r.key == ["_T", direction]).map(|r| r.cell);
            assert_eq!(
                matches!(cell, Some(frontera_stats::Cell::Shown(_))),
                headline_shown,
                "{} {direction}",
                t.key
            );
        }
    }
    // Every table went through disclosure control: nothing under the threshold is shown.
    assert_eq!(
        b.tables.iter().map(|t| t.key).collect::<Vec<_>>(),
        ["ports", "nationalities", "categories", "age_sex", "migrants"]
    );
    for t in &b.tables {
        for row in &t.table.rows {
            if let frontera_stats::Cell::Shown(n) = row.cell {
                assert!(n == 0 || n >= 5, "{}: {row:?}", t.key);
            }
        }
    }
    assert!(b.definitions.iter().any(|d| d.name == "long_term_arrival" && d.text.contains("12 de los 16")));
    assert!(b.quality.crossings > 0);
    // A month in the future, or not a month, is refused naming the field.
    for bad in ["2099-01", "2026-13", "febrero"] {
        let e = node
            .app
            .bulletin(&analyst, bad, None, frontera_domain::Lang::En, None, &Silent)
            .await
            .unwrap_err();
        assert!(matches!(&e, AppError::Invalid(v) if v.field == "month"), "{bad}: {e:?}");
    }
    let mexico =
        node.app.bulletin(&analyst, "2026-02", Some("MEX"), frontera_domain::Lang::En, None, &Silent).await;
    assert!(matches!(mexico, Err(AppError::Forbidden(_))));
}

#[tokio::test]
async fn a_stay_that_began_on_one_passport_and_ended_on_its_renewal_is_one_late_stay() {
    use frontera_app::stats::stays::{Study, StudyRequest};
    let node = node().await;
    let crossing = |direction: &str, day: &str, number: &str, stay: Option<i64>| CrossingDraft {
        port_id: Some("bz-santa-elena".into()),
        direction: Some(direction.into()),
        category: Some("visitor".into()),
        occurred_at: Some(format!("{day}T15:00:00Z")),
        permitted_stay_days: stay,
        document: Some(DocumentDraft {
            kind: Some("passport".into()),
            number: Some(number.into()),
            issuing_state: Some("MEX".into()),
            expiry_date: None,
        }),
        person: Some(PersonDraft {
            given_names: Some("Lucía".into()),
            first_surname: Some("Chablé".into()),
            second_surname: None,
            sex: Some("F".into()),
            birth_date: Some("1985-07-02".into()),
            nationality: Some("MEX".into()),
        }),
        ..CrossingDraft::default()
    };
    // Admitted for 30 days on 1 March; renewed her passport at the consulate; left on 10 April
    // on the new one: one stay of 41 days, ten days late.
    for draft in [
        crossing("entry", "2026-03-01", "G1000001", Some(30)),
        crossing("exit", "2026-04-10", "G2000002", None),
    ] {
        node.app.record_crossing(&node.console, &draft).await.unwrap();
    }
    let ask = |by: &str| StudyRequest {
        by: Some(by.into()),
        as_of: Some("2026-06-30".into()),
        country: Some("BLZ".into()),
        ..StudyRequest::default()
    };
    let stays = node.app.study(&node.console, Study::Stays, &ask(""), &Silent).await.unwrap();
    assert_eq!(
        (stays.quality.documents, stays.quality.travellers, stays.quality.document_changes),
        (2, 1, 1)
    );
    assert_eq!(stays.quality.exits_without_entry, 0);
    let mut csv = Vec::new();
    stays.write_csv(&mut csv).unwrap();
    assert_eq!(String::from_utf8(csv).unwrap(), "length,count\n31-90,1\n");
    let overstays = node.app.study(&node.console, Study::Overstays, &ask("month"), &Silent).await.unwrap();
    let mut csv = Vec::new();
    overstays.write_csv(&mut csv).unwrap();
    assert_eq!(
        String::from_utf8(csv).unwrap(),
        "month,expected,on_time,late_exit,overstaying,exit_not_recorded,overstay_rate\n2026-03,1,0,1,0,0,1.0000\n"
    );
    // The reads are audited as tables, naming no one.
    let events = node.store.audit_events(0, 1000).await.unwrap();
    assert!(events.iter().any(|e| e.action == "stats.stays" && e.record_kind == "table"));
    assert!(events.iter().any(|e| e.action == "stats.overstays"));
}

/// A user of `role`; an organisation the directory does not hold yet is added to it first, in
/// the user's country, as an account's organisation must be one of its country's.
async fn worker(node: &Node, name: &str, role: &str, country: &str, organisation: Option<&str>) -> Actor {
    if let Some(id) = organisation
        && role != "employer"
        && !node.app.directory().await.unwrap().organisations.iter().any(|o| o.id == id)
    {
        let part = frontera_domain::directory::Directory {
            organisations: vec![frontera_domain::directory::Organisation {
                id: id.into(),
                name: format!("Organisation {id}"),
                description: String::new(),
                email: None,
                website: None,
                country: CountryCode::parse(country).unwrap(),
            }],
            ..Default::default()
        };
        node.app.save_directory(&node.console, &part, "test").await.unwrap();
    }
    let new = NewUser {
        name: name.into(),
        role: role.into(),
        country: country.into(),
        port: (role == "officer").then(|| "bz-santa-elena".to_string()),
        organisation: organisation.map(String::from),
        password: None,
    };
    let (_, token) = node.app.add_user(&node.console, &new, true).await.unwrap();
    node.app.authenticate(token.unwrap().expose()).await.unwrap()
}

const SHELTER_DIRECTORY: &str = r#"[
  {"id": "svc-shelter", "name": "Child shelter", "status": "active", "maximum_age": 17,
   "attributes": [{"taxonomy_term": {"code": "shelter"}}], "organization": {"id": "org-casa", "name": "Casa"},
   "service_at_locations": [{"id": "sal-casa", "location": {"id": "loc-casa",
     "addresses": [{"city": "Chetumal", "state_province": "Quintana Roo", "country": "MX"}]}}]},
  {"id": "svc-legal", "name": "Legal aid", "status": "active",
   "attributes": [{"taxonomy_term": {"code": "legal_aid"}}], "organization": {"id": "org-legal", "name": "Clínica"},
   "service_at_locations": [{"id": "sal-legal", "location": {"id": "loc-legal",
     "addresses": [{"city": "Corozal Town", "state_province": "Corozal", "country": "BZ"}]}}]}
]"#;

#[tokio::test]
async fn a_child_identified_at_the_border_is_referred_across_it_under_consent_and_followed_to_the_end() {
    use frontera_app::protection::{CaseDraft, ConsentDraft, ReferralDraft};
    use frontera_domain::protection::{Event, Party, State};
    let node = node().await;
    let part = frontera_app::directory::read_hsds(SHELTER_DIRECTORY, CountryCode::BLZ).unwrap();
    node.app.save_directory(&node.console, &part, "test").await.unwrap();
    let officer = worker(&node, "ana.bz", "officer", "BLZ", None).await;
    let protection = worker(&node, "prot.bz", "protection", "BLZ", None).await;
    let other_protection = worker(&node, "prot2.bz", "protection", "BLZ", Some("org-ngo")).await;
    let casa = worker(&node, "casa.mx", "provider", "MEX", Some("org-casa")).await;
    let legal = worker(&node, "legal.bz", "provider", "BLZ", Some("org-legal")).await;
    let supervisor = worker(&node, "sup.bz", "supervisor", "BLZ", None).await;
    let kinds = |notices: Vec<frontera_app::notices::Notice>| {
        notices.into_iter().map(|n| format!("{} {}", n.kind, n.subject_id)).collect::<Vec<_>>()
    };

    // The officer identifies an unaccompanied child at the counter.
    let draft = CaseDraft {
        given_names: Some("Luis".into()),
        surnames: Some("Chan Pop".into()),
        birth_date: Some("2013-05".into()),
        sex: Some("M".into()),
        nationality: Some("GTM".into()),
        languages: vec!["es".into(), "kek".into()],
        profiles: vec!["unaccompanied_child".into()],
        risk: Some("high".into()),
        caregiver_informed: Some(false),
        note: Some("alone on the bus from Belize City".into()),
        ..CaseDraft::default()
    };
    let case = node.app.open_case(&officer, &draft).await.unwrap();
    assert_eq!(case.organisation, "pool:BLZ");
    // The protection officers in scope hear of it; no one else, not the officer who knows.
    assert_eq!(
        kinds(node.app.notifications(&protection, true).await.unwrap()),
        [format!("case.opened {}", case.id)]
    );
    for actor in [&officer, &other_protection, &casa, &supervisor] {
        assert_eq!(node.app.unread_notifications(actor).await.unwrap(), 0, "{}", actor.name);
    }
    assert_eq!(node.app.mark_notifications_read(&protection, &[]).await.unwrap(), 1);
    // The supervisors of those who work it see it: of the post where it was opened, or of no one
    // post; not another post's.
    let at_port = |name: &str, port: &str| NewUser {
        name: name.into(),
        role: "supervisor".into(),
        country: "BLZ".into(),
        port: Some(port.into()),
        organisation: None,
        password: None,
    };
    let mut post_supervisors = Vec::new();
    for (name, port) in [("sup.santa-elena", "bz-santa-elena"), ("sup.blue-creek", "bz-blue-creek")] {
        let (_, token) = node.app.add_user(&node.console, &at_port(name, port), true).await.unwrap();
        post_supervisors.push(node.app.authenticate(token.unwrap().expose()).await.unwrap());
    }
    assert!(node.app.case(&post_supervisors[0], &case.id).await.is_ok());
    assert!(node.app.case(&supervisor, &case.id).await.is_ok());
    assert!(matches!(node.app.case(&post_supervisors[1], &case.id).await, Err(AppError::NotFound(_))));
    assert_eq!(node.app.my_cases(&post_supervisors[1]).await.unwrap().len(), 0);
    // The country's protection officers see it; another organisation's do not (to them it is
    // absent, as an id that does not exist), and the try is audited; a provider never sees a case.
    assert_eq!(node.app.case(&protection, &case.id).await.unwrap().person.given_names, "Luis");
    assert!(matches!(node.app.case(&other_protection, &case.id).await, Err(AppError::NotFound(_))));
    assert!(matches!(node.app.case(&casa, &case.id).await, Err(AppError::NotFound(_))));
    let bad =
        node.app.open_case(&officer, &CaseDraft { profiles: vec!["tired".into()], ..draft.clone() }).await;
    assert!(matches!(&bad, Err(AppError::Invalid(e)) if e.field == "profiles[0]"), "{bad:?}");

    // No consent: the referral is refused, saying why.
    let refer = ReferralDraft {
        service_at_location: Some("sal-casa".into()),
        priority: Some("emergency".into()),
        reason: Some("a child alone needs a safe bed tonight".into()),
        ..ReferralDraft::default()
    };
    let refused = node.app.refer(&protection, &case.id, &refer).await;
    assert!(
        matches!(&refused, Err(AppError::Refused { en: m, .. }) if m.contains("no consent")),
        "{refused:?}"
    );
    // A child's consent is a guardian's.
    let consent = ConsentDraft {
        purpose: Some("shelter and family tracing".into()),
        service_kinds: vec!["shelter".into()],
        data: vec!["identity".into(), "needs".into()],
        ..ConsentDraft::default()
    };
    let e = node.app.add_consent(&protection, &case.id, &consent).await.unwrap_err();
    assert!(matches!(&e, AppError::Invalid(v) if v.field == "guardian_name"), "{e:?}");
    let consent = ConsentDraft {
        guardian_name: Some("María Pop".into()),
        guardian_relationship: Some("aunt, by telephone".into()),
        ..consent
    };
    let given = node.app.add_consent(&protection, &case.id, &consent).await.unwrap();
    let referral = node.app.refer(&protection, &case.id, &refer).await.unwrap();
    assert_eq!((referral.receiver.0.as_str(), referral.receiver.1), ("org-casa", CountryCode::MEX));
    assert_eq!(referral.packet.consent, given.id);
    // The receiving organisation hears of it; another does not.
    let heard = node.app.notifications(&casa, true).await.unwrap();
    assert_eq!(kinds(heard.clone()), [format!("referral.request {}", referral.id)]);
    assert_eq!(heard[0].detail["priority"], "emergency");
    assert!(!heard[0].detail.to_string().contains("Luis"), "no name in a notification");
    assert_eq!(node.app.unread_notifications(&legal).await.unwrap(), 0);
    assert!(
        referral.packet.unaccompanied_child && referral.packet.languages.is_empty(),
        "contact data did not go"
    );
    // The consent names shelters, not legal aid.
    let legal_referral = ReferralDraft { service_at_location: Some("sal-legal".into()), ..refer.clone() };
    assert!(matches!(
        node.app.refer(&protection, &case.id, &legal_referral).await,
        Err(AppError::Refused { .. })
    ));

    // The receiver sees the packet, not the case; another provider sees nothing (audited).
    let seen = node.app.referral(&casa, &referral.id).await.unwrap();
    assert_eq!((seen.side, seen.referral.case_id.as_str()), (Party::Receiver, ""));
    assert_eq!(seen.referral.packet.name, "Luis Chan Pop");
    assert!(matches!(node.app.referral(&legal, &referral.id).await, Err(AppError::NotFound(_))));
    let events = node.store.audit_events(0, 10_000).await.unwrap();
    assert_eq!(
        events.iter().filter(|e| e.action == "protection.denied").count(),
        4,
        "the other post's supervisor too"
    );

    // Forbidden steps are conflicts that say why; nothing changes.
    let e = node.app.act_on_referral(&protection, &referral.id, Event::Accept).await.unwrap_err();
    assert!(
        matches!(&e, AppError::Refused { en: m, .. } if m.contains("only the receiving organisation")),
        "{e:?}"
    );
    let done = Event::Complete { feedback: "placed".into() };
    let e = node.app.act_on_referral(&casa, &referral.id, done.clone()).await.unwrap_err();
    assert!(
        matches!(&e, AppError::Refused { en: m, .. } if m.contains("requested cannot complete")),
        "{e:?}"
    );
    assert!(e.message(frontera_domain::Lang::Es).contains("no admite"), "{e:?}");
    for (actor, event, state) in [
        (&casa, Event::Receive, State::Received),
        (&casa, Event::Accept, State::Accepted),
        (&casa, Event::Start, State::InProgress),
        (
            &casa,
            Event::Complete { feedback: "placed in the shelter; aunt on her way".into() },
            State::Completed,
        ),
        (&protection, Event::Close, State::Closed),
    ] {
        let view = node.app.act_on_referral(actor, &referral.id, event).await.unwrap();
        assert_eq!(view.referral.lifecycle.state, state);
    }
    assert_eq!(node.app.referrals(&casa).await.unwrap().len(), 1);
    // Every step told the other side: the receiver's four to the sender, the close to the receiver.
    let told = kinds(node.app.notifications(&protection, true).await.unwrap());
    let step = |s: &str| format!("referral.{s} {}", referral.id);
    assert_eq!(told, [step("complete"), step("start"), step("accept"), step("receive")]);
    assert_eq!(kinds(node.app.notifications(&casa, true).await.unwrap())[0], step("close"));

    // A second referral under the same consent, then the consent is withdrawn: the referral
    // is cancelled at once, and the receiver can do nothing more with it.
    let second = node.app.refer(&protection, &case.id, &refer).await.unwrap();
    node.app.withdraw_consent(&protection, &case.id, &given.id).await.unwrap();
    let after = node.app.referral(&protection, &second.id).await.unwrap();
    assert_eq!(after.referral.lifecycle.state, State::Cancelled);
    let e = node.app.act_on_referral(&casa, &second.id, Event::Accept).await.unwrap_err();
    assert!(matches!(&e, AppError::Refused { en: m, .. } if m.contains("cancelled")), "{e:?}");
    assert!(
        matches!(node.app.refer(&protection, &case.id, &refer).await, Err(AppError::Refused { en: m, .. }) if m.contains("withdrawn"))
    );

    // The override: a reason of substance, kept with the referral and audited.
    let short = ReferralDraft { override_reason: Some("urgent".into()), ..refer.clone() };
    assert!(
        matches!(node.app.refer(&protection, &case.id, &short).await, Err(AppError::Invalid(v)) if v.field == "override_reason")
    );
    let forced = ReferralDraft {
        override_reason: Some("no guardian reachable tonight; the child is at risk".into()),
        ..refer
    };
    let third = node.app.refer(&protection, &case.id, &forced).await.unwrap();
    assert_eq!(third.packet.consent, "override");
    let events = node.store.audit_events(0, 10_000).await.unwrap();
    let logged = events.iter().find(|e| e.action == "referral.request" && e.record_id == third.id).unwrap();
    assert!(logged.detail.contains("no guardian reachable"), "{}", logged.detail);

    // Overdue answers escalate once, on the clock given.
    let now = chrono::Utc::now();
    assert!(node.app.escalate_overdue(now).await.unwrap().is_empty());
    let later = now + chrono::Duration::hours(25);
    assert_eq!(node.app.escalate_overdue(later).await.unwrap(), vec![third.id.clone()]);
    assert!(node.app.escalate_overdue(later).await.unwrap().is_empty(), "once");
    assert!(node.app.referral(&protection, &third.id).await.unwrap().referral.escalated_at.is_some());
    // The supervisor hears of the overdue answer.
    assert_eq!(
        kinds(node.app.notifications(&supervisor, true).await.unwrap()),
        [format!("referral.overdue {}", third.id)]
    );

    // The overview counts, names no one, and leaves the country only under control.
    let o = node.app.protection_overview(&protection, None, false).await.unwrap();
    let frontera_app::stats::CrossingStats::None { table: cases } = &o.cases else {
        panic!("whole for its own officers")
    };
    assert_eq!(
        cases.rows.iter().map(|r| (r.key.clone(), r.count)).collect::<Vec<_>>(),
        [(vec!["unaccompanied_child".to_string(), "high".to_string()], 1)]
    );
    let frontera_app::stats::CrossingStats::None { table: referrals } = &o.referrals else { panic!("whole") };
    assert_eq!(referrals.total(), 3);
    assert!(o.median_hours_to_acceptance.is_some_and(|h| h >= 0.0) && o.median_hours_to_completion.is_some());
    let liaison = worker(&node, "liaison.mx", "liaison", "MEX", None).await;
    let shared = node.app.protection_overview(&liaison, Some("BLZ"), false).await.unwrap();
    assert!(matches!(shared.cases, frontera_app::stats::CrossingStats::Controlled { .. }));
    assert!(matches!(node.app.protection_overview(&casa, None, false).await, Err(AppError::Forbidden(_))));
}

#[tokio::test]
async fn a_case_moves_step_by_step_and_its_plan_and_closure_need_a_second_person() {
    use frontera_app::protection::{CaseDraft, ReferralDraft};
    use frontera_domain::protection::CaseStep;
    let node = node().await;
    let first = worker(&node, "prot.bz", "protection", "BLZ", None).await;
    let second = worker(&node, "prot2.bz", "protection", "BLZ", None).await;
    let draft = CaseDraft {
        given_names: Some("Ana".into()),
        surnames: Some("Xiquitzalcoatl".into()),
        sex: Some("F".into()),
        nationality: Some("HND".into()),
        profiles: vec!["asylum".into(), "pregnant".into()],
        ..CaseDraft::default()
    };
    let case = node.app.open_case(&first, &draft).await.unwrap();
    assert_eq!(case.organisation, "pool:BLZ");
    let case = node.app.advance_case(&first, &case.id).await.unwrap();
    assert_eq!(case.step, CaseStep::Assessment);
    // The case plan waits for someone else's approval.
    let case = node.app.advance_case(&first, &case.id).await.unwrap();
    assert_eq!(
        (case.step, case.pending.as_ref().map(|p| p.0)),
        (CaseStep::Assessment, Some(CaseStep::CasePlan))
    );
    assert!(matches!(node.app.advance_case(&first, &case.id).await, Err(AppError::Refused { .. })));
    assert!(matches!(node.app.approve_case_step(&first, &case.id).await, Err(AppError::Forbidden(_))));
    // The other who works the case was asked; who asked hears of the approval.
    let asked = node.app.notifications(&second, true).await.unwrap();
    assert_eq!(
        (asked[0].kind.as_str(), asked[0].detail["step"].as_str()),
        ("case.approval", Some("case_plan"))
    );
    let case = node.app.approve_case_step(&second, &case.id).await.unwrap();
    assert_eq!((case.step, case.pending.clone()), (CaseStep::CasePlan, None));
    assert_eq!(node.app.notifications(&first, true).await.unwrap()[0].kind, "case.approved");
    let case = node.app.add_case_note(&second, &case.id, "plan agreed with her").await.unwrap();
    // Handed to another protection officer of the organisation, who hears of it.
    assert_eq!(node.app.case_owners(&first, &case.id).await.unwrap(), ["prot.bz", "prot2.bz"]);
    let handed = node.app.reassign_case(&first, &case.id, "prot2.bz").await.unwrap();
    assert_eq!(handed.owner, "prot2.bz");
    let told = node.app.notifications(&second, true).await.unwrap();
    assert_eq!((told[0].kind.as_str(), told[0].detail["by"].as_str()), ("case.assigned", Some("prot.bz")));
    for bad in ["", "nobody", "sup.bz"] {
        let e = node.app.reassign_case(&first, &case.id, bad).await.unwrap_err();
        assert!(matches!(&e, AppError::Invalid(v) if v.field == "owner"), "{bad}: {e:?}");
    }
    // A file on the case: what it is comes from its bytes; only those who work the case read it.
    let pdf = b"%PDF-1.7\n1 0 obj << >> endobj\n";
    let file = node
        .app
        .attach(&first, &case.id, "C:\\scans\\antenatal.pdf", Some("application/pdf"), pdf)
        .await
        .unwrap();
    assert_eq!(
        (file.name.as_str(), file.media_type.as_str(), file.size),
        ("antenatal.pdf", "application/pdf", pdf.len() as u64)
    );
    let e = node.app.attach(&first, &case.id, "photo.png", Some("image/png"), pdf).await.unwrap_err();
    assert!(matches!(&e, AppError::Invalid(v) if v.field == "file"), "{e:?}");
    let e = node.app.attach(&first, &case.id, "tool.exe", None, b"MZ\x90\x00\x03\x00").await.unwrap_err();
    assert!(matches!(&e, AppError::Invalid(v) if v.field == "file"), "{e:?}");
    let e = node.app.attach(&first, &case.id, "", None, pdf).await.unwrap_err();
    assert!(matches!(&e, AppError::Invalid(v) if v.field == "name"), "{e:?}");
    assert_eq!(node.app.case_attachments(&second, &case.id).await.unwrap(), std::slice::from_ref(&file));
    let (read, bytes) = node.app.read_attachment(&second, &case.id, &file.id).await.unwrap();
    assert_eq!((read, bytes.as_slice()), (file.clone(), &pdf[..]));
    let outsider = worker(&node, "ngo.bz", "protection", "BLZ", Some("org-ngo")).await;
    assert!(matches!(
        node.app.read_attachment(&outsider, &case.id, &file.id).await,
        Err(AppError::NotFound(_))
    ));
    assert!(matches!(node.app.read_attachment(&second, &case.id, "nope").await, Err(AppError::NotFound(_))));
    let events = node.store.audit_events(0, 1000).await.unwrap();
    assert!(events.iter().any(|e| e.action == "case.attachment_read" && e.actor == "prot2.bz"));
    assert_eq!(case.notes.last().map(|n| n.by.as_str()), Some("prot2.bz"));
    // Tasks with due days, done once.
    let tomorrow = (chrono::Utc::now() + chrono::Duration::days(1)).format("%Y-%m-%d").to_string();
    let case = node.app.add_case_task(&first, &case.id, "antenatal check-up", &tomorrow).await.unwrap();
    assert_eq!((case.tasks.len(), case.tasks[0].number), (1, 1));
    let bad = node.app.add_case_task(&first, &case.id, "late", "2020-01-01").await.unwrap_err();
    assert!(matches!(&bad, AppError::Invalid(v) if v.field == "due"), "{bad:?}");
    // A task not done by its day is recalled, once, to those who work the case.
    assert_eq!(node.app.remind_due_tasks(chrono::Utc::now()).await.unwrap(), 0, "not due yet");
    let day_after = chrono::Utc::now() + chrono::Duration::days(2);
    assert_eq!(node.app.remind_due_tasks(day_after).await.unwrap(), 1);
    assert_eq!(node.app.remind_due_tasks(day_after).await.unwrap(), 0, "once");
    let recalled = node.app.notifications(&second, true).await.unwrap();
    assert_eq!((recalled[0].kind.as_str(), recalled[0].detail["task"].as_u64()), ("case.task_due", Some(1)));
    let case = node.app.complete_case_task(&second, &case.id, 1).await.unwrap();
    assert_eq!(case.tasks[0].done.as_ref().map(|d| d.1.as_str()), Some("prot2.bz"));
    assert!(matches!(node.app.complete_case_task(&second, &case.id, 1).await, Err(AppError::Refused { .. })));
    assert!(matches!(node.app.complete_case_task(&second, &case.id, 9).await, Err(AppError::NotFound(_))));
    for _ in 0..2 {
        node.app.advance_case(&first, &case.id).await.unwrap();
    }
    let case = node.app.advance_case(&first, &case.id).await.unwrap();
    assert_eq!(case.pending.as_ref().map(|p| p.0), Some(CaseStep::Closure));
    let case = node.app.approve_case_step(&second, &case.id).await.unwrap();
    assert!(case.closed_at.is_some());
    let refer = ReferralDraft {
        service_at_location: Some("sal-x".into()),
        reason: Some("r".into()),
        ..ReferralDraft::default()
    };
    assert!(
        matches!(node.app.refer(&first, &case.id, &refer).await, Err(AppError::Refused { en: m, .. }) if m.contains("closed"))
    );
    let events = node.store.audit_events(0, 1000).await.unwrap();
    assert_eq!(events.iter().filter(|e| e.action == "case.step_asked").count(), 2);

    // Purged after the retention period: nothing of her left but counts.
    let now = chrono::Utc::now();
    assert!(matches!(node.app.purge_closed_cases(&first, 30, now).await, Err(AppError::Forbidden(_))));
    assert_eq!(node.app.purge_closed_cases(&node.console, 30, now).await.unwrap().cases, 0, "not yet");
    let later = now + chrono::Duration::days(31);
    let purged = node.app.purge_closed_cases(&node.console, 30, later).await.unwrap();
    assert_eq!((purged.cases, purged.records), (1, 1));
    assert!(matches!(node.app.case(&first, &case.id).await, Err(AppError::NotFound(_))));
    assert!(
        node.app.notifications(&first, false).await.unwrap().is_empty(),
        "its notifications went with it"
    );
    assert!(node.store.attachment(&file.id).await.unwrap().is_none(), "and its files");
    let stats = node.app.protection_statistics().await.unwrap();
    let measures: Vec<(&str, &str, u64)> =
        stats.iter().map(|(_, m, v, n)| (m.as_str(), v.as_str(), *n)).collect();
    assert_eq!(
        measures,
        [
            ("cases_by_profile", "asylum", 1),
            ("cases_by_profile", "pregnant", 1),
            ("cases_by_risk", "medium", 1)
        ]
    );
    // Her name is nowhere in the database's files: not in the tables, not in free pages, not
    // in the write-ahead log.
    for file in ["node.db", "node.db-wal"] {
        let bytes = std::fs::read(node._dir.path().join(file)).unwrap_or_default();
        assert!(!bytes.windows(14).any(|w| w == b"Xiquitzalcoatl"), "{file} still holds her name");
    }
    let events = node.store.audit_events(0, 1000).await.unwrap();
    assert!(events.iter().all(|e| !e.detail.contains("Xiquitzalcoatl")), "no name in the audit trail");
    assert!(events.iter().any(|e| e.action == "case.purge" && e.record_id == case.id));
}

#[tokio::test]
async fn a_registrar_keeps_permits_and_the_counter_reads_their_status() {
    use frontera_app::labour::{EmployerDraft, PermitDraft, WorkerDraft};
    use frontera_domain::labour::{PermitCheck, PermitEvent, PermitState};
    let node = node().await;
    let registrar = worker(&node, "reg.mx", "registrar", "MEX", None).await;
    let other = worker(&node, "reg.bz", "registrar", "BLZ", None).await;
    let officer = worker(&node, "sup.mx", "supervisor", "MEX", None).await;
    let some = |s: &str| Some(s.to_string());
    let employer = EmployerDraft {
        name: some("Ingenio del Río Hondo"),
        registration: some("IRH-860101"),
        sector: some("a"),
        region: some("MX-ROO"),
    };
    let e = node.app.register_employer(&registrar, &employer).await.unwrap();
    assert_eq!((e.sector.as_str(), e.country), ("A", CountryCode::MEX));
    let bad = EmployerDraft { sector: some("Z"), ..employer.clone() };
    assert!(
        matches!(node.app.register_employer(&registrar, &bad).await, Err(AppError::Invalid(v)) if v.field == "sector")
    );
    let abroad = EmployerDraft { region: some("BZ-CZL"), ..employer.clone() };
    assert!(
        matches!(node.app.register_employer(&registrar, &abroad).await, Err(AppError::Invalid(v)) if v.field == "region")
    );
    assert!(matches!(node.app.register_employer(&officer, &employer).await, Err(AppError::Forbidden(_))));
    let w = node
        .app
        .register_worker(
            &registrar,
            &WorkerDraft {
                given_names: some("Mario"),
                surnames: some("Tzul Caal"),
                birth_date: some("1994-07-12"),
                sex: some("M"),
                nationality: some("GTM"),
                document_number: some("g1234567"),
                ..WorkerDraft::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(node.app.search_workers(&registrar, "TZUL").await.unwrap().len(), 1);
    assert!(
        matches!(node.app.worker_file(&other, &w.id).await, Err(AppError::NotFound(_))),
        "another country's file"
    );

    let draft = PermitDraft {
        kind: some("mx-tvtf"),
        worker_id: Some(w.id.clone()),
        employer_ids: vec![e.id.clone()],
        regions: vec!["MX-ROO".into(), "MX-CAM".into()],
        ..PermitDraft::default()
    };
    let bad = PermitDraft { regions: vec!["MX-YUC".into()], ..draft.clone() };
    assert!(
        matches!(node.app.apply_permit(&registrar, &bad).await, Err(AppError::Invalid(v)) if v.field == "regions[0]")
    );
    let bad = PermitDraft { kind: some("bz-seasonal-agricultural"), ..draft.clone() };
    assert!(
        matches!(node.app.apply_permit(&registrar, &bad).await, Err(AppError::Invalid(v)) if v.field == "kind")
    );
    let p = node.app.apply_permit(&registrar, &draft).await.unwrap();
    assert_eq!((p.sector.as_str(), p.life.state), ("A", PermitState::Applied));
    let renew = PermitEvent::Renew { valid_until: chrono::NaiveDate::from_ymd_opt(2030, 1, 1).unwrap() };
    let e = node.app.change_permit(&registrar, &p.id, renew).await.unwrap_err();
    assert!(e.message(frontera_domain::Lang::Es).contains("no admite"), "{e:?}");
    let today = chrono::Utc::now().with_timezone(&chrono_tz::America::Cancun).date_naive();
    let issue = PermitEvent::Issue { valid_from: today, valid_until: today + chrono::Duration::days(200) };
    let p = node.app.change_permit(&registrar, &p.id, issue).await.unwrap();
    assert_eq!(p.life.state, PermitState::Issued);

    // At the counter: the status, not the file.
    let now = chrono::Utc::now();
    let zone = chrono_tz::America::Cancun;
    let check = |dest: Option<&'static str>, doc: &'static str| {
        let (app, officer) = (node.app.clone(), officer.clone());
        async move { app.check_worker(&officer, CountryCode::MEX, doc, now, zone, dest, 30).await.unwrap() }
    };
    assert!(matches!(check(Some("MX-ROO"), "G1234567").await, PermitCheck::Valid { .. }));
    assert!(matches!(check(Some("MX-YUC"), "G1234567").await, PermitCheck::NotValidThere { .. }));
    assert_eq!(check(None, "X0000000").await, PermitCheck::None);
    assert!(
        matches!(node.app.worker_file(&officer, &w.id).await, Err(AppError::Forbidden(_))),
        "not the file"
    );
    let revoke = PermitEvent::Revoke { reason: "employer reported he left".into() };
    node.app.change_permit(&registrar, &p.id, revoke).await.unwrap();
    assert_eq!(
        check(None, "g1234567").await,
        PermitCheck::Revoked { permit: p.id.clone(), reason: "employer reported he left".into() }
    );
    let permits = node.app.worker_file(&registrar, &w.id).await.unwrap().permits;
    assert_eq!(permits[0].life.changes.len(), 2);
    let events = node.store.audit_events(0, 10_000).await.unwrap();
    for action in [
        "labour.employer",
        "labour.worker",
        "labour.permit_apply",
        "labour.permit_issue",
        "labour.permit_revoke",
        "labour.check",
    ] {
        assert!(events.iter().any(|e| e.action == action), "{action} audited");
    }
}

#[tokio::test]
async fn a_border_workers_crossing_is_checked_at_the_counter_and_the_officer_decides() {
    use frontera_app::labour::{CheckQuery, EmployerDraft, PermitDraft, WorkerDraft};
    use frontera_domain::labour::{PermitCheck, PermitEvent};
    let node = node().await;
    let registrar = worker(&node, "reg.mx", "registrar", "MEX", None).await;
    let officer = node.user("luis.mx", "officer", "MEX", Some("mx-subteniente-lopez")).await;
    let supervisor = node.user("sup.mx", "supervisor", "MEX", Some("mx-subteniente-lopez")).await;
    let some = |s: &str| Some(s.to_string());
    let crossing = |number: &str, kind: &str, destination: Option<&str>| CrossingDraft {
        port_id: some("mx-subteniente-lopez"),
        direction: some("entry"),
        category: some("border_worker"),
        purpose: some("work"),
        document: Some(DocumentDraft {
            kind: some(kind),
            number: some(number),
            issuing_state: some(if kind == "border_card" { "MEX" } else { "GTM" }),
            expiry_date: some("2031-01-31"),
        }),
        person: Some(PersonDraft {
            given_names: some("Mario"),
            first_surname: some("Tzul"),
            second_surname: some("Caal"),
            sex: some("M"),
            birth_date: some("1994-07-12"),
            nationality: some("GTM"),
        }),
        destination: destination.map(String::from),
        ..CrossingDraft::default()
    };
    // A traveller the node knows becomes a worker from his crossing's document.
    let first = node.app.record_crossing(&officer, &crossing("G7654321", "passport", None)).await.unwrap();
    let none = first.permit.clone().expect("a border worker is checked");
    assert_eq!((none.check.clone(), none.needs_decision, none.state()), (PermitCheck::None, true, "pending"));
    let w = node
        .app
        .register_worker(
            &registrar,
            &WorkerDraft { person_id: Some(first.crossing.person_id.to_string()), ..WorkerDraft::default() },
        )
        .await
        .unwrap();
    assert_eq!(
        (w.surnames.as_str(), w.document_number.as_str(), w.nationality, w.person_id.clone()),
        ("Tzul Caal", "G7654321", CountryCode::parse("GTM").unwrap(), first.crossing.person_id.to_string())
    );
    let employer = node
        .app
        .register_employer(
            &registrar,
            &EmployerDraft {
                name: some("Materiales del Sur"),
                registration: some("MSU-990101"),
                sector: some("F"),
                region: some("MX-ROO"),
            },
        )
        .await
        .unwrap();
    let p = node
        .app
        .apply_permit(
            &registrar,
            &PermitDraft {
                kind: some("mx-tvtf"),
                worker_id: Some(w.id.clone()),
                employer_ids: vec![employer.id.clone()],
                regions: vec!["MX-ROO".into()],
                card_number: some("tf1234567"),
                ..PermitDraft::default()
            },
        )
        .await
        .unwrap();
    let today = chrono::Utc::now().with_timezone(&chrono_tz::America::Cancun).date_naive();
    let issue = PermitEvent::Issue { valid_from: today, valid_until: today + chrono::Duration::days(200) };
    node.app.change_permit(&registrar, &p.id, issue).await.unwrap();

    // The card is the permit: in order at the port's own state, with nothing to decide.
    let ok = node.app.record_crossing(&officer, &crossing("TF1234567", "border_card", None)).await.unwrap();
    let check = ok.permit.clone().unwrap();
    assert!(matches!(check.check, PermitCheck::Valid { .. }), "{check:?}");
    assert_eq!(
        (check.state(), check.destination.as_deref(), check.worker_id.as_deref()),
        ("clear", Some("MX-ROO"), Some(w.id.as_str()))
    );
    let e = node.app.decide_permit(&officer, ok.crossing.id, "admit", "ok").await.unwrap_err();
    assert!(e.message(frontera_domain::Lang::Es).contains("nada que decidir"), "{e:?}");

    // Going to Campeche with a permit for Quintana Roo: the officer decides, once, with a reason.
    let away =
        node.app.record_crossing(&officer, &crossing("G7654321", "passport", Some("MX-CAM"))).await.unwrap();
    let check = away.permit.clone().unwrap();
    assert!(matches!(check.check, PermitCheck::NotValidThere { .. }), "{check:?}");
    assert!(check.needs_decision);
    let id = away.crossing.id;
    assert!(
        matches!(node.app.decide_permit(&officer, id, "admit", " ").await, Err(AppError::Invalid(v)) if v.field == "reason")
    );
    assert!(
        matches!(node.app.decide_permit(&officer, id, "wave", "x").await, Err(AppError::Invalid(v)) if v.field == "decision")
    );
    let other = node.user("ana.bz", "officer", "BLZ", Some("bz-santa-elena")).await;
    assert!(matches!(node.app.decide_permit(&other, id, "admit", "x").await, Err(AppError::Forbidden(_))));
    let decided = node
        .app
        .decide_permit(&officer, id, "admit", "delivering to Chetumal only, checked by phone")
        .await
        .unwrap();
    assert_eq!(
        (decided.state(), decided.decision.as_ref().map(|d| d.by.as_str())),
        ("admit", Some("luis.mx"))
    );
    assert!(node.app.decide_permit(&officer, id, "refuse", "second thoughts").await.is_err(), "decided once");

    // The same crossing sent again keeps its first check and decision.
    let again = CrossingDraft {
        id: Some(away.crossing.id.to_string()),
        occurred_at: Some(away.crossing.occurred_at.to_rfc3339()),
        ..crossing("G7654321", "passport", Some("MX-CAM"))
    };
    let resent = node.app.record_crossing(&officer, &again).await.unwrap();
    assert!(!resent.created);
    assert_eq!(resent.permit, Some(decided.clone()));

    // A destination that is not one of the port's country's is refused before anything is kept.
    let before = node.app.permit_checks(&registrar, &CheckQuery::default()).await.unwrap().len();
    let bad = node.app.record_crossing(&officer, &crossing("G7654321", "passport", Some("BZ-CZL"))).await;
    assert!(matches!(bad, Err(AppError::Invalid(v)) if v.field == "destination"));
    assert_eq!(node.app.permit_checks(&registrar, &CheckQuery::default()).await.unwrap().len(), before);
    assert_eq!(before, 3);

    // A revoked permit: refused at the counter.
    node.app
        .change_permit(&registrar, &p.id, PermitEvent::Revoke { reason: "employer closed".into() })
        .await
        .unwrap();
    let revoked =
        node.app.record_crossing(&officer, &crossing("TF1234567", "border_card", None)).await.unwrap();
    assert!(matches!(revoked.permit.as_ref().unwrap().check, PermitCheck::Revoked { .. }));
    node.app.decide_permit(&officer, revoked.crossing.id, "refuse", "permit revoked").await.unwrap();

    // Workers found by their permits: employer, sector, state.
    use frontera_app::labour::WorkerQuery;
    let find = |q: WorkerQuery| {
        let (app, registrar) = (node.app.clone(), registrar.clone());
        async move { app.find_workers(&registrar, &q).await }
    };
    assert_eq!(find(WorkerQuery { status: some("revoked"), ..Default::default() }).await.unwrap().len(), 1);
    assert_eq!(find(WorkerQuery { status: some("issued"), ..Default::default() }).await.unwrap().len(), 0);
    assert_eq!(
        find(WorkerQuery { sector: some("f"), q: some("tzul"), ..Default::default() }).await.unwrap().len(),
        1
    );
    assert_eq!(
        find(WorkerQuery { employer: Some(employer.id.clone()), ..Default::default() }).await.unwrap().len(),
        1
    );
    assert_eq!(
        find(WorkerQuery { employer: some("emp-none"), ..Default::default() }).await.unwrap().len(),
        0
    );
    assert!(matches!(
        find(WorkerQuery { status: some("lost"), ..Default::default() }).await,
        Err(AppError::Invalid(v)) if v.field == "status"
    ));

    // The registrar and the post's supervisor see the checks; the officer does not.
    let pending = CheckQuery { state: some("pending"), ..CheckQuery::default() };
    assert_eq!(
        node.app.permit_checks(&registrar, &pending).await.unwrap().len(),
        1,
        "the first, with no permit"
    );
    let refused = CheckQuery { state: some("refuse"), ..CheckQuery::default() };
    assert_eq!(
        node.app.permit_checks(&supervisor, &refused).await.unwrap()[0].crossing_id,
        revoked.crossing.id.to_string()
    );
    assert!(matches!(node.app.permit_checks(&officer, &pending).await, Err(AppError::Forbidden(_))));
    let bad = CheckQuery { state: some("maybe"), ..CheckQuery::default() };
    assert!(
        matches!(node.app.permit_checks(&registrar, &bad).await, Err(AppError::Invalid(v)) if v.field == "state")
    );
    // The worker's file: crossings by passport and by card, the employer, the checks.
    let file = node.app.worker_file(&registrar, &w.id).await.unwrap();
    assert_eq!(file.crossings.len(), 4, "{:?}", file.crossings);
    assert_eq!(
        file.crossings.iter().filter(|c| c.document_kind == "border_card").count(),
        2,
        "the card's crossings are his"
    );
    assert_eq!(file.employers.len(), 1);
    assert_eq!(file.checks.len(), 3, "checks made once he was registered");

    // Seasonal demand against permits and crossings, month by month.
    use frontera_app::labour::{DemandDraft, DemandReportRequest, PermitTableRequest};
    let this_month = today.format("%Y-%m").to_string();
    let next =
        (chrono::Datelike::with_day(&today, 1).unwrap() + chrono::Months::new(1)).format("%Y-%m").to_string();
    let asked = DemandDraft {
        employer_id: Some(employer.id.clone()),
        workers: Some(40),
        from: Some(this_month.clone()),
        to: Some(next.clone()),
        ..DemandDraft::default()
    };
    let d = node.app.register_demand(&registrar, &asked).await.unwrap();
    assert_eq!(
        (d.sector.as_str(), d.region.as_str(), d.requester.as_str()),
        ("F", "MX-ROO", "Materiales del Sur")
    );
    let growers = DemandDraft {
        requester: some("Asociación de Cañeros del Río Hondo"),
        sector: some("A"),
        region: some("MX-ROO"),
        workers: Some(300),
        from: Some(next.clone()),
        to: Some(next.clone()),
        ..DemandDraft::default()
    };
    node.app.register_demand(&registrar, &growers).await.unwrap();
    for (bad, field) in [
        (DemandDraft { to: some("2020-01"), ..asked.clone() }, "to"),
        (DemandDraft { to: some("2099-01"), ..asked.clone() }, "to"),
        (DemandDraft { workers: Some(0), ..asked.clone() }, "workers"),
        (DemandDraft { from: some("noviembre"), ..asked.clone() }, "from"),
        (DemandDraft { employer_id: None, ..asked.clone() }, "requester"),
        (DemandDraft { region: some("BZ-OW"), ..asked.clone() }, "region"),
    ] {
        let e = node.app.register_demand(&registrar, &bad).await.unwrap_err();
        assert!(matches!(&e, AppError::Invalid(v) if v.field == field), "{field}: {e:?}");
    }
    assert!(matches!(node.app.register_demand(&officer, &asked).await, Err(AppError::Forbidden(_))));
    // An employer declares its own demand, and sees only its own.
    let new = frontera_app::users::NewUser {
        name: "sur.rrhh".into(),
        role: "employer".into(),
        country: "MEX".into(),
        port: None,
        organisation: Some(employer.id.clone()),
        password: None,
    };
    let (_, token) = node.app.add_user(&node.console, &new, true).await.unwrap();
    let boss = node.app.authenticate(token.unwrap().expose()).await.unwrap();
    let own = DemandDraft { employer_id: None, requester: some("someone else"), ..asked.clone() };
    let declared = node.app.register_demand(&boss, &own).await.unwrap();
    assert_eq!(
        (declared.employer_id.as_deref(), declared.requester.as_str()),
        (Some(employer.id.as_str()), "Materiales del Sur"),
        "under its own name"
    );
    let theirs = DemandDraft { employer_id: some("emp-other"), ..asked.clone() };
    assert!(matches!(node.app.register_demand(&boss, &theirs).await, Err(AppError::Forbidden(_))));
    assert!(matches!(
        node.app.demand_report(&boss, &DemandReportRequest::default()).await,
        Err(AppError::Forbidden(_))
    ));
    assert!(matches!(
        node.app.register_worker(&boss, &WorkerDraft::default()).await,
        Err(AppError::Forbidden(_))
    ));
    assert_eq!(node.app.demands(&registrar).await.unwrap().len(), 3);
    assert_eq!(
        node.app.demands(&boss).await.unwrap().len(),
        2,
        "its own only: declared, and registered for it"
    );
    let report = node
        .app
        .demand_report(
            &registrar,
            &DemandReportRequest {
                from: Some(this_month.clone()),
                to: Some(next.clone()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let months: Vec<_> = report
        .months
        .iter()
        .map(|m| (m.month.as_str(), m.demanded, m.permits_in_force, m.permits_issued, m.gap))
        .collect();
    assert_eq!(
        months,
        vec![(this_month.as_str(), 80, 1, 1, 79), (next.as_str(), 380, 0, 0, 380)],
        "revoked today"
    );
    assert_eq!(report.months[0].workers_crossing, 1, "one worker crossed, on passport and card");
    let builders = DemandReportRequest {
        from: Some(this_month.clone()),
        to: Some(next.clone()),
        sector: some("A"),
        ..Default::default()
    };
    let report = node.app.demand_report(&registrar, &builders).await.unwrap();
    assert_eq!(
        (report.months[0].demanded, report.months[0].permits_in_force, report.months[1].demanded),
        (0, 0, 300)
    );
    let table = node
        .app
        .permit_table(&registrar, &PermitTableRequest { by: some("kind,region,sex"), ..Default::default() })
        .await
        .unwrap();
    let rows: Vec<(Vec<String>, u64)> = match &table {
        frontera_app::stats::CrossingStats::None { table } => {
            table.rows.iter().map(|r| (r.key.clone(), r.count)).collect()
        }
        other => panic!("{other:?}"),
    };
    assert_eq!(rows, vec![(vec!["mx-tvtf".into(), "MX-ROO".into(), "M".into()], 1)]);
    let public = node
        .app
        .permit_table(
            &registrar,
            &PermitTableRequest { by: some("kind"), public: true, ..Default::default() },
        )
        .await
        .unwrap();
    assert!(matches!(public, frontera_app::stats::CrossingStats::Controlled { .. }));
    let held = node
        .app
        .holder_crossings(
            &registrar,
            &frontera_app::labour::HolderCrossingsRequest {
                by: some("direction,kind,standing"),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let rows: Vec<(Vec<String>, u64)> = match &held {
        frontera_app::stats::CrossingStats::None { table } => {
            table.rows.iter().map(|r| (r.key.clone(), r.count)).collect()
        }
        other => panic!("{other:?}"),
    };
    assert_eq!(
        rows,
        vec![(vec!["entry".into(), "mx-tvtf".into(), "in_force".into()], 4)],
        "his four crossings, by passport and by card, on the days his permit was in force"
    );
    let events = node.store.audit_events(0, 10_000).await.unwrap();
    for action in [
        "labour.link",
        "labour.read",
        "labour.check",
        "labour.check_admit",
        "labour.check_refuse",
        "labour.checks",
    ] {
        assert!(events.iter().any(|e| e.action == action), "{action} audited");
    }
}

#[tokio::test]
async fn the_registry_imports_all_or_nothing_and_names_each_bad_row() {
    use frontera_app::labour::{RegistryFile, SheetFormat};
    use frontera_domain::Lang;
    let node = node().await;
    let registrar = worker(&node, "reg.bz", "registrar", "BLZ", None).await;
    let employers = "id,name,registration,sector,region\n\
        emp-1,Corozal Sugar Growers,CSG-001,A,BZ-CZL\n\
        emp-2,Free Zone Traders,FZT-77,Z,BZ-CZL\n\
        emp-3,Orange Walk Builders,OWB-12,F,MX-ROO\n\
        emp-4,Ambergris Resorts,AR-9,I,BZ-BZ\n";
    let report = node
        .app
        .import_registry(&registrar, RegistryFile::Employers, employers.as_bytes(), false, Lang::Es)
        .await
        .unwrap();
    let bad: Vec<(u64, &str)> = report.errors.iter().map(|e| (e.line, e.field.as_str())).collect();
    assert_eq!((report.rows, report.imported, bad), (4, 0, vec![(3, "sector"), (4, "region")]));
    let export = |file| {
        let (app, registrar) = (node.app.clone(), registrar.clone());
        async move { app.export_registry(&registrar, file, SheetFormat::Csv).await.unwrap() }
    };
    assert_eq!(
        String::from_utf8(export(RegistryFile::Employers).await).unwrap().lines().count(),
        1,
        "nothing stored"
    );
    let fixed = employers.replace("FZT-77,Z,", "FZT-77,G,").replace("F,MX-ROO", "F,BZ-OW");
    let report = node
        .app
        .import_registry(&registrar, RegistryFile::Employers, fixed.as_bytes(), false, Lang::En)
        .await
        .unwrap();
    assert_eq!((report.imported, report.error_count), (4, 0), "{:?}", report.errors);
    let again = node
        .app
        .import_registry(&registrar, RegistryFile::Employers, fixed.as_bytes(), false, Lang::En)
        .await
        .unwrap();
    assert_eq!((again.imported, again.already_present), (0, 4));
    let renamed = fixed.replace("Corozal Sugar Growers", "Another name");
    let clash = node
        .app
        .import_registry(&registrar, RegistryFile::Employers, renamed.as_bytes(), false, Lang::En)
        .await
        .unwrap();
    assert_eq!((clash.errors[0].line, clash.errors[0].field.as_str()), (2, "id"));

    // Columns by name, in any order; an unknown column refuses the file.
    let workers = "surnames,given_names,sex,nationality,document_number,birth_date,id\n\
        Chan Pech,Luis,M,MEX,G0012345,1988-03-02,w-1\n\
        Cal,Ana,F,GTM,P7654321,1995,w-2\n";
    let report = node
        .app
        .import_registry(&registrar, RegistryFile::Workers, workers.as_bytes(), false, Lang::En)
        .await
        .unwrap();
    assert_eq!(report.imported, 2, "{:?}", report.errors);
    let e = node
        .app
        .import_registry(&registrar, RegistryFile::Workers, b"name,colour\nx,y\n", false, Lang::En)
        .await
        .unwrap_err();
    assert!(matches!(e, AppError::Invalid(v) if v.field == "header"));

    // Permits as they stand: issued, revoked with a reason; an unknown worker is named.
    let permits = "id,kind,worker_id,employer_ids,regions,state,valid_from,valid_until,reason\n\
        p-1,bz-seasonal-agricultural,w-1,emp-1,BZ-CZL;BZ-OW,issued,2026-11-01,2027-06-15,\n\
        p-2,bz-temporary-employment,w-2,emp-2;emp-4,,revoked,2026-06-01,2027-05-31,left the employer\n\
        p-3,bz-temporary-employment,w-9,emp-2,,issued,2026-06-01,2027-05-31,\n\
        p-4,bz-seasonal-agricultural,w-2,emp-1,,issued,2026-06-01,2026-05-31,\n";
    let report = node
        .app
        .import_registry(&registrar, RegistryFile::Permits, permits.as_bytes(), false, Lang::En)
        .await
        .unwrap();
    let bad: Vec<(u64, &str)> = report.errors.iter().map(|e| (e.line, e.field.as_str())).collect();
    assert_eq!(bad, vec![(4, "worker_id"), (5, "valid_until")], "{:?}", report.errors);
    let good: String = permits.lines().take(3).map(|l| format!("{l}\n")).collect();
    let report = node
        .app
        .import_registry(&registrar, RegistryFile::Permits, good.as_bytes(), false, Lang::En)
        .await
        .unwrap();
    assert_eq!(report.imported, 2, "{:?}", report.errors);
    let file = node.app.worker_file(&registrar, "w-2").await.unwrap();
    assert_eq!(
        (file.permits[0].life.state.as_str(), file.permits[0].reason.as_deref()),
        ("revoked", Some("left the employer"))
    );

    // The registry moves to another node through XLSX, whole.
    let other = self::node().await;
    let moved = other.user("reg.bz2", "registrar", "BLZ", None).await;
    for file in [RegistryFile::Employers, RegistryFile::Workers, RegistryFile::Permits] {
        let xlsx = node.app.export_registry(&registrar, file, SheetFormat::Xlsx).await.unwrap();
        assert!(xlsx.starts_with(b"PK"));
        let report = other.app.import_registry(&moved, file, &xlsx, false, Lang::En).await.unwrap();
        assert_eq!(report.error_count, 0, "{file:?}: {:?}", report.errors);
        assert_eq!(
            other.app.export_registry(&moved, file, SheetFormat::Csv).await.unwrap(),
            export(file).await,
            "{file:?} the same on both"
        );
    }
    let officer = node.user("ofi.bz", "officer", "BLZ", Some("bz-santa-elena")).await;
    assert!(matches!(
        node.app.export_registry(&officer, RegistryFile::Workers, SheetFormat::Csv).await,
        Err(AppError::Forbidden(_))
    ));
    let events = node.store.audit_events(0, 10_000).await.unwrap();
    assert_eq!(events.iter().filter(|e| e.action == "labour.import").count(), 3, "one event per stored file");
}

fn tally(direction: &str, persons: u32) -> frontera_domain::informal::Tally {
    serde_json::from_value(serde_json::json!({
        "direction": direction, "sex": "M", "age": "adult", "nationality": null,
        "means": "boat", "goods": false, "persons": persons
    }))
    .unwrap()
}

fn interview(session: uuid::Uuid, consent: bool, frequency: &str) -> frontera_app::informal::InterviewDraft {
    serde_json::from_value(serde_json::json!({
        "id": uuid::Uuid::now_v7(), "session": session,
        "consent": {"given": consent, "referral": false},
        "direction": "entry", "sex": "F", "age": "adult", "nationality": "GTM",
        "origin": "Botes", "destination": "Chetumal", "purpose": "work", "frequency": frequency,
        "stay": "same_day", "holds_document": false, "why_not": "cost", "needs": null,
        "protection_concern": false
    }))
    .unwrap()
}

#[tokio::test]
async fn informal_crossings_are_sampled_counted_once_and_expanded_by_the_design() {
    use frontera_app::informal::{
        DrawsDraft, EstimateRequest, FlowRequest, Measure, PlanDraft, SessionDraft,
    };
    use frontera_domain::informal::PointDraft;
    let node = node().await;
    let analyst = node.user("analista.mx", "analyst", "MEX", None).await;
    let counter = node.user("encuestador.mx", "enumerator", "MEX", None).await;
    let other = node.user("encuestador.bz", "enumerator", "BLZ", None).await;
    let officer = node.user("oficial.mx", "officer", "MEX", Some("mx-la-union")).await;
    let point = PointDraft {
        id: Some("mx-rio-hondo-paso-1".into()),
        name: Some("Paso de La Unión".into()),
        latitude: Some(17.89),
        longitude: Some(-88.88),
        terrain: Some("river".into()),
        stretch: Some("rio-hondo".into()),
        settlements: vec!["La Unión".into(), "Blue Creek".into()],
        nearby_ports: vec!["mx-la-union".into()],
        blocks: vec!["07:00-09:00".into(), "09:00-11:00".into(), "11:00-13:00".into(), "13:00-15:00".into()],
    };
    assert!(matches!(node.app.save_point(&counter, &point).await, Err(AppError::Forbidden(_))));
    node.app.save_point(&analyst, &point).await.unwrap();
    let draft = |weekend: Option<DrawsDraft>| PlanDraft {
        name: Some("Marzo, semana 1".into()),
        from: Some("2026-03-02".into()),
        to: Some("2026-03-08".into()),
        points: Vec::new(),
        market_days: Vec::new(),
        draws: [("weekday".to_string(), DrawsDraft { units: 2, blocks: 2 })]
            .into_iter()
            .chain(weekend.map(|w| ("weekend".to_string(), w)))
            .collect(),
        seed: Some(7),
    };
    // A stratum nothing is drawn from leaves its blocks at probability zero: refused.
    match node.app.draw_plan(&analyst, &draft(None)).await {
        Err(AppError::Invalid(e)) => {
            assert!(e.message(frontera_domain::Lang::En).contains("rio-hondo-weekend"), "{e}")
        }
        other => panic!("{other:?}"),
    }
    let plan = node.app.draw_plan(&analyst, &draft(Some(DrawsDraft { units: 2, blocks: 2 }))).await.unwrap();
    assert_eq!(plan.design.assignments.len(), 8);
    for a in &plan.design.assignments {
        let weekday = plan.design.strata[a.stratum].name.ends_with("weekday");
        // (2 of 5 days)·(2 of 4 blocks) on weekdays, (2 of 2)·(2 of 4) at the weekend.
        assert!((a.probability - if weekday { 0.2 } else { 0.5 }).abs() < 1e-12);
    }
    // The enumerator sees the blocks once assigned to them.
    let all: Vec<(usize, String)> = (0..8).map(|i| (i, "encuestador.mx".to_string())).collect();
    assert!(node.app.assign(&analyst, &plan.id, &[(0, "encuestador.bz".into())]).await.is_err());
    node.app.assign(&analyst, &plan.id, &all).await.unwrap();
    let mine = node.app.assignments(&counter, None, None).await.unwrap();
    assert_eq!(mine.len(), 8);
    assert!(node.app.assignments(&other, None, None).await.unwrap().is_empty());

    // Weekday point-days count (10, 20) and (30, 40) in their blocks, weekend ones (6, 4), (2, 8).
    let mut units: Vec<(String, NaiveDate)> = mine.iter().map(|a| (a.stratum.clone(), a.day)).collect();
    units.dedup();
    let values = |stratum: &str, rank: usize| -> [u32; 2] {
        match (stratum.ends_with("weekday"), rank) {
            (true, 0) => [10, 20],
            (true, _) => [30, 40],
            (false, 0) => [6, 4],
            (false, _) => [2, 8],
        }
    };
    let mut first_session = None;
    for a in &mine {
        let rank = units.iter().filter(|(s, _)| s == &a.stratum).position(|(_, d)| *d == a.day).unwrap();
        let in_day = mine.iter().filter(|b| b.day == a.day && b.block < a.block).count();
        let n = values(&a.stratum, rank)[in_day];
        let session = SessionDraft {
            id: uuid::Uuid::now_v7(),
            point: a.point.clone(),
            day: a.day,
            block: a.block,
            groups: 1,
            tallies: if n > 1 {
                vec![tally("entry", n - 1), tally("exit", 1)]
            } else {
                vec![tally("entry", n)]
            },
            note: None,
            not_watched: None,
            sent_at: None,
        };
        let stored = node.app.record_session(&counter, &session).await.unwrap();
        assert_eq!((stored.outcome.as_str(), stored.plan.as_deref()), ("stored", Some(plan.id.as_str())));
        // Sent again when the link came back: the same session.
        assert_eq!(node.app.record_session(&counter, &session).await.unwrap().outcome, "already_present");
        first_session.get_or_insert(session);
    }
    let first = first_session.unwrap();
    // Another form for a block already counted would count it twice.
    let twice = SessionDraft { id: uuid::Uuid::now_v7(), ..first.clone() };
    assert!(matches!(node.app.record_session(&counter, &twice).await, Err(AppError::Conflict(_))));
    assert!(node.app.record_session(&other, &twice).await.is_err(), "not their country");
    assert!(node.app.record_session(&officer, &twice).await.is_err(), "not their role");

    let week = |by: Option<&str>, measure| EstimateRequest {
        country: None,
        from: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
        to: NaiveDate::from_ymd_opt(2026, 3, 8).unwrap(),
        group: None,
        by: by.map(String::from),
        measure,
    };
    let e = node.app.estimate_informal(&analyst, &week(None, Measure::Crossings)).await.unwrap();
    let t = &e.lines[0];
    // By hand: weekdays 5/2·(2·30 + 2·70) = 500, weekend 2/2·(2·10 + 2·10) = 40; variance
    // 25·0.6·3200/2 + 2.5·(200 + 200) + (8 + 72) = 25 080 on 2 degrees of freedom.
    assert_eq!(t.value, "_T");
    assert!((t.total - 540.0).abs() < 1e-9, "{t:?}");
    assert!((t.standard_error - 25_080f64.sqrt()).abs() < 1e-9);
    assert_eq!(t.degrees_of_freedom, 2);
    assert_eq!(t.low, 120.0, "never below what was counted");
    assert!((t.high - (540.0 + 4.303 * 25_080f64.sqrt())).abs() < 2.0);
    assert_eq!(e.descriptive.kind, "descriptive");
    assert_eq!(e.descriptive.persons, 120.0);
    // By direction, the values add up to the total.
    let d = node.app.estimate_informal(&analyst, &week(Some("direction"), Measure::Crossings)).await.unwrap();
    let sum: f64 = d.lines.iter().filter(|l| l.value != "_T").map(|l| l.total).sum();
    assert!((sum - 540.0).abs() < 1e-9);
    assert!(d.lines.iter().any(|l| l.value == "exit"));

    // Persons: one block's interviewed cross daily (10 crossings in 7 days) and for the first
    // time (1): each crossing counts (1/10 + 1)/2 of a person, everywhere.
    match node.app.record_interview(&counter, &interview(first.id, false, "daily")).await {
        Err(AppError::Invalid(e)) => assert_eq!(e.field, "consent.given"),
        other => panic!("{other:?}"),
    }
    node.app.record_interview(&counter, &interview(first.id, true, "daily")).await.unwrap();
    node.app.record_interview(&counter, &interview(first.id, true, "first_time")).await.unwrap();
    let p = node.app.estimate_informal(&analyst, &week(None, Measure::Persons)).await.unwrap();
    assert!((p.lines[0].total - 540.0 * 0.55).abs() < 1e-9, "{:?}", p.lines[0]);
    assert_eq!(p.interviews, 2);
    let purpose =
        node.app.estimate_informal(&analyst, &week(Some("purpose"), Measure::Crossings)).await.unwrap();
    assert!(purpose.lines.iter().any(|l| l.value == "work" && (l.total - 540.0).abs() < 1e-9));

    // Someone who agreed to be referred: a case in the protection pool holds the name, the
    // interview only that it was referred.
    let mut refer = interview(first.id, true, "weekly");
    refer.interview.protection_concern = true;
    refer.interview.consent.referral = true;
    match node.app.record_interview(&counter, &refer).await {
        Err(AppError::Invalid(e)) => assert_eq!(e.field, "refer"),
        other => panic!("{other:?}"),
    }
    refer.refer = Some(frontera_app::protection::CaseDraft {
        given_names: Some("Ana".into()),
        surnames: Some("Pérez".into()),
        sex: Some("F".into()),
        nationality: Some("GTM".into()),
        profiles: vec!["violence".into()],
        ..Default::default()
    });
    let stored = node.app.record_interview(&counter, &refer).await.unwrap();
    let case = stored.case.expect("a case");
    let again = node.app.record_interview(&counter, &refer).await.unwrap();
    assert_eq!(
        (again.outcome.as_str(), again.case),
        ("already_present", None),
        "one case, however often sent"
    );
    let protection = node.user("proteccion.mx", "protection", "MEX", None).await;
    assert_eq!(node.app.my_cases(&protection).await.unwrap().len(), 1);
    assert_eq!(node.app.case(&protection, &case).await.unwrap().person.given_names, "Ana");
    let kept = node
        .app
        .interviews(&analyst, None, week(None, Measure::Crossings).from, week(None, Measure::Crossings).to)
        .await
        .unwrap();
    assert_eq!(kept.iter().filter(|i| i.referred).count(), 1);
    assert!(!serde_json::to_string(&kept).unwrap().contains("Ana"));

    // A domain narrower than the plan: the first three days only.
    let part = EstimateRequest {
        to: NaiveDate::from_ymd_opt(2026, 3, 4).unwrap(),
        ..week(None, Measure::Crossings)
    };
    let part = node.app.estimate_informal(&analyst, &part).await.unwrap();
    assert!(part.lines[0].total < 540.0);

    // The month: the posts' crossings beside the estimate; April has no sample.
    let flow = FlowRequest {
        country: None,
        from: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
        to: NaiveDate::from_ymd_opt(2026, 4, 1).unwrap(),
        group: Some("rio-hondo".into()),
    };
    let flow = node.app.total_flow(&analyst, &flow).await.unwrap();
    assert_eq!(flow.ports, ["mx-la-union"]);
    assert_eq!(flow.months.len(), 2);
    assert!((flow.months[0].informal.as_ref().unwrap().total - 540.0).abs() < 1e-9);
    assert_eq!(flow.months[0].informal_share, Some(1.0));
    assert!(flow.months[1].informal.is_none());
    assert!(flow.months[1].note.as_ref().unwrap()[1].contains("ningún plan"));
    // A session outside every sample is described, not expanded.
    let outside = SessionDraft {
        id: uuid::Uuid::now_v7(),
        day: NaiveDate::from_ymd_opt(2026, 4, 2).unwrap(),
        ..first.clone()
    };
    assert_eq!(node.app.record_session(&counter, &outside).await.unwrap().plan, None);
    assert!(
        node.app.estimate_informal(&officer, &week(None, Measure::Crossings)).await.is_ok(),
        "border staff read de-identified figures"
    );
    assert!(node.app.estimate_informal(&counter, &week(None, Measure::Crossings)).await.is_err());

    // The files carry the interval and the method.
    use frontera_app::stats::TableFormat;
    use frontera_domain::Lang;
    let csv = String::from_utf8(e.render(TableFormat::Csv, Lang::En).unwrap()).unwrap();
    let mut lines = csv.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("country,period,group,measure,by,value,estimate,standard_error,lower_95,upper_95")
    );
    assert!(
        lines.next().unwrap().starts_with("MEX,2026-03-02/2026-03-08,_T,crossings,_T,_T,540,158.37,120,")
    );
    assert!(csv.contains("Horvitz–Thompson"));
    let sdmx = String::from_utf8(e.render(TableFormat::SdmxCsv, Lang::En).unwrap()).unwrap();
    assert!(sdmx.starts_with(
        "STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA,POINT_GROUP,MEASURE,BREAKDOWN,BREAKDOWN_VALUE,TIME_PERIOD,OBS_VALUE,STD_ERR"
    ));
    assert!(sdmx.contains(",2026-03-02/P7D,540,"), "{sdmx}");
    assert!(sdmx.lines().nth(1).unwrap().starts_with("dataflow,FRONTERA:DF_INFORMAL(1.0),I,MEX,"));
    assert!(sdmx.contains(",E,"), "marked as estimated");
    let hxl = String::from_utf8(d.render(TableFormat::Hxl, Lang::Es).unwrap()).unwrap();
    assert!(hxl.lines().nth(1).unwrap().starts_with("#country+code,#date,#loc+group"));
    assert!(hxl.contains("Horvitz–Thompson"), "{hxl}");
    assert!(hxl.contains("inclusión"));
    let xlsx = e.render(TableFormat::Xlsx, Lang::En).unwrap();
    use calamine::Reader;
    let book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx)).unwrap();
    assert_eq!(book.sheet_names(), ["estimates", "descriptive", "method"]);
    // sdmx1 and libhxl read the estimate by purpose back, against the node's structure message.
    let dir = tempfile::tempdir().unwrap();
    for (format, name) in [
        (TableFormat::Csv, "estimate.csv"),
        (TableFormat::SdmxCsv, "estimate-sdmx.csv"),
        (TableFormat::Hxl, "estimate-hxl.csv"),
    ] {
        std::fs::write(dir.path().join(name), purpose.render(format, Lang::En).unwrap()).unwrap();
    }
    std::fs::write(dir.path().join("structure.xml"), node.app.sdmx_structure()).unwrap();
    outside_checkers(&["--informal", dir.path().to_str().unwrap()], "estimates");
    let flow_csv = String::from_utf8(flow.render(TableFormat::Csv, Lang::Es).unwrap()).unwrap();
    assert!(flow_csv.lines().nth(1).unwrap().starts_with("MEX,2026-03,rio-hondo,0,0,540,"));
    assert!(flow_csv.lines().nth(2).unwrap().contains("ningún plan"));

    // The river rose: the first block is corrected to not watched. It leaves the sample, its
    // point-day standing on its other block, and nothing it counted is described.
    let flooded =
        SessionDraft { tallies: vec![], groups: 0, not_watched: Some("river in flood".into()), ..first };
    assert_eq!(node.app.record_session(&counter, &flooded).await.unwrap().outcome, "corrected");
    let wet = node.app.estimate_informal(&analyst, &week(None, Measure::Crossings)).await.unwrap();
    assert_eq!(wet.blocks_drawn, 7);
    assert_eq!(wet.descriptive.sessions, 7);
    assert!(wet.lines[0].total > 0.0 && (wet.lines[0].total - 540.0).abs() > 1e-6, "{:?}", wet.lines[0]);
    let blocks = node.app.assignments(&analyst, Some(&plan.id), None).await.unwrap();
    assert_eq!(blocks.iter().filter(|b| b.not_watched.is_some()).count(), 1);
}
