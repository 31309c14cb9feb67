-- Protection: cases, consents and referrals, each kept whole as JSON with the columns access
-- and the deadline watch filter on. `version` rises with every change: a change made against
-- an older version is refused (two people acting on one referral at once).

CREATE TABLE protection_records (
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    case_id TEXT NOT NULL,
    country TEXT NOT NULL,
    organisation TEXT NOT NULL,
    counterpart TEXT,
    state TEXT NOT NULL,
    due_at INTEGER,
    record TEXT NOT NULL,
    version INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (kind, id)
);
CREATE INDEX protection_records_by_case ON protection_records (case_id, kind);
CREATE INDEX protection_records_by_counterpart ON protection_records (counterpart, kind) WHERE counterpart IS NOT NULL;
CREATE INDEX protection_records_by_due ON protection_records (due_at) WHERE due_at IS NOT NULL;
