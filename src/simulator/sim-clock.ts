// Simulated time and the event queue that runs on it. Manual mode moves only on advance(ms) (tests);
// speed mode follows real time multiplied by `speed` (60 = one simulated minute per real second, for demos).
// Every timed behaviour of the simulator (statuses, replies, reviews, unpausing, webhook retries) is an event here.

import type { Clock } from '../lib/clock.ts';
import { systemClock } from '../lib/clock.ts';

export type SimClockOptions = {
  startAt: Date;
  /** 'manual' (default) or a real-time multiplier such as 1 or 60. */
  speed?: 'manual' | number;
  /** The real clock that speed mode follows; tests of speed mode inject a manual one. */
  realClock?: Clock;
  /** How often speed mode runs due events, in real milliseconds. */
  tickMs?: number;
  /** Speed mode has no caller to throw to: a failing task is reported here. */
  onTaskError?: (error: unknown) => void;
};

type Task = () => void | Promise<void>;
type ScheduledTask = { atMs: number; seq: number; task: Task };

export type SimClock = Clock & {
  nowMs(): number;
  readonly mode: 'manual' | 'speed';
  /** Runs `task` at simulated `atMs` (at once on the next run if already past). Same-instant tasks run in scheduling order. */
  schedule(atMs: number, task: Task): void;
  after(delayMs: number, task: Task): void;
  /** Resolves when simulated time has moved `ms` further (in manual mode, only when someone advances the clock). */
  sleep(ms: number): Promise<void>;
  /** Moves simulated time forward by `ms`, running every task that falls due, in order. */
  advance(ms: number): Promise<void>;
  /** Runs the tasks already due. */
  runDue(): Promise<void>;
  /** Speed mode: start or stop following real time. */
  start(): void;
  stop(): void;
  pendingCount(): number;
};

/** A binary min-heap ordered by (atMs, seq): thousands of pending events stay cheap. */
function createTaskHeap() {
  const items: ScheduledTask[] = [];
  const before = (a: ScheduledTask, b: ScheduledTask) => a.atMs < b.atMs || (a.atMs === b.atMs && a.seq < b.seq);
  const swap = (i: number, j: number) => {
    const held = items[i] as ScheduledTask;
    items[i] = items[j] as ScheduledTask;
    items[j] = held;
  };
  const push = (item: ScheduledTask) => {
    items.push(item);
    for (let i = items.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!before(items[i] as ScheduledTask, items[parent] as ScheduledTask)) break;
      swap(i, parent);
      i = parent;
    }
  };
  const pop = (): ScheduledTask | undefined => {
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    items[0] = last;
    for (let i = 0; ; ) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < items.length && before(items[left] as ScheduledTask, items[smallest] as ScheduledTask)) smallest = left;
      if (right < items.length && before(items[right] as ScheduledTask, items[smallest] as ScheduledTask)) smallest = right;
      if (smallest === i) break;
      swap(i, smallest);
      i = smallest;
    }
    return top;
  };
  return { push, pop, peek: () => items[0], size: () => items.length };
}

/** Real milliseconds a speed-mode drain runs before it lets the event loop serve timers and sockets. */
const YIELD_EVERY_MS = 20;

export function createSimClock(options: SimClockOptions): SimClock {
  const speed = options.speed ?? 'manual';
  const realClock = options.realClock ?? systemClock;
  const heap = createTaskHeap();
  let seq = 0;
  let manualMs = options.startAt.getTime();
  // Speed mode: simulated = baseSimMs + (real - baseRealMs) × speed; advance() shifts baseSimMs.
  let baseSimMs = options.startAt.getTime();
  let baseRealMs = realClock.now().getTime();
  let processingAtMs: number | null = null;
  let chain: Promise<void> = Promise.resolve();
  let timer: ReturnType<typeof setInterval> | null = null;

  // Speed mode is frozen until start() and after stop().
  const liveMs = () => (speed === 'manual' ? manualMs : timer === null ? baseSimMs : baseSimMs + (realClock.now().getTime() - baseRealMs) * speed);
  const nowMs = () => processingAtMs ?? liveMs();

  const schedule = (atMs: number, task: Task) => {
    seq += 1;
    heap.push({ atMs, seq, task });
  };

  /**
   * Runs every task due by `untilMs`, one at a time; the first error is rethrown after the queue is drained.
   * In speed mode the loop yields to the event loop every few real milliseconds: a task that resolves at
   * once continues the loop as a microtask, so a backlog (a slow machine at 120×, webhook retries that
   * schedule more retries) would otherwise starve every timer and socket of the process — the HTTP answers
   * the deliveries wait for included — and the process would never catch up.
   */
  const drain = async (untilMs: () => number) => {
    let firstError: unknown = null;
    let sliceStartedMs = realClock.now().getTime();
    for (let next = heap.peek(); next !== undefined && next.atMs <= untilMs(); next = heap.peek()) {
      if (speed !== 'manual' && realClock.now().getTime() - sliceStartedMs >= YIELD_EVERY_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        sliceStartedMs = realClock.now().getTime();
        continue;
      }
      heap.pop();
      if (speed === 'manual') manualMs = Math.max(manualMs, next.atMs);
      processingAtMs = Math.max(next.atMs, processingAtMs ?? next.atMs);
      try {
        await next.task();
      } catch (error) {
        firstError ??= error;
      } finally {
        processingAtMs = null;
      }
    }
    if (firstError !== null) throw firstError instanceof Error ? firstError : new Error('A simulator task failed', { cause: firstError });
  };

  // Runs serialise: a task never overlaps another, which keeps runs deterministic.
  const serial = (work: () => Promise<void>) => {
    const run = chain.then(work);
    chain = run.catch(() => undefined);
    return run;
  };

  const advance = (ms: number) =>
    serial(async () => {
      if (speed === 'manual') {
        const target = manualMs + ms;
        await drain(() => target);
        manualMs = Math.max(manualMs, target);
        return;
      }
      baseSimMs += ms;
      await drain(liveMs);
    });

  return {
    mode: speed === 'manual' ? 'manual' : 'speed',
    now: () => new Date(nowMs()),
    nowMs,
    schedule,
    after: (delayMs, task) => schedule(nowMs() + Math.max(0, delayMs), task),
    sleep: (ms) => new Promise<void>((resolve) => schedule(nowMs() + Math.max(0, ms), resolve)),
    advance,
    runDue: () => serial(() => drain(liveMs)),
    start: () => {
      if (speed === 'manual' || timer !== null) return;
      baseRealMs = realClock.now().getTime();
      const report = options.onTaskError ?? (() => undefined);
      timer = setInterval(() => void serial(() => drain(liveMs)).catch(report), options.tickMs ?? 10);
      timer.unref();
    },
    stop: () => {
      if (timer === null) return;
      baseSimMs = liveMs();
      clearInterval(timer);
      timer = null;
    },
    pendingCount: () => heap.size(),
  };
}
