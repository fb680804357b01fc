// Maps the `messages` field (statuses and inbound messages) and the `user_preferences` field to domain
// events (whatsapp-rules.md §6.1–§6.3, §6.5). Each item is checked on its own, so one malformed status
// never hides the others in the same change. Pure: no I/O, no decisions about what the events mean.

import type { InboundMessageEvent, MessageStatusEvent, MessageStatusValue, MetaError, Referral, UserPreferenceEvent, WhatsAppEvent } from '../domain/whatsapp-events.ts';
import type { ChangeContext } from './webhook-mapping.ts';
import { describeIssues, textOrNull, toDate, toDateOrNull, toId, toMetaErrors, toPersonRef, unhandled } from './webhook-mapping.ts';
import type { InboundMessage, WebhookContact, WebhookStatus } from './webhook-wire.ts';
import {
  inboundMessageSchema,
  messagesValueFrameSchema,
  userPreferenceSchema,
  userPreferencesValueFrameSchema,
  webhookContactSchema,
  webhookErrorSchema,
  webhookStatusSchema,
} from './webhook-wire.ts';

// A Record over the domain's union, so a status added to MESSAGE_STATUSES fails to compile here until it
// is listed. whatsapp/ may not import the domain's runtime array (ARCHITECTURE.md, dependency rules).
const KNOWN_STATUSES: Record<MessageStatusValue, true> = { sent: true, delivered: true, read: true, played: true, failed: true, deleted: true, warning: true };
const isKnownStatus = (status: string): status is MessageStatusValue => Object.hasOwn(KNOWN_STATUSES, status);

/** One `messages` change: its statuses, then its inbound messages, then any error Meta attached to neither. */
export function mapMessagesValue(value: unknown, context: ChangeContext): WhatsAppEvent[] {
  const frame = messagesValueFrameSchema.safeParse(value);
  if (!frame.success) return [unhandled(context, `value does not match the messages schema: ${describeIssues(frame.error)}`)];
  const { metadata, statuses, messages } = frame.data;
  const phoneNumberId = toId(metadata.phone_number_id);
  const contacts = (frame.data.contacts ?? []).flatMap((raw) => {
    const contact = webhookContactSchema.safeParse(raw);
    return contact.success ? [contact.data] : [];
  });
  const valueErrors = webhookErrorSchema.array().safeParse(frame.data.errors ?? []);
  const sharedErrors = valueErrors.success ? toMetaErrors(valueErrors.data) : [];
  const events: WhatsAppEvent[] = [
    ...(statuses ?? []).map((raw, index) => mapStatus(raw, index, phoneNumberId, context)),
    ...(messages ?? []).map((raw, index) => mapInbound(raw, index, { phoneNumberId, contacts, sharedErrors }, context)),
  ];
  if (!valueErrors.success) events.push(unhandled(context, `value.errors is malformed: ${describeIssues(valueErrors.error)}`));
  // Errors at the value level with nothing to attach them to are still news (e.g. 131000
  // "Unsupported webhook payload"): they surface as unhandled instead of vanishing.
  else if (events.length === 0 && sharedErrors.length > 0) {
    events.push(unhandled(context, `Meta reported errors without a message or status: ${describeErrors(sharedErrors)}`));
  } else if (events.length === 0) events.push(unhandled(context, 'the change has no statuses, messages or errors'));
  return events;
}

function mapStatus(raw: unknown, index: number, phoneNumberId: string, context: ChangeContext): WhatsAppEvent {
  const parsed = webhookStatusSchema.safeParse(raw);
  if (!parsed.success) return unhandled(context, `statuses[${index}] does not match the status schema: ${describeIssues(parsed.error)}`);
  const status = parsed.data;
  if (!isKnownStatus(status.status)) return unhandled(context, `statuses[${index}] has an unknown status "${status.status}"`);
  const event: MessageStatusEvent = {
    kind: 'message_status',
    wabaId: context.wabaId,
    phoneNumberId,
    wamid: status.id,
    status: status.status,
    at: toDate(status.timestamp),
    recipient: toPersonRef(status.recipient_id, status.recipient_user_id),
    errors: toMetaErrors(status.errors),
    pricing: toPricing(status.pricing),
    conversation: toConversation(status.conversation),
    bizOpaqueCallbackData: textOrNull(status.biz_opaque_callback_data),
  };
  return event;
}

// `pricing` comes once per message (on sent, or on delivered/read), and `conversation` is omitted from
// v24.0 except for free-entry-point windows (§6.2): absence is normal and maps to null.
function toPricing(pricing: WebhookStatus['pricing']): MessageStatusEvent['pricing'] {
  if (!pricing) return null;
  return { billable: pricing.billable ?? null, pricingModel: textOrNull(pricing.pricing_model), type: textOrNull(pricing.type), category: textOrNull(pricing.category) };
}

function toConversation(conversation: WebhookStatus['conversation']): MessageStatusEvent['conversation'] {
  if (!conversation) return null;
  return { id: textOrNull(conversation.id), originType: textOrNull(conversation.origin?.type), expiresAt: toDateOrNull(conversation.expiration_timestamp) };
}

type InboundContext = { phoneNumberId: string; contacts: WebhookContact[]; sharedErrors: MetaError[] };

function mapInbound(raw: unknown, index: number, inbound: InboundContext, context: ChangeContext): WhatsAppEvent {
  const parsed = inboundMessageSchema.safeParse(raw);
  if (!parsed.success) return unhandled(context, `messages[${index}] does not match the message schema: ${describeIssues(parsed.error)}`);
  const message = parsed.data;
  const contact = findContact(inbound.contacts, textOrNull(message.from), textOrNull(message.from_user_id));
  // Username adopters may come with wa_id "" and only a BSUID (§6.5); either identity is enough.
  const from = toPersonRef(textOrNull(message.from) ?? contact?.wa_id, textOrNull(message.from_user_id) ?? contact?.user_id);
  if (from.waId === null && from.businessUserId === null) return unhandled(context, `messages[${index}] (${message.id}) names no sender: no from, from_user_id or contact`);
  const event: InboundMessageEvent = {
    kind: 'inbound_message',
    wabaId: context.wabaId,
    phoneNumberId: inbound.phoneNumberId,
    wamid: message.id,
    from,
    profileName: textOrNull(contact?.profile?.name),
    at: toDate(message.timestamp),
    type: message.type,
    ...extractContent(message),
    referral: toReferral(message.referral),
    // A reaction points at the message it reacts to in reaction.message_id, not in context.
    contextWamid: textOrNull(message.context?.id) ?? textOrNull(message.reaction?.message_id),
    // Meta sometimes reports a message it could not read with `errors` beside it at the value level.
    errors: message.errors && message.errors.length > 0 ? toMetaErrors(message.errors) : inbound.sharedErrors,
    system: message.system ? { type: textOrNull(message.system.type), newWaId: textOrNull(message.system.new_wa_id), newBusinessUserId: textOrNull(message.system.user_id) } : null,
  };
  return event;
}

/** The contact of a message: the one whose wa_id or BSUID matches, or the only one when the message names nobody. */
function findContact(contacts: readonly WebhookContact[], waId: string | null, businessUserId: string | null): WebhookContact | undefined {
  const matching = contacts.find((contact) => (waId !== null && contact.wa_id === waId) || (businessUserId !== null && contact.user_id === businessUserId));
  if (matching) return matching;
  return waId === null && businessUserId === null && contacts.length === 1 ? contacts[0] : undefined;
}

/**
 * What the person wrote or chose, and the machine-readable choice. A template quick-reply carries our
 * own payload (e.g. "STOP_PROMOS", §8.2); interactive replies carry the id we gave the row or button.
 * Flow replies (nfm_reply), reactions, locations and system notices carry no words of the person's.
 */
function extractContent(message: InboundMessage): Pick<InboundMessageEvent, 'text' | 'payload'> {
  const caption = (media: InboundMessage['image']) => ({ text: textOrNull(media?.caption), payload: null });
  switch (message.type) {
    case 'text':
      return { text: textOrNull(message.text?.body), payload: null };
    case 'button':
      return { text: textOrNull(message.button?.text), payload: textOrNull(message.button?.payload) };
    case 'interactive': {
      const reply = message.interactive?.button_reply ?? message.interactive?.list_reply;
      return { text: textOrNull(reply?.title), payload: textOrNull(reply?.id) };
    }
    case 'image':
      return caption(message.image);
    case 'video':
      return caption(message.video);
    case 'document':
      return caption(message.document);
    case 'order':
      return { text: textOrNull(message.order?.text), payload: null };
    default:
      return { text: null, payload: null };
  }
}

function toReferral(referral: InboundMessage['referral']): Referral | null {
  if (!referral) return null;
  return {
    sourceType: textOrNull(referral.source_type),
    sourceId: textOrNull(referral.source_id),
    sourceUrl: textOrNull(referral.source_url),
    headline: textOrNull(referral.headline),
    body: textOrNull(referral.body),
    ctwaClid: textOrNull(referral.ctwa_clid),
  };
}

/** One `user_preferences` change: each stop or resume becomes an event (the authoritative marketing opt-out, §8.2). */
export function mapUserPreferencesValue(value: unknown, context: ChangeContext): WhatsAppEvent[] {
  const frame = userPreferencesValueFrameSchema.safeParse(value);
  if (!frame.success) return [unhandled(context, `value does not match the user_preferences schema: ${describeIssues(frame.error)}`)];
  const phoneNumberId = frame.data.metadata ? toId(frame.data.metadata.phone_number_id) : null;
  const contacts = (frame.data.contacts ?? []).flatMap((raw) => {
    const contact = webhookContactSchema.safeParse(raw);
    return contact.success ? [contact.data] : [];
  });
  return frame.data.user_preferences.map((raw, index): WhatsAppEvent => {
    const parsed = userPreferenceSchema.safeParse(raw);
    if (!parsed.success) return unhandled(context, `user_preferences[${index}] does not match its schema: ${describeIssues(parsed.error)}`);
    const preference = parsed.data;
    const value = preference.value.trim().toLowerCase();
    if (value !== 'stop' && value !== 'resume') return unhandled(context, `user_preferences[${index}] has an unknown value "${preference.value}"`);
    const contact = findContact(contacts, textOrNull(preference.wa_id), textOrNull(preference.user_id));
    const person = toPersonRef(textOrNull(preference.wa_id) ?? contact?.wa_id, textOrNull(preference.user_id) ?? contact?.user_id);
    if (person.waId === null && person.businessUserId === null) return unhandled(context, `user_preferences[${index}] names no person: no wa_id, user_id or contact`);
    const event: UserPreferenceEvent = { kind: 'user_preference', wabaId: context.wabaId, phoneNumberId, person, category: preference.category, value, detail: textOrNull(preference.detail), at: toDate(preference.timestamp) };
    return event;
  });
}

function describeErrors(errors: readonly MetaError[]): string {
  return errors.map((error) => `${error.code}${error.details ? ` (${error.details})` : error.title ? ` (${error.title})` : ''}`).join(', ');
}
