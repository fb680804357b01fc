// Which endpoint a send goes to, Cloud API `/messages` or the Marketing Messages API `/marketing_messages`,
// and whether one failed attempt may be tried once on the other. Pure decisions; the client does the I/O.
import type { SendRoute } from '../ports.ts';

/**
 * MM API errors that mean "not possible on this route" rather than "this message is wrong": 131055 and
 * 134100 (it takes marketing templates only) and 134101 (the template is still syncing, up to 10 min).
 * The same message can go out through the Cloud API at once (whatsapp-rules.md §3.2, §5.1).
 */
export const MARKETING_ROUTE_UNAVAILABLE_CODES: ReadonlySet<number> = new Set([131055, 134100, 134101]);
/** The WABA set `disable_marketing_messages_on_cloud_api`: marketing must go through the MM API (whatsapp-rules.md §8.5). */
export const CLOUD_MARKETING_DISABLED_CODE = 131063;

/**
 * The first route of a send. An explicit `route` wins, so the dispatcher (which knows the template's
 * category) can keep utility and authentication templates on `/messages`. Otherwise templates from a
 * phone number configured for the MM API start there. Anything but a template always uses `/messages`,
 * because the MM API refuses every other type (whatsapp-rules.md §5.1).
 */
export function chooseSendRoute(input: { isTemplate: boolean; requested: SendRoute | undefined; phoneUsesMarketingMessages: boolean }): SendRoute {
  if (!input.isTemplate) return 'cloud_api';
  if (input.requested !== undefined) return input.requested;
  return input.phoneUsesMarketingMessages ? 'marketing_messages' : 'cloud_api';
}

/** The outcome of one attempt as the route decision sees it: Meta's error code, or no answer at all. */
export type AttemptOutcome = { route: SendRoute; errorCode: number | null; networkFailure: boolean };

/**
 * Whether to try the other route once after a failed attempt. Only a definite refusal qualifies: after a
 * timeout or reset the message may have been sent, and Meta has no idempotency key, so trying again could
 * send it twice. The caller asks only after the first attempt, so there is never a third one.
 */
export function decideRouteFallback(failed: AttemptOutcome): SendRoute | null {
  if (failed.networkFailure || failed.errorCode === null) return null;
  if (failed.route === 'marketing_messages' && MARKETING_ROUTE_UNAVAILABLE_CODES.has(failed.errorCode)) return 'cloud_api';
  if (failed.route === 'cloud_api' && failed.errorCode === CLOUD_MARKETING_DISABLED_CODE) return 'marketing_messages';
  return null;
}

/**
 * Which failure to report when the fallback failed too. When the fallback was refused for the mirror
 * reason (the MM API said "not here" and the Cloud API said 131063, or the reverse), the second error only
 * says the detour was closed; the first one says what to do (e.g. 134101: wait 10 minutes), so it is
 * reported. Any other second failure is reported as it is, with the route actually used.
 */
export function chooseReportedFailure(first: AttemptOutcome, second: AttemptOutcome): 'first' | 'second' {
  const mirrorRefusal = second.route !== first.route && decideRouteFallback(second) === first.route;
  return mirrorRefusal ? 'first' : 'second';
}
