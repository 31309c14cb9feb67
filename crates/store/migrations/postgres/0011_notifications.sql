-- Notifications: one row per recipient, written in the transaction of the change it tells of.
-- A notification names its subject (a case, a referral) and what happened; it carries no
-- personal data, and those about a case go with it when the case is purged.

CREATE TABLE notifications (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    recipient TEXT NOT NULL,
    kind TEXT NOT NULL,
    subject_kind TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    case_id TEXT,
    detail TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    read_at BIGINT
);
CREATE INDEX notifications_by_recipient ON notifications (recipient, id);
CREATE INDEX notifications_unread ON notifications (recipient) WHERE read_at IS NULL;
CREATE INDEX notifications_by_case ON notifications (case_id) WHERE case_id IS NOT NULL;
