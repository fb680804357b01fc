// Meta's webhook payloads as zod schemas, in Meta's own snake_case (whatsapp-rules.md §1.4, §4.5b, §6).
// Shapes only: nothing here maps to domain events (webhook.ts does that) and nothing does I/O. The
// simulator builds its payloads from these schemas, so the parser and the fake agree on one shape.

import { z } from 'zod';

// Leniency policy. Every object is loose (unknown keys pass through), because Meta adds fields without
// notice and a new field must never make us drop a status or an opt-out. Optional fields accept null as
// well as absence, because Meta writes `"reason": null` where other payloads omit the key. Types are
// strict only where a wrong value would corrupt our data: ids and timestamps.

/**
 * Unix seconds as Meta writes them: a digit string in messages and statuses ("1749416383"), an integer
 * in entry.time and user_preferences. Capped at 11 digits (year 5138), so a millisecond timestamp is
 * refused instead of being read as a date thousands of years away.
 */
export const unixSecondsSchema = z.union([z.string().regex(/^\d{1,11}$/, 'must be unix seconds'), z.number().int().min(0).max(99_999_999_999)]);
export type UnixSeconds = z.infer<typeof unixSecondsSchema>;

/**
 * A Graph id (WABA, phone number, template): a non-empty string, or a JSON number that is still exact.
 * Meta writes template ids as numbers; past 2^53 JSON.parse has already rounded them to another id.
 */
export const graphIdSchema = z.union([z.string().trim().min(1), z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER)]);
export type GraphId = z.infer<typeof graphIdSchema>;

/** A message id (wamid): never empty, because it is the idempotency key of statuses and inbound messages. */
export const wamidSchema = z.string().trim().min(1);

const text = () => z.string().nullish();

// ---- Envelope (whatsapp-rules.md §6.1, §6.4) -----------------------------------------------------------

/** The POST body as the parser first reads it: entries are checked one by one, so one bad entry hides nothing. */
export const webhookEnvelopeSchema = z.looseObject({ object: z.string(), entry: z.array(z.unknown()) });

/** One entry: the WABA id, Meta's trigger time (absent on most `messages` entries), and its changes. */
export const webhookEntrySchema = z.looseObject({ id: graphIdSchema, time: unixSecondsSchema.nullish(), changes: z.array(z.unknown()) });
export type WebhookEntry = z.infer<typeof webhookEntrySchema>;

/** One change: `field` names the subscription; `value` is checked by that field's schema below. */
export const webhookChangeSchema = z.looseObject({ field: z.string(), value: z.unknown() });

// ---- Shared pieces ----------------------------------------------------------------------------------

/** An async error (whatsapp-rules.md §3.1). `details` sits in error_data, or at the top level in some payloads. */
export const webhookErrorSchema = z.looseObject({
  code: z.number().int(),
  title: text(), message: text(), error_data: z.looseObject({ details: text() }).nullish(), details: text(), href: text(),
});
export type WebhookError = z.infer<typeof webhookErrorSchema>;

export const metadataSchema = z.looseObject({ display_phone_number: z.string(), phone_number_id: graphIdSchema });

/** A person in `contacts[]`. wa_id may be "" or absent for username adopters, who have only a BSUID (§6.5). */
export const webhookContactSchema = z.looseObject({ profile: z.looseObject({ name: text(), username: text() }).nullish(), wa_id: text(), user_id: text(), parent_user_id: text() });
export type WebhookContact = z.infer<typeof webhookContactSchema>;

// ---- messages field: statuses (whatsapp-rules.md §6.2) ---------------------------------------------

export const pricingSchema = z.looseObject({ billable: z.boolean().nullish(), pricing_model: text(), type: text(), category: text() });

export const conversationSchema = z.looseObject({ id: text(), expiration_timestamp: unixSecondsSchema.nullish(), origin: z.looseObject({ type: text() }).nullish() });

export const webhookStatusSchema = z.looseObject({
  id: wamidSchema,
  status: z.string(),
  timestamp: unixSecondsSchema,
  recipient_id: text(),
  recipient_user_id: text(),
  parent_recipient_user_id: text(),
  biz_opaque_callback_data: text(),
  conversation: conversationSchema.nullish(),
  pricing: pricingSchema.nullish(),
  errors: z.array(webhookErrorSchema).nullish(),
});
export type WebhookStatus = z.infer<typeof webhookStatusSchema>;

// ---- messages field: inbound messages (whatsapp-rules.md §6.1) -------------------------------------

export const textContentSchema = z.looseObject({ body: z.string() });

/** image, video, audio, document and sticker share this shape; caption and filename are optional. */
export const mediaContentSchema = z.looseObject({
  id: text(), mime_type: text(), sha256: text(), caption: text(), filename: text(), url: text(),
  voice: z.boolean().nullish(), animated: z.boolean().nullish(),
});

export const locationContentSchema = z.looseObject({ latitude: z.number(), longitude: z.number(), name: text(), address: text(), url: text() });

/** A quick-reply tap on a template button: `payload` is what we set when sending (e.g. "STOP_PROMOS"). */
export const buttonContentSchema = z.looseObject({ text: text(), payload: text() });

const replySchema = z.looseObject({ id: z.string(), title: text(), description: text() });

export const interactiveContentSchema = z.looseObject({
  type: z.string(),
  button_reply: replySchema.nullish(),
  list_reply: replySchema.nullish(),
  nfm_reply: z.looseObject({ name: text(), body: text(), response_json: text() }).nullish(),
});

export const reactionContentSchema = z.looseObject({ message_id: z.string(), emoji: text() });

export const orderContentSchema = z.looseObject({
  catalog_id: text(),
  text: text(),
  product_items: z.array(z.looseObject({ product_retailer_id: z.string(), quantity: z.number(), item_price: z.number(), currency: z.string() })).nullish(),
});

/** Meta's notices about the user, e.g. a changed number (user_changed_number) with new_wa_id or user_id. */
export const systemContentSchema = z.looseObject({ body: text(), type: text(), identity: text(), new_wa_id: text(), wa_id: text(), user_id: text(), customer: text() });

/** Click-to-WhatsApp ad or post that started the conversation (free entry point, whatsapp-rules.md §7.1). */
export const referralSchema = z.looseObject({
  source_url: text(), source_id: text(), source_type: text(), headline: text(), body: text(),
  media_type: text(), image_url: text(), video_url: text(), thumbnail_url: text(), ctwa_clid: text(),
});

export const contextSchema = z.looseObject({
  from: text(),
  id: text(),
  forwarded: z.boolean().nullish(),
  frequently_forwarded: z.boolean().nullish(),
  referred_product: z.looseObject({ catalog_id: text(), product_retailer_id: text() }).nullish(),
});

/**
 * One inbound message. `type` stays an open string (unknown types are kept as they come), and every
 * type's content object is optional, because Meta sends e.g. an `interactive` message without its
 * `interactive` object when it could not read it (with `errors` at the value level instead).
 */
export const inboundMessageSchema = z.looseObject({
  from: text(),
  from_user_id: text(),
  from_parent_user_id: text(),
  id: wamidSchema,
  timestamp: unixSecondsSchema,
  type: z.string(),
  text: textContentSchema.nullish(),
  image: mediaContentSchema.nullish(),
  video: mediaContentSchema.nullish(),
  audio: mediaContentSchema.nullish(),
  document: mediaContentSchema.nullish(),
  sticker: mediaContentSchema.nullish(),
  location: locationContentSchema.nullish(),
  contacts: z.array(z.looseObject({})).nullish(),
  button: buttonContentSchema.nullish(),
  interactive: interactiveContentSchema.nullish(),
  reaction: reactionContentSchema.nullish(),
  order: orderContentSchema.nullish(),
  system: systemContentSchema.nullish(),
  referral: referralSchema.nullish(),
  context: contextSchema.nullish(),
  errors: z.array(webhookErrorSchema).nullish(),
});
export type InboundMessage = z.infer<typeof inboundMessageSchema>;

/**
 * The `messages` value with its lists left unchecked: the parser validates each status, message and
 * contact on its own, so one malformed item never hides the others in the same change.
 */
export const messagesValueFrameSchema = z.looseObject({
  messaging_product: text(),
  metadata: metadataSchema,
  contacts: z.array(z.unknown()).nullish(),
  messages: z.array(z.unknown()).nullish(),
  statuses: z.array(z.unknown()).nullish(),
  errors: z.array(z.unknown()).nullish(),
});

/** The `messages` value, fully typed: what the simulator sends. */
export const messagesValueSchema = messagesValueFrameSchema.extend({
  contacts: z.array(webhookContactSchema).nullish(),
  messages: z.array(inboundMessageSchema).nullish(),
  statuses: z.array(webhookStatusSchema).nullish(),
  errors: z.array(webhookErrorSchema).nullish(),
});
export type MessagesValue = z.infer<typeof messagesValueSchema>;

// ---- user_preferences (whatsapp-rules.md §6.3, §8.2) ------------------------------------------------

/** `value` is "stop" or "resume" today; it stays a string here so a new value reaches us as unhandled. */
export const userPreferenceSchema = z.looseObject({ wa_id: text(), user_id: text(), detail: text(), category: z.string(), value: z.string(), timestamp: unixSecondsSchema });
export type UserPreference = z.infer<typeof userPreferenceSchema>;

export const userPreferencesValueFrameSchema = z.looseObject({
  messaging_product: text(),
  metadata: metadataSchema.nullish(),
  contacts: z.array(z.unknown()).nullish(),
  user_preferences: z.array(z.unknown()),
});

export const userPreferencesValueSchema = userPreferencesValueFrameSchema.extend({
  contacts: z.array(webhookContactSchema).nullish(),
  user_preferences: z.array(userPreferenceSchema),
});
export type UserPreferencesValue = z.infer<typeof userPreferencesValueSchema>;

// ---- Template fields (whatsapp-rules.md §4.1, §4.5b) ------------------------------------------------

const templateRefShape = { message_template_id: graphIdSchema, message_template_name: z.string(), message_template_language: z.string() };

export const templateStatusValueSchema = z.looseObject({
  ...templateRefShape,
  event: z.string(),
  reason: text(),
  message_template_category: text(),
  rejection_info: z.looseObject({ reason: text(), recommendation: text() }).nullish(),
  other_info: z.looseObject({ title: text(), description: text() }).nullish(),
  // Meta's reference calls it an integer but quotes it in its syntax block; both forms are accepted
  // and a value that is not unix seconds maps to "no date" rather than hiding a DISABLED event.
  disable_info: z.looseObject({ disable_date: z.union([z.string(), z.number()]).nullish() }).nullish(),
});
export type TemplateStatusValue = z.infer<typeof templateStatusValueSchema>;

export const templateQualityValueSchema = z.looseObject({ ...templateRefShape, previous_quality_score: text(), new_quality_score: z.string() });
export type TemplateQualityValue = z.infer<typeof templateQualityValueSchema>;

/**
 * Both stages in one shape. Impending (24 h ahead): correct_category and category_update_timestamp, with
 * new_category holding the *current* category. Completed: previous_category and new_category.
 */
export const templateCategoryValueSchema = z.looseObject({
  ...templateRefShape,
  new_category: text(),
  previous_category: text(),
  correct_category: text(),
  category_update_timestamp: unixSecondsSchema.nullish(),
});
export type TemplateCategoryValue = z.infer<typeof templateCategoryValueSchema>;

// ---- Limits and account fields (whatsapp-rules.md §1.3, §1.4) ---------------------------------------

/** A messaging limit as Meta writes it: "TIER_2K" in most places, the integer 2000 in the BCU example. */
export const messagingLimitWireSchema = z.union([z.string(), z.number().int()]);

export const phoneQualityValueSchema = z.looseObject({
  display_phone_number: z.string(),
  event: z.string(),
  old_limit: messagingLimitWireSchema.nullish(),
  current_limit: messagingLimitWireSchema.nullish(),
  max_daily_conversations_per_business: messagingLimitWireSchema.nullish(),
});
export type PhoneQualityValue = z.infer<typeof phoneQualityValueSchema>;

export const capabilityValueSchema = z.looseObject({
  max_daily_conversations_per_business: messagingLimitWireSchema.nullish(),
  max_daily_conversation_per_phone: messagingLimitWireSchema.nullish(),
  max_phone_numbers_per_waba: z.number().int().nullish(),
  max_phone_numbers_per_business: z.number().int().nullish(),
});
export type CapabilityValue = z.infer<typeof capabilityValueSchema>;

export const accountUpdateValueSchema = z.looseObject({
  event: z.string(),
  restriction_info: z.array(z.looseObject({ restriction_type: z.string(), expiration: unixSecondsSchema.nullish() })).nullish(),
  // Meta documents a string; some SDKs model a list of states. Both are read.
  ban_info: z.looseObject({ waba_ban_state: z.union([z.string(), z.array(z.string())]).nullish(), waba_ban_date: text() }).nullish(),
  violation_info: z.looseObject({ violation_type: text() }).nullish(),
});
export type AccountUpdateValue = z.infer<typeof accountUpdateValueSchema>;

export const accountAlertsValueSchema = z.looseObject({
  entity_type: text(),
  entity_id: graphIdSchema.nullish(),
  alert_info: z.looseObject({ alert_severity: text(), alert_status: text(), alert_type: text(), alert_description: text() }).nullish(),
});
export type AccountAlertsValue = z.infer<typeof accountAlertsValueSchema>;

// ---- Typed payloads for producers (the simulator) ---------------------------------------------------

const change = <F extends string, V extends z.ZodType>(field: F, value: V) => z.looseObject({ field: z.literal(field), value });

/**
 * Every field Greenlight reads, with its value's schema. The parser does not use this union: it routes
 * on the value's shape too (Meta labels its quality example as a status update, §4.5b) and keeps
 * unknown fields as unhandled events. Producers use it to build payloads Meta would send.
 */
export const knownWebhookChangeSchema = z.discriminatedUnion('field', [
  change('messages', messagesValueSchema),
  change('user_preferences', userPreferencesValueSchema),
  change('message_template_status_update', templateStatusValueSchema),
  change('message_template_quality_update', templateQualityValueSchema),
  change('template_category_update', templateCategoryValueSchema),
  change('phone_number_quality_update', phoneQualityValueSchema),
  change('business_capability_update', capabilityValueSchema),
  change('account_update', accountUpdateValueSchema),
  change('account_alerts', accountAlertsValueSchema),
]);
export type KnownWebhookChange = z.infer<typeof knownWebhookChangeSchema>;
export type KnownWebhookField = KnownWebhookChange['field'];

export const knownWebhookPayloadSchema = z.looseObject({
  object: z.literal('whatsapp_business_account'),
  entry: z.array(webhookEntrySchema.extend({ changes: z.array(knownWebhookChangeSchema) })),
});
export type KnownWebhookPayload = z.infer<typeof knownWebhookPayloadSchema>;
