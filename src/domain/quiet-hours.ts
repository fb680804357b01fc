// Quiet hours (decision step 7): whether the contact's local clock is inside the campaign's quiet hours,
// and the next moment it is not, in one zone or in every zone of a country. Pure; Intl only.

import countriesAndTimezones from 'countries-and-timezones';
import { instantOfWallTime, nextDayAt, validTimeZone, wallTimeAt } from './zoned-time.ts';

/**
 * Quiet from `startHour`:00 (inclusive) to `endHour`:00 (exclusive), in the contact's local time, hours
 * 0–23. `{ startHour: 21, endHour: 9 }` crosses midnight and allows 09:00–21:00; equal hours mean no quiet hours.
 */
export type QuietHours = { startHour: number; endHour: number };

export function isQuietHour(hour: number, quiet: QuietHours): boolean {
  if (quiet.startHour === quiet.endHour) return false;
  if (quiet.startHour < quiet.endHour) return hour >= quiet.startHour && hour < quiet.endHour;
  return hour >= quiet.startHour || hour < quiet.endHour;
}

/**
 * `now` when the zone's clock is outside the quiet hours; otherwise the instant its clock next reads
 * `endHour`:00. On a spring-forward day where that wall time does not exist (02:00 in Berlin), it is the
 * moment clocks jump past it; on a fall-back day it is the first of the two (zoned-time.ts).
 */
export function nextAllowedInstant(now: Date, timeZone: string, quiet: QuietHours): Date {
  const wall = wallTimeAt(now, timeZone);
  if (!isQuietHour(wall.hour, quiet)) return now;
  // Past midnight in a window that crossed it (01:00 in 21–09), the end is today; before midnight, tomorrow.
  const target = wall.hour < quiet.endHour ? { ...wall, hour: quiet.endHour, minute: 0, second: 0 } : nextDayAt(wall, quiet.endHour);
  const allowedAt = instantOfWallTime(target, timeZone);
  return allowedAt.getTime() > now.getTime() ? allowedAt : now;
}

// A search for a common allowed moment that has not settled after this many moves has none (zones
// spread wider than the allowed hours, e.g. Russia's 10 h under a 21–09 quiet time): at most a week ahead.
const MAX_MOVES = 64;
const SEARCH_LIMIT_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * The first moment at or after `now` that is outside the quiet hours in every one of `zones`, or null
 * when there is none. Each move goes to the earliest allowed moment of one zone, so the search never
 * passes over a common moment: the first instant where no zone moves it is the answer.
 */
export function nextAllowedInstantInAll(now: Date, zones: readonly string[], quiet: QuietHours): Date | null {
  let candidate = now;
  for (let move = 0; move < MAX_MOVES; move += 1) {
    const before = candidate.getTime();
    for (const zone of zones) candidate = nextAllowedInstant(candidate, zone, quiet);
    if (candidate.getTime() === before) return candidate;
    if (candidate.getTime() - now.getTime() > SEARCH_LIMIT_MS) return null;
  }
  return null;
}

export type QuietHoursZones = { zones: string[]; source: 'contact' | 'country' | 'fallback' };

/**
 * The zones whose clocks a contact's quiet hours are read in. Decision for a contact without a usable
 * zone (phone.ts leaves it null when the number's prefix spans clocks): every zone of its country, so
 * the message goes only at an hour allowed all over the country (a +1 number of unknown zone waits for
 * an hour that is allowed from New York to Honolulu). Without a country, the caller's fallback zone
 * (the business's own), which is also used when the country's zones share no allowed hour.
 */
export function quietHoursZones(timeZone: string | null, country: string | null, fallbackTimeZone: string): QuietHoursZones {
  const own = validTimeZone(timeZone);
  if (own !== null) return { zones: [own], source: 'contact' };
  const ofCountry = country === null ? [] : (countriesAndTimezones.getCountry(country.toUpperCase())?.timezones ?? []);
  const zones = [...new Set(ofCountry.map((zone) => validTimeZone(zone)).filter((zone): zone is string => zone !== null))];
  if (zones.length > 0) return { zones, source: 'country' };
  return { zones: [validTimeZone(fallbackTimeZone) ?? 'UTC'], source: 'fallback' };
}

/** Decision step 7 for one contact: `now`, or the next allowed moment in its zone(s) (see quietHoursZones). */
export function nextAllowedForContact(now: Date, contact: { timeZone: string | null; country: string | null }, quiet: QuietHours, fallbackTimeZone: string): Date {
  const { zones, source } = quietHoursZones(contact.timeZone, contact.country, fallbackTimeZone);
  const common = nextAllowedInstantInAll(now, zones, quiet);
  if (common !== null) return common;
  const fallback = source === 'fallback' ? (zones[0] ?? 'UTC') : (validTimeZone(fallbackTimeZone) ?? 'UTC');
  return nextAllowedInstant(now, fallback, quiet);
}
