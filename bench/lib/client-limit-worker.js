// Child process of the dispatch benchmark that measures the loopback HTTP client's own limit: the real
// Cloud client (createCloudClient, its pooled undici fetch) sending the dispatcher's payloads to the
// same loopback mock with the same concurrency, and no database. Closed loop: `concurrency` sends in
// flight, each answer starting the next, as the dispatcher's lanes × batch size at their fullest; for
// `messages` sends or `maxMs`, whichever comes first.

import { createCloudClient } from '../../dist/whatsapp/client.js';
import { createOutbound, phoneNumberIdOf } from './dispatch-fixtures.js';
import { settleMemory } from './measure.js';

process.once('message', (task) => {
  measure(task).then(
    (report) => process.send(report, () => process.exit(0)),
    (error) => process.send({ type: 'error', error: error instanceof Error ? (error.stack ?? error.message) : String(error) }, () => process.exit(1)),
  );
});

/** task: { url, messages, maxMs, concurrency, connections, senders } → { type: 'report', … }. */
async function measure(task) {
  const client = createCloudClient({ baseUrl: task.url, apiVersion: 'v25.0', accessToken: 'bench', ...(task.connections ? { maxConnections: task.connections } : {}) });
  const outbound = createOutbound();
  // Warm the pool first (connections opened, code paths compiled), as the dispatcher's first batches do.
  const warmup = Math.min(task.concurrency * 2, 5_000);
  await sendRange(client, outbound, task, 1, warmup, Infinity, 'warm-up');
  await settleMemory();
  const first = 1_000_000_000; // callback data apart from the warm-up's
  const cpuStart = process.cpuUsage();
  const startedAt = performance.now();
  const result = await sendRange(client, outbound, task, first, task.messages, startedAt + task.maxMs, 'run');
  const wallMs = performance.now() - startedAt;
  const cpu = process.cpuUsage(cpuStart);
  await client.close();
  return {
    type: 'report',
    messages: result.ok + result.failed,
    stoppedAtCap: result.ok + result.failed < task.messages,
    ok: result.ok,
    failed: result.failed,
    firstFailure: result.firstFailure,
    wallMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    warmup,
  };
}

async function sendRange(client, outbound, task, first, count, until, what) {
  let next = 0;
  let ok = 0;
  let failed = 0;
  let firstFailure = null;
  const loop = async () => {
    while (next < count && performance.now() < until) {
      const n = first + next;
      next += 1;
      const answer = await client.sendMessage(phoneNumberIdOf(n % task.senders), outbound(n));
      if (answer.ok) ok += 1;
      else {
        failed += 1;
        firstFailure ??= `${what}: ${answer.message ?? JSON.stringify(answer)}`;
      }
    }
  };
  await Promise.all(Array.from({ length: task.concurrency }, loop));
  return { ok, failed, firstFailure };
}
