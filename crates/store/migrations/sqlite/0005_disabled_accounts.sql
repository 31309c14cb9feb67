-- An account an administrator switched off: its sessions end and its tokens and password stop
-- working, while its name stays in the audit trail.

ALTER TABLE users ADD COLUMN disabled_at INTEGER;
