// Child process of the webhook ingestion benchmark that plays Greenlight: a fresh, migrated database
// (PGlite or PostgreSQL) with the campaign's messages rows, the real HTTP app (createHttpApp) served
// by @hono/node-server on loopback, and the real webhook processor kicked on every stored webhook, as
// `greenlight serve` wires them (src/runtime/http-server.ts). After the load it times how long the
// processor takes to drain the inbox and checks the database against what the load generator says
// was acknowledged.

import { serve } from '@hono/node-server';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { loadConfig } from '../../dist/config.js';
import { createHttpApp } from '../../dist/http/app.js';
import { systemClock } from '../../dist/lib/clock.js';
import { silentLogger } from '../../dist/lib/logger.js';
import { startWebhookProcessor } from '../../dist/runtime/webhook-processor.js';
import { migrate } from '../../dist/store/migrate.js';
import { parseWebhook } from '../../dist/whatsapp/webhook.js';
import { epochMs } from './latency.js';
import { newStatementStats, timedDb } from './measure.js';
import { openBenchDatabase } from './postgres.js';
import { isPreinserted, preinsertedSql, statusRank, wamidOf, wamidSql } from './status-webhooks.js';

const benchDatabase = 'greenlight_bench_webhooks';
const drainTimeoutMs = 15 * 60_000;

let state = null;

process.on('message', (message) => {
  const work = message.type === 'start' ? start(message) : finish(message);
  work.then(
    (report) => process.send(report, () => (report.type === 'report' ? process.exit(0) : undefined)),
    (error) => process.send({ type: 'error', error: error instanceof Error ? (error.stack ?? error.message) : String(error) }, () => process.exit(1)),
  );
});

/**
 * { engine, tmpDir, postgresUrl, messages, appSecret, pollMs, batchSize } →
 * { type: 'ready', url } or { type: 'skipped', reason }.
 */
async function start(task) {
  const engine = await openEngine(task);
  if (engine.skipped) return { type: 'skipped', reason: engine.skipped };
  const setupStartedAt = performance.now();
  await migrate(engine.db);
  // The campaign's sends as Greenlight recorded them (status 'accepted'), for a share of the wamids:
  // their statuses go through the merge; the others' stop at message_status_events.
  await engine.db.query(
    `insert into messages (wamid, status, created_at, updated_at)
     select ${wamidSql('g')}, 'accepted', now(), now() from generate_series(0, $1::integer - 1) g where ${preinsertedSql('g')}`,
    [task.messages],
  );
  const [{ preinserted }] = await engine.db.query('select count(*) as preinserted from messages');

  const stats = newStatementStats();
  const deps = { config: loadConfig({}, task.tmpDir), db: timedDb(engine.db, stats), clock: systemClock, log: silentLogger };
  const processor = startWebhookProcessor({ ...deps, parseWebhook }, { pollMs: task.pollMs, batchSize: task.batchSize });
  const app = createHttpApp(deps, { webhook: { appSecret: task.appSecret, verifyToken: 'bench-verify-token', onStored: () => processor.kick() } });
  let firstRequest = null;
  // How long the event loop was kept from running callbacks (reading requests, answering them) during the load.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  const { server, url } = await new Promise((resolve, reject) => {
    const server = serve(
      {
        // The first request starts the CPU clock; otherwise the app's own fetch, untouched.
        fetch: (request, env) => {
          if (firstRequest === null) {
            firstRequest = { at: epochMs(), cpu: process.cpuUsage() };
            loopDelay.enable();
          }
          return app.fetch(request, env);
        },
        port: 0,
        hostname: '127.0.0.1',
      },
      (info) => resolve({ server, url: `http://127.0.0.1:${info.port}` }),
    );
    server.once('error', reject);
  });
  state = { task, engine, stats, processor, server, preinserted, loopDelay, setupMs: performance.now() - setupStartedAt, firstRequest: () => firstRequest };
  return { type: 'ready', url, preinserted };
}

/**
 * { load } (the load generator's report) → { type: 'report', … }: the server's CPU during the load,
 * the drain, the processing rate and the checks.
 */
async function finish({ load }) {
  const { engine, stats, processor, server } = state;
  const db = engine.db;
  const first = state.firstRequest();
  const cpu = first ? process.cpuUsage(first.cpu) : null;
  const cpuShare = cpu ? (cpu.user + cpu.system) / 1000 / Math.max(1, epochMs() - first.at) : null;
  const statsAtLoadEnd = structuredClone(stats);
  state.loopDelay.disable();
  const ns = (value) => value / 1e6;
  const eventLoopDelay = { p50: ns(state.loopDelay.percentile(50)), p99: ns(state.loopDelay.percentile(99)), max: ns(state.loopDelay.max) };

  // The inbox once the last POST was answered, then every 50 ms until the processor has emptied it.
  const pendingAtLoadEnd = await pendingCount(db);
  let drainedAt = epochMs();
  let pending = pendingAtLoadEnd;
  while (pending > 0) {
    if (epochMs() - load.endedAt > drainTimeoutMs) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
    pending = await pendingCount(db);
    drainedAt = epochMs();
  }
  await new Promise((resolve) => server.close(resolve));
  await processor.stop();
  const totals = processor.totals();

  const [counts] = await db.query(
    `select (select count(*) from webhook_events) as webhooks,
            (select count(*) from webhook_events where processed_at is null) as unprocessed,
            (select count(*) from webhook_events where last_error is not null) as with_error,
            (select coalesce(sum(events_applied), 0) from webhook_events) as applied,
            (select coalesce(sum(events_unhandled), 0) from webhook_events) as unhandled,
            (select count(*) from message_status_events) as status_events,
            (select count(*) from (select distinct wamid, status from message_status_events) d) as distinct_pairs,
            (select count(*) from messages where pricing_category is not null) as priced`,
  );
  const byStatus = Object.fromEntries((await db.query('select status, count(*) as count from messages group by status')).map((row) => [row.status, row.count]));
  const mismatches = await compareMessages(db, load.expected.best);

  const expected = load.expected;
  const problems = [];
  const check = (what, actual, wanted) => {
    if (actual !== wanted) problems.push(`${what}: ${actual}, expected ${wanted}`);
  };
  check('webhooks left unprocessed', counts.unprocessed, 0);
  check('count(*) from webhook_events (distinct bodies acknowledged)', counts.webhooks, expected.bodies);
  check('webhooks with last_error', counts.with_error, 0);
  check('processor failures', totals.failed, 0);
  check('sum(events_applied) (statuses in the stored bodies)', counts.applied, expected.statuses);
  check('sum(events_unhandled)', counts.unhandled, 0);
  check('distinct (wamid, status) in message_status_events', counts.distinct_pairs, expected.pairs);
  check('count(*) from message_status_events', counts.status_events, expected.pairs);
  check('pre-inserted messages at read whose read was sent', mismatches.readExpected - mismatches.readWrong, mismatches.readExpected);
  check('pre-inserted messages whose status is not the highest one sent', mismatches.wrong, 0);
  check('messages by status', JSON.stringify(sortKeys(byStatus)), JSON.stringify(sortKeys(expected.preinsertedByStatus)));
  check('messages with pricing (pre-inserted, sent acknowledged)', counts.priced, expected.priced);
  if (mismatches.examples.length > 0) problems.push(`e.g. ${mismatches.examples.join(', ')}`);

  const report = {
    type: 'report',
    engine: state.task.engine,
    setupMs: state.setupMs,
    preinserted: state.preinserted,
    cpuShare,
    eventLoopDelay,
    pendingAtLoadEnd,
    drainedAt,
    drained: pending === 0,
    drainMs: drainedAt - load.endedAt,
    processingMs: drainedAt - load.startedAt,
    counts,
    readExpected: mismatches.readExpected,
    totals,
    statsAtLoadEnd,
    stats,
    problems,
  };
  await engine.close();
  return report;
}

async function pendingCount(db) {
  const [row] = await db.query('select count(*) as count from webhook_events where processed_at is null');
  return row.count;
}

/** Every messages row against the highest status the load generator had acknowledged for its wamid. */
async function compareMessages(db, best) {
  const rows = await db.query('select wamid, status from messages');
  const wanted = new Map();
  for (let index = 0; index < best.length; index += 1) if (isPreinserted(index)) wanted.set(wamidOf(index), best[index] || statusRank.accepted);
  const names = Object.fromEntries(Object.entries(statusRank).map(([name, rank]) => [rank, name]));
  let wrong = 0;
  let readExpected = 0;
  let readWrong = 0;
  const examples = [];
  for (const row of rows) {
    const rank = wanted.get(row.wamid);
    if (rank === undefined) continue; // beyond the bodies generated: never touched, checked by the counts by status
    if (rank === statusRank.read) readExpected += 1;
    if (row.status === names[rank]) continue;
    wrong += 1;
    if (rank === statusRank.read) readWrong += 1;
    if (examples.length < 3) examples.push(`${row.wamid} is ${row.status}, expected ${names[rank]}`);
  }
  return { wrong, readExpected, readWrong, examples };
}

function sortKeys(record) {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}

/** A fresh database for this engine: { db, close } or { skipped: reason }. */
async function openEngine(task) {
  const engine = await openBenchDatabase({ engine: task.engine, dir: join(task.tmpDir, 'pglite-webhooks'), name: benchDatabase, postgresUrl: task.postgresUrl });
  return engine;
}
