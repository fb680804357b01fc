-- Template authoring: each language variant keeps its full definition (Meta's components), what the
-- linters said when it was last saved, and when it was submitted to and synced from Meta.

alter table templates add column definition jsonb;
alter table templates add column parameter_format text;
alter table templates add column lint_errors integer not null default 0;
alter table templates add column lint_warnings integer not null default 0;
alter table templates add column spam_score integer;
alter table templates add column submitted_at timestamptz;
alter table templates add column synced_at timestamptz;
-- When the quality and the category were last set, so a late webhook cannot undo a newer one.
alter table templates add column quality_updated_at timestamptz;
alter table templates add column category_updated_at timestamptz;

create index templates_name_idx on templates (name);
