// An erasure that finds webhooks not yet processed cannot replace them whole, as it does processed ones:
// they also carry other people's statuses and messages, which would then be lost. Instead the smallest
// array entry that names the erased person (a message from them, their contact card, a status for
// them, a preference change) is cut out, and the rest of the payload is processed as it would have been.

/**
 * Removes from `payload` every array entry in which a string equal to one of `identifiers` appears,
 * innermost first: an entry that only contains such an entry deeper down is kept, minus that entry.
 * Returns the payload (a new value; the input is not changed) and how many entries were removed.
 */
export function redactIdentifiers(payload: unknown, identifiers: ReadonlySet<string>): { payload: unknown; removed: number } {
  let removed = 0;
  const names = (value: unknown): boolean => {
    if (typeof value === 'string') return identifiers.has(value);
    if (Array.isArray(value)) return value.some(names);
    if (value !== null && typeof value === 'object') return Object.values(value).some(names);
    return false;
  };
  const strip = (value: unknown): unknown => {
    if (Array.isArray(value)) {
      const kept: unknown[] = [];
      for (const entry of value.map(strip)) {
        if (names(entry)) removed += 1;
        else kept.push(entry);
      }
      return kept;
    }
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, strip(inner)]));
    return value;
  };
  return { payload: strip(payload), removed };
}
