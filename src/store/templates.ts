// SQL for template variants as Greenlight authors and syncs them (definitions, submission, sync).
// Meta's status/quality/category updates from webhooks are in template-statuses.ts.

import type { TemplateDefinition } from '../domain/template.ts';
import type { Db } from './db.ts';

export type StoredTemplate = {
  id: number;
  wabaId: string;
  metaTemplateId: string | null;
  name: string;
  language: string;
  category: string | null;
  status: string | null;
  qualityScore: string | null;
  rejectionReason: string | null;
  pendingCategory: string | null;
  definition: TemplateDefinition | null;
  lintErrors: number;
  lintWarnings: number;
  spamScore: number | null;
  submittedAt: Date | null;
  syncedAt: Date | null;
  statusUpdatedAt: Date | null;
  updatedAt: Date;
};

type Row = {
  id: number; waba_id: string; meta_template_id: string | null; name: string; language: string; category: string | null; status: string | null;
  quality_score: string | null; rejection_reason: string | null; pending_category: string | null; definition: TemplateDefinition | null;
  lint_errors: number; lint_warnings: number; spam_score: number | null; submitted_at: Date | null; synced_at: Date | null; status_updated_at: Date | null; updated_at: Date;
};

function toStored(row: Row): StoredTemplate {
  return {
    id: row.id, wabaId: row.waba_id, metaTemplateId: row.meta_template_id, name: row.name, language: row.language, category: row.category, status: row.status,
    qualityScore: row.quality_score, rejectionReason: row.rejection_reason, pendingCategory: row.pending_category, definition: row.definition,
    lintErrors: row.lint_errors, lintWarnings: row.lint_warnings, spamScore: row.spam_score, submittedAt: row.submitted_at, syncedAt: row.synced_at,
    statusUpdatedAt: row.status_updated_at, updatedAt: row.updated_at,
  };
}

export type TemplateAssessment = { lintErrors: number; lintWarnings: number; spamScore: number | null };

/** Saves a variant's definition (a draft until submitted) with what the linters found; the Meta fields stay as they are. */
export async function upsertTemplateDefinition(db: Db, wabaId: string, definition: TemplateDefinition, assessment: TemplateAssessment, now: Date): Promise<StoredTemplate> {
  const [row] = await db.query<Row>(
    `insert into templates (waba_id, name, language, category, parameter_format, definition, lint_errors, lint_warnings, spam_score, status, created_at, updated_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'DRAFT', $10, $10)
     on conflict (waba_id, name, language) do update set
       definition = excluded.definition, parameter_format = excluded.parameter_format,
       category = coalesce(templates.category, excluded.category),
       lint_errors = excluded.lint_errors, lint_warnings = excluded.lint_warnings, spam_score = excluded.spam_score, updated_at = excluded.updated_at
     returning *`,
    [wabaId, definition.name, definition.language, definition.category, definition.parameterFormat, JSON.stringify(definition), assessment.lintErrors, assessment.lintWarnings, assessment.spamScore, now],
  );
  if (!row) throw new Error('upsertTemplateDefinition returned no row');
  return toStored(row);
}

/** Records Meta's answer to a create call: its id, status and the category it decided (it may differ from the one asked). */
export async function recordTemplateSubmission(db: Db, templateId: number, answer: { metaTemplateId: string; status: string; category: string }, now: Date): Promise<StoredTemplate> {
  const [row] = await db.query<Row>(
    `update templates set meta_template_id = $2, status = $3, category = $4, submitted_at = $5, status_updated_at = $5, rejection_reason = null, updated_at = $5
     where id = $1 returning *`,
    [templateId, answer.metaTemplateId, answer.status, answer.category, now],
  );
  if (!row) throw new Error(`template ${templateId} does not exist`);
  return toStored(row);
}

export type SyncedFields = { metaTemplateId: string; status: string; category: string; qualityScore: string | null; rejectionReason: string | null; pendingCategory: string | null; definition: TemplateDefinition | null };

/** Writes what Meta lists for a variant (creating the local row when Meta has a template Greenlight did not know). */
export async function upsertSyncedTemplate(db: Db, wabaId: string, key: { name: string; language: string }, fields: SyncedFields, now: Date): Promise<void> {
  await db.query(
    `insert into templates (waba_id, meta_template_id, name, language, category, status, quality_score, rejection_reason, pending_category, definition, parameter_format, synced_at, status_updated_at, created_at, updated_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $12, $12)
     on conflict (waba_id, name, language) do update set
       meta_template_id = excluded.meta_template_id, category = excluded.category, status = excluded.status, quality_score = excluded.quality_score,
       rejection_reason = excluded.rejection_reason, pending_category = excluded.pending_category,
       definition = coalesce(excluded.definition, templates.definition), parameter_format = coalesce(excluded.parameter_format, templates.parameter_format),
       synced_at = excluded.synced_at, status_updated_at = excluded.status_updated_at,
       quality_updated_at = excluded.synced_at, category_updated_at = excluded.synced_at, updated_at = excluded.updated_at`,
    [wabaId, fields.metaTemplateId, key.name, key.language, fields.category, fields.status, fields.qualityScore, fields.rejectionReason, fields.pendingCategory, fields.definition ? JSON.stringify(fields.definition) : null, fields.definition?.parameterFormat ?? null, now],
  );
}

export async function markTemplateStatus(db: Db, templateId: number, status: string, now: Date): Promise<void> {
  await db.query('update templates set status = $2, status_updated_at = $3, updated_at = $3 where id = $1', [templateId, status, now]);
}

export async function listStoredTemplates(db: Db, filter: { wabaId?: string | null; name?: string | null } = {}): Promise<StoredTemplate[]> {
  const rows = await db.query<Row>(
    'select * from templates where ($1::text is null or waba_id = $1) and ($2::text is null or name = $2) order by name, language',
    [filter.wabaId ?? null, filter.name ?? null],
  );
  return rows.map(toStored);
}

export type TemplateHistoryEntry = { kind: string; summary: string; occurredAt: Date };

export async function listTemplateHistory(db: Db, templateId: number, limit: number): Promise<TemplateHistoryEntry[]> {
  const rows = await db.query<{ kind: string; summary: string; occurred_at: Date }>('select kind, summary, occurred_at from template_events where template_id = $1 order by occurred_at desc, id desc limit $2', [templateId, limit]);
  return rows.map((row) => ({ kind: row.kind, summary: row.summary, occurredAt: row.occurred_at }));
}
