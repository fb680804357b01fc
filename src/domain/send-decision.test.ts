import { describe, expect, it } from 'vitest';
import type { ConsentEvent } from './consent.ts';
import { deriveConsent } from './consent.ts';
import type { Contact } from './contacts.ts';
import type { SendDecision, SendDecisionInput } from './send-decision.ts';
import { decideSend } from './send-decision.ts';
import type { SuppressionState } from './send-eligibility.ts';
import type { TemplateVariant } from './template-choice.ts';
import type { TemplateCategory, TemplateDefinition } from './template.ts';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
// 12:00 in São Paulo (UTC-3), a Wednesday, before the 2026-10-01 pricing change.
const now = new Date('2026-06-10T15:00:00Z');
const hoursAgo = (hours: number) => new Date(now.getTime() - hours * HOUR);

const contact = (overrides: Partial<Contact> = {}): Contact => ({
  id: 1, phone: '+5511987654321', waId: '5511987654321', businessUserId: null, name: 'Ana Souza', language: 'pt_BR', country: 'BR',
  timeZone: 'America/Sao_Paulo', timeZoneOverridden: false, lineType: 'mobile', attributes: {}, tags: [], createdAt: new Date(0), updatedAt: new Date(0),
  ...overrides,
});

const definition = (language: string, category: TemplateCategory = 'MARKETING', body = 'Olá, {{1}}! Chegou a promoção.'): TemplateDefinition => ({
  name: 'spring_sale', language, category, parameterFormat: 'positional', header: null, body: { text: body, examples: { '1': 'Ana' } }, footer: null, buttons: [],
});
const variant = (language: string, status = 'APPROVED', qualityScore: string | null = 'GREEN', category: TemplateCategory = 'MARKETING'): TemplateVariant => ({ definition: definition(language, category), status, qualityScore });

const optIn = (category: ConsentEvent['category'], hours: number): ConsentEvent => ({ category, kind: 'opt_in', occurredAt: hoursAgo(hours), source: 'website', proof: 'Quero receber ofertas' });
const optOut = (category: ConsentEvent['category'], hours: number): ConsentEvent => ({ category, kind: 'opt_out', occurredAt: hoursAgo(hours), source: 'inbound STOP', proof: 'STOP' });

type Overrides = { contact?: Partial<Contact>; consent?: ConsentEvent[]; suppressions?: SuppressionState[]; campaign?: Partial<SendDecisionInput['campaign']> } & Partial<Omit<SendDecisionInput, 'contact' | 'consent' | 'suppressions' | 'campaign'>>;

function input(overrides: Overrides = {}): SendDecisionInput {
  const category = overrides.campaign?.category ?? 'MARKETING';
  return {
    contact: contact(overrides.contact),
    consent: deriveConsent(overrides.consent ?? [optIn('marketing', 24 * 30), optIn('utility', 24 * 30)]),
    suppressions: overrides.suppressions ?? [],
    campaign: {
      templateName: 'spring_sale', category, variants: [variant('pt_BR', 'APPROVED', 'GREEN', category), variant('en', 'APPROVED', 'GREEN', category)],
      variableMapping: { body: { '1': { from: 'contact', field: 'first_name', fallback: 'cliente' } } }, defaultLanguage: 'en', sessionText: null,
      quietHours: { startHour: 21, endHour: 9 }, fallbackTimeZone: 'America/Sao_Paulo', frequencyCap: { maxMarketing: 2, windowMs: 7 * DAY, minGapMs: 0, sameTemplateCooldownMs: 30 * DAY },
      allowedCountries: null, blockedCountries: [], sendUntil: null,
      ...overrides.campaign,
    },
    recentMessages: overrides.recentMessages ?? [],
    serviceWindow: overrides.serviceWindow ?? { lastInboundAt: null, lastReferralAt: null },
    messagingBudget: overrides.messagingBudget ?? { usersPer24h: 250, safetyMargin: 0.9, reachedUsers: 10, contactAlreadyCounted: false, oldestCountedAt: hoursAgo(20) },
  };
}

/** The decision without the rendered payload and prose, for tables. */
function outline(decision: SendDecision): Record<string, unknown> {
  if (decision.kind === 'skip') return { kind: 'skip', reason: decision.reason };
  if (decision.kind === 'defer') return { kind: 'defer', reason: decision.reason, until: decision.until.toISOString() };
  return { kind: 'send', via: decision.via, language: decision.language };
}

const sendTemplate = (language = 'pt_BR') => ({ kind: 'send', via: 'template', language });
const skip = (reason: string) => ({ kind: 'skip', reason });

describe('decideSend: who may be messaged (steps 1–3)', () => {
  it.each([
    ['sends the template to an opted-in mobile contact at an allowed hour', {}, sendTemplate()],
    ['skips a contact without a phone number', { contact: { phone: null } }, skip('invalid_number')],
    ['skips a number that is not a valid number', { contact: { phone: '+5511123' } }, skip('invalid_number')],
    ['skips a landline: it cannot be a WhatsApp account', { contact: { phone: '+551133334444' } }, skip('not_mobile')],
    ['skips a number Meta reported is not on WhatsApp (131026)', { suppressions: [{ reason: 'undeliverable', until: null }] }, skip('suppressed_undeliverable')],
    ['skips a contact the business blocked', { suppressions: [{ reason: 'blocked', until: null }] }, skip('suppressed_blocked')],
    ['ignores a suppression whose time has passed', { suppressions: [{ reason: 'blocked', until: hoursAgo(1) }] }, sendTemplate()],
    ['skips a contact with no opt-in on record', { consent: [] }, skip('no_consent')],
    ['does not let a utility opt-in cover a marketing template', { consent: [optIn('utility', 5)] }, skip('no_consent')],
    ['lets an opt-out recorded after the opt-in win', { consent: [optIn('marketing', 48), optOut('marketing', 2)] }, skip('opted_out')],
    ['lets a new opt-in after an older opt-out send again', { consent: [optOut('marketing', 48), optIn('marketing', 2)] }, sendTemplate()],
    ['skips marketing to a contact who stopped marketing in WhatsApp (131050)', { suppressions: [{ reason: 'marketing_stopped', until: null }] }, skip('marketing_stopped')],
    ['still sends utility to a contact who stopped marketing', { suppressions: [{ reason: 'marketing_stopped', until: null }], campaign: { category: 'UTILITY' } }, sendTemplate()],
    ['sends an authentication template on the utility opt-in', { consent: [optIn('utility', 5)], campaign: { category: 'AUTHENTICATION' } }, sendTemplate()],
    ['skips a country the campaign blocks', { campaign: { blockedCountries: ['br'] } }, skip('country_not_allowed')],
    ['skips a country outside the campaign’s allowed list', { campaign: { allowedCountries: ['MX', 'AR'] } }, skip('country_not_allowed')],
    ['sends to a country on the allowed list, read from the number', { contact: { country: null }, campaign: { allowedCountries: ['BR'] } }, sendTemplate()],
  ] satisfies Array<[string, Overrides, Record<string, unknown>]>)('%s', (_name, overrides, expected) => {
    expect(outline(decideSend(input(overrides), now))).toEqual(expected);
  });

  it('skips marketing to a US number but sends utility to the same number', () => {
    const us = { phone: '+12025550123', country: 'US', timeZone: 'America/New_York', language: 'en' };
    expect(outline(decideSend(input({ contact: us }), now))).toEqual(skip('us_marketing'));
    expect(outline(decideSend(input({ contact: us, campaign: { category: 'UTILITY' } }), now))).toEqual(sendTemplate('en'));
  });

  it('sends marketing to a Canadian +1 number', () => {
    expect(outline(decideSend(input({ contact: { phone: '+14165550123', country: 'CA', timeZone: 'America/Toronto', language: 'en' } }), now))).toEqual(sendTemplate('en'));
  });
});

describe('decideSend: the template and its variables (steps 4–5)', () => {
  it.each([
    ['falls back to the campaign’s default language when the contact’s has no variant', { contact: { language: 'de' } }, sendTemplate('en')],
    ['falls back from pt_PT to the pt_BR variant before the default', { contact: { language: 'pt_PT' } }, sendTemplate('pt_BR')],
    ['skips when no variant is approved', { campaign: { variants: [variant('pt_BR', 'PENDING'), variant('en', 'REJECTED')] } }, skip('no_approved_template')],
    ['skips, not falls back, when the contact’s variant is paused', { campaign: { variants: [variant('pt_BR', 'PAUSED'), variant('en')] } }, skip('template_paused')],
    ['skips when the contact’s variant is disabled', { campaign: { variants: [variant('pt_BR', 'DISABLED'), variant('en')] } }, skip('template_disabled')],
    ['skips a variant with RED quality', { campaign: { variants: [variant('pt_BR', 'APPROVED', 'RED'), variant('en')] } }, skip('template_red')],
    ['skips a variant Meta recategorised since the campaign was checked', { campaign: { category: 'UTILITY', variants: [variant('pt_BR', 'APPROVED', 'GREEN', 'MARKETING')] } }, skip('category_changed')],
  ] satisfies Array<[string, Overrides, Record<string, unknown>]>)('%s', (_name, overrides, expected) => {
    expect(outline(decideSend(input(overrides), now))).toEqual(expected);
  });

  it('skips with the variable’s name when a variable has no value and no fallback', () => {
    const decision = decideSend(input({ campaign: { variableMapping: { body: { '1': { from: 'attribute', key: 'coupon' } } } } }), now);
    expect(decision).toMatchObject({ kind: 'skip', reason: 'missing_variable' });
    expect(decision.kind === 'skip' && decision.detail).toMatch(/^1: /);
  });

  it('skips a message whose hydrated body would pass 1,024 characters', () => {
    const decision = decideSend(input({ contact: { attributes: { note: 'x'.repeat(1_020) } }, campaign: { variableMapping: { body: { '1': { from: 'attribute', key: 'note' } } } } }), now);
    expect(outline(decision)).toEqual(skip('body_too_long'));
  });

  it('returns the rendered payload in the chosen language', () => {
    const decision = decideSend(input(), now);
    expect(decision).toMatchObject({ kind: 'send', template: { send: { name: 'spring_sale', languageCode: 'pt_BR', body: [{ type: 'text', text: 'Ana' }] } } });
  });
});

describe('decideSend: when it may go (steps 6–8)', () => {
  const marketingSent = (hours: number, templateName = 'other_offer') => ({ sentAt: hoursAgo(hours), templateName, category: 'MARKETING' as const });

  it('skips the same template sent to the contact within the cooldown', () => {
    expect(outline(decideSend(input({ recentMessages: [marketingSent(24 * 10, 'spring_sale')] }), now))).toEqual(skip('same_template_recently'));
  });

  it('defers a third marketing message in 7 days until the oldest leaves the window', () => {
    const decision = decideSend(input({ recentMessages: [marketingSent(24), marketingSent(24 * 6)] }), now);
    expect(outline(decision)).toEqual({ kind: 'defer', reason: 'frequency_cap', until: new Date(now.getTime() + DAY).toISOString() });
  });

  it('defers marketing until Meta’s per-user cap lets it through (131049), but not utility', () => {
    const held: SuppressionState = { reason: 'marketing_cap', until: new Date(now.getTime() + 20 * HOUR) };
    expect(outline(decideSend(input({ suppressions: [held] }), now))).toEqual({ kind: 'defer', reason: 'marketing_cap', until: held.until?.toISOString() });
    expect(outline(decideSend(input({ suppressions: [held], campaign: { category: 'UTILITY' } }), now))).toEqual(sendTemplate());
  });

  it('defers, not skips, a message in the contact’s quiet hours to 09:00 their time the next morning', () => {
    const lateEvening = new Date('2026-06-11T01:30:00Z'); // 22:30 in São Paulo
    expect(outline(decideSend(input(), lateEvening))).toEqual({ kind: 'defer', reason: 'quiet_hours', until: '2026-06-11T12:00:00.000Z' });
  });

  it('reads quiet hours in the contact’s zone: 22:00 in Berlin defers a Berlin contact while São Paulo is at 17:00', () => {
    const berlin = { phone: '+4915123456789', country: 'DE', timeZone: 'Europe/Berlin', language: 'en' };
    const at = new Date('2026-06-10T20:00:00Z');
    expect(outline(decideSend(input({ contact: berlin }), at))).toEqual({ kind: 'defer', reason: 'quiet_hours', until: '2026-06-11T07:00:00.000Z' });
    expect(outline(decideSend(input(), at))).toEqual(sendTemplate());
  });

  it('skips rather than defers a contact who is both opted out and in quiet hours', () => {
    expect(outline(decideSend(input({ consent: [optOut('marketing', 1)] }), new Date('2026-06-11T01:30:00Z')))).toEqual(skip('opted_out'));
  });

  it('defers until the oldest counted recipient leaves the 24 h window when the portfolio’s messaging limit is reached', () => {
    const decision = decideSend(input({ messagingBudget: { usersPer24h: 250, safetyMargin: 0.9, reachedUsers: 225, contactAlreadyCounted: false, oldestCountedAt: hoursAgo(20) } }), now);
    expect(outline(decision)).toEqual({ kind: 'defer', reason: 'messaging_limit', until: new Date(now.getTime() + 4 * HOUR).toISOString() });
  });

  it('does not count a contact already reached in the window against the limit again', () => {
    const decision = decideSend(input({ messagingBudget: { usersPer24h: 250, safetyMargin: 0.9, reachedUsers: 225, contactAlreadyCounted: true, oldestCountedAt: hoursAgo(20) } }), now);
    expect(decision).toMatchObject({ kind: 'send', via: 'template', countsAgainstMessagingLimit: false });
  });

  it('does not hold back a contact inside their service window when the limit is reached', () => {
    const decision = decideSend(input({ serviceWindow: { lastInboundAt: hoursAgo(3), lastReferralAt: null }, messagingBudget: { usersPer24h: 250, safetyMargin: 0.9, reachedUsers: 225, contactAlreadyCounted: false, oldestCountedAt: hoursAgo(20) } }), now);
    expect(decision).toMatchObject({ kind: 'send', via: 'template', countsAgainstMessagingLimit: false });
  });
});

describe('decideSend: session or template (step 10)', () => {
  const withSession = { campaign: { sessionText: 'Oi! A promoção de primavera começou.' } };

  it('sends the session variant inside the 24 h window and the template outside it', () => {
    expect(decideSend(input({ ...withSession, serviceWindow: { lastInboundAt: hoursAgo(3), lastReferralAt: null } }), now)).toMatchObject({ kind: 'send', via: 'session', text: 'Oi! A promoção de primavera começou.', countsAgainstMessagingLimit: false });
    expect(decideSend(input({ ...withSession, serviceWindow: { lastInboundAt: hoursAgo(30), lastReferralAt: null } }), now)).toMatchObject({ kind: 'send', via: 'template', countsAgainstMessagingLimit: true });
  });

  it('sends the template inside the window when the campaign has no session variant', () => {
    expect(decideSend(input({ serviceWindow: { lastInboundAt: hoursAgo(3), lastReferralAt: null } }), now)).toMatchObject({ kind: 'send', via: 'template' });
  });

  it('still renders the template with a session send, for the dispatcher to fall back on after 131047', () => {
    expect(decideSend(input({ ...withSession, serviceWindow: { lastInboundAt: hoursAgo(3), lastReferralAt: null } }), now)).toMatchObject({ via: 'session', template: { send: { name: 'spring_sale' } } });
  });

  it('prices an in-window session message free before 2026-10-01 and charged from then on', () => {
    const october = new Date('2026-10-07T15:00:00Z');
    const inWindow = (at: Date) => input({ ...withSession, serviceWindow: { lastInboundAt: new Date(at.getTime() - 3 * HOUR), lastReferralAt: null } });
    expect(decideSend(inWindow(now), now)).toMatchObject({ via: 'session', pricing: { rate: 'utility', charged: false } });
    expect(decideSend(inWindow(october), october)).toMatchObject({ via: 'session', pricing: { rate: 'utility', charged: true } });
  });
});
