// Where the benchmarks find PostgreSQL (GREENLIGHT_BENCH_POSTGRES_URL) and what they say about it:
// the server version for the report, and URLs with their password hidden.

import pg from 'pg';

export function benchPostgresUrl(env = process.env) {
  return env.GREENLIGHT_BENCH_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
}

/** `select version()`, or why it could not be asked. */
export async function postgresVersion(url) {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    const { rows } = await client.query('select version() as version');
    return rows[0].version;
  } catch (error) {
    return `unreachable at ${redact(url)} (${error.message || error.code || String(error)})`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The URL without its password, for reports and logs. */
export function redact(url) {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}
