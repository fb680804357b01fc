// Reads the timestamps people put in files: ISO 8601 only, because "03/04/2024" means March in the US
// and April almost everywhere else, and a consent record must not guess. Pure.

const isoPattern = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/** A date alone is midnight UTC; a time without a zone is read as UTC. Null when it is not a real ISO 8601 instant. */
export function parseInstant(text: string): Date | null {
  const match = isoPattern.exec(text.trim());
  if (!match) return null;
  const [, year, month, day, hour = '00', minute = '00', second = '00', fraction = '', zone = 'Z'] = match;
  const normalizedZone = zone.toUpperCase() === 'Z' ? 'Z' : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone;
  const millis = fraction.padEnd(3, '0').slice(0, 3);
  const date = new Date(`${year}-${month}-${day}T${hour}:${minute}:${second}.${millis}${normalizedZone}`);
  if (Number.isNaN(date.getTime())) return null;
  // Date() rolls 2024-02-30 over to March; a real date survives the round trip.
  const check = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (check.getUTCMonth() !== Number(month) - 1 || check.getUTCDate() !== Number(day)) return null;
  return date;
}
