-- The exchange's outbox: what this hub owes the other country's hub (a referral handed over,
-- a step taken on one), written in the transaction of the change and deleted once delivered.
-- Messages about one subject go in order; a refused one is kept, given up, with the reason.

CREATE TABLE exchange_outbox (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    peer TEXT NOT NULL,
    kind TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    case_id TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_at BIGINT NOT NULL,
    last_error TEXT,
    given_up_at BIGINT
);
CREATE INDEX exchange_outbox_pending ON exchange_outbox (id) WHERE given_up_at IS NULL;
CREATE INDEX exchange_outbox_by_case ON exchange_outbox (case_id);
