// Measurement helpers shared by the benchmarks: a memory sampler (JS heap, external/ArrayBuffer
// memory, RSS), a Db wrapper that times SQL statements, and the number formats used in the reports.

/**
 * Settles memory (see settleMemory), takes the baseline, then samples process.memoryUsage() every
 * `intervalMs` (and on every sample() call) until stop(). Peaks, not averages: the requirement is
 * about the worst moment.
 */
export async function startMemorySampler(intervalMs = 100) {
  await settleMemory();
  const baseline = process.memoryUsage();
  const peak = { ...baseline };
  const sample = () => {
    const now = process.memoryUsage();
    for (const key of Object.keys(peak)) if (now[key] > peak[key]) peak[key] = now[key];
    return now;
  };
  const timer = setInterval(sample, intervalMs);
  return {
    baseline,
    sample,
    stop() {
      clearInterval(timer);
      sample();
      return { baseline, peak, heapGrowth: peak.heapUsed - baseline.heapUsed };
    },
  };
}

/**
 * Full gcs, with a turn of the event loop between them, until memory stops shrinking. One gc is not
 * enough: a dropped WebAssembly instance (PGlite's initdb one, ~450 MB) is only freed two or three
 * cycles later, and a baseline taken before that would hide growth behind its release.
 */
export async function settleMemory(minRounds = 4, maxRounds = 10) {
  if (typeof global.gc !== 'function') throw new Error('run with node --expose-gc so baselines are taken after a full gc');
  let previous = Infinity;
  for (let round = 1; round <= maxRounds; round += 1) {
    global.gc();
    await new Promise((resolve) => setImmediate(resolve));
    const { heapUsed, external } = process.memoryUsage();
    if (round >= minRounds && heapUsed + external > previous - MB) return;
    previous = heapUsed + external;
  }
}

/**
 * Wraps a Db (src/store/db.ts) so every statement's time is added to `stats` ({ statements, ms,
 * byStatement, countByStatement }), per statement kind too ("insert into contacts"). The import awaits each statement
 * before parsing on, so statement time and the rest (reading, parsing, validating) add up to the
 * wall time: that split says where the time goes.
 */
export function timedDb(db, stats) {
  return {
    kind: db.kind,
    async query(sql, params) {
      const startedAt = performance.now();
      try {
        return await db.query(sql, params);
      } finally {
        const ms = performance.now() - startedAt;
        const kind = statementKind(sql);
        stats.statements += 1;
        stats.ms += ms;
        stats.byStatement[kind] = (stats.byStatement[kind] ?? 0) + ms;
        stats.countByStatement[kind] = (stats.countByStatement[kind] ?? 0) + 1;
      }
    },
    exec: (sql) => db.exec(sql),
    transaction: (work) => db.transaction((tx) => work(timedDb(tx, stats))),
    close: () => db.close(),
  };
}

export function newStatementStats() {
  return { statements: 0, ms: 0, byStatement: {}, countByStatement: {} };
}

function statementKind(sql) {
  // "for update skip locked" is a lock, not the statement: a claim reads as its update, marked as a claim.
  const kind = /\b(?:insert into|(?<!for )update|delete from)\s+\w+/i.exec(sql)?.[0].toLowerCase() ?? sql.trim().split(/\s+/).slice(0, 2).join(' ').toLowerCase();
  return /\bskip locked\b/i.test(sql) ? `${kind} (claim)` : kind;
}

// Decimal megabytes (10^6 bytes): the requirement says "300 MB", and the decimal unit is the stricter reading.
export const MB = 1_000_000;

export function formatMB(bytes) {
  return `${(bytes / MB).toFixed(1)} MB`;
}

export function formatInt(value) {
  return Math.round(value).toLocaleString('en-US');
}

export function formatDuration(ms) {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${((ms - minutes * 60_000) / 1000).toFixed(1)} s`;
}
