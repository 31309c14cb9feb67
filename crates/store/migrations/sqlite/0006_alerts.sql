-- Alert lists and their entries, and the screening of each crossing against them.
--
-- An entry is stored whole as JSON (`body`): the store never searches inside it; the node's
-- screening index is built from it in memory. An entry a new version of its list no longer holds
-- is retired (`retired_at`), never deleted, so that past hits keep what they hit.

CREATE TABLE alert_lists (
    country TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    threshold REAL NOT NULL,
    source TEXT,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (country, name)
) WITHOUT ROWID;

CREATE TABLE alert_entries (
    country TEXT NOT NULL,
    list TEXT NOT NULL,
    reference TEXT NOT NULL,
    body TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    retired_at INTEGER,
    PRIMARY KEY (country, list, reference),
    FOREIGN KEY (country, list) REFERENCES alert_lists (country, name)
) WITHOUT ROWID;

CREATE TABLE screenings (
    crossing_id BLOB PRIMARY KEY REFERENCES crossings (id),
    screened_at INTEGER NOT NULL,
    entries INTEGER NOT NULL,
    protection INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE screening_hits (
    id BLOB PRIMARY KEY,
    crossing_id BLOB NOT NULL REFERENCES crossings (id),
    country TEXT NOT NULL,
    port_id TEXT NOT NULL,
    list TEXT NOT NULL,
    reference TEXT NOT NULL,
    kind TEXT NOT NULL,
    action TEXT NOT NULL,
    score REAL NOT NULL,
    names TEXT NOT NULL,
    explanation TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    resolved_by TEXT,
    resolved_at INTEGER,
    note TEXT
) WITHOUT ROWID;
CREATE INDEX screening_hits_by_crossing ON screening_hits (crossing_id);
CREATE INDEX screening_hits_by_status ON screening_hits (country, status, created_at);
