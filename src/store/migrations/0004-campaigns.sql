-- Campaigns: the spec a person wrote, its state, and one message row per recipient frozen at launch;
-- the shared state the dispatchers pace by (per-sender slots, the portfolio's 24 h reach); clicks.

create table campaigns (
  id bigint generated always as identity primary key,
  name text not null check (length(name) between 1 and 200),
  sender_id bigint not null references senders (id),
  template_name text not null,
  -- The validated campaign document (domain/campaign-spec.ts): audience, mapping, rules, variants.
  spec jsonb not null,
  state text not null check (state in ('draft', 'scheduled', 'running', 'paused', 'completed', 'cancelled')),
  pause_reason text check (pause_reason in ('manual', 'canary', 'breaker', 'budget')),
  -- What a person reads: why it paused, and what to do to resume.
  pause_detail text,
  pause_action text,
  starts_at timestamptz,
  launched_at timestamptz,
  finished_at timestamptz,
  recipients integer not null default 0,
  canary_size integer not null default 0,
  -- Set when the canary wave was judged good (or the campaign has none): the rest may go.
  canary_passed_at timestamptz,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  check ((state = 'paused') = (pause_reason is not null))
);

-- Every state change, by whom and why: the campaign's history as a person reads it.
create table campaign_events (
  id bigint generated always as identity primary key,
  campaign_id bigint not null references campaigns (id),
  occurred_at timestamptz not null,
  kind text not null,
  detail text not null
);

create index campaign_events_campaign_idx on campaign_events (campaign_id, occurred_at);

-- Named audiences a campaign can refer to ({"segment": "vip"}).
create table segments (
  name text primary key check (length(name) between 1 and 100),
  audience jsonb not null,
  created_at timestamptz not null
);

-- A campaign message is a messages row with a campaign: planned at launch, then claimed, sent, and
-- merged forward by status webhooks like any other message (messages.status is Meta's view;
-- dispatch_state is Greenlight's).
--
-- messages is the table a launch writes a million rows into at once, and every foreign key on it is a
-- lookup per row: the three of them took 65 % of planning 1,000,000 recipients (bench/RESULTS.md). The
-- rows they point at are never deleted (contacts stay as consent evidence; senders and campaigns have
-- no delete path), so messages keeps its ids without the checks. The wamid stays unique, but only where
-- there is one: a planned row has none, and a million NULL index entries bought nothing.
alter table messages drop constraint messages_sender_id_fkey, drop constraint messages_contact_id_fkey, drop constraint messages_wamid_key;
create unique index messages_wamid_idx on messages (wamid) where wamid is not null;

alter table messages
  add column campaign_id bigint,
  -- queued: claimed by a worker, not yet handed to Meta (safe to give back after a crash); sending: the
  -- request may be on its way (after a crash: unknown, never resent).
  add column dispatch_state text check (dispatch_state in ('planned', 'deferred', 'queued', 'sending', 'sent', 'skipped', 'failed', 'unknown', 'cancelled')),
  add column due_at timestamptz,
  -- The skip / defer / failure reason (domain/send-reasons.ts, domain/send-errors.ts) and its human detail.
  add column reason text,
  add column detail text,
  add column attempts smallint not null default 0,
  add column lease_owner text,
  add column lease_until timestamptz,
  -- 0: the canary wave; 1: everyone else.
  add column wave smallint,
  add column variant text,
  add column template_name text,
  add column category text,
  add column language text,
  add column via text check (via in ('template', 'session')),
  add column cost_usd numeric,
  add column sent_at timestamptz;

-- One message per recipient per campaign, whatever happens: the database refuses the second.
create unique index messages_campaign_contact_idx on messages (campaign_id, contact_id) where campaign_id is not null;

-- The claim index holds only messages still to send, so claiming stays as fast at the end of a
-- campaign as at its start (sent rows leave it instead of being re-scanned); ordered by due time,
-- then by id, which follows the launch order (most engaged first).
create index messages_due_idx on messages (campaign_id, due_at, id) where dispatch_state in ('planned', 'deferred');

-- Leases to recover after a crash: claimed rows whose worker stopped renewing them.
create index messages_leased_idx on messages (lease_until) where dispatch_state in ('queued', 'sending');

-- A campaign's latest sends, newest first: the breakers judge their rates on them every second.
create index messages_campaign_sent_idx on messages (campaign_id, sent_at) where sent_at is not null;

-- Unknown outcomes to reconcile from status webhooks: few, looked at often.
create index messages_unknown_idx on messages (id) where dispatch_state = 'unknown';

-- A contact's recent campaign messages from every campaign, for the frequency cap and the 6 s pair gap.
create index messages_contact_sent_idx on messages (contact_id, sent_at) where sent_at is not null;

-- Greenlight's own id travels to Meta as biz_opaque_callback_data; status webhooks carry it back, so
-- a send whose answer was lost (dispatch_state 'unknown') is reconciled without a wamid.
create index message_status_events_callback_idx on message_status_events (biz_opaque_callback_data) where biz_opaque_callback_data is not null;

-- The next free sending slot of each sender, shared by every dispatcher process: a worker reserves a
-- block of slots with one UPDATE, so the sender's rate holds globally (generic cell rate algorithm).
create table sender_pacing (
  sender_id bigint primary key references senders (id),
  next_slot_at timestamptz not null,
  -- 130429 (throughput) slows the whole sender until then (whatsapp-rules.md §3.2).
  backoff_until timestamptz,
  throttle_hits integer not null default 0
);

-- Contacts reached outside a service window, for the portfolio's rolling 24 h messaging limit (§1.1):
-- one row per contact, the time it was last counted. Shared by every sender and campaign.
create table messaging_limit_reach (
  contact_id bigint primary key references contacts (id),
  reached_at timestamptz not null
);

create index messaging_limit_reach_at_idx on messaging_limit_reach (reached_at);

-- Tracked links: a URL button's suffix or a session message's link points at serve's /r/{token}.
create table click_links (
  token text primary key,
  message_id bigint not null references messages (id),
  url text not null,
  created_at timestamptz not null
);

create index click_links_message_idx on click_links (message_id);

create table clicks (
  id bigint generated always as identity primary key,
  token text not null references click_links (token),
  clicked_at timestamptz not null,
  user_agent text
);

create index clicks_token_idx on clicks (token);
