import { describe, expect, it } from 'vitest';
import type { CampaignRecipient, MessageCategory, RateCard } from './rate-card.ts';
import { estimateCampaignCost, formatRateCardErrors, loadDefaultRateCard, lookupRate, marketOf, parseRateCard, priceMessage } from './rate-card.ts';

const card: RateCard = loadDefaultRateCard();
const at = new Date('2026-08-15T12:00:00Z');
const outside = { insideServiceWindow: false, insideFreeEntryPoint: false };
const price = (country: string | null, category: MessageCategory, extra: Partial<Parameters<typeof priceMessage>[1]> = {}) => priceMessage(card, { country, category, at, ...outside, ...extra });

const RATES_HEADER = 'market,category,usd_per_message,effective_from,note';
const MARKETS_HEADER = 'country,calling_code,market';
const otherRows = ['Other,marketing,0.0604,2026-01-01,', 'Other,utility,0.0077,2026-01-01,', 'Other,authentication,0.0077,2026-01-01,'];

describe('the default rate card (data/rate-card.csv, whatsapp-rules.md §7.3)', () => {
  // [country, marketing, utility, authentication] exactly as §7.3's table gives them.
  it.each([
    ['US', 0.025, 0.0034, 0.0034],
    ['CA', 0.025, 0.0034, 0.0034],
    ['IN', 0.0118, 0.0014, 0.0014],
    ['BR', 0.0625, 0.0068, 0.0068],
    ['MX', 0.0305, 0.0085, 0.0085],
    ['GB', 0.0529, 0.022, 0.022],
    ['DE', 0.1365, 0.055, 0.055],
    ['ID', 0.0411, 0.025, 0.025],
    ['ES', 0.0615, 0.02, 0.02],
    ['IT', 0.0691, 0.03, 0.03],
    ['FR', 0.0859, 0.03, 0.03],
    ['CO', 0.0125, 0.0008, 0.0008],
    ['UY', 0.074, 0.0113, 0.0113],
    ['PT', 0.0592, 0.0171, 0.0171],
    ['JP', 0.0604, 0.0077, 0.0077],
  ])('prices %s at marketing %d, utility %d, authentication %d', (country, marketing, utility, authentication) => {
    expect([price(country, 'marketing').usd, price(country, 'utility').usd, price(country, 'authentication').usd]).toEqual([marketing, utility, authentication]);
  });

  it.each([
    ['IN', 'US', 0.028],
    ['ID', 'SG', 0.136],
  ])('charges authentication to %s from a business in %s at the authentication-international rate', (country, businessCountry, usd) => {
    const result = price(country, 'authentication', { businessCountry });
    expect(result).toMatchObject({ usd, rate: 'authentication_international', charged: true });
    expect(result.why).toMatch(/authentication-international.*§7\.3/);
  });

  it('keeps the domestic authentication rate for a business in the same country, without a business country, or where the market has no international rate', () => {
    expect(price('IN', 'authentication', { businessCountry: 'IN' })).toMatchObject({ usd: 0.0014, rate: 'authentication' });
    expect(price('IN', 'authentication')).toMatchObject({ usd: 0.0014, rate: 'authentication' });
    expect(price('BR', 'authentication', { businessCountry: 'US' })).toMatchObject({ usd: 0.0068, rate: 'authentication' });
  });

  it('follows effective dates: Mexico marketing was 0.0436 before 2025-10-01', () => {
    expect(price('MX', 'marketing', { at: new Date('2025-09-30T23:59:59Z') }).usd).toBe(0.0436);
    expect(price('MX', 'marketing', { at: new Date('2025-10-01T00:00:00Z') }).usd).toBe(0.0305);
  });

  it('uses the earliest rate for dates the card does not reach, and treats dates before 2025-07-01 as per-message pricing', () => {
    const early = price('DE', 'marketing', { at: new Date('2025-03-01T00:00:00Z') });
    expect(early).toMatchObject({ usd: 0.1365, charged: true });
    expect(early.why).toMatch(/earliest stands in/);
    expect(early.why).toMatch(/before 2025-07-01.*§7\.2/);
  });

  it('prices marketing to a US number but says it is not delivered (§8.3): the send decision skips it, not the price', () => {
    const result = price('US', 'marketing');
    expect(result).toMatchObject({ usd: 0.025, charged: true, market: 'North America' });
    expect(result.why).toMatch(/does not deliver marketing templates to US numbers/);
    expect(price('CA', 'marketing').why).not.toMatch(/does not deliver/);
  });

  it('prices marketing_lite (Marketing Messages API, §8.5) at the marketing rate', () => {
    expect(price('BR', 'marketing_lite')).toMatchObject({ usd: 0.0625, rate: 'marketing' });
  });
});

describe('marketOf', () => {
  it.each([
    ['BR', null, 'Brazil'],
    ['br', null, 'Brazil'],
    ['PR', '1', 'Rest of Latin America'],
    ['CH', '41', 'Rest of Western Europe'],
    ['GG', '44', 'United Kingdom'],
    ['NL', '31', 'Other'],
    ['BS', '1', 'Other'],
    [null, '1', 'North America'],
    [null, '+91', 'India'],
    [null, '999', 'Other'],
    [null, null, 'Other'],
  ])('puts country %s (calling code %s) in %s', (country, callingCode, market) => {
    expect(marketOf(card, country, callingCode)).toBe(market);
  });

  it('says why an unknown country is priced as Other', () => {
    expect(price('NL', 'marketing')).toMatchObject({ market: 'Other', usd: 0.0604 });
    expect(price('NL', 'marketing').why).toMatch(/NL is not on the card's market list/);
  });
});

describe('priceMessage: the date-aware model (§7.1, §7.2)', () => {
  const lastDayFree = new Date('2026-09-30T23:59:59Z');
  const firstDayCharged = new Date('2026-10-01T00:00:00Z');

  it('lets a utility template inside the service window go free on 2026-09-30 and charges it on 2026-10-01', () => {
    const inWindow = { insideServiceWindow: true };
    expect(price('BR', 'utility', { ...inWindow, at: lastDayFree })).toMatchObject({ usd: 0, charged: false, rate: 'utility' });
    expect(price('BR', 'utility', { ...inWindow, at: firstDayCharged })).toMatchObject({ usd: 0.0068, charged: true, rate: 'utility' });
  });

  it('lets a service message go free on 2026-09-30 and charges the market utility rate on 2026-10-01', () => {
    expect(price('GB', 'service', { insideServiceWindow: true, at: lastDayFree })).toMatchObject({ usd: 0, charged: false });
    const charged = price('GB', 'service', { insideServiceWindow: true, at: firstDayCharged });
    expect(charged).toMatchObject({ usd: 0.022, charged: true, rate: 'utility' });
    expect(charged.why).toMatch(/service messages are charged.*§7\.2/);
  });

  it('uses a "service" row when the card has one (e.g. rewritten from Meta\'s CSV after 2026-10-01)', () => {
    const rates = [RATES_HEADER, ...otherRows, 'Other,service,0.0050,2026-10-01,'].join('\n');
    const result = parseRateCard(rates, MARKETS_HEADER);
    if (!result.ok) throw new Error(formatRateCardErrors(result.errors));
    expect(priceMessage(result.card, { country: 'JP', category: 'service', at: firstDayCharged, ...outside, insideServiceWindow: true })).toMatchObject({ usd: 0.005, rate: 'service' });
  });

  it('charges a utility template outside the window, and marketing and authentication inside it, before 2026-10-01', () => {
    expect(price('BR', 'utility', { at: lastDayFree }).charged).toBe(true);
    expect(price('BR', 'marketing', { insideServiceWindow: true, at: lastDayFree }).charged).toBe(true);
    expect(price('BR', 'authentication', { insideServiceWindow: true, at: lastDayFree }).charged).toBe(true);
  });

  it.each(['marketing', 'utility', 'authentication', 'service'] as const)('lets %s go free inside a free entry point, before and after 2026-10-01', (category) => {
    for (const when of [lastDayFree, firstDayCharged]) {
      const result = price('DE', category, { insideFreeEntryPoint: true, insideServiceWindow: category === 'service', at: when });
      expect(result).toMatchObject({ usd: 0, charged: false });
      expect(result.why).toMatch(/free entry point.*§7\.1/);
    }
  });
});

describe('lookupRate', () => {
  it('gives the rate of a category a send decision already chose (its pricing.rate)', () => {
    expect(lookupRate(card, { country: 'FR' }, 'utility', at)).toMatchObject({ market: 'France', beforeCard: false, rate: { usd: 0.03 } });
    expect(lookupRate(card, { country: 'FR' }, 'authentication_international', at)).toBeNull();
  });
});

describe('estimateCampaignCost', () => {
  const recipient = (country: string | null, extra: Partial<CampaignRecipient> = {}): CampaignRecipient => ({ country, ...outside, ...extra });

  it('totals by market and rate with counts, and the totals add up', () => {
    const recipients = [recipient('BR'), recipient('BR'), recipient('BR', { insideFreeEntryPoint: true }), recipient('IN'), recipient('NL'), recipient('US')];
    const cost = estimateCampaignCost(card, recipients, 'marketing', at);
    expect(cost.lines).toEqual([
      { market: 'Brazil', rate: 'marketing', messages: 3, charged: 2, usd: 0.125 },
      { market: 'India', rate: 'marketing', messages: 1, charged: 1, usd: 0.0118 },
      { market: 'North America', rate: 'marketing', messages: 1, charged: 1, usd: 0.025 },
      { market: 'Other', rate: 'marketing', messages: 1, charged: 1, usd: 0.0604 },
    ]);
    expect(cost).toMatchObject({ messages: 6, charged: 5, free: 1, usd: 0.2222 });
    expect(cost.usd).toBe(cost.lines.reduce((total, line) => total + line.usd * 1e6, 0) / 1e6);
  });

  it('adds without floating-point drift over many messages', () => {
    const cost = estimateCampaignCost(card, Array.from({ length: 10_000 }, () => recipient('IN')), 'utility', at);
    expect(cost.usd).toBe(14);
  });

  it('splits authentication into domestic and international lines', () => {
    const cost = estimateCampaignCost(card, [recipient('IN'), recipient('US')], 'authentication', at, { businessCountry: 'US' });
    expect(cost.lines.map((line) => [line.market, line.rate, line.usd])).toEqual([
      ['India', 'authentication_international', 0.028],
      ['North America', 'authentication', 0.0034],
    ]);
  });

  it('charges in-window utility only from 2026-10-01', () => {
    const recipients = [recipient('MX', { insideServiceWindow: true }), recipient('MX')];
    expect(estimateCampaignCost(card, recipients, 'utility', new Date('2026-09-30T12:00:00Z'))).toMatchObject({ charged: 1, usd: 0.0085 });
    expect(estimateCampaignCost(card, recipients, 'utility', new Date('2026-10-01T12:00:00Z'))).toMatchObject({ charged: 2, usd: 0.017 });
  });
});

describe('parseRateCard', () => {
  const parseErrors = (rates: string[], markets: string[] = [MARKETS_HEADER]) => {
    const result = parseRateCard(rates.join('\n'), markets.join('\n'));
    return result.ok ? [] : formatRateCardErrors(result.errors).split('\n');
  };

  it('accepts comments, blank lines, a byte-order mark and CRLF line ends', () => {
    const result = parseRateCard(`\uFEFF# source\r\n${RATES_HEADER}\r\n\r\n${otherRows.join('\r\n')}\r\n`, `${MARKETS_HEADER}\r\nJP,81,Other\r\n`);
    expect(result.ok).toBe(true);
  });

  it('reports a malformed line with its file and line number', () => {
    expect(parseErrors(['# comment', RATES_HEADER, ...otherRows, 'Brazil,marketing,0.0625'])).toEqual(['rate-card.csv line 6: expected 5 fields (market, category, usd_per_message, effective_from, note), found 3']);
  });

  it('reports every invalid field with its line and column', () => {
    expect(parseErrors([RATES_HEADER, ...otherRows, 'Other,promo,0.01,2026-01-01,', 'Other,utility,1e-3,2026-01-01,', 'Other,utility,0.01,2026-02-30,'])).toEqual([
      expect.stringMatching(/^rate-card\.csv line 5: category: /),
      expect.stringMatching(/^rate-card\.csv line 6: usd_per_message: must be a decimal number/),
      'rate-card.csv line 7: effective_from: is not a calendar date',
    ]);
  });

  it('rejects quotes, a wrong header, duplicates, missing categories and a missing Other market', () => {
    expect(parseErrors([RATES_HEADER, ...otherRows, 'Other,marketing,"0.06",2026-02-01,'])).toEqual([expect.stringMatching(/^rate-card\.csv line 5: quoted fields are not supported/)]);
    expect(parseErrors(['market,category,usd', ...otherRows])).toEqual([expect.stringMatching(/^rate-card\.csv line 1: expected the header/)]);
    expect(parseErrors([RATES_HEADER, ...otherRows, 'Other,utility,0.0080,2026-01-01,'])).toEqual(['rate-card.csv line 5: Other utility from 2026-01-01 is already on line 3']);
    expect(parseErrors([RATES_HEADER, ...otherRows, 'Peru,marketing,0.07,2026-01-01,'])).toEqual(['rate-card.csv line 5: Peru has no utility, authentication rate']);
    expect(parseErrors([RATES_HEADER, 'Brazil,marketing,0.0625,2026-01-01,', 'Brazil,utility,0.0068,2026-01-01,', 'Brazil,authentication,0.0068,2026-01-01,'])).toEqual([
      'rate-card.csv line 1: no "Other" market: it prices every country no market lists',
    ]);
  });

  it('checks the markets file: known markets, valid codes, no country twice', () => {
    expect(parseErrors([RATES_HEADER, ...otherRows], [MARKETS_HEADER, 'JP,81,Japan', 'jp,81,Other', 'KR,+82,Other', 'BS,1,Other', 'BS,1,Other'])).toEqual([
      'rate-card-markets.csv line 2: market "Japan" has no rates in rate-card.csv',
      expect.stringMatching(/^rate-card-markets\.csv line 3: country: must be an ISO/),
      expect.stringMatching(/^rate-card-markets\.csv line 4: calling_code: must be a calling code/),
      'rate-card-markets.csv line 6: BS is listed twice',
    ]);
  });
});
