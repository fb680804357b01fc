-- The campaign breakers count block signals among a campaign's recent sends (campaignWindowCounts):
-- suppressions of those contacts since each send, lifted later or not (a signal is a signal). The
-- only index was partial (active suppressions), which that lookup cannot use: it scanned the whole
-- table once per recent send, every supervision tick, on every worker.
create index suppressions_contact_idx on suppressions (contact_id, occurred_at);
