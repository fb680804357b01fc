// Pins how the WABA-level fields become domain events (whatsapp-rules.md §1.4, §4.1, §4.5b): template
// status, quality and category, phone quality, capabilities and account signals, including the shapes
// Meta documents inconsistently. Goes through parseWebhook, the only entry point callers use.
import { describe, expect, it } from 'vitest';
import type { WhatsAppEvent } from '../domain/whatsapp-events.ts';
import { parseWebhook } from './webhook.ts';

const WABA = '102290129340398';
const TIME = 1751247548;

function eventsOf(field: string, value: unknown, time: number | null = TIME): WhatsAppEvent[] {
  const entry = time === null ? { id: WABA, changes: [{ field, value }] } : { id: WABA, time, changes: [{ field, value }] };
  const result = parseWebhook({ object: 'whatsapp_business_account', entry: [entry] });
  if (!result.ok) throw new Error(result.reason);
  return result.events;
}
function one<T extends WhatsAppEvent['kind']>(kind: T, field: string, value: unknown): Extract<WhatsAppEvent, { kind: T }> {
  const events = eventsOf(field, value);
  expect(events).toMatchObject([{ kind }]);
  return events[0] as Extract<WhatsAppEvent, { kind: T }>;
}
const unhandledReason = (field: string, value: unknown, time?: number | null) => {
  const events = eventsOf(field, value, time);
  expect(events).toMatchObject([{ kind: 'unhandled', field }]);
  return (events[0] as Extract<WhatsAppEvent, { kind: 'unhandled' }>).reason;
};
const template = { message_template_id: 1689556908129835, message_template_name: 'abandoned_cart', message_template_language: 'en-US' };
const statusUpdate = (extra: Record<string, unknown>) => ({ ...template, event: 'DISABLED', reason: null, ...extra });

describe('template webhooks', () => {
  it.each([
    ['en-US', 'en_US'],
    ['pt-BR', 'pt_BR'],
    ['es_MX', 'es_MX'],
    ['en', 'en'],
    ['not a tag!', 'not a tag!'],
  ])('writes the language %s as %s, the form the send API needs (§4.4)', (wire, domain) => {
    expect(one('template_status', 'message_template_status_update', statusUpdate({ message_template_language: wire })).language).toBe(domain);
  });

  it('reads a template id written as a string or as a number to the same digits', () => {
    const asString = one('template_status', 'message_template_status_update', statusUpdate({ message_template_id: '1689556908129835' }));
    expect(asString.templateId).toBe(one('template_status', 'message_template_status_update', statusUpdate({})).templateId);
  });

  it('keeps a template id past 2^53 as unhandled: JSON.parse has already turned it into another template', () => {
    expect(unhandledReason('message_template_status_update', statusUpdate({ message_template_id: 2 ** 53 + 2 }))).toContain('message_template_id');
  });

  it.each([
    ['unix seconds as a number', 1751234563, new Date(1751234563 * 1_000)],
    ['unix seconds as a string', '1751234563', new Date(1751234563 * 1_000)],
    ['a human date', 'April 17, 2025', null],
  ])('reads disable_info.disable_date given as %s, and never drops the DISABLED event over it', (_name, disableDate, expected) => {
    const event = one('template_status', 'message_template_status_update', statusUpdate({ disable_info: { disable_date: disableDate }, other_info: { title: 'DISABLED' } }));
    expect(event).toMatchObject({ status: 'DISABLED', pauseTitle: 'DISABLED', disableDate: expected });
  });

  it('keeps a template event without entry.time as unhandled: it has no other instant to be dated by', () => {
    expect(unhandledReason('message_template_status_update', statusUpdate({}), null)).toContain('entry.time');
  });

  it('reads a category notice with only new_category as a completed change (pywa fixture shape)', () => {
    expect(one('template_category', 'template_category_update', { ...template, new_category: 'MARKETING' })).toMatchObject({
      stage: 'completed',
      previousCategory: null,
      newCategory: 'MARKETING',
      correctCategory: null,
      effectiveAt: new Date(TIME * 1_000),
    });
  });

  it('reads an impending change as current → correct_category, not as Meta’s confusing new_category', () => {
    const value = { ...template, new_category: 'UTILITY', correct_category: 'MARKETING', category_update_timestamp: 1746169200 };
    expect(one('template_category', 'template_category_update', value)).toMatchObject({ stage: 'impending', previousCategory: 'UTILITY', newCategory: 'MARKETING', effectiveAt: new Date(1746169200 * 1_000) });
  });

  it('reads a quality update without a previous score', () => {
    expect(one('template_quality', 'message_template_quality_update', { ...template, new_quality_score: 'UNKNOWN' })).toMatchObject({ previousScore: null, newScore: 'UNKNOWN' });
  });
});

describe('phone quality and capability webhooks (§1.4)', () => {
  it('prefers max_daily_conversations_per_business to current_limit, which Meta removed in Feb 2026', () => {
    const value = { display_phone_number: '15550783881', event: 'ONBOARDING', current_limit: 'TIER_250', max_daily_conversations_per_business: 'TIER_2K' };
    expect(one('phone_quality', 'phone_number_quality_update', value)).toMatchObject({ currentLimit: { tier: 'TIER_2K', usersPer24h: 2_000 }, previousLimit: null });
  });

  it('reads a quality event with no limit at all as null limits', () => {
    expect(one('phone_quality', 'phone_number_quality_update', { display_phone_number: '15550783881', event: 'UNFLAGGED' })).toMatchObject({ currentLimit: null, previousLimit: null });
  });

  it('prefers the current per-business capability to the legacy per-phone one', () => {
    const value = { max_daily_conversations_per_business: 'TIER_100K', max_daily_conversation_per_phone: 10000 };
    expect(one('business_capability', 'business_capability_update', value)).toMatchObject({ messagingLimit: { tier: 'TIER_100K', usersPer24h: 100_000 }, maxPhoneNumbersPerWaba: null });
  });

  it.each([
    ['phone_number_quality_update', { display_phone_number: '15550783881', event: 'UPGRADE', current_limit: 'TIER_LOTS' }],
    ['phone_number_quality_update', { display_phone_number: '15550783881', event: 'UPGRADE', current_limit: 'TIER_2K', old_limit: 0 }],
    ['business_capability_update', { max_daily_conversations_per_business: 'SOMETHING' }],
  ])('keeps a %s whose limit cannot be read as unhandled, instead of "no limit information"', (field, value) => {
    expect(unhandledReason(field, value)).toContain('unreadable messaging limit');
  });
});

describe('account webhooks', () => {
  it('reads a ban state written as a string (Meta) or as a list (some SDKs)', () => {
    expect(one('account_update', 'account_update', { event: 'DISABLED_UPDATE', ban_info: { waba_ban_state: 'SCHEDULE_FOR_DISABLE', waba_ban_date: 'April 17, 2025' } }).banState).toBe('SCHEDULE_FOR_DISABLE');
    expect(one('account_update', 'account_update', { event: 'DISABLED_UPDATE', ban_info: { waba_ban_state: ['DISABLE'] } }).banState).toBe('DISABLE');
  });

  it('reads a restriction without an expiration as expiresAt null, and a violation type', () => {
    const value = { event: 'ACCOUNT_VIOLATION', restriction_info: [{ restriction_type: 'RESTRICTED_UTILITY_TEMPLATES' }], violation_info: { violation_type: 'ADULT' } };
    expect(one('account_update', 'account_update', value)).toMatchObject({ restrictions: [{ type: 'RESTRICTED_UTILITY_TEMPLATES', expiresAt: null }], violationType: 'ADULT' });
  });

  it('keeps an account update whose restriction expiry is not unix seconds as unhandled', () => {
    expect(unhandledReason('account_update', { event: 'ACCOUNT_RESTRICTION', restriction_info: [{ restriction_type: 'X', expiration: 'soon' }] })).toContain('expiration');
  });

  it('reads an alert with a numeric entity id and no alert_info', () => {
    expect(one('account_alert', 'account_alerts', { entity_type: 'PHONE_NUMBER', entity_id: 106540352242922 })).toMatchObject({ entityId: '106540352242922', severity: null, alertType: null });
  });
});
