// Child process of the soak benchmark that plays Meta: the Cloud API simulator (createSimulator, from
// dist/) at real speed, served over HTTP by @hono/node-server as `greenlight simulator` serves it, so
// the Greenlight workers reach it through their real Cloud client. Its sent log is the ground truth of
// what "Meta" received. It counts every answer by HTTP status (a 130429 never reaches the sent log).
// Answers IPC questions one at a time: start → { url }, stats → progress and this process's memory and
// CPU, check → what the sent log holds (counts and a fingerprint of every (message id, wamid) pair),
// stop.
//
// Two options keep it able to hold a million sends in one process. Status webhooks are dropped where
// they are made (webhookFaults.dropRate 1): the soak measures the workers, which never receive them, and
// undelivered webhooks would otherwise wait in memory (startWebhooks: false) or cost an HTTP POST each.
// Every recipient is registered as opted in, as Greenlight's consent records say: people who never opted
// in complain 20 times as often, which would turn the template RED and pause it half-way (as Meta would).

import { serve } from '@hono/node-server';
import { createHash } from 'node:crypto';
import { createSimulator } from '../../dist/simulator/create-simulator.js';
import { phoneOf } from './dispatch-fixtures.js';

let served = null;
const answers = new Map();
let cpuFrom = process.cpuUsage();

process.on('message', (message) => {
  answer(message).then(
    (reply) => process.send(reply),
    (error) => process.send({ type: 'error', error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  );
});

async function answer(message) {
  if (message.type === 'start') return start(message);
  if (!served) throw new Error('the simulator was not started');
  if (message.type === 'stats') return stats();
  if (message.type === 'check') return check();
  if (message.type === 'stop') {
    await new Promise((resolve) => served.server.close(resolve));
    setImmediate(() => process.exit(0));
    return { type: 'stopped' };
  }
  throw new Error(`unknown question ${message.type}`);
}

/** { options (SimulatorOptions, JSON-safe), recipients } → { type: 'started', url }. */
async function start({ options, recipients }) {
  const simulator = createSimulator({ ...options, startAt: new Date() });
  // Consent is told to the simulator (Meta never knows it): the numbers of the contacts in the database.
  const phones = [];
  for (let n = 1; n <= recipients; n += 1) phones.push(phoneOf(n));
  simulator.controls.optIn(phones);
  const server = await new Promise((resolve, reject) => {
    const running = serve({ fetch: (request) => countAnswer(simulator.app.fetch(request)), port: 0, hostname: '127.0.0.1' }, (info) => resolve({ running, port: info.port }));
    running.once('error', reject);
  });
  served = { simulator, server: server.running };
  cpuFrom = process.cpuUsage();
  return { type: 'started', url: `http://127.0.0.1:${server.port}` };
}

async function countAnswer(pending) {
  const response = await pending;
  answers.set(response.status, (answers.get(response.status) ?? 0) + 1);
  return response;
}

function stats() {
  const cpu = process.cpuUsage(cpuFrom);
  const memory = process.memoryUsage();
  return { type: 'stats', received: served.simulator.sent().length, answers: Object.fromEntries(answers), cpuMs: (cpu.user + cpu.system) / 1000, rss: memory.rss, heapUsed: memory.heapUsed, pendingEvents: served.simulator.clock.pendingCount() };
}

/**
 * The sent log, summed up: messages received, distinct wamids and callback data (a message sent twice
 * shows as a repeated `gl:{id}`), and a fingerprint of the (message id, wamid) pairs that the database
 * computes the same way from its sent rows: equal fingerprints and counts mean Greenlight recorded, for
 * every message Meta accepted, the wamid Meta gave it.
 */
function check() {
  const sent = served.simulator.sent();
  const wamids = new Set();
  const callbacks = new Set();
  let withoutCallback = 0;
  let fingerprint = 0n;
  const errors = {};
  for (const message of sent) {
    wamids.add(message.wamid);
    if (message.errorCode !== null) errors[message.errorCode] = (errors[message.errorCode] ?? 0) + 1;
    const id = /^gl:(\d+)$/.exec(message.bizOpaqueCallbackData ?? '')?.[1];
    if (id === undefined) {
      withoutCallback += 1;
      continue;
    }
    callbacks.add(id);
    fingerprint += BigInt(`0x${createHash('md5').update(`${id}:${message.wamid}`).digest('hex').slice(0, 12)}`);
  }
  return { ...stats(), type: 'checked', received: sent.length, distinctWamids: wamids.size, distinctCallbacks: callbacks.size, withoutCallback, fingerprint: fingerprint.toString(), asyncErrors: errors };
}
