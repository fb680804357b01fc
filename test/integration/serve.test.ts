// `greenlight serve` as an operator runs it: a real process on a real port, the built-in simulator
// signing webhooks to it over HTTP, graceful shutdown on SIGTERM, and refusals that protect data.
import { spawn, execFile, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createPostgresTestDatabaseUrl } from '../helpers/test-db.ts';
import { postgresAdminUrl } from '../helpers/test-backends.ts';

const root = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);
const children: ChildProcessWithoutNullStreams[] = [];

afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

/** Starts `greenlight serve` and resolves with its URL once it listens. */
function startServe(env: Record<string, string>): Promise<{ url: string; child: ChildProcessWithoutNullStreams; output: () => string }> {
  const child = spawn(process.execPath, ['bin/greenlight.js', 'serve', '--port', '0'], { cwd: root, env: { ...process.env, GREENLIGHT_DATABASE_URL: '', ...env } });
  children.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening at (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve({ url: match[1], child, output: () => output });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}:\n${output}`)));
  });
}

describe('greenlight serve', () => {
  it('refuses to start against Meta without WHATSAPP_APP_SECRET, since unsigned webhooks could opt everyone out', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'greenlight-serve-'));
    const failure = await run(process.execPath, ['bin/greenlight.js', 'serve', '--port', '0'], { cwd: root, env: { ...process.env, GREENLIGHT_DATABASE_URL: '', GREENLIGHT_DATA_DIR: dataDir, WHATSAPP_ACCESS_TOKEN: 'EAAG-real-looking' } }).catch((error: unknown) => error as { code: number; stderr: string });
    expect(failure).toMatchObject({ code: 1, stderr: expect.stringContaining('WHATSAPP_APP_SECRET is required') as string });
    expect(JSON.stringify(failure)).not.toContain('EAAG-real-looking');
  });

  it('keeps a second process off its embedded database with a clear message, and stops on SIGTERM', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'greenlight-serve-'));
    const server = await startServe({ GREENLIGHT_DATA_DIR: dataDir });
    const second = await run(process.execPath, ['bin/greenlight.js', 'contacts', 'list'], { cwd: root, env: { ...process.env, GREENLIGHT_DATABASE_URL: '', GREENLIGHT_DATA_DIR: dataDir } }).catch((error: unknown) => error as { code: number; stderr: string });
    expect(second).toMatchObject({ code: 1, stderr: expect.stringContaining('in use by another Greenlight process') as string });
    const exited = new Promise<number | null>((resolve) => server.child.once('exit', resolve));
    server.child.kill('SIGTERM');
    expect(await exited).toBe(0);
    // The lock went with the server: the database opens again.
    await expect(run(process.execPath, ['bin/greenlight.js', 'contacts', 'list', '--json'], { cwd: root, env: { ...process.env, GREENLIGHT_DATABASE_URL: '', GREENLIGHT_DATA_DIR: dataDir } })).resolves.toBeTruthy();
  });

  it.skipIf(!postgresAdminUrl)('receives the simulator’s signed webhooks over HTTP and records a STOP reply as an opt-out (PostgreSQL)', async () => {
    const url = await createPostgresTestDatabaseUrl();
    const server = await startServe({ GREENLIGHT_DATABASE_URL: url });
    const response = await fetch(`${server.url}/simulator/_sim/people/inbound`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from: '4915112345678', text: 'Stopp' }) });
    expect(response.status).toBe(200);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      let rows: Array<{ category: string; kind: string; proof: string }> = [];
      for (let attempt = 0; attempt < 100 && rows.length < 2; attempt += 1) {
        rows = (await client.query<{ category: string; kind: string; proof: string }>('select category, kind, proof from consent_events order by category')).rows;
        if (rows.length < 2) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(rows).toEqual([{ category: 'marketing', kind: 'opt_out', proof: 'Stopp' }, { category: 'utility', kind: 'opt_out', proof: 'Stopp' }]);
    } finally {
      await client.end();
    }
  });
});
