-- The labour registry: workers, employers, permits and seasonal demand, each kept whole as JSON
-- with the columns searches and access filter on. `version` rises with every change; a change
-- made against an older version is refused.

CREATE TABLE labour_records (
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    country TEXT NOT NULL,
    holder TEXT,
    employer TEXT,
    search_key TEXT,
    state TEXT NOT NULL,
    record TEXT NOT NULL,
    version BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (kind, id)
);
CREATE INDEX labour_records_by_country ON labour_records (country, kind);
CREATE INDEX labour_records_by_holder ON labour_records (holder) WHERE holder IS NOT NULL;
CREATE INDEX labour_records_by_employer ON labour_records (employer) WHERE employer IS NOT NULL;
CREATE INDEX labour_records_by_key ON labour_records (kind, search_key) WHERE search_key IS NOT NULL;
