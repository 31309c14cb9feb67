//! The `frontera` command line, as an operator uses it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::{Command, Output};

fn frontera(dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_frontera"))
        .args(args)
        .current_dir(dir)
        .env_remove("FRONTERA_DATABASE")
        .env_remove("FRONTERA_CONFIG")
        .env("LANG", "C")
        .output()
        .unwrap()
}

const TD3: [&str; 2] =
    ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"];

#[test]
fn mrz_parse_prints_json_and_exits_by_validity() {
    let dir = tempfile::tempdir().unwrap();
    let ok = frontera(dir.path(), &["mrz", "parse", TD3[0], TD3[1]]);
    assert_eq!(ok.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&ok.stdout).unwrap();
    for key in [
        "format",
        "document_code",
        "issuing_state",
        "surname",
        "given_names",
        "document_number",
        "nationality",
        "birth_date",
        "sex",
        "expiry_date",
        "optional_data",
        "valid",
    ] {
        assert!(json.get(key).is_some(), "{key} missing from {json}");
    }
    assert_eq!(json["valid"], true);

    let bad = frontera(dir.path(), &["mrz", "parse", TD3[0], "L898902C37UTO7408122F1204159ZE184226B<<<<<10"]);
    assert_eq!(bad.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&bad.stdout).unwrap();
    assert_eq!(json["valid"], false);
    assert_eq!(json["failed_checks"][0], "document_number");

    let not = frontera(dir.path(), &["mrz", "parse", "hello world"]);
    assert_eq!(not.status.code(), Some(2));
}

#[test]
fn a_bad_csv_is_refused_with_line_numbers_and_the_audit_trail_stays_whole() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("in.csv"),
        "occurred_at,port_id,direction,category,document_kind,document_number,issuing_state,first_surname,sex,nationality\n\
         2026-03-01T10:00:00Z,bz-santa-elena,exit,departing_national,passport,P1234567,BLZ,Young,M,BLZ\n\
         2026-03-01T10:05:00Z,bz-santa-elena,exit,departing_national,passport,P7654321,BLZ,Tillett,Q,BLZ\n",
    )
    .unwrap();
    let dry = frontera(dir.path(), &["import", "crossings", "in.csv", "--dry-run"]);
    assert_eq!(dry.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&dry.stdout).contains("checked 2 rows: 1 good, 1 bad"));

    let refused = frontera(dir.path(), &["import", "crossings", "in.csv"]);
    assert_eq!(refused.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("line 3: sex: must be one of: F, M, X"), "{stderr}");
    assert!(stderr.contains("nothing imported"), "{stderr}");

    let skipped = frontera(dir.path(), &["import", "crossings", "in.csv", "--skip-invalid"]);
    assert_eq!(skipped.status.code(), Some(0), "{}", String::from_utf8_lossy(&skipped.stderr));
    assert!(String::from_utf8_lossy(&skipped.stdout).contains("imported 1 crossings"));

    let exported = frontera(dir.path(), &["export", "crossings"]);
    let csv = String::from_utf8_lossy(&exported.stdout);
    assert_eq!(csv.lines().count(), 2, "{csv}");
    assert!(csv.contains("Young"));

    let token =
        frontera(dir.path(), &["user", "add", "ana.bz", "--role", "officer", "--country", "BLZ", "--token"]);
    assert_eq!(token.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&token.stdout).starts_with("frt_"));
    let verified = frontera(dir.path(), &["audit", "verify"]);
    assert_eq!(verified.status.code(), Some(0), "{}", String::from_utf8_lossy(&verified.stderr));
    assert!(String::from_utf8_lossy(&verified.stdout).contains("intact: 3 events"));
}

#[test]
fn a_wrong_role_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let out = frontera(dir.path(), &["user", "add", "x", "--role", "king", "--country", "BLZ"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("role: must be one of"));
}

fn frontera_with_stdin(dir: &std::path::Path, args: &[&str], input: &str, lang: &str) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_frontera"))
        .args(args)
        .current_dir(dir)
        .env_remove("FRONTERA_DATABASE")
        .env_remove("FRONTERA_CONFIG")
        .env("LANG", lang)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn passwords_come_from_standard_input_and_a_short_one_is_refused_in_the_users_language() {
    let dir = tempfile::tempdir().unwrap();
    let add = ["user", "add", "officer.bz", "--role", "officer", "--country", "BLZ", "--password-stdin"];
    let out = frontera_with_stdin(dir.path(), &add, "corta\n", "es_MX.UTF-8");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("password: debe tener al menos 12 caracteres"), "{err}");

    let out = frontera_with_stdin(dir.path(), &add, "una frase larga y segura\r\n", "C");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let again = ["user", "password", "officer.bz", "--password-stdin"];
    let out = frontera_with_stdin(dir.path(), &again, "otra frase larga y segura\n", "C");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("password set for officer.bz"));
    let out = frontera_with_stdin(
        dir.path(),
        &["user", "password", "nobody", "--password-stdin"],
        "x".repeat(12).as_str(),
        "C",
    );
    assert_eq!(out.status.code(), Some(1));
    let out = frontera(dir.path(), &["audit", "verify"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn a_list_is_imported_and_screen_prints_the_hits_as_json() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("wanted.csv"),
        "reference,given_names,surnames,aliases,birth_dates,nationalities\n\
         W-1,José Luis,Hernández Canché,Pepe/Canché,1971-03-14,MEX\n\
         W-2,Anna Maria,Eriksson,,1974-08-12,UTO\n",
    )
    .unwrap();
    let import =
        frontera(dir.path(), &["alerts", "import", "--list", "bz-wanted", "--format", "csv", "wanted.csv"]);
    assert_eq!(import.status.code(), Some(0), "{}", String::from_utf8_lossy(&import.stderr));
    assert!(String::from_utf8_lossy(&import.stdout).contains("2 added"));

    let screen = frontera(
        dir.path(),
        &["screen", "--name", "Pepe Canche", "--birth-date", "1971-03-14", "--nationality", "MEX", "--json"],
    );
    assert_eq!(screen.status.code(), Some(0), "{}", String::from_utf8_lossy(&screen.stderr));
    let json: serde_json::Value = serde_json::from_slice(&screen.stdout).unwrap();
    let hit = &json["hits"][0];
    for key in ["score", "list", "reference", "names", "explanation"] {
        assert!(hit.get(key).is_some(), "{key} missing from {json}");
    }
    assert_eq!((hit["list"].as_str(), hit["reference"].as_str()), (Some("bz-wanted"), Some("W-1")));
    assert_eq!(hit["explanation"]["name"]["alias"], true);
    assert_eq!(json["hits"].as_array().unwrap().len(), 1);

    let none = frontera(dir.path(), &["screen", "--name", "Rosa Tzib", "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&none.stdout).unwrap();
    assert_eq!(json["hits"], serde_json::json!([]));
    let some = frontera(dir.path(), &["screen", "--name", "Rosa Tzib", "--json", "--candidates", "2"]);
    let json: serde_json::Value = serde_json::from_slice(&some.stdout).unwrap();
    assert!(json["hits"].as_array().unwrap().len() <= 2);

    let bad = frontera(dir.path(), &["screen", "--birth-date", "1971", "--json"]);
    assert_ne!(bad.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("name"));
    std::fs::write(dir.path().join("bad.csv"), "reference,birth_dates\nW-3,1971-02-30\n").unwrap();
    let refused =
        frontera(dir.path(), &["alerts", "import", "--list", "bz-wanted", "--format", "csv", "bad.csv"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("line 2: birth_dates"));
    let verify = frontera(dir.path(), &["audit", "verify"]);
    assert_eq!(verify.status.code(), Some(0));
}

#[test]
fn the_directory_goes_out_and_back_in_as_hsds_csv_tables() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("directory.json"),
        r#"[{"id": "svc-casa", "name": "Casa shelter", "status": "active", "minimum_age": 0, "maximum_age": 17,
             "languages": [{"code": "es"}], "attributes": [{"taxonomy_term": {"code": "shelter"}}],
             "organization": {"id": "org-casa", "name": "Casa"},
             "service_at_locations": [{"id": "sal-casa", "location": {"id": "loc-casa",
               "addresses": [{"city": "Corozal Town", "state_province": "Corozal", "country": "BZ"}]}}]}]"#,
    )
    .unwrap();
    let loaded = frontera(dir.path(), &["directory", "import", "directory.json"]);
    assert_eq!(loaded.status.code(), Some(0), "{}", String::from_utf8_lossy(&loaded.stderr));
    let needs_folder = frontera(dir.path(), &["directory", "export", "--format", "csv"]);
    assert_eq!(needs_folder.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&needs_folder.stderr).contains("--output"));
    let out = frontera(dir.path(), &["directory", "export", "--format", "csv", "--output", "tables"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let services = std::fs::read_to_string(dir.path().join("tables/services.csv")).unwrap();
    assert!(services.contains("svc-casa,org-casa,Casa shelter"), "{services}");
    assert!(dir.path().join("tables/datapackage.json").exists());

    // Changed in a spreadsheet and loaded back: one record updated.
    std::fs::write(dir.path().join("tables/services.csv"), services.replace("Casa shelter", "Casa refuge"))
        .unwrap();
    let back = frontera(dir.path(), &["directory", "import", "tables"]);
    let said = String::from_utf8_lossy(&back.stderr);
    assert_eq!(back.status.code(), Some(0), "{said}");
    assert!(said.contains("1 updated"), "{said}");
    // A broken reference is named by file, line and column; nothing changes.
    std::fs::write(
        dir.path().join("tables/service_at_locations.csv"),
        "id,service_id,location_id\nsal-casa,svc-casa,loc-x\n",
    )
    .unwrap();
    let bad = frontera(dir.path(), &["directory", "import", "tables"]);
    assert_eq!(bad.status.code(), Some(1));
    let said = String::from_utf8_lossy(&bad.stderr);
    assert!(said.contains("service_at_locations.csv:2:location_id"), "{said}");
    let json = frontera(dir.path(), &["directory", "export"]);
    assert!(String::from_utf8_lossy(&json.stdout).contains("Casa refuge"));
}

#[test]
fn the_labour_registry_imports_a_file_whole_or_names_its_bad_rows() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("employers.csv"),
        "name,registration,sector,region\nCorozal Sugar Growers,CSG-001,A,BZ-CZL\nFree Zone Traders,FZT-77,G,BZ-XX\n",
    )
    .unwrap();
    let bad = frontera(dir.path(), &["labour", "import", "employers", "employers.csv"]);
    assert_eq!(bad.status.code(), Some(1));
    let said = String::from_utf8_lossy(&bad.stderr);
    assert!(said.contains("employers.csv:3: region"), "{said}");
    assert!(said.contains("nothing was imported"), "{said}");
    let none = frontera(dir.path(), &["labour", "export", "employers"]);
    assert_eq!(String::from_utf8_lossy(&none.stdout).lines().count(), 1, "the header alone");

    std::fs::write(
        dir.path().join("employers.csv"),
        "name,registration,sector,region\nCorozal Sugar Growers,CSG-001,A,BZ-CZL\nFree Zone Traders,FZT-77,G,BZ-CZL\n",
    )
    .unwrap();
    let dry = frontera(dir.path(), &["labour", "import", "employers", "employers.csv", "--dry-run"]);
    assert_eq!(dry.status.code(), Some(0), "{}", String::from_utf8_lossy(&dry.stderr));
    let good = frontera(dir.path(), &["labour", "import", "employers", "employers.csv"]);
    let said = String::from_utf8_lossy(&good.stderr);
    assert!(said.contains("2 imported"), "{said}");
    let xlsx = frontera(dir.path(), &["labour", "export", "employers", "--format", "xlsx", "-o", "e.xlsx"]);
    assert_eq!(xlsx.status.code(), Some(0));
    let again = frontera(dir.path(), &["labour", "import", "employers", "e.xlsx"]);
    assert!(String::from_utf8_lossy(&again.stderr).contains("2 already in the registry"));

    // The registry's figures as CSV.
    let demand = frontera(dir.path(), &["labour", "demand", "--from", "2026-11", "--to", "2027-01"]);
    let said = String::from_utf8_lossy(&demand.stdout);
    assert!(said.starts_with("month,demanded,permits_in_force"), "{said}");
    assert_eq!(said.lines().count(), 4, "{said}");
    let bad = frontera(dir.path(), &["labour", "demand", "--from", "November"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("from"));
    let permits = frontera(dir.path(), &["labour", "permits", "--by", "kind,sector"]);
    assert!(String::from_utf8_lossy(&permits.stdout).starts_with("kind,sector,count"));
    let holders = frontera(dir.path(), &["labour", "holders", "--by", "month,standing"]);
    assert_eq!(holders.status.code(), Some(0), "{}", String::from_utf8_lossy(&holders.stderr));
}

#[test]
fn informal_points_are_added_a_plan_drawn_and_an_uncounted_block_named_when_estimating() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("points.json"),
        r#"[{"id": "bz-paso-douglas", "name": "Douglas crossing", "latitude": 18.49, "longitude": -88.52,
             "terrain": "river", "stretch": "rio-hondo-bajo", "settlements": ["Douglas", "Ucum"],
             "nearby_ports": ["bz-santa-elena"], "blocks": ["06:00-09:00", "09:00-12:00", "12:00-15:00"]},
            {"id": "bz-paso-x", "name": "X", "latitude": 95, "longitude": -88.52, "terrain": "river",
             "stretch": "s", "settlements": ["a", "b"], "blocks": ["06:00-09:00"]}]"#,
    )
    .unwrap();
    let bad = frontera(dir.path(), &["informal", "add-points", "points.json"]);
    assert_ne!(bad.status.code(), Some(0));
    let said = String::from_utf8_lossy(&bad.stderr);
    assert!(said.contains("[1]") && said.contains("latitude"), "{said}");
    let points = frontera(dir.path(), &["informal", "points"]);
    let out = String::from_utf8_lossy(&points.stdout);
    assert!(out.contains("bz-paso-douglas,Douglas crossing,active,river,rio-hondo-bajo"), "{out}");

    let zero = frontera(
        dir.path(),
        &[
            "informal",
            "plan",
            "--name",
            "May",
            "--from",
            "2026-05-01",
            "--to",
            "2026-05-31",
            "--weekday",
            "4x2",
        ],
    );
    assert_ne!(zero.status.code(), Some(0), "weekends are never drawn: refused");
    assert!(String::from_utf8_lossy(&zero.stderr).contains("weekend"));
    let plan = frontera(
        dir.path(),
        &[
            "informal",
            "plan",
            "--name",
            "May",
            "--from",
            "2026-05-01",
            "--to",
            "2026-05-31",
            "--weekday",
            "4x2",
            "--weekend",
            "2x2",
            "--seed",
            "3",
        ],
    );
    assert_eq!(plan.status.code(), Some(0), "{}", String::from_utf8_lossy(&plan.stderr));
    let csv = String::from_utf8_lossy(&plan.stdout);
    assert!(csv.starts_with("plan,index,day,point,block,start,end,stratum,probability"), "{csv}");
    assert_eq!(csv.lines().count(), 1 + 12);
    // 4 of 21 weekdays, 2 of 3 blocks.
    assert!(csv.contains(",rio-hondo-bajo-weekday,0.126984,"), "{csv}");

    let estimate =
        frontera(dir.path(), &["informal", "estimate", "--from", "2026-05-01", "--to", "2026-05-31"]);
    assert_ne!(estimate.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&estimate.stderr).contains("not counted"));
    let flow = frontera(dir.path(), &["informal", "flow", "--from", "2026-04", "--to", "2026-05"]);
    assert_eq!(flow.status.code(), Some(0), "{}", String::from_utf8_lossy(&flow.stderr));
    let csv = String::from_utf8_lossy(&flow.stdout);
    assert!(csv.lines().nth(1).unwrap().starts_with("BLZ,2026-04,_T,0,0,,,,,,"), "{csv}");
    assert!(csv.lines().nth(2).unwrap().contains("not counted"), "{csv}");
}

/// What someone with write access to the database file can do to the audit trail: drop the
/// triggers, delete the event at `seq`, renumber and rehash every later one and rewrite the
/// head, so that every link holds again.
fn rebuild_without(db: &std::path::Path, seq: i64) {
    use frontera_domain::audit::{AuditEvent, GENESIS};
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.execute_batch("DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_events_no_delete;").unwrap();
    let mut events: Vec<AuditEvent> = conn
        .prepare("SELECT seq, at_micros, actor, action, record_kind, record_id, country, detail FROM audit_events ORDER BY seq")
        .unwrap()
        .query_map([], |r| {
            Ok(AuditEvent {
                seq: r.get(0)?,
                at_micros: r.get(1)?,
                actor: r.get(2)?,
                action: r.get(3)?,
                record_kind: r.get(4)?,
                record_id: r.get(5)?,
                country: r.get(6)?,
                detail: r.get(7)?,
                prev_hash: String::new(),
                hash: String::new(),
            })
        })
        .unwrap()
        .map(Result::unwrap)
        .filter(|e| e.seq != seq)
        .collect();
    conn.execute("DELETE FROM audit_events", []).unwrap();
    let mut prev = GENESIS.to_string();
    for (i, e) in events.iter_mut().enumerate() {
        e.seq = i as i64 + 1;
        e.prev_hash = prev.clone();
        e.hash = e.compute_hash();
        prev = e.hash.clone();
        conn.execute(
            "INSERT INTO audit_events VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            rusqlite::params![
                e.seq,
                e.at_micros,
                e.actor,
                e.action,
                e.record_kind,
                e.record_id,
                e.country,
                e.detail,
                e.prev_hash,
                e.hash
            ],
        )
        .unwrap();
    }
    conn.execute("UPDATE audit_head SET seq = ?1, hash = ?2", rusqlite::params![events.len() as i64, prev])
        .unwrap();
}

#[test]
fn an_audit_trail_rebuilt_in_the_database_fails_against_the_heads_signed_outside_it() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["ana.bz", "luis.bz", "rosa.bz"] {
        let out = frontera(dir.path(), &["user", "add", name, "--role", "officer", "--country", "BLZ"]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let anchored = frontera(dir.path(), &["audit", "anchor"]);
    assert!(anchored.status.success(), "{}", String::from_utf8_lossy(&anchored.stderr));
    let anchor: serde_json::Value = serde_json::from_slice(&anchored.stdout).unwrap();
    assert_eq!(anchor["seq"], 3);
    assert!(dir.path().join("frontera.db.key").exists() && dir.path().join("frontera.db.anchors").exists());
    // A copy kept elsewhere: the printed line.
    std::fs::write(dir.path().join("copy.jsonl"), &anchored.stdout).unwrap();
    let out = frontera(dir.path(), &["user", "add", "mario.bz", "--role", "officer", "--country", "BLZ"]);
    assert!(out.status.success());
    let intact = frontera(dir.path(), &["audit", "verify"]);
    assert!(intact.status.success(), "{}", String::from_utf8_lossy(&intact.stderr));

    // Who made luis.bz is taken out of the trail, and the chain rebuilt around the gap.
    rebuild_without(&dir.path().join("frontera.db"), 2);
    let verify = frontera(dir.path(), &["audit", "verify"]);
    assert_eq!(verify.status.code(), Some(1));
    let said = String::from_utf8_lossy(&verify.stderr);
    assert!(said.contains("the chain was rebuilt"), "{said}");
    // The node's own anchors deleted too: the copy kept elsewhere still tells.
    std::fs::remove_file(dir.path().join("frontera.db.anchors")).unwrap();
    let verify = frontera(dir.path(), &["audit", "verify", "--anchors", "copy.jsonl"]);
    assert_eq!(verify.status.code(), Some(1), "{}", String::from_utf8_lossy(&verify.stdout));
    // And an anchor made up for the rebuilt chain carries no valid signature.
    let mut forged = anchor.clone();
    forged["hash"] = serde_json::json!("00".repeat(32));
    std::fs::write(dir.path().join("forged.jsonl"), forged.to_string()).unwrap();
    let verify = frontera(dir.path(), &["audit", "verify", "--anchors", "forged.jsonl"]);
    assert_eq!(verify.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&verify.stderr).contains("forged"));
}

#[test]
fn the_node_serves_https_itself_with_hsts_and_refuses_a_peer_in_clear_text() {
    use std::io::BufRead;
    let dir = tempfile::tempdir().unwrap();
    let (cert, key) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    let made = Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-days",
            "2",
        ])
        .args(["-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1"])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output();
    let Ok(made) = made else {
        eprintln!("skipped: openssl is not installed, no certificate to serve with");
        return;
    };
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    let mut node = Command::new(env!("CARGO_BIN_EXE_frontera"))
        .args(["serve", "--listen", "127.0.0.1:0", "--tls-cert", "cert.pem", "--tls-key", "key.pem"])
        .current_dir(dir.path())
        .env_remove("FRONTERA_DATABASE")
        .env_remove("FRONTERA_CONFIG")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut said = std::io::BufReader::new(node.stderr.take().unwrap()).lines();
    let address = said
        .by_ref()
        .map_while(Result::ok)
        .find_map(|l| l.split("listening on https://").nth(1).map(str::to_string))
        .expect("the node says where it listens");
    let curl = |url: &str, extra: &[&str]| {
        Command::new("curl")
            .args(["-s", "-i", "--max-time", "10", "--cacert"])
            .arg(&cert)
            .args(extra)
            .arg(url)
            .output()
    };
    let answer = curl(&format!("https://{address}/healthz"), &[]);
    let _ = node.kill();
    let _ = node.wait();
    let Ok(answer) = answer else {
        eprintln!("skipped: curl is not installed");
        return;
    };
    let text = String::from_utf8_lossy(&answer.stdout).to_lowercase();
    assert!(text.starts_with("http/1.1 200"), "{text}");
    assert!(text.contains("strict-transport-security: max-age=31536000"), "{text}");
    assert!(
        text.contains("x-content-type-options: nosniff") && text.contains("cache-control: no-store"),
        "{text}"
    );

    // A peer named by an http:// URL would carry its token in clear text: the node will not start.
    std::fs::write(
        dir.path().join("peer.toml"),
        "[[peer]]\ncountry = \"MEX\"\nurl = \"http://hub.example.mx\"\ntoken = \"frt_x\"\n",
    )
    .unwrap();
    let refused = frontera(dir.path(), &["--config", "peer.toml", "serve", "--listen", "127.0.0.1:0"]);
    assert_eq!(refused.status.code(), Some(1), "{}", String::from_utf8_lossy(&refused.stderr));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("peers[0].url"));
}
