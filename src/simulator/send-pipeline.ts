// POST /{phone-number-id}/messages and /marketing_messages: the order in which Meta's rules are applied to
// one send (parse → faults → throughput 130429 → pair rate 131056 → content checks → accept), and which
// failures come back synchronously and which arrive later in a failed status webhook (§3.1).

import { graphError } from './graph-errors.ts';
import { unknownNode, type GraphResponse } from './graph-response.ts';
import type { GraphSendMessageResponse } from '../whatsapp/graph-wire.ts';
import { parseSendRequest, type SendRequest } from './graph-requests.ts';
import { isMarketingCapExempt, isUsNumber } from './phone-regions.ts';
import type { MessageCategory } from './reactions.ts';
import type { Sender } from './senders.ts';
import type { SendRoute, SentMessage } from './sent-log.ts';
import type { SimContext } from './sim-context.ts';
import { checkTemplateSend } from './template-send-check.ts';
import type { SimTemplate } from './template-registry.ts';

type Failure = { code: number; details: string | null };
type Content = { template: SimTemplate | null; category: MessageCategory; text: string; inWindow: boolean; asyncFailure: Failure | null };

/** The digits Meta keys a user by; a BSUID ("US.123…", §6.5) is kept as it is. */
function recipientId(to: string): string | null {
  if (/^[A-Z]{2}\.\d+$/.test(to)) return to;
  const digits = to.replace(/[\s()+-]/g, '');
  return /^\d{7,15}$/.test(digits) ? digits : null;
}

/** §2: the number's throughput (130429, also forced by /_sim), then the pair rate (131056). */
function admit(ctx: SimContext, sender: Sender, waId: string): Failure | null {
  const nowMs = ctx.clock.nowMs();
  if (ctx.faults.isThrottled(sender.id, nowMs) || !ctx.rateLimits.takeThroughput(sender.id, nowMs)) return { code: 130429, details: null };
  if (!ctx.rateLimits.takePair(sender.id, waId, nowMs)) {
    const waitSeconds = Math.ceil(ctx.rateLimits.pairWaitMs(sender.id, waId, nowMs) / 1000);
    return { code: 131056, details: `Too many messages sent from the sender phone number to the same recipient phone number in a short period of time. Next message allowed in about ${waitSeconds} s.` };
  }
  return null;
}

/** Failures Meta reports only in a status webhook, in the order the simulator checks them. */
function asyncFailureFor(ctx: SimContext, sender: Sender, waId: string, template: SimTemplate | null, inWindow: boolean): Failure | null {
  const nowMs = ctx.clock.nowMs();
  const { population, behaviour } = ctx;
  if (!population.isReachable(waId)) return { code: 131026, details: null };
  const marketing = template?.category === 'MARKETING';
  if (marketing && isUsNumber(waId)) return { code: behaviour.usMarketingErrorCode, details: 'Marketing template messages are not delivered to WhatsApp users with United States phone numbers.' };
  if (marketing && population.hasStoppedMarketing(sender.wabaId, waId)) return { code: 131050, details: null };
  if (marketing && !isMarketingCapExempt(waId) && population.marketingLastDay(waId, nowMs) >= population.person(waId).marketingCapPerDay) return { code: 131049, details: null };
  if (template !== null && !inWindow && !ctx.conversations.reachOutsideWindow(waId, nowMs)) {
    return { code: behaviour.messagingLimitErrorCode, details: `The portfolio's messaging limit (${behaviour.messagingLimitTier}) of unique users outside a customer service window in 24 hours was reached.` };
  }
  return null;
}

function checkContent(ctx: SimContext, sender: Sender, request: SendRequest, route: SendRoute, waId: string): Content | Failure {
  const inWindow = ctx.conversations.isWindowOpen(sender.id, waId, ctx.clock.nowMs());
  if (request.type !== 'template' || request.template === undefined) {
    const text = request.text?.body ?? '';
    if (!inWindow && ctx.behaviour.reengagementSurface === 'sync') return { code: 131047, details: null };
    const asyncFailure = inWindow ? asyncFailureFor(ctx, sender, waId, null, true) : { code: 131047, details: null };
    return { template: null, category: 'service', text, inWindow, asyncFailure };
  }
  const check = checkTemplateSend(ctx.templates, sender.wabaId, request.template);
  if (!check.ok) return { code: check.code, details: check.details };
  if (route === 'marketing_messages' && check.template.category !== 'MARKETING') return { code: 131055, details: null };
  const category = check.template.category.toLowerCase() as MessageCategory;
  return { template: check.template, category, text: check.text, inWindow, asyncFailure: asyncFailureFor(ctx, sender, waId, check.template, inWindow) };
}

function accept(ctx: SimContext, sender: Sender, request: SendRequest, route: SendRoute, waId: string, content: Content, fault: Failure | null): GraphResponse {
  const { template } = content;
  const failure = fault ?? content.asyncFailure;
  const held = template !== null && failure === null && ctx.pacing.decide(template) === 'hold';
  const message: SentMessage = {
    wamid: ctx.ids.wamid(waId),
    phoneNumberId: sender.id,
    wabaId: sender.wabaId,
    to: request.to,
    waId,
    route,
    type: request.type,
    payload: request,
    acceptedAtMs: ctx.clock.nowMs(),
    messageStatus: template === null ? null : held ? 'held_for_quality_assessment' : 'accepted',
    templateId: template?.id ?? null,
    templateName: template?.name ?? null,
    templateEpoch: template?.pauseCount ?? 0,
    category: content.category,
    pricingCategory: route === 'marketing_messages' ? 'marketing_lite' : content.category,
    inWindow: content.inWindow,
    text: content.text,
    bizOpaqueCallbackData: request.biz_opaque_callback_data ?? null,
    state: held ? 'held' : 'accepted',
    errorCode: null,
  };
  ctx.sent.add(message);
  if (held && template !== null) ctx.pacing.hold(template, message);
  else ctx.lifecycle.start(message, failure);
  const contact = waId.includes('.') ? { input: request.to, user_id: waId } : { input: request.to, wa_id: waId };
  const sentMessage = message.messageStatus === null ? { id: message.wamid } : { id: message.wamid, message_status: message.messageStatus };
  const body: GraphSendMessageResponse = { messaging_product: 'whatsapp', contacts: [contact], messages: [sentMessage] };
  return { status: 200, body };
}

export function handleSend(ctx: SimContext, phoneNumberId: string, rawBody: unknown, route: SendRoute): GraphResponse {
  const error = (code: number, details: string | null = null): GraphResponse => graphError(code, ctx.ids.fbtraceId(), details === null ? {} : { details });
  const sender = ctx.senders.get(phoneNumberId);
  if (sender === undefined) return unknownNode(ctx.ids, phoneNumberId, 'post');
  const parsed = parseSendRequest(rawBody, route);
  if (!parsed.ok) return error(parsed.code, parsed.details);
  const request = parsed.request;
  const waId = recipientId(request.to);
  if (waId === null) return error(100, `Invalid parameter: "${request.to}" is not a valid phone number.`);
  if (waId === sender.displayPhoneNumber) return error(131021);
  const fault = ctx.faults.takeFailure(sender.id);
  if (fault !== null && fault.surface === 'sync') return error(fault.code, fault.details);
  const refused = admit(ctx, sender, waId);
  if (refused !== null) return error(refused.code, refused.details);
  const content = checkContent(ctx, sender, request, route, waId);
  if (!('category' in content)) return error(content.code, content.details);
  return accept(ctx, sender, request, route, waId, content, fault === null ? null : { code: fault.code, details: fault.details });
}
