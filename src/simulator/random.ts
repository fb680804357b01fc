// Seeded randomness for the simulator: every random choice goes through a stream made here, so the
// same seed and the same sequence of requests and clock advances give the same run. No Math.random.

import { mulberry32 } from '../lib/mulberry32.ts';

export type Random = {
  /** A float in [0, 1). */
  next(): number;
  chance(probability: number): boolean;
  /** An integer in [min, max] (inclusive). */
  int(min: number, max: number): number;
  /** A float in [min, max). */
  between(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  /** A random string of `length` characters from `alphabet`. */
  chars(length: number, alphabet: string): string;
  /** An independent stream for one concern, so using more randomness in one place leaves the others unchanged. */
  fork(label: string): Random;
};

/** FNV-1a over the UTF-16 code units: a stable 32-bit hash for deriving seeds from labels and phone numbers. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

export function createRandom(seed: number | string): Random {
  const seedNumber = typeof seed === 'number' ? seed >>> 0 : hashString(seed);
  const next = mulberry32(seedNumber);
  const random: Random = {
    next,
    chance: (probability) => next() < probability,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    between: (min, max) => min + next() * (max - min),
    pick: (items) => {
      const item = items[Math.floor(next() * items.length)];
      if (item === undefined) throw new Error('pick from an empty list');
      return item;
    },
    chars: (length, alphabet) => {
      let text = '';
      for (let index = 0; index < length; index += 1) text += alphabet[Math.floor(next() * alphabet.length)] ?? '';
      return text;
    },
    fork: (label) => createRandom(hashString(`${seedNumber}:${label}`)),
  };
  return random;
}
