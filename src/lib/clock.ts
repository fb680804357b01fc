// Time as a dependency: production code asks a Clock for `now` so tests (and the simulator's fast
// demo clock) can control it. Nothing here knows about the domain.

export type Clock = { now(): Date };

export const systemClock: Clock = { now: () => new Date() };

/** A clock that only moves when told to; for tests and deterministic runs. */
export function createManualClock(start: Date): Clock & { advanceMs(ms: number): void; set(at: Date): void } {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    advanceMs: (ms) => {
      current += ms;
    },
    set: (at) => {
      current = at.getTime();
    },
  };
}
