// The business phone numbers the simulator serves (id, WABA, display number, throughput level, quality)
// and the portfolio's messaging limit tier (§1.1: shared by every number). Read by GET /{phone-number-id}.

import type { Rating } from './quality-score.ts';

export type ThroughputLevel = 'STANDARD' | 'HIGH' | 'NOT_APPLICABLE';
export type SenderQuality = Exclude<Rating, 'UNKNOWN'>;

export type SenderOptions = {
  id: string;
  wabaId: string;
  /** Digits as Meta displays them, e.g. "15550783881". */
  displayPhoneNumber: string;
  verifiedName?: string;
  throughputLevel?: ThroughputLevel;
  /** Overrides the level's rate, e.g. 20 for a coexistence number (§2). */
  mps?: number;
  /** The rating before any feedback exists. */
  qualityRating?: SenderQuality;
};

export type Sender = {
  id: string;
  wabaId: string;
  displayPhoneNumber: string;
  verifiedName: string;
  throughputLevel: ThroughputLevel;
  mpsOverride: number | null;
  initialQuality: SenderQuality;
  /** Set through /_sim: wins over the computed rating until cleared. */
  qualityOverride: SenderQuality | null;
};

// §2: STANDARD 80 mps, HIGH 1,000 mps. NOT_APPLICABLE numbers get the default.
const MPS_BY_LEVEL: Readonly<Record<ThroughputLevel, number>> = { STANDARD: 80, HIGH: 1_000, NOT_APPLICABLE: 80 };

// §1.1 / §1.3 tiers in users per 24 h; TIER_NOT_SET behaves as the starting 250.
const USERS_BY_TIER: Readonly<Record<string, number>> = {
  TIER_50: 50,
  TIER_250: 250,
  TIER_NOT_SET: 250,
  TIER_1K: 1_000,
  TIER_2K: 2_000,
  TIER_10K: 10_000,
  TIER_100K: 100_000,
  TIER_UNLIMITED: Number.POSITIVE_INFINITY,
};

export const MESSAGING_LIMIT_TIERS = Object.keys(USERS_BY_TIER);

export const DEFAULT_SENDER: SenderOptions = { id: '106540352242922', wabaId: '102290129340398', displayPhoneNumber: '15550783881', verifiedName: 'Greenlight Demo' };

export function usersPerDay(tier: string): number {
  return USERS_BY_TIER[tier] ?? 250;
}

export function createSenders(options: readonly SenderOptions[]) {
  const senders = new Map<string, Sender>(
    options.map((sender) => [
      sender.id,
      {
        id: sender.id,
        wabaId: sender.wabaId,
        displayPhoneNumber: sender.displayPhoneNumber.replace(/\D/g, ''),
        verifiedName: sender.verifiedName ?? 'Simulated Business',
        throughputLevel: sender.throughputLevel ?? 'STANDARD',
        mpsOverride: sender.mps ?? null,
        initialQuality: sender.qualityRating ?? 'GREEN',
        qualityOverride: null,
      },
    ]),
  );
  return {
    get: (id: string) => senders.get(id),
    all: () => [...senders.values()],
    wabaIds: () => [...new Set([...senders.values()].map((sender) => sender.wabaId))],
    mps: (id: string) => {
      const sender = senders.get(id);
      return sender === undefined ? MPS_BY_LEVEL.STANDARD : sender.mpsOverride ?? MPS_BY_LEVEL[sender.throughputLevel];
    },
    /** The override, else the computed rating, else the starting one (no feedback yet). */
    quality: (sender: Sender, computed: Rating): SenderQuality => sender.qualityOverride ?? (computed === 'UNKNOWN' ? sender.initialQuality : computed),
  };
}

export type Senders = ReturnType<typeof createSenders>;
