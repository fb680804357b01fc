// Child process of the dispatch benchmark for one engine: a fresh, migrated database with the contacts,
// senders and template (dispatch-fixtures.js); `prepare` times the launch of a campaign to every planned
// recipient (then pauses it) and launches one campaign per sender; `dispatch` runs the real dispatcher
// (createDispatcher, pacing off) against the loopback mock until nothing is left to send, sampling
// memory and progress every second, then checks in SQL that every message was sent once and recorded.

import { join } from 'node:path';
import { pauseCampaignByHand } from '../../dist/actions/control-campaign.js';
import { createCampaign } from '../../dist/actions/create-campaign.js';
import { launchCampaign } from '../../dist/actions/launch-campaign.js';
import { loadConfig } from '../../dist/config.js';
import { createDispatcher } from '../../dist/dispatch/dispatcher.js';
import { loadDefaultRateCard } from '../../dist/domain/rate-card.js';
import { systemClock } from '../../dist/lib/clock.js';
import { silentLogger } from '../../dist/lib/logger.js';
import { migrate } from '../../dist/store/migrate.js';
import { createCloudClient } from '../../dist/whatsapp/client.js';
import { campaignDocument, dispatchTag, PLAN_TAG, seedContacts, seedSenders } from './dispatch-fixtures.js';
import { formatInt, formatMB, newStatementStats, settleMemory, timedDb } from './measure.js';
import { openBenchDatabase } from './postgres.js';
import { machineCpuMs, startBackendCpuMeter } from './process-cpu.js';

const benchDatabase = 'greenlight_bench_dispatch';
const sampleEveryMs = 1000;
const liveMarks = 10;

let state = null;

process.on('message', (message) => {
  const work = message.type === 'prepare' ? prepare(message) : dispatch(message);
  work.then(
    (report) => process.send(report, () => (report.type === 'report' || report.type === 'skipped' ? process.exit(0) : undefined)),
    (error) => process.send({ type: 'error', error: error instanceof Error ? (error.stack ?? error.message) : String(error) }, () => process.exit(1)),
  );
});

/**
 * { engine, tmpDir, postgresUrl, planRows, messages, senders } → { type: 'prepared', seed, planning,
 * dispatchLaunches } or { type: 'skipped', reason }.
 */
async function prepare(task) {
  const engine = await openBenchDatabase({ engine: task.engine, dir: join(task.tmpDir, 'pglite-dispatch'), name: benchDatabase, postgresUrl: task.postgresUrl });
  if (engine.skipped) return { type: 'skipped', reason: engine.skipped };
  const db = engine.db;
  const log = (text) => console.log(`    [${task.engine}] ${text}`);
  const migrateStartedAt = performance.now();
  await migrate(db);
  const migrateMs = performance.now() - migrateStartedAt;
  const now = new Date();
  const seed = await seedContacts(db, { planRows: task.planRows, dispatchRows: task.messages, senders: task.senders }, now);
  log(`${formatInt(seed.contacts)} contacts in ${(seed.contactsMs / 1000).toFixed(1)} s, their opt-ins in ${(seed.consentMs / 1000).toFixed(1)} s`);
  await seedSenders(db, task.senders, now);
  const deps = { db, clock: systemClock };

  // 1. Planning: one campaign to every contact tagged for it, launched and timed, then paused by hand
  // so the dispatcher leaves it alone (its planned rows stay, as a large paused campaign's would).
  const { campaign: planned, audienceSize } = await createCampaign(deps, campaignDocument({ name: 'Planning benchmark', senderIndex: 0, tag: PLAN_TAG }));
  const launched = await launchCampaign(deps, planned.id);
  log(`planned ${formatInt(launched.recipients)} recipients in ${(launched.planMs / 1000).toFixed(2)} s`);
  await pauseCampaignByHand(deps, planned.id, 'the planning benchmark only plans it');
  const planning = { audienceSize, recipients: launched.recipients, planMs: launched.planMs, state: launched.campaign.state };

  // 2. One campaign per sender, each to its own share of the dispatch contacts.
  const campaignIds = [];
  const dispatchLaunches = [];
  for (let index = 0; index < task.senders; index += 1) {
    const { campaign } = await createCampaign(deps, campaignDocument({ name: `Dispatch benchmark ${index + 1}`, senderIndex: index, tag: dispatchTag(index) }));
    const dispatchLaunch = await launchCampaign(deps, campaign.id);
    campaignIds.push(campaign.id);
    dispatchLaunches.push({ recipients: dispatchLaunch.recipients, planMs: dispatchLaunch.planMs });
  }
  state = { task, engine, campaignIds, migrateMs };
  return { type: 'prepared', migrateMs, seed, planning, dispatchLaunches };
}

/** { url, batchSize, lanes, connections, maxMs } → { type: 'report', … }: the dispatch and the checks. */
async function dispatch(settings) {
  const { task, engine, campaignIds } = state;
  const stats = newStatementStats();
  const client = createCloudClient({ baseUrl: settings.url, apiVersion: 'v25.0', accessToken: 'bench', ...(settings.connections ? { maxConnections: settings.connections } : {}) });
  // Counts answers as they come, for the progress samples; the client itself is untouched.
  let answered = 0;
  const whatsapp = {
    ...client,
    sendMessage: async (...args) => {
      const answer = await client.sendMessage(...args);
      answered += 1;
      return answer;
    },
  };
  const deps = { config: loadConfig({}, task.tmpDir), db: timedDb(engine.db, stats), clock: systemClock, log: silentLogger, whatsapp };
  const dispatcher = createDispatcher(deps, { rateCard: loadDefaultRateCard(), pacing: false, batchSize: settings.batchSize, lanes: settings.lanes });

  await settleMemory();
  const samples = [];
  const sample = () => {
    const memory = process.memoryUsage();
    samples.push({ ms: performance.now() - startedAt, answered, heapUsed: memory.heapUsed, rss: memory.rss, external: memory.external });
    backends?.sample().catch(() => undefined);
  };
  // The live heap (right after a forced full gc) between two runOnce calls, when no batch is in flight,
  // once past each tenth of the messages (or of the time allowed, for a slow dispatcher), and at the
  // end: what the dispatcher keeps as the campaign grows, without the noise of the batches in flight.
  const live = [];
  const checkpoint = () => {
    const mark = (live.length + 1) / liveMarks;
    if (live.length >= liveMarks - 1 || (answered < mark * task.messages && performance.now() - startedAt < mark * settings.maxMs)) return;
    global.gc();
    live.push({ mark, answered, heapUsed: process.memoryUsage().heapUsed });
  };
  // The PostgreSQL server's backends of this database; the pool may open more during the dispatch.
  const backends = task.engine === 'postgres' ? await startBackendCpuMeter(engine.db) : null;
  const machineStart = machineCpuMs();
  const cpuStart = process.cpuUsage();
  const startedAt = performance.now();
  sample();
  const timer = setInterval(sample, sampleEveryMs);
  const totals = { runs: 0, batches: 0, claimed: 0, sent: 0, skipped: 0, deferred: 0, failed: 0, unknown: 0 };
  let stoppedAtCap = false;
  let nextLog = task.messages / 4;
  for (;;) {
    const once = await dispatcher.runOnce();
    totals.runs += 1;
    for (const key of Object.keys(once)) totals[key] += once[key];
    checkpoint();
    if (answered >= nextLog) {
      const last = samples.at(-1);
      console.log(`    [${task.engine}] ${formatInt(answered)} sent in ${((performance.now() - startedAt) / 1000).toFixed(1)} s, heap ${formatMB(last.heapUsed)}, RSS ${formatMB(last.rss)}`);
      nextLog += task.messages / 4;
    }
    if (performance.now() - startedAt >= settings.maxMs) {
      stoppedAtCap = true;
      break;
    }
    if (once.claimed > 0) continue;
    // Done when nothing is left to send. A campaign only turns `completed` two minutes after its last
    // send (Meta's time to refuse it, supervise-campaigns.ts): an idle wait the benchmark does not time.
    const [left] = await engine.db.query(
      `select count(*)::int as count from messages where campaign_id = any($1::bigint[]) and dispatch_state in ('planned', 'deferred', 'queued', 'sending')`,
      [campaignIds],
    );
    if (left.count === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const wallMs = performance.now() - startedAt;
  clearInterval(timer);
  sample();
  global.gc();
  live.push({ mark: 1, answered, heapUsed: process.memoryUsage().heapUsed });
  const cpu = process.cpuUsage(cpuStart);
  const machine = machineCpuMs(machineStart);
  const server = backends ? await backends.stop() : null;
  const statsAtEnd = structuredClone(stats);
  await client.close();

  const problems = [];
  const check = await checkDatabase(engine.db, campaignIds, { messages: task.messages, sent: answered, stoppedAtCap }, problems);
  await engine.close();
  return {
    type: 'report',
    engine: task.engine,
    settings,
    stoppedAtCap,
    wallMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    machine,
    server,
    totals,
    answered,
    samples,
    live,
    stats: statsAtEnd,
    check,
    problems,
  };
}

/**
 * Every dispatch message sent exactly once, with its outcome written: counts straight from the tables.
 * A run stopped at the time cap must have written every answer it got and left nothing claimed.
 */
async function checkDatabase(db, campaignIds, expected, problems) {
  const [counts] = await db.query(
    `select count(*)::int as messages,
            count(*) filter (where dispatch_state = 'sent')::int as sent,
            count(*) filter (where dispatch_state = 'planned')::int as planned,
            count(distinct wamid)::int as wamids,
            count(*) filter (where dispatch_state = 'sent' and (wamid is null or sent_at is null or status <> 'accepted' or attempts <> 1 or lease_until is not null))::int as incomplete
     from messages where campaign_id = any($1::bigint[])`,
    [campaignIds],
  );
  const others = await db.query(
    `select dispatch_state, coalesce(reason, '') as reason, count(*)::int as count from messages
     where campaign_id = any($1::bigint[]) and dispatch_state not in ('sent', 'planned') group by 1, 2 order by 3 desc limit 5`,
    [campaignIds],
  );
  const states = await db.query(`select state, count(*)::int as count from campaigns where id = any($1::bigint[]) group by state`, [campaignIds]);
  const expect = (what, actual, wanted) => {
    if (actual !== wanted) problems.push(`${what}: ${formatInt(actual)}, expected ${formatInt(wanted)}`);
  };
  const sent = expected.stoppedAtCap ? expected.sent : expected.messages;
  expect('messages rows of the dispatch campaigns', counts.messages, expected.messages);
  expect("dispatch_state = 'sent'", counts.sent, sent);
  expect('distinct wamids', counts.wamids, sent);
  expect("still 'planned'", counts.planned, expected.messages - sent);
  expect('sent rows missing their wamid, sent_at, status or attempt, or still leased', counts.incomplete, 0);
  if (others.length > 0) problems.push(`neither sent nor planned: ${others.map((row) => `${formatInt(row.count)} ${row.dispatch_state}${row.reason ? ` (${row.reason})` : ''}`).join(', ')}`);
  const running = states.find((row) => row.state === 'running')?.count ?? 0;
  const completed = states.find((row) => row.state === 'completed')?.count ?? 0;
  expect('campaigns running or completed (none paused)', running + completed, campaignIds.length);
  return { ...counts, running, completed, others };
}
