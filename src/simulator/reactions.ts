// How a simulated person reacts to one delivered message: whether and when they read it, reply, say STOP,
// stop marketing in WhatsApp's settings, block, or block and report. Pure apart from the random stream.
// Negative reactions grow without consent, with frequency and with spammy content (whatsapp-rules.md §8.4).

import type { Person } from './population.ts';
import type { Random } from './random.ts';

export type MessageCategory = 'marketing' | 'utility' | 'authentication' | 'service';

export type ReactionInput = {
  person: Person;
  optedIn: boolean;
  /** Messages this person got from us in the 24 h before this one. */
  receivedLastDay: number;
  /** 0 (plain) … 1 (spam), from content-signals.ts. */
  spam: number;
  category: MessageCategory;
};

export type Reaction = {
  readAfterMs: number | null;
  reply: { kind: 'text' | 'stop'; afterMs: number } | null;
  stopMarketingAfterMs: number | null;
  block: { report: boolean; afterMs: number } | null;
};

// Base chances per delivered message for a consenting person, average irritability, plain content.
const BASE = { block: 0.0015, stop: 0.003, stopMarketing: 0.0015 } as const;
// Someone who never opted in is this many times likelier to complain (Meta: "message only opted-in users", §8.4).
const NO_CONSENT_FACTOR = 20;
// Share of blocks that come with a report: higher when the person never asked for messages.
const REPORT_SHARE = { optedIn: 0.2, notOptedIn: 0.4 } as const;
const CATEGORY_FACTOR: Readonly<Record<MessageCategory, number>> = { marketing: 1, utility: 0.4, authentication: 0.2, service: 0.2 };

/** The multiplier on every negative chance: irritability × consent × frequency × spamminess × category. */
export function annoyance(input: ReactionInput): number {
  const consent = input.optedIn ? 1 : NO_CONSENT_FACTOR;
  // More than two messages a day starts to grate: +50% per extra message (Meta: "avoid sending too many messages per day").
  const frequency = 1 + 0.5 * Math.max(0, input.receivedLastDay - 2);
  const spam = 1 + 2 * input.spam;
  return input.person.irritability * consent * frequency * spam * CATEGORY_FACTOR[input.category];
}

/** Read delays: half within 1–10 min, a third within 10 min–2 h, the rest within 2–12 h. */
function readDelayMs(random: Random): number {
  const roll = random.next();
  if (roll < 0.5) return random.between(60_000, 600_000);
  if (roll < 0.85) return random.between(600_000, 7_200_000);
  return random.between(7_200_000, 43_200_000);
}

export function decideReaction(input: ReactionInput, random: Random): Reaction {
  const factor = annoyance(input);
  const reads = random.chance(input.person.readPropensity * (1 - 0.3 * input.spam));
  const readAfterMs = reads ? readDelayMs(random) : null;
  // People who never read still block from the notification preview.
  const reactAfter = (minMs: number, maxMs: number) => (readAfterMs ?? random.between(60_000, 1_800_000)) + random.between(minMs, maxMs);

  const blocks = random.chance(Math.min(0.6, BASE.block * factor));
  const reportShare = input.optedIn ? REPORT_SHARE.optedIn : REPORT_SHARE.notOptedIn;
  const block = blocks ? { report: random.chance(reportShare), afterMs: reactAfter(5_000, 600_000) } : null;

  const saysStop = !blocks && random.chance(Math.min(0.5, BASE.stop * factor));
  const repliesText = !blocks && !saysStop && reads && random.chance(input.person.replyPropensity * (input.optedIn ? 1 : 0.3));
  const reply = saysStop ? { kind: 'stop' as const, afterMs: reactAfter(10_000, 900_000) } : repliesText ? { kind: 'text' as const, afterMs: reactAfter(10_000, 900_000) } : null;

  const stopsMarketing = input.category === 'marketing' && !blocks && random.chance(Math.min(0.3, BASE.stopMarketing * factor));
  return { readAfterMs, reply, stopMarketingAfterMs: stopsMarketing ? reactAfter(30_000, 3_600_000) : null, block };
}
