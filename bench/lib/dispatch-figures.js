// The dispatch benchmark's figures from a worker's report: overall and steady send rates (progress
// sampled every second), CPU per message, and the memory series (first, last, peak, least-squares
// slope against messages sent), the live heap's too.

/**
 * report: the dispatch worker's { wallMs, cpuMs, answered, samples: [{ ms, answered, heapUsed, rss }],
 * live: [{ mark, answered, heapUsed }] }. The marks are of the messages answered (all of them, or fewer
 * when the run stopped at its time cap). Rates in messages/s, memory in bytes, slopes in bytes per
 * 100,000 messages. `liveGrowth` is the growth of the live heap (checkpoints taken between runOnce
 * calls) fitted by least squares over the run: what the dispatcher kept per message, times the messages.
 */
export function analyzeDispatch(report) {
  const samples = report.samples;
  const messages = report.answered;
  const t10 = timeAt(samples, 0.1 * messages);
  const t90 = timeAt(samples, 0.9 * messages);
  const steadyRate = t10 !== null && t90 !== null && t90 > t10 ? (0.8 * messages) / ((t90 - t10) / 1000) : 0;
  const steady = samples.filter((sample) => sample.answered >= 0.1 * messages);
  const live = report.live;
  const liveSlope = slopePer100k(live, 'heapUsed');
  const span = live.length > 0 ? live.at(-1).answered - live[0].answered : 0;
  return {
    overallRate: messages / (report.wallMs / 1000),
    steadyRate,
    t10,
    t90,
    cpuMicros: (report.cpuMs * 1000) / messages,
    heap: series(samples, steady, 'heapUsed'),
    rss: series(samples, steady, 'rss'),
    live: { first: live[0]?.heapUsed ?? null, min: Math.min(...live.map((point) => point.heapUsed)), max: Math.max(...live.map((point) => point.heapUsed)), last: live.at(-1)?.heapUsed ?? null, slope: liveSlope },
    liveGrowth: liveSlope === null ? null : (liveSlope * span) / 100_000,
  };
}

/** When `answered` reached `count`, interpolated between the samples around it (ms since the start). */
function timeAt(samples, count) {
  for (let index = 1; index < samples.length; index += 1) {
    const before = samples[index - 1];
    const after = samples[index];
    if (after.answered < count) continue;
    if (after.answered === before.answered) return after.ms;
    return before.ms + ((count - before.answered) / (after.answered - before.answered)) * (after.ms - before.ms);
  }
  return null;
}

function series(samples, steady, key) {
  const values = samples.map((sample) => sample[key]);
  return { first: values[0], last: values.at(-1), peak: Math.max(...values), slope: slopePer100k(steady, key) };
}

/** Least-squares slope of `key` against messages answered, per 100,000 messages; null with too few points. */
function slopePer100k(points, key) {
  if (points.length < 3) return null;
  const n = points.length;
  const meanX = points.reduce((sum, point) => sum + point.answered, 0) / n;
  const meanY = points.reduce((sum, point) => sum + point[key], 0) / n;
  let covariance = 0;
  let variance = 0;
  for (const point of points) {
    covariance += (point.answered - meanX) * (point[key] - meanY);
    variance += (point.answered - meanX) ** 2;
  }
  return variance === 0 ? null : (covariance / variance) * 100_000;
}
