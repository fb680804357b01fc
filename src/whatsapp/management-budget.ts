// Owns the management-call budget: Meta's usage headers → how long to wait before the next template,
// phone-number, health or media call. Pure: it reads headers and plans delays, the client does the
// waiting, and message sends are never paced here (the dispatcher paces them).
import { GRAPH_APP_USAGE_HEADER, GRAPH_BUSINESS_USAGE_HEADER, graphAppUsageHeaderSchema, graphBusinessUsageHeaderSchema } from './graph-wire.ts';

/** Shares of a rolling one-hour allowance, in percent (Meta reports more than 100 while it throttles). */
export type UsageShares = { callCount: number; totalTime: number; totalCputime: number };
export type AppUsage = UsageShares & { observedAt: Date };
export type BusinessUsage = UsageShares & { businessId: string; type: string | null; regainAccessMinutes: number; observedAt: Date };

/** What the client knows about its management budget; `rateLimitedAt` is the last 4 / 80007 answer. */
export type ManagementUsage = { app: AppUsage | null; business: BusinessUsage[]; rateLimitedAt: Date | null };

export const EMPTY_MANAGEMENT_USAGE: ManagementUsage = { app: null, business: [], rateLimitedAt: null };

/** At or above this share the client waits: the last 10% is kept for calls that cannot wait (a 4 or 80007 stops them all). */
export const USAGE_WAIT_THRESHOLD_PERCENT = 90;
/** Error 4 is the app's Graph API limit and 80007 the WABA's (whatsapp-rules.md §2, §3.2). */
export const MANAGEMENT_RATE_LIMIT_CODES: ReadonlySet<number> = new Set([4, 80007]);

const MINUTE_MS = 60_000;
/** Meta's usage percentages are over a rolling hour (200 or 5,000 calls per hour per app per WABA, whatsapp-rules.md §2). */
const ROLLING_WINDOW_MS = 60 * MINUTE_MS;

type HeaderReader = { get(name: string): string | null };

function parseJsonHeader(value: string | null): unknown {
  if (value === null || value.trim() === '') return undefined;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return undefined;
  }
}

/** Reads `X-App-Usage` and `X-Business-Use-Case-Usage`; a missing or malformed header is simply not known. */
export function parseUsageHeaders(headers: HeaderReader, observedAt: Date): { app: AppUsage | null; business: BusinessUsage[] } {
  const app = graphAppUsageHeaderSchema.safeParse(parseJsonHeader(headers.get(GRAPH_APP_USAGE_HEADER)));
  const business = graphBusinessUsageHeaderSchema.safeParse(parseJsonHeader(headers.get(GRAPH_BUSINESS_USAGE_HEADER)));
  return {
    app: app.success ? { callCount: app.data.call_count, totalTime: app.data.total_time, totalCputime: app.data.total_cputime, observedAt } : null,
    business: business.success
      ? Object.entries(business.data).flatMap(([businessId, entries]) =>
          entries.map((entry) => ({
            businessId,
            type: entry.type ?? null,
            callCount: entry.call_count,
            totalTime: entry.total_time,
            totalCputime: entry.total_cputime,
            regainAccessMinutes: entry.estimated_time_to_regain_access,
            observedAt,
          })),
        )
      : [],
  };
}

/**
 * Folds one answer into what is known. Newer figures replace older ones for the same app or business
 * (and use-case type); businesses the answer does not mention keep their last figures, so a wait learned
 * from one WABA's call is not forgotten because another WABA answered next.
 */
export function recordManagementAnswer(previous: ManagementUsage, answer: { headers: HeaderReader; errorCode: number | null; at: Date }): ManagementUsage {
  const observed = parseUsageHeaders(answer.headers, answer.at);
  const key = (usage: BusinessUsage) => `${usage.businessId}\u0000${usage.type ?? ''}`;
  const replaced = new Set(observed.business.map(key));
  return {
    app: observed.app ?? previous.app,
    business: [...previous.business.filter((usage) => !replaced.has(key(usage))), ...observed.business],
    rateLimitedAt: answer.errorCode !== null && MANAGEMENT_RATE_LIMIT_CODES.has(answer.errorCode) ? answer.at : previous.rateLimitedAt,
  };
}

/**
 * How long to wait before the next management call, in ms (0: go now). Two signals, the longer wins:
 * - Meta's `estimated_time_to_regain_access` (minutes), counted from when it was reported.
 * - A share at or above 90%. The window rolls over an hour, so with even use each percent frees up in
 *   36 s; the client waits until the share should be back just under the threshold, at most one hour.
 * A 4 or 80007 answer without usage headers counts as a share of 100%.
 */
export function planManagementDelay(usage: ManagementUsage, now: Date): number {
  const untilTimes: number[] = [];
  const byShare = (shares: UsageShares, observedAt: Date) => {
    const highest = Math.max(shares.callCount, shares.totalTime, shares.totalCputime);
    if (highest >= USAGE_WAIT_THRESHOLD_PERCENT) untilTimes.push(observedAt.getTime() + shareWaitMs(highest));
  };
  if (usage.app) byShare(usage.app, usage.app.observedAt);
  for (const business of usage.business) {
    byShare(business, business.observedAt);
    if (business.regainAccessMinutes > 0) untilTimes.push(business.observedAt.getTime() + business.regainAccessMinutes * MINUTE_MS);
  }
  if (usage.rateLimitedAt) untilTimes.push(usage.rateLimitedAt.getTime() + shareWaitMs(100));
  const waitMs = Math.max(0, ...untilTimes.map((until) => until - now.getTime()));
  return Math.ceil(waitMs);
}

/** The time for a share to fall from `percent` to one point under the threshold, with even use over the hour. */
function shareWaitMs(percent: number): number {
  const percentToShed = percent - USAGE_WAIT_THRESHOLD_PERCENT + 1;
  return Math.min(ROLLING_WINDOW_MS, (percentToShed / 100) * ROLLING_WINDOW_MS);
}
