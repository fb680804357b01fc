// The soak benchmark's memory verdict for one worker process: its RSS, its heap in use and its live
// heap (what is left after each full gc) after the warm-up, each fitted by least squares against time.
// The fitted growth over the window (slope × its length) reads through the saw-tooth of collections:
// a worker that keeps something per message grows with the campaign, one that keeps nothing stays level.

import { MB } from './measure.js';

// "Flat", per worker, over the run after the warm-up. The live heap is what the worker really keeps:
// 32 MB over a million messages still catches 32 bytes kept per message. RSS also holds V8's spare
// pages and the allocator's, which move by tens of MB as the heap is resized: twice as much room.
export const flatBounds = { liveHeapBytes: 32 * MB, rssBytes: 64 * MB };

/**
 * samples: [{ atMs, rss, heapUsed }] (nulls allowed), fullGcs: [{ atMs, liveBytes }], both over the
 * whole run; warm: the moment the warm-up ended. Returns the series after it and the verdict.
 */
export function analyzeWorkerMemory({ samples, fullGcs, warmAtMs }) {
  const warm = samples.filter((sample) => sample.atMs >= warmAtMs);
  const rss = series(warm.filter((sample) => sample.rss !== null).map((sample) => ({ atMs: sample.atMs, value: sample.rss })));
  const heap = series(warm.filter((sample) => sample.heapUsed !== null).map((sample) => ({ atMs: sample.atMs, value: sample.heapUsed })));
  const live = series(fullGcs.filter((gc) => gc.atMs >= warmAtMs).map((gc) => ({ atMs: gc.atMs, value: gc.liveBytes })));
  const problems = [];
  // A run too short for three full collections after its warm-up cannot show the live heap is level: not a pass.
  if (live.growth === null) problems.push(`too short to judge the live heap: ${live.count} full gc${live.count === 1 ? '' : 's'} after the warm-up (3 needed)`);
  else if (live.growth > flatBounds.liveHeapBytes) problems.push(`live heap grew ${(live.growth / MB).toFixed(1)} MB (bound ${flatBounds.liveHeapBytes / MB} MB)`);
  if (rss.growth === null) problems.push('too few RSS samples after the warm-up');
  else if (rss.growth > flatBounds.rssBytes) problems.push(`RSS grew ${(rss.growth / MB).toFixed(1)} MB (bound ${flatBounds.rssBytes / MB} MB)`);
  return { rss, heap, live, ok: problems.length === 0, problems };
}

/** first, min, max, last, and the fitted growth over the series' time span (null with fewer than 3 points). */
function series(points) {
  const values = points.map((point) => point.value);
  const slope = slopePerMs(points);
  return {
    count: points.length,
    first: values[0] ?? null,
    min: values.length > 0 ? Math.min(...values) : null,
    max: values.length > 0 ? Math.max(...values) : null,
    last: values.at(-1) ?? null,
    growth: slope === null ? null : slope * (points.at(-1).atMs - points[0].atMs),
  };
}

function slopePerMs(points) {
  if (points.length < 3) return null;
  const n = points.length;
  const meanX = points.reduce((sum, point) => sum + point.atMs, 0) / n;
  const meanY = points.reduce((sum, point) => sum + point.value, 0) / n;
  let covariance = 0;
  let variance = 0;
  for (const point of points) {
    covariance += (point.atMs - meanX) * (point.value - meanY);
    variance += (point.atMs - meanX) ** 2;
  }
  return variance === 0 ? null : covariance / variance;
}
