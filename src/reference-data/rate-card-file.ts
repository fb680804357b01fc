// Reads the shipped default rate card (data/rate-card.csv and data/rate-card-markets.csv) as text.
// Only I/O: domain/rate-card.ts parses and validates it (whatsapp-rules.md §7.3).

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const RATES_FILE = path.join('data', 'rate-card.csv');
const MARKETS_FILE = path.join('data', 'rate-card-markets.csv');

let root: string | null = null;

/**
 * The package root: the nearest ancestor holding package.json and data/. This module runs from src/ under
 * vitest and tsx but from dist/ after the build, so a fixed '../../' would break as soon as either moves;
 * requiring data/ too skips a stray package.json (e.g. one a bundler writes into dist/).
 */
function packageRoot(): string {
  if (root !== null) return root;
  const start = path.dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, RATES_FILE))) {
      root = dir;
      return dir;
    }
    if (path.dirname(dir) === dir) throw new Error(`no ${RATES_FILE} beside a package.json above ${start}`);
  }
}

/** The text of data/rate-card.csv: USD per delivered message by market, category and effective date. */
export function readDefaultRateCardText(): string {
  return readFileSync(path.join(packageRoot(), RATES_FILE), 'utf8');
}

/** The text of data/rate-card-markets.csv: recipient country → pricing market. */
export function readDefaultRateCardMarketsText(): string {
  return readFileSync(path.join(packageRoot(), MARKETS_FILE), 'utf8');
}
