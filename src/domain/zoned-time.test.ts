import { describe, expect, it } from 'vitest';
import { instantOfWallTime, nextDayAt, validTimeZone, wallTimeAt } from './zoned-time.ts';

const wall = (text: string) => {
  const [date = '', time = '00:00:00'] = text.split('T');
  const [year = 0, month = 1, day = 1] = date.split('-').map(Number);
  const [hour = 0, minute = 0, second = 0] = time.split(':').map(Number);
  return { year, month, day, hour, minute, second };
};

describe('instantOfWallTime', () => {
  it.each([
    ['reads a plain winter time in Berlin with its +01:00 offset', '2026-01-15T09:00:00', 'Europe/Berlin', '2026-01-15T08:00:00.000Z'],
    ['reads a summer time in New York with its -04:00 offset', '2026-07-01T09:00:00', 'America/New_York', '2026-07-01T13:00:00.000Z'],
    ['lands on the spring-forward jump for a Berlin wall time that never happens (02:30 on 2026-03-29)', '2026-03-29T02:30:00', 'Europe/Berlin', '2026-03-29T01:00:00.000Z'],
    ['picks the first of the two Berlin 02:30s on the fall-back day (2026-10-25)', '2026-10-25T02:30:00', 'Europe/Berlin', '2026-10-25T00:30:00.000Z'],
    ['lands on the spring-forward jump in New York (02:00 on 2026-03-08 does not exist)', '2026-03-08T02:00:00', 'America/New_York', '2026-03-08T07:00:00.000Z'],
    ['handles a half-hour zone (India, +05:30)', '2026-05-01T09:00:00', 'Asia/Kolkata', '2026-05-01T03:30:00.000Z'],
  ])('%s', (_name, local, zone, expected) => {
    expect(instantOfWallTime(wall(local), zone).toISOString()).toBe(expected);
  });

  it('round-trips every hour of a DST-change week in New York through wallTimeAt', () => {
    for (let hour = 0; hour < 24 * 7; hour += 1) {
      const instant = new Date(Date.UTC(2026, 2, 5, hour));
      expect(instantOfWallTime(wallTimeAt(instant, 'America/New_York'), 'America/New_York').getTime()).toBeLessThanOrEqual(instant.getTime());
      expect(wallTimeAt(instantOfWallTime(wallTimeAt(instant, 'America/New_York'), 'America/New_York'), 'America/New_York')).toEqual(wallTimeAt(instant, 'America/New_York'));
    }
  });
});

describe('nextDayAt and validTimeZone', () => {
  it('rolls the month and the year over', () => {
    expect(nextDayAt(wall('2026-12-31T22:00:00'), 9)).toEqual(wall('2027-01-01T09:00:00'));
  });

  it.each([
    ['accepts an IANA zone', 'Europe/Berlin', 'Europe/Berlin'],
    ['refuses a made-up zone', 'Mars/Olympus_Mons', null],
    ['refuses an empty zone', ' ', null],
    ['refuses no zone', null, null],
  ])('%s', (_name, zone, expected) => {
    expect(validTimeZone(zone)).toBe(expected);
  });
});
