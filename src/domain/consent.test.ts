import { describe, expect, it } from 'vitest';
import { deriveConsent, parseConsentCategories, type ConsentEvent } from './consent.ts';

const at = (iso: string) => new Date(iso);
const event = (kind: ConsentEvent['kind'], iso: string, category: ConsentEvent['category'] = 'marketing'): ConsentEvent => ({ category, kind, occurredAt: at(iso), source: 'test', proof: kind === 'opt_in' ? 'Yes, send me offers on WhatsApp' : null });

describe('deriveConsent', () => {
  it('knows nothing about a contact with no events: no consent', () => {
    expect(deriveConsent([]).marketing).toEqual({ state: 'unknown', since: null, source: null });
  });

  it('lets an opt-out that happened after an opt-in win', () => {
    const consent = deriveConsent([event('opt_in', '2025-01-01T00:00:00Z'), event('opt_out', '2025-02-01T00:00:00Z')]);
    expect(consent.marketing.state).toBe('opted_out');
  });

  it('lets an opt-in that happened after an opt-out win (the person came back)', () => {
    const consent = deriveConsent([event('opt_out', '2025-01-01T00:00:00Z'), event('opt_in', '2025-02-01T00:00:00Z')]);
    expect(consent.marketing).toMatchObject({ state: 'opted_in', since: at('2025-02-01T00:00:00Z') });
  });

  it('orders by when events happened, not by the order they were recorded in', () => {
    const consent = deriveConsent([event('opt_out', '2025-02-01T00:00:00Z'), event('opt_in', '2025-01-01T00:00:00Z')]);
    expect(consent.marketing.state).toBe('opted_out');
  });

  it('resolves an opt-in and an opt-out at the same instant to opt-out', () => {
    expect(deriveConsent([event('opt_in', '2025-01-01T00:00:00Z'), event('opt_out', '2025-01-01T00:00:00Z')]).marketing.state).toBe('opted_out');
    expect(deriveConsent([event('opt_out', '2025-01-01T00:00:00Z'), event('opt_in', '2025-01-01T00:00:00Z')]).marketing.state).toBe('opted_out');
  });

  it('keeps categories apart: a marketing opt-out leaves utility consent as it was', () => {
    const consent = deriveConsent([event('opt_in', '2025-01-01T00:00:00Z', 'utility'), event('opt_in', '2025-01-01T00:00:00Z'), event('opt_out', '2025-03-01T00:00:00Z')]);
    expect(consent).toMatchObject({ marketing: { state: 'opted_out' }, utility: { state: 'opted_in' } });
  });
});

describe('parseConsentCategories', () => {
  it.each([
    ['marketing', ['marketing']],
    ['Utility', ['utility']],
    ['marketing|utility', ['marketing', 'utility']],
    ['utility, marketing', ['marketing', 'utility']],
    ['all', ['marketing', 'utility']],
  ])('reads "%s"', (text, expected) => {
    expect(parseConsentCategories(text)).toEqual(expected);
  });

  it.each(['', 'promotions', 'marketing,spam'])('refuses "%s" rather than guess a category', (text) => {
    expect(parseConsentCategories(text)).toBeNull();
  });
});
