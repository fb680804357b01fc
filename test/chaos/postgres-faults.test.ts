// Chaos on Greenlight's side with PostgreSQL and real `greenlight worker` processes (worker-harness.ts):
// PostgreSQL restarts mid-campaign (every connection the workers hold cut, new ones refused for a
// while, through tcp-proxy.ts), and workers are SIGKILLed at random points. The simulator runs in this process, outlives every fault, and its sent log is the
// ground truth of what "Meta" received; its status webhooks reconcile the sends left unknown.

import { describe, expect, it } from 'vitest';
import pg from 'pg';
import type { ChildProcess } from 'node:child_process';
import { createCampaign } from '../../src/actions/create-campaign.ts';
import { launchCampaign } from '../../src/actions/launch-campaign.ts';
import { loadConfig } from '../../src/config.ts';
import { createHttpApp } from '../../src/http/app.ts';
import { systemClock } from '../../src/lib/clock.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { mulberry32 } from '../../src/lib/mulberry32.ts';
import { findCampaign } from '../../src/store/campaigns.ts';
import { countMessagesByState, reconcileUnknownMessages } from '../../src/store/campaign-messages.ts';
import { mergeMessageStatuses } from '../../src/store/message-statuses.ts';
import { openPostgres } from '../../src/store/postgres-db.ts';
import { signPayload } from '../../src/whatsapp/signature.ts';
import { campaignDocument } from '../helpers/campaign-harness.ts';
import { postgresAdminUrl } from '../helpers/test-backends.ts';
import { createPostgresTestDatabaseUrl } from '../helpers/test-db.ts';
import { createWorkerHarness, sleep, unfinished } from '../helpers/worker-harness.ts';
import { auditCampaign, expectAccountedFor, recordFigures } from './chaos-audit.ts';
import { startTcpProxy } from './tcp-proxy.ts';

const RECIPIENTS = 5_000;
const NO_GUARDS = { guards: { optOutRate: 1, failureRate: 1, blockSignalRate: 1 } };

type WorkerHarness = Awaited<ReturnType<typeof createWorkerHarness>>;

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

  it.skipIf(!postgresAdminUrl)('PostgreSQL restarting three times under two running workers: they reconnect, nobody gets a duplicate, nobody is lost', async () => {
    const started = Date.now();
    const h = await createWorkerHarness({ recipients: RECIPIENTS, tag: 'pgrestart' });
    const database = new URL(h.databaseUrl);
    const proxy = await startTcpProxy({ host: database.hostname, port: Number(database.port || 5432) });
    try {
      const { campaign } = await createCampaign(h.deps, campaignDocument({ audience: { tags: ['pgrestart'] }, ...NO_GUARDS }));
      await launchCampaign(h.deps, campaign.id);
      const throughProxy = new URL(h.databaseUrl);
      throughProxy.port = String(proxy.port);
      const workers = [0, 1].map(() => h.startWorker(['--lease-seconds', '3'], { GREENLIGHT_DATABASE_URL: throughProxy.toString() }));
      const exits: string[] = [];
      for (const worker of workers) {
        const stderr: string[] = [];
        worker.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
        // An exit is reported with the lines that explain it (the errors a worker logs and survives come before).
        worker.once('exit', (code, signal) => exits.push(`exit ${code ?? signal}: ${stderr.join('').split('\n').filter((line) => !line.includes('dispatcher.')).join('\n').slice(-1_500)}`));
      }

      // The restarts are about running workers: a worker that cannot reach the database at its start exits
      // and its service manager starts it again (deploy/systemd: Restart=on-failure).
      await Promise.all(workers.map((worker) => h.workerRunning(worker)));
      // Down for 1–3 s each time, about as long as a PostgreSQL restart or a failover takes.
      const random = mulberry32(20261125);
      const restarts: Array<{ downMs: number; cut: number; sentBefore: number }> = [];
      for (let round = 0; round < 3 && (await unfinished(h.db, campaign.id)); round += 1) {
        await sleep(1_500 + Math.floor(random() * 1_500));
        const downMs = 1_000 + Math.floor(random() * 2_000);
        const sentBefore = (await h.sent()).length;
        restarts.push({ downMs, cut: await proxy.restart(downMs), sentBefore });
      }
      expect(restarts.length, 'the database restarted three times before the campaign ended').toBe(3);
      expect(restarts[0]!.sentBefore, 'the first restart landed mid-campaign').toBeLessThan(RECIPIENTS);
      expect(restarts.every((restart) => restart.cut > 0), 'every restart cut the workers\' connections').toBe(true);
      let exitsBeforeStop: string[] = [];
      await settle(h, campaign.id, workers, () => {
        exitsBeforeStop = [...exits];
      });
      expect(exitsBeforeStop, 'the workers survived every restart (none exited before the SIGTERM)').toEqual([]);

      const audit = await auditCampaign(h.deps, campaign.id, await h.sent());
      expectAccountedFor(audit, RECIPIENTS);
      expect(audit.unknownButReceived).toBe(0);
      expect((await findCampaign(h.db, campaign.id))?.state).toMatch(/^(running|completed)$/);
      recordFigures({ scenario: '6. PostgreSQL restarting mid-campaign (two workers)', engine: 'postgres', faults: `${restarts.length} restarts, down ${restarts.map((r) => `${r.downMs} ms`).join(', ')}, cutting ${restarts.map((r) => r.cut).join(', ')} connections (sent before each: ${restarts.map((r) => r.sentBefore).join(', ')})`, recipients: RECIPIENTS, received: audit.received, sent: audit.counts.sent, unknown: audit.counts.unknown, duplicates: audit.duplicates, lost: audit.lost, durationMs: Date.now() - started });
    } finally {
      await proxy.close();
      await h.close();
    }
  }, 240_000);

  it.skipIf(!postgresAdminUrl)('webhooks arriving while PostgreSQL restarts are refused, never acknowledged unstored: Meta retries them and each is stored once', async () => {
    const url = await createPostgresTestDatabaseUrl();
    const database = new URL(url);
    const proxy = await startTcpProxy({ host: database.hostname, port: Number(database.port || 5432) });
    const throughProxy = new URL(url);
    throughProxy.port = String(proxy.port);
    const db = await openPostgres(throughProxy.toString(), { maxConnections: 2 });
    const direct = await openPostgres(url, { maxConnections: 1 });
    try {
      const app = createHttpApp({ config: loadConfig({}, process.cwd()), db, clock: systemClock, log: silentLogger }, { webhook: { appSecret: 'secret', verifyToken: null } });
      const post = (n: number) => {
        const body = JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: '102290129340398', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550783881', phone_number_id: '106540352242922' }, statuses: [{ id: `wamid.restart-${n}`, status: 'delivered', timestamp: '1764000000', recipient_id: '4915112345678' }] } }] }] });
        return app.request('/webhooks/whatsapp', { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signPayload(Buffer.from(body), 'secret') }, body });
      };
      expect((await post(1)).status).toBe(200);
      const restarting = proxy.restart(1_500);
      await sleep(100);
      // Meta delivers while the database is down: anything but 200, so Meta keeps the webhook and retries.
      const during = await Promise.all([post(2), post(3)]);
      expect(during.map((response) => response.status).every((status) => status >= 500), `answers while down: ${during.map((response) => response.status).join(', ')}`).toBe(true);
      await restarting;
      // Meta's retries, and a duplicate of the first one, once it is back.
      const after = await Promise.all([post(2), post(3), post(1)]);
      expect(after.map((response) => response.status)).toEqual([200, 200, 200]);
      const stored = await direct.query<{ count: number }>('select count(*)::int as count from webhook_events');
      expect(stored[0]!.count, 'each webhook stored once').toBe(3);
    } finally {
      await db.close();
      await direct.close();
      await proxy.close();
    }
  });

  it.skipIf(!postgresAdminUrl)('workers SIGKILLed at random points: after restarts every recipient is sent once or shown unknown, never twice', async () => {
    const started = Date.now();
    const h = await createWorkerHarness({ recipients: RECIPIENTS, tag: 'randomkill' });
    try {
      const { campaign } = await createCampaign(h.deps, campaignDocument({ audience: { tags: ['randomkill'] }, ...NO_GUARDS }));
      await launchCampaign(h.deps, campaign.id);
      const seed = Date.now() % 100_000;
      const random = mulberry32(seed);
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
