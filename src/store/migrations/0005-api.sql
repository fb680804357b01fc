-- The REST API: bearer tokens (kept as SHA-256 digests, never in clear) and idempotency keys for the
-- requests a client may retry (create and launch a campaign, send a message).

create table api_tokens (
  id bigint generated always as identity primary key,
  label text not null,
  token_sha256 text not null unique,
  created_at timestamptz not null,
  revoked_at timestamptz
);

-- One row per (key, operation): the first request's fingerprint and, once it finished, its answer.
-- A retry with the same key and body gets the same answer; a different body is refused.
create table idempotency_keys (
  key text not null,
  operation text not null,
  request_sha256 text not null,
  response_status integer,
  response_body jsonb,
  created_at timestamptz not null,
  primary key (key, operation)
);
