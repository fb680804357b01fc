// Contract tests: every Meta-shaped payload in test/fixtures/meta/ goes through parseWebhook and must give
// exactly the domain events listed here. A fixture without an expectation (or the reverse) fails, so the
// directory and this table stay one list. Shapes follow whatsapp-rules.md §1.4, §4.5b, §6 and §9.

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { normalizeLanguage } from '../../src/domain/language.ts';
import type { InboundMessageEvent, MessageStatusEvent, WhatsAppEvent } from '../../src/domain/whatsapp-events.ts';
import { parseWebhook } from '../../src/whatsapp/webhook.ts';
import { toTemplateLanguage } from '../../src/whatsapp/webhook-mapping.ts';
import { knownWebhookPayloadSchema } from '../../src/whatsapp/webhook-wire.ts';

const fixturesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/meta');
const fixtureFiles = readdirSync(fixturesDir).filter((file) => file.endsWith('.json')).sort();
const readFixture = (file: string): unknown => JSON.parse(readFileSync(path.join(fixturesDir, file), 'utf8'));

const WABA = '102290129340398';
const PHONE_ID = '106540352242922';
const ANA = { waId: '5511987654321', businessUserId: null };
const at = (seconds: number) => new Date(seconds * 1_000);

const WAMID_SENT = 'wamid.HBgNNTUxMTk4NzY1NDMyMRUCABEYEjlBM0NBNUIzRDRDRDZFNjdFNwA=';
const W1 = 'wamid.HBgNNTUxMTk4NzY1NDMyMRUCABEYEkFBMDAwMDAwMDAwMDAwMDAxAA==';
const W2 = 'wamid.HBgNNTUyMTk5ODg3NzY2NRUCABEYEkFBMDAwMDAwMDAwMDAwMDAyAA==';
const W3 = 'wamid.HBgNNTUzMTk3NzY2NTU0NBUCABEYEkFBMDAwMDAwMDAwMDAwMDAzAA==';
const UTILITY_PMP = { billable: true, pricingModel: 'PMP', type: 'regular', category: 'utility' };

/** A status event with nothing optional set; each expectation states what its fixture adds. */
function status(wamid: string, value: MessageStatusEvent['status'], seconds: number, recipientWaId: string, extra: Partial<MessageStatusEvent> = {}): MessageStatusEvent {
  return { kind: 'message_status', wabaId: WABA, phoneNumberId: PHONE_ID, wamid, status: value, at: at(seconds), recipient: { waId: recipientWaId, businessUserId: null }, errors: [], pricing: null, conversation: null, bizOpaqueCallbackData: null, ...extra };
}

/** An inbound event from Ana with nothing optional set. */
function inbound(wamid: string, type: string, seconds: number, extra: Partial<InboundMessageEvent> = {}): InboundMessageEvent {
  return { kind: 'inbound_message', wabaId: WABA, phoneNumberId: PHONE_ID, wamid, from: ANA, profileName: 'Ana Souza', at: at(seconds), type, text: null, payload: null, referral: null, contextWamid: null, errors: [], system: null, ...extra };
}

const EXPECTED: Record<string, WhatsAppEvent[]> = {
  'webhook-status-sent-pmp-pricing.json': [
    status(WAMID_SENT, 'sent', 1750030073, '5511987654321', {
      recipient: { waId: '5511987654321', businessUserId: 'BR.1349120865530274191' },
      bizOpaqueCallbackData: 'gl-msg-000042',
      conversation: { id: '72b14d0c5a0b3c1d9e8f7a6b5c4d3e2f', originType: 'marketing', expiresAt: at(1750116480) },
      pricing: { billable: true, pricingModel: 'PMP', type: 'regular', category: 'marketing' },
    }),
  ],
  'webhook-status-failed-131049.json': [
    status('wamid.HBgNNTUxMTk4NzY1NDMyMRUCABEYEkY0QjI5QTExQjdDMzE0QzNBMgA=', 'failed', 1750030190, '5511987654321', {
      bizOpaqueCallbackData: 'gl-msg-000043',
      errors: [
        {
          code: 131049,
          title: 'This message was not delivered to maintain healthy ecosystem engagement.',
          message: 'This message was not delivered to maintain healthy ecosystem engagement.',
          details: 'In order to maintain a healthy ecosystem engagement, the message failed to be delivered.',
        },
      ],
    }),
  ],
  'webhook-status-read-without-delivered.json': [
    status(WAMID_SENT, 'read', 1750031200, '5511987654321', { recipient: { waId: '5511987654321', businessUserId: 'BR.1349120865530274191' } }),
  ],
  'webhook-inbound-text.json': [inbound('wamid.HBgNNTUxMTk4NzY1NDMyMRUCABIYFjNFQjBDMTdBNjVGQjQ1RDJGMkU4OTIA', 'text', 1749416383, { text: 'Vocês têm em outra cor?' })],
  'webhook-inbound-button-stop-promos.json': [
    inbound('wamid.HBgNNTUxMTk4NzY1NDMyMRUCABIYFDNBMjVGRkI1RUM0QjM4RTEwOTEyAA==', 'button', 1750032000, { text: 'Parar promoções', payload: 'STOP_PROMOS', contextWamid: WAMID_SENT }),
  ],
  'webhook-inbound-interactive-list-reply.json': [
    inbound('wamid.HBgNNTUxMTk4NzY1NDMyMRUCABIYFDNBQjIxNzY1QjE5RTM5MkQ1RjJBAA==', 'interactive', 1750032100, {
      text: 'Terça, 10h',
      payload: 'slot_tue_10',
      contextWamid: 'wamid.HBgNNTUxMTk4NzY1NDMyMRUCABEYEkM1RDA5OTg3QTQ0NjE2RTdGMQA=',
    }),
  ],
  'webhook-inbound-image-with-caption.json': [inbound('wamid.HBgNNTUxMTk4NzY1NDMyMRUCABIYFDNBRDkwRjc2QUE2MEM2OTk0QzE1AA==', 'image', 1750032200, { text: 'Chegou assim, amassado' })],
  'webhook-inbound-ctwa-referral.json': [
    inbound('wamid.HBgNNTUxMTk4NzY1NDMyMRUCABIYFDNBMEE0QjFGNEY3NTM4MUFFRkE2AA==', 'text', 1750032300, {
      text: 'Quero saber do frete grátis',
      referral: {
        sourceType: 'ad',
        sourceId: '120212345678900123',
        sourceUrl: 'https://fb.me/3cr4Wqqkv',
        headline: 'Frete grátis esta semana',
        body: 'Fale com a gente no WhatsApp',
        ctwaClid: 'ARAkLkA8rmlFeiCktEJQ-QTwRiyYHAFDLMNDBH0CD3qpjd0HR4irJ6LEkR7JwFF4XvnO2E4Nx0-eM-GABDLOPaOdRMv-_zfUQ2a',
      },
    }),
  ],
  'webhook-inbound-bsuid-only.json': [
    inbound('wamid.HBgUQlIuMjA4MTk3ODcwOTM0Mjk0MhUCABIYFDNBNjZCQjA2QjFGNjQ2RkQ3QjlDAA==', 'text', 1778579582, {
      from: { waId: null, businessUserId: 'BR.2081978709342942' },
      profileName: 'Rafa',
      text: 'oi, vi o anúncio',
    }),
  ],
  'webhook-inbound-unsupported-with-errors.json': [
    inbound('wamid.HBgNNTUxMTk4NzY1NDMyMRUCABIYFDNBNUJGNzFCMDg1NDBFN0M3NzZEAA==', 'unsupported', 1750032400, {
      errors: [{ code: 131051, title: 'Message type unknown', message: 'Message type unknown', details: 'Message type is currently not supported.' }],
    }),
  ],
  'webhook-user-preferences-stop.json': [
    { kind: 'user_preference', wabaId: WABA, phoneNumberId: PHONE_ID, person: ANA, category: 'marketing_messages', value: 'stop', detail: 'User requested to stop marketing messages', at: at(1750032500) },
  ],
  'webhook-template-status-rejected-invalid-format.json': [
    {
      kind: 'template_status',
      wabaId: WABA,
      templateId: '1689556908129835',
      name: 'abandoned_cart',
      language: 'en',
      status: 'REJECTED',
      reason: 'INVALID_FORMAT',
      category: 'MARKETING',
      rejectionInfo: {
        reason: 'Your template has parameters placed next to each other (like {{1}}{{2}}) without text or punctuation between them.',
        recommendation: 'Separate parameters with descriptive text and ensure each parameter is clearly contextualized.',
      },
      pauseTitle: null,
      disableDate: null,
      at: at(1751247548),
    },
  ],
  'webhook-template-status-paused-first-pause.json': [
    { kind: 'template_status', wabaId: WABA, templateId: '1689556908129840', name: 'spring_sale', language: 'pt_BR', status: 'PAUSED', reason: null, category: 'MARKETING', rejectionInfo: null, pauseTitle: 'FIRST_PAUSE', disableDate: null, at: at(1751250000) },
  ],
  'webhook-template-quality-mislabelled-field.json': [
    { kind: 'template_quality', wabaId: WABA, templateId: '806312974732579', name: 'welcome_template', language: 'en_US', previousScore: 'GREEN', newScore: 'YELLOW', at: at(1674864290) },
  ],
  'webhook-template-category-impending.json': [
    {
      kind: 'template_category',
      wabaId: WABA,
      templateId: '278077987957091',
      name: 'welcome_template',
      language: 'en_US',
      stage: 'impending',
      previousCategory: 'UTILITY',
      newCategory: 'MARKETING',
      correctCategory: 'MARKETING',
      effectiveAt: at(1746169200),
      at: at(1746082800),
    },
  ],
  'webhook-template-category-completed.json': [
    {
      kind: 'template_category',
      wabaId: WABA,
      templateId: '278077987957091',
      name: 'welcome_template',
      language: 'en_US',
      stage: 'completed',
      previousCategory: 'UTILITY',
      newCategory: 'MARKETING',
      correctCategory: null,
      effectiveAt: at(1746169200),
      at: at(1746169200),
    },
  ],
  'webhook-phone-quality-throughput-upgrade.json': [
    {
      kind: 'phone_quality',
      wabaId: WABA,
      displayPhoneNumber: '15550783881',
      event: 'THROUGHPUT_UPGRADE',
      currentLimit: { tier: 'TIER_UNLIMITED', usersPer24h: null },
      previousLimit: { tier: 'TIER_100K', usersPer24h: 100_000 },
      at: at(1748454394),
    },
  ],
  'webhook-phone-quality-legacy-flagged.json': [
    { kind: 'phone_quality', wabaId: WABA, displayPhoneNumber: '15550783881', event: 'FLAGGED', currentLimit: { tier: 'TIER_10K', usersPer24h: 10_000 }, previousLimit: null, at: at(1727000000) },
  ],
  'webhook-capability-integer.json': [{ kind: 'business_capability', wabaId: WABA, messagingLimit: { tier: 'TIER_2K', usersPer24h: 2_000 }, maxPhoneNumbersPerWaba: 25, at: at(1739321024) }],
  'webhook-capability-tier-string.json': [{ kind: 'business_capability', wabaId: WABA, messagingLimit: { tier: 'TIER_10K', usersPer24h: 10_000 }, maxPhoneNumbersPerWaba: 25, at: at(1760000000) }],
  'webhook-capability-legacy-per-phone-unlimited.json': [
    { kind: 'business_capability', wabaId: WABA, messagingLimit: { tier: 'TIER_UNLIMITED', usersPer24h: null }, maxPhoneNumbersPerWaba: 25, at: at(1739400000) },
  ],
  'webhook-account-update-restriction.json': [
    {
      kind: 'account_update',
      wabaId: WABA,
      event: 'ACCOUNT_RESTRICTION',
      restrictions: [
        { type: 'RESTRICTED_BIZ_INITIATED_MESSAGING', expiresAt: at(1751500000) },
        { type: 'RESTRICTED_ADD_PHONE_NUMBER_ACTION', expiresAt: at(1751500000) },
      ],
      banState: null,
      violationType: null,
      at: at(1751240000),
    },
  ],
  'webhook-account-alerts-denied.json': [
    {
      kind: 'account_alert',
      wabaId: WABA,
      entityType: 'BUSINESS',
      entityId: '506914307656634',
      severity: 'CRITICAL',
      status: 'ACTIVE',
      alertType: 'INCREASED_CAPABILITIES_ELIGIBILITY_FAILED',
      description: 'Based on your activity, limits cannot be increased for your business. Contact support for more information.',
      at: at(1745612159),
    },
  ],
  // Two entries (two WABAs), two changes (two numbers) in the first, statuses out of order and one
  // duplicate: the parser reports all of them in payload order; ordering and dedupe are the caller's (§6.2).
  'webhook-batch-aggregated-statuses.json': [
    status(W1, 'delivered', 1750040010, '5511987654321', { pricing: UTILITY_PMP }),
    status(W2, 'read', 1750040020, '5521998877665'),
    status(W1, 'sent', 1750040001, '5511987654321'),
    status(W3, 'failed', 1750040030, '5531977665544', {
      phoneNumberId: '106540352249999',
      errors: [{ code: 131026, title: 'Message undeliverable', message: 'Message undeliverable', details: 'Message Undeliverable.' }],
    }),
    status(W1, 'delivered', 1750040010, '5511987654321', { wabaId: '102290129340411', pricing: UTILITY_PMP }),
  ],
  // The second change has no metadata and the third has a millisecond timestamp in one status: both
  // become unhandled, and the statuses around them still arrive.
  'webhook-batch-one-malformed-change.json': [
    status(W1, 'delivered', 1750040010, '5511987654321'),
    { kind: 'unhandled', wabaId: WABA, field: 'messages', reason: expect.stringContaining('metadata') as string },
    { kind: 'unhandled', wabaId: WABA, field: 'messages', reason: expect.stringContaining('statuses[0]') as string },
    status(W3, 'read', 1750040040, '5531977665544'),
  ],
  'webhook-unknown-field.json': [{ kind: 'unhandled', wabaId: WABA, field: 'message_template_components_update', reason: 'Greenlight does not read the "message_template_components_update" field' }],
};

// Fixtures the typed producer schema must refuse: they show what Meta sends wrongly or what we do not read.
const NOT_PRODUCIBLE = new Set(['webhook-template-quality-mislabelled-field.json', 'webhook-unknown-field.json', 'webhook-batch-one-malformed-change.json']);

describe('Meta webhook fixtures (test/fixtures/meta/)', () => {
  it('has one expectation per fixture file and one fixture file per expectation', () => {
    expect(fixtureFiles).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(fixtureFiles)('parses %s into exactly the expected domain events', (file) => {
    expect(parseWebhook(readFixture(file))).toEqual({ ok: true, events: EXPECTED[file] });
  });

  it.each(fixtureFiles.filter((file) => !NOT_PRODUCIBLE.has(file)))('accepts %s with the typed payload schema the simulator builds from', (file) => {
    const result = knownWebhookPayloadSchema.safeParse(readFixture(file));
    expect(result.error?.issues ?? []).toEqual([]);
  });

  it.each([...NOT_PRODUCIBLE])('refuses %s with the typed payload schema, because Meta would not (or should not) send it so', (file) => {
    expect(knownWebhookPayloadSchema.safeParse(readFixture(file)).success).toBe(false);
  });
});

describe('template language codes: whatsapp/ repeats domain/language.ts, and the two must agree', () => {
  const templateLanguages = fixtureFiles.flatMap((file) => [...JSON.stringify(readFixture(file)).matchAll(/"message_template_language":"([^"]*)"/g)].map((match) => match[1] ?? ''));

  it.each([...new Set([...templateLanguages, 'en-US', 'pt-BR', 'pt_BR', 'EN', 'es-419', 'zh-HK', 'ZH_hk', 'fil', 'sr-Latn-RS'])])('normalises %s exactly as normalizeLanguage does', (tag) => {
    expect(toTemplateLanguage(tag)).toBe(normalizeLanguage(tag));
  });
});
