// One Graph API request: URL, bearer header, timeout, pooled connection, and Meta's answer turned into
// parsed data or a GraphCallFailure. It decides nothing about retries (domain/send-errors.ts does) and
// never lets the access token into a message: every text it produces goes through `redact`.
import { Agent, type FormData } from 'undici';
import type { z } from 'zod';
import type { MetaError } from '../domain/whatsapp-events.ts';
import type { GraphCallFailure } from '../ports.ts';
import { graphErrorBodySchema } from './graph-wire.ts';

/** What the client needs from an HTTP answer; `fetch` Responses from undici and from Node both fit. */
export type GraphHttpResponse = { status: number; headers: { get(name: string): string | null }; text(): Promise<string> };
/** `timeoutMs` bounds the wait for the answer: the pooled client enforces it itself; others get `signal`. */
export type GraphHttpRequest = { method: string; headers: Record<string, string>; body?: string | FormData; signal?: AbortSignal; timeoutMs: number };
export type GraphFetch = (url: string, init: GraphHttpRequest) => Promise<GraphHttpResponse>;

/** Thrown by management calls; `failure` is the port's GraphCallFailure, `subcode` the 2388xxx of template creation. */
export class GraphApiError extends Error {
  readonly failure: GraphCallFailure;
  readonly subcode: number | null;

  constructor(failure: GraphCallFailure, options: { cause?: unknown; subcode?: number | null } = {}) {
    super(failure.message, { cause: options.cause });
    this.name = 'GraphApiError';
    this.failure = failure;
    this.subcode = options.subcode ?? null;
  }
}

/**
 * Connection pool for the default fetch. By Little's law, in-flight requests = rate × latency: 1,000
 * sends/s (the HIGH throughput level, whatsapp-rules.md §2) at Meta's usual 100–250 ms is 100–250 requests
 * in flight. With pipelining 1 (one request per HTTP/1.1 connection at a time, so a slow answer never
 * blocks another) that needs as many connections; 256 covers the upper end plus the management calls.
 * Keep-alive of 30 s keeps the pool warm between dispatcher batches and avoids a TLS handshake per send.
 */
export const GRAPH_POOL = { connections: 256, pipelining: 1, keepAliveTimeoutMs: 30_000, keepAliveMaxTimeoutMs: 60_000, connectTimeoutMs: 10_000 } as const;

/**
 * The default transport: undici's `request` on a keep-alive pool, with its own header and body timeouts.
 * Measured against a loopback server (bench/RESULTS.md, dispatch), WHATWG `fetch` plus an
 * AbortSignal.timeout per call cost ~260 µs of CPU per send; `request` ~60 µs — the difference between
 * the dispatcher keeping up with 1,000 mps per sender or not.
 */
export function createPooledFetch(connections: number = GRAPH_POOL.connections): { fetch: GraphFetch; timesOutItself: true; close(): Promise<void> } {
  const agent = new Agent({
    connections,
    pipelining: GRAPH_POOL.pipelining,
    keepAliveTimeout: GRAPH_POOL.keepAliveTimeoutMs,
    keepAliveMaxTimeout: GRAPH_POOL.keepAliveMaxTimeoutMs,
    connect: { timeout: GRAPH_POOL.connectTimeoutMs },
  });
  const fetch: GraphFetch = async (url, init) => {
    const target = new URL(url);
    const response = await agent.request({
      origin: target.origin,
      path: `${target.pathname}${target.search}`,
      method: init.method,
      headers: init.headers,
      body: init.body ?? null,
      headersTimeout: init.timeoutMs,
      bodyTimeout: init.timeoutMs,
      ...(init.signal ? { signal: init.signal } : {}),
    });
    const header = (name: string) => {
      const value = response.headers[name.toLowerCase()];
      return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
    };
    return { status: response.statusCode, headers: { get: header }, text: () => response.body.text() };
  };
  return { fetch, timesOutItself: true, close: () => agent.close() };
}

/** Adapts an injected WHATWG fetch (Node's global one, a test double, an in-process app) to GraphFetch. */
export function fromStandardFetch(standardFetch: typeof fetch): GraphFetch {
  // The multipart body is undici's FormData; Node's fetch accepts it because it reads any FormData-like object.
  return (url, { timeoutMs: _timeoutMs, ...init }) => standardFetch(url, init);
}

export type GraphCall = {
  method: 'GET' | 'POST' | 'DELETE';
  /** Path segments after the version, e.g. [phoneNumberId, 'messages']; each is URL-encoded here. */
  path: readonly string[];
  query?: Readonly<Record<string, string | undefined>>;
  json?: unknown;
  form?: FormData;
  timeoutMs: number;
};

/** Meta answered (any status), or did not (timeout, reset, DNS, refused: the request may have reached Meta). */
export type GraphAnswer =
  | { kind: 'answered'; label: string; status: number; headers: GraphHttpResponse['headers']; body: unknown }
  | { kind: 'no_answer'; label: string; status: number | null; reason: string; cause: unknown };

export type GraphHttp = { call: (request: GraphCall) => Promise<GraphAnswer>; redact: (text: string) => string };

/** `timesOutItself`: the transport enforces `timeoutMs` (the pooled one), so no AbortSignal timer per call. */
export function createGraphHttp(config: { baseUrl: string; apiVersion: string; accessToken: string; fetch: GraphFetch; timesOutItself?: boolean }): GraphHttp {
  const redact = (text: string) => (config.accessToken === '' ? text : text.split(config.accessToken).join('[redacted]'));
  const call = async (request: GraphCall): Promise<GraphAnswer> => {
    const pathText = `/${config.apiVersion}/${request.path.map(encodeURIComponent).join('/')}`;
    const label = `${request.method} ${pathText}`;
    const query = new URLSearchParams(Object.entries(request.query ?? {}).flatMap(([name, value]): Array<[string, string]> => (value === undefined ? [] : [[name, value]])));
    const url = `${config.baseUrl}${pathText}${query.size > 0 ? `?${query.toString()}` : ''}`;
    const headers: Record<string, string> = { authorization: `Bearer ${config.accessToken}`, accept: 'application/json' };
    if (request.json !== undefined) headers['content-type'] = 'application/json';
    const body = request.json !== undefined ? JSON.stringify(request.json) : request.form;
    let status: number | null = null;
    try {
      const signal = config.timesOutItself === true ? undefined : AbortSignal.timeout(request.timeoutMs);
      const response = await config.fetch(url, { method: request.method, headers, ...(body === undefined ? {} : { body }), ...(signal ? { signal } : {}), timeoutMs: request.timeoutMs });
      status = response.status;
      // The body is read under the same timeout signal: a reset while reading it is still "no answer".
      const text = await response.text();
      return { kind: 'answered', label, status, headers: response.headers, body: parseJsonOrText(text) };
    } catch (error) {
      return { kind: 'no_answer', label, status, reason: redact(describeNetworkError(error, request.timeoutMs)), cause: error };
    }
  };
  return { call, redact };
}

function parseJsonOrText(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Names what went wrong on the wire: a timeout, or the deepest cause's code (ECONNRESET, ENOTFOUND, UND_ERR_SOCKET…). */
const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);

function describeNetworkError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return `no answer within ${timeoutMs} ms (timed out)`;
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' && TIMEOUT_CODES.has(error.code)) return `no answer within ${timeoutMs} ms (timed out)`;
  let deepest: unknown = error;
  while (deepest instanceof Error && deepest.cause !== undefined) deepest = deepest.cause;
  const code = typeof deepest === 'object' && deepest !== null && 'code' in deepest && typeof deepest.code === 'string' ? deepest.code : null;
  const message = deepest instanceof Error ? deepest.message : String(deepest);
  return `no answer (${code === null ? message : `${code}: ${message}`})`;
}

export type ParsedGraphError = { error: MetaError; subcode: number | null };

/** Meta's error body → MetaError; `details` is `error_data.details` (what the classifier reads, whatsapp-rules.md §3.1). */
export function parseGraphError(body: unknown, redact: (text: string) => string): ParsedGraphError | null {
  const parsed = graphErrorBodySchema.safeParse(body);
  if (!parsed.success) return null;
  const wire = parsed.data.error;
  const clean = (text: string | undefined) => (text === undefined ? null : redact(text));
  return {
    error: { code: wire.code, title: clean(wire.error_user_title), message: clean(wire.message), details: clean(wire.error_data?.details ?? wire.error_user_msg) },
    subcode: wire.error_subcode ?? null,
  };
}

/** A failure from an answer that is not a 2xx success (or from no answer at all), with a message fit for logs. */
export function toCallFailure(answer: GraphAnswer, redact: (text: string) => string): { failure: GraphCallFailure; subcode: number | null } {
  if (answer.kind === 'no_answer') {
    const failure = { error: null, httpStatus: answer.status, networkFailure: true, message: `${answer.label}: ${answer.reason}; the request may have reached Meta` };
    return { failure, subcode: null };
  }
  const parsed = parseGraphError(answer.body, redact);
  if (parsed === null) {
    const failure = { error: null, httpStatus: answer.status, networkFailure: false, message: redact(`${answer.label}: HTTP ${answer.status} without a Graph error body${excerpt(answer.body)}`) };
    return { failure, subcode: null };
  }
  const { error, subcode } = parsed;
  const subcodeText = subcode === null ? '' : ` (subcode ${subcode})`;
  const detailsText = error.details === null ? '' : `: ${error.details}`;
  const message = `${answer.label}: HTTP ${answer.status}, Meta error ${error.code}${subcodeText} ${error.message ?? ''}${detailsText}`;
  return { failure: { error, httpStatus: answer.status, networkFailure: false, message: redact(message.replace(/ +/g, ' ').trim()) }, subcode };
}

/**
 * A 2xx answer validated with its graph-wire schema. A 2xx whose body does not fit is a failure (Meta
 * changed its shape, or something else answered), reported with the fields that did not match.
 */
export function parseSuccess<Schema extends z.ZodType>(answer: GraphAnswer, schema: Schema, redact: (text: string) => string): { ok: true; data: z.output<Schema> } | { ok: false; failure: GraphCallFailure; subcode: number | null } {
  if (answer.kind === 'no_answer' || answer.status < 200 || answer.status > 299) return { ok: false, ...toCallFailure(answer, redact) };
  const parsed = schema.safeParse(answer.body);
  if (parsed.success) return { ok: true, data: parsed.data };
  const problems = parsed.error.issues.slice(0, 3).map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`);
  const message = `${answer.label}: HTTP ${answer.status} but the body is not the expected Graph answer (${problems.join('; ')})${excerpt(answer.body)}`;
  return { ok: false, failure: { error: null, httpStatus: answer.status, networkFailure: false, message: redact(message) }, subcode: null };
}

function excerpt(body: unknown): string {
  if (body === undefined) return '';
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return `; body: ${text.length > 200 ? `${text.slice(0, 200)}…` : text}`;
}
