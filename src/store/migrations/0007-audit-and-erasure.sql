-- Security: an append-only audit log of what people did through the API and the CLI, and erasure of a
-- contact's personal data (privacy law) with a keyed-hash list that keeps an erased number from ever
-- being messaged again. See SECURITY.md and src/actions/erase-contact.ts.

-- Who did what, to what, when. Ids only in `detail`: the log must survive an erasure without holding
-- the personal data the erasure removed.
create table audit_events (
  id bigint generated always as identity primary key,
  occurred_at timestamptz not null,
  actor_type text not null check (actor_type in ('api_token', 'cli', 'system')),
  -- The API token's id (its label is copied, so the log reads the same after a token is revoked).
  actor_token_id bigint references api_tokens (id),
  actor_label text not null check (length(actor_label) between 1 and 200),
  action text not null check (length(action) between 1 and 100),
  target_type text not null check (length(target_type) between 1 and 50),
  target_id text check (length(target_id) <= 100),
  detail jsonb not null default '{}'::jsonb check (jsonb_typeof(detail) = 'object')
);

-- Append-only by the database, like the consent ledger: an audit entry that could be edited proves nothing.
create function audit_events_are_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'audit_events is append-only: % cannot be changed or deleted', old.id
    using errcode = 'restrict_violation';
end;
$$;

create trigger audit_events_no_update_or_delete
  before update or delete on audit_events
  for each row execute function audit_events_are_append_only();

-- An erased contact keeps its row (consent_events, append-only, refer to it as evidence) but no
-- identifier: the rule "known by phone, wa_id or BSUID" now holds only until erasure.
alter table contacts add column erased_at timestamptz;
alter table contacts drop constraint contacts_check;
alter table contacts add constraint contacts_identified_check
  check (erased_at is not null or phone is not null or wa_id is not null or business_user_id is not null);

-- 'erased': the person asked for erasure; every message stops, for good.
alter table suppressions drop constraint suppressions_reason_check;
alter table suppressions add constraint suppressions_reason_check
  check (reason in ('undeliverable', 'blocked', 'marketing_stopped', 'marketing_cap', 'erased'));

-- The HMAC-SHA256 key of the erasure list, made at the first erasure (actions/erase-contact.ts), kept
-- as its two padded forms (key XOR ipad, key XOR opad; RFC 2104) so SQL computes the same HMAC as
-- node:crypto with the core sha256() function. One row.
create table erasure_keys (
  id smallint primary key check (id = 1),
  inner_pad bytea not null check (length(inner_pad) = 64),
  outer_pad bytea not null check (length(outer_pad) = 64),
  created_at timestamptz not null
);

create function erasure_digest(value text) returns bytea language sql stable as $$
  select sha256(k.outer_pad || sha256(k.inner_pad || convert_to(value, 'UTF8'))) from erasure_keys k where k.id = 1
$$;

-- The erasure list: keyed hashes of the identifiers an erased person had, never the identifiers.
create table erased_identities (
  kind text not null check (kind in ('phone', 'wa_id', 'business_user_id')),
  digest bytea not null,
  contact_id bigint not null references contacts (id),
  erased_at timestamptz not null,
  primary key (kind, digest)
);

-- Any contact written with an erased identifier (a CSV import, an inbound message, a consent command:
-- every path) is suppressed for every message in the same statement. Statement-level with transition
-- tables, and a first check that the list is not empty, so imports pay nothing while nobody was erased.
create function contacts_suppress_erased() returns trigger language plpgsql as $$
begin
  if not exists (select 1 from erased_identities) then
    return null;
  end if;
  insert into suppressions (contact_id, reason, scope, source, created_at, occurred_at)
  select distinct n.id, 'erased', 'all', 'erasure list: this number asked to be erased', now(), now()
  from written_contacts n
  cross join lateral (values ('phone', n.phone), ('wa_id', n.wa_id), ('business_user_id', n.business_user_id)) as v(kind, value)
  join erased_identities e on e.kind = v.kind and e.digest = erasure_digest(v.value)
  where v.value is not null
  on conflict (contact_id, reason) where lifted_at is null do nothing;
  return null;
end;
$$;

create trigger contacts_erased_on_insert
  after insert on contacts referencing new table as written_contacts
  for each statement execute function contacts_suppress_erased();

create trigger contacts_erased_on_update
  after update on contacts referencing new table as written_contacts
  for each statement execute function contacts_suppress_erased();
