// The typed client of Greenlight's REST API (/api). Every request carries `Authorization: Bearer <token>`;
// a failed one becomes an ApiError carrying the API's own code and message, which the screens show as
// they are. A 401 also tells the app shell, which forgets the token and asks for a new one.

import type {
  CampaignDetail, CampaignSummary, ContactDetail, ContactPage, Conversation, ConversationDetail, ErrorBody, Estimate, ImportSummary,
  LintResult, List, Preview, Report, SendMessageBody, Sender, SentMessage, Status, Template, TemplateFamily, Throughput,
} from './api-types.ts';
import { readToken } from './token.ts';

export type ApiError = Error & { status: number; code: string; field?: string };

export function isApiError(error: unknown): error is ApiError {
  return error instanceof Error && typeof (error as Partial<ApiError>).code === 'string';
}

function apiError(status: number, code: string, message: string, field?: string): ApiError {
  return Object.assign(new Error(message), { status, code, ...(field ? { field } : {}) });
}

let onUnauthorized: (message: string) => void = () => {};

/** The app shell's hook for 401 answers (a revoked or mistyped token). */
export function setUnauthorizedHandler(handler: (message: string) => void): void {
  onUnauthorized = handler;
}

type RequestOptions = { body?: unknown; csv?: string; idempotencyKey?: string; token?: string };

async function send(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const token = options.token ?? readToken();
  if (token) headers.authorization = `Bearer ${token}`;
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  let body: string | undefined;
  if (options.csv !== undefined) {
    headers['content-type'] = 'text/csv';
    body = options.csv;
  } else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  let response: Response;
  try {
    response = await fetch(`/api${path}`, { method, headers, body, credentials: 'omit', cache: 'no-store' });
  } catch {
    throw apiError(0, 'NETWORK', 'Greenlight does not answer: is `greenlight serve` running?');
  }
  if (response.ok) return response;
  const text = await response.text();
  let failure: ErrorBody['error'] = { code: `HTTP_${response.status}`, message: `${method} /api${path} answered ${response.status}` };
  try {
    const parsed = JSON.parse(text) as Partial<ErrorBody>;
    if (parsed.error?.message) failure = parsed.error;
  } catch {
    // Not JSON (a proxy's error page): keep the generic message.
  }
  if (response.status === 401 && options.token === undefined) onUnauthorized(failure.message);
  throw apiError(response.status, failure.code, failure.message, failure.field);
}

async function json<T>(method: string, path: string, options?: RequestOptions): Promise<T> {
  const response = await send(method, path, options);
  return (await response.json()) as T;
}

/** A fresh Idempotency-Key. getRandomValues works on plain-HTTP origins too, where randomUUID does not exist. */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `dash-${Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}

const query = (params: Record<string, string | number | undefined | null>) => {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
};

export const api = {
  /** Checks a token before it is stored: the sign-in form's test. */
  checkToken: (token: string) => json<Status>('GET', '/status', { token }),
  status: () => json<Status>('GET', '/status'),

  senders: () => json<List<Sender>>('GET', '/senders'),
  syncSender: (id: number) => json<Sender>('POST', `/senders/${id}/sync`),

  contacts: (filters: { q?: string; tag?: string; consent?: string; after?: number | null; limit?: number }) => json<ContactPage>('GET', `/contacts${query(filters)}`),
  contact: (id: number) => json<ContactDetail>('GET', `/contacts/${id}`),
  optIn: (id: number, body: { category: string; source: string; proof: string }) => json<ContactDetail>('POST', `/contacts/${id}/opt-in`, { body }),
  optOut: (id: number, body: { category: string; source?: string }) => json<ContactDetail>('POST', `/contacts/${id}/opt-out`, { body }),
  importContacts: (csv: string, params: { source?: string; consent?: string }) => json<ImportSummary>('POST', `/contacts/import${query(params)}`, { csv }),

  templates: () => json<List<Template>>('GET', '/templates'),
  template: (name: string) => json<TemplateFamily>('GET', `/templates/${encodeURIComponent(name)}`),
  lintTemplate: (definition: unknown) => json<LintResult>('POST', '/templates/lint', { body: definition }),
  submitTemplate: (definition: unknown) => json<unknown>('POST', '/templates', { body: definition }),
  syncTemplates: () => json<{ changes?: unknown[] }>('POST', '/templates/sync'),
  preview: (body: { name: string; language?: string; contactId?: number; variables?: Record<string, string> }) => json<Preview>('POST', '/templates/preview', { body }),

  campaigns: () => json<List<CampaignSummary>>('GET', '/campaigns'),
  campaign: (id: number) => json<CampaignDetail>('GET', `/campaigns/${id}`),
  createCampaign: (document: unknown, idempotencyKey: string) => json<{ campaign: CampaignSummary }>('POST', '/campaigns', { body: document, idempotencyKey }),
  estimate: (id: number) => json<Estimate>('POST', `/campaigns/${id}/estimate`),
  launch: (id: number, idempotencyKey: string) => json<{ campaign: CampaignSummary; planned: number }>('POST', `/campaigns/${id}/launch`, { idempotencyKey }),
  pause: (id: number, note?: string) => json<{ campaign: CampaignSummary }>('POST', `/campaigns/${id}/pause`, { body: note ? { note } : {} }),
  resume: (id: number, budgetUsd?: number) => json<{ campaign: CampaignSummary }>('POST', `/campaigns/${id}/resume`, { body: budgetUsd ? { budgetUsd } : {} }),
  cancel: (id: number) => json<{ campaign: CampaignSummary }>('POST', `/campaigns/${id}/cancel`, { body: {} }),
  report: (id: number) => json<Report>('GET', `/campaigns/${id}/report`),
  throughput: (id: number, bucketSeconds: number) => json<Throughput>('GET', `/campaigns/${id}/throughput${query({ bucketSeconds })}`),
  /** The per-recipient CSV, fetched with the token (a plain link could not send it) and handed over as a file. */
  exportCsv: async (id: number) => (await send('GET', `/campaigns/${id}/export`)).blob(),

  conversations: () => json<List<Conversation>>('GET', '/conversations'),
  conversation: (contactId: number) => json<ConversationDetail>('GET', `/conversations/${contactId}`),
  sendMessage: (body: SendMessageBody, idempotencyKey: string) => json<SentMessage>('POST', '/messages', { body, idempotencyKey }),
};
