-- Messages sent one at a time from the REST API (the inbox): a messages row without a campaign. Meta
-- keeps no copy Greenlight can read back, so what was sent is kept here for the conversation view:
-- { "type": "text", "text" } | { "type": "image"|"video"|"document"|"audio", "link", "caption" } |
-- { "type": "template", "text" } (the template as the person reads it). Campaign rows leave it null.
alter table messages add column content jsonb;
