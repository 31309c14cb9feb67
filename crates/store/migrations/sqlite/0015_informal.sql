-- Informal crossings: monitoring points, sampling plans (with the enumerators' assignments),
-- count sessions and anonymous interviews, each kept whole as JSON with the columns searches
-- and access filter on. `version` rises with every change; a change made against an older
-- version is refused. Sessions and interviews carry the id minted on the enumerator's device.

CREATE TABLE informal_records (
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    country TEXT NOT NULL,
    point TEXT,
    plan TEXT,
    day TEXT,
    state TEXT NOT NULL,
    record TEXT NOT NULL,
    version INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (kind, id)
);
CREATE INDEX informal_records_by_country ON informal_records (country, kind, day);
CREATE INDEX informal_records_by_point ON informal_records (point, day) WHERE point IS NOT NULL;
CREATE INDEX informal_records_by_plan ON informal_records (plan) WHERE plan IS NOT NULL;
