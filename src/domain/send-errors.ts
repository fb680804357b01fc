// Owns the one decision of what happens after a failed send: Meta error code (+ details) → action class
// and retry behaviour. Pure: it does not parse Meta's wire format, read the clock or touch storage.
import { assertNever } from '../lib/assert-never.ts';

/** What the caller must do about a failed send. Each class turns into retry behaviour in one switch below. */
export const ACTION_CLASSES = [
  'retry_backoff', // throttling or a transient fault: back off (with jitter) and retry
  'act_on_recipient', // the code says something about this recipient only (see RecipientEffect)
  'fix_payload', // our request is wrong: fail the message, show it, never retry it unchanged
  'stop_template', // pause the campaigns that use this template
  'stop_sender', // pause the campaigns of this phone number
  'stop_account', // kill switch for the WhatsApp Business Account or portfolio; needs a human
  'network', // no HTTP answer (timeout, reset): the send may have reached Meta
  'server_error', // a 5xx that carries no known code
  'unknown', // a code Greenlight does not know: fail the message, show it, never retry
] as const;
export type ActionClass = (typeof ACTION_CLASSES)[number];

/** The recipient-level consequence of an `act_on_recipient` decision (whatsapp-rules.md §12, recipient state machine). */
export const RECIPIENT_EFFECTS = [
  'suppress_undeliverable', // 131026: not reachable on WhatsApp
  'suppress_blocked', // 130403: the business blocked this user
  'suppress_marketing', // 131050: the user stopped marketing; lifted by a user_preferences `resume`
  'marketing_cap_wait_24h', // 131049: Meta's per-user marketing cap
  'reroute_to_template', // 131047: free-form outside the service window; send the template instead
  'skip_for_campaign', // 130472, 131021: skip in this campaign, no lasting suppression
  'pair_rate_backoff', // 131056: too fast to this one user; other recipients are unaffected
  'country_restricted', // 130497: the account may not message this recipient's country
  'reverify_identity', // 137000: the user's identity key changed
] as const;
export type RecipientEffect = (typeof RECIPIENT_EFFECTS)[number];

/** What a `retry_backoff` decision waits on: whose rate must slow down, or what Meta must finish first. */
export const RETRY_SCOPES = ['app', 'waba', 'sender', 'message', 'template_sync'] as const;
export type RetryScope = (typeof RETRY_SCOPES)[number];

/**
 * How (and whether) the same request may be sent again. `maxAttempts` counts every send of the
 * message including the first, so it compares directly with the outbox's `attempts` column.
 */
export type RetryPolicy =
  | { kind: 'backoff'; baseDelayMs: number; factor: number; maxDelayMs: number; maxAttempts: number; jitter: boolean }
  | { kind: 'not_before'; delayMs: number; maxAttempts: number }
  | { kind: 'when_unpaused' } // park the message; send it again only when the pause behind it is lifted
  | { kind: 'never' };

/** The fields of a synchronous error body (`error.code`, `error.error_data.details`) or of a webhook `errors[]` entry. */
export type MetaErrorInput = { code: number | null; details?: string | null; httpStatus?: number | null; networkFailure?: boolean };

type DecisionBase = { code: number | null; retry: RetryPolicy; reason: string };
export type SendErrorDecision =
  | (DecisionBase & { action: 'retry_backoff'; retryScope: RetryScope })
  | (DecisionBase & { action: 'act_on_recipient'; recipientEffect: RecipientEffect })
  | (DecisionBase & { action: Exclude<ActionClass, 'retry_backoff' | 'act_on_recipient'> });

/** One row of the code table. `network` and `unknown` never come from a code, so rows cannot name them. */
type CodeRule =
  | { readonly action: 'retry_backoff'; readonly retryScope: RetryScope; readonly reason: string }
  | { readonly action: 'act_on_recipient'; readonly recipientEffect: RecipientEffect; readonly reason: string }
  | { readonly action: 'fix_payload' | 'stop_template' | 'stop_sender' | 'stop_account' | 'server_error'; readonly reason: string };

type Classification = CodeRule | { readonly action: 'network' | 'unknown'; readonly reason: string };

const SECOND_MS = 1_000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;

/**
 * Meta asks for at least 24 h between a 131049 and the next try, and warns that retrying inside 24 h can
 * block the user for up to 24 h (whatsapp-rules.md §8.3). The cap follows the user's read rate, so a
 * user still capped after two daily retries is unlikely to read the message: the first send plus two
 * retries a day apart, then the message fails.
 */
export const MARKETING_CAP_MAX_ATTEMPTS = 3;
export const MARKETING_CAP_RETRY_DELAY_MS = 24 * HOUR_MS;

/** Meta's pair-rate advice is a retry after 4^X s, X = 0, 1, 2… (whatsapp-rules.md §2): 1, 4, 16, 64, 256 s, then give up. */
export const PAIR_RATE_RETRY = { kind: 'backoff', baseDelayMs: SECOND_MS, factor: 4, maxDelayMs: 256 * SECOND_MS, maxAttempts: 6, jitter: false } as const;

/**
 * Throttles and brief outages (§3.2 class T) retry with exponential backoff and jitter. Eight attempts
 * span about two minutes, longer than the ≤1 min maintenance of a throughput upgrade (131057, §2).
 */
const THROTTLE_RETRY = { kind: 'backoff', baseDelayMs: SECOND_MS, factor: 2, maxDelayMs: MINUTE_MS, maxAttempts: 8, jitter: true } as const;

/** A 5xx may be a real fault rather than load, so it gets only a few tries before the message fails (§3.2, codes 1 and 131000). */
const SERVER_ERROR_RETRY = { kind: 'backoff', baseDelayMs: 2 * SECOND_MS, factor: 2, maxDelayMs: 30 * SECOND_MS, maxAttempts: 3, jitter: true } as const;

/** New or dormant templates need up to 10 min to sync to the Marketing Messages API (134101, §5.1); one spare try covers a late sync. */
const TEMPLATE_SYNC_RETRY = { kind: 'not_before', delayMs: 10 * MINUTE_MS, maxAttempts: 3 } as const;

const NEVER = { kind: 'never' } as const;
const WHEN_UNPAUSED = { kind: 'when_unpaused' } as const;

const RETRY_BY_SCOPE = {
  app: THROTTLE_RETRY,
  waba: THROTTLE_RETRY,
  sender: THROTTLE_RETRY,
  message: THROTTLE_RETRY,
  template_sync: TEMPLATE_SYNC_RETRY,
} as const satisfies Record<RetryScope, RetryPolicy>;

// Only two recipient effects ever resend the same request; the others change what is sent, or to whom.
const RETRY_BY_RECIPIENT_EFFECT = {
  suppress_undeliverable: NEVER,
  suppress_blocked: NEVER,
  suppress_marketing: NEVER,
  marketing_cap_wait_24h: { kind: 'not_before', delayMs: MARKETING_CAP_RETRY_DELAY_MS, maxAttempts: MARKETING_CAP_MAX_ATTEMPTS },
  reroute_to_template: NEVER, // the free-form message must never be resent; the template is a new send
  skip_for_campaign: NEVER,
  pair_rate_backoff: PAIR_RATE_RETRY,
  country_restricted: NEVER,
  reverify_identity: NEVER,
} as const satisfies Record<RecipientEffect, RetryPolicy>;

/**
 * Every code of whatsapp-rules.md §3.2 with its class (T → retry_backoff or server_error, R →
 * act_on_recipient, F → fix_payload, S → stop_template, K → stop_sender or stop_account, by what the
 * kill switch covers). Codes given there as ranges are in META_ERROR_CODE_RANGES; a row here wins.
 */
export const KNOWN_META_ERROR_CODES = {
  0: { action: 'stop_account', reason: 'Meta rejected the access token (expired, invalidated or revoked); all sending stops until it is replaced.' },
  // Code 1 is "invalid request or possible server error": §3.2 says retry a few times, then treat as a payload error.
  1: { action: 'server_error', reason: 'Meta reported an invalid request or a possible server error; retried a few times, then failed.' },
  2: { action: 'retry_backoff', retryScope: 'message', reason: 'Meta is temporarily down or overloaded; retrying with backoff.' },
  3: { action: 'stop_account', reason: 'The app lacks a capability or permission it needs; sending stops until an admin fixes permissions.' },
  4: { action: 'retry_backoff', retryScope: 'app', reason: "The app hit Meta's API call rate limit; all sending slows down and retries." },
  10: { action: 'stop_account', reason: 'A permission was not granted or was removed; sending stops until an admin restores it.' },
  33: { action: 'stop_sender', reason: "The sender's phone number was deleted; its campaigns are paused." },
  100: { action: 'fix_payload', reason: 'Meta rejected a parameter as invalid, misspelled or too long; fix the message, it is not retried as is.' },
  190: { action: 'stop_account', reason: 'The access token expired; all sending stops until the token is refreshed.' },
  368: { action: 'stop_account', reason: 'The business account is blocked for policy violations; all sending stops. Check account notices and appeal.' },
  80007: { action: 'retry_backoff', retryScope: 'waba', reason: "The business account hit Meta's rate limit; sending slows down and retries." },
  130403: { action: 'act_on_recipient', recipientEffect: 'suppress_blocked', reason: 'Your business blocked this recipient; suppressed until you unblock them.' },
  130429: { action: 'retry_backoff', retryScope: 'sender', reason: 'The sender hit its messages-per-second limit; it slows down and retries.' },
  130472: { action: 'act_on_recipient', recipientEffect: 'skip_for_campaign', reason: "Meta held this recipient out of marketing for an experiment; skipped for this campaign (not charged)." },
  // §3.2 calls 130497 a kill switch "for that country": it is about where the recipient lives, not the whole account.
  130497: { action: 'act_on_recipient', recipientEffect: 'country_restricted', reason: "The account may not message users in this recipient's country; that country is skipped." },
  131000: { action: 'server_error', reason: 'Meta reported an unknown error; retried a few times, then failed. Contact Meta support if it repeats.' },
  131005: { action: 'stop_account', reason: 'A permission was not granted or was removed; sending stops until an admin restores it.' },
  131008: { action: 'fix_payload', reason: 'A required parameter is missing; fix the message, it is not retried as is.' },
  131009: { action: 'fix_payload', reason: 'A parameter value is invalid (for example a bad phone number); fix the message, it is not retried as is.' },
  131016: { action: 'retry_backoff', retryScope: 'message', reason: 'A Meta service is temporarily unavailable; retrying with backoff.' },
  131021: { action: 'act_on_recipient', recipientEffect: 'skip_for_campaign', reason: 'The recipient is the sending number itself; skipped.' },
  131026: { action: 'act_on_recipient', recipientEffect: 'suppress_undeliverable', reason: 'The recipient cannot receive WhatsApp messages (not on WhatsApp, terms not accepted or an old app); suppressed.' },
  131031: { action: 'stop_account', reason: 'The business account is locked (policy, or a data mismatch such as a wrong PIN); all sending stops. Check account health.' },
  131037: { action: 'stop_sender', reason: 'The sender has no approved display name; its campaigns are paused until one is approved.' },
  131042: { action: 'stop_account', reason: 'There is a problem with the payment method or credit line; all sending stops until billing is fixed.' },
  131045: { action: 'stop_sender', reason: "The sender's phone number registration failed; its campaigns are paused until it is registered again." },
  131047: { action: 'act_on_recipient', recipientEffect: 'reroute_to_template', reason: 'More than 24 h passed since the recipient last wrote; the template is sent instead of free-form text.' },
  131048: { action: 'stop_sender', reason: "Too many of this sender's recent messages were blocked or reported as spam; its campaigns are paused. Review quality." },
  131049: { action: 'act_on_recipient', recipientEffect: 'marketing_cap_wait_24h', reason: "Meta's per-person marketing limit held this message back; retried no sooner than 24 h." },
  131050: { action: 'act_on_recipient', recipientEffect: 'suppress_marketing', reason: 'The recipient stopped marketing messages from your business; marketing is suppressed until they resume.' },
  131051: { action: 'fix_payload', reason: 'This message type is not supported; fix the message.' },
  // 131052 concerns media in incoming messages (§3.2 "n/a"); if it ever comes back on a send, retrying cannot help.
  131052: { action: 'fix_payload', reason: "Meta could not download a user's media (incoming messages only); the message failed." },
  131053: { action: 'fix_payload', reason: 'Our media could not be uploaded (wrong type or too large); fix the media.' },
  131055: { action: 'fix_payload', reason: 'The Marketing Messages API takes marketing templates only; send this message through the Cloud API.' },
  131056: { action: 'act_on_recipient', recipientEffect: 'pair_rate_backoff', reason: 'Too many messages to this recipient in a short time; retried for this recipient after 1, 4, 16, 64, 256 s.' },
  // §3.2 says T; §12 also lists 131057 as a number breaker. A sender-level backoff is both: a short pause of that number.
  131057: { action: 'retry_backoff', retryScope: 'sender', reason: 'The sender is in maintenance (for example a throughput upgrade, up to a minute); retrying with backoff.' },
  131063: { action: 'fix_payload', reason: 'Marketing templates are disabled on the Cloud API for this account; use the Marketing Messages API or re-enable.' },
  131064: { action: 'stop_account', reason: 'Sending is limited because templates were put in the wrong category; all sending stops until the enforcement ends.' },
  132000: { action: 'fix_payload', reason: 'The number of parameters does not match the template.' },
  132001: { action: 'fix_payload', reason: 'The template does not exist in this language or is not approved.' },
  132005: { action: 'fix_payload', reason: 'The message is too long once parameters are filled in (at most 1,024 characters).' },
  132007: { action: 'stop_template', reason: "The template's content violates WhatsApp policy; the template is stopped." },
  132012: { action: 'fix_payload', reason: 'The parameter format does not match the template (named or positional).' },
  132015: { action: 'stop_template', reason: 'The template is paused for low quality (or Meta dropped a held message); its campaigns wait until it is reinstated.' },
  132016: { action: 'stop_template', reason: 'The template was disabled after repeated pauses; create a new template with different content.' },
  132018: { action: 'fix_payload', reason: 'A template parameter failed validation; fix the parameter values.' },
  132068: { action: 'fix_payload', reason: 'The flow is blocked; fix the flow.' },
  132069: { action: 'fix_payload', reason: 'The flow is throttled (at most 10 messages per hour); the message failed.' },
  133004: { action: 'retry_backoff', retryScope: 'message', reason: "Meta's registration server is temporarily unavailable; retrying with backoff." },
  133010: { action: 'stop_sender', reason: "The sender's phone number is not registered; its campaigns are paused until it is registered." },
  133016: { action: 'stop_sender', reason: 'Too many register or deregister attempts for this sender; its campaigns are paused. Wait before trying again.' },
  134011: { action: 'stop_account', reason: 'The WhatsApp Payments terms were not accepted; sending stops until they are accepted.' },
  134100: { action: 'fix_payload', reason: 'The Marketing Messages API takes marketing templates only; send this message through the Cloud API.' },
  134101: { action: 'retry_backoff', retryScope: 'template_sync', reason: 'Meta is still syncing this template for the Marketing Messages API; retried in 10 minutes.' },
  // §3.2 gives K for 134102; the template is what is ineligible, so the campaigns using it stop.
  134102: { action: 'stop_template', reason: 'The template is not eligible for the Marketing Messages API; its campaigns are paused.' },
  135000: { action: 'fix_payload', reason: 'Meta rejected the request parameters; fix the message, and contact support if it repeats.' },
  137000: { action: 'act_on_recipient', recipientEffect: 'reverify_identity', reason: "The recipient's WhatsApp identity changed; verify them outside WhatsApp before sending again." },
  // The 2388xxx codes come from template creation, not sending; they are here so that one table covers §3.2.
  2388019: { action: 'fix_payload', reason: 'The account reached its template limit; archive or delete templates.' },
  2388040: { action: 'fix_payload', reason: 'A template field is over its character limit.' },
  2388047: { action: 'fix_payload', reason: 'The template header format is invalid.' },
  2388072: { action: 'fix_payload', reason: 'The template body format is invalid.' },
  2388073: { action: 'fix_payload', reason: 'The template footer format is invalid.' },
  2388293: { action: 'fix_payload', reason: 'The template has too many variables for its length.' },
  2388299: { action: 'fix_payload', reason: 'The template may not start or end with a variable.' },
  // 141xxx are health-status blockers, known from BSP docs only (unconfirmed, §3.2).
  141006: { action: 'stop_account', reason: 'Meta reports a payment problem blocking the account; all sending stops until billing is fixed.' },
  141010: { action: 'stop_account', reason: 'Meta requires business verification; all sending stops until it is complete.' },
  141014: { action: 'stop_account', reason: 'Meta banned the business account; all sending stops.' },
} as const satisfies Readonly<Record<number, CodeRule>>;

/** Codes §3.2 lists as ranges. An exact row in KNOWN_META_ERROR_CODES (e.g. 133004) takes precedence. */
export const META_ERROR_CODE_RANGES = [
  { fromCode: 200, toCode: 299, rule: { action: 'stop_account', reason: 'A permission was not granted; all sending stops until an admin grants it.' } },
  { fromCode: 133000, toCode: 133015, rule: { action: 'stop_sender', reason: 'The sender has a registration or two-step verification problem; its campaigns are paused.' } },
  { fromCode: 141000, toCode: 141999, rule: { action: 'stop_account', reason: 'Meta reports a problem blocking the business account; all sending stops until it is fixed.' } },
] as const satisfies ReadonlyArray<{ fromCode: number; toCode: number; rule: CodeRule }>;

/**
 * Where §3.2 gives one code two meanings told apart by `error_data.details`. 131009 on the Marketing
 * Messages API also means "ad sync incomplete, wait 10 min"; 132018 for whitespace has a known text (§4.3).
 */
const DETAILS_OVERRIDES: ReadonlyArray<{ code: number; detailsPattern: RegExp; rule: CodeRule }> = [
  { code: 131009, detailsPattern: /sync/i, rule: { action: 'retry_backoff', retryScope: 'template_sync', reason: 'Meta has not finished syncing for the Marketing Messages API; retried in 10 minutes.' } },
  { code: 132018, detailsPattern: /new-line|tab|consecutive spaces/i, rule: { action: 'fix_payload', reason: 'A parameter contains a line break, a tab or more than 4 spaces in a row; clean the value.' } },
];

const CODE_RULES: Readonly<Record<number, CodeRule>> = KNOWN_META_ERROR_CODES;

function ruleForCode(code: number): CodeRule | undefined {
  const exact = CODE_RULES[code];
  if (exact) return exact;
  return META_ERROR_CODE_RANGES.find((range) => code >= range.fromCode && code <= range.toCode)?.rule;
}

/** True when the code is in §3.2, either as its own row or inside one of its ranges. */
export function isKnownMetaErrorCode(code: number): boolean {
  return ruleForCode(code) !== undefined;
}

/** Decides from `code` and `details` only; titles, messages and subcodes are never used (whatsapp-rules.md §3.1). */
export function classifySendError(input: MetaErrorInput): SendErrorDecision {
  return toDecision(classify(input), input.code);
}

function classify(input: MetaErrorInput): Classification {
  // With no HTTP answer the request may still have reached Meta, and Meta has no idempotency key:
  // product.md "Never a duplicate send" wins, so whatever code a client might attach is not trusted.
  if (input.networkFailure === true) {
    return { action: 'network', reason: 'No answer from Meta (timeout or dropped connection); the message may have been sent, so it is checked against status updates, not resent.' };
  }
  const rule = input.code === null ? undefined : ruleForCode(input.code);
  if (input.code !== null && rule) {
    const override = DETAILS_OVERRIDES.find((o) => o.code === input.code && o.detailsPattern.test(input.details ?? ''));
    return override?.rule ?? rule;
  }
  // HTTP status is only a fallback for when the code says nothing (§3.1 bases decisions on the code).
  if (input.httpStatus != null && input.httpStatus >= 500 && input.httpStatus <= 599) {
    return { action: 'server_error', reason: `Meta answered with a server error (HTTP ${input.httpStatus}); retried a few times, then failed.` };
  }
  const what = input.code === null ? 'an error without a code' : `error ${input.code}, which Greenlight does not know`;
  return { action: 'unknown', reason: `Meta returned ${what}; the message failed and is shown for review, not retried.` };
}

/** The one exhaustive switch: an action class becomes the retry behaviour the caller applies. */
function toDecision(c: Classification, code: number | null): SendErrorDecision {
  switch (c.action) {
    case 'retry_backoff':
      return { action: c.action, code, retryScope: c.retryScope, retry: RETRY_BY_SCOPE[c.retryScope], reason: c.reason };
    case 'act_on_recipient':
      return { action: c.action, code, recipientEffect: c.recipientEffect, retry: RETRY_BY_RECIPIENT_EFFECT[c.recipientEffect], reason: c.reason };
    case 'server_error':
      return { action: c.action, code, retry: SERVER_ERROR_RETRY, reason: c.reason };
    // A stop parks the message instead of failing it: Meta refused it, so resending after the pause cannot duplicate it.
    case 'stop_template':
    case 'stop_sender':
    case 'stop_account':
      return { action: c.action, code, retry: WHEN_UNPAUSED, reason: c.reason };
    // The same request would fail again (fix_payload, unknown) or might already have been sent (network).
    case 'fix_payload':
    case 'network':
    case 'unknown':
      return { action: c.action, code, retry: NEVER, reason: c.reason };
    default:
      return assertNever(c, 'send error classification');
  }
}

/**
 * The delay before the next try under a backoff policy, without jitter (the caller adds it when
 * `jitter` is true, so this stays pure). `attempt` is the 1-based number of the send that just failed.
 */
export function backoffDelayMs(policy: Extract<RetryPolicy, { kind: 'backoff' }>, attempt: number): number {
  const exponent = Number.isNaN(attempt) ? 0 : Math.max(0, Math.floor(attempt) - 1);
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * policy.factor ** exponent);
}

/** 131056: 1, 4, 16, 64, 256 s after the 1st…5th failed send to the same user (whatsapp-rules.md §2). */
export function pairRateRetryDelayMs(attempt: number): number {
  return backoffDelayMs(PAIR_RATE_RETRY, attempt);
}
