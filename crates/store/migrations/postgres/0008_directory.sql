-- The service directory (after Open Referral HSDS 3.0): organisations, services, locations and
-- services at locations, each kept whole as JSON under its kind and id. The directory is small
-- (hundreds to thousands of records); the node reads it whole and searches it in memory.

CREATE TABLE directory_records (
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    record TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (kind, id)
);
