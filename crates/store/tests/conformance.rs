//! One behaviour, two engines: every `Store` method, on SQLite always and on PostgreSQL when
//! `FRONTERA_TEST_DATABASE_URL` names a server (a fresh database is created for each test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use frontera_domain::access::{Role, UserId};
use frontera_domain::audit::{self, AuditDraft};
use frontera_domain::document::{DocumentKind, DocumentNumber, TravelDocument};
use frontera_domain::mrz::MrzFormat;
use frontera_domain::{
    Category, CountryCode, Crossing, CrossingId, Direction, PartialDate, Person, PersonId, PersonName,
    PortId, Provenance, Purpose, Sex, TransportMode,
};
use frontera_store::{
    AuditQuery, Credentials, CrossingQuery, Cursor, ImportRow, LockPolicy, Order, Recorded, Session, Store,
    StoreError, TravellerQuery, User,
};
use uuid::Uuid;

/// The statistical cell of a crossing, its port keeping UTC.
fn key(c: &Crossing) -> frontera_domain::CountKey {
    frontera_domain::CountKey::of(c, chrono_tz::Tz::UTC)
}

/// A store under test and how to clean up after it.
struct Engine {
    store: Arc<dyn Store>,
    _dir: Option<tempfile::TempDir>,
    pg: Option<(String, String)>,
}

impl Engine {
    async fn finish(self) {
        drop(self.store);
        if let Some((admin_url, db)) = self.pg {
            let pool = sqlx::PgPool::connect(&admin_url).await.unwrap();
            sqlx::query(&format!("DROP DATABASE IF EXISTS \"{db}\" WITH (FORCE)"))
                .execute(&pool)
                .await
                .unwrap();
        }
    }
}

async fn engines() -> Vec<Engine> {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("node.db").display());
    let mut engines =
        vec![Engine { store: frontera_store::open(&url).await.unwrap(), _dir: Some(dir), pg: None }];
    if let Ok(admin_url) = std::env::var("FRONTERA_TEST_DATABASE_URL") {
        let db = format!("frontera_t_{}", Uuid::new_v4().simple());
        let pool = sqlx::PgPool::connect(&admin_url).await.unwrap();
        sqlx::query(&format!("CREATE DATABASE \"{db}\"")).execute(&pool).await.unwrap();
        pool.close().await;
        let (base, query) = match admin_url.split_once('?') {
            Some((b, q)) => (b.to_string(), format!("?{q}")),
            None => (admin_url.clone(), String::new()),
        };
        let base = base.rsplit_once('/').map(|(b, _)| b.to_string()).unwrap();
        let url = format!("{base}/{db}{query}");
        engines.push(Engine {
            store: frontera_store::open(&url).await.unwrap(),
            _dir: None,
            pg: Some((admin_url, db)),
        });
    }
    engines
}

fn at(minutes: i64) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-03-02T14:00:00Z").unwrap().with_timezone(&Utc)
        + Duration::minutes(minutes)
}

/// A crossing built step by step.
struct CrossingBuilder(Crossing);

impl CrossingBuilder {
    fn new(minutes: i64) -> Self {
        let document = TravelDocument {
            kind: DocumentKind::Passport,
            number: DocumentNumber::parse("G12345678").unwrap(),
            issuing_state: CountryCode::MEX,
            expiry_date: Some(chrono::NaiveDate::from_ymd_opt(2031, 5, 1).unwrap()),
            mrz_format: Some(MrzFormat::Td3),
        };
        let person_id = PersonId::for_document(CountryCode::BLZ, &document);
        CrossingBuilder(Crossing {
            id: CrossingId(Uuid::now_v7()),
            port_id: PortId::parse("bz-santa-elena").unwrap(),
            country: CountryCode::BLZ,
            direction: Direction::Entry,
            category: Category::Visitor,
            purpose: Some(Purpose::Shopping),
            transport_mode: Some(TransportMode::Car),
            permitted_stay_days: Some(30),
            occurred_at: at(minutes),
            person_id,
            person: Person {
                name: PersonName {
                    given_names: "María José".into(),
                    first_surname: "Hernández".into(),
                    second_surname: Some("Canché".into()),
                },
                sex: Sex::Female,
                birth_date: Some(PartialDate::parse("1988-03").unwrap()),
                nationality: CountryCode::MEX,
            },
            document,
            provenance: Provenance {
                recorded_by: "officer.bz".into(),
                node_id: "node-test".into(),
                recorded_at: DateTime::from_timestamp_micros(at(minutes).timestamp_micros() + 1500).unwrap(),
                processing_ms: Some(41_250),
            },
        })
    }
    fn exit(mut self) -> Self {
        self.0.direction = Direction::Exit;
        self.0.permitted_stay_days = None;
        self
    }
    fn at_port(mut self, port: &str, country: CountryCode) -> Self {
        self.0.port_id = PortId::parse(port).unwrap();
        self.0.country = country;
        self.0.person_id = PersonId::for_document(country, &self.0.document);
        self
    }
    fn document(mut self, number: &str) -> Self {
        self.0.document.number = DocumentNumber::parse(number).unwrap();
        self.0.person_id = PersonId::for_document(self.0.country, &self.0.document);
        self
    }
    fn build(self) -> Crossing {
        self.0
    }
}

fn audit(action: &str) -> AuditDraft {
    AuditDraft::new("officer.bz", action, "crossing", "-", Some("BLZ"), serde_json::json!({"why": "test"}))
}

fn query() -> CrossingQuery {
    CrossingQuery { limit: 100, ..CrossingQuery::default() }
}

async fn verify_chain(store: &dyn Store) -> u64 {
    let events = store.audit_events(0, 100_000).await.unwrap();
    let head = store.audit_head().await.unwrap();
    audit::verify(&events, head.as_ref().map(|(s, h)| (*s, h.as_str()))).unwrap()
}

#[tokio::test]
async fn a_recorded_crossing_reads_back_field_for_field() {
    for engine in engines().await {
        let store = engine.store.as_ref();
        let c = CrossingBuilder::new(0).build();
        let recorded =
            store.record_crossing(&c, "fp1", &key(&c), None, audit("crossing.record")).await.unwrap();
        assert_eq!(recorded, Recorded::Created(c.clone()), "{}", store.engine());
        let back = store.crossing(c.id, None).await.unwrap().unwrap();
        assert_eq!(back, c, "{}", store.engine());
        assert_eq!(store.crossing(CrossingId(Uuid::now_v7()), None).await.unwrap(), None);
        engine.finish().await;
    }
}

#[tokio::test]
async fn the_same_crossing_sent_twice_is_stored_once_and_a_different_one_with_its_id_conflicts() {
    for engine in engines().await {
        let store = engine.store.as_ref();
        let c = CrossingBuilder::new(0).build();
        store.record_crossing(&c, "fp1", &key(&c), None, audit("crossing.record")).await.unwrap();
        let again = store.record_crossing(&c, "fp1", &key(&c), None, audit("crossing.record")).await.unwrap();
        assert_eq!(again, Recorded::AlreadyStored(c.clone()));
        let err =
            store.record_crossing(&c, "fp2", &key(&c), None, audit("crossing.record")).await.unwrap_err();
        assert!(matches!(err, StoreError::Conflict(_)), "{err}");
        assert_eq!(store.count_crossings(&query()).await.unwrap(), 1);
        assert_eq!(verify_chain(store).await, 1, "only the first write is audited");
        engine.finish().await;
    }
}

#[tokio::test]
async fn searches_filter_and_page_without_gaps_or_repeats() {
    for engine in engines().await {
        let store = engine.store.as_ref();
        let mut all = Vec::new();
        for i in 0..25 {
            let b = CrossingBuilder::new(i).document(&format!("G{i:08}"));
            let c = if i % 2 == 0 {
                b.build()
            } else {
                b.exit().at_port("mx-subteniente-lopez", CountryCode::MEX).build()
            };
            store.record_crossing(&c, "fp", &key(&c), None, audit("crossing.record")).await.unwrap();
            all.push(c);
        }
        let mut q = CrossingQuery { limit: 4, countries: vec![CountryCode::BLZ], ..query() };
        let mut seen = Vec::new();
        loop {
            let page = store.search_crossings(&q, None).await.unwrap();
            seen.extend(page.crossings.iter().map(|c| c.id));
            match page.next {
                Some(next) => q.after = Some(next),
                None => break,
            }
        }
        let expected: Vec<CrossingId> =
            all.iter().rev().filter(|c| c.country == CountryCode::BLZ).map(|c| c.id).collect();
        assert_eq!(seen, expected, "{}", store.engine());

        let q = CrossingQuery {
            direction: Some(Direction::Exit),
            from: Some(at(5)),
            to: Some(at(10)),
            order: Order::OldestFirst,
            ..query()
        };
        let page = store.search_crossings(&q, None).await.unwrap();
        let minutes: Vec<i64> =
            page.crossings.iter().map(|c| (c.occurred_at - at(0)).num_minutes()).collect();
        assert_eq!(minutes, vec![5, 7, 9]);
        assert_eq!(store.count_crossings(&q).await.unwrap(), 3);

        let person = all[3].person_id;
        let q = CrossingQuery { person: Some(person), ..query() };
        assert_eq!(store.search_crossings(&q, None).await.unwrap().crossings, vec![all[3].clone()]);
        let q = CrossingQuery { nationality: Some(CountryCode::BLZ), ..query() };
        assert_eq!(store.count_crossings(&q).await.unwrap(), 0);
        let cursor = Cursor::after(&all[0]);
        assert_eq!(Cursor::decode(&cursor.encode()), Some(cursor));
        engine.finish().await;
    }
}

#[tokio::test]
async fn every_read_with_an_audit_event_appends_it_naming_the_records_read() {
    for engine in engines().await {
        let store = engine.store.as_ref();
        let c = CrossingBuilder::new(0).build();
        store.record_crossing(&c, "fp", &key(&c), None, audit("crossing.record")).await.unwrap();
        store.crossing(c.id, Some(audit("crossing.read"))).await.unwrap().unwrap();
        store.search_crossings(&query(), Some(audit("crossing.search"))).await.unwrap();
        let events = store.audit_events(0, 10).await.unwrap();
        let actions: Vec<&str> = events.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, ["crossing.record", "crossing.read", "crossing.search"]);
        assert!(events[1].detail.contains(&c.id.to_string()), "{}", events[1].detail);
        assert!(events[2].detail.contains(&c.id.to_string()));
        assert_eq!(verify_chain(store).await, 3);
        engine.finish().await;
    }
}

#[tokio::test]
async fn an_import_stores_everything_on_commit_and_nothing_without_it() {
    for engine in engines().await {
        let store = engine.store.as_ref();
        let mut rows: Vec<ImportRow> = (0..1500)
            .map(|i| {
                let crossing = CrossingBuilder::new(i).document(&format!("P{i:07}")).build();
                ImportRow { key: key(&crossing), crossing, fingerprint: format!("fp{i}") }
            })
            .collect();
        // Text that bulk-loading formats must escape survives the trip.
        rows[3].crossing.person.name.given_names = "Zoë O'Brien \\ tab\there\nline".into();
        rows[3].crossing.person.name.second_surname = None;
        rows[3].crossing.provenance.recorded_by = String::new();
        {
            let mut session = store.begin_import(1_500).await.unwrap();
            session.insert(rows[..10].to_vec()).await.unwrap();
        }
        assert_eq!(store.count_crossings(&query()).await.unwrap(), 0, "a dropped import leaves nothing");

        // A hint far above the table's size: SQLite rebuilds its indexes at commit.
        let mut session = store.begin_import(1_000_000).await.unwrap();
        let counts = session.insert(rows.clone()).await.unwrap();
        assert_eq!(counts.inserted, 1500);
        session.commit(audit("crossing.import")).await.unwrap();
        assert_eq!(store.count_crossings(&query()).await.unwrap(), 1500);
        let person = rows[700].crossing.person_id;
        let q = CrossingQuery { person: Some(person), ..query() };
        assert_eq!(
            store.search_crossings(&q, None).await.unwrap().crossings,
            vec![rows[700].crossing.clone()]
        );

        let mut changed = rows[7].clone();
        changed.fingerprint = "other".into();
        let mut session = store.begin_import(1_500).await.unwrap();
        let counts = session.insert(vec![rows[5].clone(), changed]).await.unwrap();
        assert_eq!((counts.inserted, counts.already_present), (0, 1));
        assert_eq!(counts.conflicting, vec![rows[7].crossing.id]);
        drop(session);
        assert_eq!(verify_chain(store).await, 1);
        engine.finish().await;
    }
}

/// The journal mode a fresh connection finds the database in.
fn journal_mode(path: &std::path::Path) -> String {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap()
}

#[tokio::test]
async fn a_large_sqlite_import_writes_through_a_rollback_journal_only_when_alone_and_ends_in_wal_mode() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("node.db");
    let store = frontera_store::open(&format!("sqlite:{}", path.display())).await.unwrap();
    let rows: Vec<ImportRow> = (0..300)
        .map(|i| {
            let crossing = CrossingBuilder::new(i).document(&format!("P{i:07}")).build();
            ImportRow { key: key(&crossing), crossing, fingerprint: format!("fp{i}") }
        })
        .collect();
    // A read first, so that the node has an idle reader to close.
    assert_eq!(store.count_crossings(&query()).await.unwrap(), 0);
    let indexes = || {
        let conn = rusqlite::Connection::open(&path).unwrap();
        let mut stmt =
            conn.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'index' ORDER BY name").unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<Vec<(String, Option<String>)>, _>>()
            .unwrap()
    };
    let migrated = indexes();

    // Dropped: rolled back, and back in WAL mode.
    let mut session = store.begin_import(1_000_000).await.unwrap();
    assert_eq!(journal_mode(&path), "delete", "alone, a large import leaves WAL mode");
    session.insert(rows[..100].to_vec()).await.unwrap();
    drop(session);
    assert_eq!(journal_mode(&path), "wal");
    assert_eq!(store.count_crossings(&query()).await.unwrap(), 0, "a dropped import leaves nothing");

    // Committed: everything stored, and back in WAL mode.
    let mut session = store.begin_import(1_000_000).await.unwrap();
    session.insert(rows[..200].to_vec()).await.unwrap();
    session.commit(audit("crossing.import")).await.unwrap();
    assert_eq!(journal_mode(&path), "wal");
    assert_eq!(store.count_crossings(&query()).await.unwrap(), 200);
    assert_eq!(indexes(), migrated, "the indexes dropped for the import are built again as migrated");

    // Another connection has the database open: the import goes through the WAL, without waiting.
    let other = rusqlite::Connection::open(&path).unwrap();
    let stored: i64 = other.query_row("SELECT COUNT(*) FROM crossings", [], |r| r.get(0)).unwrap();
    assert_eq!(stored, 200);
    let mut session = store.begin_import(1_000_000).await.unwrap();
    let counts = session.insert(rows.clone()).await.unwrap();
    assert_eq!((counts.inserted, counts.already_present), (100, 200));
    session.commit(audit("crossing.import")).await.unwrap();
    let mode: String = other.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
    assert_eq!(store.count_crossings(&query()).await.unwrap(), 300);
    let person = rows[250].crossing.person_id;
    let q = CrossingQuery { person: Some(person), ..query() };
    assert_eq!(store.search_crossings(&q, None).await.unwrap().crossings, vec![rows[250].crossing.clone()]);
    assert_eq!(verify_chain(store.as_ref()).await, 2);
}

fn travellers(country: CountryCode, name: &str) -> TravellerQuery {
    TravellerQuery { country, name: name.into(), document_number: None, birth_date: None, limit: 50 }
}

#[tokio::test]
async fn travellers_are_found_by_name_document_or_birth_date_through_their_latest_crossing() {
    for engine in engines().await {
        let store = engine.store.as_ref();
        let first = CrossingBuilder::new(0).build();
        let exit = CrossingBuilder::new(60).exit().build();
        let mut back = CrossingBuilder::new(24 * 60).build();
        back.permitted_stay_days = Some(3);
        for c in [&first, &exit, &back] {
            store
                .record_crossing(c, &format!("fp-{}", c.id), &key(c), None, audit("crossing.record"))
                .await
                .unwrap();
        }
        // Another traveller, imported; and one the other country holds.
        let mut other = CrossingBuilder::new(30).document("P0000001").build();
        other.person.name = PersonName::parse("Ana", "Pech", None).unwrap();
        other.person.birth_date = Some(PartialDate::parse("1990-01-02").unwrap());
        other.permitted_stay_days = Some(1);
        let mexico = CrossingBuilder::new(40).at_port("mx-subteniente-lopez", CountryCode::MEX).build();
        let mut session = store.begin_import(2).await.unwrap();
        let rows = [&other, &mexico].map(|c| ImportRow {
            crossing: c.clone(),
            fingerprint: "fp".into(),
            key: key(c),
        });
        session.insert(rows.to_vec()).await.unwrap();
        session.commit(audit("crossing.import")).await.unwrap();

        let find = |q: TravellerQuery| async move {
            store.search_travellers(&q, None).await.unwrap().into_iter().map(|c| c.id).collect::<Vec<_>>()
        };
        // Accents, case and word beginnings; the latest crossing stands for the person.
        for name in ["hernandez", "HERNÁNDEZ", "maría canche", "jose her", "Canché-Hernández"] {
            assert_eq!(find(travellers(CountryCode::BLZ, name)).await, vec![back.id], "{name}");
        }
        assert!(find(travellers(CountryCode::BLZ, "ernandez")).await.is_empty());
        assert_eq!(find(travellers(CountryCode::BLZ, "")).await, vec![back.id, other.id]);
        assert_eq!(find(travellers(CountryCode::MEX, "hernandez")).await, vec![mexico.id]);
        let by_document = TravellerQuery {
            document_number: Some(DocumentNumber::parse("P0000001").unwrap()),
            ..travellers(CountryCode::BLZ, "")
        };
        assert_eq!(find(by_document).await, vec![other.id]);
        for (birth, found) in [("1988", true), ("1988-03-15", true), ("1988-03", true), ("1988-04", false)] {
            let q = TravellerQuery {
                birth_date: Some(PartialDate::parse(birth).unwrap()),
                ..travellers(CountryCode::BLZ, "hernandez")
            };
            assert_eq!(find(q).await == vec![back.id], found, "{birth}");
        }
        // An older crossing imported later does not replace the latest.
        let mut older = CrossingBuilder::new(-600).build();
        older.person.name.first_surname = "Otra".into();
        let mut session = store.begin_import(1).await.unwrap();
        session
            .insert(vec![ImportRow { key: key(&older), crossing: older, fingerprint: "fp".into() }])
            .await
            .unwrap();
        session.commit(audit("crossing.import")).await.unwrap();
        assert!(find(travellers(CountryCode::BLZ, "otra")).await.is_empty());

        // A search with an audit event names what it returned.
        let found = store.search_travellers(&travellers(CountryCode::BLZ, "pech"), Some(audit("t"))).await;
        assert_eq!(found.unwrap().len(), 1);
        let events = store.audit_events(0, 100).await.unwrap();
        assert!(events.last().unwrap().detail.contains(&other.id.to_string()));
        engine.finish().await;
    }
}

#[tokio::test]
async fn open_overstays_are_entries_whose_permitted_stay_has_ended_without_an_exit() {
    for engine in engines().await {
        let store = engine.store.as_ref();
        let mut short = CrossingBuilder::new(0).document("S1").build();
        short.permitted_stay_days = Some(2);
        let long = CrossingBuilder::new(0).document("L1").build(); // 30 days
        let mut left = CrossingBuilder::new(0).document("X1").build();
        left.permitted_stay_days = Some(1);
        let left_exit = CrossingBuilder::new(60).document("X1").exit().build();
        let mut elsewhere =
            CrossingBuilder::new(0).document("E1").at_port("bz-blue-creek", CountryCode::BLZ).build();
        elsewhere.permitted_stay_days = Some(1);
        for c in [&short, &long, &left, &left_exit, &elsewhere] {
            store
                .record_crossing(c, &format!("fp-{}", c.id), &key(c), None, audit("crossing.record"))
                .await
                .unwrap();
        }
        let santa_elena = PortId::parse("bz-santa-elena").unwrap();
        let day = |d: i64| at(d * 24 * 60);
        let (n, found) = store.overstays(CountryCode::BLZ, None, day(3), 10, None).await.unwrap();
        assert_eq!(n, 2);
        assert_eq!(found.iter().map(|c| c.id).collect::<Vec<_>>(), vec![elsewhere.id, short.id]);
        let (n, found) =
            store.overstays(CountryCode::BLZ, Some(&santa_elena), day(3), 10, None).await.unwrap();
        assert_eq!((n, found.len()), (1, 1));
        let (n, found) = store.overstays(CountryCode::BLZ, None, day(40), 0, None).await.unwrap();
        assert_eq!((n, found.len()), (3, 0));
        assert_eq!(store.overstays(CountryCode::MEX, None, day(40), 10, None).await.unwrap().0, 0);
        assert_eq!(store.overstays(CountryCode::BLZ, None, day(1), 10, None).await.unwrap().0, 0);

        let facts =
            store.crossing_facts(&CrossingQuery { port: Some(santa_elena), ..query() }).await.unwrap();
        assert_eq!(facts.len(), 4);
        assert!(facts.iter().all(|f| f.processing_ms == Some(41_250)));
        assert_eq!(facts.iter().filter(|f| f.direction == Direction::Exit).count(), 1);
        engine.finish().await;
    }
}

#[tokio::test]
async fn stored_audit_events_can_be_neither_changed_nor_deleted() {
    for engine in engines().await {
        let store = engine.store.as_ref();
        store.append_audit(audit("crossing.read")).await.unwrap();
        let url_engine = store.engine();
        let events = store.audit_events(0, 10).await.unwrap();
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].prev_hash, audit::GENESIS);
        // The triggers are checked through a raw connection in the app's tamper test; here, the
        // chain of many appends stays whole.
        for _ in 0..20 {
            store.append_audit(audit("crossing.read")).await.unwrap();
        }
        assert_eq!(verify_chain(store).await, 21, "{url_engine}");
        engine.finish().await;
    }
}

#[tokio::test]
async fn users_are_found_by_token_hash_and_names_are_unique() {
    for engine in engines().await {
        let store = engine.store.as_ref();
        let user = User {
            id: UserId(Uuid::now_v7()),
            name: "officer.bz".into(),
            role: Role::Officer,
            country: CountryCode::BLZ,
            port: Some(PortId::parse("bz-santa-elena").unwrap()),
            organisation: None,
            created_at: DateTime::from_timestamp_micros(at(0).timestamp_micros()).unwrap(),
        };
        let add =
            AuditDraft::new("cli:root", "user.add", "user", "officer.bz", Some("BLZ"), serde_json::json!({}));
        let (now, until) = (Utc::now(), Utc::now() + Duration::days(90));
        let first =
            Credentials { token_hash: Some("hash-1"), token_expires_at: Some(until), password_hash: None };
        store.add_user(&user, first, add.clone()).await.unwrap();
        assert_eq!(store.user_by_token("hash-1", now).await.unwrap(), Some(user.clone()));
        assert_eq!(store.user_by_token("hash-2", now).await.unwrap(), None);
        store.add_token(user.id, "hash-2", until, add.clone()).await.unwrap();
        assert_eq!(store.user_by_token("hash-2", now).await.unwrap(), Some(user.clone()));
        // A token works until it expires, not at that instant.
        assert_eq!(store.user_by_token("hash-2", until).await.unwrap(), None);
        assert_eq!(store.revoke_tokens(user.id, add.clone()).await.unwrap(), 2);
        assert_eq!(store.user_by_token("hash-1", now).await.unwrap(), None, "revoked");
        assert_eq!(store.user_by_name("officer.bz").await.unwrap(), Some(user.clone()));
        let again = User { id: UserId(Uuid::now_v7()), ..user };
        assert!(matches!(
            store.add_user(&again, Credentials::default(), add).await,
            Err(StoreError::Conflict(_))
        ));
        assert_eq!(verify_chain(store).await, 3, "the user, the token, the revocation");
        engine.finish().await;
    }
}

fn officer(name: &str) -> User {
    User {
        id: UserId(Uuid::now_v7()),
        name: name.into(),
        role: Role::Officer,
        country: CountryCode::BLZ,
        port: Some(PortId::parse("bz-santa-elena").unwrap()),
        organisation: None,
        created_at: DateTime::from_timestamp_micros(at(0).timestamp_micros()).unwrap(),
    }
}

#[tokio::test]
async fn failed_logins_lock_an_account_until_the_lock_runs_out_and_a_login_clears_them() {
    for engine in engines().await {
        let store = engine.store.as_ref();
        let user = officer("officer.bz");
        store.add_user(&user, Credentials::default(), audit("user.add")).await.unwrap();
        let record = store.login_record("officer.bz").await.unwrap().unwrap();
        assert_eq!((record.password_hash, record.failed_logins, record.locked_until), (None, 0, None));
        let with_password = officer("officer2.bz");
        let first = Credentials {
            token_hash: None,
            token_expires_at: None,
            password_hash: Some("$argon2id$v=19$first"),
        };
        store.add_user(&with_password, first, audit("user.add")).await.unwrap();
        let record = store.login_record("officer2.bz").await.unwrap().unwrap();
        assert_eq!(record.password_hash.as_deref(), Some("$argon2id$v=19$first"));
        assert_eq!(store.login_record("nobody").await.unwrap(), None);
        store.set_password(user.id, "$argon2id$v=19$stub", audit("user.password")).await.unwrap();
        let unknown = UserId(Uuid::now_v7());
        assert!(matches!(
            store.set_password(unknown, "x", audit("user.password")).await,
            Err(StoreError::NotFound(_))
        ));

        let policy = LockPolicy { max_failures: 3, lock_for: Duration::minutes(15) };
        for n in 1..=2 {
            let f = store.login_failed(user.id, at(n), policy, audit("user.login_failed")).await.unwrap();
            assert_eq!((f.failed_logins, f.locked_until), (n as u32, None));
        }
        let third = store.login_failed(user.id, at(3), policy, audit("user.login_failed")).await.unwrap();
        assert_eq!((third.failed_logins, third.locked_until), (3, Some(at(3) + Duration::minutes(15))));
        let record = store.login_record("officer.bz").await.unwrap().unwrap();
        assert_eq!(record.password_hash.as_deref(), Some("$argon2id$v=19$stub"));
        assert_eq!((record.failed_logins, record.locked_until), (3, Some(at(18))));
        // Failing while locked keeps the lock where it is; after it runs out, counting starts over.
        let during = store.login_failed(user.id, at(10), policy, audit("user.login_failed")).await.unwrap();
        assert_eq!(during.locked_until, Some(at(18)));
        let after = store.login_failed(user.id, at(20), policy, audit("user.login_failed")).await.unwrap();
        assert_eq!((after.failed_logins, after.locked_until), (1, None));

        let session = Session {
            token_hash: "session-hash".into(),
            user: user.id,
            csrf_token: "csrf".into(),
            created_at: at(21),
            expires_at: at(21 + 12 * 60),
        };
        store.open_session(&session, audit("user.login")).await.unwrap();
        let record = store.login_record("officer.bz").await.unwrap().unwrap();
        assert_eq!((record.failed_logins, record.locked_until), (0, None), "a login clears the failures");
        assert_eq!(store.session("session-hash").await.unwrap(), Some((session.clone(), user.clone())));
        assert_eq!(store.session("other").await.unwrap(), None);
        store.close_session("session-hash", audit("user.logout")).await.unwrap();
        assert_eq!(store.session("session-hash").await.unwrap(), None);

        // A new password ends every session of the user; expired sessions go at the next login.
        store.open_session(&session, audit("user.login")).await.unwrap();
        store.set_password(user.id, "$argon2id$v=19$other", audit("user.password")).await.unwrap();
        assert_eq!(store.session("session-hash").await.unwrap(), None);
        store.open_session(&session, audit("user.login")).await.unwrap();
        let later =
            Session { token_hash: "later".into(), created_at: at(2000), expires_at: at(3000), ..session };
        store.open_session(&later, audit("user.login")).await.unwrap();
        assert_eq!(store.session("session-hash").await.unwrap(), None);
        assert!(store.session("later").await.unwrap().is_some());

        let events = store.audit_events(0, 100).await.unwrap();
        let third_event = events.iter().filter(|e| e.action == "user.login_failed").nth(2).unwrap();
        assert!(third_event.detail.contains("\"failed_logins\":3"), "{}", third_event.detail);
        assert_eq!(verify_chain(store).await, events.len() as u64);
        engine.finish().await;
    }
}

#[tokio::test]
async fn node_settings_are_kept() {
    for engine in engines().await {
        let store = engine.store.as_ref();
        assert_eq!(store.meta("node_id").await.unwrap(), None);
        store.set_meta("node_id", "a").await.unwrap();
        store.set_meta("node_id", "b").await.unwrap();
        assert_eq!(store.meta("node_id").await.unwrap().as_deref(), Some("b"));
        engine.finish().await;
    }
}

#[tokio::test]
async fn accounts_list_without_secrets_and_the_audit_trail_filters_newest_first() {
    for engine in engines().await {
        let store = engine.store.as_ref();
        let mut mexican = officer("officer.mx");
        mexican.country = CountryCode::MEX;
        mexican.port = None;
        let add = |who: &str, country: &str| {
            AuditDraft::new("cli:root", "user.add", "user", who, Some(country), serde_json::json!({}))
        };
        let ana = officer("ana.bz");
        let until = Utc::now() + Duration::days(90);
        let creds = Credentials {
            token_hash: Some("h1"),
            token_expires_at: Some(until),
            password_hash: Some("$argon2id$x"),
        };
        store.add_user(&ana, creds, add("ana.bz", "BLZ")).await.unwrap();
        store.add_token(ana.id, "h2", until, add("ana.bz", "BLZ")).await.unwrap();
        store.add_user(&mexican, Credentials::default(), add("officer.mx", "MEX")).await.unwrap();
        store
            .append_audit(AuditDraft::new(
                "ana.bz",
                "user.login",
                "user",
                "ana.bz",
                None,
                serde_json::json!({}),
            ))
            .await
            .unwrap();

        let all = store.accounts(None).await.unwrap();
        assert_eq!(
            all.iter().map(|a| a.user.name.as_str()).collect::<Vec<_>>(),
            vec!["ana.bz", "officer.mx"]
        );
        assert!(all[0].has_password && !all[1].has_password);
        assert_eq!((all[0].api_tokens, all[1].api_tokens), (2, 0));
        let belize = store.accounts(Some(CountryCode::BLZ)).await.unwrap();
        assert_eq!(belize.len(), 1);

        let q = |f: fn(&mut AuditQuery)| {
            let mut query = AuditQuery { limit: 100, ..AuditQuery::default() };
            f(&mut query);
            query
        };
        let seqs = |events: Vec<frontera_domain::audit::AuditEvent>| {
            events.iter().map(|e| e.seq).collect::<Vec<_>>()
        };
        assert_eq!(seqs(store.search_audit(&q(|_| {})).await.unwrap()), vec![4, 3, 2, 1]);
        let country = q(|q| q.country = Some(CountryCode::BLZ));
        assert_eq!(seqs(store.search_audit(&country).await.unwrap()), vec![4, 2, 1], "own country and none");
        let actor = q(|q| q.actor = Some("ana.bz".into()));
        assert_eq!(seqs(store.search_audit(&actor).await.unwrap()), vec![4]);
        let record = q(|q| q.record_id = Some("ana.bz".into()));
        assert_eq!(seqs(store.search_audit(&record).await.unwrap()), vec![4, 2, 1]);
        let page = q(|q| {
            q.before_seq = Some(3);
            q.limit = 1;
        });
        assert_eq!(seqs(store.search_audit(&page).await.unwrap()), vec![2]);
        let future = q(|q| q.from = Some(Utc::now() + Duration::hours(1)));
        assert!(store.search_audit(&future).await.unwrap().is_empty());

        // Switched off: her tokens are revoked and her sessions are gone; switched on, no old
        // token comes back, a new one works with the new role.
        let session = Session {
            token_hash: "s1".into(),
            user: ana.id,
            csrf_token: "c".into(),
            created_at: Utc::now(),
            expires_at: Utc::now() + Duration::hours(1),
        };
        store.open_session(&session, add("ana.bz", "BLZ")).await.unwrap();
        let supervisor = User { role: Role::Supervisor, port: None, ..ana.clone() };
        store.update_user(&supervisor, Some(at(0)), add("ana.bz", "BLZ")).await.unwrap();
        assert_eq!(store.user_by_token("h1", Utc::now()).await.unwrap(), None);
        assert_eq!(store.session("s1").await.unwrap(), None);
        assert!(store.login_record("ana.bz").await.unwrap().unwrap().disabled);
        assert_eq!(store.accounts(Some(CountryCode::BLZ)).await.unwrap()[0].disabled_at, Some(at(0)));
        store.update_user(&supervisor, None, add("ana.bz", "BLZ")).await.unwrap();
        assert_eq!(store.user_by_token("h1", Utc::now()).await.unwrap(), None, "revoked for good");
        store.add_token(ana.id, "h3", until, add("ana.bz", "BLZ")).await.unwrap();
        assert_eq!(store.user_by_token("h3", Utc::now()).await.unwrap(), Some(supervisor.clone()));
        assert_eq!(store.session("s1").await.unwrap(), None, "the session ended for good");
        let nobody = User { id: UserId(Uuid::now_v7()), ..supervisor };
        assert!(matches!(
            store.update_user(&nobody, None, add("x", "BLZ")).await,
            Err(StoreError::NotFound(_))
        ));
        engine.finish().await;
    }
}

#[tokio::test]
async fn crossings_stored_before_the_travellers_index_existed_are_found_after_the_upgrade() {
    // SQLite: a database as migration 3 left it (no `travellers`) is filled when it opens.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    let url = format!("sqlite:{}", path.display());
    let crossing = CrossingBuilder::new(0).build();
    {
        let store = frontera_store::open(&url).await.unwrap();
        store
            .record_crossing(&crossing, "fp", &key(&crossing), None, audit("crossing.record"))
            .await
            .unwrap();
    }
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(
            "DROP TABLE informal_records; DROP TABLE labour_records; DROP TABLE exchange_outbox; DROP TABLE protection_attachments; DROP TABLE notifications; DROP TABLE protection_statistics; DROP TABLE protection_records; DROP TABLE directory_records; \
             DROP TABLE crossing_counts; DROP TABLE crossing_counts_monthly; DELETE FROM node_meta WHERE key = 'crossing_counts'; \
             DROP TABLE screening_hits; DROP TABLE screenings; DROP TABLE alert_entries; DROP TABLE alert_lists; \
             DROP TABLE travellers; ALTER TABLE users DROP COLUMN disabled_at; \
             DROP INDEX api_tokens_by_user; ALTER TABLE api_tokens DROP COLUMN expires_at; PRAGMA user_version = 3;",
        )
        .unwrap();
    }
    let store = frontera_store::open(&url).await.unwrap();
    let found = store.search_travellers(&travellers(CountryCode::BLZ, "hernandez"), None).await.unwrap();
    assert_eq!(found, vec![crossing.clone()]);
    // The counts cannot be whole: the node counts the crossings stored before them.
    assert_eq!(store.meta("crossing_counts").await.unwrap(), None);

    // PostgreSQL: an emptied `travellers` beside stored crossings is filled when the store opens.
    if let Ok(admin_url) = std::env::var("FRONTERA_TEST_DATABASE_URL") {
        let db = format!("frontera_t_{}", Uuid::new_v4().simple());
        let admin = sqlx::PgPool::connect(&admin_url).await.unwrap();
        sqlx::query(&format!("CREATE DATABASE \"{db}\"")).execute(&admin).await.unwrap();
        let base = admin_url.split('?').next().unwrap().rsplit_once('/').unwrap().0.to_string();
        let url = format!("{base}/{db}");
        {
            let store = frontera_store::open(&url).await.unwrap();
            store
                .record_crossing(&crossing, "fp", &key(&crossing), None, audit("crossing.record"))
                .await
                .unwrap();
            let pool = sqlx::PgPool::connect(&url).await.unwrap();
            sqlx::query("DELETE FROM travellers").execute(&pool).await.unwrap();
            pool.close().await;
        }
        let store = frontera_store::open(&url).await.unwrap();
        let found = store.search_travellers(&travellers(CountryCode::BLZ, "hernandez"), None).await.unwrap();
        assert_eq!(found, vec![crossing]);
        drop(store);
        sqlx::query(&format!("DROP DATABASE IF EXISTS \"{db}\" WITH (FORCE)")).execute(&admin).await.unwrap();
    }
}

fn alert_entry(reference: &str, surnames: &str) -> frontera_domain::alert::AlertEntry {
    use frontera_domain::alert::{AlertEntry, AlertKind, AlertName, HitAction, NameQuality};
    AlertEntry {
        reference: reference.into(),
        kind: AlertKind::Wanted,
        names: vec![AlertName {
            given_names: "José".into(),
            surnames: surnames.into(),
            quality: NameQuality::Primary,
        }],
        sex: Some(Sex::Male),
        birth_dates: vec![PartialDate::parse("1971-03").unwrap()],
        nationalities: vec![CountryCode::MEX],
        documents: Vec::new(),
        listed_on: None,
        reason: "robbery".into(),
        authority: "Court".into(),
        valid_from: None,
        valid_until: None,
        action: HitAction::Refer,
    }
}

fn list_settings(name: &str, threshold: f64) -> frontera_store::AlertListSettings {
    frontera_store::AlertListSettings {
        country: CountryCode::BLZ,
        name: name.into(),
        kind: frontera_domain::alert::AlertKind::Wanted,
        threshold,
        source: Some("file.csv".into()),
    }
}

#[tokio::test]
async fn a_new_version_of_a_list_adds_updates_retires_and_brings_back_entries_in_one_audited_step() {
    use frontera_store::{ALERTS_VERSION, AlertQuery};
    for engine in engines().await {
        let store = engine.store.as_ref();
        let list = list_settings("bz-wanted", 0.85);
        let v1 = vec![alert_entry("W-1", "Pech"), alert_entry("W-2", "Chan"), alert_entry("W-3", "Ku")];
        let changes = store.import_alerts(&list, v1.clone(), at(0), audit("alerts.import")).await.unwrap();
        assert_eq!((changes.added.len(), changes.updated.len(), changes.retired.len()), (3, 0, 0));
        let version = store.meta(ALERTS_VERSION).await.unwrap();
        assert!(version.is_some());

        // The same file again changes nothing.
        let again = store.import_alerts(&list, v1.clone(), at(1), audit("alerts.import")).await.unwrap();
        assert_eq!(
            (again.added.len(), again.updated.len(), again.retired.len(), again.unchanged),
            (0, 0, 0, 3)
        );

        // A new version: W-2 changed, W-3 gone, W-4 new.
        let v2 = vec![alert_entry("W-1", "Pech"), alert_entry("W-2", "Chan Uc"), alert_entry("W-4", "Poot")];
        let changes = store.import_alerts(&list, v2, at(2), audit("alerts.import")).await.unwrap();
        assert_eq!(changes.added, vec!["W-4".to_string()]);
        assert_eq!(changes.updated, vec!["W-2".to_string()]);
        assert_eq!(changes.retired, vec!["W-3".to_string()]);
        assert_eq!(changes.unchanged, 1);
        assert_ne!(store.meta(ALERTS_VERSION).await.unwrap(), version, "every change moves the version");
        let event = store.search_audit(&AuditQuery { limit: 1, ..AuditQuery::default() }).await.unwrap();
        let detail: serde_json::Value = serde_json::from_str(&event[0].detail).unwrap();
        assert_eq!(
            detail["counts"],
            serde_json::json!({"added": 1, "updated": 1, "retired": 1, "unchanged": 1})
        );
        assert_eq!(detail["retired"], serde_json::json!(["W-3"]));

        let in_force = AlertQuery { country: Some(CountryCode::BLZ), ..AlertQuery::default() };
        let refs = |v: Vec<frontera_store::StoredAlert>| {
            v.into_iter().map(|a| a.entry.reference).collect::<Vec<_>>()
        };
        assert_eq!(refs(store.alerts(&in_force).await.unwrap()), ["W-1", "W-2", "W-4"]);
        let all = AlertQuery { include_retired: true, ..in_force.clone() };
        assert_eq!(refs(store.alerts(&all).await.unwrap()), ["W-1", "W-2", "W-3", "W-4"]);
        let w2 = store.alert(CountryCode::BLZ, "bz-wanted", "W-2").await.unwrap().unwrap();
        assert_eq!(w2.entry.names[0].surnames, "Chan Uc");
        assert_eq!((w2.created_at, w2.updated_at), (at(0), at(2)));
        let w3 = store.alert(CountryCode::BLZ, "bz-wanted", "W-3").await.unwrap().unwrap();
        assert_eq!(w3.retired_at, Some(at(2)));

        // W-3 listed again: brought back.
        let v3 = vec![
            alert_entry("W-1", "Pech"),
            alert_entry("W-2", "Chan Uc"),
            alert_entry("W-3", "Ku"),
            alert_entry("W-4", "Poot"),
        ];
        let changes = store.import_alerts(&list, v3, at(3), audit("alerts.import")).await.unwrap();
        assert_eq!(changes.updated, vec!["W-3".to_string()]);
        assert_eq!(
            store.alert(CountryCode::BLZ, "bz-wanted", "W-3").await.unwrap().unwrap().retired_at,
            None
        );

        // Paging by reference.
        let page = AlertQuery { limit: 2, list: Some("bz-wanted".into()), ..in_force.clone() };
        assert_eq!(refs(store.alerts(&page).await.unwrap()), ["W-1", "W-2"]);
        let next = AlertQuery { after: Some(("bz-wanted".into(), "W-2".into())), ..page };
        assert_eq!(refs(store.alerts(&next).await.unwrap()), ["W-3", "W-4"]);

        // A file naming a reference twice stores nothing.
        let twice = vec![alert_entry("W-9", "Pech"), alert_entry("W-9", "Chan")];
        assert!(matches!(
            store.import_alerts(&list, twice, at(4), audit("alerts.import")).await,
            Err(StoreError::Conflict(_))
        ));
        assert!(store.alert(CountryCode::BLZ, "bz-wanted", "W-9").await.unwrap().is_none());

        let lists = store.alert_lists(Some(CountryCode::BLZ)).await.unwrap();
        assert_eq!(lists.len(), 1);
        assert_eq!((lists[0].active, lists[0].retired, lists[0].settings.threshold), (4, 0, 0.85));
        assert!(store.alert_lists(Some(CountryCode::MEX)).await.unwrap().is_empty());
        assert!(verify_chain(store).await > 0);
        engine.finish().await;
    }
}

#[tokio::test]
async fn entries_are_created_changed_and_retired_one_at_a_time() {
    for engine in engines().await {
        let store = engine.store.as_ref();
        let entry = alert_entry("M-1", "Pech");
        let missing =
            store.save_alert(CountryCode::BLZ, "nolist", &entry, true, at(0), audit("alerts.create")).await;
        assert!(matches!(missing, Err(StoreError::NotFound(_))), "a list must exist first");
        store.save_alert_list(&list_settings("manual", 0.9), audit("alerts.list")).await.unwrap();
        let saved = store
            .save_alert(CountryCode::BLZ, "manual", &entry, true, at(0), audit("alerts.create"))
            .await
            .unwrap();
        assert_eq!(saved.entry, entry);
        let twice =
            store.save_alert(CountryCode::BLZ, "manual", &entry, true, at(1), audit("alerts.create")).await;
        assert!(matches!(twice, Err(StoreError::Conflict(_))));
        let changed = alert_entry("M-1", "Pech Uc");
        let saved = store
            .save_alert(CountryCode::BLZ, "manual", &changed, false, at(2), audit("alerts.update"))
            .await
            .unwrap();
        assert_eq!((saved.entry.names[0].surnames.as_str(), saved.updated_at), ("Pech Uc", at(2)));
        let ghost = store
            .save_alert(
                CountryCode::BLZ,
                "manual",
                &alert_entry("M-9", "X"),
                false,
                at(2),
                audit("alerts.update"),
            )
            .await;
        assert!(matches!(ghost, Err(StoreError::NotFound(_))));
        let retired = store
            .retire_alert(CountryCode::BLZ, "manual", "M-1", at(3), audit("alerts.retire"))
            .await
            .unwrap();
        assert_eq!(retired.retired_at, Some(at(3)));
        let again = store
            .retire_alert(CountryCode::BLZ, "manual", "M-1", at(4), audit("alerts.retire"))
            .await
            .unwrap();
        assert_eq!(again.retired_at, Some(at(3)), "retiring twice changes nothing");
        store.save_alert_list(&list_settings("manual", 0.95), audit("alerts.list")).await.unwrap();
        let lists = store.alert_lists(None).await.unwrap();
        assert_eq!((lists[0].settings.threshold, lists[0].active, lists[0].retired), (0.95, 0, 1));
        assert_eq!(lists[0].settings.source.as_deref(), Some("file.csv"));
        engine.finish().await;
    }
}

#[tokio::test]
async fn a_crossing_keeps_its_screening_and_a_hit_is_decided_once() {
    use frontera_domain::alert::{AlertKind, HitAction, HitStatus};
    use frontera_store::{HitQuery, HitRecord, ScreeningRecord};
    for engine in engines().await {
        let store = engine.store.as_ref();
        let crossing = CrossingBuilder::new(0).build();
        let hit = HitRecord {
            id: Uuid::now_v7(),
            crossing_id: crossing.id,
            country: crossing.country,
            port_id: crossing.port_id.clone(),
            list: "bz-wanted".into(),
            reference: "W-1".into(),
            kind: AlertKind::MissingChild,
            action: HitAction::Protect,
            score: 0.912,
            names: vec!["María Hernández".into()],
            explanation: r#"{"summary":"s"}"#.into(),
            status: HitStatus::Open,
            created_at: at(0),
            resolved_by: None,
            resolved_at: None,
            note: None,
        };
        let screening =
            ScreeningRecord { screened_at: at(0), entries: 731, protection: true, hits: vec![hit.clone()] };
        store
            .record_crossing(&crossing, "fp", &key(&crossing), Some(&screening), audit("crossing.record"))
            .await
            .unwrap();
        assert_eq!(store.screening(crossing.id).await.unwrap(), Some(screening));
        let clean = CrossingBuilder::new(1).document("G999").build();
        store.record_crossing(&clean, "fp2", &key(&clean), None, audit("crossing.record")).await.unwrap();
        assert_eq!(store.screening(clean.id).await.unwrap(), None);

        let open =
            HitQuery { country: CountryCode::BLZ, port: None, statuses: vec![HitStatus::Open], limit: 10 };
        assert_eq!(store.hits(&open).await.unwrap(), vec![hit.clone()]);
        let mx = HitQuery { country: CountryCode::MEX, ..open.clone() };
        assert!(store.hits(&mx).await.unwrap().is_empty());

        let escalated = store
            .resolve_hit(
                hit.id,
                HitStatus::Open,
                HitStatus::Escalated,
                "officer.bz",
                at(1),
                None,
                audit("hit.escalate"),
            )
            .await
            .unwrap();
        assert_eq!(
            (escalated.status, escalated.resolved_by.as_deref()),
            (HitStatus::Escalated, Some("officer.bz"))
        );
        assert!(store.hits(&open).await.unwrap().is_empty());
        let late = store
            .resolve_hit(
                hit.id,
                HitStatus::Open,
                HitStatus::Dismissed,
                "other",
                at(2),
                Some("no"),
                audit("hit.dismiss"),
            )
            .await;
        assert!(matches!(late, Err(StoreError::Conflict(_))), "decided meanwhile");
        let confirmed = store
            .resolve_hit(
                hit.id,
                HitStatus::Escalated,
                HitStatus::Confirmed,
                "sup.bz",
                at(3),
                Some("it is her"),
                audit("hit.confirm"),
            )
            .await
            .unwrap();
        assert_eq!(confirmed.status, HitStatus::Confirmed);
        assert_eq!((confirmed.resolved_at, confirmed.note.as_deref()), (Some(at(3)), Some("it is her")));
        assert_eq!(store.hit(hit.id).await.unwrap(), Some(confirmed));
        let none = store
            .resolve_hit(
                Uuid::now_v7(),
                HitStatus::Open,
                HitStatus::Confirmed,
                "x",
                at(4),
                None,
                audit("hit.confirm"),
            )
            .await;
        assert!(matches!(none, Err(StoreError::NotFound(_))));
        engine.finish().await;
    }
}

#[tokio::test]
async fn the_counts_follow_every_crossing_stored_once_and_are_replaced_whole_or_not_at_all() {
    use frontera_store::CountQuery;
    for engine in engines().await {
        let store = engine.store.as_ref();
        let total = |counts: &[(frontera_domain::CountKey, u64)]| counts.iter().map(|(_, n)| n).sum::<u64>();
        let entry = CrossingBuilder::new(1).document("P1000001").build();
        let same_cell = CrossingBuilder::new(2).document("P1000002").build();
        let exit = CrossingBuilder::new(3).document("P1000003").exit().build();
        for c in [&entry, &same_cell, &exit] {
            store.record_crossing(c, "fp", &key(c), None, audit("crossing.record")).await.unwrap();
        }
        // A resent crossing counts once.
        store.record_crossing(&entry, "fp", &key(&entry), None, audit("crossing.record")).await.unwrap();
        let counts = store.crossing_counts(&CountQuery::default()).await.unwrap();
        assert_eq!(counts.len(), 2, "{}: {counts:?}", store.engine());
        assert!(counts.contains(&(key(&entry), 2)), "{}: {counts:?}", store.engine());
        assert!(counts.contains(&(key(&exit), 1)), "{}", store.engine());

        // An import counts the rows it stores now, each once, not those stored before.
        let new = CrossingBuilder::new(4).document("P1000004").build();
        let mut session = store.begin_import(3).await.unwrap();
        let rows = [&entry, &new, &new].map(|c| ImportRow {
            crossing: c.clone(),
            fingerprint: "fp".into(),
            key: key(c),
        });
        let done = session.insert(rows.to_vec()).await.unwrap();
        assert_eq!((done.inserted, done.already_present), (1, 2), "{}", store.engine());
        session.commit(audit("crossing.import")).await.unwrap();
        let counts = store.crossing_counts(&CountQuery::default()).await.unwrap();
        assert_eq!(total(&counts), 4, "{}: {counts:?}", store.engine());
        // The same a month at a time.
        let months =
            store.crossing_counts(&CountQuery { monthly: true, ..CountQuery::default() }).await.unwrap();
        assert_eq!(total(&months), 4, "{}: {months:?}", store.engine());
        assert!(months.iter().all(|(k, _)| k.day == key(&entry).month().day), "{}", store.engine());
        assert!(months.contains(&(key(&entry).month(), 3)), "{}: {months:?}", store.engine());

        // Filters by country and local day.
        let day = key(&entry).day;
        let none = CountQuery { from: day.succ_opt(), ..CountQuery::default() };
        assert_eq!(store.crossing_counts(&none).await.unwrap(), [], "{}", store.engine());
        let mexico = CountQuery { countries: vec![CountryCode::MEX], ..CountQuery::default() };
        assert_eq!(store.crossing_counts(&mexico).await.unwrap(), [], "{}", store.engine());

        // A replacement worked out from another number of crossings is refused whole.
        let wrong = store.replace_counts(vec![(key(&exit), 9)], 3).await.unwrap_err();
        assert!(matches!(wrong, StoreError::Conflict(_)), "{}: {wrong:?}", store.engine());
        assert_eq!(total(&store.crossing_counts(&CountQuery::default()).await.unwrap()), 4);
        store.replace_counts(vec![(key(&entry), 3), (key(&exit), 1)], 4).await.unwrap();
        let counts = store.crossing_counts(&CountQuery::default()).await.unwrap();
        assert_eq!(counts.len(), 2, "{}", store.engine());
        assert_eq!(
            store.meta("crossing_counts").await.unwrap().as_deref(),
            Some("whole"),
            "{}",
            store.engine()
        );
    }
}

#[tokio::test]
async fn movements_are_a_countrys_crossings_with_the_documents_crossed_on() {
    for engine in engines().await {
        let store = engine.store.as_ref();
        let entry = CrossingBuilder::new(0).build();
        let exit = CrossingBuilder::new(60).exit().at_port("bz-blue-creek", CountryCode::BLZ).build();
        let renewed = CrossingBuilder::new(120).document("G7654321").build();
        let elsewhere = CrossingBuilder::new(0).at_port("mx-subteniente-lopez", CountryCode::MEX).build();
        for c in [&entry, &exit, &renewed, &elsewhere] {
            store
                .record_crossing(c, &format!("fp-{}", c.id), &key(c), None, audit("crossing.record"))
                .await
                .unwrap();
        }
        let m = store.movements(CountryCode::BLZ, None).await.unwrap();
        assert_eq!(m.holders.len(), 2);
        assert_eq!(m.rows.len(), 3);
        let holder = |c: &Crossing| m.holders.iter().position(|h| h.person_id == c.person_id).unwrap() as u32;
        let mut rows = m.rows.clone();
        rows.sort_by_key(|r| r.occurred_at);
        assert_eq!(
            rows.iter()
                .map(|r| (r.holder, r.direction, m.ports[r.port as usize].as_str()))
                .collect::<Vec<_>>(),
            [
                (holder(&entry), Direction::Entry, "bz-santa-elena"),
                (holder(&exit), Direction::Exit, "bz-blue-creek"),
                (holder(&renewed), Direction::Entry, "bz-santa-elena"),
            ]
        );
        assert_eq!(rows[0].occurred_at, entry.occurred_at.timestamp_micros());
        assert_eq!((rows[0].permitted_stay_days, rows[1].permitted_stay_days), (Some(30), None));
        assert_eq!(rows[0].category, Category::Visitor);
        let h = &m.holders[holder(&entry) as usize];
        assert_eq!(h.name_key, frontera_domain::fold_name("María José Hernández Canché"));
        assert_eq!(
            (h.birth_date, h.sex, h.nationality),
            (Some(PartialDate::parse("1988-03").unwrap()), Sex::Female, CountryCode::MEX)
        );
        let before = store.movements(CountryCode::BLZ, Some(at(60))).await.unwrap();
        assert_eq!(before.rows.len(), 1);
        assert_eq!(store.movements(CountryCode::MEX, None).await.unwrap().rows.len(), 1);
        assert_eq!(
            store.movements(CountryCode::parse("GTM").unwrap(), None).await.unwrap(),
            Default::default()
        );
        engine.finish().await;
    }
}

#[tokio::test]
async fn directory_records_are_added_replaced_and_counted_in_one_audited_step() {
    use frontera_store::{DirectoryChanges, DirectoryRecord};
    for engine in engines().await {
        let store = engine.store.as_ref();
        let record = |kind: &str, id: &str, json: &str| DirectoryRecord {
            kind: kind.into(),
            id: id.into(),
            record: json.into(),
        };
        let first = [
            record("organisation", "org-1", r#"{"name":"A"}"#),
            record("service", "svc-1", r#"{"name":"S"}"#),
        ];
        let changes = store.save_directory(&first, at(0), audit("directory.import")).await.unwrap();
        assert_eq!(changes, DirectoryChanges { added: 2, updated: 0, unchanged: 0 });
        let again = [
            record("organisation", "org-1", r#"{"name":"A"}"#),
            record("service", "svc-1", r#"{"name":"S2"}"#),
        ];
        let changes = store.save_directory(&again, at(1), audit("directory.import")).await.unwrap();
        assert_eq!(changes, DirectoryChanges { added: 0, updated: 1, unchanged: 1 });
        let all = store.directory_records().await.unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(all[1], record("service", "svc-1", r#"{"name":"S2"}"#));
        let events = store.audit_events(0, 100).await.unwrap();
        let last = events.last().unwrap();
        assert_eq!(last.action, "directory.import");
        assert!(last.detail.contains("\"updated\":1"), "{}", last.detail);
        verify_chain(store).await;
        engine.finish().await;
    }
}

#[tokio::test]
async fn protection_records_change_only_from_the_version_read_and_filter_by_case_organisation_and_due_date() {
    use frontera_store::{Effects, NewNotification, Outgoing, ProtectionQuery, ProtectionRecord};
    for engine in engines().await {
        let store = engine.store.as_ref();
        let case = ProtectionRecord {
            kind: "case".into(),
            id: "case-1".into(),
            case_id: "case-1".into(),
            country: CountryCode::BLZ,
            organisation: "org-a".into(),
            counterpart: None,
            state: "open".into(),
            due_at: None,
            record: "{}".into(),
            version: 1,
        };
        store.save_protection(&case, at(0), audit("case.open"), &Effects::default()).await.unwrap();
        // Created twice, or changed from a version not stored: refused, nothing written.
        assert!(matches!(
            store.save_protection(&case, at(1), audit("case.open"), &Effects::default()).await,
            Err(StoreError::Conflict(_))
        ));
        let stale = ProtectionRecord { version: 3, state: "closed".into(), ..case.clone() };
        assert!(matches!(
            store.save_protection(&stale, at(1), audit("case.close"), &Effects::default()).await,
            Err(StoreError::Conflict(_))
        ));
        let referral = ProtectionRecord {
            kind: "referral".into(),
            id: "ref-1".into(),
            counterpart: Some("org-b".into()),
            state: "requested".into(),
            due_at: Some(at(60).timestamp_micros()),
            ..case.clone()
        };
        let notice = |to: &str| NewNotification {
            recipient: to.into(),
            kind: "referral.request".into(),
            subject_kind: "referral".into(),
            subject_id: "ref-1".into(),
            case_id: Some("case-1".into()),
            detail: r#"{"priority":"urgent"}"#.into(),
        };
        let handed = |n: u8| Outgoing {
            peer: CountryCode::MEX,
            kind: if n == 1 { "referral" } else { "event" }.into(),
            subject_id: "ref-1".into(),
            case_id: "case-1".into(),
            body: format!("{{\"n\":{n}}}"),
        };
        let told = |n: &[NewNotification]| Effects { notify: n.to_vec(), send: vec![handed(1)] };
        // A change refused writes no notification.
        let early = ProtectionRecord { version: 2, ..referral.clone() };
        assert!(matches!(
            store.save_protection(&early, at(2), audit("referral.request"), &told(&[notice("ana")])).await,
            Err(StoreError::Conflict(_))
        ));
        assert_eq!(store.unread_notifications("ana").await.unwrap(), 0);
        store
            .save_protection(
                &referral,
                at(2),
                audit("referral.request"),
                &told(&[notice("ana"), notice("ben")]),
            )
            .await
            .unwrap();
        let ana = store.notifications("ana", false, 10).await.unwrap();
        assert_eq!(ana.len(), 1);
        assert_eq!(ana[0].notification, notice("ana"));
        assert_eq!((ana[0].created_at, ana[0].read_at), (at(2), None));
        assert_eq!(store.unread_notifications("ben").await.unwrap(), 1);
        // The outbox: in order, retried later, given up with its reason, gone when delivered.
        let accepted_effects = Effects { send: vec![handed(2)], ..Effects::default() };
        let queued = store.outbox().await.unwrap();
        assert_eq!(
            queued.iter().map(|q| q.message.clone()).collect::<Vec<_>>(),
            [handed(1)],
            "one, not two: the refused change sent nothing"
        );
        assert_eq!((queued[0].attempts, queued[0].next_at), (0, at(2)));
        store.outbox_failed(queued[0].id, "peer unreachable", Some(at(9)), at(3)).await.unwrap();
        let again = store.outbox().await.unwrap();
        assert_eq!(
            (again[0].attempts, again[0].next_at, again[0].last_error.as_deref()),
            (1, at(9), Some("peer unreachable"))
        );
        let accepted =
            ProtectionRecord { version: 2, state: "accepted".into(), due_at: None, ..referral.clone() };
        store.save_protection(&accepted, at(3), audit("referral.accept"), &accepted_effects).await.unwrap();
        let both = store.outbox().await.unwrap();
        assert_eq!(
            both.iter().map(|q| q.message.body.as_str()).collect::<Vec<_>>(),
            ["{\"n\":1}", "{\"n\":2}"]
        );
        store.outbox_delivered(both[0].id).await.unwrap();
        store.outbox_failed(both[1].id, "refused: 409", None, at(4)).await.unwrap();
        assert!(store.outbox().await.unwrap().is_empty(), "delivered, and given up");
        store
            .save_protection(
                &ProtectionRecord { version: 3, ..accepted.clone() },
                at(5),
                audit("referral.start"),
                &Effects { send: vec![handed(3)], ..Effects::default() },
            )
            .await
            .unwrap();
        let accepted = ProtectionRecord { version: 3, ..accepted.clone() };
        assert_eq!(store.protection_record("referral", "ref-1").await.unwrap(), Some(accepted.clone()));
        // Read: one by one (another's number marks nothing), or all at once.
        assert_eq!(store.mark_notifications_read("ben", &[ana[0].id], at(4)).await.unwrap(), 0);
        assert_eq!(store.mark_notifications_read("ana", &[ana[0].id], at(4)).await.unwrap(), 1);
        assert_eq!(store.mark_notifications_read("ana", &[ana[0].id], at(5)).await.unwrap(), 0);
        assert_eq!(store.notifications("ana", false, 10).await.unwrap()[0].read_at, Some(at(4)));
        assert!(store.notifications("ana", true, 10).await.unwrap().is_empty());
        assert_eq!(store.notifications("ben", true, 10).await.unwrap().len(), 1);
        assert_eq!(store.mark_notifications_read("ben", &[], at(5)).await.unwrap(), 1);
        assert_eq!(store.unread_notifications("ben").await.unwrap(), 0);
        assert_eq!(store.protection_record("referral", "ref-2").await.unwrap(), None);
        let q = |f: &dyn Fn(&mut ProtectionQuery)| {
            let mut query = ProtectionQuery::default();
            f(&mut query);
            query
        };
        let ids = |records: Vec<ProtectionRecord>| records.into_iter().map(|r| r.id).collect::<Vec<_>>();
        assert_eq!(
            ids(store.protection_records(&q(&|q| q.case_id = Some("case-1".into()))).await.unwrap()),
            ["case-1", "ref-1"]
        );
        assert_eq!(
            ids(store.protection_records(&q(&|q| q.organisation = Some("org-b".into()))).await.unwrap()),
            ["ref-1"]
        );
        assert_eq!(
            ids(store
                .protection_records(&q(&|q| q.states = vec!["requested".into(), "received".into()]))
                .await
                .unwrap()),
            Vec::<String>::new()
        );
        assert_eq!(
            ids(store.protection_records(&q(&|q| q.states = vec!["accepted".into()])).await.unwrap()),
            ["ref-1"]
        );
        let due = at(61).timestamp_micros();
        assert!(store.protection_records(&q(&|q| q.due_before = Some(due))).await.unwrap().is_empty());
        let events = store.audit_events(0, 100).await.unwrap();
        assert_eq!(events.iter().filter(|e| e.action.starts_with("referral.")).count(), 3);
        // An attachment: listed without its content, read whole.
        let file = frontera_store::Attachment {
            id: "att-1".into(),
            case_id: "case-1".into(),
            name: "certificate.pdf".into(),
            media_type: "application/pdf".into(),
            size: 9,
            sha256: "ab".into(),
            added_by: "ana".into(),
            added_at: at(4),
        };
        store.save_attachment(&file, b"%PDF-1.7\n", audit("case.attach")).await.unwrap();
        assert_eq!(store.attachments("case-1").await.unwrap(), std::slice::from_ref(&file));
        assert_eq!(store.attachment("att-1").await.unwrap(), Some((file.clone(), b"%PDF-1.7\n".to_vec())));
        assert_eq!(store.attachment("att-2").await.unwrap(), None);
        assert!(store.save_attachment(&file, b"again", audit("case.attach")).await.is_err(), "an id once");
        // Purged: the case's records go, its counts stay and add up.
        let counts = [("2026-03".to_string(), "cases_by_profile".to_string(), "asylum".to_string(), 1)];
        assert_eq!(store.purge_protection("case-1", &counts, audit("case.purge")).await.unwrap(), 2);
        assert_eq!(store.purge_protection("case-9", &counts, audit("case.purge")).await.unwrap(), 0);
        assert!(store.protection_records(&ProtectionQuery::default()).await.unwrap().is_empty());
        assert!(store.notifications("ana", false, 10).await.unwrap().is_empty());
        assert!(store.attachments("case-1").await.unwrap().is_empty());
        assert!(store.outbox().await.unwrap().is_empty(), "what was owed about the case goes too");
        store.compact_protection().await.unwrap();
        assert!(store.protection_records(&ProtectionQuery::default()).await.unwrap().is_empty());
        assert_eq!(store.attachment("att-1").await.unwrap(), None);
        assert_eq!(
            store.protection_statistics().await.unwrap(),
            [("2026-03".into(), "cases_by_profile".into(), "asylum".into(), 2)]
        );
        verify_chain(store).await;
        engine.finish().await;
    }
}

#[tokio::test]
async fn labour_records_change_only_from_the_version_read_and_filter_by_holder_employer_key_and_state() {
    use frontera_store::{LabourQuery, LabourRecord};
    for engine in engines().await {
        let store = engine.store.as_ref();
        let worker = LabourRecord {
            kind: "worker".into(),
            id: "w-1".into(),
            country: CountryCode::MEX,
            holder: None,
            employer: None,
            search_key: Some("lopez perez juan 1990-02-03 g1234567".into()),
            state: "active".into(),
            record: "{}".into(),
            version: 1,
        };
        store.save_labour(std::slice::from_ref(&worker), at(0), audit("labour.worker")).await.unwrap();
        assert!(matches!(
            store.save_labour(std::slice::from_ref(&worker), at(1), audit("labour.worker")).await,
            Err(StoreError::Conflict(_))
        ));
        let permit = LabourRecord {
            kind: "permit".into(),
            id: "p-1".into(),
            holder: Some("w-1".into()),
            employer: Some("e-1".into()),
            search_key: None,
            state: "applied".into(),
            ..worker.clone()
        };
        store.save_labour(std::slice::from_ref(&permit), at(2), audit("labour.permit")).await.unwrap();
        let issued = LabourRecord { state: "issued".into(), version: 2, ..permit.clone() };
        store.save_labour(std::slice::from_ref(&issued), at(3), audit("labour.permit_issue")).await.unwrap();
        let stale = LabourRecord { state: "revoked".into(), version: 2, ..permit.clone() };
        assert!(matches!(
            store.save_labour(std::slice::from_ref(&stale), at(4), audit("labour.permit_revoke")).await,
            Err(StoreError::Conflict(_))
        ));
        assert_eq!(store.labour_record("permit", "p-1").await.unwrap(), Some(issued.clone()));
        assert_eq!(store.labour_record("permit", "p-9").await.unwrap(), None);
        // A batch is stored whole or not at all.
        let fresh = LabourRecord { id: "p-2".into(), ..permit.clone() };
        assert!(matches!(
            store.save_labour(&[fresh.clone(), stale.clone()], at(5), audit("labour.import")).await,
            Err(StoreError::Conflict(_))
        ));
        assert_eq!(store.labour_record("permit", "p-2").await.unwrap(), None, "nothing of a refused batch");
        let events = store.audit_events(0, 10_000).await.unwrap();
        assert!(!events.iter().any(|e| e.action == "labour.import"));
        let ids = |q: LabourQuery| async move {
            store.labour_records(&q).await.unwrap().into_iter().map(|r| r.id).collect::<Vec<_>>()
        };
        assert_eq!(ids(LabourQuery { holder: Some("w-1".into()), ..Default::default() }).await, ["p-1"]);
        assert_eq!(ids(LabourQuery { employer: Some("e-1".into()), ..Default::default() }).await, ["p-1"]);
        assert_eq!(
            ids(LabourQuery { key_contains: Some("juan".into()), ..Default::default() }).await,
            ["w-1"]
        );
        assert!(
            ids(LabourQuery { key_contains: Some("j%n".into()), ..Default::default() }).await.is_empty(),
            "% is a letter"
        );
        assert_eq!(
            ids(LabourQuery { states: vec!["issued".into(), "renewed".into()], ..Default::default() }).await,
            ["p-1"]
        );
        assert!(ids(LabourQuery { country: Some(CountryCode::BLZ), ..Default::default() }).await.is_empty());
        assert_eq!(
            ids(LabourQuery {
                kind: Some("worker".into()),
                country: Some(CountryCode::MEX),
                ..Default::default()
            })
            .await,
            ["w-1"]
        );
        let events = store.audit_events(0, 100).await.unwrap();
        assert_eq!(
            events.iter().filter(|e| e.action.starts_with("labour.")).count(),
            3,
            "refused changes write nothing"
        );
        verify_chain(store).await;
        engine.finish().await;
    }
}

#[tokio::test]
async fn informal_records_change_only_from_the_version_read_and_filter_by_point_plan_day_and_state() {
    use frontera_store::{InformalQuery, InformalRecord};
    for engine in engines().await {
        let store = engine.store.as_ref();
        let session = |id: &str, point: &str, day: &str| InformalRecord {
            kind: "session".into(),
            id: id.into(),
            country: CountryCode::MEX,
            point: Some(point.into()),
            plan: Some("plan-1".into()),
            day: Some(day.into()),
            state: "active".into(),
            record: format!("{{\"id\":\"{id}\"}}"),
            version: 1,
        };
        let a = session("s-1", "mx-la-union", "2026-03-02");
        let b = session("s-2", "mx-la-union", "2026-03-09");
        let c = InformalRecord { plan: None, ..session("s-3", "mx-botes", "2026-03-05") };
        store
            .save_informal(&[a.clone(), b.clone(), c.clone()], at(0), audit("informal.session"))
            .await
            .unwrap();
        // Sent again as new: a conflict, and the batch it came in stores nothing.
        let d = session("s-4", "mx-botes", "2026-03-06");
        assert!(matches!(
            store.save_informal(&[d.clone(), a.clone()], at(1), audit("informal.session")).await,
            Err(StoreError::Conflict(_))
        ));
        assert_eq!(store.informal_record("session", "s-4").await.unwrap(), None);
        let corrected = InformalRecord { record: "{\"fixed\":true}".into(), version: 2, ..a.clone() };
        store
            .save_informal(std::slice::from_ref(&corrected), at(2), audit("informal.session"))
            .await
            .unwrap();
        assert_eq!(store.informal_record("session", "s-1").await.unwrap(), Some(corrected.clone()));
        assert!(matches!(
            store.save_informal(std::slice::from_ref(&corrected), at(3), audit("informal.session")).await,
            Err(StoreError::Conflict(_))
        ));
        let plan = InformalRecord {
            kind: "plan".into(),
            id: "plan-1".into(),
            point: None,
            plan: None,
            state: "drawn".into(),
            ..session("plan-1", "", "2026-03-01")
        };
        store.save_informal(std::slice::from_ref(&plan), at(4), audit("informal.plan")).await.unwrap();
        let ids = |q: InformalQuery| async move {
            store.informal_records(&q).await.unwrap().into_iter().map(|r| r.id).collect::<Vec<_>>()
        };
        assert_eq!(
            ids(InformalQuery { kind: Some("session".into()), ..Default::default() }).await,
            ["s-1", "s-3", "s-2"],
            "by day"
        );
        assert_eq!(
            ids(InformalQuery { point: Some("mx-botes".into()), ..Default::default() }).await,
            ["s-3"]
        );
        assert_eq!(
            ids(InformalQuery { plan: Some("plan-1".into()), ..Default::default() }).await,
            ["s-1", "s-2"]
        );
        assert_eq!(
            ids(InformalQuery {
                from_day: Some("2026-03-03".into()),
                to_day: Some("2026-03-09".into()),
                ..Default::default()
            })
            .await,
            ["s-3", "s-2"]
        );
        assert_eq!(
            ids(InformalQuery { states: vec!["drawn".into()], ..Default::default() }).await,
            ["plan-1"]
        );
        assert!(
            ids(InformalQuery { country: Some(CountryCode::BLZ), ..Default::default() }).await.is_empty()
        );
        let events = store.audit_events(0, 100).await.unwrap();
        assert_eq!(
            events.iter().filter(|e| e.action.starts_with("informal.")).count(),
            3,
            "refused changes write nothing"
        );
        verify_chain(store).await;
        engine.finish().await;
    }
}
