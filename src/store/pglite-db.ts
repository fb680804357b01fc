// The embedded adapter: PGlite (Postgres compiled to WASM) in this process, data in a directory.
// One connection, so transactions are serialised by PGlite itself.

import { mkdirSync } from 'node:fs';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { AppError } from '../errors.ts';
import { lockDataDir, type DataDirLock } from './data-dir-lock.ts';
import { INT8_OID, NUMERIC_OID, parseBigintOrNumeric, type Db } from './db.ts';

const parsers = { [INT8_OID]: parseBigintOrNumeric, [NUMERIC_OID]: parseBigintOrNumeric };

export type PgliteDb = Db & {
  /** A snapshot of the database files, from which fresh copies open in ~0.3 s instead of ~2.5 s (the tests' golden image). */
  dumpDataDir(): Promise<Blob>;
};

/** Opens (creating if needed) a PGlite database in `dataDir`, or in memory when `dataDir` is null. */
export async function openPglite(dataDir: string | null, options: { loadDataDir?: Blob } = {}): Promise<PgliteDb> {
  let pg: PGlite;
  let lock: DataDirLock | null = null;
  try {
    if (dataDir) mkdirSync(dataDir, { recursive: true });
    if (dataDir) lock = lockDataDir(dataDir);
    pg = await PGlite.create({ dataDir: dataDir ?? undefined, parsers, loadDataDir: options.loadDataDir });
  } catch (cause) {
    lock?.release();
    if (cause instanceof AppError) throw cause;
    throw new AppError('DATABASE_UNAVAILABLE', `Cannot open the embedded database${dataDir ? ` at ${dataDir}` : ''}: ${(cause as Error).message}`, { cause });
  }
  const db = wrap(pg, null);
  return {
    ...db,
    close: async () => {
      await db.close();
      lock?.release();
    },
    dumpDataDir: () => pg.dumpDataDir('none'),
  };
}

function wrap(pg: PGlite, tx: Transaction | null): Db {
  const runner = tx ?? pg;
  const db: Db = {
    kind: 'pglite',
    async query<Row>(sql: string, params: readonly unknown[] = []) {
      const result = await runner.query<Row>(sql, params as unknown[]);
      return result.rows;
    },
    async exec(sql) {
      await runner.exec(sql);
    },
    async transaction(work) {
      if (tx) return work(db);
      return pg.transaction((inner) => work(wrap(pg, inner)));
    },
    async close() {
      if (!tx) await pg.close();
    },
  };
  return db;
}
