// Run-level set-up of the chaos suite: starts an empty figures file and, when the run ends, turns the
// figures every scenario appended into test-artifacts/chaos-results.md; with
// GREENLIGHT_CHAOS_RESULTS=bench (`npm run test:chaos:record`) also into the chaos section of
// bench/RESULTS.md, beside the benchmarks. The figures travel through a file because scenarios run in
// forked workers.

import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChaosFigures } from './chaos-audit.ts';

const root = path.resolve(import.meta.dirname, '../..');
export const FIGURES_FILE = path.join(root, 'test-artifacts', 'chaos-figures.jsonl');
const RESULTS_FILE = path.join(root, 'test-artifacts', 'chaos-results.md');
const BENCH_RESULTS_FILE = path.join(root, 'bench', 'RESULTS.md');
const START_MARK = '<!-- chaos -->';
const END_MARK = '<!-- /chaos -->';

/** Replaces (or appends) the chaos section of bench/RESULTS.md; the benchmarks' sections are left as they are. */
function recordInBenchResults(table: string[]): void {
  const section = [
    START_MARK,
    '## Chaos: faults injected (`npm run test:chaos`, in CI)',
    '',
    `_Measured ${new Date().toISOString()}; load average at the end ${os.loadavg().map((value) => value.toFixed(2)).join(', ')}._`,
    '',
    'Each scenario checks: zero duplicates (the simulator\'s log of what "Meta" received), zero lost (nothing left planned, deferred, queued or in flight), targeted = sent + skipped + failed + unknown + cancelled, the report\'s funnel equal to the message states, and every send Meta received recorded as sent with its wamid. *Unknown* sends are ones whose request may have left when the fault hit and that Meta never received: shown with their reason, never resent.',
    '',
    ...table,
    END_MARK,
  ].join('\n');
  const current = existsSync(BENCH_RESULTS_FILE) ? readFileSync(BENCH_RESULTS_FILE, 'utf8') : '';
  const start = current.indexOf(START_MARK);
  const end = current.indexOf(END_MARK);
  const next = start >= 0 && end > start ? `${current.slice(0, start)}${section}${current.slice(end + END_MARK.length)}` : `${current.trimEnd()}\n\n${section}\n`;
  writeFileSync(BENCH_RESULTS_FILE, next);
}

export default function setup() {
  mkdirSync(path.dirname(FIGURES_FILE), { recursive: true });
  rmSync(FIGURES_FILE, { force: true });
  return () => {
    const lines = existsSync(FIGURES_FILE) ? readFileSync(FIGURES_FILE, 'utf8').split('\n').filter(Boolean) : [];
    const rows = lines.map((line) => JSON.parse(line) as ChaosFigures);
    const table = [
      '| Scenario | Engine | Faults injected | Recipients | Meta received | Recorded sent | Unknown | Duplicates | Lost | Duration (s) |',
      '|---|---|---|---:|---:|---:|---:|---:|---:|---:|',
      ...rows.map((row) => `| ${row.scenario} | ${row.engine} | ${row.faults} | ${row.recipients} | ${row.received} | ${row.sent} | ${row.unknown} | ${row.duplicates} | ${row.lost} | ${(row.durationMs / 1000).toFixed(1)} |`),
    ];
    writeFileSync(RESULTS_FILE, `# Chaos suite results (${new Date().toISOString()})\n\n${table.join('\n')}\n`);
    if (process.env.GREENLIGHT_CHAOS_RESULTS === 'bench' && rows.length > 0) recordInBenchResults(table);
  };
}
