-- Contacts and the consent ledger: who may be messaged, and the proof of why.

-- A person Greenlight may message. Keyed by E.164 phone; Meta's wa_id and business-scoped user id are
-- stored when Meta reports them (a contact may be known by the BSUID alone).
create table contacts (
  id bigint generated always as identity primary key,
  phone text unique check (phone ~ '^\+[1-9][0-9]{6,14}$'),
  wa_id text unique,
  business_user_id text unique,
  name text,
  language text,
  country text check (country ~ '^[A-Z]{2}$'),
  time_zone text,
  -- true when the time zone came from the user (a column or a command), so a re-import never replaces it with the guess from the number.
  time_zone_overridden boolean not null default false,
  line_type text,
  attributes jsonb not null default '{}'::jsonb check (jsonb_typeof(attributes) = 'object'),
  tags text[] not null default '{}',
  created_at timestamptz not null,
  updated_at timestamptz not null,
  -- Meta may know a person only by a wa_id that is not a valid number, or only by a BSUID (§6.5).
  check (phone is not null or wa_id is not null or business_user_id is not null)
);

create index contacts_tags_idx on contacts using gin (tags);

-- The consent ledger: append-only. Current consent per (contact, category) is derived from it:
-- the latest event by occurred_at wins, and an opt-out wins a tie (see src/domain/consent.ts).
create table consent_events (
  id bigint generated always as identity primary key,
  contact_id bigint not null references contacts (id),
  category text not null check (category in ('marketing', 'utility')),
  kind text not null check (kind in ('opt_in', 'opt_out')),
  occurred_at timestamptz not null,
  recorded_at timestamptz not null,
  source text not null check (length(source) between 1 and 200),
  proof text check (length(proof) <= 4000),
  -- The same fact recorded twice (a re-imported file, a redelivered webhook) is one event.
  unique (contact_id, category, kind, occurred_at)
);

create index consent_events_contact_idx on consent_events (contact_id, category, occurred_at desc);

-- Append-only is enforced by the database, not by convention: an event once written is evidence.
create function consent_events_are_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'consent_events is append-only: record a new event instead of changing %', old.id
    using errcode = 'restrict_violation';
end;
$$;

create trigger consent_events_no_update_or_delete
  before update or delete on consent_events
  for each row execute function consent_events_are_append_only();
