// Wall-clock arithmetic in IANA time zones with Intl only (no dependency): the local date and hour of an
// instant, and the instant of a local wall time, across DST gaps and overlaps. Pure.

export type WallTime = { year: number; month: number; day: number; hour: number; minute: number; second: number };

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

// Building a DateTimeFormat costs far more than formatting with it, and a campaign sees few zones.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

// Building an Intl.DateTimeFormat costs ~60 µs; the dispatcher asks for every message (bench/RESULTS.md),
// and a campaign has few distinct zones, so each answer is kept. Bounded, in case input is hostile.
const canonicalZones = new Map<string, string | null>();
const MAX_REMEMBERED_ZONES = 10_000;

/** The canonical name of a zone Intl knows ("asia/calcutta" → "Asia/Calcutta"), or null for an unknown or empty name. */
export function validTimeZone(timeZone: string | null): string | null {
  if (timeZone === null || timeZone.trim() === '') return null;
  const known = canonicalZones.get(timeZone);
  if (known !== undefined) return known;
  let canonical: string | null;
  try {
    canonical = new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone;
  } catch {
    canonical = null;
  }
  if (canonicalZones.size < MAX_REMEMBERED_ZONES) canonicalZones.set(timeZone, canonical);
  return canonical;
}

export function wallTimeAt(instant: Date, timeZone: string): WallTime {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return { year: parts.year ?? 0, month: parts.month ?? 1, day: parts.day ?? 1, hour: parts.hour ?? 0, minute: parts.minute ?? 0, second: parts.second ?? 0 };
}

/** The wall time read as if it were UTC, in ms: the difference with the real instant is the zone's offset. */
function wallAsUtcMs(wall: WallTime): number {
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
}

function offsetMsAt(instantMs: number, timeZone: string): number {
  return wallAsUtcMs(wallTimeAt(new Date(instantMs), timeZone)) - Math.trunc(instantMs / 1000) * 1000;
}

/**
 * The first instant at which the zone's clocks show `wall` (or later). Offsets are taken a day either
 * side, which covers every DST change (none is closer than that to another):
 * - an overlap (autumn, 02:30 happens twice in Berlin) gives two instants: the earlier is returned;
 * - a gap (spring, 02:30 never happens in Berlin) gives none: the answer is the change itself, when
 *   clocks jump from before `wall` to after it (03:00 CEST), found by bisection between the two offsets.
 */
export function instantOfWallTime(wall: WallTime, timeZone: string): Date {
  const asUtc = wallAsUtcMs(wall);
  const offsets = [...new Set([offsetMsAt(asUtc - DAY_MS, timeZone), offsetMsAt(asUtc + DAY_MS, timeZone)])];
  const candidates = offsets.map((offset) => asUtc - offset);
  const matches = candidates.filter((candidate) => wallAsUtcMs(wallTimeAt(new Date(candidate), timeZone)) === asUtc);
  if (matches.length > 0) return new Date(Math.min(...matches));
  return new Date(firstInstantShowing(asUtc, Math.min(...candidates), Math.max(...candidates), timeZone));
}

/** Bisection to the second: `before` shows a wall time earlier than `asUtc`, `after` one at or past it. */
function firstInstantShowing(asUtc: number, before: number, after: number, timeZone: string): number {
  let low = before;
  let high = after;
  while (high - low > 1000) {
    const middle = low + Math.floor((high - low) / 2000) * 1000;
    if (wallAsUtcMs(wallTimeAt(new Date(middle), timeZone)) >= asUtc) high = middle;
    else low = middle;
  }
  return high;
}

/** The calendar day after `wall`'s (month and year roll over), at the given hour. */
export function nextDayAt(wall: WallTime, hour: number): WallTime {
  const next = new Date(Date.UTC(wall.year, wall.month - 1, wall.day + 1));
  return { year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate(), hour, minute: 0, second: 0 };
}
