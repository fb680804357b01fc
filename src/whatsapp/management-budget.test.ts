// Pins how Meta's usage headers turn into a wait before the next management call (whatsapp-rules.md §2).
// Pure unit tests: headers are plain objects, time is a parameter, nothing sleeps.
import { describe, expect, it } from 'vitest';
import { EMPTY_MANAGEMENT_USAGE, parseUsageHeaders, planManagementDelay, recordManagementAnswer, type ManagementUsage } from './management-budget.ts';

const AT = new Date('2026-09-01T12:00:00Z');
const MINUTE_MS = 60_000;
const headers = (values: Record<string, string>) => ({ get: (name: string) => values[name.toLowerCase()] ?? null });
const appUsage = (callCount: number, totalTime = 0, totalCputime = 0) => JSON.stringify({ call_count: callCount, total_time: totalTime, total_cputime: totalCputime });
const businessUsage = (entry: Record<string, number | string>) => JSON.stringify({ '102290129340398': [{ type: 'whatsapp_business_management', ...entry }] });
const observe = (values: Record<string, string>, errorCode: number | null = null, at = AT): ManagementUsage => recordManagementAnswer(EMPTY_MANAGEMENT_USAGE, { headers: headers(values), errorCode, at });

describe('parseUsageHeaders', () => {
  it('reads X-App-Usage percentages and X-Business-Use-Case-Usage entries keyed by business id', () => {
    const parsed = parseUsageHeaders(headers({ 'x-app-usage': appUsage(28, 25, 12), 'x-business-use-case-usage': businessUsage({ call_count: 96, total_time: 10, total_cputime: 5, estimated_time_to_regain_access: 7 }) }), AT);
    expect(parsed.app).toEqual({ callCount: 28, totalTime: 25, totalCputime: 12, observedAt: AT });
    expect(parsed.business).toEqual([{ businessId: '102290129340398', type: 'whatsapp_business_management', callCount: 96, totalTime: 10, totalCputime: 5, regainAccessMinutes: 7, observedAt: AT }]);
  });

  it.each([
    ['missing headers', {}],
    ['malformed JSON', { 'x-app-usage': '{call_count:', 'x-business-use-case-usage': 'nope' }],
    ['JSON of the wrong shape', { 'x-app-usage': '[1,2]', 'x-business-use-case-usage': '{"1":"x"}' }],
  ])('treats %s as unknown usage instead of failing the call', (_case, values) => {
    expect(parseUsageHeaders(headers(values), AT)).toEqual({ app: null, business: [] });
  });
});

describe('planManagementDelay', () => {
  it.each([
    ['no usage known', {}, 0],
    ['app usage under 90%', { 'x-app-usage': appUsage(89, 50, 70) }, 0],
    // Each percent of a rolling hour frees up in 36 s; at 90% the client waits for one percent.
    ['app call_count at 90%', { 'x-app-usage': appUsage(90) }, 36_000],
    ['app total_time at 95% (the highest share counts)', { 'x-app-usage': appUsage(10, 95, 20) }, 6 * 36_000],
    ['business call_count at 100%', { 'x-business-use-case-usage': businessUsage({ call_count: 100 }) }, 11 * 36_000],
    ['a share far over 100% (capped at one hour)', { 'x-app-usage': appUsage(400) }, 60 * MINUTE_MS],
    ['estimated_time_to_regain_access of 5 minutes', { 'x-business-use-case-usage': businessUsage({ call_count: 20, estimated_time_to_regain_access: 5 }) }, 5 * MINUTE_MS],
    ['a regain time longer than the share wait (the longer wins)', { 'x-business-use-case-usage': businessUsage({ call_count: 100, estimated_time_to_regain_access: 30 }) }, 30 * MINUTE_MS],
  ])('waits the right time for %s', (_case, values, expectedMs) => {
    expect(planManagementDelay(observe(values), AT)).toBe(expectedMs);
  });

  it('counts the wait from when the usage was reported, not from now', () => {
    const usage = observe({ 'x-business-use-case-usage': businessUsage({ estimated_time_to_regain_access: 5 }) });
    expect(planManagementDelay(usage, new Date(AT.getTime() + 2 * MINUTE_MS))).toBe(3 * MINUTE_MS);
    expect(planManagementDelay(usage, new Date(AT.getTime() + 6 * MINUTE_MS))).toBe(0);
  });

  it.each([4, 80007])('treats a %i answer without usage headers as a full budget (100%%)', (code) => {
    expect(planManagementDelay(observe({}, code), AT)).toBe(11 * 36_000);
  });

  it('ignores error codes that are not rate limits', () => {
    expect(planManagementDelay(observe({}, 100), AT)).toBe(0);
  });
});

describe('recordManagementAnswer', () => {
  it('replaces older figures for the same business and keeps the others, so one WABA cannot erase another’s wait', () => {
    const first = observe({ 'x-business-use-case-usage': JSON.stringify({ A: [{ call_count: 10, estimated_time_to_regain_access: 10 }], B: [{ call_count: 50 }] }) });
    const later = new Date(AT.getTime() + MINUTE_MS);
    const next = recordManagementAnswer(first, { headers: headers({ 'x-business-use-case-usage': JSON.stringify({ B: [{ call_count: 5 }] }) }), errorCode: null, at: later });
    expect(next.business.map((usage) => [usage.businessId, usage.callCount, usage.regainAccessMinutes])).toEqual([
      ['A', 10, 10],
      ['B', 5, 0],
    ]);
    expect(planManagementDelay(next, later)).toBe(9 * MINUTE_MS);
  });

  it('keeps the last app usage when an answer carries no X-App-Usage header', () => {
    const first = observe({ 'x-app-usage': appUsage(95) });
    expect(recordManagementAnswer(first, { headers: headers({}), errorCode: null, at: AT }).app?.callCount).toBe(95);
  });
});
