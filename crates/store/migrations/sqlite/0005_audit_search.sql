-- The audit page filters by who acted and by the record acted on, newest first.

CREATE INDEX audit_events_by_actor ON audit_events (actor, seq);
CREATE INDEX audit_events_by_record ON audit_events (record_id, seq);
