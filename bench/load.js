// The load benchmark (`npm run bench:load`, not in CI): the webhook endpoint held at 3× a campaign's
// send rate — Meta's sizing advice (whatsapp-rules.md §6.4) — on PostgreSQL for 10 minutes, open loop:
// POST k is due at k / rate whatever the server does, and its acknowledgement latency counts from when
// it was due. Passes when p99 stays under 1 s, nothing is refused, and after the drain every
// acknowledged status is in the database (the same checks as the ingestion benchmark). The server's
// memory (RSS, from /proc) is sampled every 30 s to show it stays flat. Returns its RESULTS.md section.

import { readFileSync } from 'node:fs';
import { startWorker } from './lib/child-worker.js';
import { formatMs } from './lib/latency.js';
import { formatDuration, formatInt } from './lib/measure.js';
import { positiveNumber } from './lib/bench-env.js';

const serverWorkerPath = new URL('./lib/webhook-server-worker.js', import.meta.url);
const loadWorkerPath = new URL('./lib/webhook-load-worker.js', import.meta.url);
const seed = 20_261_125;
const appSecret = 'bench-app-secret-0123456789abcdef';
const processorOptions = { pollMs: 1000, batchSize: 100 };
const memorySampleMs = 30_000;

/** context: { tmpDir, postgresUrl, env }. Returns { title, markdown, ok }. */
export async function run(context) {
  const sendRate = positiveNumber(context.env, 'BENCH_LOAD_SEND_RATE', 100);
  const seconds = positiveNumber(context.env, 'BENCH_LOAD_SECONDS', 600);
  const webhookRate = 3 * sendRate;
  const title = 'Load: webhooks at 3× the send rate';
  console.log(`\n== ${title}: ${formatInt(webhookRate)} POSTs/s (one status each) for ${formatDuration(seconds * 1000)} on PostgreSQL`);
  if (!context.postgresUrl) return { title, ok: true, markdown: 'SKIPPED: no PostgreSQL (set GREENLIGHT_BENCH_POSTGRES_URL or run PostgreSQL on 127.0.0.1:5432).' };
  const load = startWorker(loadWorkerPath);
  const server = startWorker(serverWorkerPath);
  const memory = [];
  let sampler = null;
  try {
    // One status per POST, the worst case for the endpoint; 10 % more bodies than the rate needs.
    const prepared = await load.ask({ type: 'prepare', batchSize: 1, maxStatuses: Math.ceil(webhookRate * seconds * 1.1), seed, appSecret });
    const ready = await server.ask({ type: 'start', engine: 'postgres', tmpDir: context.tmpDir, postgresUrl: context.postgresUrl, messages: prepared.messages, appSecret, ...processorOptions });
    if (ready.type === 'skipped') return { title, ok: true, markdown: `SKIPPED: ${ready.reason}` };
    const startedAt = Date.now();
    const sample = () => memory.push({ atS: Math.round((Date.now() - startedAt) / 1000), rssMb: rssMb(server.pid) });
    sample();
    sampler = setInterval(sample, memorySampleMs);
    console.log(`  ${formatInt(prepared.bodies)} signed bodies ready; loading ${ready.url}…`);
    const done = await load.ask({ type: 'run', url: ready.url, seconds, concurrency: 64, ratePerSecond: webhookRate });
    clearInterval(sampler);
    sample();
    console.log(`  load done: ${formatInt(done.okPosts)} POSTs acknowledged; draining…`);
    const report = await server.ask({ type: 'finish', load: done });
    const result = { sendRate, webhookRate, seconds, done, report, memory };
    console.log(`  ${summary(result)}`);
    return { title, ok: verdict(result).ok, markdown: render(result) };
  } finally {
    if (sampler) clearInterval(sampler);
    load.stop();
    server.stop();
  }
}

function verdict({ done, report }) {
  const problems = [...report.problems];
  const refused = Object.entries(done.nonOk);
  if (refused.length > 0) problems.unshift(`non-200 answers: ${refused.map(([status, count]) => `${formatInt(count)} × ${status}`).join(', ')}`);
  if (done.latency.p99 >= 1000) problems.unshift(`ack p99 ${formatMs(done.latency.p99)} ≥ 1 s`);
  if (!report.drained) problems.unshift('the inbox did not drain');
  return problems.length === 0 ? { ok: true, text: 'PASS' } : { ok: false, text: `FAIL: ${problems.join('; ')}` };
}

function summary(result) {
  const { done } = result;
  return `${formatInt(done.okPosts / (done.loadMs / 1000))} POSTs/s acked, ack p50 ${formatMs(done.latency.p50)} p99 ${formatMs(done.latency.p99)} max ${formatMs(done.latency.max)}: ${verdict(result).text}`;
}

function render(result) {
  const { done, report, memory } = result;
  const rss = memory.map((point) => point.rssMb).filter((value) => value !== null);
  return [
    `Requirement: the webhook endpoint held at 3× the send rate for 10 minutes on PostgreSQL, p99 acknowledgement under 1 s, nothing dropped (issue 7). ` +
      `Here: a campaign sending ${formatInt(result.sendRate)} messages/s → ${formatInt(result.webhookRate)} signed status webhooks/s, one status per POST (BENCH_LOAD_SEND_RATE, BENCH_LOAD_SECONDS), ` +
      `open loop over up to 64 keep-alive connections from a separate process, against the real \`createHttpApp\` with the webhook processor (poll ${processorOptions.pollMs} ms, batches of ${processorOptions.batchSize}) as \`serve\` runs them; ` +
      'the statuses are the ingestion benchmark\'s (duplicates, reordering, Meta\'s byte-for-byte redeliveries).',
    '',
    '| load | POSTs sent | acked | POSTs/s acked | ack p50 | ack p95 | ack p99 | ack max | over 1 s | non-200 | inbox at load end | drained after | server RSS (first → max → last) | result |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|',
    `| ${formatDuration(done.loadMs)} | ${formatInt(done.requests)} | ${formatInt(done.okPosts)} | ${formatInt(done.okPosts / (done.loadMs / 1000))} | ${formatMs(done.latency.p50)} | ${formatMs(done.latency.p95)} | ${formatMs(done.latency.p99)} | ${formatMs(done.latency.max)} | ` +
      `${formatInt(done.latency.over1s)} | ${formatInt(Object.values(done.nonOk).reduce((sum, count) => sum + count, 0))} | ${formatInt(report.pendingAtLoadEnd)} | ${report.drained ? formatDuration(report.drainMs) : 'not drained'} | ` +
      `${rss.length > 0 ? `${rss[0]} → ${Math.max(...rss)} → ${rss.at(-1)} MB` : '–'} | ${verdict(result).text.replaceAll('|', '\\|')} |`,
    '',
    `Server memory over time (RSS, MB, every ${memorySampleMs / 1000} s): ${memory.map((point) => `${point.atS} s ${point.rssMb ?? '?'}`).join(', ')}.`,
    `After the drain: ${formatInt(report.counts.status_events)} status events stored, ${formatInt(report.totals.webhooks)} webhooks processed, ${formatInt(report.totals.failed)} failed; ` +
      `checks: ${report.problems.length === 0 ? 'every acknowledged body stored once, every (wamid, status) once, every pre-inserted message at its highest status' : report.problems.join('; ')}.`,
  ].join('\n');
}

function rssMb(pid) {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Math.round(Number(match[1]) / 1024) : null;
  } catch {
    return null;
  }
}
