// Reads the shipped default rate card (data/rate-card.csv and data/rate-card-markets.csv) as text.
// Only I/O: domain/rate-card.ts parses and validates it (whatsapp-rules.md §7.3).

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { packageRootHolding } from '../lib/package-root.ts';

const RATES_FILE = path.join('data', 'rate-card.csv');
const MARKETS_FILE = path.join('data', 'rate-card-markets.csv');

const packageRoot = () => packageRootHolding(import.meta.url, RATES_FILE);

/** The text of data/rate-card.csv: USD per delivered message by market, category and effective date. */
export function readDefaultRateCardText(): string {
  return readFileSync(path.join(packageRoot(), RATES_FILE), 'utf8');
}

/** The text of data/rate-card-markets.csv: recipient country → pricing market. */
export function readDefaultRateCardMarketsText(): string {
  return readFileSync(path.join(packageRoot(), MARKETS_FILE), 'utf8');
}
