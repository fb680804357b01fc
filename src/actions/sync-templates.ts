// Reads every template of a WABA from Meta (all pages) and brings the local copies in line, saying
// what changed, so the local copy never silently diverges from Meta's. Running it twice in a row
// reports no changes the second time.

import { canonicalJson } from '../lib/canonical-json.ts';
import type { Clock } from '../lib/clock.ts';
import type { RemoteTemplate, WhatsAppApi } from '../ports.ts';
import type { Db } from '../store/db.ts';
import { insertTemplateEvent } from '../store/template-statuses.ts';
import { listStoredTemplates, markTemplateStatus, upsertSyncedTemplate, type StoredTemplate } from '../store/templates.ts';

export type TemplateChange = { name: string; language: string; field: 'new' | 'status' | 'quality' | 'category' | 'pending_category' | 'definition' | 'gone'; from: string | null; to: string | null };

export type SyncReport = { wabaId: string; remote: number; pages: number; changes: TemplateChange[] };

const pageSize = 100;
// A WABA holds at most 6,000 templates (§4.2 "Template count"); stop paging long before a runaway cursor could loop forever.
const maxPages = 100;

export async function syncTemplates(deps: { db: Db; clock: Clock; whatsapp: WhatsAppApi }, wabaId: string): Promise<SyncReport> {
  const remote: RemoteTemplate[] = [];
  let after: string | undefined;
  let pages = 0;
  do {
    const page = await deps.whatsapp.listTemplates(wabaId, { limit: pageSize, ...(after ? { after } : {}) });
    remote.push(...page.templates);
    after = page.after ?? undefined;
    pages += 1;
  } while (after && pages < maxPages);

  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const local = new Map((await listStoredTemplates(tx, { wabaId })).map((template) => [`${template.name}/${template.language}`, template]));
    const changes: TemplateChange[] = [];
    for (const item of remote) {
      const { name, language } = item;
      const before = local.get(`${name}/${language}`);
      local.delete(`${name}/${language}`);
      changes.push(...compare(before, item, name, language));
      await upsertSyncedTemplate(tx, wabaId, { name, language }, { metaTemplateId: item.id, status: item.status, category: item.category, qualityScore: item.qualityScore, rejectionReason: item.rejectedReason, pendingCategory: item.correctCategory, definition: item.template }, now);
    }
    // A variant Meta no longer lists was deleted there (or never submitted: drafts stay as they are).
    for (const gone of local.values()) {
      if (!gone.metaTemplateId || gone.status === 'DELETED') continue;
      changes.push({ name: gone.name, language: gone.language, field: 'gone', from: gone.status, to: 'DELETED' });
      await markTemplateStatus(tx, gone.id, 'DELETED', now);
    }
    for (const change of changes) await recordChange(tx, wabaId, change, now);
    return { wabaId, remote: remote.length, pages, changes };
  });
}

function compare(before: StoredTemplate | undefined, item: RemoteTemplate, name: string, language: string): TemplateChange[] {
  if (!before || !before.metaTemplateId) return [{ name, language, field: 'new', from: before?.status ?? null, to: item.status }];
  const changes: TemplateChange[] = [];
  const add = (field: TemplateChange['field'], from: string | null, to: string | null) => {
    if (from !== to) changes.push({ name, language, field, from, to });
  };
  add('status', before.status, item.status);
  // A template Meta has not rated yet is UNKNOWN (§4.1), whether it says so or says nothing.
  add('quality', before.qualityScore ?? 'UNKNOWN', item.qualityScore ?? 'UNKNOWN');
  add('category', before.category, item.category);
  add('pending_category', before.pendingCategory, item.correctCategory);
  if (item.template && before.definition && canonicalJson(item.template) !== canonicalJson(before.definition)) add('definition', 'local', 'Meta’s');
  return changes;
}

async function recordChange(tx: Db, wabaId: string, change: TemplateChange, now: Date): Promise<void> {
  const [row] = await tx.query<{ id: number }>('select id from templates where waba_id = $1 and name = $2 and language = $3', [wabaId, change.name, change.language]);
  if (!row) return;
  const kind = change.field === 'quality' ? 'quality' : change.field === 'category' || change.field === 'pending_category' ? 'category' : 'status';
  await insertTemplateEvent(tx, { templateId: row.id, kind, summary: `sync: ${change.field} ${change.from ?? '—'} → ${change.to ?? '—'}`, payload: change, occurredAt: now }, now);
}
