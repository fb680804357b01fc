// Decision step 6, frequency: the per-contact marketing cap across all campaigns, the minimum gap between
// two campaign messages, and no repeat of a template within its cooldown (product.md). Pure.

import type { TemplateCategory } from './template.ts';

/** One campaign message that reached Meta for this contact, from any campaign (failed-before-send ones do not count). */
export type SentCampaignMessage = { sentAt: Date; templateName: string; category: TemplateCategory };

/** At most `maxMarketing` marketing messages per rolling `windowMs`; `minGapMs` and `sameTemplateCooldownMs` are 0 when off. */
export type FrequencyCap = { maxMarketing: number; windowMs: number; minGapMs: number; sameTemplateCooldownMs: number };

export type FrequencyOutcome =
  | { kind: 'ok' }
  | { kind: 'skip'; reason: 'frequency_cap' | 'same_template_recently'; detail: string }
  | { kind: 'defer'; reason: 'frequency_cap' | 'min_gap'; until: Date; detail: string };

type Message = { templateName: string; category: TemplateCategory };
type FrequencySkip = Extract<FrequencyOutcome, { kind: 'skip' }>;
type FrequencyDefer = Extract<FrequencyOutcome, { kind: 'defer' }>;

/**
 * Skips come first (a message that will never go must not wait). The marketing cap defers until enough
 * of the counted messages leave the window when that moment is within the campaign (`sendUntil`, null:
 * no end), and skips otherwise: a campaign that ended must not trail sends. When the cap and the gap both
 * defer, the later moment is the answer, since both must have passed.
 */
export function decideFrequency(history: readonly SentCampaignMessage[], message: Message, cap: FrequencyCap | null, sendUntil: Date | null, now: Date): FrequencyOutcome {
  if (cap === null) return { kind: 'ok' };
  const repeat = findRepeat(history, message.templateName, cap.sameTemplateCooldownMs, now);
  if (repeat !== null) return repeat;
  const capDefer = message.category === 'MARKETING' ? marketingCap(history, cap, now) : null;
  if (capDefer !== null && (capDefer.kind === 'skip' || (sendUntil !== null && capDefer.until.getTime() > sendUntil.getTime()))) {
    return { kind: 'skip', reason: 'frequency_cap', detail: capDefer.kind === 'skip' ? capDefer.detail : `${capDefer.detail}; that is after the campaign ends at ${sendUntil?.toISOString()}` };
  }
  const gapDefer = minimumGap(history, cap.minGapMs, now);
  const defers = [capDefer, gapDefer].filter((outcome): outcome is FrequencyDefer => outcome !== null && outcome.kind === 'defer');
  const latest = defers.sort((a, b) => b.until.getTime() - a.until.getTime())[0];
  return latest ?? { kind: 'ok' };
}

function findRepeat(history: readonly SentCampaignMessage[], templateName: string, cooldownMs: number, now: Date): FrequencySkip | null {
  if (cooldownMs <= 0) return null;
  const since = now.getTime() - cooldownMs;
  const last = history.filter((sent) => sent.templateName === templateName && sent.sentAt.getTime() > since).sort(byTime).at(-1);
  if (last === undefined) return null;
  return { kind: 'skip', reason: 'same_template_recently', detail: `"${templateName}" was sent to this contact at ${last.sentAt.toISOString()}, within the ${formatDuration(cooldownMs)} cooldown` };
}

function marketingCap(history: readonly SentCampaignMessage[], cap: FrequencyCap, now: Date): FrequencySkip | FrequencyDefer | null {
  const since = now.getTime() - cap.windowMs;
  const counted = history.filter((sent) => sent.category === 'MARKETING' && sent.sentAt.getTime() > since).sort(byTime);
  if (counted.length < cap.maxMarketing) return null;
  const limit = `${counted.length} marketing messages in the last ${formatDuration(cap.windowMs)} (cap ${cap.maxMarketing})`;
  if (cap.maxMarketing <= 0) return { kind: 'skip', reason: 'frequency_cap', detail: `the campaign allows no marketing messages (cap ${cap.maxMarketing})` };
  // The cap frees when the message whose leaving brings the count under it leaves the window.
  const freeing = counted[counted.length - cap.maxMarketing];
  if (freeing === undefined) return null;
  return { kind: 'defer', reason: 'frequency_cap', until: new Date(freeing.sentAt.getTime() + cap.windowMs), detail: limit };
}

function minimumGap(history: readonly SentCampaignMessage[], minGapMs: number, now: Date): FrequencyDefer | null {
  if (minGapMs <= 0) return null;
  const last = [...history].sort(byTime).at(-1);
  if (last === undefined) return null;
  const until = last.sentAt.getTime() + minGapMs;
  if (until <= now.getTime()) return null;
  return { kind: 'defer', reason: 'min_gap', until: new Date(until), detail: `the last campaign message went at ${last.sentAt.toISOString()}; the minimum gap is ${formatDuration(minGapMs)}` };
}

const byTime = (a: SentCampaignMessage, b: SentCampaignMessage) => a.sentAt.getTime() - b.sentAt.getTime();

export function formatDuration(ms: number): string {
  const hours = ms / (60 * 60 * 1000);
  if (hours >= 24 && hours % 24 === 0) return `${hours / 24} d`;
  if (hours >= 1 && Number.isInteger(hours)) return `${hours} h`;
  return `${Math.round(ms / 60_000)} min`;
}
