// The soak benchmark (`npm run bench:load`, not in CI): a million recipients sent by real `greenlight
// worker` processes (bin/greenlight.js, from dist/) on PostgreSQL, through their real Cloud API client, to
// the Cloud API simulator in a process of its own, whose sent log is the ground truth of what Meta
// received. The workers' memory is sampled from outside every few seconds (RSS from /proc, the heap in use
// from their own /metrics, the live heap from V8's --trace-gc after each full collection) to show it stays
// flat as the campaign grows; afterwards SQL and the simulator's log must agree that every recipient got
// exactly one message. Returns its RESULTS.md section.
//
// Why several campaigns: Meta caps a number at 1,000 messages/s (whatsapp-rules.md §2) and Greenlight
// paces a campaign at its sender's share of that (0.8 by default, 97 % of it in slots): about 776/s, so a
// million recipients from one number take 21 minutes. The million is split over BENCH_SOAK_SENDERS
// numbers, one campaign each, all running at once, as a business with several numbers would send it.
// Why one worker by default: on the 2-core reference machine, shared with the simulator and PostgreSQL,
// one worker sent 50,000 of them at about 1,550 msg/s and two (4 lanes each) at about 730: a paced send
// that leaves more than 15 ms after its slot is taken back and re-slotted, and two processes miss their
// slots more often than one. Three or four senders gave the same rate: the cores are the limit then.
// BENCH_SOAK_WORKERS=2 shows two processes sharing the campaigns, with more time than the 15 minutes.

import os from 'node:os';
import { startWorker } from './lib/child-worker.js';
import { phoneNumberIdOf, TEMPLATE_NAME, templateDefinition, WABA_ID } from './lib/dispatch-fixtures.js';
import { startGreenlightWorker } from './lib/greenlight-worker-process.js';
import { formatDuration, formatInt, formatMB, MB } from './lib/measure.js';
import { postgresVersion } from './lib/postgres.js';
import { machineCpuMs, processCpuMs } from './lib/process-cpu.js';
import { analyzeWorkerMemory, flatBounds } from './lib/soak-figures.js';
import { escapeCell, positiveInteger } from './lib/bench-env.js';

const simulatorWorkerPath = new URL('./lib/soak-simulator-worker.js', import.meta.url);
const databaseWorkerPath = new URL('./lib/soak-database-worker.js', import.meta.url);
const accessToken = 'bench-soak-token';
const appSecret = 'bench-soak-app-secret-0123456789ab';
const sampleEveryMs = 5_000;
// The memory table shows every third sample.
const tableEveryMs = 15_000;
// The warm-up (connections, JIT, V8 sizing its heap to the allocation rate) ends when this share of the
// recipients was received, and not before `warmMinMs`: in a 200,000 run V8 kept raising the old space's
// limit, and RSS with it, for about two minutes while the live heap stayed level.
const warmShare = 0.1;
const warmMinMs = 120_000;
// Nothing received for this long, with messages left: the run stops and fails.
const stallMs = 120_000;
// The simulator holds every message it accepted (about 1.5 kB each with its person and timers): room for a million.
const simulatorHeapFlags = ['--max-old-space-size=8192'];

/** context: { postgresUrl, env }. Returns { title, markdown, ok }. */
export async function run(context) {
  const env = context.env;
  const recipients = positiveInteger(env, 'BENCH_SOAK_RECIPIENTS', 1_000_000);
  const workerCount = positiveInteger(env, 'BENCH_SOAK_WORKERS', 1);
  const senderCount = positiveInteger(env, 'BENCH_SOAK_SENDERS', 3);
  const maxMs = positiveInteger(env, 'BENCH_SOAK_MAX_SECONDS', 780) * 1000;
  const workerArgs = [
    ...(env.BENCH_SOAK_LANES ? ['--lanes', String(positiveInteger(env, 'BENCH_SOAK_LANES', 4))] : []),
    ...(env.BENCH_SOAK_BATCH_SIZE ? ['--batch-size', String(positiveInteger(env, 'BENCH_SOAK_BATCH_SIZE', 500))] : []),
  ];
  const title = `Load: soak, ${formatInt(recipients)} recipients through ${workerCount === 1 ? 'a `greenlight worker` process' : `${workerCount} \`greenlight worker\` processes`}`;
  console.log(`\n== ${title}: ${senderCount} senders (one campaign each), the simulator in its own process, on PostgreSQL`);
  if (!context.postgresUrl) return { title, ok: true, markdown: 'SKIPPED: no PostgreSQL (set GREENLIGHT_BENCH_POSTGRES_URL or run PostgreSQL on 127.0.0.1:5432).' };
  const conditions = { cpus: os.cpus(), totalMemory: os.totalmem(), loadAtStart: os.loadavg(), postgres: await postgresVersion(context.postgresUrl), workerArgs };
  const simulator = startWorker(simulatorWorkerPath, simulatorHeapFlags);
  const database = startWorker(databaseWorkerPath);
  const workers = [];
  try {
    const setupStartedAt = performance.now();
    const { url } = await simulator.ask({ type: 'start', options: simulatorOptions(senderCount), recipients });
    const prepared = await database.ask({ type: 'prepare', postgresUrl: context.postgresUrl, simulatorUrl: url, accessToken, recipients, senders: senderCount });
    if (prepared.type === 'skipped') return { title, ok: true, markdown: `SKIPPED: ${prepared.reason}` };
    const setupMs = performance.now() - setupStartedAt;
    console.log(
      `  set-up in ${formatDuration(setupMs)}: ${formatInt(prepared.seed.contacts)} contacts and opt-ins, ${prepared.senders.length} senders synced ` +
        `(${prepared.senders.map((sender) => `${sender.throughputLevel} × ${sender.throughputShare}`).join(', ')}), ${prepared.launches.length} campaigns launched (${prepared.launches.map((launch) => formatInt(launch.recipients)).join(' + ')} recipients)`,
    );

    const workerEnv = { ...process.env, GREENLIGHT_DATABASE_URL: prepared.databaseUrl, WHATSAPP_ACCESS_TOKEN: accessToken, WHATSAPP_API_BASE_URL: url, WHATSAPP_APP_SECRET: appSecret, GREENLIGHT_LOG_LEVEL: 'error' };
    // A configured number would be added as one more sender: the benchmark's own are already there.
    delete workerEnv.WHATSAPP_PHONE_NUMBER_ID;
    delete workerEnv.WHATSAPP_WABA_ID;
    const startedAt = Date.now();
    for (let index = 0; index < workerCount; index += 1) workers.push(await startGreenlightWorker({ env: workerEnv, args: workerArgs }));
    console.log(`  ${workerCount} workers running (pids ${workers.map((worker) => worker.pid).join(', ')}); sampling their memory every ${sampleEveryMs / 1000} s…`);
    await database.ask({ type: 'cpu', action: 'start' });
    const machineStart = machineCpuMs();
    const workerCpuStart = processCpuMs(workers.map((worker) => worker.pid));
    const simulatorStart = await simulator.ask({ type: 'stats' });

    const watched = await watch({ simulator, database, workers, recipients, maxMs, startedAt });
    const wallMs = watched.doneAtMs - startedAt;
    const workerCpuEnd = processCpuMs(workers.map((worker) => worker.pid));
    const machine = machineCpuMs(machineStart);
    const simulatorEnd = await simulator.ask({ type: 'stats' });
    const exits = await Promise.all(workers.map((worker) => worker.stop()));
    const server = await database.ask({ type: 'cpu', action: 'stop' });
    const cpu = {
      wallMs,
      machineMs: machine.busyMs,
      workersMs: workers.reduce((sum, worker) => sum + (workerCpuEnd.get(worker.pid) ?? watched.lastCpu.get(worker.pid) ?? 0) - (workerCpuStart.get(worker.pid) ?? 0), 0),
      simulatorMs: simulatorEnd.cpuMs - simulatorStart.cpuMs,
      serverMs: server.cpuMs,
      backends: server.backends,
    };

    const sql = await database.ask({ type: 'check' });
    const log = await simulator.ask({ type: 'check' });
    const warmAtMs = watched.samples.find((sample) => sample.received >= warmShare * recipients && sample.elapsedMs >= warmMinMs)?.at ?? Infinity;
    const memory = workers.map((worker, index) => analyzeWorkerMemory({ samples: watched.samples.map((sample) => ({ atMs: sample.at, ...sample.workers[index] })), fullGcs: worker.fullGcs, warmAtMs }));
    const sentBy = workers.map((worker) => sql.byWorker.find((row) => row.lease_owner === worker.owner)?.count ?? 0);
    const result = { recipients, workerCount, senderCount, maxMs, setupMs, prepared, watched, wallMs, exits, cpu, sql, log, warmAtMs, memory, sentBy, conditions };
    result.problems = problemsOf(result);
    console.log(`  ${summary(result)}`);
    return { title, ok: result.problems.length === 0, markdown: render(result) };
  } finally {
    await Promise.all(workers.map((worker) => worker.stop(5_000)));
    await database.ask({ type: 'close' }).catch(() => undefined);
    await simulator.ask({ type: 'stop' }).catch(() => undefined);
    database.stop();
    simulator.stop();
  }
}

/** The simulator's senders (HIGH: 1,000 messages/s each), the template, and no status webhooks or template pacing. */
function simulatorOptions(senderCount) {
  return {
    speed: 1,
    seed: 20_261_125,
    accessToken,
    appSecret,
    messagingLimitTier: 'TIER_UNLIMITED',
    phoneNumbers: Array.from({ length: senderCount }, (_, index) => ({ id: phoneNumberIdOf(index), wabaId: WABA_ID, displayPhoneNumber: `1555010${1000 + index}`, verifiedName: 'Greenlight Soak', throughputLevel: 'HIGH' })),
    templates: [{ name: TEMPLATE_NAME, language: 'en_US', category: 'MARKETING', components: [{ type: 'BODY', text: templateDefinition.body.text, example: { body_text: [['Ana']] } }] }],
    population: { notOnWhatsAppShare: 0 },
    // Meta's pacing of new templates holds most messages of a first campaign for 30 minutes (§4.1): off.
    pacing: { enabled: false },
    // Every status webhook dropped where it is made: the workers never receive webhooks (see the worker file).
    webhookFaults: { dropRate: 1, duplicateRate: 0, reorderRate: 0, aggregateRate: 0 },
  };
}

/**
 * Samples every few seconds until nothing is left to send (the simulator has them all and SQL agrees),
 * the time cap, a stall, or a worker that died. Returns the samples and why it stopped.
 */
async function watch({ simulator, database, workers, recipients, maxMs, startedAt }) {
  const samples = [];
  const lastCpu = new Map();
  let lastProgressAt = Date.now();
  let lastReceived = 0;
  let nextLogAt = startedAt + 60_000;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, sampleEveryMs));
    const at = Date.now();
    const [stats, memories] = await Promise.all([simulator.ask({ type: 'stats' }), Promise.all(workers.map((worker) => worker.memory()))]);
    for (const [pid, ms] of processCpuMs(workers.map((worker) => worker.pid))) lastCpu.set(pid, ms);
    await database.ask({ type: 'cpu', action: 'sample' });
    samples.push({ at, elapsedMs: at - startedAt, received: stats.received, workers: memories, simulatorRss: stats.rss, pendingEvents: stats.pendingEvents, liveHeaps: workers.map((worker) => worker.fullGcs.at(-1)?.liveBytes ?? null) });
    if (stats.received > lastReceived) {
      lastReceived = stats.received;
      lastProgressAt = at;
    }
    if (at >= nextLogAt) {
      nextLogAt += 60_000;
      console.log(`    ${formatDuration(at - startedAt)}: ${formatInt(stats.received)} received, worker RSS ${memories.map((memory) => mbText(memory.rss)).join(' / ')} MB, heap ${memories.map((memory) => mbText(memory.heapUsed)).join(' / ')} MB, simulator RSS ${mbText(stats.rss)} MB`);
    }
    const stop = (reason) => ({ samples, lastCpu, doneAtMs: at, stopped: reason, answers: stats.answers });
    const died = workers.findIndex((worker, index) => memories[index].rss === null);
    if (died !== -1) return stop(`worker ${died + 1} (pid ${workers[died].pid}) died: ${(await workers[died].exited).stderr || 'no message'}`);
    if (stats.received >= recipients || at - lastProgressAt >= 15_000) {
      const { left } = await database.ask({ type: 'progress' });
      if (left === 0) return stop(null);
    }
    if (at - startedAt >= maxMs) return stop(`the time cap (${formatDuration(maxMs)}, BENCH_SOAK_MAX_SECONDS) was reached`);
    if (at - lastProgressAt >= stallMs) return stop(`nothing received for ${formatDuration(stallMs)}`);
  }
}

function problemsOf({ recipients, watched, sql, log, memory, exits }) {
  const problems = [];
  if (watched.stopped) problems.push(watched.stopped);
  const expect = (what, actual, wanted) => {
    if (actual !== wanted) problems.push(`${what}: ${formatInt(actual)}, expected ${formatInt(wanted)}`);
  };
  expect('messages rows of the campaigns', sql.messages, recipients);
  expect('sent + other outcomes', sql.messages - sql.left, recipients);
  expect('left planned, deferred, queued or sending', sql.left, 0);
  expect('distinct wamids', sql.wamids, sql.sent);
  expect('sent rows without their wamid or sent_at, or still leased', sql.incomplete, 0);
  expect('messages the simulator received', log.received, sql.sent);
  expect('duplicates (a gl:{id} received twice)', log.received - log.distinctCallbacks, 0);
  expect('sends without Greenlight\'s callback data', log.withoutCallback, 0);
  if (log.fingerprint !== sql.fingerprint) problems.push("the (message id, wamid) pairs in the database differ from the simulator's");
  memory.forEach((worker, index) => worker.problems.forEach((problem) => problems.push(`worker ${index + 1}: ${problem}`)));
  exits.forEach((exit, index) => {
    if (exit.code !== 0) problems.push(`worker ${index + 1} exited with ${exit.signal ?? `code ${exit.code}`} on SIGTERM${exit.stderr ? `: ${exit.stderr.split('\n')[0]}` : ''}`);
  });
  return problems;
}

function rateOf({ sql, wallMs }) {
  // From the first send to the last, as the database recorded them; the wall time also holds the start-up.
  return sql.sentSpanMs ? sql.sent / (sql.sentSpanMs / 1000) : sql.sent / (wallMs / 1000);
}

function summary(result) {
  const { sql, memory, wallMs } = result;
  const memoryText = memory.map((worker, index) => `worker ${index + 1} RSS ${signed(worker.rss.growth)}, live heap ${signed(worker.live.growth)}`).join('; ');
  return `${formatInt(sql.sent)} sent in ${formatDuration(wallMs)} (${formatInt(rateOf(result))} msg/s); ${memoryText} after the warm-up: ${verdictText(result)}`;
}

function verdictText(result) {
  return result.problems.length === 0 ? 'PASS' : `FAIL: ${result.problems.join('; ')}`;
}

function render(result) {
  const { recipients, workerCount, senderCount, prepared, sql, log, memory, watched, cpu, conditions } = result;
  const others = sql.others;
  const otherCount = sql.messages - sql.sent - sql.left;
  const refusals = Object.entries(watched.answers).filter(([status]) => status !== '200');
  const perSender = prepared.senders[0] ? 1000 * prepared.senders[0].throughputShare * 0.97 : 0;
  const lines = [
    `Requirement (issue 7): a 1,000,000-recipient campaign through real Greenlight processes, their memory flat over the run. ` +
      `Here: ${formatInt(recipients)} recipients (BENCH_SOAK_RECIPIENTS), split over ${senderCount} senders with one campaign each, all running at once (BENCH_SOAK_SENDERS: one number may send 1,000 messages/s, §2, ` +
      `and Greenlight paces a campaign at ${Math.round(perSender)}/s of it, its default 0.8 share in slots of 97 %: one campaign would take ${formatDuration((recipients / Math.max(1, perSender)) * 1000)} alone), ` +
      `sent by ${workerCount === 1 ? 'one' : workerCount} \`node bin/greenlight.js worker --metrics-port 0${conditions.workerArgs.length > 0 ? ` ${conditions.workerArgs.join(' ')}` : ''}\` process${workerCount === 1 ? '' : 'es'} (BENCH_SOAK_WORKERS) ` +
      `with ${conditions.workerArgs.length > 0 ? 'otherwise ' : ''}the defaults an operator gets (4 lanes, batches of half a second of slots, pacing on), ` +
      'against the Cloud API simulator served over HTTP in its own process (`bench/lib/soak-simulator-worker.js`: senders at HIGH, the portfolio unlimited, Meta\'s template pacing off, status webhooks dropped at the source since workers never receive them, every recipient opted in as the consent records say).',
    `Set-up (not timed in the run), on a fresh PostgreSQL database: ${formatInt(prepared.seed.contacts)} contacts with a marketing opt-in each (\`generate_series\`, ${formatDuration(prepared.seed.contactsMs + prepared.seed.consentMs)}), ` +
      `the senders added with \`addSender\` and synced from the simulator with \`syncSender\` (${prepared.senders[0] ? `${prepared.senders[0].throughputLevel}, ${prepared.senders[0].messagingLimitTier}, share ${prepared.senders[0].throughputShare}` : '–'}), the template with \`syncTemplates\`, ` +
      `the campaigns created and launched with \`createCampaign\` and \`launchCampaign\` (canary, quiet hours and frequency cap off; planned in ${prepared.launches.map((launch) => formatDuration(launch.planMs)).join(', ')}); the whole set-up took ${formatDuration(result.setupMs)}.`,
    `Conditions: ${conditions.cpus.length} cores (${conditions.cpus[0]?.model.trim() ?? 'unknown model'}), ${(conditions.totalMemory / 2 ** 30).toFixed(1)} GiB; load average (1, 5, 15 min) at the start ${conditions.loadAtStart.map((value) => value.toFixed(2)).join(', ')}; ${conditions.postgres}. ` +
      'The workers, the simulator and PostgreSQL share these cores.',
    '',
    '| recipients | senders (campaigns) | workers | time | msg/s | sent | other outcomes | left | duplicates | lost | simulator refusals | result |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
    `| ${formatInt(recipients)} | ${senderCount} | ${workerCount} | ${formatDuration(result.wallMs)} | ${formatInt(rateOf(result))} | ${formatInt(sql.sent)} | ${formatInt(otherCount)} | ${formatInt(sql.left)} | ` +
      `${formatInt(log.received - log.distinctCallbacks)} | ${formatInt(Math.max(0, sql.sent - log.distinctCallbacks))} | ${refusals.length === 0 ? '0' : refusals.map(([status, count]) => `${formatInt(count)} × ${status}`).join(', ')} | ${escapeCell(verdictText(result))} |`,
    '',
    '| worker | sent by it | RSS after warm-up: first / max / last | RSS growth (fitted) | heap in use: first / max / last | live heap after full gcs: first / min / max / last | full gcs | live growth (fitted) | flat |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---|',
  ];
  memory.forEach((worker, index) => {
    lines.push(
      `| ${index + 1} | ${formatInt(result.sentBy[index])} | ${mbList([worker.rss.first, worker.rss.max, worker.rss.last])} | ${signed(worker.rss.growth)} | ${mbList([worker.heap.first, worker.heap.max, worker.heap.last])} | ` +
        `${mbList([worker.live.first, worker.live.min, worker.live.max, worker.live.last])} | ${worker.live.count} | ${signed(worker.live.growth)} | ${worker.ok ? 'PASS' : escapeCell(`FAIL: ${worker.problems.join('; ')}`)} |`,
    );
  });
  lines.push('', '| elapsed | received by the simulator | RSS MB (per worker) | heap in use MB | live heap MB (last full gc) | simulator RSS MB |', '|---:|---:|---:|---:|---:|---:|');
  let nextRowAt = 0;
  watched.samples.forEach((sample, index) => {
    if (sample.elapsedMs < nextRowAt && index !== watched.samples.length - 1) return;
    nextRowAt = sample.elapsedMs + tableEveryMs - sampleEveryMs / 2;
    lines.push(
      `| ${formatDuration(sample.elapsedMs)}${sample.at >= result.warmAtMs ? '' : ' (warm-up)'} | ${formatInt(sample.received)} | ${sample.workers.map((memory) => mbText(memory.rss)).join(' / ')} | ` +
        `${sample.workers.map((memory) => mbText(memory.heapUsed)).join(' / ')} | ${sample.liveHeaps.map(mbText).join(' / ')} | ${mbText(sample.simulatorRss)} |`,
    );
  });
  const cores = (ms) => (ms === null ? '?' : (ms / cpu.wallMs).toFixed(2));
  lines.push(
    '',
    `Checks, in SQL after the workers stopped and in the simulator's sent log: ${formatInt(sql.messages)} messages rows, ${formatInt(sql.sent)} sent with ${formatInt(sql.wamids)} distinct wamids, ` +
      `${others.length === 0 ? 'no other outcome' : `others: ${others.map((row) => `${formatInt(row.count)} ${row.dispatch_state}${row.reason ? ` (${row.reason})` : ''}`).join(', ')}`}; ` +
      `sends per worker ${result.sentBy.map(formatInt).join(' / ')}; each campaign's rate, first send to last: ${sql.perCampaign.map((campaign) => `${formatInt(campaign.spanMs > 0 ? campaign.sent / (campaign.spanMs / 1000) : 0)}`).join(' / ')} msg/s (paced at ${Math.round(perSender)}); campaigns ${Object.entries(sql.campaigns).map(([state, count]) => `${count} ${state}`).join(', ')} (one turns completed two minutes after its last send); ` +
      `the simulator received ${formatInt(log.received)} for ${formatInt(log.distinctCallbacks)} distinct messages (${formatInt(log.distinctWamids)} wamids)` +
      `${log.fingerprint === sql.fingerprint ? ', and every sent row holds the wamid the simulator gave that message (fingerprint of the (id, wamid) pairs equal)' : ', but the (id, wamid) fingerprints differ'}.`,
    `CPU over the run, in cores (of ${conditions.cpus.length}): the machine ${cores(cpu.machineMs)}, ${workerCount === 1 ? 'the worker' : `the ${workerCount} workers`} ${cores(cpu.workersMs)}, the simulator ${cores(cpu.simulatorMs)}, ` +
      `this database's ${cpu.backends} PostgreSQL backends ${cores(cpu.serverMs)}. The simulator held ${formatInt(log.received)} messages in ${mbText(log.rss)} MB RSS (heap ${mbText(log.heapUsed)} MB, ${formatInt(log.pendingEvents)} timed events pending: reads and replies hours ahead).`,
    '',
    `How to read it: *time* runs from starting the workers until nothing is left to send (sampled every ${sampleEveryMs / 1000} s); *msg/s* is the messages sent over the span between the first and the last \`sent_at\`. ` +
      `*Lost* is sent in the database but never received by the simulator; *duplicates* are messages it received twice; *simulator refusals* are its non-200 answers (130429 when a number's 1,000/s is exceeded). ` +
      `*RSS* is the worker process as the OS sees it (/proc); *heap in use* is \`nodejs_heap_size_used_bytes\` from the worker's /metrics (garbage included); the *live heap* is what V8 reports left after each full (mark-compact) collection (\`node --trace-gc\`). ` +
      `The warm-up ends when ${warmShare * 100} % of the recipients were received, and not before ${formatDuration(warmMinMs)} (V8 sizes its heap to the send rate meanwhile); after it, each series is fitted by least squares against time and its *growth* is the slope times the window. ` +
      `Flat means live growth ≤ ${formatMB(flatBounds.liveHeapBytes)} and RSS growth ≤ ${formatMB(flatBounds.rssBytes)} per worker.`,
  );
  return lines.join('\n');
}

function mbText(bytes) {
  return bytes === null || bytes === undefined ? '?' : (bytes / MB).toFixed(0);
}

function mbList(values) {
  return values.some((value) => value === null) ? '–' : `${values.map((value) => (value / MB).toFixed(1)).join(' / ')} MB`;
}

function signed(bytes) {
  if (bytes === null || bytes === undefined) return '–';
  return `${bytes >= 0 ? '+' : '−'}${formatMB(Math.abs(bytes))}`;
}
