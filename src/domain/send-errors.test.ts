// Guards the send-error table against drift from whatsapp-rules.md §3.2 and pins the retry behaviour
// of each action class. Pure unit tests: no clock, no database, no network.
import { describe, expect, it } from 'vitest';
import {
  ACTION_CLASSES,
  KNOWN_META_ERROR_CODES,
  MARKETING_CAP_MAX_ATTEMPTS,
  META_ERROR_CODE_RANGES,
  PAIR_RATE_RETRY,
  backoffDelayMs,
  classifySendError,
  isKnownMetaErrorCode,
  pairRateRetryDelayMs,
  type ActionClass,
  type MetaErrorInput,
} from './send-errors.ts';

const DAY_MS = 24 * 60 * 60 * 1_000;

/**
 * Every code of whatsapp-rules.md §3.2, copied by hand from the document with its action letter, and the
 * class Greenlight gives it. Ranges are sampled at both ends and inside. Deleting a row from the code
 * table, or changing its class, fails a test here.
 */
const SECTION_3_2_CODES: ReadonlyArray<readonly [code: number, letter: string, action: ActionClass]> = [
  [0, 'K', 'stop_account'],
  [1, 'T then F', 'server_error'],
  [2, 'T', 'retry_backoff'],
  [3, 'K', 'stop_account'],
  [4, 'T', 'retry_backoff'],
  [10, 'K', 'stop_account'],
  [33, 'K', 'stop_sender'],
  [100, 'F', 'fix_payload'],
  [190, 'K', 'stop_account'],
  [200, 'K', 'stop_account'],
  [250, 'K', 'stop_account'],
  [299, 'K', 'stop_account'],
  [368, 'K', 'stop_account'],
  [80007, 'T', 'retry_backoff'],
  [130403, 'R', 'act_on_recipient'],
  [130429, 'T', 'retry_backoff'],
  [130472, 'R', 'act_on_recipient'],
  [130497, 'K for that country', 'act_on_recipient'],
  [131000, 'T bounded', 'server_error'],
  [131005, 'K', 'stop_account'],
  [131008, 'F', 'fix_payload'],
  [131009, 'F', 'fix_payload'],
  [131016, 'T', 'retry_backoff'],
  [131021, 'R', 'act_on_recipient'],
  [131026, 'R', 'act_on_recipient'],
  [131031, 'K', 'stop_account'],
  [131037, 'K', 'stop_sender'],
  [131042, 'K', 'stop_account'],
  [131045, 'K', 'stop_sender'],
  [131047, 'R', 'act_on_recipient'],
  [131048, 'K', 'stop_sender'],
  [131049, 'R', 'act_on_recipient'],
  [131050, 'R', 'act_on_recipient'],
  [131051, 'F', 'fix_payload'],
  [131052, 'n/a (inbound)', 'fix_payload'],
  [131053, 'F', 'fix_payload'],
  [131055, 'F', 'fix_payload'],
  [131056, 'R', 'act_on_recipient'],
  [131057, 'T', 'retry_backoff'],
  [131063, 'F', 'fix_payload'],
  [131064, 'K', 'stop_account'],
  [132000, 'F', 'fix_payload'],
  [132001, 'F', 'fix_payload'],
  [132005, 'F', 'fix_payload'],
  [132007, 'S', 'stop_template'],
  [132012, 'F', 'fix_payload'],
  [132015, 'S', 'stop_template'],
  [132016, 'S', 'stop_template'],
  [132018, 'F', 'fix_payload'],
  [132068, 'F', 'fix_payload'],
  [132069, 'F', 'fix_payload'],
  [133000, 'K', 'stop_sender'],
  [133004, 'T', 'retry_backoff'],
  [133007, 'K', 'stop_sender'],
  [133010, 'K', 'stop_sender'],
  [133015, 'K', 'stop_sender'],
  [133016, 'K', 'stop_sender'],
  [134011, 'K', 'stop_account'],
  [134100, 'F', 'fix_payload'],
  [134101, 'T after 10 min', 'retry_backoff'],
  [134102, 'K', 'stop_template'],
  [135000, 'F', 'fix_payload'],
  [137000, 'R', 'act_on_recipient'],
  [2388019, 'F', 'fix_payload'],
  [2388040, 'F', 'fix_payload'],
  [2388047, 'F', 'fix_payload'],
  [2388072, 'F', 'fix_payload'],
  [2388073, 'F', 'fix_payload'],
  [2388293, 'F', 'fix_payload'],
  [2388299, 'F', 'fix_payload'],
  [141000, 'K', 'stop_account'],
  [141006, 'K', 'stop_account'],
  [141010, 'K', 'stop_account'],
  [141014, 'K', 'stop_account'],
  [141999, 'K', 'stop_account'],
];

describe('classifySendError: the guarantees per code', () => {
  it.each<[string, MetaErrorInput, Record<string, unknown>]>([
    ['never retries an unknown code', { code: 999_999 }, { action: 'unknown', code: 999_999, retry: { kind: 'never' } }],
    ['never retries an unknown code even when Meta answers with a 4xx', { code: 555_555, httpStatus: 400 }, { action: 'unknown', retry: { kind: 'never' } }],
    ['backs off 130429 at the sender level', { code: 130429, httpStatus: 400 }, { action: 'retry_backoff', retryScope: 'sender', retry: { kind: 'backoff', jitter: true } }],
    ['backs off error 4 at the app level', { code: 4 }, { action: 'retry_backoff', retryScope: 'app', retry: { kind: 'backoff' } }],
    ['backs off 80007 at the WABA level', { code: 80007 }, { action: 'retry_backoff', retryScope: 'waba', retry: { kind: 'backoff' } }],
    ['backs off 131057 maintenance at the sender level', { code: 131057 }, { action: 'retry_backoff', retryScope: 'sender' }],
    ['retries 131056 for that recipient only, on the 4^n s schedule', { code: 131056 }, { action: 'act_on_recipient', recipientEffect: 'pair_rate_backoff', retry: PAIR_RATE_RETRY }],
    ['suppresses 131026 as undeliverable and never retries it', { code: 131026 }, { action: 'act_on_recipient', recipientEffect: 'suppress_undeliverable', retry: { kind: 'never' } }],
    ['reroutes 131047 to a template and never resends the free-form text', { code: 131047 }, { action: 'act_on_recipient', recipientEffect: 'reroute_to_template', retry: { kind: 'never' } }],
    ['suppresses marketing on 131050 and never retries it', { code: 131050 }, { action: 'act_on_recipient', recipientEffect: 'suppress_marketing', retry: { kind: 'never' } }],
    ['skips 130472 for this campaign only', { code: 130472 }, { action: 'act_on_recipient', recipientEffect: 'skip_for_campaign', retry: { kind: 'never' } }],
    ['suppresses a recipient the business blocked (130403)', { code: 130403 }, { action: 'act_on_recipient', recipientEffect: 'suppress_blocked' }],
    ['skips a country the account may not message (130497)', { code: 130497 }, { action: 'act_on_recipient', recipientEffect: 'country_restricted' }],
    ['stops the sender on the spam rate limit 131048', { code: 131048 }, { action: 'stop_sender', retry: { kind: 'when_unpaused' } }],
    ['stops the account on a policy block 368', { code: 368 }, { action: 'stop_account', retry: { kind: 'when_unpaused' } }],
    ['stops the account on a locked account 131031', { code: 131031 }, { action: 'stop_account' }],
    ['stops the account on template classification enforcement 131064', { code: 131064 }, { action: 'stop_account' }],
    ['stops the account when the token expired (190)', { code: 190, httpStatus: 401 }, { action: 'stop_account' }],
    ['stops the template when it is paused (132015)', { code: 132015 }, { action: 'stop_template', retry: { kind: 'when_unpaused' } }],
    ['stops the template when it is disabled (132016)', { code: 132016 }, { action: 'stop_template' }],
    ['stops the template when its content violates policy (132007)', { code: 132007 }, { action: 'stop_template' }],
    ['fails a parameter count mismatch (132000) without retrying', { code: 132000 }, { action: 'fix_payload', retry: { kind: 'never' } }],
    ['fails a parameter format mismatch (132012) without retrying', { code: 132012 }, { action: 'fix_payload', retry: { kind: 'never' } }],
    ['fails an invalid parameter (100) without retrying', { code: 100 }, { action: 'fix_payload', retry: { kind: 'never' } }],
    ['retries 1 and 131000 only a bounded number of times', { code: 131000, httpStatus: 500 }, { action: 'server_error', retry: { kind: 'backoff', maxAttempts: 3 } }],
    ['retries a 5xx without a code a bounded number of times', { code: null, httpStatus: 503 }, { action: 'server_error', code: null, retry: { kind: 'backoff', maxAttempts: 3 } }],
    ['treats a 5xx with an unknown code as a server error, not a permanent failure', { code: 424_242, httpStatus: 502 }, { action: 'server_error', code: 424_242 }],
    ['fails a 4xx without a code as unknown', { code: null, httpStatus: 400 }, { action: 'unknown', retry: { kind: 'never' } }],
    ['never resends after a network failure, because Meta may have the message', { code: null, networkFailure: true }, { action: 'network', retry: { kind: 'never' } }],
    ['keeps a network failure in its own class even if a code is attached', { code: 130429, networkFailure: true }, { action: 'network' }],
    ['decides from the code, not from the HTTP status', { code: 131049, httpStatus: 500 }, { action: 'act_on_recipient', recipientEffect: 'marketing_cap_wait_24h' }],
  ])('%s', (_name, input, expected) => {
    expect(classifySendError(input)).toMatchObject(expected);
  });

  it('retries 131049 no sooner than 24 h and at most MARKETING_CAP_MAX_ATTEMPTS times', () => {
    const decision = classifySendError({ code: 131049 });
    expect(decision).toMatchObject({ action: 'act_on_recipient', recipientEffect: 'marketing_cap_wait_24h' });
    expect(decision.retry.kind).toBe('not_before');
    if (decision.retry.kind !== 'not_before') return;
    expect(decision.retry.delayMs).toBeGreaterThanOrEqual(DAY_MS);
    expect(decision.retry.maxAttempts).toBe(MARKETING_CAP_MAX_ATTEMPTS);
    expect(MARKETING_CAP_MAX_ATTEMPTS).toBeGreaterThan(1);
  });

  it('classifies the webhook errors[] entry like the synchronous body with the same code and details', () => {
    // The webhook example of whatsapp-rules.md §3.1; title and message are not part of the input on purpose.
    const details = 'In order to maintain a healthy ecosystem engagement, the message failed to be delivered.';
    expect(classifySendError({ code: 131049, details })).toEqual(classifySendError({ code: 131049, details, httpStatus: 400 }));
  });
});

describe('classifySendError: details that change the decision', () => {
  it.each<[string, MetaErrorInput, Record<string, unknown>]>([
    ['waits for a template sync when 131009 details mention sync', { code: 131009, details: 'Template sync is not complete.' }, { action: 'retry_backoff', retryScope: 'template_sync', retry: { kind: 'not_before', delayMs: 10 * 60 * 1_000 } }],
    ['keeps 131009 without sync details as a payload to fix', { code: 131009, details: 'Parameter value is not valid' }, { action: 'fix_payload', retry: { kind: 'never' } }],
    ['keeps 131009 with no details as a payload to fix', { code: 131009, details: null }, { action: 'fix_payload' }],
    ['names the whitespace problem for 132018', { code: 132018, details: 'Param text cannot have new-line/tab characters or more than 4 consecutive spaces' }, { action: 'fix_payload', reason: expect.stringContaining('tab') }],
    ['ignores details that match another code', { code: 132000, details: 'sync' }, { action: 'fix_payload' }],
  ])('%s', (_name, input, expected) => {
    expect(classifySendError(input)).toMatchObject(expected);
  });
});

describe('the code table', () => {
  it.each(SECTION_3_2_CODES)('covers §3.2 code %i (%s) as %s', (code, _letter, action) => {
    expect(isKnownMetaErrorCode(code)).toBe(true);
    expect(classifySendError({ code }).action).toBe(action);
  });

  it.each(Object.keys(KNOWN_META_ERROR_CODES).map(Number))('classifies table code %i as something other than unknown', (code) => {
    expect(classifySendError({ code }).action).not.toBe('unknown');
  });

  it.each(META_ERROR_CODE_RANGES.map((r) => [r.fromCode, r.toCode] as const))('classifies every code of the range %i–%i', (fromCode, toCode) => {
    for (let code = fromCode; code <= toCode; code += 1) expect(classifySendError({ code }).action).not.toBe('unknown');
  });

  it('holds no code that §3.2 does not list', () => {
    const listed = new Set(SECTION_3_2_CODES.map(([code]) => code));
    const unlisted = Object.keys(KNOWN_META_ERROR_CODES).map(Number).filter((code) => !listed.has(code));
    expect(unlisted).toEqual([]);
  });

  it('does not know codes just outside the §3.2 ranges', () => {
    expect([199, 300, 133017, 140999, 142000].filter(isKnownMetaErrorCode)).toEqual([]);
  });
});

describe('every decision', () => {
  const samples: MetaErrorInput[] = [
    ...SECTION_3_2_CODES.map(([code]) => ({ code })),
    { code: null, httpStatus: 500 },
    { code: null, networkFailure: true },
    { code: 1_234_567 },
  ];

  it('reaches every action class from some input', () => {
    const reached = new Set(samples.map((input) => classifySendError(input).action));
    expect([...ACTION_CLASSES].filter((action) => !reached.has(action))).toEqual([]);
  });

  it.each(samples)('carries a readable reason and the effect its class needs (%o)', (input) => {
    const decision = classifySendError(input);
    expect(decision.reason).toMatch(/^[A-Z].{20,}\.$/);
    expect(decision.code).toBe(input.code);
    expect('recipientEffect' in decision).toBe(decision.action === 'act_on_recipient');
    expect('retryScope' in decision).toBe(decision.action === 'retry_backoff');
  });
});

describe('retry delays', () => {
  it.each([
    [1, 1_000],
    [2, 4_000],
    [3, 16_000],
    [4, 64_000],
    [5, 256_000],
  ])('waits 4^n s for the pair rate limit: failed attempt %i → %i ms', (attempt, delayMs) => {
    expect(pairRateRetryDelayMs(attempt)).toBe(delayMs);
  });

  it('never waits longer than 256 s for the pair rate limit, and never less than 1 s', () => {
    expect(pairRateRetryDelayMs(9)).toBe(256_000);
    expect(pairRateRetryDelayMs(0)).toBe(1_000);
    expect(pairRateRetryDelayMs(Number.NaN)).toBe(1_000);
  });

  it('gives up the pair rate limit after the fifth retry', () => {
    expect(PAIR_RATE_RETRY.maxAttempts).toBe(6);
  });

  it('doubles throttle backoff up to its cap', () => {
    const { retry } = classifySendError({ code: 130429 });
    if (retry.kind !== 'backoff') throw new Error('expected a backoff policy');
    const delaysMs = [1, 2, 3, 4, 20].map((attempt) => backoffDelayMs(retry, attempt));
    expect(delaysMs).toEqual([1_000, 2_000, 4_000, 8_000, retry.maxDelayMs]);
  });
});
