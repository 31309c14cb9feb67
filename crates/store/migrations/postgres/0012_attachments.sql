-- Files attached to a protection case (a medical certificate, a signed consent, a photo of a
-- document): kept whole, with what the node found them to be, and deleted with the case.

CREATE TABLE protection_attachments (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL,
    name TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    added_by TEXT NOT NULL,
    added_at BIGINT NOT NULL,
    content BYTEA NOT NULL
);
CREATE INDEX protection_attachments_by_case ON protection_attachments (case_id);
