-- The Cloud API edge: senders and their health history, raw webhooks, message statuses, inbound
-- messages and service windows, suppressions, templates as Meta reports them, account signals.

-- A business phone number Greenlight sends from.
create table senders (
  id bigint generated always as identity primary key,
  phone_number_id text not null unique,
  waba_id text not null,
  display_phone_number text,
  verified_name text,
  -- The share of the number's throughput campaigns may use; the rest is left for replies (product.md, pacing).
  throughput_share double precision not null default 0.8 check (throughput_share > 0 and throughput_share <= 1),
  use_marketing_messages_api boolean not null default false,
  quality_rating text,
  throughput_level text,
  messaging_limit_tier text,
  status text,
  name_status text,
  can_send_message text,
  health_errors jsonb not null default '[]'::jsonb,
  synced_at timestamptz,
  created_at timestamptz not null,
  updated_at timestamptz not null
);

create index senders_display_phone_number_idx on senders (display_phone_number);

-- Every observation of a sender's health, from a sync or a webhook, so quality trends can be shown.
create table sender_health_history (
  id bigint generated always as identity primary key,
  sender_id bigint not null references senders (id),
  observed_at timestamptz not null,
  source text not null check (source in ('sync', 'webhook')),
  quality_rating text,
  throughput_level text,
  messaging_limit_tier text,
  status text,
  can_send_message text,
  detail jsonb not null default '{}'::jsonb
);

create index sender_health_history_sender_idx on sender_health_history (sender_id, observed_at desc);

-- What Meta says about a WhatsApp Business Account: its messaging limit, restrictions and bans.
create table waba_states (
  waba_id text primary key,
  messaging_limit_tier text,
  -- Unique users reachable outside a service window per rolling 24 h; null means unlimited, 0 not set or unreadable.
  messaging_limit_users integer,
  restrictions jsonb not null default '[]'::jsonb,
  ban_state text,
  updated_at timestamptz not null
);

-- account_update and account_alerts as they arrived: the kill-switch evidence a person reads.
create table account_events (
  id bigint generated always as identity primary key,
  waba_id text not null,
  kind text not null check (kind in ('account_update', 'account_alert')),
  summary text not null,
  payload jsonb not null,
  occurred_at timestamptz not null,
  recorded_at timestamptz not null
);

-- Webhook POSTs, stored raw before anything else (Meta has no history API; whatsapp-rules.md §6.4),
-- then processed by a worker. The same body delivered again (Meta retries for days) is one row.
create table webhook_events (
  id bigint generated always as identity primary key,
  body_sha256 text not null unique,
  body text not null,
  received_at timestamptz not null,
  processed_at timestamptz,
  attempts integer not null default 0,
  locked_until timestamptz,
  last_error text,
  events_applied integer,
  events_unhandled integer
);

create index webhook_events_pending_idx on webhook_events (id) where processed_at is null;

-- One message Greenlight sent (campaign fields come with the campaign engine). Keyed by Meta's wamid.
create table messages (
  id bigint generated always as identity primary key,
  sender_id bigint references senders (id),
  contact_id bigint references contacts (id),
  wamid text unique,
  status text not null,
  status_at timestamptz,
  error_code integer,
  error_title text,
  error_details text,
  pricing_category text,
  pricing_type text,
  billable boolean,
  created_at timestamptz not null,
  updated_at timestamptz not null
);

-- Every status Meta reported for a wamid, once each: statuses arrive duplicated, out of order and
-- sometimes before Greenlight has recorded the send; messages.status is merged from these.
create table message_status_events (
  id bigint generated always as identity primary key,
  wamid text not null,
  phone_number_id text not null,
  status text not null,
  occurred_at timestamptz not null,
  recipient_wa_id text,
  recipient_user_id text,
  errors jsonb not null default '[]'::jsonb,
  pricing jsonb,
  biz_opaque_callback_data text,
  recorded_at timestamptz not null,
  unique (wamid, status)
);

-- The order statuses only move forward in (product.md, States): sent < delivered < read; failed is terminal.
create function message_status_rank(status text) returns integer language sql immutable as $$
  select case status
    when 'accepted' then 1 when 'held' then 1 when 'sent' then 2 when 'delivered' then 3
    when 'read' then 4 when 'played' then 4 when 'failed' then 9 else 0 end
$$;

create table inbound_messages (
  id bigint generated always as identity primary key,
  wamid text not null unique,
  phone_number_id text not null,
  contact_id bigint not null references contacts (id),
  type text not null,
  text text,
  payload text,
  referral jsonb,
  context_wamid text,
  sent_at timestamptz not null,
  recorded_at timestamptz not null
);

create index inbound_messages_contact_idx on inbound_messages (contact_id, sent_at desc);

-- The 24 h customer service window per (sender, contact): opened and renewed by each inbound message.
create table service_windows (
  phone_number_id text not null,
  contact_id bigint not null references contacts (id),
  last_inbound_at timestamptz not null,
  -- A Click-to-WhatsApp ad or Page CTA message: a reply within 24 h opens the 72 h free entry point (§7.1).
  last_referral_at timestamptz,
  last_ctwa_clid text,
  primary key (phone_number_id, contact_id)
);

-- Reasons other than consent not to message someone (product.md, Suppression). A row is lifted, never deleted.
create table suppressions (
  id bigint generated always as identity primary key,
  contact_id bigint not null references contacts (id),
  reason text not null check (reason in ('undeliverable', 'blocked', 'marketing_stopped', 'marketing_cap')),
  -- Which messages it stops: every message, or marketing only.
  scope text not null check (scope in ('all', 'marketing')),
  source text not null,
  created_at timestamptz not null,
  -- When the signal behind it happened (a webhook's timestamp), so signals arriving out of order
  -- resolve by when they happened: a late "stop" never undoes a later "resume".
  occurred_at timestamptz not null,
  until timestamptz,
  lifted_at timestamptz,
  lifted_by text,
  lifted_occurred_at timestamptz
);

create unique index suppressions_active_idx on suppressions (contact_id, reason) where lifted_at is null;

-- Templates as Meta reports them (status, quality, category); the template module adds authoring.
create table templates (
  id bigint generated always as identity primary key,
  waba_id text not null,
  meta_template_id text unique,
  name text not null,
  language text not null,
  category text,
  status text,
  quality_score text,
  rejection_reason text,
  rejection_detail jsonb,
  pending_category text,
  pending_category_at timestamptz,
  status_updated_at timestamptz,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  unique (waba_id, name, language)
);

create table template_events (
  id bigint generated always as identity primary key,
  template_id bigint not null references templates (id),
  kind text not null check (kind in ('status', 'quality', 'category')),
  summary text not null,
  payload jsonb not null,
  occurred_at timestamptz not null,
  recorded_at timestamptz not null
);

-- Media uploaded to Meta, by content hash and sender: reused instead of uploaded again, since Meta
-- caches media links only briefly and ids are the way to send at high throughput (§2).
create table media_uploads (
  sha256 text not null,
  phone_number_id text not null,
  media_id text not null,
  mime_type text not null,
  file_name text not null,
  bytes integer not null,
  uploaded_at timestamptz not null,
  primary key (sha256, phone_number_id)
);
