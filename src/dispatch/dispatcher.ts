// The dispatcher: supervision ticks and send batches for every running campaign, in several lanes so
// database round trips and HTTP answers overlap. Any number of dispatchers may run against one
// PostgreSQL database (`greenlight worker`); claims, leases and the shared pacing slots keep them apart.

import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { RateCard } from '../domain/rate-card.ts';
import type { Deps } from '../deps.ts';
import type { WhatsAppApi } from '../ports.ts';
import { campaignSpentUsd, releaseLeases } from '../store/campaign-messages.ts';
import type { CampaignContext } from './campaign-context.ts';
import { sendBatch, type BatchResult, type BatchSettings, type ClaimCursors } from './send-batch.ts';
import { pauseCampaign, superviseCampaigns } from './supervise-campaigns.ts';
import { listCampaigns } from '../store/campaigns.ts';

export type DispatcherOptions = {
  rateCard: RateCard;
  /** Distinguishes this process's leases; random by default. */
  owner?: string;
  batchSize?: number;
  /** Batches in flight at once in this process. */
  lanes?: number;
  leaseMs?: number;
  pacing?: boolean;
  random?: () => number;
  /** Waits on the dispatcher's clock; real time by default. Tests on a simulated clock pass their own. */
  sleepUntil?: (at: Date) => Promise<void>;
  superviseEveryMs?: number;
  /** serve's public address for tracked links (GREENLIGHT_PUBLIC_URL). */
  publicUrl?: string | null;
  /** See BatchSettings.lateSlotToleranceMs; 15 ms unless a simulated clock needs otherwise. */
  lateSlotToleranceMs?: number;
};

export type DispatchTotals = { batches: number; claimed: number; sent: number; skipped: number; deferred: number; failed: number; unknown: number };

export type Dispatcher = {
  readonly owner: string;
  /** One supervision tick, then batches until nothing is due now. Returns what was done. */
  runOnce(): Promise<DispatchTotals>;
  /** Runs until `signal` aborts; finishes the batches in flight, gives back any lease it still holds, then resolves. */
  run(signal: AbortSignal): Promise<void>;
};

export function createDispatcher(deps: Deps & { whatsapp: WhatsAppApi }, options: DispatcherOptions): Dispatcher {
  const owner = options.owner ?? `worker-${randomUUID()}`;
  const lanes = Math.max(1, options.lanes ?? 4);
  const superviseEveryMs = options.superviseEveryMs ?? 1000;
  const sleepUntil = options.sleepUntil ?? ((at: Date) => sleep(at.getTime() - deps.clock.now().getTime()));
  const settings: BatchSettings = {
    owner,
    batchSize: options.batchSize ?? 500,
    leaseMs: options.leaseMs ?? 60_000,
    pacing: options.pacing ?? true,
    rateCard: options.rateCard,
    random: options.random ?? Math.random,
    sleepUntil,
    lateSlotToleranceMs: options.lateSlotToleranceMs ?? 15,
    publicUrl: options.publicUrl ?? null,
  };

  /** Each lane takes the next campaign in turn, so one large campaign does not starve the others. */
  async function drain(running: CampaignContext[], totals: DispatchTotals, deadline: number): Promise<void> {
    if (running.length === 0) return;
    const cursors: ClaimCursors = new Map();
    const active = new Set(running.map((context) => context.campaign.id));
    const spent = await loadSpent(running);
    let turn = 0;
    const lane = async () => {
      while (active.size > 0 && deps.clock.now().getTime() < deadline) {
        const candidates = running.filter((context) => active.has(context.campaign.id));
        const context = candidates[turn++ % candidates.length];
        if (!context) return;
        const result = await sendBatch(deps, context, settings, spent.get(context.campaign.id) ?? { value: 0 }, cursors);
        add(totals, result);
        if (result.claimed === 0) active.delete(context.campaign.id);
        if (result.pause) {
          active.delete(context.campaign.id);
          await applyPause(context, result.pause);
        }
      }
    };
    await Promise.all(Array.from({ length: lanes }, lane));
  }

  /** What each campaign with a budget has spent so far; the batches add to it as they send (step 11). */
  async function loadSpent(running: readonly CampaignContext[]): Promise<Map<number, { value: number }>> {
    const spent = new Map<number, { value: number }>();
    for (const context of running) spent.set(context.campaign.id, { value: context.spec.budget ? await campaignSpentUsd(deps.db, context.campaign.id) : 0 });
    return spent;
  }

  /** A pause Meta asked for reaches the campaign, or every running campaign of the sender or account. */
  async function applyPause(context: CampaignContext, pause: NonNullable<BatchResult['pause']>): Promise<void> {
    const pauseOf = { reason: pause.reason, detail: pause.detail, action: pause.action };
    if (pause.scope === 'campaign') return pauseCampaign(deps, context.campaign.id, pauseOf);
    for (const campaign of await listCampaigns(deps.db, { states: ['running', 'scheduled'] })) {
      if (pause.scope === 'account' || campaign.senderId === context.sender.id) await pauseCampaign(deps, campaign.id, pauseOf);
    }
  }

  async function runOnce(): Promise<DispatchTotals> {
    const totals: DispatchTotals = { batches: 0, claimed: 0, sent: 0, skipped: 0, deferred: 0, failed: 0, unknown: 0 };
    const running = await superviseCampaigns(deps);
    // Supervise again at least every `superviseEveryMs`: a breaker must not wait for a long drain.
    await drain(running, totals, deps.clock.now().getTime() + superviseEveryMs);
    return totals;
  }

  /**
   * The service loop: supervision every `superviseEveryMs` beside lanes that never stop between ticks,
   * so the sender's slot queue never drains while the campaigns are looked at (a pause in reserving
   * slots is throughput lost for good). A lane that finds nothing due waits for the next tick.
   */
  async function run(signal: AbortSignal): Promise<void> {
    let running: CampaignContext[] = [];
    let tick = 0;
    let spent = new Map<number, { value: number }>();
    const idleUntilTick = new Map<number, number>();
    const cursors: ClaimCursors = new Map();
    const supervisor = async () => {
      while (!signal.aborted) {
        try {
          running = await superviseCampaigns(deps);
          // Rewound every tick: a message recovered from a dead worker's lease may be due before the cursor.
          cursors.clear();
          spent = await loadSpent(running);
          tick += 1;
        } catch (error) {
          deps.log.error('dispatcher.supervision_failed', { error: error instanceof Error ? error.message : String(error) });
        }
        await sleep(superviseEveryMs, signal);
      }
    };
    let turn = 0;
    const lane = async () => {
      while (!signal.aborted) {
        const candidates = running.filter((context) => (idleUntilTick.get(context.campaign.id) ?? -1) < tick);
        const context = candidates[turn++ % Math.max(1, candidates.length)];
        if (!context) {
          await sleep(Math.min(superviseEveryMs, 100), signal);
          continue;
        }
        try {
          const result = await sendBatch(deps, context, settings, spent.get(context.campaign.id) ?? { value: 0 }, cursors);
          if (result.claimed === 0) idleUntilTick.set(context.campaign.id, tick);
          if (result.pause) {
            running = running.filter((other) => other.campaign.id !== context.campaign.id);
            await applyPause(context, result.pause);
          }
        } catch (error) {
          deps.log.error('dispatcher.batch_failed', { campaign: context.campaign.id, error: error instanceof Error ? error.message : String(error) });
          await sleep(superviseEveryMs, signal);
        }
      }
    };
    await Promise.all([supervisor(), ...Array.from({ length: lanes }, lane)]);
    // A batch that failed half-way leaves claims behind: released now, other workers need not wait out the
    // lease. If the database is gone, the leases expire and the next supervision tick recovers them.
    try {
      const released = await releaseLeases(deps.db, owner, deps.clock.now());
      if (released.requeued + released.unknown > 0) deps.log.warn('dispatcher.leases_released', released);
    } catch (error) {
      deps.log.error('dispatcher.release_failed', { error: error instanceof Error ? error.message : String(error) });
    }
  }

  return { owner, runOnce, run };
}

function add(totals: DispatchTotals, result: BatchResult): void {
  if (result.claimed === 0) return;
  totals.batches += 1;
  totals.claimed += result.claimed;
  totals.sent += result.sent;
  totals.skipped += result.skipped;
  totals.deferred += result.deferred;
  totals.failed += result.failed;
  totals.unknown += result.unknown;
}

/** Waits `ms`, or less when `signal` aborts: shutdown must not wait out a sleeping lane. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return delay(ms, undefined, signal ? { signal } : {}).catch(() => undefined);
}
