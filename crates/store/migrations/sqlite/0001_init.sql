-- Frontera node schema, SQLite. Instants are microseconds since the Unix epoch (UTC).

CREATE TABLE crossings (
    id BLOB PRIMARY KEY,
    port_id TEXT NOT NULL,
    country TEXT NOT NULL,
    direction TEXT NOT NULL,
    category TEXT NOT NULL,
    purpose TEXT,
    transport_mode TEXT,
    permitted_stay_days INTEGER,
    occurred_at INTEGER NOT NULL,
    person_id BLOB NOT NULL,
    given_names TEXT NOT NULL,
    first_surname TEXT NOT NULL,
    second_surname TEXT,
    sex TEXT NOT NULL,
    birth_date TEXT,
    nationality TEXT NOT NULL,
    document_kind TEXT NOT NULL,
    document_number TEXT NOT NULL,
    issuing_state TEXT NOT NULL,
    document_expiry TEXT,
    mrz_format TEXT,
    recorded_by TEXT NOT NULL,
    node_id TEXT NOT NULL,
    recorded_at INTEGER NOT NULL,
    fingerprint TEXT NOT NULL
);
CREATE INDEX crossings_by_time ON crossings (occurred_at, id);
CREATE INDEX crossings_by_person ON crossings (person_id, occurred_at);

CREATE TABLE users (
    id BLOB PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    country TEXT NOT NULL,
    port_id TEXT,
    organisation TEXT,
    created_at INTEGER NOT NULL
);

CREATE TABLE api_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id BLOB NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL
);

CREATE TABLE node_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE audit_events (
    seq INTEGER PRIMARY KEY,
    at_micros INTEGER NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    record_kind TEXT NOT NULL,
    record_id TEXT NOT NULL,
    country TEXT,
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);

CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only');
END;

CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only');
END;

-- The chain's head, written with every append, so that removing the last events is detected.
CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
