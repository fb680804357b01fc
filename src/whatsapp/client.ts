// The Cloud API client: createCloudClient implements the WhatsAppApi port against Meta's Graph API or the
// built-in simulator (same endpoints, another base URL). This file owns the factory and message sends; it
// reports what Meta said and never decides retries (domain/send-errors.ts does) or paces sends (dispatch/ does).
import { setTimeout as delay } from 'node:timers/promises';
import { AppError } from '../errors.ts';
import { systemClock, type Clock } from '../lib/clock.ts';
import type { OutboundMessage, SendFailed, SendResult, SendRoute, WhatsAppApi } from '../ports.ts';
import { createGraphHttp, createPooledFetch, fromStandardFetch, parseSuccess, type GraphHttp } from './client-http.ts';
import { createManagementCalls } from './client-management.ts';
import { toGraphSendRequest } from './client-payload.ts';
import { chooseReportedFailure, chooseSendRoute, decideRouteFallback, type AttemptOutcome } from './client-route.ts';
import { graphSendMessageResponseSchema, type GraphSendMessageRequest } from './graph-wire.ts';

export type CloudClientOptions = {
  /** `https://graph.facebook.com`, or the simulator's URL; a path prefix is kept. */
  baseUrl: string;
  /** Graph API version, `v23.0` (a missing "v" is added). */
  apiVersion: string;
  /** System-user token. Sent only in the Authorization header; never logged or put in a message. */
  accessToken: string;
  /** A WHATWG fetch to use instead of the pooled undici one (tests, an in-process simulator). */
  fetch?: typeof fetch;
  clock?: Clock;
  /** How the client waits out the management budget; tests pass one that returns at once. */
  sleep?: (ms: number) => Promise<void>;
  /** Per-request timeout of sends (default 15 s): the dispatcher must learn soon that an answer is not coming. */
  sendTimeoutMs?: number;
  /** Per-request timeout of management calls and media uploads (default 30 s). */
  managementTimeoutMs?: number;
  /** Phone number ids whose template sends go to the Marketing Messages API unless a send names its route. */
  marketingMessagesPhoneNumberIds?: readonly string[];
  /** Size of the default connection pool (see GRAPH_POOL in client-http.ts); ignored with a custom fetch. */
  maxConnections?: number;
};

/** The port plus `close()`, which ends the pooled connections at shutdown. */
export type CloudClient = WhatsAppApi & { close(): Promise<void> };

export const DEFAULT_SEND_TIMEOUT_MS = 15_000;
export const DEFAULT_MANAGEMENT_TIMEOUT_MS = 30_000;

export function createCloudClient(options: CloudClientOptions): CloudClient {
  const config = checkOptions(options);
  const pooled = options.fetch === undefined ? createPooledFetch(options.maxConnections) : null;
  const http = createGraphHttp({ ...config, fetch: pooled?.fetch ?? fromStandardFetch(options.fetch ?? fetch), timesOutItself: pooled !== null });
  const sendTimeoutMs = options.sendTimeoutMs ?? DEFAULT_SEND_TIMEOUT_MS;
  const marketingPhoneIds = new Set(options.marketingMessagesPhoneNumberIds ?? []);
  const management = createManagementCalls({
    http,
    clock: options.clock ?? systemClock,
    sleep: options.sleep ?? ((ms) => delay(ms)),
    timeoutMs: options.managementTimeoutMs ?? DEFAULT_MANAGEMENT_TIMEOUT_MS,
  });

  const sendMessage = async (phoneNumberId: string, message: OutboundMessage, sendOptions?: { route?: SendRoute }): Promise<SendResult> => {
    const body = toGraphSendRequest(message);
    const route = chooseSendRoute({ isTemplate: message.type === 'template', requested: sendOptions?.route, phoneUsesMarketingMessages: marketingPhoneIds.has(phoneNumberId) });
    const first = await attemptSend(http, sendTimeoutMs, phoneNumberId, body, route);
    if (first.ok) return first;
    const fallbackRoute = decideRouteFallback(outcomeOf(first));
    if (fallbackRoute === null) return first;
    const second = await attemptSend(http, sendTimeoutMs, phoneNumberId, body, fallbackRoute);
    if (second.ok || chooseReportedFailure(outcomeOf(first), outcomeOf(second)) === 'second') return second;
    return { ...first, message: `${first.message}; the fallback through ${fallbackRoute} was refused too (${second.error?.code ?? 'no code'})` };
  };

  return { sendMessage, ...management, close: async () => pooled?.close() };
}

/**
 * One send on one route. It never throws: Meta's refusals and network failures come back as SendFailed,
 * and `networkFailure` says the message may have been sent anyway (whatsapp-rules.md §5.2: a 200 means
 * accepted; without an answer nobody knows).
 */
async function attemptSend(http: GraphHttp, timeoutMs: number, phoneNumberId: string, body: GraphSendMessageRequest, route: SendRoute): Promise<SendResult> {
  const endpoint = route === 'marketing_messages' ? 'marketing_messages' : 'messages';
  const answer = await http.call({ method: 'POST', path: [phoneNumberId, endpoint], json: body, timeoutMs });
  const parsed = parseSuccess(answer, graphSendMessageResponseSchema, http.redact);
  if (!parsed.ok) return { ok: false, ...parsed.failure, route };
  const [accepted] = parsed.data.messages;
  const waId = parsed.data.contacts?.[0]?.wa_id;
  return {
    ok: true,
    wamid: accepted?.id ?? '',
    // "" is Meta's way of saying it has no phone number for a username adopter (whatsapp-rules.md §6.5).
    waId: waId === undefined || waId === '' ? null : waId,
    messageStatus: accepted?.message_status ?? null,
    route,
  };
}

function outcomeOf(failed: SendFailed): AttemptOutcome {
  return { route: failed.route, errorCode: failed.error?.code ?? null, networkFailure: failed.networkFailure };
}

/** Configuration mistakes fail at start-up with CONFIG_INVALID; messages name the option, never the token. */
function checkOptions(options: CloudClientOptions): { baseUrl: string; apiVersion: string; accessToken: string } {
  let base: URL;
  try {
    base = new URL(options.baseUrl);
  } catch (error) {
    throw new AppError('CONFIG_INVALID', `The WhatsApp API base URL is not a URL: ${options.baseUrl}`, { cause: error });
  }
  if (base.protocol !== 'https:' && base.protocol !== 'http:') throw new AppError('CONFIG_INVALID', `The WhatsApp API base URL must be http(s): ${options.baseUrl}`);
  const version = options.apiVersion.startsWith('v') ? options.apiVersion : `v${options.apiVersion}`;
  if (!/^v\d+\.\d+$/.test(version)) throw new AppError('CONFIG_INVALID', `The Graph API version must look like v23.0, not "${options.apiVersion}".`);
  // A token with spaces or control characters would make undici reject the header with the value in its message.
  if (!/^[\x21-\x7e]+$/.test(options.accessToken)) throw new AppError('CONFIG_INVALID', 'The WhatsApp access token is empty or contains spaces or control characters.');
  return { baseUrl: base.href.replace(/\/+$/, ''), apiVersion: version, accessToken: options.accessToken };
}
