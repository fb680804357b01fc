// The webhook ingestion benchmark: "statuses/s accepted and processed (batches of 1 and of 100
// statuses per POST), ack latency p50/p99, on PGlite and PostgreSQL". For each engine and batch size,
// one process serves the real HTTP app with the real webhook processor (lib/webhook-server-worker.js)
// and another plays Meta, POSTing signed status webhooks over keep-alive connections, closed loop
// (lib/webhook-load-worker.js). Returns its RESULTS.md section.

import { mkdirSync } from 'node:fs';
import { startWorker } from './lib/child-worker.js';
import { formatMs } from './lib/latency.js';
import { formatDuration, formatInt } from './lib/measure.js';
import { escapeCell, positiveInteger, positiveNumber } from './lib/bench-env.js';

const serverWorkerPath = new URL('./lib/webhook-server-worker.js', import.meta.url);
const loadWorkerPath = new URL('./lib/webhook-load-worker.js', import.meta.url);
const allEngines = ['pglite', 'postgres'];
const batchSizes = [1, 100];
const seed = 20_250_615;
const appSecret = 'bench-app-secret-0123456789abcdef';
// As `greenlight serve` runs the processor (src/runtime/http-server.ts uses the defaults).
const processorOptions = { pollMs: 1000, batchSize: 100 };
// Meta's sizing advice for the webhook endpoint (whatsapp-rules.md §6.4).
const metaP50Ms = 250;
const metaOver1sShare = 0.01;
const engineLabels = { pglite: 'PGlite', postgres: 'PostgreSQL' };

/** context: { benchDir, tmpDir, postgresUrl, env }. Returns { title, markdown, ok }. */
export async function run(context) {
  const seconds = positiveNumber(context.env, 'BENCH_WEBHOOK_SECONDS', 20);
  const concurrency = positiveInteger(context.env, 'BENCH_WEBHOOK_CONCURRENCY', 32);
  // The count bound: statuses generated (and signed) before each scenario; the load stops when they run out.
  const maxStatuses = positiveInteger(context.env, 'BENCH_WEBHOOK_MAX_STATUSES', 200_000);
  const engines = context.env.BENCH_WEBHOOK_ENGINES ? context.env.BENCH_WEBHOOK_ENGINES.split(',').map((name) => name.trim()) : allEngines;
  const unknown = engines.filter((name) => !allEngines.includes(name));
  if (unknown.length > 0) throw new Error(`BENCH_WEBHOOK_ENGINES: unknown engine ${unknown.join(', ')} (known: ${allEngines.join(', ')})`);
  const title = 'Webhook ingestion (status webhooks)';
  console.log(`\n== ${title}: ${concurrency} connections, ${seconds} s per scenario, at most ${formatInt(maxStatuses)} statuses`);
  mkdirSync(context.tmpDir, { recursive: true });

  const results = [];
  for (const engine of engines) {
    for (const batchSize of batchSizes) {
      console.log(`  ${engineLabels[engine]}, ${batchSize} per POST: preparing…`);
      const startedAt = performance.now();
      const result = await runScenario({ engine, batchSize, seconds, concurrency, maxStatuses, tmpDir: context.tmpDir, postgresUrl: context.postgresUrl });
      result.totalMs = performance.now() - startedAt;
      console.log(`  ${engineLabels[engine]}, ${batchSize} per POST: ${summaryLine(result)} (${formatDuration(result.totalMs)} including setup and checks)`);
      results.push(result);
      if (result.skipped) break; // the other batch size would be skipped for the same reason
    }
  }
  const ok = results.every((result) => result.skipped || verdict(result).ok);
  return { title, ok, markdown: renderSection({ seconds, concurrency, maxStatuses, results }) };
}

/** One engine × batch size: prepare the bodies, start the server, run the load, drain and check. */
async function runScenario(task) {
  const load = startWorker(loadWorkerPath);
  const server = startWorker(serverWorkerPath);
  try {
    const prepared = await load.ask({ type: 'prepare', batchSize: task.batchSize, maxStatuses: task.maxStatuses, seed, appSecret });
    const ready = await server.ask({ type: 'start', engine: task.engine, tmpDir: task.tmpDir, postgresUrl: task.postgresUrl, messages: prepared.messages, appSecret, ...processorOptions });
    if (ready.type === 'skipped') return { ...task, skipped: ready.reason };
    console.log(`    ${formatInt(prepared.bodies)} bodies (${formatInt(prepared.statuses)} statuses of ${formatInt(prepared.messages)} messages, ${formatInt(ready.preinserted)} pre-inserted) ready; loading ${ready.url} for ${task.seconds} s…`);
    const done = await load.ask({ type: 'run', url: ready.url, seconds: task.seconds, concurrency: task.concurrency });
    console.log(`    load done: ${formatInt(done.okPosts)} POSTs acknowledged in ${formatDuration(done.loadMs)}; draining the inbox…`);
    const report = await server.ask({ type: 'finish', load: done });
    const { best: _best, ...expected } = done.expected; // per-wamid ranks: checked by the server, too long to keep
    return { ...task, prepared, load: { ...done, expected }, report };
  } catch (error) {
    return { ...task, error: error instanceof Error ? error.message : String(error) };
  } finally {
    load.stop();
    server.stop();
  }
}

function verdict(result) {
  if (result.skipped) return { ok: true, text: result.skipped };
  if (result.error) return { ok: false, text: `FAIL: ${result.error.split('\n')[0]}` };
  const problems = [...result.report.problems];
  const nonOk = Object.entries(result.load.nonOk);
  if (nonOk.length > 0) problems.unshift(`non-200 answers: ${nonOk.map(([status, count]) => `${formatInt(count)} × ${status}`).join(', ')}`);
  return problems.length === 0 ? { ok: true, text: 'PASS' } : { ok: false, text: `FAIL: ${problems.join('; ')}` };
}

/** Meta's advice is a sizing target, not a pass/fail here: the load generator shares the 2 cores. */
function metaAdvice(latency) {
  const over1sShare = latency.over1s / latency.count;
  const misses = [];
  if (latency.p50 > metaP50Ms) misses.push(`p50 ${formatMs(latency.p50)} > ${metaP50Ms} ms`);
  if (over1sShare >= metaOver1sShare) misses.push(`${percent(over1sShare)} over 1 s`);
  return misses.length === 0 ? 'PASS' : `WARN: ${misses.join(', ')}`;
}

function summaryLine(result) {
  if (result.skipped || result.error) return verdict(result).text;
  const { load, report } = result;
  return (
    `${formatInt(load.okPosts / (load.loadMs / 1000))} POSTs/s, ${formatInt(load.okStatuses / (load.loadMs / 1000))} statuses/s acknowledged, ` +
    `ack p50 ${formatMs(load.latency.p50)} p99 ${formatMs(load.latency.p99)}, drained ${formatDuration(report.drainMs)} after the load, ` +
    `${formatInt(report.counts.status_events / (report.processingMs / 1000))} statuses/s processed: ${verdict(result).text}`
  );
}

function renderSection({ seconds, concurrency, maxStatuses, results }) {
  const lines = [
    'Requirement: statuses/s accepted and processed, with batches of 1 and of 100 statuses per POST, and the ack latency, on PGlite and PostgreSQL. ' +
      `Meta's sizing advice for the endpoint (whatsapp-rules.md §6.4): ack median ≤ ${metaP50Ms} ms, fewer than 1% over 1 s.`,
    `Each scenario runs on a fresh, migrated database in its own server process: the real \`createHttpApp\` on \`@hono/node-server\` (127.0.0.1), with the webhook processor kicked on every stored webhook ` +
      `(poll ${processorOptions.pollMs} ms, batches of ${processorOptions.batchSize}), as \`greenlight serve\` runs them. Another process plays Meta: ${concurrency} keep-alive connections (undici), closed loop, ` +
      `for ${seconds} s or until its ${formatInt(maxStatuses)} pre-signed statuses run out, whichever comes first (BENCH_WEBHOOK_SECONDS, BENCH_WEBHOOK_CONCURRENCY, BENCH_WEBHOOK_MAX_STATUSES).`,
    'The statuses (seed ' + seed + ') are a campaign sent at 100 messages/s as Meta reports it: sent, then delivered 1–4 s later (97%), then read by 70% (2% of those without a delivered), in arrival order with network jitter, ' +
      '3% held back 2–30 s (so they arrive after a later status of the same message) and 2% delivered twice; 0.5% of the POST bodies are delivered again byte for byte after the first was answered (Meta retrying). ' +
      '60% of the wamids have a `messages` row beforehand (status `accepted`), so their statuses go through the merge as well.',
    '',
    '| engine | statuses per POST | load | POSTs/s acked | statuses/s acked | ack p50 | ack p95 | ack p99 | ack max | over 1 s | non-200 | inbox at load end | drained after load | statuses/s processed | Meta\'s advice | result |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|',
  ];
  for (const result of results) {
    const label = engineLabels[result.engine];
    if (result.skipped || result.error) {
      lines.push(`| ${label} | ${result.batchSize} | – | – | – | – | – | – | – | – | – | – | – | – | – | ${escapeCell(verdict(result).text)} |`);
      continue;
    }
    const { load, report } = result;
    const loadSeconds = load.loadMs / 1000;
    const nonOk = Object.values(load.nonOk).reduce((sum, count) => sum + count, 0);
    lines.push(
      `| ${label} | ${result.batchSize} | ${formatDuration(load.loadMs)}${load.timeBound ? '' : ' (all bodies sent)'} | ${formatInt(load.okPosts / loadSeconds)} | ${formatInt(load.okStatuses / loadSeconds)} | ` +
        `${formatMs(load.latency.p50)} | ${formatMs(load.latency.p95)} | ${formatMs(load.latency.p99)} | ${formatMs(load.latency.max)} | ${percent(load.latency.over1s / load.latency.count)} | ${formatInt(nonOk)} | ` +
        `${formatInt(report.pendingAtLoadEnd)} webhooks | ${report.drained ? formatDuration(report.drainMs) : 'not drained'} | ${formatInt(report.counts.status_events / (report.processingMs / 1000))} | ` +
        `${escapeCell(metaAdvice(load.latency))} | ${escapeCell(verdict(result).text)} |`,
    );
  }
  lines.push('', 'Per scenario:', '');
  for (const result of results) {
    if (result.skipped || result.error) continue;
    lines.push(`- ${engineLabels[result.engine]}, ${result.batchSize} per POST: ${details(result)}`);
  }
  lines.push(
    '',
    'How to read it: *POSTs/s* and *statuses/s acked* count 200 answers over the load (first POST to last answer); the latencies are per POST, from the load generator, request sent to response read. ' +
      '*Inbox at load end* is `webhook_events` still unprocessed when the last POST was answered, *drained after load* how long the processor then took to empty it (polled every 50 ms), and ' +
      '*statuses/s processed* is `count(*) from message_status_events` over the time from the first POST to the drained inbox. ' +
      'A load marked *(all bodies sent)* used up its pre-signed statuses before the time was up: the count bound is there because the inbox drains much slower than the endpoint accepts, and every status accepted has to be processed before the checks. ' +
      "The checks after the drain: no webhook unprocessed or failed, one `webhook_events` row per distinct body acknowledged, the stored bodies' statuses all applied, " +
      'one `message_status_events` row per distinct (wamid, status) acknowledged (duplicates and redeliveries deduplicated), and every pre-inserted message at the highest status sent for it (`read` wherever its read was sent), with its pricing. ' +
      "A non-200 or a failed check fails the scenario; Meta's advice only warns, since the load generator and the database share the machine's cores with the server.",
  );
  return lines.join('\n');
}

function details(result) {
  const { load, report, prepared } = result;
  const expected = load.expected;
  const statementTimes = (stats) =>
    Object.entries(stats.byStatement)
      .sort(([, a], [, b]) => b - a)
      .map(([kind, ms]) => `\`${kind}\` ${formatInt(stats.countByStatement[kind])} × ${formatMs(ms / stats.countByStatement[kind])}`)
      .join(', ');
  return (
    `${formatInt(load.requests)} POSTs (${formatInt(load.redeliveries)} redeliveries) of ${formatInt(prepared.bodies)} prepared; ${formatInt(load.okStatuses)} statuses acknowledged, ` +
    `${formatInt(expected.statuses)} in ${formatInt(expected.bodies)} distinct bodies, ${formatInt(expected.pairs)} distinct (wamid, status); ` +
    `mean ack ${formatMs(load.latency.mean)}, ${percent(load.latency.over250 / load.latency.count)} over 250 ms; ` +
    `CPU during the load: server ${percent(report.cpuShare)} of a core, load generator ${percent(load.cpuShare)}; ` +
    `server event loop delay p50 ${formatMs(report.eventLoopDelay.p50)}, p99 ${formatMs(report.eventLoopDelay.p99)}, max ${formatMs(report.eventLoopDelay.max)}; ` +
    `processor: ${formatInt(report.totals.webhooks)} webhooks, ${formatInt(report.totals.applied)} events applied, ${formatInt(report.totals.failed)} failed; ` +
    `${formatInt(report.readExpected)} pre-inserted messages expected at read; messages by status ${Object.entries(expected.preinsertedByStatus).map(([status, count]) => `${formatInt(count)} ${status}`).join(', ')}; ` +
    `SQL as seen from Node (count × mean) during the load: ${statementTimes(report.statsAtLoadEnd)}; over the whole scenario: ${statementTimes(report.stats)}.`
  );
}

function percent(share) {
  if (share === null || share === undefined) return '–';
  if (share > 0 && share < 0.001) return '<0.1%';
  return `${(share * 100).toFixed(share >= 0.1 ? 0 : 1)}%`;
}
