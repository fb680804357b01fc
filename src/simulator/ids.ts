// Identifiers in Meta's shapes (wamid.…, numeric Graph ids, fbtrace ids), drawn from a seeded stream so a
// replayed run produces the same ids. Graph ids stay below 2^53 because webhooks carry some as JSON numbers.

import type { Random } from './random.ts';

const HEX = '0123456789ABCDEF';
const TRACE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';

export type IdSource = {
  /** A message id: "wamid." + base64 of the user's number and a random part, like Meta's. */
  wamid(waId: string): string;
  /** A 16-digit Graph object id (templates, media), starting with `prefix` (4 digits). */
  graphId(prefix: string): string;
  fbtraceId(): string;
};

export function createIdSource(random: Random): IdSource {
  let counter = 0;
  return {
    wamid: (waId) => `wamid.${Buffer.from(`\u0018\u000b${waId}\u0015\u0002\u0000\u0011\u0018\u0012${random.chars(20, HEX)}\u0000`, 'latin1').toString('base64')}`,
    graphId: (prefix) => {
      counter += 1;
      return `${prefix.slice(0, 4)}${String(counter).padStart(6, '0')}${random.chars(6, '0123456789')}`;
    },
    fbtraceId: () => random.chars(27, TRACE),
  };
}
