-- The life of a REST API token: an optional expiry, and when it was last used (to the minute, so a
-- request does not cost a write: see domain/api-token-lifecycle.ts). `revoked_at` exists since 0005;
-- `greenlight tokens revoke` now sets it. An expired or revoked token is refused with its own code.

alter table api_tokens add column expires_at timestamptz;
alter table api_tokens add column last_used_at timestamptz;
alter table api_tokens add constraint api_tokens_expires_after_creation check (expires_at is null or expires_at > created_at);
