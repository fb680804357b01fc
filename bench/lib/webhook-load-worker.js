// Child process of the webhook ingestion benchmark that plays Meta: signs status webhook bodies
// (generated before the clock starts) and POSTs them to the server over N keep-alive connections,
// closed loop (each connection sends its next POST when the previous one is answered), until the
// time or the bodies run out. Reports per-request latencies and what the server acknowledged, from
// which the server side's database is checked. Its own process, so its CPU is not the server's.

import { Pool } from 'undici';
import { signPayload } from '../../dist/whatsapp/signature.js';
import { epochMs, summarizeLatencies } from './latency.js';
import { createStatusStream, isPreinserted, redeliveredBodyShare, statusRank, statusWebhookBody } from './status-webhooks.js';
import { mulberry32 } from './contacts-csv.js';

const rankNames = Object.fromEntries(Object.entries(statusRank).map(([name, rank]) => [rank, name]));

let prepared = null;

process.on('message', (message) => {
  const work = message.type === 'prepare' ? prepare(message) : run(message);
  work.then(
    (report) => process.send(report),
    (error) => process.send({ type: 'error', error: error instanceof Error ? (error.stack ?? error.message) : String(error) }, () => process.exit(1)),
  );
});

/**
 * { batchSize, maxStatuses, seed, appSecret } → { type: 'prepared', bodies, statuses, messages, bytes, ms }.
 * Bodies are built and signed up front so the load loop does nothing but send.
 */
async function prepare({ batchSize, maxStatuses, seed, appSecret }) {
  const startedAt = performance.now();
  const stream = createStatusStream(seed);
  const bodyCount = Math.ceil(maxStatuses / batchSize);
  const statusCount = bodyCount * batchSize;
  const statusIndex = new Int32Array(statusCount);
  const statusRankOf = new Int8Array(statusCount);
  const bodies = new Array(bodyCount);
  const random = mulberry32(seed ^ 0x5eed);
  let bytes = 0;
  for (let body = 0; body < bodyCount; body += 1) {
    const statuses = [];
    for (let i = 0; i < batchSize; i += 1) {
      const status = stream.next();
      statusIndex[body * batchSize + i] = status.index;
      statusRankOf[body * batchSize + i] = statusRank[status.status];
      statuses.push(status);
    }
    const raw = Buffer.from(statusWebhookBody(statuses));
    bytes += raw.byteLength;
    bodies[body] = { raw, signature: signPayload(raw, appSecret), redeliver: random() < redeliveredBodyShare };
  }
  prepared = { batchSize, bodies, statusIndex, statusRankOf, messages: stream.messages };
  return { type: 'prepared', bodies: bodyCount, statuses: statusCount, messages: stream.messages, bytes, ms: performance.now() - startedAt };
}

/**
 * { url, seconds, concurrency, ratePerSecond? } → { type: 'done', … }: the load, then what it says the database
 * must hold. Without a rate the loop is closed (each connection sends when answered); with one it is open: POST k
 * is due at start + k / rate whatever the server does, and its latency counts from when it was due, so a slow
 * server's queueing shows in the figures instead of silently lowering the rate (coordinated omission).
 */
async function run({ url, seconds, concurrency, ratePerSecond = null }) {
  const { bodies, batchSize } = prepared;
  const target = new URL('/webhooks/whatsapp', url);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(target.hostname)) throw new Error(`the load generator only targets loopback addresses, not ${target.hostname}`);
  const pool = new Pool(target.origin, { connections: concurrency, pipelining: 1, keepAliveTimeout: 60_000 });

  const latencies = new Float64Array(bodies.length * 2);
  const acked = new Uint8Array(bodies.length);
  const nonOk = {};
  let requests = 0;
  let okPosts = 0;
  let okStatuses = 0;
  let redeliveries = 0;
  let nextFresh = 0;
  // Meta's byte-for-byte redeliveries: a body marked for one goes again once its first delivery was
  // answered and 200 more POSTs went out, never while the first is in flight.
  const due = [];

  const cpuBefore = process.cpuUsage();
  const startedAt = epochMs();
  const deadline = startedAt + seconds * 1000;
  let lastAnswerAt = startedAt;

  const take = () => {
    if (due.length > 0 && due[0].after <= requests) return { index: due.shift().index, redelivery: true };
    if (nextFresh < bodies.length) return { index: nextFresh++, redelivery: false };
    return null;
  };

  const startedPerf = performance.now();
  const intervalMs = ratePerSecond ? 1000 / ratePerSecond : 0;
  let scheduled = 0;
  const connection = async () => {
    for (;;) {
      if (epochMs() >= deadline) return;
      let dueAt = null;
      if (ratePerSecond) {
        dueAt = startedPerf + scheduled++ * intervalMs;
        const wait = dueAt - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        if (epochMs() >= deadline) return;
      }
      const next = take();
      if (next === null) return;
      const body = bodies[next.index];
      const sample = requests++;
      const sentAt = dueAt ?? performance.now();
      let status;
      try {
        const response = await pool.request({
          path: target.pathname,
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-hub-signature-256': body.signature },
          body: body.raw,
        });
        await response.body.dump();
        status = response.statusCode;
      } catch (error) {
        status = error.code ?? error.name ?? 'error';
      }
      const answeredAt = performance.now();
      latencies[sample] = answeredAt - sentAt;
      lastAnswerAt = epochMs();
      if (status !== 200) {
        nonOk[status] = (nonOk[status] ?? 0) + 1;
        continue;
      }
      okPosts += 1;
      okStatuses += batchSize;
      if (next.redelivery) {
        redeliveries += 1;
        continue;
      }
      acked[next.index] = 1;
      if (body.redeliver) due.push({ index: next.index, after: requests + 200 });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, () => connection()));
  const cpu = process.cpuUsage(cpuBefore);
  await pool.close();

  const loadMs = lastAnswerAt - startedAt;
  return {
    type: 'done',
    startedAt,
    endedAt: lastAnswerAt,
    loadMs,
    requests,
    okPosts,
    okStatuses,
    redeliveries,
    nonOk,
    timeBound: nextFresh < bodies.length,
    latency: summarizeLatencies(latencies.subarray(0, requests)),
    cpuShare: (cpu.user + cpu.system) / 1000 / loadMs,
    expected: expectations(acked),
  };
}

/**
 * What the server's database must hold once every acknowledged body is processed: the bodies stored
 * once each, every (wamid, status) once, and each pre-inserted message at the highest status sent for it.
 */
function expectations(acked) {
  const { batchSize, statusIndex, statusRankOf, messages } = prepared;
  const best = new Int8Array(messages);
  const pairs = new Set();
  // The server stores identical bytes once (a status Meta delivered twice is a byte-identical body when alone in its POST).
  const distinctBodies = new Set();
  for (let body = 0; body < acked.length; body += 1) {
    if (!acked[body]) continue;
    const bodyKey = prepared.bodies[body].signature;
    if (distinctBodies.has(bodyKey)) continue;
    distinctBodies.add(bodyKey);
    for (let i = body * batchSize; i < (body + 1) * batchSize; i += 1) {
      const index = statusIndex[i];
      const rank = statusRankOf[i];
      pairs.add(index * 8 + rank);
      if (rank > best[index]) best[index] = rank;
    }
  }
  // Pre-inserted messages by the status they must end with ('accepted': no status reached us).
  const preinsertedByStatus = {};
  let priced = 0;
  for (let index = 0; index < messages; index += 1) {
    if (!isPreinserted(index)) continue;
    const name = rankNames[best[index] || statusRank.accepted];
    preinsertedByStatus[name] = (preinsertedByStatus[name] ?? 0) + 1;
    if (pairs.has(index * 8 + statusRank.sent)) priced += 1;
  }
  // best[index]: the highest status rank acknowledged for wamid `index` (0: none), for the row-by-row check.
  return { bodies: distinctBodies.size, statuses: distinctBodies.size * batchSize, pairs: pairs.size, preinsertedByStatus, priced, best: Array.from(best) };
}
