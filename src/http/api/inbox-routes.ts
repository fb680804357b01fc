// REST API routes: the inbox — the contacts who wrote in, one conversation both ways with its service
// window and the templates that can reopen it, and sending one message (free-form inside the window,
// a template outside it) through sendSessionMessage, which applies the send decision's rules.

import { z } from 'zod';
import { sendSessionMessage, type SessionMessageContent } from '../../actions/send-session-message.ts';
import type { WhatsAppDeps } from '../../deps.ts';
import { deriveConsent } from '../../domain/consent.ts';
import { refuseNonPublicUrl } from '../../domain/public-url.ts';
import { serviceWindowStatus } from '../../domain/service-window-status.ts';
import { AppError } from '../../errors.ts';
import { listConsentEvents } from '../../store/consent-events.ts';
import { findContactsByIds } from '../../store/contacts.ts';
import { findLatestServiceWindow, listConversationMessages, listConversations } from '../../store/conversations.ts';
import { findSenderByPhoneNumberId, listSenders } from '../../store/senders.ts';
import { listStoredTemplates } from '../../store/templates.ts';
import type { ApiRouter } from './api-kit.ts';
import type { ApiEnvironment } from './status-routes.ts';

const TAG = 'inbox';

const limitQuery = (fallback: number) => z.object({ limit: z.coerce.number().int().min(1).max(500).default(fallback) });

// whatsapp-rules.md §4.3 [TEXT]: a free-form text body holds at most 4,096 characters; a media caption 1,024.
const messageBody = z.strictObject({
  contactId: z.number().int().positive(),
  senderId: z.number().int().positive().optional().describe('The number to send from; default: the one the contact last wrote to, else the first sender'),
  text: z.string().max(4096).refine((text) => text.trim() !== '', 'must not be empty').optional(),
  media: z.strictObject({
    type: z.enum(['image', 'video', 'document', 'audio']),
    // Meta fetches the link, never Greenlight; a link to an internal host is never valid there (domain/public-url.ts).
    link: z.url({ protocol: /^https$/ }).max(2000).superRefine(refuseNonPublicUrl()),
    caption: z.string().trim().min(1).max(1024).optional(),
  }).refine((media) => media.type !== 'audio' || media.caption === undefined, { message: 'an audio message takes no caption', path: ['caption'] }).optional(),
  template: z.strictObject({
    name: z.string().regex(/^[a-z0-9_]{1,512}$/, 'a template name: lower-case letters, digits and _'),
    language: z.string().regex(/^[A-Za-z]{2,3}(_[A-Za-z0-9]{2,4})?$/, "Meta's language code, e.g. en_US or pt_BR"),
    variables: z.record(z.string(), z.string().max(1024)).optional(),
  }).optional(),
}).refine((body) => [body.text, body.media, body.template].filter((part) => part !== undefined).length === 1, 'give exactly one of text, media or template');

function contentOf(body: z.output<typeof messageBody>): SessionMessageContent {
  if (body.text !== undefined) return { kind: 'text', text: body.text };
  if (body.media !== undefined) return { kind: 'media', type: body.media.type, link: body.media.link, caption: body.media.caption ?? null };
  const template = body.template!;
  return { kind: 'template', name: template.name, language: template.language, variables: template.variables ?? {} };
}

export function inboxRoutes(api: ApiRouter, deps: WhatsAppDeps, _environment: ApiEnvironment): void {
  api.route({
    method: 'get', path: '/conversations', tag: TAG, summary: 'The contacts who wrote in, most recent first, with their last message and service window',
    query: limitQuery(50),
    responses: { 200: '{ items: [{ contactId, phone, name, lastInboundAt, lastText, window: { open, closesAt } }] }', 400: 'limit is not 1–500' },
  }, async ({ query }) => {
    const now = deps.clock.now();
    const conversations = await listConversations(deps.db, query.limit);
    return {
      status: 200,
      body: { items: conversations.map((conversation) => ({ contactId: conversation.contactId, phone: conversation.phone, name: conversation.name, lastInboundAt: conversation.lastInboundAt, lastText: conversation.lastText, window: serviceWindowStatus(conversation.lastInboundAt, now) })) },
    };
  });

  api.route({
    method: 'get', path: '/conversations/:contactId', tag: TAG, summary: "One contact's messages both ways (oldest first), the service window and the approved templates to send outside it",
    params: z.object({ contactId: z.coerce.number().int().positive() }),
    query: limitQuery(100),
    responses: { 200: '{ contact, window, messages, approvedTemplates }', 400: 'Not a contact id, or limit is not 1–500', 404: 'No such contact' },
  }, async ({ params, query }) => {
    const contact = (await findContactsByIds(deps.db, [params.contactId])).get(params.contactId);
    if (!contact) throw new AppError('NOT_FOUND', `no contact with id ${params.contactId}`);
    const now = deps.clock.now();
    const [events, window, messages] = await Promise.all([listConsentEvents(deps.db, contact.id), findLatestServiceWindow(deps.db, contact.id), listConversationMessages(deps.db, contact.id, query.limit)]);
    const consent = deriveConsent(events);
    // The templates of the number a reply goes from (sendSessionMessage's default sender).
    const sender = (window ? await findSenderByPhoneNumberId(deps.db, window.phoneNumberId) : null) ?? (await listSenders(deps.db))[0] ?? null;
    const templates = sender ? await listStoredTemplates(deps.db, { wabaId: sender.wabaId }) : [];
    return {
      status: 200,
      body: {
        contact: { id: contact.id, phone: contact.phone, name: contact.name, language: contact.language, country: contact.country, timeZone: contact.timeZone, tags: contact.tags, marketing: consent.marketing.state, utility: consent.utility.state, createdAt: contact.createdAt },
        window: serviceWindowStatus(window?.lastInboundAt ?? null, now),
        messages,
        approvedTemplates: templates.filter((template) => template.status?.toUpperCase() === 'APPROVED').map((template) => ({ name: template.name, language: template.language, category: template.category })),
      },
    };
  });

  api.route({
    method: 'post', path: '/messages', tag: TAG, idempotent: true,
    summary: 'Send one message to one contact: text or media inside the 24 h service window, or an approved template the contact consented to',
    body: messageBody,
    responses: {
      201: '{ id, wamid, kind: session | template, status: accepted | held }',
      202: 'Sent, but Meta did not answer: status unknown, wamid null; status webhooks will tell (never resent, so do not retry)',
      400: 'Not exactly one of text / media / template, a field not valid, or a template variable without a value (field names it)',
      404: 'No such contact, sender or template',
      409: 'SERVICE_WINDOW_CLOSED: free-form outside the window (send a template); INVALID_STATE: no consent for the template, a suppression, the messaging limit used up, or Meta refused the message',
      422: 'IDEMPOTENCY_KEY_REUSED: the key was used for another request',
    },
  }, async ({ body }) => {
    const sent = await sendSessionMessage(deps, { contactId: body.contactId, ...(body.senderId === undefined ? {} : { senderId: body.senderId }), content: contentOf(body) });
    return { status: sent.status === 'unknown' ? 202 : 201, body: sent };
  });
}
