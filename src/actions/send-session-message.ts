// Sends one message to one contact from the inbox: free-form text or media inside the 24 h customer
// service window, or an approved template the contact's consent allows. The checks are the send
// decision's own rules (domain/send-eligibility.ts, service-window.ts, template-choice.ts,
// messaging-budget.ts); the message is recorded before it leaves, so the conversation shows it and
// status webhooks update it.

import { deriveConsent } from '../domain/consent.ts';
import type { Contact } from '../domain/contacts.ts';
import { planDirectTemplateMapping } from '../domain/direct-template-mapping.ts';
import { assumedMessagingLimit } from '../domain/assumed-messaging-limit.ts';
import { budgetUsers, decideMessagingLimit } from '../domain/messaging-budget.ts';
import { checkConsent, checkMarketRules, checkReachable, isActive, type SuppressionState } from '../domain/send-eligibility.ts';
import { isServiceWindowOpen, SERVICE_WINDOW_MS, type ServiceWindowState } from '../domain/service-window.ts';
import { chooseTemplateVariant } from '../domain/template-choice.ts';
import { renderTemplate, type RenderFailure } from '../domain/template-render.ts';
import { TEMPLATE_CATEGORIES, type TemplateCategory } from '../domain/template.ts';
import { MESSAGING_LIMIT_SAFETY_MARGIN } from '../dispatch/campaign-context.ts';
import { AppError } from '../errors.ts';
import type { Clock } from '../lib/clock.ts';
import type { OutboundMessage, WhatsAppApi } from '../ports.ts';
import { findWabaState } from '../store/account-signals.ts';
import { callbackDataFor } from '../store/campaign-messages.ts';
import { listConsentEvents } from '../store/consent-events.ts';
import { findContactsByIds } from '../store/contacts.ts';
import { findLatestServiceWindow } from '../store/conversations.ts';
import type { Db } from '../store/db.ts';
import { insertDirectMessage, recordDirectMessageOutcome, type DirectMessageContent, type NewDirectMessage } from '../store/direct-messages.ts';
import { findServiceWindow } from '../store/inbound-messages.ts';
import { mergeMessageStatuses } from '../store/message-statuses.ts';
import { confirmReach, loadPortfolioReach, reserveReach } from '../store/send-context.ts';
import { findSenderById, findSenderByPhoneNumberId, listSenders, type Sender } from '../store/senders.ts';
import { listActiveSuppressions } from '../store/suppressions.ts';
import { listStoredTemplates } from '../store/templates.ts';

export type MediaType = 'image' | 'video' | 'document' | 'audio';

export type SessionMessageContent =
  | { kind: 'text'; text: string }
  | { kind: 'media'; type: MediaType; link: string; caption: string | null }
  | { kind: 'template'; name: string; language: string; variables: Record<string, string> };

/** `senderId`: the number to send from; by default the one the contact last wrote to, else the first sender. */
export type SessionMessageInput = { contactId: number; senderId?: number; content: SessionMessageContent };

/** `unknown`: Meta did not answer, so the message may have gone; its status webhooks will tell (never resent). */
export type SessionMessageResult = { id: number; wamid: string | null; kind: 'session' | 'template'; status: 'accepted' | 'held' | 'unknown' };

type Deps = { db: Db; clock: Clock; whatsapp: WhatsAppApi };

/** What is about to be sent, once every check passed. */
type Planned = { record: Omit<NewDirectMessage, 'senderId' | 'contactId'>; message: OutboundMessage; countsAgainstLimit: boolean };

export async function sendSessionMessage(deps: Deps, input: SessionMessageInput): Promise<SessionMessageResult> {
  const { db } = deps;
  const contact = (await findContactsByIds(db, [input.contactId])).get(input.contactId);
  if (!contact) throw new AppError('NOT_FOUND', `no contact with id ${input.contactId}`, { details: { field: 'contactId' } });
  const sender = await chooseSender(db, contact.id, input.senderId);
  const now = deps.clock.now();
  const suppressions: SuppressionState[] = await listActiveSuppressions(db, contact.id, now);
  // Step 1: an invalid number, one Meta says is not on WhatsApp, or one the business blocked gets nothing.
  const reachable = checkReachable(contact.phone, suppressions, now);
  if (reachable.kind === 'skip') throw new AppError('INVALID_STATE', `cannot message contact ${contact.id} (${reachable.reason}): ${reachable.detail}`, { details: { reason: reachable.reason } });
  const window: ServiceWindowState = (await findServiceWindow(db, sender.phoneNumberId, contact.id)) ?? { lastInboundAt: null, lastReferralAt: null };
  const insideWindow = isServiceWindowOpen(window, now);
  const planned = input.content.kind === 'template'
    ? await planTemplate(db, contact, reachable.e164, sender, suppressions, input.content, insideWindow, now)
    : planFreeForm(reachable.e164, input.content, window, insideWindow, now);
  if (planned.countsAgainstLimit) await reserveMessagingLimit(db, contact.id, sender, now);
  return send(deps, sender, contact.id, planned);
}

async function chooseSender(db: Db, contactId: number, senderId: number | undefined): Promise<Sender> {
  if (senderId !== undefined) {
    const chosen = await findSenderById(db, senderId);
    if (!chosen) throw new AppError('NOT_FOUND', `no sender with id ${senderId}`, { details: { field: 'senderId' } });
    return chosen;
  }
  const latest = await findLatestServiceWindow(db, contactId);
  const answering = latest ? await findSenderByPhoneNumberId(db, latest.phoneNumberId) : null;
  if (answering) return answering;
  const [first] = await listSenders(db);
  if (!first) throw new AppError('INVALID_STATE', 'there is no sender to send from: add one with `greenlight senders add`');
  return first;
}

/**
 * §7.1: free-form messages only inside the window the contact's last message opened, less the safety
 * margin (service-window.ts). Consent is not asked: the person wrote first, and a reply — even the
 * confirmation of their STOP — is what they are waiting for.
 */
function planFreeForm(e164: string, content: Exclude<SessionMessageContent, { kind: 'template' }>, window: ServiceWindowState, insideWindow: boolean, now: Date): Planned {
  if (!insideWindow) {
    const metaEnd = window.lastInboundAt === null ? null : new Date(window.lastInboundAt.getTime() + SERVICE_WINDOW_MS);
    const when = metaEnd === null
      ? `${e164} has never written to this number, so no customer service window is open`
      : metaEnd.getTime() <= now.getTime()
        ? `the customer service window with ${e164} closed at ${metaEnd.toISOString()} (24 h after their last message)`
        : `the customer service window with ${e164} closes at ${metaEnd.toISOString()}, and Greenlight stops free-form messages 15 min before so none arrives after it`;
    throw new AppError('SERVICE_WINDOW_CLOSED', `${when}; free-form messages need an open window (whatsapp-rules.md §7.1): send an approved template instead`);
  }
  if (content.kind === 'text') {
    const record: DirectMessageContent = { type: 'text', text: content.text };
    return { record: { via: 'session', templateName: null, category: null, language: null, content: record }, message: { to: e164, type: 'text', body: content.text, previewUrl: /https?:\/\//i.test(content.text) }, countsAgainstLimit: false };
  }
  const caption = content.caption ?? undefined;
  const record: DirectMessageContent = { type: content.type, link: content.link, caption: content.caption };
  return { record: { via: 'session', templateName: null, category: null, language: null, content: record }, message: { to: e164, type: content.type, media: { link: content.link }, ...(caption ? { caption } : {}) }, countsAgainstLimit: false };
}

/** Steps 2–5 of the send decision for one template: consent, market rules, an approved variant, every variable filled. */
async function planTemplate(db: Db, contact: Contact, e164: string, sender: Sender, suppressions: SuppressionState[], content: Extract<SessionMessageContent, { kind: 'template' }>, insideWindow: boolean, now: Date): Promise<Planned> {
  const stored = (await listStoredTemplates(db, { wabaId: sender.wabaId, name: content.name })).filter((variant) => variant.definition !== null);
  if (stored.length === 0) throw new AppError('NOT_FOUND', `no template called ${content.name} for this sender's account (sync or submit it first)`, { details: { field: 'template.name' } });
  // The category Meta gives the variant now decides the consent it needs, not the one it was written as.
  const asked = stored.find((variant) => variant.language === content.language) ?? stored[0]!;
  const category = categoryOf(asked.category ?? asked.definition!.category);
  const consent = deriveConsent(await listConsentEvents(db, contact.id));
  const refusal = checkConsent(consent, suppressions, category, now) ?? marketingCapHeld(suppressions, category, now) ?? checkMarketRules(e164, contact.country, category, { allowedCountries: null, blockedCountries: [] });
  if (refusal) throw new AppError('INVALID_STATE', `cannot send ${content.name} to contact ${contact.id} (${refusal.reason}): ${refusal.detail}`, { details: { reason: refusal.reason } });
  const variants = stored.map((variant) => ({ definition: variant.definition!, status: variant.status, qualityScore: variant.qualityScore }));
  const chosen = chooseTemplateVariant(content.language, content.language, category, variants);
  if (chosen.kind === 'skip') throw new AppError('INVALID_STATE', `cannot send ${content.name} in ${content.language} (${chosen.reason}): ${chosen.detail}`, { details: { reason: chosen.reason } });
  const definition = chosen.variant.definition;
  const rendered = renderTemplate(definition, contact, planDirectTemplateMapping(definition, content.variables));
  if (!rendered.ok) {
    const field = variableField(rendered);
    throw new AppError('INVALID_INPUT', `${field}: ${rendered.message}`, { details: { field } });
  }
  return {
    record: { via: 'template', templateName: definition.name, category, language: definition.language, content: { type: 'template', text: rendered.preview } },
    message: { to: e164, type: 'template', template: rendered.send },
    // §1.1: a template outside an open window reaches someone the portfolio's 24 h limit counts.
    countsAgainstLimit: !insideWindow,
  };
}

/**
 * §8.3: after Meta's per-user marketing cap (131049), wait at least 24 h; retrying sooner can block the
 * user for up to a day. The dispatcher defers such a message; one sent by hand is refused until then.
 */
function marketingCapHeld(suppressions: readonly SuppressionState[], category: TemplateCategory, now: Date): { reason: 'marketing_cap'; detail: string } | null {
  if (category !== 'MARKETING') return null;
  const held = suppressions.find((suppression) => suppression.reason === 'marketing_cap' && isActive(suppression, now));
  if (!held) return null;
  return { reason: 'marketing_cap', detail: `Meta's per-user marketing cap held an earlier message (131049); wait until ${held.until?.toISOString() ?? '24 h have passed'}` };
}

function categoryOf(text: string): TemplateCategory {
  const upper = text.toUpperCase();
  // A category Greenlight does not know is treated as marketing: the one that needs the most consent.
  return (TEMPLATE_CATEGORIES as readonly string[]).includes(upper) ? (upper as TemplateCategory) : 'MARKETING';
}

/** The request field behind a render failure: a body or header variable, or a button's value (button1…). */
function variableField(failure: RenderFailure): string {
  const variable = failure.variable ?? '';
  const button = /^button\.(\d+)$/.exec(variable);
  if (button) return `template.variables.button${Number(button[1]) + 1}`;
  if (variable === 'header') return 'template.name';
  return `template.variables.${variable.replace(/^header\./, '')}`;
}

/**
 * Step 8 for one contact (§1.1, §1.5): the portfolio may reach only so many people outside a window in
 * 24 h, and Meta names no error for going over, so Greenlight keeps count itself, as the dispatcher does.
 */
async function reserveMessagingLimit(db: Db, contactId: number, sender: Sender, now: Date): Promise<void> {
  const limit = assumedMessagingLimit(await findWabaState(db, sender.wabaId), sender.messagingLimitTier);
  if (limit.usersPer24h === null) return;
  const budget = { usersPer24h: limit.usersPer24h, safetyMargin: MESSAGING_LIMIT_SAFETY_MARGIN };
  const reach = await loadPortfolioReach(db, [contactId], now);
  const decision = decideMessagingLimit({ ...budget, reachedUsers: reach.reachedUsers, contactAlreadyCounted: reach.counted.has(contactId), oldestCountedAt: reach.oldestCountedAt }, false, now);
  const refuse = (detail: string) => new AppError('INVALID_STATE', `the portfolio's messaging limit is used up: ${detail}`);
  if (decision.kind === 'defer') throw refuse(`${decision.detail}; a slot frees at ${decision.until.toISOString()}`);
  if (!decision.countsAgainstLimit) return;
  const granted = await reserveReach(db, [contactId], budgetUsers(budget), now);
  if (!granted.has(contactId)) throw refuse('another send took the last slot');
}

async function send(deps: Deps, sender: Sender, contactId: number, planned: Planned): Promise<SessionMessageResult> {
  const { db, clock } = deps;
  const kind = planned.record.via;
  const id = await insertDirectMessage(db, { ...planned.record, senderId: sender.id, contactId }, clock.now());
  const sentAt = clock.now();
  const answer = await deps.whatsapp.sendMessage(sender.phoneNumberId, { ...planned.message, bizOpaqueCallbackData: callbackDataFor(id) });
  if (answer.ok) {
    const status = answer.messageStatus === 'held_for_quality_assessment' ? 'held' : 'accepted';
    await recordDirectMessageOutcome(db, id, { state: 'sent', wamid: answer.wamid, status, sentAt }, clock.now());
    // A status webhook may have come first: merge what is already known.
    await mergeMessageStatuses(db, [answer.wamid], clock.now());
    if (planned.countsAgainstLimit) await confirmReach(db, [contactId], sentAt);
    return { id, wamid: answer.wamid, kind, status };
  }
  if (answer.networkFailure) {
    await recordDirectMessageOutcome(db, id, { state: 'unknown', detail: `no answer from Meta: ${answer.message}`, sentAt }, clock.now());
    return { id, wamid: null, kind, status: 'unknown' };
  }
  const code = answer.error?.code ?? null;
  await recordDirectMessageOutcome(db, id, { state: 'failed', errorCode: code, errorTitle: answer.message, sentAt }, clock.now());
  // 131047: Meta's own view of the window closed first (§7.1, §12: re-route to a template).
  if (code === 131047) throw new AppError('SERVICE_WINDOW_CLOSED', `Meta refused the free-form message because the customer service window is closed (131047): send an approved template instead`);
  throw new AppError('INVALID_STATE', `Meta refused the message${code === null ? '' : ` (${code})`}: ${answer.message}`, { details: { metaCode: code } });
}
