// The simulated people behind recipient numbers. Each number maps deterministically (seed + number) to a
// person with traits; the population also remembers what Meta would know about them: who blocked which
// business number, who stopped marketing, what they received lately. Consent is told to it (Meta never knows it).

import { createRandom, hashString } from './random.ts';

export type Person = {
  waId: string;
  name: string;
  onWhatsApp: boolean;
  /** Chance of reading a message that reaches them (0.55–0.95). */
  readPropensity: number;
  /** Chance of a benign reply to a message they read (0.02–0.12). */
  replyPropensity: number;
  /** Multiplier on STOP, block and report chances (0.5–1.6): some people are quicker to complain. */
  irritability: number;
  /** Per-user marketing cap (§8.3): marketing messages per 24 h this person gets from all businesses; 2–5. */
  marketingCapPerDay: number;
};

export type PopulationOptions = {
  seed: number | string;
  /** Share of numbers that are not on WhatsApp (131026); default 0.03. */
  notOnWhatsAppShare: number;
  /** Numbers (digits, no "+") matching this are never on WhatsApp. */
  undeliverablePattern: RegExp | null;
};

const FIRST_NAMES = ['Ana', 'Bruno', 'Chen', 'Divya', 'Emma', 'Farid', 'Grace', 'Hugo', 'Ines', 'Jonas', 'Kemi', 'Lucas', 'Maria', 'Noah', 'Olga', 'Priya', 'Rafael', 'Sofia', 'Tomas', 'Yuki'];
const LAST_NAMES = ['Silva', 'Garcia', 'Okafor', 'Müller', 'Sharma', 'Rossi', 'Kim', 'Nguyen', 'Dubois', 'Santos', 'Cohen', 'Ivanova'];

const DAY_MS = 86_400_000;

export function createPopulation(options: PopulationOptions) {
  const people = new Map<string, Person>();
  const undeliverable = new Set<string>();
  const optedIn = new Set<string>();
  const blocked = new Set<string>();
  const stoppedMarketing = new Set<string>();
  const received = new Map<string, number[]>();
  const marketingDelivered = new Map<string, number[]>();

  /** Traits depend only on the seed and the number, never on the order people were first met. */
  const person = (waId: string): Person => {
    const known = people.get(waId);
    if (known !== undefined) return known;
    const random = createRandom(hashString(`${String(options.seed)}:person:${waId}`));
    const onWhatsApp = !random.chance(options.notOnWhatsAppShare) && !(options.undeliverablePattern?.test(waId) ?? false);
    const created: Person = {
      waId,
      name: `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`,
      onWhatsApp,
      readPropensity: random.between(0.55, 0.95),
      replyPropensity: random.between(0.02, 0.12),
      irritability: random.between(0.5, 1.6),
      marketingCapPerDay: random.int(2, 5),
    };
    people.set(waId, created);
    return created;
  };

  const pair = (phoneNumberId: string, waId: string) => `${phoneNumberId}|${waId}`;
  const recent = (log: Map<string, number[]>, waId: string, nowMs: number) => {
    const kept = (log.get(waId) ?? []).filter((atMs) => atMs > nowMs - DAY_MS);
    log.set(waId, kept);
    return kept;
  };

  return {
    person,
    isReachable: (waId: string) => person(waId).onWhatsApp && !undeliverable.has(waId),
    markUndeliverable: (waId: string) => void undeliverable.add(waId),
    optIn: (waId: string) => void optedIn.add(waId),
    optOut: (waId: string) => void optedIn.delete(waId),
    isOptedIn: (waId: string) => optedIn.has(waId),
    optedIn: () => [...optedIn],
    block: (phoneNumberId: string, waId: string) => void blocked.add(pair(phoneNumberId, waId)),
    hasBlocked: (phoneNumberId: string, waId: string) => blocked.has(pair(phoneNumberId, waId)),
    /** `scope` is the WABA: the user_preferences stop applies to the business (§8.2). */
    stopMarketing: (scope: string, waId: string) => void stoppedMarketing.add(pair(scope, waId)),
    resumeMarketing: (scope: string, waId: string) => void stoppedMarketing.delete(pair(scope, waId)),
    hasStoppedMarketing: (scope: string, waId: string) => stoppedMarketing.has(pair(scope, waId)),
    /** Messages this person received from us in the last 24 h (the frequency that annoys people, §8.4). */
    recordReceived: (waId: string, atMs: number) => void recent(received, waId, atMs).push(atMs),
    receivedLastDay: (waId: string, nowMs: number) => recent(received, waId, nowMs).length,
    recordMarketingDelivered: (waId: string, atMs: number) => void recent(marketingDelivered, waId, atMs).push(atMs),
    marketingLastDay: (waId: string, nowMs: number) => recent(marketingDelivered, waId, nowMs).length,
  };
}

export type Population = ReturnType<typeof createPopulation>;
