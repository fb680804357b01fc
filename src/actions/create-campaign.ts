// createCampaign: a campaign document checked against the schema and against what exists (the sender,
// the templates, a saved segment), stored as a draft. Nothing is planned or sent until launch.

import { formatSpecErrors, parseCampaignSpec, templatesOf, type CampaignAudience, type CampaignSpec } from '../domain/campaign-spec.ts';
import { AppError } from '../errors.ts';
import type { Clock } from '../lib/clock.ts';
import type { ResolvedAudience } from '../store/audience.ts';
import { countAudience } from '../store/campaign-messages.ts';
import { findSegment, insertCampaign, type Campaign } from '../store/campaigns.ts';
import type { Db } from '../store/db.ts';
import { findSenderByPhoneNumberId, listSenders, type Sender } from '../store/senders.ts';
import { listStoredTemplates } from '../store/templates.ts';

export type CreatedCampaign = { campaign: Campaign; audienceSize: number; warnings: string[] };

export async function createCampaign(deps: { db: Db; clock: Clock }, document: unknown): Promise<CreatedCampaign> {
  const parsed = parseCampaignSpec(document);
  if (!parsed.ok) throw new AppError('INVALID_INPUT', `the campaign document is not valid:\n${formatSpecErrors(parsed.errors)}`, { details: { field: parsed.errors[0]?.path, errors: parsed.errors } });
  const spec = parsed.spec;
  const sender = await resolveSender(deps.db, spec.sender);
  const warnings = await checkTemplates(deps.db, sender, spec);
  const audience = await resolveAudience(deps.db, spec.audience);
  const audienceSize = await countAudience(deps.db, audience);
  if (audienceSize === 0) warnings.push('the audience selects no contact today');
  const startsAt = spec.schedule.startAt ? new Date(spec.schedule.startAt) : null;
  const campaign = await insertCampaign(deps.db, { name: spec.name, senderId: sender.id, spec, startsAt }, deps.clock.now());
  return { campaign, audienceSize, warnings };
}

/** A sender by its phone_number_id, or by its display number with or without "+" and spaces. */
async function resolveSender(db: Db, reference: string): Promise<Sender> {
  const byId = await findSenderByPhoneNumberId(db, reference);
  if (byId) return byId;
  const digits = reference.replace(/\D/g, '');
  const senders = await listSenders(db);
  const byNumber = senders.find((sender) => sender.displayPhoneNumber?.replace(/\D/g, '') === digits);
  if (byNumber) return byNumber;
  const known = senders.map((sender) => `${sender.phoneNumberId}${sender.displayPhoneNumber ? ` (${sender.displayPhoneNumber})` : ''}`).join(', ');
  throw new AppError('NOT_FOUND', `no sender "${reference}"; known senders: ${known || 'none (add one with greenlight senders add)'}`);
}

/** Every template the campaign sends must be known locally (authored or synced); A/B variants must share a category. */
async function checkTemplates(db: Db, sender: Sender, spec: CampaignSpec): Promise<string[]> {
  const warnings: string[] = [];
  const categories = new Set<string>();
  for (const { template } of templatesOf(spec)) {
    const variants = await listStoredTemplates(db, { wabaId: sender.wabaId, name: template });
    if (variants.length === 0) throw new AppError('NOT_FOUND', `template "${template}" is not known for WABA ${sender.wabaId}; run greenlight templates sync (or submit it) first`);
    const category = variants.find((variant) => variant.category !== null)?.category ?? variants[0]?.definition?.category;
    if (category) categories.add(category.toUpperCase());
    if (!variants.some((variant) => variant.status?.toUpperCase() === 'APPROVED')) warnings.push(`template "${template}" has no APPROVED language yet (${variants.map((variant) => `${variant.language}: ${variant.status ?? 'draft'}`).join(', ')})`);
    if (!variants.some((variant) => variant.language === spec.defaultLanguage)) warnings.push(`template "${template}" has no ${spec.defaultLanguage} variant, the campaign's default language`);
  }
  if (categories.size > 1) throw new AppError('INVALID_INPUT', `A/B variants must share one category, so consent and pricing are the same for all (found ${[...categories].join(', ')})`);
  return warnings;
}

/** A saved segment's filters, with the campaign's own filters added on top. */
export async function resolveAudience(db: Db, audience: CampaignAudience): Promise<ResolvedAudience> {
  const { segment, ...filters } = audience;
  if (segment === undefined) return filters;
  const saved = (await findSegment(db, segment)) as ResolvedAudience | null;
  if (saved === null) throw new AppError('NOT_FOUND', `no saved segment "${segment}"`);
  return { ...saved, ...Object.fromEntries(Object.entries(filters).filter(([, value]) => value !== undefined)) };
}
