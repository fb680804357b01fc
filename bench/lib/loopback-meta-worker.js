// Child process of the dispatch benchmark that plays Meta: the loopback mock (loopback-meta.js) in its
// own process, so its CPU is its own and not taken from the dispatcher's event loop. Answers IPC
// questions one at a time: start → { url }, reset → { ok }, stats → { counts, cpu }.

import { startLoopbackMeta } from './loopback-meta.js';

let mock = null;
let cpuFrom = process.cpuUsage();
let cpuFromAt = performance.now();

process.on('message', (message) => {
  answer(message).then(
    (reply) => process.send(reply),
    (error) => process.send({ type: 'error', error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  );
});

async function answer(message) {
  if (message.type === 'start') {
    mock ??= await startLoopbackMeta();
    return { type: 'started', url: mock.url };
  }
  if (!mock) throw new Error('the mock was not started');
  if (message.type === 'reset') {
    mock.reset();
    cpuFrom = process.cpuUsage();
    cpuFromAt = performance.now();
    return { type: 'reset' };
  }
  if (message.type === 'stats') {
    const cpu = process.cpuUsage(cpuFrom);
    return { type: 'stats', ...mock.stats(), cpuMs: (cpu.user + cpu.system) / 1000, wallMs: performance.now() - cpuFromAt };
  }
  if (message.type === 'stop') {
    await mock.close();
    setImmediate(() => process.exit(0));
    return { type: 'stopped' };
  }
  throw new Error(`unknown question ${message.type}`);
}
