// What Meta's webhooks tell Greenlight, as domain events: the parser (whatsapp/webhook.ts) turns
// Meta's wire format into these, and actions/ apply them. Types only; camelCase; Meta's wire names
// stay in whatsapp/. Every event carries the WABA id (entry.id) it came from.
//
// Terminology: *wamid* is Meta's id of one message; *waId* is Meta's id of a person (usually the
// phone number without "+", may be "" for username adopters); *businessUserId* is the business-scoped
// user id (BSUID, 2026), which may be all Meta says about a person; *phoneNumberId* is the sender.

export type PersonRef = { waId: string | null; businessUserId: string | null };

export type MetaError = { code: number; title: string | null; message: string | null; details: string | null };

export const MESSAGE_STATUSES = ['sent', 'delivered', 'read', 'played', 'failed', 'deleted', 'warning'] as const;
export type MessageStatusValue = (typeof MESSAGE_STATUSES)[number];

export type Pricing = { billable: boolean | null; pricingModel: string | null; type: string | null; category: string | null };

export type MessageStatusEvent = {
  kind: 'message_status';
  wabaId: string;
  phoneNumberId: string;
  wamid: string;
  status: MessageStatusValue;
  at: Date;
  recipient: PersonRef;
  errors: MetaError[];
  pricing: Pricing | null;
  conversation: { id: string | null; originType: string | null; expiresAt: Date | null } | null;
  bizOpaqueCallbackData: string | null;
};

export type Referral = { sourceType: string | null; sourceId: string | null; sourceUrl: string | null; headline: string | null; body: string | null; ctwaClid: string | null };

export type InboundMessageEvent = {
  kind: 'inbound_message';
  wabaId: string;
  phoneNumberId: string;
  wamid: string;
  from: PersonRef;
  profileName: string | null;
  at: Date;
  /** Meta's message type: text, image, button, interactive, reaction, … (unknown types are kept as they come). */
  type: string;
  /** What the person wrote or chose: text body, button text, interactive reply title, media caption; null when there is none. */
  text: string | null;
  /** A quick-reply button's payload or an interactive reply's id (e.g. "STOP_PROMOS"). */
  payload: string | null;
  referral: Referral | null;
  contextWamid: string | null;
  errors: MetaError[];
  /** For a `system` message: what changed about the person, e.g. user_changed_number with the new wa_id (§6.5). */
  system: { type: string | null; newWaId: string | null; newBusinessUserId: string | null } | null;
};

export type UserPreferenceEvent = {
  kind: 'user_preference';
  wabaId: string;
  phoneNumberId: string | null;
  person: PersonRef;
  category: string;
  value: 'stop' | 'resume';
  detail: string | null;
  at: Date;
};

export type TemplateStatusEvent = {
  kind: 'template_status';
  wabaId: string;
  templateId: string;
  name: string;
  language: string;
  /** APPROVED, REJECTED, PAUSED, DISABLED, FLAGGED, REINSTATED, … as Meta sends it. */
  status: string;
  reason: string | null;
  category: string | null;
  rejectionInfo: { reason: string | null; recommendation: string | null } | null;
  pauseTitle: string | null;
  disableDate: Date | null;
  at: Date;
};

export type TemplateQualityEvent = {
  kind: 'template_quality';
  wabaId: string;
  templateId: string;
  name: string;
  language: string;
  previousScore: string | null;
  newScore: string;
  at: Date;
};

export type TemplateCategoryEvent = {
  kind: 'template_category';
  wabaId: string;
  templateId: string;
  name: string;
  language: string;
  /** 'impending' (24 h ahead) or 'completed'. */
  stage: 'impending' | 'completed';
  /** impending: the current category; completed: Meta's previous_category. */
  previousCategory: string | null;
  /** impending: the category it will become (Meta's correct_category); completed: Meta's new_category. */
  newCategory: string | null;
  correctCategory: string | null;
  effectiveAt: Date | null;
  at: Date;
};

/** A messaging limit as a number of unique users per 24 h; null means unlimited; 0 means not set or unknown (send nothing). */
export type MessagingLimit = { tier: string; usersPer24h: number | null };

export type PhoneQualityEvent = {
  kind: 'phone_quality';
  wabaId: string;
  displayPhoneNumber: string;
  /** ONBOARDING, THROUGHPUT_UPGRADE, and the legacy FLAGGED, UNFLAGGED, UPGRADE, DOWNGRADE. */
  event: string;
  currentLimit: MessagingLimit | null;
  previousLimit: MessagingLimit | null;
  at: Date;
};

export type CapabilityEvent = {
  kind: 'business_capability';
  wabaId: string;
  messagingLimit: MessagingLimit | null;
  maxPhoneNumbersPerWaba: number | null;
  at: Date;
};

export type AccountUpdateEvent = {
  kind: 'account_update';
  wabaId: string;
  event: string;
  restrictions: Array<{ type: string; expiresAt: Date | null }>;
  banState: string | null;
  violationType: string | null;
  at: Date;
};

export type AccountAlertEvent = {
  kind: 'account_alert';
  wabaId: string;
  entityType: string | null;
  entityId: string | null;
  severity: string | null;
  status: string | null;
  alertType: string | null;
  description: string | null;
  at: Date;
};

/** A change Greenlight does not act on (yet): kept raw, never an error. */
export type UnhandledEvent = { kind: 'unhandled'; wabaId: string | null; field: string; reason: string };

export type WhatsAppEvent =
  | MessageStatusEvent
  | InboundMessageEvent
  | UserPreferenceEvent
  | TemplateStatusEvent
  | TemplateQualityEvent
  | TemplateCategoryEvent
  | PhoneQualityEvent
  | CapabilityEvent
  | AccountUpdateEvent
  | AccountAlertEvent
  | UnhandledEvent;
