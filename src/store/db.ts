// The one small database interface every store module is written against. Two adapters satisfy it:
// embedded PGlite (pglite-db.ts) and PostgreSQL (postgres-db.ts). The same SQL runs on both.

export type DbKind = 'pglite' | 'postgres';

export type Db = {
  readonly kind: DbKind;
  /** One parameterised statement ($1, $2, …); rows come back with int8 and numeric parsed as numbers. */
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  /** Several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. Nested calls join the outer one. */
  transaction<T>(work: (tx: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
};

// OIDs of the types whose default JS representation differs between the two drivers.
export const INT8_OID = 20;
export const NUMERIC_OID = 1700;

/** Counts and ids fit in a double (2^53); parse them as numbers on both drivers so rows look the same. */
export function parseBigintOrNumeric(value: string): number {
  return Number(value);
}
