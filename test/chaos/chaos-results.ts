// Run-level set-up of the chaos suite: starts an empty figures file and, when the run ends, turns the
// figures every scenario appended into test-artifacts/chaos-results.md (a table to paste into
// bench/RESULTS.md). The figures travel through a file because scenarios run in forked workers.

import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ChaosFigures } from './chaos-audit.ts';

const root = path.resolve(import.meta.dirname, '../..');
export const FIGURES_FILE = path.join(root, 'test-artifacts', 'chaos-figures.jsonl');
const RESULTS_FILE = path.join(root, 'test-artifacts', 'chaos-results.md');

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
  };
}
