import { describe, expect, it } from 'vitest';
import { isQuietHour, nextAllowedForContact, nextAllowedInstant, nextAllowedInstantInAll, quietHoursZones } from './quiet-hours.ts';

const night = { startHour: 21, endHour: 9 };
const lunch = { startHour: 12, endHour: 14 };

describe('isQuietHour', () => {
  it.each([
    ['is quiet at 21:00 when quiet hours cross midnight (21–09)', 21, night, true],
    ['is quiet at 03:00 when quiet hours cross midnight', 3, night, true],
    ['is not quiet at 09:00, the first allowed hour', 9, night, false],
    ['is not quiet at 20:00, the last allowed hour', 20, night, false],
    ['is quiet inside a same-day window (12–14 at 13:00)', 13, lunch, true],
    ['is not quiet at the end of a same-day window (14:00)', 14, lunch, false],
    ['is never quiet when start and end are equal', 3, { startHour: 0, endHour: 0 }, false],
  ])('%s', (_name, hour, quiet, expected) => {
    expect(isQuietHour(hour, quiet)).toBe(expected);
  });
});

describe('nextAllowedInstant', () => {
  it.each([
    ['returns now at an allowed hour', '2026-06-10T12:00:00Z', 'Europe/Berlin', night, '2026-06-10T12:00:00.000Z'],
    ['defers a 22:00 Berlin time to 09:00 the next morning', '2026-06-10T20:00:00Z', 'Europe/Berlin', night, '2026-06-11T07:00:00.000Z'],
    ['defers a 02:00 Berlin time to 09:00 the same morning', '2026-06-11T00:00:00Z', 'Europe/Berlin', night, '2026-06-11T07:00:00.000Z'],
    ['defers across the spring-forward night in Berlin to 09:00 CEST (07:00Z), not 08:00Z', '2026-03-28T22:00:00Z', 'Europe/Berlin', night, '2026-03-29T07:00:00.000Z'],
    ['defers across the fall-back night in Berlin to 09:00 CET (08:00Z)', '2026-10-24T20:00:00Z', 'Europe/Berlin', night, '2026-10-25T08:00:00.000Z'],
    ['defers across the fall-back night in New York to 09:00 EST (14:00Z)', '2026-11-01T03:00:00Z', 'America/New_York', night, '2026-11-01T14:00:00.000Z'],
    ['defers across the spring-forward night in New York to 09:00 EDT (13:00Z)', '2026-03-08T02:00:00Z', 'America/New_York', night, '2026-03-08T13:00:00.000Z'],
    ['ends quiet hours that end at 02:00 on the spring-forward jump, since 02:00 never happens', '2026-03-28T21:30:00Z', 'Europe/Berlin', { startHour: 22, endHour: 2 }, '2026-03-29T01:00:00.000Z'],
    ['keeps the repeated fall-back hour quiet when quiet hours end at 03:00', '2026-10-25T00:30:00Z', 'Europe/Berlin', { startHour: 22, endHour: 3 }, '2026-10-25T02:00:00.000Z'],
    ['defers a lunch-time message to 14:00 the same day', '2026-06-10T10:30:00Z', 'Europe/Berlin', lunch, '2026-06-10T12:00:00.000Z'],
    ['uses the contact’s zone, not UTC: 23:00Z is 20:00 in São Paulo and allowed', '2026-06-10T23:00:00Z', 'America/Sao_Paulo', night, '2026-06-10T23:00:00.000Z'],
  ])('%s', (_name, now, zone, quiet, expected) => {
    expect(nextAllowedInstant(new Date(now), zone, quiet).toISOString()).toBe(expected);
  });
});

describe('a contact without a time zone', () => {
  it('waits for an hour allowed in every zone of the country: 09:00 in Honolulu for a US contact', () => {
    expect(nextAllowedInstantInAll(new Date('2026-06-01T12:00:00Z'), ['America/New_York', 'Pacific/Honolulu'], night)?.toISOString()).toBe('2026-06-01T19:00:00.000Z');
    expect(nextAllowedForContact(new Date('2026-06-01T12:00:00Z'), { timeZone: null, country: 'US' }, night, 'UTC').toISOString()).toBe('2026-06-01T19:00:00.000Z');
  });

  it('returns null when the zones share no allowed hour', () => {
    expect(nextAllowedInstantInAll(new Date('2026-06-01T12:00:00Z'), ['Europe/Kaliningrad', 'Asia/Kamchatka'], { startHour: 20, endHour: 10 })).toBeNull();
  });

  it('falls back on the business zone when the country’s zones share no allowed hour (Russia, allowed 10–20)', () => {
    expect(nextAllowedForContact(new Date('2026-06-01T21:00:00Z'), { timeZone: null, country: 'RU' }, { startHour: 20, endHour: 10 }, 'Europe/Berlin').toISOString()).toBe('2026-06-02T08:00:00.000Z');
  });

  it.each([
    ['uses the contact’s own zone first', 'America/Recife', 'BR', { zones: ['America/Recife'], source: 'contact' }],
    ['uses every zone of the country when the zone is unknown', null, 'PT', { zones: ['Europe/Lisbon', 'Atlantic/Madeira', 'Atlantic/Azores'], source: 'country' }],
    ['treats a zone Intl does not know as unknown', 'Nowhere/Land', 'DE', { zones: ['Europe/Berlin', 'Europe/Zurich'], source: 'country' }],
    ['uses the fallback zone without zone or country', null, null, { zones: ['Europe/Berlin'], source: 'fallback' }],
  ])('%s', (_name, zone, country, expected) => {
    const result = quietHoursZones(zone, country, 'Europe/Berlin');
    expect({ ...result, zones: [...result.zones].sort() }).toEqual({ ...expected, zones: [...expected.zones].sort() });
  });
});
