// What a refused send does to the message, its recipient, its sender and its campaign: Meta's error
// class (domain/send-errors.ts) turned into one outcome and the effects around it. Pure.

import { backoffDelayMs, classifySendError, type SendErrorDecision } from '../domain/send-errors.ts';
import type { SuppressionReason } from '../domain/suppression.ts';
import { assertNever } from '../lib/assert-never.ts';
import type { SendFailed } from '../ports.ts';

export type FailureEffect =
  | { kind: 'message'; outcome: 'failed' | 'skipped' | 'unknown'; reason: string; detail: string }
  | { kind: 'message'; outcome: 'deferred'; reason: string; detail: string; dueAt: Date }
  /** 131047: free-form text outside the window; the same message goes again at once as the template. */
  | { kind: 'resend_as_template' };

export type FailureConsequence = {
  effect: FailureEffect;
  suppress: { reason: SuppressionReason; scope: 'all' | 'marketing'; until: Date | null } | null;
  /** 130429: the sender's rate is too high for Meta; every worker's slots move past this moment. */
  slowSenderUntil: Date | null;
  /** The campaign (or every campaign of the sender / account) must pause, with this reason. */
  pause: { scope: 'campaign' | 'sender' | 'account'; detail: string; action: string } | null;
  code: number | null;
};

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * `attempts` counts sends of this message before this one; `via` says whether it went as session text.
 * `random` adds jitter to back-offs so workers that were throttled together do not come back together.
 */
export function consequenceOf(failure: SendFailed, context: { attempts: number; via: 'template' | 'session'; campaignId: number; now: Date; random: () => number }): FailureConsequence {
  const decision = classifySendError({ code: failure.error?.code ?? null, details: failure.error?.details ?? null, httpStatus: failure.httpStatus, networkFailure: failure.networkFailure });
  const base: FailureConsequence = { effect: failed(decision, failure), suppress: null, slowSenderUntil: null, pause: null, code: decision.code };
  const attempt = context.attempts + 1;
  const retryAt = (delayMs: number, jitter: boolean) => new Date(context.now.getTime() + (jitter ? delayMs * (0.5 + context.random() / 2) : delayMs));
  const resume = `fix the cause, then run: greenlight campaigns resume ${context.campaignId}`;
  switch (decision.action) {
    case 'retry_backoff':
    case 'server_error': {
      // A template Meta has not finished syncing waits a fixed time (not_before); throttling backs off.
      if (decision.retry.kind === 'not_before' && attempt < decision.retry.maxAttempts) {
        return { ...base, effect: { kind: 'message', outcome: 'deferred', reason: 'retry', detail: `${decision.reason} (try ${attempt} of ${decision.retry.maxAttempts})`, dueAt: retryAt(decision.retry.delayMs, false) } };
      }
      if (decision.retry.kind !== 'backoff' || attempt >= decision.retry.maxAttempts) return base;
      const dueAt = retryAt(backoffDelayMs(decision.retry, attempt), decision.retry.jitter);
      const effect: FailureEffect = { kind: 'message', outcome: 'deferred', reason: 'retry', detail: `${decision.reason} (try ${attempt} of ${decision.retry.maxAttempts})`, dueAt };
      // The sender's own rate (130429), and the WABA's or app's (80007, 4: shared by every sender, §3.2):
      // this sender backs off; other senders of the WABA slow down when their own sends meet the same error.
      const slows = decision.action === 'retry_backoff' && (decision.retryScope === 'sender' || decision.retryScope === 'waba' || decision.retryScope === 'app');
      return { ...base, effect, slowSenderUntil: slows ? dueAt : null };
    }
    case 'act_on_recipient':
      return recipientConsequence(base, decision, failure, context, attempt, retryAt);
    case 'stop_template':
      return { ...base, effect: parked(decision), pause: { scope: 'campaign', detail: `Meta refused the template: ${describe(failure)}`, action: `fix or replace the template, then run: greenlight campaigns resume ${context.campaignId}` } };
    case 'stop_sender':
      return { ...base, effect: parked(decision), pause: { scope: 'sender', detail: `Meta stopped the sender: ${describe(failure)}`, action: resume } };
    case 'stop_account':
      return { ...base, effect: parked(decision), pause: { scope: 'account', detail: `Meta restricted the account: ${describe(failure)}`, action: `resolve it in WhatsApp Manager, then run: greenlight campaigns resume ${context.campaignId}` } };
    case 'network':
      // No answer: the send may have reached Meta, and resending could duplicate it (product.md).
      return { ...base, effect: { kind: 'message', outcome: 'unknown', reason: 'send_outcome_unknown', detail: `${decision.reason} (${failure.message})` } };
    case 'fix_payload':
    case 'unknown':
      return base;
    default:
      return assertNever(decision, 'send error action');
  }
}

function recipientConsequence(
  base: FailureConsequence,
  decision: Extract<SendErrorDecision, { action: 'act_on_recipient' }>,
  failure: SendFailed,
  context: { attempts: number; via: 'template' | 'session'; now: Date },
  attempt: number,
  retryAt: (delayMs: number, jitter: boolean) => Date,
): FailureConsequence {
  const detail = `${decision.reason} (${describe(failure)})`;
  switch (decision.recipientEffect) {
    case 'suppress_undeliverable':
      return { ...base, suppress: { reason: 'undeliverable', scope: 'all', until: null } };
    case 'suppress_blocked':
      return { ...base, suppress: { reason: 'blocked', scope: 'all', until: null } };
    case 'suppress_marketing':
      return { ...base, suppress: { reason: 'marketing_stopped', scope: 'marketing', until: null } };
    case 'marketing_cap_wait_24h': {
      const until = new Date(context.now.getTime() + DAY_MS);
      const suppress = { reason: 'marketing_cap' as const, scope: 'marketing' as const, until };
      if (decision.retry.kind !== 'not_before' || attempt >= decision.retry.maxAttempts) return { ...base, suppress };
      return { ...base, suppress, effect: { kind: 'message', outcome: 'deferred', reason: 'marketing_cap', detail, dueAt: retryAt(decision.retry.delayMs, false) } };
    }
    case 'reroute_to_template':
      return context.via === 'session' ? { ...base, effect: { kind: 'resend_as_template' } } : base;
    case 'pair_rate_backoff':
      if (decision.retry.kind !== 'backoff' || attempt >= decision.retry.maxAttempts) return base;
      return { ...base, effect: { kind: 'message', outcome: 'deferred', reason: 'pair_rate', detail, dueAt: retryAt(backoffDelayMs(decision.retry, attempt), decision.retry.jitter) } };
    case 'skip_for_campaign':
    case 'country_restricted':
      return { ...base, effect: { kind: 'message', outcome: 'skipped', reason: decision.recipientEffect === 'country_restricted' ? 'country_not_allowed' : 'meta_refused_recipient', detail } };
    case 'reverify_identity':
      return base;
    default:
      return assertNever(decision.recipientEffect, 'recipient effect');
  }
}

/** A stop parks the message: Meta refused it, so sending it after the pause is lifted cannot duplicate it. */
function parked(decision: SendErrorDecision): FailureEffect {
  return { kind: 'message', outcome: 'deferred', reason: 'campaign_paused', detail: decision.reason, dueAt: new Date(0) };
}

function failed(decision: SendErrorDecision, failure: SendFailed): FailureEffect {
  return { kind: 'message', outcome: 'failed', reason: decision.code === null ? 'send_failed' : `error_${decision.code}`, detail: `${decision.reason} (${describe(failure)})` };
}

function describe(failure: SendFailed): string {
  return failure.error ? `${failure.error.code}${failure.error.details ? `: ${failure.error.details}` : ''}` : failure.message;
}
