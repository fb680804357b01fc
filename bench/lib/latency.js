// Latency summaries for the benchmarks: percentiles (nearest rank) and the shares over Meta's
// thresholds, from per-request samples in milliseconds.

/** samples: an array or typed array of milliseconds (not modified). */
export function summarizeLatencies(samples) {
  const sorted = Float64Array.from(samples).sort();
  const count = sorted.length;
  if (count === 0) return { count: 0, mean: null, p50: null, p95: null, p99: null, max: null, over250: 0, over1s: 0 };
  let sum = 0;
  let over250 = 0;
  let over1s = 0;
  for (const ms of sorted) {
    sum += ms;
    if (ms > 250) over250 += 1;
    if (ms > 1000) over1s += 1;
  }
  return { count, mean: sum / count, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted[count - 1], over250, over1s };
}

/** Nearest-rank percentile of an ascending array: the smallest sample with at least p% of samples at or below it. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

export function formatMs(ms) {
  if (ms === null || ms === undefined) return '–';
  if (ms < 10) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${ms.toFixed(1)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

/** Wall-clock milliseconds since the epoch with sub-millisecond resolution, comparable across processes. */
export function epochMs() {
  return performance.timeOrigin + performance.now();
}
