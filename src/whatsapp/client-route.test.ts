// Pins the Marketing Messages API routing of whatsapp-rules.md §5.1 and §8.5: where a send starts, when one
// failed attempt is tried once on the other endpoint, and which failure is reported. Pure unit tests.
import { describe, expect, it } from 'vitest';
import type { SendRoute } from '../ports.ts';
import { chooseReportedFailure, chooseSendRoute, decideRouteFallback } from './client-route.ts';

describe('chooseSendRoute', () => {
  it.each<[string, { isTemplate: boolean; requested: SendRoute | undefined; phoneUsesMarketingMessages: boolean }, SendRoute]>([
    ['a template from a phone configured for the MM API goes to the MM API', { isTemplate: true, requested: undefined, phoneUsesMarketingMessages: true }, 'marketing_messages'],
    ['a template from any other phone goes to the Cloud API', { isTemplate: true, requested: undefined, phoneUsesMarketingMessages: false }, 'cloud_api'],
    ['an explicit marketing_messages route wins for a template', { isTemplate: true, requested: 'marketing_messages', phoneUsesMarketingMessages: false }, 'marketing_messages'],
    ['an explicit cloud_api route keeps a utility template off the MM API', { isTemplate: true, requested: 'cloud_api', phoneUsesMarketingMessages: true }, 'cloud_api'],
    ['a text message always goes to the Cloud API, because the MM API takes templates only', { isTemplate: false, requested: 'marketing_messages', phoneUsesMarketingMessages: true }, 'cloud_api'],
  ])('%s', (_case, input, expected) => {
    expect(chooseSendRoute(input)).toBe(expected);
  });
});

describe('decideRouteFallback', () => {
  it.each<[number, SendRoute, SendRoute | null]>([
    [131055, 'marketing_messages', 'cloud_api'],
    [134100, 'marketing_messages', 'cloud_api'],
    [134101, 'marketing_messages', 'cloud_api'],
    [131063, 'cloud_api', 'marketing_messages'],
    // The same codes on the other route, and codes about the message or the recipient, never switch.
    [131063, 'marketing_messages', null],
    [131055, 'cloud_api', null],
    [134102, 'marketing_messages', null],
    [131049, 'marketing_messages', null],
    [130429, 'cloud_api', null],
  ])('after error %i on %s, tries %s', (errorCode, route, expected) => {
    expect(decideRouteFallback({ route, errorCode, networkFailure: false })).toBe(expected);
  });

  it('never tries the other route after a timeout or reset, because the first send may have gone out', () => {
    expect(decideRouteFallback({ route: 'marketing_messages', errorCode: 134101, networkFailure: true })).toBeNull();
    expect(decideRouteFallback({ route: 'cloud_api', errorCode: null, networkFailure: true })).toBeNull();
  });

  it('never tries the other route after an answer without an error code (e.g. a bare HTTP 500)', () => {
    expect(decideRouteFallback({ route: 'marketing_messages', errorCode: null, networkFailure: false })).toBeNull();
  });
});

describe('chooseReportedFailure', () => {
  it('reports the MM API error when the Cloud API fallback was refused with 131063, so a 134101 still says "wait 10 minutes"', () => {
    expect(chooseReportedFailure({ route: 'marketing_messages', errorCode: 134101, networkFailure: false }, { route: 'cloud_api', errorCode: 131063, networkFailure: false })).toBe('first');
  });

  it('reports the Cloud API 131063 when the MM API fallback said "not possible here"', () => {
    expect(chooseReportedFailure({ route: 'cloud_api', errorCode: 131063, networkFailure: false }, { route: 'marketing_messages', errorCode: 134101, networkFailure: false })).toBe('first');
  });

  it('reports the fallback’s own failure when it is about the message, the recipient or the network', () => {
    expect(chooseReportedFailure({ route: 'marketing_messages', errorCode: 131055, networkFailure: false }, { route: 'cloud_api', errorCode: 131049, networkFailure: false })).toBe('second');
    expect(chooseReportedFailure({ route: 'marketing_messages', errorCode: 131055, networkFailure: false }, { route: 'cloud_api', errorCode: null, networkFailure: true })).toBe('second');
  });
});
