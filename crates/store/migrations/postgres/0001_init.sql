-- Frontera node schema, PostgreSQL. Instants are microseconds since the Unix epoch (UTC).

CREATE TABLE crossings (
    id UUID PRIMARY KEY,
    port_id TEXT NOT NULL,
    country TEXT NOT NULL,
    direction TEXT NOT NULL,
    category TEXT NOT NULL,
    purpose TEXT,
    transport_mode TEXT,
    permitted_stay_days BIGINT,
    occurred_at BIGINT NOT NULL,
    person_id UUID NOT NULL,
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
    recorded_at BIGINT NOT NULL,
    fingerprint TEXT NOT NULL
);
CREATE INDEX crossings_by_time ON crossings (occurred_at, id);
CREATE INDEX crossings_by_person ON crossings (person_id, occurred_at);

CREATE TABLE users (
    id UUID PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    country TEXT NOT NULL,
    port_id TEXT,
    organisation TEXT,
    created_at BIGINT NOT NULL
);

CREATE TABLE api_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id UUID NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL
);

CREATE TABLE node_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE audit_events (
    seq BIGINT PRIMARY KEY,
    at_micros BIGINT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    record_kind TEXT NOT NULL,
    record_id TEXT NOT NULL,
    country TEXT,
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);

CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only';
END
$$;

CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();

CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();

-- The chain's head, written with every append, so that removing the last events is detected.
CREATE TABLE audit_head (
    id SMALLINT PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
