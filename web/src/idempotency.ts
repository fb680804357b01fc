// One Idempotency-Key per form submission: a retry of the same submission (a double click, a timeout
// and "try again") reuses the key, so the server creates the campaign or sends the message once; an
// edited form is a new submission and gets a new key (the server refuses a key reused for other content).

import { newIdempotencyKey } from './api.ts';

export type KeyKeeper = { keyFor(payload: unknown): string; done(): void };

export function createKeyKeeper(): KeyKeeper {
  let last: { payload: string; key: string } | null = null;
  return {
    keyFor(payload) {
      const text = JSON.stringify(payload);
      if (!last || last.payload !== text) last = { payload: text, key: newIdempotencyKey() };
      return last.key;
    },
    done() {
      last = null;
    },
  };
}
