// Pins the campaign document: the defaults a minimal document gets (product.md, Guards), the readable
// errors a bad one gets, and the rules read from a spec for the decision code. Pure unit tests.
import { describe, expect, it } from 'vitest';
import { DEFAULT_GUARD_THRESHOLDS } from './campaign-guards.ts';
import type { CampaignSpec, CampaignSpecInput, SpecError } from './campaign-spec.ts';
import { formatSpecErrors, frequencyCapOf, guardThresholdsOf, historyWindowMs, parseCampaignSpec, quietHoursOf, templatesOf, variableMappingOf } from './campaign-spec.ts';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const minimal: CampaignSpecInput = { name: 'Spring sale', sender: '106540352242922', template: 'spring_sale', defaultLanguage: 'en_US', audience: { all: true } };

function valid(extra: Partial<CampaignSpecInput> = {}): CampaignSpec {
  const result = parseCampaignSpec({ ...minimal, ...extra });
  if (!result.ok) throw new Error(`expected a valid document:\n${formatSpecErrors(result.errors)}`);
  return result.spec;
}

function errorsOf(input: unknown): SpecError[] {
  const result = parseCampaignSpec(input);
  if (result.ok) throw new Error('expected the document to be refused');
  return result.errors;
}

describe('parseCampaignSpec defaults', () => {
  it('gives a minimal document quiet hours 21–9, a cap of 2 marketing messages per 7 days, a 1 h canary hold (§12), UTC and no blocked countries', () => {
    const spec = valid();
    expect(spec).toMatchObject({
      quietHours: { start: 21, end: 9 },
      frequencyCap: { maxMarketing: 2, windowDays: 7, minGapHours: 0, sameTemplateDays: 0 },
      canary: { holdMinutes: 60 },
      timeZone: 'UTC',
      countries: { block: [] },
      variables: { body: {} },
      schedule: {},
      guards: {},
    });
    expect(spec.countries.allow).toBeUndefined();
    expect(spec.rate).toBeUndefined();
    expect(spec.budget).toBeUndefined();
    expect(spec.variants).toBeUndefined();
  });

  it('fills the rest of a partly given frequency cap with the defaults', () => {
    expect(valid({ frequencyCap: { maxMarketing: 1 } }).frequencyCap).toEqual({ maxMarketing: 1, windowDays: 7, minGapHours: 0, sameTemplateDays: 0 });
  });

  it('keeps "false" for quiet hours, frequency cap and canary, so each can be switched off', () => {
    const spec = valid({ quietHours: false, frequencyCap: false, canary: false });
    expect([spec.quietHours, spec.frequencyCap, spec.canary]).toEqual([false, false, false]);
  });

  it('writes the default language as Meta does ("pt-br" → "pt_BR")', () => {
    expect(valid({ defaultLanguage: 'pt-br' }).defaultLanguage).toBe('pt_BR');
  });

  it('upper-cases country codes in the audience and the allow/block lists', () => {
    const spec = valid({ audience: { countries: ['de'] }, countries: { allow: ['fr'], block: ['us'] } });
    expect(spec.audience.countries).toEqual(['DE']);
    expect(spec.countries).toEqual({ allow: ['FR'], block: ['US'] });
  });

  it('gives each variant a weight of 1 unless it says otherwise', () => {
    const spec = valid({ variants: [{ name: 'a', template: 'spring_sale' }, { name: 'b', template: 'spring_sale_v2', weight: 3 }] });
    expect(spec.variants?.map((variant) => variant.weight)).toEqual([1, 3]);
  });
});

describe('parseCampaignSpec errors', () => {
  it.each<[string, Record<string, unknown>, SpecError]>([
    ['a template name with upper case or dashes', { template: 'Spring-Sale' }, { path: 'template', message: expect.stringContaining('lower-case letters, digits and underscores') as string }],
    ['an unknown top-level field (objects are strict)', { colour: 'green' }, { path: '(document)', message: 'Unrecognized key: "colour"' }],
    ['an unknown field inside a nested object', { guards: { optOutRate: 0.1, maxOptOuts: 3 } }, { path: 'guards', message: 'Unrecognized key: "maxOptOuts"' }],
    ['an audience with no filter', { audience: {} }, { path: 'audience', message: expect.stringContaining('{"all": true}') as string }],
    ['a phone number that is not E.164', { audience: { phones: ['015112345678'] } }, { path: 'audience.phones.0', message: expect.stringContaining('E.164') as string }],
    ['a time zone that is not an IANA zone', { timeZone: 'Mars/Olympus' }, { path: 'timeZone', message: expect.stringContaining('IANA') as string }],
    ['a quiet hour outside 0–23', { quietHours: { start: 24, end: 9 } }, { path: 'quietHours.start', message: expect.stringContaining('23') as string }],
    ['a country that is not a two-letter code', { countries: { block: ['DEU'] } }, { path: 'countries.block.0', message: expect.stringContaining('two-letter country code') as string }],
    ['a button keyed by a name instead of its index', { variables: { body: {}, buttons: { first: { from: 'constant', value: 'x' } } } }, { path: 'variables.buttons.first', message: expect.any(String) as string }],
    ['a start date without an offset', { schedule: { startAt: '2026-12-01T09:00:00' } }, { path: 'schedule.startAt', message: expect.stringContaining('2026-12-01T09:00:00+01:00') as string }],
    ['quiet hours that start and end at the same hour', { quietHours: { start: 22, end: 22 } }, { path: 'quietHours', message: expect.stringContaining('use false') as string }],
    ['an end before the start', { schedule: { startAt: '2026-12-01T09:00:00+01:00', sendUntil: '2026-11-30T09:00:00+01:00' } }, { path: 'schedule.sendUntil', message: 'the campaign must end after it starts' }],
    ['an end equal to the start', { schedule: { startAt: '2026-12-01T09:00:00+01:00', sendUntil: '2026-12-01T08:00:00Z' } }, { path: 'schedule.sendUntil', message: 'the campaign must end after it starts' }],
    ['variants none of which uses the main template', { variants: [{ name: 'a', template: 'offer_a' }, { name: 'b', template: 'offer_b' }] }, { path: 'variants', message: expect.stringContaining('"spring_sale"') as string }],
    ['two variants with the same name', { variants: [{ name: 'a', template: 'spring_sale' }, { name: 'a', template: 'offer_b' }] }, { path: 'variants', message: 'each variant needs its own name' }],
    ['a single variant (A/B needs two)', { variants: [{ name: 'a', template: 'spring_sale' }] }, { path: 'variants', message: expect.any(String) as string }],
  ])('refuses %s, naming the path', (_name, change, expected) => {
    expect(errorsOf({ ...minimal, ...change })).toContainEqual(expected);
  });

  it('names the whole document when it is not an object', () => {
    expect(errorsOf(null)).toEqual([{ path: '(document)', message: expect.any(String) as string }]);
  });

  it('reports every missing required field at once', () => {
    expect(errorsOf({}).map((error) => error.path)).toEqual(expect.arrayContaining(['name', 'sender', 'template', 'defaultLanguage', 'audience']));
  });

  it('reports every schema problem at once: a bad template name, an unknown field and an empty audience', () => {
    const paths = errorsOf({ ...minimal, template: 'Bad', colour: 'green', audience: {} }).map((error) => error.path);
    expect(paths).toEqual(expect.arrayContaining(['template', '(document)', 'audience']));
  });

  it('reports every cross-field problem at once: quiet hours, schedule and both variant rules', () => {
    const errors = errorsOf({
      ...minimal,
      quietHours: { start: 5, end: 5 },
      schedule: { startAt: '2026-12-01T09:00:00Z', sendUntil: '2026-11-01T09:00:00Z' },
      variants: [{ name: 'a', template: 'offer_a' }, { name: 'a', template: 'offer_b' }],
    });
    expect(errors.map((error) => error.path).sort()).toEqual(['quietHours', 'schedule.sendUntil', 'variants', 'variants']);
  });

  it('refuses a default language that is not a language code', () => {
    expect(errorsOf({ ...minimal, defaultLanguage: 'not a language' })).toContainEqual({ path: 'defaultLanguage', message: expect.stringContaining('not a language code') as string });
  });

  it('reports shape problems first and the cross-field rules once the shape is right (a bad template name, then quiet hours 5–5)', () => {
    expect(errorsOf({ ...minimal, template: 'Bad', quietHours: { start: 5, end: 5 } }).map((error) => error.path)).toEqual(['template']);
    expect(errorsOf({ ...minimal, quietHours: { start: 5, end: 5 } }).map((error) => error.path)).toEqual(['quietHours']);
  });

  it('explains a button keyed by a name with the schema\'s own words (keyed by its 0-based index)', () => {
    const errors = errorsOf({ ...minimal, variables: { body: {}, buttons: { first: { from: 'constant', value: 'x' } } } });
    expect(errors).toContainEqual({ path: 'variables.buttons.first', message: expect.stringContaining('0-based index') as string });
  });

  it('formats each error on its own line with its path', () => {
    expect(formatSpecErrors([{ path: 'template', message: 'bad' }, { path: 'audience', message: 'empty' }])).toBe('  template: bad\n  audience: empty');
  });
});

describe('the rules read from a spec', () => {
  it('turns quiet hours into start and end hours, and "false" into none', () => {
    expect(quietHoursOf(valid())).toEqual({ startHour: 21, endHour: 9 });
    expect(quietHoursOf(valid({ quietHours: false }))).toBeNull();
  });

  it('turns the frequency cap into milliseconds, and "false" into none', () => {
    expect(frequencyCapOf(valid())).toEqual({ maxMarketing: 2, windowMs: 7 * DAY, minGapMs: 0, sameTemplateCooldownMs: 0 });
    expect(frequencyCapOf(valid({ frequencyCap: { maxMarketing: 3, windowDays: 1.5, minGapHours: 12, sameTemplateDays: 30 } }))).toEqual({ maxMarketing: 3, windowMs: 1.5 * DAY, minGapMs: 12 * HOUR, sameTemplateCooldownMs: 30 * DAY });
    expect(frequencyCapOf(valid({ frequencyCap: false }))).toBeNull();
  });

  it('keys button bindings by their numeric index and leaves out buttons when there are none', () => {
    const binding = { from: 'attribute' as const, key: 'coupon' };
    const mapping = variableMappingOf(valid({ variables: { body: { '1': { from: 'contact', field: 'first_name' } }, buttons: { '0': binding, '2': binding } } }));
    expect(mapping.buttons?.[0]).toEqual(binding);
    expect(mapping.buttons?.[2]).toEqual(binding);
    expect(Object.keys(mapping.buttons ?? {})).toEqual(['0', '2']);
    expect(mapping.body).toEqual({ '1': { from: 'contact', field: 'first_name' } });
    expect('buttons' in variableMappingOf(valid())).toBe(false);
  });

  it('uses the default guard thresholds and a 15 min window when the document sets none', () => {
    expect(guardThresholdsOf(valid())).toEqual({ ...DEFAULT_GUARD_THRESHOLDS, windowMs: 15 * 60_000 });
  });

  it('lets each guard threshold the document sets win over its default, and keeps the others', () => {
    const thresholds = guardThresholdsOf(valid({ guards: { optOutRate: 0.05, minSample: 200, windowMinutes: 60 } }));
    expect(thresholds).toEqual({ ...DEFAULT_GUARD_THRESHOLDS, optOutRate: 0.05, minSample: 200, windowMs: 60 * 60_000 });
  });

  it('sends the main template alone, weight 1, without variants', () => {
    expect(templatesOf(valid())).toEqual([{ variant: null, template: 'spring_sale', weight: 1 }]);
  });

  it('sends each variant’s template with its name and weight in A/B', () => {
    const spec = valid({ variants: [{ name: 'a', template: 'spring_sale' }, { name: 'b', template: 'spring_sale_v2', weight: 2 }] });
    expect(templatesOf(spec)).toEqual([
      { variant: 'a', template: 'spring_sale', weight: 1 },
      { variant: 'b', template: 'spring_sale_v2', weight: 2 },
    ]);
  });

  it.each<[string, Partial<CampaignSpecInput>, number]>([
    ['the 7-day cap window by default', {}, 7 * DAY],
    ['the same-template cooldown when it is the longest', { frequencyCap: { sameTemplateDays: 30 } }, 30 * DAY],
    ['the minimum gap when it is the longest', { frequencyCap: { windowDays: 1, minGapHours: 48 } }, 48 * HOUR],
    ['the 6 s pair gap without a frequency cap', { frequencyCap: false }, 6_000],
    ['the 6 s pair gap when every cap window is shorter', { frequencyCap: { windowDays: 0.00001 } }, 6_000],
  ])('loads history as far back as %s', (_name, change, expected) => {
    expect(historyWindowMs(valid(change))).toBe(expected);
  });
});

describe('the README example', () => {
  it('samples/campaign.json, the document the README shows, is a valid campaign', async () => {
    const { readFileSync } = await import('node:fs');
    const document: unknown = JSON.parse(readFileSync(new URL('../../samples/campaign.json', import.meta.url), 'utf8'));
    expect(parseCampaignSpec(document)).toMatchObject({ ok: true });
  });
});
