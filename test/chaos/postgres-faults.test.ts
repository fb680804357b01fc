// Chaos on Greenlight's side with PostgreSQL and real `greenlight worker` processes (worker-harness.ts):
// every connection the workers hold is cut again and again mid-campaign, and workers are SIGKILLed at
// random points. The simulator runs in this process, outlives every fault, and its sent log is the
// ground truth of what "Meta" received; its status webhooks reconcile the sends left unknown.

import { describe, expect, it } from 'vitest';
import pg from 'pg';
import type { ChildProcess } from 'node:child_process';
import { createCampaign } from '../../src/actions/create-campaign.ts';
import { launchCampaign } from '../../src/actions/launch-campaign.ts';
import { findCampaign } from '../../src/store/campaigns.ts';
import { countMessagesByState, reconcileUnknownMessages } from '../../src/store/campaign-messages.ts';
import { mergeMessageStatuses } from '../../src/store/message-statuses.ts';
import { openPostgres } from '../../src/store/postgres-db.ts';
import { campaignDocument } from '../helpers/campaign-harness.ts';
import { postgresAdminUrl } from '../helpers/test-backends.ts';
import { createPostgresTestDatabaseUrl } from '../helpers/test-db.ts';
import { createWorkerHarness, sleep, unfinished } from '../helpers/worker-harness.ts';
import { auditCampaign, expectAccountedFor, recordFigures } from './chaos-audit.ts';

const RECIPIENTS = 5_000;
const NO_GUARDS = { guards: { optOutRate: 1, failureRate: 1, blockSignalRate: 1 } };
// Names the workers' connections (pg reads PGAPPNAME), so only theirs are cut, not this process's.
const WORKER_APP_NAME = 'greenlight-chaos-worker';

/** A small seeded generator: the kill points are random but a failing run can be replayed from its seed. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

type WorkerHarness = Awaited<ReturnType<typeof createWorkerHarness>>;

function startNamedWorker(h: WorkerHarness): ChildProcess {
  // spawn copies the environment synchronously: only the worker sees the name.
  process.env.PGAPPNAME = WORKER_APP_NAME;
  try {
    return h.startWorker(['--lease-seconds', '3']);
  } finally {
    delete process.env.PGAPPNAME;
  }
}

/** Waits for the campaign to finish, lets the last webhooks land, stops `workers` and reconciles what is still unknown. */
async function settle(h: WorkerHarness, campaignId: number, workers: ChildProcess[], beforeStop: () => void = () => undefined): Promise<void> {
  for (let waited = 0; waited < 120_000 && (await unfinished(h.db, campaignId)); waited += 500) await sleep(500);
  const state = async () => JSON.stringify({ counts: await countMessagesByState(h.db, campaignId), campaign: (await findCampaign(h.db, campaignId))?.state, leases: await h.db.query('select lease_owner, dispatch_state, min(lease_until) as until, count(*)::int as n from messages where dispatch_state in (\'queued\', \'sending\', \'planned\') group by 1, 2') });
  if (await unfinished(h.db, campaignId)) expect.fail(`every recipient sent or accounted for: ${await state()}`);
  await sleep(3_000);
  beforeStop();
  for (const worker of workers) await h.stopWorker(worker, 'SIGTERM');
  await h.drainWebhooks();
  await mergeMessageStatuses(h.db, await reconcileUnknownMessages(h.db, new Date()), new Date());
}

describe('chaos: PostgreSQL and worker processes failing', () => {
  it.skipIf(!postgresAdminUrl)('a connection cut in the middle of a transaction fails that transaction only: the process survives and the pool serves the next query', async () => {
    const db = await openPostgres(await createPostgresTestDatabaseUrl(), { maxConnections: 2 });
    const killer = new pg.Client({ connectionString: postgresAdminUrl! });
    await killer.connect();
    try {
      const cut = db.transaction(async (tx) => {
        const [{ pid }] = (await tx.query<{ pid: number }>('select pg_backend_pid() as pid')) as [{ pid: number }];
        await killer.query('select pg_terminate_backend($1)', [pid]);
        // The 'error' event arrives while the transaction holds the client between two statements.
        await sleep(200);
        return tx.query('select 1');
      });
      await expect(cut).rejects.toThrow();
      expect(await db.query<{ one: number }>('select 1 as one')).toEqual([{ one: 1 }]);
    } finally {
      await killer.end();
      await db.close();
    }
  });

  // Opt-in (GREENLIGHT_CHAOS_PG_CUTS=1) until it passes every time: some runs still see a worker exit with
  // code 1 after a cut, or the campaign not finish within 2 minutes (the exit's stderr is in the failure).
  it.skipIf(!postgresAdminUrl || !process.env.GREENLIGHT_CHAOS_PG_CUTS)('PostgreSQL connections cut repeatedly under two running workers: they reconnect, nobody gets a duplicate, nobody is lost', async () => {
    const started = Date.now();
    const h = await createWorkerHarness({ recipients: RECIPIENTS, tag: 'pgcut' });
    const killer = new pg.Client({ connectionString: postgresAdminUrl! });
    await killer.connect();
    try {
      const [{ datname }] = (await h.db.query<{ datname: string }>('select current_database() as datname')) as [{ datname: string }];
      const { campaign } = await createCampaign(h.deps, campaignDocument({ audience: { tags: ['pgcut'] }, ...NO_GUARDS }));
      await launchCampaign(h.deps, campaign.id);
      const workers = [startNamedWorker(h), startNamedWorker(h)];
      const exits: string[] = [];
      for (const worker of workers) {
        const stderr: string[] = [];
        worker.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
        // An exit is reported with the lines that explain it (the errors a worker logs and survives come before).
        worker.once('exit', (code, signal) => exits.push(`exit ${code ?? signal}: ${stderr.join('').split('\n').filter((line) => !line.includes('dispatcher.')).join('\n').slice(-1_500)}`));
      }

      const random = seeded(20261125);
      const cuts: number[] = [];
      const sentBefore: number[] = [];
      for (let round = 0; round < 10 && (await unfinished(h.db, campaign.id)); round += 1) {
        await sleep(300 + Math.floor(random() * 700));
        const result = await killer.query<{ cut: number }>(
          'select count(*)::int as cut from (select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and application_name = $2) t',
          [datname, WORKER_APP_NAME],
        );
        cuts.push(result.rows[0]!.cut);
        sentBefore.push((await h.sent()).length);
      }
      expect(cuts.reduce((a, b) => a + b, 0), 'connections were cut').toBeGreaterThan(0);
      expect(sentBefore[0], 'the first cut landed mid-campaign').toBeLessThan(RECIPIENTS);
      let exitsBeforeStop: string[] = [];
      await settle(h, campaign.id, workers, () => {
        exitsBeforeStop = [...exits];
      });
      expect(exitsBeforeStop, 'the workers survived every cut (none exited before the SIGTERM)').toEqual([]);

      const audit = await auditCampaign(h.deps, campaign.id, await h.sent());
      expectAccountedFor(audit, RECIPIENTS);
      expect(audit.unknownButReceived).toBe(0);
      expect((await findCampaign(h.db, campaign.id))?.state).toMatch(/^(running|completed)$/);
      recordFigures({ scenario: '6. PostgreSQL connections cut (pg_terminate_backend)', engine: 'postgres', faults: `${cuts.length} rounds cutting ${cuts.reduce((a, b) => a + b, 0)} worker connections (sent before each: ${sentBefore.join(', ')})`, recipients: RECIPIENTS, received: audit.received, sent: audit.counts.sent, unknown: audit.counts.unknown, duplicates: audit.duplicates, lost: audit.lost, durationMs: Date.now() - started });
    } finally {
      await killer.end();
      await h.close();
    }
  }, 240_000);

  it.skipIf(!postgresAdminUrl)('workers SIGKILLed at random points: after restarts every recipient is sent once or shown unknown, never twice', async () => {
    const started = Date.now();
    const h = await createWorkerHarness({ recipients: RECIPIENTS, tag: 'randomkill' });
    try {
      const { campaign } = await createCampaign(h.deps, campaignDocument({ audience: { tags: ['randomkill'] }, ...NO_GUARDS }));
      await launchCampaign(h.deps, campaign.id);
      const seed = Date.now() % 100_000;
      const random = seeded(seed);
      const kills: Array<{ afterMs: number; sentBefore: number }> = [];
      for (let round = 0; round < 3; round += 1) {
        const worker = h.startWorker(['--lease-seconds', '3']);
        const afterMs = 2_500 + Math.floor(random() * 3_000);
        await sleep(afterMs);
        await h.stopWorker(worker, 'SIGKILL');
        kills.push({ afterMs, sentBefore: (await h.sent()).length });
      }
      expect(kills[0]!.sentBefore, `the first kill landed mid-campaign (seed ${seed})`).toBeLessThan(RECIPIENTS);
      // 3 s leases, as the killed workers': a worker starved of CPU outlives its own leases, and its lanes
      // re-claim each other's rows. Before claims carried a token (migration 0008) a stale lane then undid a
      // send in flight and the row went out twice (72, 56 and 28 duplicates in three runs).
      await settle(h, campaign.id, [h.startWorker(['--lease-seconds', process.env.CHAOS_LEASE ?? '3'])]);

      const audit = await auditCampaign(h.deps, campaign.id, await h.sent());
      expectAccountedFor(audit, RECIPIENTS);
      expect(audit.unknownButReceived, `an unknown send is one Meta never received (seed ${seed})`).toBe(0);
      recordFigures({ scenario: '7a. workers SIGKILLed at random points', engine: 'postgres', faults: `${kills.length} SIGKILLs after ${kills.map((kill) => `${kill.afterMs} ms`).join(', ')} (seed ${seed}; sent before each: ${kills.map((kill) => kill.sentBefore).join(', ')})`, recipients: RECIPIENTS, received: audit.received, sent: audit.counts.sent, unknown: audit.counts.unknown, duplicates: audit.duplicates, lost: audit.lost, durationMs: Date.now() - started });
    } finally {
      await h.close();
    }
  }, 240_000);
});
