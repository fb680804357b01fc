// Turns one webhook POST body from Meta into domain events: checks the envelope, then walks every
// entry and change and routes each to its field's mapper (whatsapp-rules.md §6.4: loop over all of them).
// Pure and total: it never throws and never stores; signature checks are signature.ts's job.

import type { WhatsAppEvent } from '../domain/whatsapp-events.ts';
import type { ChangeContext, ValueMapper } from './webhook-mapping.ts';
import { describeIssues, toDateOrNull, toId, unhandled } from './webhook-mapping.ts';
import { mapMessagesValue, mapUserPreferencesValue } from './webhook-messages.ts';
import { looksLikeTemplateQuality, mapAccountAlerts, mapAccountUpdate, mapCapability, mapPhoneQuality, mapTemplateCategory, mapTemplateQuality, mapTemplateStatus } from './webhook-values.ts';
import { webhookChangeSchema, webhookEntrySchema, webhookEnvelopeSchema } from './webhook-wire.ts';


export type ParseWebhookResult = { ok: true; events: WhatsAppEvent[] } | { ok: false; reason: string };

/** The only `object` Cloud API webhooks carry; another value means the POST is not for us. */
export const WHATSAPP_WEBHOOK_OBJECT = 'whatsapp_business_account';

// A Map, not an object literal: a field named "constructor" or "__proto__" must read as unknown.
const MAPPERS: ReadonlyMap<string, ValueMapper> = new Map<string, ValueMapper>([
  ['messages', mapMessagesValue],
  ['user_preferences', mapUserPreferencesValue],
  // Meta's own example of a quality update is labelled as a status update (§4.5b), so route on shape too.
  ['message_template_status_update', (value, context) => (looksLikeTemplateQuality(value) ? mapTemplateQuality(value, context) : mapTemplateStatus(value, context))],
  ['message_template_quality_update', mapTemplateQuality],
  ['template_category_update', mapTemplateCategory],
  ['phone_number_quality_update', mapPhoneQuality],
  ['business_capability_update', mapCapability],
  ['account_update', mapAccountUpdate],
  ['account_alerts', mapAccountAlerts],
]);

/**
 * `ok: false` only when the body as a whole is not a WhatsApp webhook (not an object, no `entry` list,
 * another `object`). Everything below the envelope degrades per item: a malformed entry, change or status,
 * or a field Greenlight does not read, becomes an `unhandled` event beside the good ones of the same POST.
 */
export function parseWebhook(payload: unknown): ParseWebhookResult {
  const envelope = webhookEnvelopeSchema.safeParse(payload);
  if (!envelope.success) return { ok: false, reason: `not a webhook envelope: ${describeIssues(envelope.error)}` };
  if (envelope.data.object !== WHATSAPP_WEBHOOK_OBJECT) {
    return { ok: false, reason: `object is ${JSON.stringify(envelope.data.object)}, expected "${WHATSAPP_WEBHOOK_OBJECT}"` };
  }
  return { ok: true, events: envelope.data.entry.flatMap((entry, index) => parseEntry(entry, index)) };
}

function parseEntry(raw: unknown, index: number): WhatsAppEvent[] {
  const entry = webhookEntrySchema.safeParse(raw);
  if (!entry.success) return [unhandled({ wabaId: null, field: '(entry)' }, `entry[${index}] is malformed: ${describeIssues(entry.error)}`)];
  const wabaId = toId(entry.data.id);
  const entryTime = toDateOrNull(entry.data.time);
  return entry.data.changes.flatMap((change, changeIndex) => parseChange(change, changeIndex, wabaId, entryTime));
}

function parseChange(raw: unknown, index: number, wabaId: string, entryTime: Date | null): WhatsAppEvent[] {
  const change = webhookChangeSchema.safeParse(raw);
  if (!change.success) return [unhandled({ wabaId, field: '(change)' }, `changes[${index}] is malformed: ${describeIssues(change.error)}`)];
  const context: ChangeContext = { wabaId, field: change.data.field, entryTime };
  const mapper = MAPPERS.get(context.field);
  if (!mapper) return [unhandled(context, `Greenlight does not read the "${context.field}" field`)];
  // The mappers are total over zod-checked data; this guard keeps a bug in one of them from dropping
  // the rest of the POST, which Meta would then redeliver for days (§6.4).
  try {
    return mapper(change.data.value, context);
  } catch (error) {
    return [unhandled(context, `mapping failed: ${error instanceof Error ? error.message : String(error)}`)];
  }
}
