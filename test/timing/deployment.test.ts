// The deployment of docs/deployment.md, as an operator brings it up on one machine: deploy/local-up.sh
// starts PostgreSQL's database, the simulated Meta, `serve --no-dispatch` and two workers under
// supervisord; a campaign goes out through the CLI, sent by both workers; one worker is stopped with
// SIGTERM mid-campaign and leaves nothing leased; deploy/local-down.sh stops every process. PostgreSQL.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { postgresAdminUrl } from '../helpers/test-backends.ts';

const root = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const RECIPIENTS = 80;
const RATE = 8;

const hasSupervisord = await run('sh', ['-c', 'command -v supervisord']).then(() => true, () => false);

/** Whether a port on 127.0.0.1 is free now. */
const portFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

/** `count` consecutive free ports (workers listen on base + i − 1). */
async function freePorts(count: number): Promise<number> {
  for (;;) {
    const base = 20_000 + Math.floor(Math.random() * 30_000);
    const free = await Promise.all(Array.from({ length: count }, (_, offset) => portFree(base + offset)));
    if (free.every(Boolean)) return base;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)} after ${timeoutMs} ms`);
    await sleep(250);
  }
}

describe('the local deployment: deploy/local-up.sh and local-down.sh (PostgreSQL, supervisord)', () => {
  it.skipIf(!postgresAdminUrl || (!hasSupervisord && !process.env.CI))('comes up ready with metrics, sends a campaign with two workers, releases a stopped worker’s leases and stops every process', async () => {
    expect(hasSupervisord, 'supervisord is installed (.ci/run installs Debian’s supervisor)').toBe(true);
    const started = Date.now();
    const runDir = mkdtempSync(path.join(tmpdir(), 'greenlight-deploy-'));
    const database = `greenlight_deploy_${process.pid}_${Date.now() % 1_000_000}`;
    const port = await freePorts(1);
    const simulatorPort = await freePorts(1);
    const metricsBase = await freePorts(2);
    const env = {
      ...process.env,
      GREENLIGHT_LOCAL_DB: database,
      GREENLIGHT_LOCAL_ADMIN_URL: postgresAdminUrl!,
      GREENLIGHT_LOCAL_PORT: String(port),
      GREENLIGHT_LOCAL_SIMULATOR_PORT: String(simulatorPort),
      GREENLIGHT_LOCAL_WORKER_METRICS_PORT: String(metricsBase),
      GREENLIGHT_LOCAL_WORKERS: '2',
      GREENLIGHT_LOCAL_RUN_DIR: runDir,
    };
    const conf = path.join(runDir, 'supervisord.conf');
    const pids: number[] = [];
    let client: pg.Client | null = null;
    let downFailure: Error | null;
    let survivors: number[];
    try {
      const up = await run('bash', ['deploy/local-up.sh'], { cwd: root, env, timeout: 90_000 });
      expect(up.stdout).toMatch(/Greenlight is up: database greenlight_deploy_\w+, 1 serve --no-dispatch and 2 worker\(s\) under supervisord/);
      const upMs = Date.now() - started;
      pids.push(Number(readFileSync(path.join(runDir, 'supervisord.pid'), 'utf8')));
      pids.push(...(await run('supervisorctl', ['-c', conf, 'pid', 'all'])).stdout.trim().split('\n').map(Number));
      expect(pids.filter((pid) => pid > 0 && alive(pid))).toHaveLength(5);

      const base = `http://127.0.0.1:${port}`;
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
      const metrics = await (await fetch(`${base}/metrics`)).text();
      for (const name of ['greenlight_campaign_messages', 'greenlight_campaign_queue_depth', 'greenlight_sender_sent_last_minute', 'greenlight_webhook_oldest_pending_age_seconds', 'greenlight_campaign_pauses_total', 'process_cpu_user_seconds_total']) {
        expect(metrics).toContain(`# HELP ${name} `);
      }
      // A worker's own port: its process metrics, not the deployment's figures (serve reports those once).
      const workerMetrics = await (await fetch(`http://127.0.0.1:${metricsBase + 1}/metrics`)).text();
      expect(workerMetrics).toContain('process_cpu_user_seconds_total');
      expect(workerMetrics).not.toContain('greenlight_campaign_messages');

      // The CLI with the deployment's settings (the env file local-up.sh wrote), as docs/deployment.md shows.
      const settings = Object.fromEntries(readFileSync(path.join(runDir, 'env'), 'utf8').trim().split('\n').map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]));
      const cli = async (...args: string[]) => (await run(process.execPath, ['bin/greenlight.js', ...args], { cwd: root, env: { ...process.env, ...settings }, timeout: 30_000 })).stdout;
      client = new pg.Client({ connectionString: settings.GREENLIGHT_DATABASE_URL });
      await client.connect();
      const db = client;

      await cli('templates', 'submit', 'templates/starter/back_in_stock.en.json');
      // The simulator reviews in 60 simulated seconds (1 s at 60×); its webhook or a sync brings the verdict.
      await until('template review', async () => {
        await cli('templates', 'sync');
        return (await db.query<{ status: string }>(`select status from templates where name = 'back_in_stock'`)).rows[0]?.status;
      }, (status) => status === 'APPROVED', 20_000);
      const csv = path.join(runDir, 'people.csv');
      writeFileSync(csv, ['phone,name,tags,opt_in_at', ...Array.from({ length: RECIPIENTS }, (_, index) => `+49151124${String(index).padStart(5, '0')},Person ${index},deploytest,2026-01-01T00:00:00Z`)].join('\n'));
      await cli('contacts', 'import', csv, '--opt-in-text', 'Yes, send me offers on WhatsApp', '--opt-in-source', 'signup form', '--categories', 'marketing');
      const spec = path.join(runDir, 'campaign.json');
      writeFileSync(spec, JSON.stringify({
        name: 'Deployment test', sender: settings.WHATSAPP_PHONE_NUMBER_ID, template: 'back_in_stock', defaultLanguage: 'en', audience: { tags: ['deploytest'] },
        variables: { body: { '1': { from: 'contact', field: 'first_name', fallback: 'there' }, '2': { from: 'constant', value: 'Linen Shirt' } }, buttons: { '0': { from: 'constant', value: 'linen-shirt' } } },
        quietHours: false, canary: false, frequencyCap: false, rate: { messagesPerSecond: RATE }, guards: { optOutRate: 1, failureRate: 1, blockSignalRate: 1 },
      }));
      const id = String((JSON.parse(await cli('campaigns', 'create', '--file', spec, '--json')) as { campaign: { id: number } }).campaign.id);
      expect(await cli('campaigns', 'launch', id)).toMatch(new RegExp(`${RECIPIENTS} recipients planned`));

      // Both workers send, then worker-1 is stopped (SIGTERM through supervisord) while the campaign runs.
      const senders = async () => (await db.query<{ owner: string; count: number }>(`select lease_owner as owner, count(*)::int as count from messages where campaign_id = $1 and dispatch_state = 'sent' group by lease_owner`, [id])).rows;
      await until('both workers sending', senders, (rows) => rows.length === 2, 30_000);
      const owner = /Campaign worker (worker-\S+) is running/.exec(readFileSync(path.join(runDir, 'logs', 'worker-1.out.log'), 'utf8'))?.[1];
      expect(owner).toMatch(/^worker-/);
      await run('supervisorctl', ['-c', conf, 'stop', 'workers:worker-1']);
      const [sentAtStop] = (await db.query<{ count: number }>(`select count(*)::int as count from messages where campaign_id = $1 and dispatch_state = 'sent'`, [id])).rows;
      expect(sentAtStop!.count, 'worker-1 stopped mid-campaign').toBeLessThan(RECIPIENTS);
      expect((await db.query(`select id from messages where lease_owner = $1 and dispatch_state in ('queued', 'sending')`, [owner])).rows, 'nothing left leased to the stopped worker').toEqual([]);
      expect(readFileSync(path.join(runDir, 'logs', 'worker-1.err.log'), 'utf8')).toContain('"message":"worker.stopped"');

      // worker-2 finishes: well within the 60 s lease, so nothing waited for worker-1's leases to expire.
      const counts = async () => Object.fromEntries((await db.query<{ state: string; count: number }>(`select dispatch_state as state, count(*)::int as count from messages where campaign_id = $1 group by dispatch_state`, [id])).rows.map((row) => [row.state, row.count]));
      const final = await until('the campaign sent', counts, (byState) => (byState.planned ?? 0) + (byState.deferred ?? 0) + (byState.queued ?? 0) + (byState.sending ?? 0) === 0, 40_000);
      expect((final.sent ?? 0) + (final.failed ?? 0) + (final.skipped ?? 0)).toBe(RECIPIENTS);
      const received = ((await (await fetch(`http://127.0.0.1:${simulatorPort}/_sim/sent`)).json()) as { data: Array<{ waId: string; wamid: string }> }).data;
      expect(new Set(received.map((message) => message.waId)).size, 'no recipient twice').toBe(received.length);
      const wamids = (await db.query<{ wamid: string }>(`select wamid from messages where campaign_id = $1 and dispatch_state = 'sent'`, [id])).rows.map((row) => row.wamid);
      const arrived = new Set(received.map((message) => message.wamid));
      expect(wamids.filter((wamid) => !arrived.has(wamid)), 'every message recorded as sent reached the simulated Meta').toEqual([]);
      // /metrics reports the database's figure (its snapshot is at most 5 s old).
      await until('metrics sent', async () => Number(/^greenlight_campaign_messages\{state="sent"\} (\d+)$/m.exec(await (await fetch(`${base}/metrics`)).text())?.[1]), (sent) => sent === final.sent, 15_000);
      console.log(`deployment test: up in ${(upMs / 1000).toFixed(1)} s; campaign of ${RECIPIENTS} ${JSON.stringify(final)}, ${sentAtStop!.count} sent when worker-1 stopped; ${((Date.now() - started) / 1000).toFixed(1)} s before local-down`);
    } finally {
      await client?.end().catch(() => undefined);
      downFailure = await run('bash', ['deploy/local-down.sh', '--drop-database'], { cwd: root, env, timeout: 150_000 }).then(() => null, (error: unknown) => error as Error);
      survivors = pids.filter((pid) => pid > 0 && alive(pid));
      // Whatever happened, nothing of this test outlives it.
      for (const pid of survivors) process.kill(pid, 'SIGKILL');
      rmSync(runDir, { recursive: true, force: true });
    }
    expect(downFailure).toBeNull();
    expect(survivors, 'every process is gone').toEqual([]);
    const left = new pg.Client({ connectionString: postgresAdminUrl! });
    await left.connect();
    try {
      expect((await left.query('select 1 from pg_database where datname = $1', [database])).rows).toEqual([]);
    } finally {
      await left.end();
    }
    console.log(`deployment test: ${((Date.now() - started) / 1000).toFixed(1)} s in all`);
  }, 180_000);
});
