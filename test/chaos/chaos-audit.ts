// What every chaos scenario checks once the faults stop, in one place: no recipient got the message
// twice (the simulator's log is what "Meta" received), none is lost (nothing left planned, queued or
// in flight), the dispatch counters add up to the audience, and what Meta received is what Greenlight
// recorded as sent, wamid for wamid. Also prints and files each scenario's figures.

import { appendFileSync } from 'node:fs';
import { expect } from 'vitest';
import { campaignReport } from '../../src/actions/campaign-report.ts';
import type { Clock } from '../../src/lib/clock.ts';
import { countMessagesByState, type DispatchCounts } from '../../src/store/campaign-messages.ts';
import type { Db } from '../../src/store/db.ts';
import { FIGURES_FILE } from './chaos-results.ts';

export type ChaosFigures = { scenario: string; engine: string; faults: string; recipients: number; received: number; sent: number; unknown: number; duplicates: number; lost: number; durationMs: number };

export type Received = { waId: string; wamid: string };

export type Audit = { counts: DispatchCounts; received: number; duplicates: number; lost: number; mismatched: number; unknownButReceived: number };

/** The campaign's rows against what Meta received; `expectAccountedFor` turns it into assertions. */
export async function auditCampaign(deps: { db: Db; clock: Clock }, campaignId: number, received: readonly Received[]): Promise<Audit> {
  const counts = await countMessagesByState(deps.db, campaignId);
  const perRecipient = new Map<string, number>();
  for (const message of received) perRecipient.set(message.waId, (perRecipient.get(message.waId) ?? 0) + 1);
  const rows = await deps.db.query<{ phone: string; dispatch_state: string; wamid: string | null }>(
    'select c.phone, m.dispatch_state, m.wamid from messages m join contacts c on c.id = m.contact_id where m.campaign_id = $1',
    [campaignId],
  );
  const receivedWamid = new Map(received.map((message) => [`+${message.waId}`, message.wamid]));
  const report = await campaignReport(deps, campaignId);
  const totals = report.totals.counts;
  // The report's funnel must tell the same story as the raw states.
  expect(totals.targeted).toBe(rows.length);
  expect(totals.pending + totals.deferred + totals.inFlight + totals.sent + totals.unknown + totals.skipped + totals.failed + totals.cancelled).toBe(totals.targeted);
  expect(totals.sent).toBe(counts.sent);
  return {
    counts,
    received: received.length,
    duplicates: [...perRecipient.values()].filter((count) => count > 1).length,
    lost: counts.planned + counts.deferred + counts.queued + counts.sending,
    mismatched: rows.filter((row) => row.dispatch_state === 'sent' && receivedWamid.get(row.phone) !== row.wamid).length,
    unknownButReceived: rows.filter((row) => row.dispatch_state === 'unknown' && receivedWamid.has(row.phone)).length,
  };
}

/** Zero duplicates, zero lost, counters that add up, and Meta's log equal to Greenlight's `sent`. */
export function expectAccountedFor(audit: Audit, recipients: number): void {
  const { counts } = audit;
  expect(audit.duplicates, 'no recipient received the message twice').toBe(0);
  expect(audit.lost, 'nothing left planned, deferred, queued or in flight').toBe(0);
  expect(counts.sent + counts.skipped + counts.failed + counts.unknown + counts.cancelled, 'targeted = sent + skipped + failed + unknown + cancelled').toBe(recipients);
  expect(audit.received, 'every send Meta received is recorded as sent').toBe(counts.sent);
  expect(audit.mismatched, 'each sent row carries the wamid Meta gave its recipient').toBe(0);
}

export function recordFigures(figures: ChaosFigures): void {
  console.log(`chaos figures: ${figures.scenario} [${figures.engine}] faults: ${figures.faults}; recipients ${figures.recipients}; Meta received ${figures.received}; recorded sent ${figures.sent}; unknown ${figures.unknown}; duplicates ${figures.duplicates}; lost ${figures.lost}; ${(figures.durationMs / 1000).toFixed(1)} s`);
  appendFileSync(FIGURES_FILE, `${JSON.stringify(figures)}\n`);
}
