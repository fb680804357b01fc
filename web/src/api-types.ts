// The REST API's answers as the dashboard reads them: the contract in the API issue, with dates as ISO
// strings. Only what the screens use is typed precisely; the rest stays open (`unknown`) so a field the
// API adds later breaks nothing here.

export type ErrorBody = { error: { code: string; message: string; field?: string } };

export type GuardPause = { id: number; name: string; reason: string; detail: string | null; action: string | null };
export type Status = { mode: 'meta' | 'simulator'; database: string; guardPauses: GuardPause[] };

export type QualityRating = 'GREEN' | 'YELLOW' | 'RED' | 'UNKNOWN';
export type Sender = {
  id: number;
  phoneNumberId: string;
  wabaId: string;
  displayPhoneNumber: string | null;
  verifiedName: string | null;
  qualityRating: QualityRating;
  status: string | null;
  canSendMessage: string | null;
  messagingLimit: { tier: string | null; limit: number | null; usedLast24h: number; share: number };
  throughput: { mps: number; sentLastMinute: number; perMinute: Array<{ at: string; sent: number }> };
};

/** 'opted_in', 'opted_out' or 'unknown' (no consent on record). */
export type ConsentState = string;
export type Contact = {
  id: number;
  /** Null for a contact Meta knows only by its user id (BSUID). */
  phone: string | null;
  name: string | null;
  language: string | null;
  country: string | null;
  timeZone: string | null;
  tags: string[];
  marketing: ConsentState;
  utility: ConsentState;
  createdAt: string;
};
export type ConsentHistoryEntry = { id: number; kind: string; category: string; source: string | null; proof: string | null; occurredAt: string; recordedAt: string };
export type Suppression = { reason: string; scope: string; source: string | null; createdAt: string };
export type ServiceWindow = { open: boolean; closesAt: string | null };
export type ContactDetail = {
  contact: Contact;
  history: ConsentHistoryEntry[];
  suppressions: Suppression[];
  serviceWindow: ServiceWindow;
};
export type ContactPage = { items: Contact[]; nextAfter: number | null; total: number };
export type ImportSummary = {
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  consentEventsRecorded: number;
  rejections: Array<{ line: number; reason: string; message: string }>;
};

/** A lint finding; older and newer API shapes name the rule and place differently, so both are read. */
export type LintFinding = { severity: 'error' | 'warning'; rule?: string; code?: string; message: string; path?: string; location?: unknown };
export type LintResult = { ok: boolean; findings: LintFinding[]; spam: { score: number; level?: string; verdict?: string; reasons?: unknown[] } };

export type TemplateComponent = {
  type: string;
  format?: string;
  text?: string;
  buttons?: Array<{ type: string; text: string; url?: string; phone_number?: string }>;
};
export type Template = {
  name: string;
  language: string;
  category: string;
  status: string;
  qualityScore: string | null;
  rejectedReason: string | null;
  components: TemplateComponent[];
  definition?: unknown;
};
export type TemplateFamily = { name: string; languages: Template[] };
export type Bubble = {
  header: { type: string; text?: string } | null;
  body: string;
  footer: string | null;
  buttons: Array<{ type: string; text: string }>;
};
export type Preview = { language: string; bubble: Bubble; missing: string[] };

export type CampaignState = 'draft' | 'scheduled' | 'running' | 'paused' | 'completed' | 'cancelled';
export type CampaignCounts = { planned: number; deferred: number; queued: number; sending: number; sent: number; skipped: number; failed: number; unknown: number; cancelled: number };
export type CampaignSummary = {
  id: number;
  name: string;
  state: CampaignState;
  pauseReason: string | null;
  pauseDetail: string | null;
  pauseAction: string | null;
  templateName: string;
  senderId: number;
  recipients: number;
  counts: CampaignCounts;
  launchedAt: string | null;
  finishedAt: string | null;
  createdAt: string;
};
export type CampaignEvent = { occurredAt: string; kind: string; detail: string };
export type CampaignProgress = { targeted: number; sent: number; skipped: number; failed: number; pending: number; unknown: number; cancelled: number };
export type CampaignDetail = { campaign: CampaignSummary; spec: Record<string, unknown>; events: CampaignEvent[]; progress: CampaignProgress };

export type Estimate = {
  campaignId: number;
  recipients: number;
  send: { total: number; template: number; session: number };
  skipped: Record<string, number>;
  deferred: Record<string, number>;
  cost: { usd: number; charged: number; free: number; lines: Array<{ market: string; category: string; messages: number; usd: number }> };
  duration: {
    ratePerSecond: number;
    sendingSeconds: number;
    messagingLimit: { usersPer24h: number | null; budget: number | null; alreadyReached: number; counting: number; days: number | null };
    days: number | null;
    summary: string;
  };
  lint?: Array<{ template: string; language: string; findings: LintFinding[] }>;
};

export type RateInterval = { rate: number; low: number; high: number };
export type FunnelCounts = {
  targeted: number; pending: number; deferred: number; inFlight: number; sent: number; unknown: number; skipped: number; failed: number; cancelled: number;
  delivered: number; read: number; undelivered: number; replied: number; optedOut: number; clicked: number;
  billable: number; priced: number; estimatedUsd: number; actualUsd: number;
};
export type FunnelLine = { counts: FunnelCounts; rates: Record<'delivered' | 'read' | 'replied' | 'optedOut' | 'clicked', RateInterval> };
export type ReasonCount = { reason: string | null; count: number };
export type Report = {
  campaign: { id: number; name: string; state: CampaignState; canarySize: number; canaryPassed: boolean | null };
  totals: FunnelLine;
  byTemplate: Array<FunnelLine & { template: string | null; language: string | null }>;
  skipped: ReasonCount[];
  deferred: Array<ReasonCount & { nextDueAt: string | null }>;
  failures: Array<{ stage: 'send' | 'delivery'; errorCode: number | null; reason: string | null; example: string | null; count: number }>;
  cost: { estimatedUsd: number; actualUsd: number; billableMessages: number; pricedMessages: number };
  abTest: { baseline: string; variants: Array<FunnelLine & { name: string }> } | null;
};
export type Throughput = { bucketSeconds: number; points: Array<{ at: string; sent: number; failed: number }> };

export type Conversation = { contactId: number; phone: string | null; name: string | null; lastInboundAt: string; lastText: string | null; window: ServiceWindow };
export type ChatMessage = { id: string | number; direction: 'in' | 'out'; at: string; type: string; text: string | null; status: string | null; templateName: string | null };
export type ConversationDetail = {
  contact: Contact;
  window: ServiceWindow;
  messages: ChatMessage[];
  approvedTemplates: Array<{ name: string; language: string; category: string }>;
};
export type SendMessageBody = {
  contactId: number;
  text?: string;
  media?: { type: 'image' | 'video' | 'document' | 'audio'; link: string; caption?: string };
  template?: { name: string; language: string; variables?: Record<string, string> };
};
export type SentMessage = { id: string | number; wamid: string | null; kind: 'session' | 'template' };

export type List<T> = { items: T[] };
