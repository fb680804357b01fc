// The WhatsApp rate card as data (USD per delivered message by market, category and effective date) and
// what a message or a campaign costs under Meta's date-aware pricing model (whatsapp-rules.md §7.1–7.3).
// Pure: parsing takes text; loadDefaultRateCard gets the shipped files' text from reference-data/.

import { z } from 'zod';
import { readDefaultRateCardMarketsText, readDefaultRateCardText } from '../reference-data/rate-card-file.ts';
import { IN_WINDOW_CHARGING_FROM } from './service-window.ts';

/** The categories a rate-card row may price. `service` rows are optional: without one, service costs the utility rate (§7.2). */
export const RATE_CATEGORIES = ['marketing', 'utility', 'authentication', 'authentication_international', 'service'] as const;
export type RateCategory = (typeof RATE_CATEGORIES)[number];

/** What is sent. `marketing_lite` is Meta's pricing category for the Marketing Messages API (§8.5), priced at the marketing rate. */
export type MessageCategory = 'marketing' | 'marketing_lite' | 'utility' | 'authentication' | 'service';

export type Rate = { market: string; category: RateCategory; usd: number; microUsd: number; effectiveFrom: Date; note: string; line: number };

export type RateCard = {
  /** The rows of each `market|category`, oldest first. */
  rates: ReadonlyMap<string, readonly Rate[]>;
  /** Recipient country (ISO 3166-1 alpha-2) → market. */
  countries: ReadonlyMap<string, string>;
  /** Calling code → the first country listed with it, for numbers that have no country. */
  callingCodes: ReadonlyMap<string, { country: string; market: string }>;
};

export const OTHER_MARKET = 'Other';
export const RATES_FILE = 'rate-card.csv';
export const MARKETS_FILE = 'rate-card-markets.csv';
/** §7.2: per-message pricing began here; earlier dates (conversation-based pricing) are priced as if it applied. */
export const PER_MESSAGE_PRICING_FROM = new Date(Date.UTC(2025, 6, 1));

const RATE_COLUMNS = ['market', 'category', 'usd_per_message', 'effective_from', 'note'] as const;
const MARKET_COLUMNS = ['country', 'calling_code', 'market'] as const;
// The categories every market needs; authentication_international exists only for some markets (§7.3).
const REQUIRED_CATEGORIES: readonly RateCategory[] = ['marketing', 'utility', 'authentication'];

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD')
  .refine((text) => new Date(`${text}T00:00:00Z`).toISOString().startsWith(text), 'is not a calendar date');

const rateRowSchema = z.object({
  market: z.string().min(1, 'is empty'),
  category: z.enum(RATE_CATEGORIES),
  usd_per_message: z.string().regex(/^\d+(\.\d{1,6})?$/, 'must be a decimal number of USD with at most 6 decimals, such as 0.0250'),
  effective_from: isoDate,
  note: z.string(),
});

const marketRowSchema = z.object({
  country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code in capitals, such as BR'),
  calling_code: z.string().regex(/^[1-9]\d{0,3}$/, 'must be a calling code without "+", such as 55'),
  market: z.string().min(1, 'is empty'),
});

export type RateCardError = { file: string; line: number; message: string };
export type RateCardResult = { ok: true; card: RateCard } | { ok: false; errors: RateCardError[] };

type CsvLine = { line: number; fields: Record<string, string> };

// ---- Parsing -----------------------------------------------------------------------------------------

/**
 * Splits a simple, trusted CSV: '#' comment and blank lines are skipped, the first other line must be the
 * header, fields are split on commas with no quoting (the files are ours or rewritten from Meta's), and any
 * line with the wrong number of fields or a quote is reported with its line number rather than guessed at.
 */
function readCsv(text: string, file: string, columns: readonly string[], errors: RateCardError[]): CsvLine[] {
  const rows: CsvLine[] = [];
  let headerSeen = false;
  text.replace(/^\uFEFF/, '').split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const content = raw.trim();
    if (content === '' || content.startsWith('#')) return;
    const fields = content.split(',').map((field) => field.trim());
    if (!headerSeen) {
      headerSeen = true;
      if (fields.join(',') !== columns.join(',')) errors.push({ file, line, message: `expected the header "${columns.join(',')}", found "${content}"` });
    } else if (content.includes('"')) errors.push({ file, line, message: 'quoted fields are not supported: write the line without quotes or commas inside a field' });
    else if (fields.length !== columns.length) errors.push({ file, line, message: `expected ${columns.length} fields (${columns.join(', ')}), found ${fields.length}` });
    else rows.push({ line, fields: Object.fromEntries(columns.map((column, at) => [column, fields[at] ?? ''])) });
  });
  if (!headerSeen) errors.push({ file, line: 1, message: `no header line "${columns.join(',')}"` });
  return rows;
}

function issuesOf(error: z.ZodError, file: string, line: number): RateCardError[] {
  return error.issues.map((issue) => ({ file, line, message: `${issue.path.join('.')}: ${issue.message}` }));
}

const rateKey = (market: string, category: RateCategory) => `${market}|${category}`;

function parseRates(text: string, errors: RateCardError[]): Map<string, Rate[]> {
  const rates = new Map<string, Rate[]>();
  for (const { line, fields } of readCsv(text, RATES_FILE, RATE_COLUMNS, errors)) {
    const parsed = rateRowSchema.safeParse(fields);
    if (!parsed.success) {
      errors.push(...issuesOf(parsed.error, RATES_FILE, line));
      continue;
    }
    const row = parsed.data;
    const rate: Rate = { market: row.market, category: row.category, usd: Number(row.usd_per_message), microUsd: Math.round(Number(row.usd_per_message) * 1e6), effectiveFrom: new Date(`${row.effective_from}T00:00:00Z`), note: row.note, line };
    const key = rateKey(rate.market, rate.category);
    const existing = rates.get(key) ?? [];
    const twin = existing.find((other) => other.effectiveFrom.getTime() === rate.effectiveFrom.getTime());
    if (twin) errors.push({ file: RATES_FILE, line, message: `${rate.market} ${rate.category} from ${row.effective_from} is already on line ${twin.line}` });
    else rates.set(key, [...existing, rate].sort((a, b) => a.effectiveFrom.getTime() - b.effectiveFrom.getTime()));
  }
  return rates;
}

/** Every market needs marketing, utility and authentication, and "Other" must exist: it prices every unlisted country. */
function checkComplete(rates: Map<string, Rate[]>, errors: RateCardError[]): void {
  const firstLine = new Map<string, number>();
  for (const rows of rates.values()) for (const rate of rows) firstLine.set(rate.market, Math.min(firstLine.get(rate.market) ?? rate.line, rate.line));
  if (!firstLine.has(OTHER_MARKET)) errors.push({ file: RATES_FILE, line: 1, message: `no "${OTHER_MARKET}" market: it prices every country no market lists` });
  for (const [market, line] of firstLine) {
    const missing = REQUIRED_CATEGORIES.filter((category) => !rates.has(rateKey(market, category)));
    if (missing.length > 0) errors.push({ file: RATES_FILE, line, message: `${market} has no ${missing.join(', ')} rate` });
  }
}

function parseMarkets(text: string, known: ReadonlySet<string>, errors: RateCardError[]): Pick<RateCard, 'countries' | 'callingCodes'> {
  const countries = new Map<string, string>();
  const callingCodes = new Map<string, { country: string; market: string }>();
  for (const { line, fields } of readCsv(text, MARKETS_FILE, MARKET_COLUMNS, errors)) {
    const parsed = marketRowSchema.safeParse(fields);
    if (!parsed.success) {
      errors.push(...issuesOf(parsed.error, MARKETS_FILE, line));
      continue;
    }
    const { country, calling_code: callingCode, market } = parsed.data;
    if (!known.has(market)) errors.push({ file: MARKETS_FILE, line, message: `market "${market}" has no rates in ${RATES_FILE}` });
    else if (countries.has(country)) errors.push({ file: MARKETS_FILE, line, message: `${country} is listed twice` });
    else {
      countries.set(country, market);
      if (!callingCodes.has(callingCode)) callingCodes.set(callingCode, { country, market });
    }
  }
  return { countries, callingCodes };
}

/** Parses and checks the two files of a rate card; every problem is returned with its file and line. */
export function parseRateCard(ratesCsv: string, marketsCsv: string): RateCardResult {
  const errors: RateCardError[] = [];
  const rates = parseRates(ratesCsv, errors);
  checkComplete(rates, errors);
  const markets = parseMarkets(marketsCsv, new Set([...rates.values()].flatMap((rows) => rows.map((rate) => rate.market))), errors);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, card: { rates, ...markets } };
}

export function formatRateCardErrors(errors: readonly RateCardError[]): string {
  return errors.map((error) => `${error.file} line ${error.line}: ${error.message}`).join('\n');
}

let defaultCard: RateCard | null = null;

/** The rate card shipped in data/ (§7.3, unconfirmed). A broken shipped file is a bug, so it throws. */
export function loadDefaultRateCard(): RateCard {
  if (defaultCard) return defaultCard;
  const result = parseRateCard(readDefaultRateCardText(), readDefaultRateCardMarketsText());
  if (!result.ok) throw new Error(`the default rate card is invalid:\n${formatRateCardErrors(result.errors)}`);
  defaultCard = result.card;
  return defaultCard;
}

// ---- Markets and rates ---------------------------------------------------------------------------------

export type Recipient = { country: string | null; callingCode?: string | null };

type Place = { market: string; country: string | null; how: string };

/**
 * §7.2 prices by the recipient's country calling code; the markets file refines a shared code by country
 * (+1: US and CA are North America, PR is Rest of Latin America). A known but unlisted country is "Other"
 * even when its calling code is listed, so a +1 Caribbean country is not priced at the cheaper US rate.
 */
function resolveMarket(card: RateCard, recipient: Recipient): Place {
  const country = recipient.country?.toUpperCase() ?? null;
  if (country !== null) {
    const market = card.countries.get(country);
    return market ? { market, country, how: `${country} is in ${market}` } : { market: OTHER_MARKET, country, how: `${country} is not on the card's market list, so ${OTHER_MARKET}` };
  }
  const code = recipient.callingCode?.replace(/^\+/, '') ?? null;
  const byCode = code === null ? undefined : card.callingCodes.get(code);
  if (byCode) return { market: byCode.market, country: byCode.country, how: `+${code} (no country) is ${byCode.market}` };
  return { market: OTHER_MARKET, country: null, how: `no known country or calling code, so ${OTHER_MARKET}` };
}

/** The pricing market of a recipient: its country's market, else its calling code's, else "Other". */
export function marketOf(card: RateCard, country: string | null, callingCode: string | null = null): string {
  return resolveMarket(card, { country, callingCode }).market;
}

export type FoundRate = { rate: Rate; beforeCard: boolean };

/**
 * The row in force at `at`: the latest effective on or before it. Before a market's first row the card knows
 * no rate, so the earliest one stands in (`beforeCard`) rather than pricing at zero.
 */
function rateAt(card: RateCard, market: string, category: RateCategory, at: Date): FoundRate | null {
  const rows = card.rates.get(rateKey(market, category));
  const first = rows?.[0];
  if (!rows || !first) return null;
  const inForce = rows.filter((rate) => rate.effectiveFrom.getTime() <= at.getTime()).at(-1);
  return inForce ? { rate: inForce, beforeCard: false } : { rate: first, beforeCard: true };
}

/** The rate of one category for a recipient at a date, for callers that already know the category (send-decision's `pricing.rate`). */
export function lookupRate(card: RateCard, recipient: Recipient, category: RateCategory, at: Date): (FoundRate & { market: string }) | null {
  const { market } = resolveMarket(card, recipient);
  const found = rateAt(card, market, category, at);
  return found ? { ...found, market } : null;
}

// ---- Pricing -------------------------------------------------------------------------------------------

export type PriceInput = Recipient & {
  category: MessageCategory;
  insideServiceWindow: boolean;
  insideFreeEntryPoint: boolean;
  at: Date;
  /**
   * The business's country. With it, authentication to a market that has an authentication-international
   * rate, from a business in another country, costs that rate (§7.3). Meta applies it only to businesses it
   * deemed eligible (by volume), so pass it only for those; without it the domestic rate applies.
   */
  businessCountry?: string | null;
};

export type MessagePrice = { usd: number; microUsd: number; charged: boolean; why: string; market: string; rate: RateCategory };

type Chosen = { category: RateCategory; found: FoundRate; reason: string | null };

function required(found: FoundRate | null, market: string, category: RateCategory): FoundRate {
  if (!found) throw new Error(`the rate card has no ${market} ${category} rate`);
  return found;
}

/** Which row prices the message: service falls back to utility (§7.2), marketing_lite is marketing (§8.5). */
function chooseRate(card: RateCard, place: Place, input: PriceInput): Chosen {
  const at = input.at;
  const market = place.market;
  switch (input.category) {
    case 'marketing':
    case 'marketing_lite': {
      const reason = input.category === 'marketing_lite' ? 'marketing_lite (Marketing Messages API) is priced at the marketing rate (§8.5)' : null;
      return { category: 'marketing', found: required(rateAt(card, market, 'marketing', at), market, 'marketing'), reason };
    }
    case 'utility':
      return { category: 'utility', found: required(rateAt(card, market, 'utility', at), market, 'utility'), reason: null };
    case 'service': {
      const service = rateAt(card, market, 'service', at);
      if (service) return { category: 'service', found: service, reason: null };
      return { category: 'utility', found: required(rateAt(card, market, 'utility', at), market, 'utility'), reason: 'service messages cost the market\'s utility rate (§7.2)' };
    }
    case 'authentication': {
      const business = input.businessCountry?.toUpperCase() ?? null;
      const international = business !== null && place.country !== null && business !== place.country ? rateAt(card, market, 'authentication_international', at) : null;
      if (international) return { category: 'authentication_international', found: international, reason: `authentication-international: the business is in ${business}, the recipient in ${place.country} (§7.3)` };
      return { category: 'authentication', found: required(rateAt(card, market, 'authentication', at), market, 'authentication'), reason: null };
    }
  }
}

/** Why a delivered message costs nothing, or null when it is charged (§7.1, §7.2). */
function freeReason(input: PriceInput): string | null {
  const beforeInWindowCharging = input.at.getTime() < IN_WINDOW_CHARGING_FROM.getTime();
  if (input.insideFreeEntryPoint) return 'free: inside a free entry point every message, templates included, is free (§7.1)';
  if (input.category === 'service' && beforeInWindowCharging) return 'free: service messages are free before 2026-10-01 (§7.2)';
  if (input.category === 'utility' && input.insideServiceWindow && beforeInWindowCharging) return 'free: utility templates inside an open service window are free before 2026-10-01 (§7.2)';
  return null;
}

function chargedReason(input: PriceInput, place: Place, chosen: Chosen): string {
  const price = `${place.market} ${chosen.category} rate, ${chosen.found.rate.usd} USD`;
  if (input.category === 'service') return `charged: from 2026-10-01 service messages are charged per message at the ${price} (§7.2)`;
  if (input.category === 'utility' && input.insideServiceWindow) return `charged: from 2026-10-01 utility templates inside the service window are charged at the ${price} (§7.2)`;
  return `charged: a delivered ${input.category} template costs the ${price} (§7.2, §7.3)`;
}

function notesFor(input: PriceInput, place: Place, chosen: Chosen): string[] {
  const notes = [place.how];
  if (chosen.reason) notes.push(chosen.reason);
  if (chosen.found.beforeCard) notes.push(`the card has no ${place.market} ${chosen.category} rate before ${chosen.found.rate.effectiveFrom.toISOString().slice(0, 10)}, so its earliest stands in`);
  if (input.at.getTime() < PER_MESSAGE_PRICING_FROM.getTime()) notes.push('before 2025-07-01 Meta priced conversations, not messages: priced here as per-message pricing (§7.2)');
  if (place.country === 'US' && chosen.category === 'marketing') notes.push('WhatsApp does not deliver marketing templates to US numbers (§8.3): the send decision skips them');
  return notes;
}

/**
 * What Meta charges for one delivered message (failed and undelivered ones are free, §7.2), by the date-aware
 * model: from 2025-07-01 templates are charged by category and market while service messages and utility
 * templates inside an open window are free; from 2026-10-01 both cost the market's utility rate; inside a
 * free entry point everything is free. It only prices: whether the message may be sent is send-decision's.
 */
export function priceMessage(card: RateCard, input: PriceInput): MessagePrice {
  const place = resolveMarket(card, input);
  const chosen = chooseRate(card, place, input);
  const free = freeReason(input);
  const microUsd = free === null ? chosen.found.rate.microUsd : 0;
  const why = [free ?? chargedReason(input, place, chosen), ...notesFor(input, place, chosen)].join('; ');
  return { usd: microUsd / 1e6, microUsd, charged: free === null, why, market: place.market, rate: chosen.category };
}

// ---- Campaign estimate ---------------------------------------------------------------------------------

export type CampaignRecipient = Recipient & { insideServiceWindow: boolean; insideFreeEntryPoint: boolean };

/** One market and rate: how many messages, how many charged, and what they cost. */
export type CostLine = { market: string; rate: RateCategory; messages: number; charged: number; usd: number };

export type CampaignCost = { messages: number; charged: number; free: number; usd: number; lines: CostLine[] };

/**
 * The cost of sending `category` to every recipient at `at`, assuming each is delivered (an upper bound:
 * undelivered messages are free, §7.2). Sums whole micro-dollars so totals do not drift with floating point.
 */
export function estimateCampaignCost(card: RateCard, recipients: Iterable<CampaignRecipient>, category: MessageCategory, at: Date, options: { businessCountry?: string | null } = {}): CampaignCost {
  const lines = new Map<string, { market: string; rate: RateCategory; messages: number; charged: number; microUsd: number }>();
  for (const recipient of recipients) {
    const price = priceMessage(card, { ...recipient, category, at, businessCountry: options.businessCountry ?? null });
    const key = rateKey(price.market, price.rate);
    const line = lines.get(key) ?? { market: price.market, rate: price.rate, messages: 0, charged: 0, microUsd: 0 };
    line.messages += 1;
    line.charged += price.charged ? 1 : 0;
    line.microUsd += price.microUsd;
    lines.set(key, line);
  }
  const sorted = [...lines.values()].sort((a, b) => a.market.localeCompare(b.market) || a.rate.localeCompare(b.rate));
  const sum = (pick: (line: (typeof sorted)[number]) => number) => sorted.reduce((total, line) => total + pick(line), 0);
  const messages = sum((line) => line.messages);
  const charged = sum((line) => line.charged);
  return {
    messages,
    charged,
    free: messages - charged,
    usd: sum((line) => line.microUsd) / 1e6,
    lines: sorted.map(({ microUsd, ...line }) => ({ ...line, usd: microUsd / 1e6 })),
  };
}

/**
 * The price of one message the send decision priced (`pricing` from send-decision.ts: which rate, and
 * whether Meta charges it), in micro-dollars: the dispatcher's cost for the budget and the estimate's
 * cost use this one rule. Whole micro-dollars, so sums over a million messages do not drift.
 */
export function decidedMessageMicroUsd(card: RateCard, country: string | null, pricing: { rate: RateCategory; charged: boolean }, at: Date): number {
  if (!pricing.charged) return 0;
  return lookupRate(card, { country }, pricing.rate, at)?.rate.microUsd ?? 0;
}
