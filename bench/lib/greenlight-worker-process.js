// A real `greenlight worker` process for the soak benchmark: `node bin/greenlight.js worker` as an operator
// starts it, with its own /metrics port (--metrics-port 0: prom-client's process metrics, heap included),
// watched from outside. Node's --trace-gc is the one addition: V8 then prints every collection, and the
// heap left after each full (mark-compact) collection is the memory the worker really keeps, without the
// garbage that `heapUsed` counts between collections. Nothing in the worker is changed for it.

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
// "[pid:0x…]  1234 ms: Mark-Compact 40.1 (52.3) -> 30.2 (50.1) MB, …": milliseconds since the worker's
// V8 started, and the size after the arrow, in MiB. V8 writes these lines through C's stdio, which a pipe
// buffers: they arrive in bursts, so the time is taken from the line, not from when it arrives.
const markCompact = /(\d+) ms: Mark-Compact(?: \(reduce\))? [\d.]+ \([\d.]+\) -> ([\d.]+) \([\d.]+\) MB/;
const MiB = 2 ** 20;

/**
 * Starts the worker with `env` (database, Cloud API base URL and token) and `args` (--lanes, --batch-size);
 * resolves once it says it runs, with { pid, owner, metricsUrl, fullGcs, memory(), stop(), exited }.
 * `fullGcs` fills as the worker collects: [{ atMs (Date.now()), liveBytes }].
 */
export async function startGreenlightWorker({ env, args = [] }) {
  const spawnedAt = Date.now();
  const child = spawn(process.execPath, ['--trace-gc', 'bin/greenlight.js', 'worker', '--metrics-port', '0', ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const fullGcs = [];
  const stderrTail = [];
  let buffered = '';
  let owner = null;
  let announceMetrics;
  const metricsUrl = new Promise((resolve) => (announceMetrics = resolve));
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      const gc = markCompact.exec(line);
      if (gc) fullGcs.push({ atMs: spawnedAt + Number(gc[1]), liveBytes: Number(gc[2]) * MiB });
      const running = /^Campaign worker (\S+) is running/.exec(line);
      if (running) owner = running[1];
      const metrics = /^Metrics: (\S+)\/metrics$/.exec(line);
      if (metrics) announceMetrics(metrics[1]);
    }
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    stderrTail.push(chunk);
    if (stderrTail.length > 20) stderrTail.shift();
  });
  // 'close', not 'exit': the last --trace-gc lines are read only once the pipes are drained.
  const exited = new Promise((resolve) => child.once('close', (code, signal) => resolve({ code, signal, stderr: stderrTail.join('').trim().slice(-2000) })));
  const url = await Promise.race([
    metricsUrl,
    exited.then(({ code, signal, stderr }) => {
      throw new Error(`greenlight worker exited (${signal ?? `code ${code}`}) before it ran: ${stderr}`);
    }),
  ]);
  return {
    pid: child.pid,
    /** The worker's lease owner (messages.lease_owner): "Campaign worker … is running" comes just before the metrics line. */
    owner,
    metricsUrl: url,
    fullGcs,
    exited,
    /** RSS as the OS sees it (/proc), and the JS heap in use as the worker's /metrics reports it; null when unreadable. */
    async memory() {
      return { rss: rssBytes(child.pid), heapUsed: await heapUsedBytes(url) };
    },
    /** SIGTERM (the worker finishes its batches in flight and gives back its leases), SIGKILL after `graceMs`. */
    async stop(graceMs = 30_000) {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
}

function rssBytes(pid) {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

async function heapUsedBytes(metricsUrl) {
  try {
    const text = await (await fetch(`${metricsUrl}/metrics`, { signal: AbortSignal.timeout(5_000) })).text();
    const match = /^nodejs_heap_size_used_bytes (\d+(?:\.\d+)?(?:e\+?\d+)?)$/m.exec(text);
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}
