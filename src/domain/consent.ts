// The consent rules: what an opt-in or opt-out event is, and the current consent derived from the
// append-only ledger. Pure; the ledger itself lives in store/consent-events.ts.
//
// Terminology (docs/glossary.md): an *event* is one recorded opt-in or opt-out for one category, with
// when it happened (occurredAt), where (source) and the words the person saw or sent (proof).
// *Consent* is what the events add up to now, per category.

export const CONSENT_CATEGORIES = ['marketing', 'utility'] as const;
export type ConsentCategory = (typeof CONSENT_CATEGORIES)[number];

export const CONSENT_EVENT_KINDS = ['opt_in', 'opt_out'] as const;
export type ConsentEventKind = (typeof CONSENT_EVENT_KINDS)[number];

export type ConsentEvent = {
  category: ConsentCategory;
  kind: ConsentEventKind;
  occurredAt: Date;
  source: string;
  proof: string | null;
};

export type ConsentState = 'opted_in' | 'opted_out' | 'unknown';

export type CategoryConsent = { state: ConsentState; since: Date | null; source: string | null };

export type Consent = Record<ConsentCategory, CategoryConsent>;

/**
 * Current consent per category: the latest event by the time it happened wins, whatever order the
 * events were recorded in, so an opt-out after an opt-in wins and one before it loses. Two events
 * at the same instant resolve to opt-out: when in doubt, Greenlight does not message (WhatsApp
 * Business Messaging Policy: respect every request to stop; whatsapp-rules.md §8.2).
 */
export function deriveConsent(events: readonly ConsentEvent[]): Consent {
  const consent = {} as Consent;
  for (const category of CONSENT_CATEGORIES) {
    let latest: ConsentEvent | null = null;
    for (const event of events) {
      if (event.category !== category) continue;
      if (latest === null || isLater(event, latest)) latest = event;
    }
    consent[category] = latest
      ? { state: latest.kind === 'opt_in' ? 'opted_in' : 'opted_out', since: latest.occurredAt, source: latest.source }
      : { state: 'unknown', since: null, source: null };
  }
  return consent;
}

function isLater(candidate: ConsentEvent, current: ConsentEvent): boolean {
  const difference = candidate.occurredAt.getTime() - current.occurredAt.getTime();
  if (difference !== 0) return difference > 0;
  return candidate.kind === 'opt_out' && current.kind === 'opt_in';
}

/** Reads "marketing", "utility", "all" or a list of them ("marketing|utility", "marketing, utility"). */
export function parseConsentCategories(text: string): ConsentCategory[] | null {
  const words = text.toLowerCase().split(/[\s,;|+]+/).filter((word) => word !== '');
  if (words.length === 0) return null;
  const categories = new Set<ConsentCategory>();
  for (const word of words) {
    if (word === 'all' || word === 'both') CONSENT_CATEGORIES.forEach((category) => categories.add(category));
    else if ((CONSENT_CATEGORIES as readonly string[]).includes(word)) categories.add(word as ConsentCategory);
    else return null;
  }
  return CONSENT_CATEGORIES.filter((category) => categories.has(category));
}
