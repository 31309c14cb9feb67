-- API tokens expire (issue 22): a token made before this migration lasts 90 days from when it
-- was made, as a new one does unless its maker says otherwise.
ALTER TABLE api_tokens ADD COLUMN expires_at INTEGER;
UPDATE api_tokens SET expires_at = created_at + 90 * 86400000000;
CREATE INDEX api_tokens_by_user ON api_tokens (user_id);
