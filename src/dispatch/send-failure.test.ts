// Pins what a refused send does (product.md, Errors by class; whatsapp-rules.md §3.2): Meta's error turned
// into the message's outcome, the recipient's suppression, the sender's slow-down and the campaign's pause,
// following the retry policies of domain/send-errors.ts. Pure unit tests: no clock, no database.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MARKETING_CAP_MAX_ATTEMPTS, MARKETING_CAP_RETRY_DELAY_MS, PAIR_RATE_RETRY, backoffDelayMs, classifySendError } from '../domain/send-errors.ts';
import type { SendFailed } from '../ports.ts';
import { consequenceOf, type FailureConsequence } from './send-failure.ts';

const now = new Date('2026-06-10T12:00:00Z');
const at = (ms: number) => new Date(now.getTime() + ms);
const SECOND = 1_000;
const DAY = 24 * 60 * 60 * SECOND;
const CAMPAIGN_ID = 42;

function metaError(code: number, details: string | null = null, httpStatus = 400): SendFailed {
  return { ok: false, error: { code, title: null, message: `error ${code}`, details }, httpStatus, networkFailure: false, message: `(#${code}) refused`, route: 'cloud_api' };
}
const serverError = (httpStatus = 500): SendFailed => ({ ok: false, error: null, httpStatus, networkFailure: false, message: `HTTP ${httpStatus}`, route: 'cloud_api' });
const networkFailure = (error: SendFailed['error'] = null): SendFailed => ({ ok: false, error, httpStatus: null, networkFailure: true, message: 'socket hang up', route: 'cloud_api' });

type Context = Parameters<typeof consequenceOf>[1];
function consequence(failure: SendFailed, context: Partial<Context> = {}): FailureConsequence {
  return consequenceOf(failure, { attempts: 0, via: 'template', campaignId: CAMPAIGN_ID, now, random: () => 0.5, ...context });
}

/** The retry policy send-errors.ts gives a failure, as a back-off (the tests below read their numbers from it). */
function backoffPolicyOf(failure: SendFailed) {
  const decision = classifySendError({ code: failure.error?.code ?? null, details: failure.error?.details ?? null, httpStatus: failure.httpStatus });
  if (decision.retry.kind !== 'backoff') throw new Error(`expected a back-off policy, got ${decision.retry.kind}`);
  return decision.retry;
}

const RESUME = `greenlight campaigns resume ${CAMPAIGN_ID}`;

describe('130429, the sender over its throughput', () => {
  const policy = backoffPolicyOf(metaError(130429));

  it('defers the message by the back-off and slows the sender until the same moment', () => {
    const result = consequence(metaError(130429), { random: () => 1 });
    expect(result.effect).toMatchObject({ kind: 'message', outcome: 'deferred', reason: 'retry', dueAt: at(backoffDelayMs(policy, 1)) });
    expect(result.slowSenderUntil).toEqual(at(backoffDelayMs(policy, 1)));
    expect(result).toMatchObject({ suppress: null, pause: null, code: 130429 });
  });

  it('backs off longer with each try, and says which try it was', () => {
    const result = consequence(metaError(130429), { attempts: 3, random: () => 1 });
    expect(result.effect).toMatchObject({ outcome: 'deferred', dueAt: at(backoffDelayMs(policy, 4)), detail: expect.stringContaining(`try 4 of ${policy.maxAttempts}`) as string });
  });

  it('fails the message once the policy’s last attempt is refused, without slowing the sender further', () => {
    expect(consequence(metaError(130429), { attempts: policy.maxAttempts - 2 }).effect).toMatchObject({ outcome: 'deferred' });
    const last = consequence(metaError(130429), { attempts: policy.maxAttempts - 1 });
    expect(last.effect).toMatchObject({ kind: 'message', outcome: 'failed', reason: 'error_130429' });
    expect(last.slowSenderUntil).toBeNull();
  });
});

describe('131056, too many messages to one recipient', () => {
  it.each([0, 1, 2, 3, 4].map((attempts) => [attempts, [1, 4, 16, 64, 256][attempts]!] as const))('defers the message after %i earlier sends by %i s (4^n s, §2), for this recipient only', (attempts, seconds) => {
    const result = consequence(metaError(131056), { attempts, random: () => 0 });
    expect(result.effect).toMatchObject({ kind: 'message', outcome: 'deferred', reason: 'pair_rate', dueAt: at(seconds * SECOND) });
    expect(result).toMatchObject({ slowSenderUntil: null, suppress: null, pause: null });
  });

  it('fails the message after the last of PAIR_RATE_RETRY’s attempts', () => {
    expect(consequence(metaError(131056), { attempts: PAIR_RATE_RETRY.maxAttempts - 1 }).effect).toMatchObject({ outcome: 'failed', reason: 'error_131056' });
  });
});

describe('codes about the recipient', () => {
  it('fails 131026 and suppresses the recipient for everything, for good', () => {
    const result = consequence(metaError(131026));
    expect(result.effect).toMatchObject({ kind: 'message', outcome: 'failed', reason: 'error_131026' });
    expect(result.suppress).toEqual({ reason: 'undeliverable', scope: 'all', until: null });
  });

  it('fails 131050 and suppresses marketing only, until the recipient resumes', () => {
    const result = consequence(metaError(131050));
    expect(result.effect).toMatchObject({ outcome: 'failed', reason: 'error_131050' });
    expect(result.suppress).toEqual({ reason: 'marketing_stopped', scope: 'marketing', until: null });
  });

  it('fails 130403 and suppresses the blocked recipient', () => {
    const result = consequence(metaError(130403));
    expect(result.effect).toMatchObject({ outcome: 'failed' });
    expect(result.suppress).toEqual({ reason: 'blocked', scope: 'all', until: null });
  });

  it('defers 131049 by no less than 24 h (§8.3) and holds the recipient’s marketing for 24 h', () => {
    const result = consequence(metaError(131049), { random: () => 0 });
    expect(result.effect).toMatchObject({ kind: 'message', outcome: 'deferred', reason: 'marketing_cap' });
    expect(result.effect.kind === 'message' && result.effect.outcome === 'deferred' && result.effect.dueAt.getTime() - now.getTime()).toBeGreaterThanOrEqual(MARKETING_CAP_RETRY_DELAY_MS);
    expect(result.suppress).toEqual({ reason: 'marketing_cap', scope: 'marketing', until: at(DAY) });
  });

  it('fails 131049 after MARKETING_CAP_MAX_ATTEMPTS sends, still holding the recipient’s marketing for 24 h', () => {
    expect(consequence(metaError(131049), { attempts: MARKETING_CAP_MAX_ATTEMPTS - 2 }).effect).toMatchObject({ outcome: 'deferred' });
    const last = consequence(metaError(131049), { attempts: MARKETING_CAP_MAX_ATTEMPTS - 1 });
    expect(last.effect).toMatchObject({ outcome: 'failed', reason: 'error_131049' });
    expect(last.suppress).toEqual({ reason: 'marketing_cap', scope: 'marketing', until: at(DAY) });
  });

  it('resends a session message refused with 131047 as the template, at once', () => {
    expect(consequence(metaError(131047), { via: 'session' }).effect).toEqual({ kind: 'resend_as_template' });
  });

  it('fails a template refused with 131047 instead of resending it', () => {
    expect(consequence(metaError(131047), { via: 'template' }).effect).toMatchObject({ kind: 'message', outcome: 'failed', reason: 'error_131047' });
  });

  it.each([
    [130472, 'meta_refused_recipient'],
    [131021, 'meta_refused_recipient'],
    [130497, 'country_not_allowed'],
  ])('skips the recipient for this campaign on %i, without suppressing them', (code, reason) => {
    const result = consequence(metaError(code));
    expect(result.effect).toMatchObject({ kind: 'message', outcome: 'skipped', reason });
    expect(result.suppress).toBeNull();
  });
});

describe('stops', () => {
  it.each([132015, 132016, 132007])('pauses the campaign on template code %i, telling the user to fix the template and resume', (code) => {
    const result = consequence(metaError(code));
    expect(result.pause).toMatchObject({ scope: 'campaign', detail: expect.stringContaining(String(code)) as string, action: expect.stringContaining(RESUME) as string });
  });

  it.each([132015, 132016, 131048, 368])('parks the message on %i instead of failing it, so it goes once the pause is lifted', (code) => {
    expect(consequence(metaError(code)).effect).toMatchObject({ kind: 'message', outcome: 'deferred', reason: 'campaign_paused' });
  });

  it.each([131048, 33])('pauses every campaign of the sender on %i', (code) => {
    expect(consequence(metaError(code)).pause).toMatchObject({ scope: 'sender', action: expect.stringContaining(RESUME) as string });
  });

  it.each([368, 131031, 0])('pauses every campaign of the account on %i', (code) => {
    expect(consequence(metaError(code)).pause).toMatchObject({ scope: 'account', action: expect.stringContaining(RESUME) as string });
  });

  it('neither suppresses the recipient nor slows the sender when it pauses', () => {
    expect(consequence(metaError(131048))).toMatchObject({ suppress: null, slowSenderUntil: null });
  });
});

describe('failures that are never retried', () => {
  it('marks a send with no answer from Meta as unknown, never retried, since it may have reached Meta', () => {
    const result = consequence(networkFailure());
    expect(result.effect).toEqual({ kind: 'message', outcome: 'unknown', reason: 'send_outcome_unknown', detail: expect.stringContaining('socket hang up') as string });
    expect(result).toMatchObject({ suppress: null, slowSenderUntil: null, pause: null });
  });

  it('does not trust a retryable code on a send that got no answer: still unknown, not deferred', () => {
    expect(consequence(networkFailure({ code: 130429, title: null, message: null, details: null })).effect).toMatchObject({ outcome: 'unknown' });
  });

  it('fails a code Greenlight does not know, naming it', () => {
    expect(consequence(metaError(999_999))).toMatchObject({ effect: { kind: 'message', outcome: 'failed', reason: 'error_999999' }, code: 999_999, pause: null, suppress: null });
  });

  it('fails a payload error (132000) at once', () => {
    expect(consequence(metaError(132000)).effect).toMatchObject({ outcome: 'failed', reason: 'error_132000' });
  });
});

describe('a server error without a code', () => {
  const policy = backoffPolicyOf(serverError());

  it('retries a 500 with back-off, without slowing the sender', () => {
    const result = consequence(serverError(), { random: () => 1 });
    expect(result.effect).toMatchObject({ kind: 'message', outcome: 'deferred', reason: 'retry', dueAt: at(backoffDelayMs(policy, 1)) });
    expect(result.slowSenderUntil).toBeNull();
  });

  it('fails the message as send_failed after the policy’s last attempt', () => {
    expect(consequence(serverError(), { attempts: policy.maxAttempts - 2 }).effect).toMatchObject({ outcome: 'deferred' });
    expect(consequence(serverError(), { attempts: policy.maxAttempts - 1 })).toMatchObject({ effect: { outcome: 'failed', reason: 'send_failed' }, code: null });
  });
});

describe('134101 and 131009 "sync": Meta still syncing the template (§5.1), retried not before 10 min', () => {
  it.each([
    ['134101', metaError(134101)],
    ['131009 with "sync" in its details', metaError(131009, 'Ad sync not complete')],
  ] as const)('defers the message on %s by 10 min instead of failing it', (_name, failure) => {
    expect(consequence(failure).effect).toMatchObject({ kind: 'message', outcome: 'deferred', dueAt: at(10 * 60 * SECOND) });
  });
});

describe('jitter', () => {
  const jittered = [
    ['130429', metaError(130429)],
    ['a 500', serverError()],
    ['131016', metaError(131016)],
  ] as const;

  it.each(jittered)('waits half the back-off for %s when random() is 0', (_name, failure) => {
    const policy = backoffPolicyOf(failure);
    expect(consequence(failure, { random: () => 0 }).effect).toMatchObject({ dueAt: at(backoffDelayMs(policy, 1) / 2) });
  });

  it.each(jittered)('waits almost the full back-off for %s when random() is nearly 1', (_name, failure) => {
    const d = backoffDelayMs(backoffPolicyOf(failure), 1);
    const result = consequence(failure, { random: () => 1 - Number.EPSILON });
    if (result.effect.kind !== 'message' || result.effect.outcome !== 'deferred') throw new Error('expected a deferral');
    expect(result.effect.dueAt.getTime() - now.getTime()).toBeGreaterThanOrEqual(d - 1);
    expect(result.effect.dueAt.getTime() - now.getTime()).toBeLessThanOrEqual(d);
  });

  it('keeps every jittered delay within [d/2, d] of the policy’s delay d, for any try and any random()', () => {
    fc.assert(
      fc.property(fc.constantFrom(...jittered.map(([, failure]) => failure)), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), fc.nat({ max: 20 }), (failure, random, attempts) => {
        const policy = backoffPolicyOf(failure);
        fc.pre(attempts + 1 < policy.maxAttempts);
        const result = consequence(failure, { attempts, random: () => random });
        if (result.effect.kind !== 'message' || result.effect.outcome !== 'deferred') throw new Error('expected a deferral');
        const delay = result.effect.dueAt.getTime() - now.getTime();
        const d = backoffDelayMs(policy, attempts + 1);
        expect(delay).toBeGreaterThanOrEqual(Math.floor(d / 2));
        expect(delay).toBeLessThanOrEqual(d);
      }),
    );
  });

  it('adds no jitter to 131056: Meta’s 4^n s are waited in full', () => {
    expect(consequence(metaError(131056), { attempts: 2, random: () => 0 }).effect).toMatchObject({ dueAt: at(16 * SECOND) });
  });
});
