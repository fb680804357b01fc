// Finds Greenlight's package root (where package.json, data/ and templates/ live) from a module's own
// location. Modules run from src/ under vitest and tsx but from dist/ after the build, so a fixed
// '../../' would break as soon as either moves; requiring a marker path too skips a stray package.json
// (e.g. one a bundler writes into dist/).

import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const found = new Map<string, string>();

/** The nearest ancestor of `moduleUrl` holding package.json and `marker` (a path relative to the root). */
export function packageRootHolding(moduleUrl: string, marker: string): string {
  const cached = found.get(marker);
  if (cached) return cached;
  const start = path.dirname(fileURLToPath(moduleUrl));
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, marker))) {
      found.set(marker, dir);
      return dir;
    }
    if (path.dirname(dir) === dir) throw new Error(`no ${marker} beside a package.json above ${start}`);
  }
}
