// SQL for what Meta reports about templates (status, quality, category), applied from webhooks and
// syncs, with the history of every change. Authoring lives in the template module.

import type { Db } from './db.ts';

export type TemplateKey = { wabaId: string; metaTemplateId: string; name: string; language: string };

/** The local template for Meta's id, created from the webhook's facts when Greenlight did not know it. */
export async function findOrCreateTemplate(db: Db, key: TemplateKey, now: Date): Promise<number> {
  const [row] = await db.query<{ id: number }>(
    `insert into templates (waba_id, meta_template_id, name, language, created_at, updated_at) values ($1, $2, $3, $4, $5, $5)
     on conflict (waba_id, name, language) do update set meta_template_id = coalesce(templates.meta_template_id, excluded.meta_template_id)
     returning id`,
    [key.wabaId, key.metaTemplateId, key.name, key.language, now],
  );
  if (!row) throw new Error('findOrCreateTemplate returned no row');
  return row.id;
}

/*
 * updateTemplateStatus: applies a status event unless a newer one was already applied (webhooks
 * arrive out of order), so a late PAUSED cannot override a later APPROVED/REINSTATED.
 */
export async function updateTemplateStatus(db: Db, templateId: number, change: { status: string; category: string | null; reason: string | null; detail: unknown; at: Date }, now: Date): Promise<boolean> {
  const rows = await db.query(
    `update templates set status = $2, category = coalesce($3, category), rejection_reason = $4, rejection_detail = $5, status_updated_at = $6, updated_at = $7
     where id = $1 and (status_updated_at is null or status_updated_at <= $6) returning id`,
    [templateId, change.status, change.category, change.reason, change.detail === null ? null : JSON.stringify(change.detail), change.at, now],
  );
  return rows.length > 0;
}

/** Applies a quality score unless a newer one was already applied (webhooks arrive out of order). */
export async function updateTemplateQuality(db: Db, templateId: number, change: { score: string; at: Date }, now: Date): Promise<boolean> {
  const rows = await db.query(
    'update templates set quality_score = $2, quality_updated_at = $3, updated_at = $4 where id = $1 and (quality_updated_at is null or quality_updated_at <= $3) returning id',
    [templateId, change.score, change.at, now],
  );
  return rows.length > 0;
}

/** Applies a category change or notice unless a newer one was already applied. */
export async function updateTemplateCategory(db: Db, templateId: number, change: { category: string | null; pendingCategory: string | null; pendingAt: Date | null; at: Date }, now: Date): Promise<boolean> {
  const rows = await db.query(
    `update templates set category = coalesce($2, category), pending_category = $3, pending_category_at = $4, category_updated_at = $5, updated_at = $6
     where id = $1 and (category_updated_at is null or category_updated_at <= $5) returning id`,
    [templateId, change.category, change.pendingCategory, change.pendingAt, change.at, now],
  );
  return rows.length > 0;
}

export async function insertTemplateEvent(db: Db, event: { templateId: number; kind: 'status' | 'quality' | 'category'; summary: string; payload: unknown; occurredAt: Date }, now: Date): Promise<void> {
  await db.query('insert into template_events (template_id, kind, summary, payload, occurred_at, recorded_at) values ($1, $2, $3, $4, $5, $6)', [event.templateId, event.kind, event.summary, JSON.stringify(event.payload), event.occurredAt, now]);
}

export type TemplateStatusRow = { id: number; wabaId: string; metaTemplateId: string | null; name: string; language: string; category: string | null; status: string | null; qualityScore: string | null; rejectionReason: string | null; pendingCategory: string | null };

export async function findTemplateByMetaId(db: Db, metaTemplateId: string): Promise<TemplateStatusRow | null> {
  const [row] = await db.query<{ id: number; waba_id: string; meta_template_id: string | null; name: string; language: string; category: string | null; status: string | null; quality_score: string | null; rejection_reason: string | null; pending_category: string | null }>(
    'select id, waba_id, meta_template_id, name, language, category, status, quality_score, rejection_reason, pending_category from templates where meta_template_id = $1',
    [metaTemplateId],
  );
  return row ? { id: row.id, wabaId: row.waba_id, metaTemplateId: row.meta_template_id, name: row.name, language: row.language, category: row.category, status: row.status, qualityScore: row.quality_score, rejectionReason: row.rejection_reason, pendingCategory: row.pending_category } : null;
}
