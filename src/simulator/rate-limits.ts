// The two send-rate limits of whatsapp-rules.md §2, as token buckets on simulated time: throughput per
// business number (130429) and the pair rate per (business number, user) (131056). Knows nothing of
// payloads: the send pipeline asks before accepting a message.

// Refills are fractional: without a tolerance, 6,000 ms × (1/6,000) could land a hair under one token.
const EPSILON = 1e-9;

export type TokenBucket = { tokens: number; updatedAtMs: number };

/** Refills `bucket` up to `capacity` at `perMs` tokens per millisecond, then returns the tokens available. */
function refill(bucket: TokenBucket, capacity: number, perMs: number, nowMs: number): number {
  const elapsed = Math.max(0, nowMs - bucket.updatedAtMs);
  bucket.tokens = Math.min(capacity, bucket.tokens + elapsed * perMs);
  bucket.updatedAtMs = nowMs;
  return bucket.tokens;
}

export type RateLimitsOptions = {
  /** Messages per second for a number now (80 STANDARD, 1,000 HIGH, 20 coexistence; §2). */
  mpsFor(phoneNumberId: string): number;
  /** Pair model (§2): 1 message per `pairIntervalMs` per (number, user), bursts up to `pairBurst`. */
  pairIntervalMs: number;
  pairBurst: number;
};

export type RateLimits = {
  /** Takes one throughput token for an outbound message; false means 130429. */
  takeThroughput(phoneNumberId: string, nowMs: number): boolean;
  /** Inbound messages use the same throughput (§2: "inbound and outbound count together") but are never refused. */
  countInbound(phoneNumberId: string, nowMs: number): void;
  /** Takes one pair token; false means 131056. */
  takePair(phoneNumberId: string, waId: string, nowMs: number): boolean;
  /** Seconds until the pair has a token again (for the 131056 details). */
  pairWaitMs(phoneNumberId: string, waId: string, nowMs: number): number;
};

// Throughput: one bucket per number holding one second of messages (capacity = mps), refilled at mps.
// Sustained sending is therefore capped at exactly the level's mps, with at most one second of burst.
//
// Pair rate: one bucket per (number, user) with capacity `pairBurst` (45) refilled at 1 per
// `pairIntervalMs` (6 s). A fresh pair can burst 45 messages at once, "borrowing" future quota;
// afterwards the pair gets 1 message per 6 s until it has been idle long enough to refill (20 borrowed
// messages take 20 × 6 s = 2 min to pay back, Meta's own example in §2). This is the same as a GCRA
// limiter with a 6 s emission interval and a 45-message tolerance.
export function createRateLimits(options: RateLimitsOptions): RateLimits {
  const throughput = new Map<string, TokenBucket>();
  const pairs = new Map<string, TokenBucket>();
  const pairPerMs = 1 / options.pairIntervalMs;

  const senderBucket = (phoneNumberId: string, nowMs: number) => {
    const mps = options.mpsFor(phoneNumberId);
    let bucket = throughput.get(phoneNumberId);
    if (bucket === undefined) {
      bucket = { tokens: mps, updatedAtMs: nowMs };
      throughput.set(phoneNumberId, bucket);
    }
    refill(bucket, mps, mps / 1000, nowMs);
    return { bucket, mps };
  };

  const pairBucket = (phoneNumberId: string, waId: string, nowMs: number) => {
    const key = `${phoneNumberId}|${waId}`;
    let bucket = pairs.get(key);
    if (bucket === undefined) {
      bucket = { tokens: options.pairBurst, updatedAtMs: nowMs };
      pairs.set(key, bucket);
    }
    refill(bucket, options.pairBurst, pairPerMs, nowMs);
    return bucket;
  };

  return {
    takeThroughput: (phoneNumberId, nowMs) => {
      const { bucket } = senderBucket(phoneNumberId, nowMs);
      if (bucket.tokens < 1 - EPSILON) return false;
      bucket.tokens -= 1;
      return true;
    },
    countInbound: (phoneNumberId, nowMs) => {
      // Inbound may push the bucket into debt (at most one second's worth), delaying outbound sends.
      const { bucket, mps } = senderBucket(phoneNumberId, nowMs);
      bucket.tokens = Math.max(-mps, bucket.tokens - 1);
    },
    takePair: (phoneNumberId, waId, nowMs) => {
      const bucket = pairBucket(phoneNumberId, waId, nowMs);
      if (bucket.tokens < 1 - EPSILON) return false;
      bucket.tokens -= 1;
      return true;
    },
    pairWaitMs: (phoneNumberId, waId, nowMs) => {
      const bucket = pairBucket(phoneNumberId, waId, nowMs);
      return bucket.tokens >= 1 - EPSILON ? 0 : Math.ceil((1 - bucket.tokens) / pairPerMs);
    },
  };
}
