// Maps the WABA-level webhook fields (templates, phone quality, capabilities, account) to domain events
// (whatsapp-rules.md §1.4, §4.1, §4.5b). Pure: a value that fails its schema becomes an unhandled event,
// never a throw, and nothing here decides what an event means for a campaign.

import type { z } from 'zod';
import type {
  AccountAlertEvent,
  AccountUpdateEvent,
  CapabilityEvent,
  MessagingLimit,
  PhoneQualityEvent,
  TemplateCategoryEvent,
  TemplateQualityEvent,
  TemplateStatusEvent,
  WhatsAppEvent,
} from '../domain/whatsapp-events.ts';
import { toMessagingLimit } from '../domain/messaging-limit.ts';
import type { ChangeContext } from './webhook-mapping.ts';
import { describeIssues, textOrNull, toDate, toDateOrNull, toId, toTemplateLanguage, unhandled } from './webhook-mapping.ts';
import {
  accountAlertsValueSchema,
  accountUpdateValueSchema,
  capabilityValueSchema,
  phoneQualityValueSchema,
  templateCategoryValueSchema,
  templateQualityValueSchema,
  templateStatusValueSchema,
  unixSecondsSchema,
} from './webhook-wire.ts';

/**
 * Checks the value against its schema and hands it on with the entry's time, which is the only instant
 * these fields carry. Without entry.time there is no honest `at`, so the change stays unhandled. `build`
 * returns a string when the value passed its schema but still cannot be read; that string is the reason.
 */
function mapWith<S extends z.ZodType>(schema: S, value: unknown, context: ChangeContext, build: (data: z.output<S>, at: Date) => WhatsAppEvent | string): WhatsAppEvent[] {
  const parsed = schema.safeParse(value);
  if (!parsed.success) return [unhandled(context, `value does not match the ${context.field} schema: ${describeIssues(parsed.error)}`)];
  if (context.entryTime === null) return [unhandled(context, 'entry.time is missing, and this field carries no time of its own')];
  const built = build(parsed.data, context.entryTime);
  return [typeof built === 'string' ? unhandled(context, built) : built];
}

/** Meta's own quality example is labelled message_template_status_update (§4.5b): recognise it by shape. */
export function looksLikeTemplateQuality(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'new_quality_score' in value && !('event' in value);
}

export function mapTemplateStatus(value: unknown, context: ChangeContext): WhatsAppEvent[] {
  return mapWith(templateStatusValueSchema, value, context, (data, at): TemplateStatusEvent => ({
    kind: 'template_status',
    wabaId: context.wabaId,
    templateId: toId(data.message_template_id),
    name: data.message_template_name,
    language: toTemplateLanguage(data.message_template_language),
    status: data.event,
    // Kept as Meta sends it, "NONE" included: Meta documents NONE as the reason of a pause.
    reason: textOrNull(data.reason),
    category: textOrNull(data.message_template_category),
    rejectionInfo: data.rejection_info ? { reason: textOrNull(data.rejection_info.reason), recommendation: textOrNull(data.rejection_info.recommendation) } : null,
    pauseTitle: textOrNull(data.other_info?.title),
    disableDate: readLooseDate(data.disable_info?.disable_date),
    at,
  }));
}

export function mapTemplateQuality(value: unknown, context: ChangeContext): WhatsAppEvent[] {
  return mapWith(templateQualityValueSchema, value, context, (data, at): TemplateQualityEvent => ({
    kind: 'template_quality',
    wabaId: context.wabaId,
    templateId: toId(data.message_template_id),
    name: data.message_template_name,
    language: toTemplateLanguage(data.message_template_language),
    previousScore: textOrNull(data.previous_quality_score),
    newScore: data.new_quality_score,
    at,
  }));
}

/**
 * Meta's two stages in one shape (§4.1, [TCU]). In the impending notice, 24 h ahead, Meta's
 * `new_category` holds the template's *current* category and `correct_category` the one it will get.
 * The event says what will happen instead: previousCategory = current, newCategory = correct_category.
 * A notice without correct_category is the completed change; it took effect at the entry's time.
 */
export function mapTemplateCategory(value: unknown, context: ChangeContext): WhatsAppEvent[] {
  return mapWith(templateCategoryValueSchema, value, context, (data, at): TemplateCategoryEvent => {
    const correct = textOrNull(data.correct_category);
    const impending = correct !== null;
    return {
      kind: 'template_category',
      wabaId: context.wabaId,
      templateId: toId(data.message_template_id),
      name: data.message_template_name,
      language: toTemplateLanguage(data.message_template_language),
      stage: impending ? 'impending' : 'completed',
      previousCategory: impending ? textOrNull(data.new_category) : textOrNull(data.previous_category),
      newCategory: impending ? correct : textOrNull(data.new_category),
      correctCategory: correct,
      effectiveAt: impending ? toDateOrNull(data.category_update_timestamp) : at,
      at,
    };
  });
}

/** `max_daily_conversations_per_business` replaces `current_limit`, removed in Feb 2026 (§1.4). */
export function mapPhoneQuality(value: unknown, context: ChangeContext): WhatsAppEvent[] {
  return mapWith(phoneQualityValueSchema, value, context, (data, at): PhoneQualityEvent | string => {
    const current = readLimit(data.max_daily_conversations_per_business ?? data.current_limit);
    const previous = readLimit(data.old_limit);
    if (typeof current === 'string') return current;
    if (typeof previous === 'string') return previous;
    return { kind: 'phone_quality', wabaId: context.wabaId, displayPhoneNumber: data.display_phone_number, event: data.event, currentLimit: current, previousLimit: previous, at };
  });
}

/** Parses both shapes of §1.4: the current per-business field (integer or TIER_*) and the legacy per-phone integer (-1 = unlimited). */
export function mapCapability(value: unknown, context: ChangeContext): WhatsAppEvent[] {
  return mapWith(capabilityValueSchema, value, context, (data, at): CapabilityEvent | string => {
    const limit = readLimit(data.max_daily_conversations_per_business ?? data.max_daily_conversation_per_phone);
    if (typeof limit === 'string') return limit;
    return { kind: 'business_capability', wabaId: context.wabaId, messagingLimit: limit, maxPhoneNumbersPerWaba: data.max_phone_numbers_per_waba ?? null, at };
  });
}

export function mapAccountUpdate(value: unknown, context: ChangeContext): WhatsAppEvent[] {
  return mapWith(accountUpdateValueSchema, value, context, (data, at): AccountUpdateEvent => {
    const banState = data.ban_info?.waba_ban_state;
    return {
      kind: 'account_update',
      wabaId: context.wabaId,
      event: data.event,
      restrictions: (data.restriction_info ?? []).map((restriction) => ({ type: restriction.restriction_type, expiresAt: toDateOrNull(restriction.expiration) })),
      banState: Array.isArray(banState) ? (banState[0] ?? null) : textOrNull(banState),
      violationType: textOrNull(data.violation_info?.violation_type),
      at,
    };
  });
}

export function mapAccountAlerts(value: unknown, context: ChangeContext): WhatsAppEvent[] {
  return mapWith(accountAlertsValueSchema, value, context, (data, at): AccountAlertEvent => ({
    kind: 'account_alert',
    wabaId: context.wabaId,
    entityType: textOrNull(data.entity_type),
    entityId: data.entity_id === null || data.entity_id === undefined ? null : toId(data.entity_id),
    severity: textOrNull(data.alert_info?.alert_severity),
    status: textOrNull(data.alert_info?.alert_status),
    alertType: textOrNull(data.alert_info?.alert_type),
    description: textOrNull(data.alert_info?.alert_description),
    at,
  }));
}

/**
 * An absent limit is null; a present one we cannot read is a reason string, so the change stays
 * unhandled for a human to see instead of reading as "no limit information".
 */
function readLimit(value: string | number | null | undefined): MessagingLimit | null | string {
  if (value === null || value === undefined) return null;
  return toMessagingLimit(value) ?? `unreadable messaging limit ${JSON.stringify(value)}`;
}

/** disable_date: unix seconds when it is one, otherwise null (the DISABLED event matters more than its date). */
function readLooseDate(value: string | number | null | undefined): Date | null {
  const seconds = unixSecondsSchema.safeParse(value);
  return seconds.success ? toDate(seconds.data) : null;
}
