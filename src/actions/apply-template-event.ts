// Applies Meta's template webhooks (status, quality, category) to the local template, keeping the
// history, so the local copy never silently diverges from Meta's (whatsapp-rules.md §4.1, §4.5b).

import type { TemplateCategoryEvent, TemplateQualityEvent, TemplateStatusEvent } from '../domain/whatsapp-events.ts';
import type { Db } from '../store/db.ts';
import { findOrCreateTemplate, insertTemplateEvent, updateTemplateCategory, updateTemplateQuality, updateTemplateStatus } from '../store/template-statuses.ts';

type TemplateEvent = TemplateStatusEvent | TemplateQualityEvent | TemplateCategoryEvent;

export async function applyTemplateEvent(tx: Db, event: TemplateEvent, now: Date): Promise<void> {
  const templateId = await findOrCreateTemplate(tx, { wabaId: event.wabaId, metaTemplateId: event.templateId, name: event.name, language: event.language }, now);
  switch (event.kind) {
    case 'template_status': {
      const detail = event.rejectionInfo || event.pauseTitle || event.disableDate ? { rejectionInfo: event.rejectionInfo, pauseTitle: event.pauseTitle, disableDate: event.disableDate } : null;
      await updateTemplateStatus(tx, templateId, { status: event.status, category: event.category, reason: event.reason, detail, at: event.at }, now);
      const summary = [event.status, event.pauseTitle, event.reason && event.reason !== 'NONE' ? `reason ${event.reason}` : null].filter(Boolean).join(', ');
      await insertTemplateEvent(tx, { templateId, kind: 'status', summary, payload: event, occurredAt: event.at }, now);
      return;
    }
    case 'template_quality':
      await updateTemplateQuality(tx, templateId, { score: event.newScore, at: event.at }, now);
      await insertTemplateEvent(tx, { templateId, kind: 'quality', summary: `${event.previousScore ?? 'UNKNOWN'} → ${event.newScore}`, payload: event, occurredAt: event.at }, now);
      return;
    case 'template_category': {
      // An impending change is announced 24 h ahead (correct_category); a completed one sets the category Meta will bill.
      const change = event.stage === 'completed' ? { category: event.newCategory, pendingCategory: null, pendingAt: null } : { category: null, pendingCategory: event.correctCategory, pendingAt: event.effectiveAt };
      await updateTemplateCategory(tx, templateId, { ...change, at: event.at }, now);
      const summary = event.stage === 'completed' ? `category ${event.previousCategory ?? '?'} → ${event.newCategory ?? '?'}` : `category will become ${event.correctCategory ?? '?'}${event.effectiveAt ? ` at ${event.effectiveAt.toISOString()}` : ''}`;
      await insertTemplateEvent(tx, { templateId, kind: 'category', summary, payload: event, occurredAt: event.at }, now);
      return;
    }
  }
}
