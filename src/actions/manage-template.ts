// Deleting and unpausing a template variant at Meta, with the local copy following.

import { AppError } from '../errors.ts';
import type { Clock } from '../lib/clock.ts';
import type { WhatsAppApi } from '../ports.ts';
import type { Db } from '../store/db.ts';
import { listStoredTemplates, markTemplateStatus, type StoredTemplate } from '../store/templates.ts';

type Deps = { db: Db; clock: Clock; whatsapp: WhatsAppApi };

async function findVariant(db: Db, wabaId: string, name: string, language: string): Promise<StoredTemplate> {
  const variant = (await listStoredTemplates(db, { wabaId, name })).find((template) => template.language === language);
  if (!variant) throw new AppError('NOT_FOUND', `no template ${name} in ${language} for WABA ${wabaId}`);
  return variant;
}

/** Deletes one language variant (Meta: name + hsm_id); disabled templates cannot be deleted (§4.5). */
export async function deleteTemplate(deps: Deps, wabaId: string, name: string, language: string): Promise<StoredTemplate> {
  const variant = await findVariant(deps.db, wabaId, name, language);
  if (variant.status === 'DISABLED') throw new AppError('INVALID_STATE', `${name} (${language}) is DISABLED; Meta does not allow deleting disabled templates`);
  if (variant.metaTemplateId) await deps.whatsapp.deleteTemplate(wabaId, name, variant.metaTemplateId);
  await markTemplateStatus(deps.db, variant.id, 'DELETED', deps.clock.now());
  return { ...variant, status: 'DELETED' };
}

/** Asks Meta to unpause a PAUSED variant (templates paused by pacing must be unpaused by hand, §4.1). */
export async function unpauseTemplate(deps: Deps, wabaId: string, name: string, language: string): Promise<StoredTemplate> {
  const variant = await findVariant(deps.db, wabaId, name, language);
  if (variant.status !== 'PAUSED' || !variant.metaTemplateId) throw new AppError('INVALID_STATE', `${name} (${language}) is ${variant.status ?? 'not submitted'}; only a PAUSED template can be unpaused`);
  await deps.whatsapp.unpauseTemplate(variant.metaTemplateId);
  await markTemplateStatus(deps.db, variant.id, 'APPROVED', deps.clock.now());
  return { ...variant, status: 'APPROVED' };
}
