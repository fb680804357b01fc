// The webhook payloads the simulator sends, in Meta's shapes (whatsapp-rules.md §4.5b, §6.1–§6.3):
// status updates, inbound messages, user_preferences, template status and quality updates. Builders only;
// the types are checked against whatsapp/webhook-wire.ts at compile time (toWire) and at run time (contract test).

import type { KnownWebhookPayload } from '../whatsapp/webhook-wire.ts';
import type { WebhookError } from './graph-errors.ts';

export type Pricing = { billable: boolean; pricing_model: 'PMP'; type: 'regular' | 'free_customer_service'; category: string };

export type StatusValue = {
  id: string;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  timestamp: string;
  recipient_id: string;
  biz_opaque_callback_data?: string;
  pricing?: Pricing;
  errors?: WebhookError[];
};

export type InboundTextMessage = { from: string; id: string; timestamp: string; type: 'text'; text: { body: string }; context?: { from: string; id: string } };

export type Metadata = { display_phone_number: string; phone_number_id: string };
export type Contact = { profile: { name: string }; wa_id: string };

export type MessagesValue = { messaging_product: 'whatsapp'; metadata: Metadata; contacts?: Contact[]; messages?: InboundTextMessage[]; statuses?: StatusValue[] };

export type UserPreferencesValue = {
  messaging_product: 'whatsapp';
  metadata: Metadata;
  contacts: Contact[];
  user_preferences: Array<{ wa_id: string; detail: string; category: 'marketing_messages'; value: 'stop' | 'resume'; timestamp: number }>;
};

export type TemplateStatusValue = {
  event: string;
  message_template_id: number;
  message_template_name: string;
  message_template_language: string;
  reason: string | null;
  message_template_category?: string;
  rejection_info?: { reason: string; recommendation: string };
  other_info?: { title: string; description: string };
  disable_info?: { disable_date: number };
};

export type TemplateQualityValue = {
  previous_quality_score: string;
  new_quality_score: string;
  message_template_id: number;
  message_template_name: string;
  message_template_language: string;
};

export type WebhookChange =
  | { field: 'messages'; value: MessagesValue }
  | { field: 'user_preferences'; value: UserPreferencesValue }
  | { field: 'message_template_status_update'; value: TemplateStatusValue }
  | { field: 'message_template_quality_update'; value: TemplateQualityValue };

export type WebhookEntry = { id: string; time?: number; changes: WebhookChange[] };
export type WebhookPayload = { object: 'whatsapp_business_account'; entry: WebhookEntry[] };

/** One update waiting to be delivered: the WABA it belongs to and one change (statuses may be merged later). */
export type WebhookUpdate = { wabaId: string; change: WebhookChange; atMs: number };

export const unixSeconds = (atMs: number) => Math.floor(atMs / 1000);

/** Webhooks write languages with a hyphen ("en-US"), §4.4. */
export const webhookLanguage = (language: string) => language.replace('_', '-');

/**
 * Several updates in one POST. Statuses of the same number are merged into one `statuses[]` (the usual
 * aggregation); everything else becomes its own change. Template entries carry `time`, messages ones do not.
 */
export function buildPayload(updates: readonly WebhookUpdate[]): WebhookPayload {
  const entries = new Map<string, WebhookEntry>();
  for (const update of updates) {
    let entry = entries.get(update.wabaId);
    if (entry === undefined) {
      entry = { id: update.wabaId, changes: [] };
      entries.set(update.wabaId, entry);
    }
    if (update.change.field.startsWith('message_template')) entry.time ??= unixSeconds(update.atMs);
    const merged = mergeStatuses(entry, update.change);
    if (!merged) entry.changes.push(structuredClone(update.change));
  }
  return { object: 'whatsapp_business_account', entry: [...entries.values()] };
}

/** Compiles only while the simulator's payload types fit the shared schema's: the two cannot drift apart. */
export function toWire(payload: WebhookPayload): KnownWebhookPayload {
  return payload;
}

function mergeStatuses(entry: WebhookEntry, change: WebhookChange): boolean {
  if (change.field !== 'messages' || change.value.statuses === undefined) return false;
  const target = entry.changes.find(
    (existing) => existing.field === 'messages' && existing.value.statuses !== undefined && existing.value.metadata.phone_number_id === change.value.metadata.phone_number_id,
  );
  if (target === undefined || target.field !== 'messages') return false;
  target.value.statuses?.push(...structuredClone(change.value.statuses));
  return true;
}
