// The outside world as the rest of Greenlight sees it: small structural types written from the
// consumer's side. whatsapp/client.ts implements WhatsAppApi against Meta's Graph API (or the
// built-in simulator, which serves the same endpoints). Names are camelCase; Meta's stay in whatsapp/.

import type { TemplateDefinition } from './domain/template.ts';
import type { MetaError, WhatsAppEvent } from './domain/whatsapp-events.ts';

/** A template's parameters for one send, already rendered (issue: templates). */
export type TemplateSendParams = {
  name: string;
  languageCode: string;
  header?:
    | { type: 'text'; text: string; parameterName?: string }
    | { type: 'image' | 'video' | 'document'; media: MediaRef; filename?: string }
    | { type: 'location'; latitude: number; longitude: number; name?: string; address?: string };
  body: Array<
    | { type: 'text'; text: string; parameterName?: string }
    | { type: 'currency'; fallbackValue: string; code: string; amount1000: number; parameterName?: string }
    | { type: 'date_time'; fallbackValue: string; parameterName?: string }
  >;
  buttons: Array<
    | { subType: 'url'; index: number; text: string }
    | { subType: 'quick_reply'; index: number; payload: string }
    | { subType: 'copy_code'; index: number; couponCode: string }
  >;
};

export type MediaRef = { id: string } | { link: string };

export type OutboundMessage = {
  /** E.164 with "+" (never without: Meta would prepend the sender's country code), or a BSUID. */
  to: string;
  /** Echoed back by Meta in status webhooks: Greenlight puts its own message id here. */
  bizOpaqueCallbackData?: string;
  contextWamid?: string;
} & (
  | { type: 'text'; body: string; previewUrl?: boolean }
  | { type: 'image' | 'video' | 'document' | 'audio'; media: MediaRef; caption?: string; filename?: string }
  | { type: 'template'; template: TemplateSendParams }
);

export type SendRoute = 'cloud_api' | 'marketing_messages';

/** What Meta said about a send it accepted; delivery is known only from status webhooks. */
export type SendAccepted = {
  ok: true;
  wamid: string;
  waId: string | null;
  /** 'accepted', 'held_for_quality_assessment' (paced: not sent yet), 'paused', or null when Meta says nothing. */
  messageStatus: string | null;
  route: SendRoute;
};

/** Why a send did not go through: Meta's error, or no answer at all (the send may still have reached Meta). */
export type SendFailed = {
  ok: false;
  error: MetaError | null;
  httpStatus: number | null;
  /** True when no HTTP answer came back (timeout, reset): the message may or may not have been accepted. */
  networkFailure: boolean;
  message: string;
  route: SendRoute;
};

export type SendResult = SendAccepted | SendFailed;

export type PhoneNumberInfo = {
  id: string;
  displayPhoneNumber: string | null;
  verifiedName: string | null;
  qualityRating: string | null;
  /** STANDARD (80 mps), HIGH (1,000 mps), NOT_APPLICABLE. */
  throughputLevel: string | null;
  /** TIER_250 … TIER_UNLIMITED, TIER_NOT_SET. */
  messagingLimitTier: string | null;
  status: string | null;
  nameStatus: string | null;
  platformType: string | null;
};

export type HealthStatus = {
  /** AVAILABLE, LIMITED or BLOCKED (kept as Meta sends it, so a new value is shown, not dropped). */
  canSendMessage: string;
  entities: Array<{ entityType: string; id: string; canSendMessage: string; errors: Array<{ code: number | null; description: string | null; possibleSolution: string | null }> }>;
};

/**
 * A template as Meta stores it. `template` is Meta's components read into the domain model
 * (domain/template-json.ts), or null when they hold something Greenlight cannot read (a carousel, a
 * one-tap button…); `rawComponents` keeps them as Meta sent them. `name` and `language` stay outside
 * `template` so an unreadable template can still be matched to its local variant.
 */
export type RemoteTemplate = {
  id: string;
  name: string;
  language: string;
  status: string;
  category: string;
  subCategory: string | null;
  qualityScore: string | null;
  rejectedReason: string | null;
  correctCategory: string | null;
  template: TemplateDefinition | null;
  rawComponents: Array<Record<string, unknown>>;
};

/** Create options that are not part of the template file (whatsapp-rules.md §4.2 "TTL"). */
export type TemplateCreateOptions = { messageSendTtlSeconds?: number };

/** Thrown by management calls (templates, phone numbers, media) when Meta answers with an error or not at all. */
export type GraphCallFailure = { error: MetaError | null; httpStatus: number | null; networkFailure: boolean; message: string };

export type WhatsAppApi = {
  sendMessage(phoneNumberId: string, message: OutboundMessage, options?: { route?: SendRoute }): Promise<SendResult>;
  getPhoneNumber(phoneNumberId: string): Promise<PhoneNumberInfo>;
  getHealthStatus(nodeId: string): Promise<HealthStatus>;
  createTemplate(wabaId: string, template: TemplateDefinition, options?: TemplateCreateOptions): Promise<{ id: string; status: string; category: string }>;
  listTemplates(wabaId: string, page?: { after?: string; limit?: number }): Promise<{ templates: RemoteTemplate[]; after: string | null }>;
  getTemplate(templateId: string): Promise<RemoteTemplate>;
  deleteTemplate(wabaId: string, name: string, templateId?: string): Promise<void>;
  unpauseTemplate(templateId: string): Promise<void>;
  uploadMedia(phoneNumberId: string, file: { bytes: Uint8Array; mimeType: string; fileName: string }): Promise<{ id: string }>;
};

/** Turns a webhook POST body (already JSON-parsed) into domain events; never throws (whatsapp/webhook.ts). */
export type ParseWebhook = (payload: unknown) => { ok: true; events: WhatsAppEvent[] } | { ok: false; reason: string };
