// The PostgreSQL adapter (node-postgres pool), for several worker processes and machines.
// Statements outside a transaction take any pooled connection; a transaction holds one until it ends.

import pg from 'pg';
import { AppError } from '../errors.ts';
import { INT8_OID, NUMERIC_OID, parseBigintOrNumeric, type Db } from './db.ts';

const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID || oid === NUMERIC_OID) return parseBigintOrNumeric;
    return pg.types.getTypeParser(oid, format) as (value: string) => unknown;
  },
};

export async function openPostgres(url: string, options: { maxConnections?: number } = {}): Promise<Db> {
  const pool = new pg.Pool({ connectionString: url, max: options.maxConnections ?? 10, types });
  // An idle client that loses its connection emits 'error'; without a listener Node would exit.
  pool.on('error', () => undefined);
  try {
    const client = await pool.connect();
    client.release();
  } catch (cause) {
    await pool.end();
    throw new AppError('DATABASE_UNAVAILABLE', `Cannot connect to PostgreSQL: ${(cause as Error).message}`, { cause });
  }
  return wrapPool(pool);
}

function wrapPool(pool: pg.Pool): Db {
  return {
    kind: 'postgres',
    async query<Row>(sql: string, params: readonly unknown[] = []) {
      const result = await pool.query(sql, params as unknown[]);
      return result.rows as Row[];
    },
    async exec(sql) {
      await pool.query(sql);
    },
    async transaction(work) {
      const client = await pool.connect();
      // The pool listens for 'error' on idle clients only: a connection cut mid-transaction (a server
      // restart, pg_terminate_backend) would otherwise be an unhandled 'error' event and end the process.
      const ignore = () => undefined;
      client.on('error', ignore);
      let broken: Error | undefined;
      try {
        await client.query('begin');
        const value = await work(wrapClient(client));
        await client.query('commit');
        return value;
      } catch (error) {
        // A connection that cannot even roll back is dead: the pool must discard it, not lend it again.
        await client.query('rollback').catch((rollbackError: Error) => {
          broken = rollbackError;
        });
        throw error;
      } finally {
        client.off('error', ignore);
        client.release(broken);
      }
    },
    async close() {
      await pool.end();
    },
  };
}

function wrapClient(client: pg.PoolClient): Db {
  const db: Db = {
    kind: 'postgres',
    async query<Row>(sql: string, params: readonly unknown[] = []) {
      const result = await client.query(sql, params as unknown[]);
      return result.rows as Row[];
    },
    async exec(sql) {
      await client.query(sql);
    },
    transaction: (work) => work(db),
    close: () => Promise.resolve(),
  };
  return db;
}
