-- Alert lists and their entries, and the screening of each crossing against them.
--
-- An entry is stored whole as JSON (`body`): the store never searches inside it; the node's
-- screening index is built from it in memory. An entry a new version of its list no longer holds
-- is retired (`retired_at`), never deleted, so that past hits keep what they hit.

CREATE TABLE alert_lists (
    country TEXT NOT NULL,
    name TEXT COLLATE "C" NOT NULL,
    kind TEXT NOT NULL,
    threshold DOUBLE PRECISION NOT NULL,
    source TEXT,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (country, name)
);

CREATE TABLE alert_entries (
    country TEXT NOT NULL,
    list TEXT COLLATE "C" NOT NULL,
    reference TEXT COLLATE "C" NOT NULL,
    body TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    retired_at BIGINT,
    PRIMARY KEY (country, list, reference),
    FOREIGN KEY (country, list) REFERENCES alert_lists (country, name)
);

CREATE TABLE screenings (
    crossing_id UUID PRIMARY KEY REFERENCES crossings (id),
    screened_at BIGINT NOT NULL,
    entries BIGINT NOT NULL,
    protection BOOLEAN NOT NULL
);

CREATE TABLE screening_hits (
    id UUID PRIMARY KEY,
    crossing_id UUID NOT NULL REFERENCES crossings (id),
    country TEXT NOT NULL,
    port_id TEXT NOT NULL,
    list TEXT COLLATE "C" NOT NULL,
    reference TEXT COLLATE "C" NOT NULL,
    kind TEXT NOT NULL,
    action TEXT NOT NULL,
    score DOUBLE PRECISION NOT NULL,
    names TEXT NOT NULL,
    explanation TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    resolved_by TEXT,
    resolved_at BIGINT,
    note TEXT
);
CREATE INDEX screening_hits_by_crossing ON screening_hits (crossing_id);
CREATE INDEX screening_hits_by_status ON screening_hits (country, status, created_at);
