// The `greenlight` command line: in process for its behaviour, and as a real child process for the
// README's quick start (the bin script, the compiled code, the sample file, both databases).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createManualClock } from '../../src/lib/clock.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import type { Db } from '../../src/store/db.ts';
import { runCliCaptured } from '../helpers/cli-capture.ts';
import { createPostgresTestDatabaseUrl, createTestDb } from '../helpers/test-db.ts';
import { postgresAdminUrl, testBackends } from '../helpers/test-backends.ts';

const root = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

function cli(db: Db, ...args: string[]) {
  return runCliCaptured(args, { cwd: root, deps: { config: loadConfig({}, root), db, clock: createManualClock(new Date('2026-01-01T00:00:00Z')), log: silentLogger } });
}

describe.each(testBackends)('greenlight CLI on %s', (kind) => {
  it('imports the sample file and reports created, rejected and consent counts as JSON', async () => {
    const db = await createTestDb(kind);
    const { code, out } = await cli(db, 'contacts', 'import', 'samples/contacts.csv', '--json');
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ rows: 21, created: 17, rejected: 4, rejectedByReason: { not_mobile: 1, invalid_phone: 1, duplicate_in_file: 1, bad_date: 1 } });
  });

  it('writes every rejected row, with its line and reason, to the --rejects file', async () => {
    const db = await createTestDb(kind);
    const rejectsPath = path.join(mkdtempSync(path.join(tmpdir(), 'greenlight-rejects-')), 'rejects.csv');
    const { code } = await cli(db, 'contacts', 'import', 'samples/contacts.csv', '--rejects', rejectsPath);
    expect(code).toBe(0);
    const lines = readFileSync(rejectsPath, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('line,reason,message');
    expect(lines.slice(1).map((line) => line.split(',').slice(0, 2).join(','))).toEqual(['19,not_mobile', '20,invalid_phone', '21,duplicate_in_file', '22,bad_date']);
  });

  it('shows a contact with its consent history after an opt-out on the command line', async () => {
    const db = await createTestDb(kind);
    await cli(db, 'contacts', 'import', 'samples/contacts.csv');
    const optOut = await cli(db, 'contacts', 'opt-out', '+33 6 12 34 56 78', '--category', 'marketing', '--source', 'whatsapp reply', '--text', 'STOP');
    expect(optOut).toMatchObject({ code: 0, out: expect.stringContaining('Now: marketing opted_out, utility opted_in') as string });
    const shown = await cli(db, 'contacts', 'show', '+33612345678', '--json');
    const parsed = JSON.parse(shown.out) as { consent: { marketing: { state: string } }; history: Array<{ kind: string; proof: string | null }> };
    expect(parsed.consent.marketing.state).toBe('opted_out');
    expect(parsed.history.map((event) => event.kind)).toEqual(['opt_in', 'opt_in', 'opt_out']);
  });

  it('lists contacts a page at a time, filtered by tag', async () => {
    const db = await createTestDb(kind);
    await cli(db, 'contacts', 'import', 'samples/contacts.csv');
    const { out } = await cli(db, 'contacts', 'list', '--tag', 'vip', '--json');
    const page = JSON.parse(out) as { contacts: Array<{ phone: string }> };
    expect(page.contacts.map((contact) => contact.phone)).toEqual(['+5511912345678', '+525512345678', '+33612345678']);
  });
});

describe('greenlight templates lint', () => {
  it('passes a starter template with exit code 0 and reports its spam risk', async () => {
    const db = await createTestDb('pglite');
    const result = await cli(db, 'templates', 'lint', 'templates/starter/order_update.en.json');
    expect(result).toMatchObject({ code: 0, out: expect.stringContaining('0 error(s)') as string });
  });

  it('fails with exit code 1 and names the rule, the place and the fix when a template breaks one of Meta’s rules', async () => {
    const db = await createTestDb('pglite');
    const dir = mkdtempSync(path.join(tmpdir(), 'greenlight-template-'));
    const file = path.join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ name: 'Spring Sale', language: 'en', category: 'MARKETING', components: [{ type: 'BODY', text: '{{1}}, BIG SALE!!! ends {{2}}', example: { body_text: [['Ana', 'today']] } }] }));
    const result = await cli(db, 'templates', 'lint', file, '--json');
    expect(result.code).toBe(1);
    const report = JSON.parse(result.out) as { reports: Array<{ errors: number; findings: Array<{ code: string }>; spam: { verdict: string } }> };
    expect(report.reports[0]?.findings.map((finding) => finding.code)).toEqual(expect.arrayContaining(['NAME_INVALID', 'VARIABLE_AT_EDGE']));
    expect(report.reports[0]?.spam.verdict).not.toBe('low');
  });

  it('refuses a file that is not a template with the field that is wrong', async () => {
    const db = await createTestDb('pglite');
    const dir = mkdtempSync(path.join(tmpdir(), 'greenlight-template-'));
    const file = path.join(dir, 'not-a-template.json');
    writeFileSync(file, JSON.stringify({ name: 'x', language: 'en', category: 'MARKETING', components: [{ type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY' }] }] }));
    const result = await cli(db, 'templates', 'lint', file);
    expect(result).toMatchObject({ code: 2, err: expect.stringContaining('is not a template') as string });
  });
});

describe('greenlight CLI errors', () => {
  it.each([
    [['contacts', 'frobnicate'], 'unknown command'],
    [['contacts', 'import'], 'name exactly one CSV file'],
    [['contacts', 'import', 'no-such-file.csv'], 'no such file'],
    [['contacts', 'import', 'samples/contacts.csv', '--colour'], "Unknown option '--colour'"],
    [['contacts', 'opt-in', '+33612345678', '--category', 'marketing', '--source', 'form'], 'needs its proof'],
    [['contacts', 'opt-out', 'not a phone'], 'not a phone number'],
    [['contacts', 'list', '--limit', 'ten'], '--limit takes a whole number'],
  ])('answers %j with exit code 2 and a message containing "%s"', async (args, message) => {
    const db = await createTestDb('pglite');
    const result = await cli(db, ...args);
    expect(result.code).toBe(2);
    expect(result.err).toContain(message);
  });
});

describe('the README quick start, as a newcomer runs it', () => {
  it('runs `greenlight contacts import samples/contacts.csv` through bin/ on embedded PGlite with no configuration', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'greenlight-cli-'));
    const { stdout } = await run(process.execPath, ['bin/greenlight.js', 'contacts', 'import', 'samples/contacts.csv', '--json'], { cwd: root, env: { ...process.env, GREENLIGHT_DATA_DIR: dataDir, GREENLIGHT_DATABASE_URL: '' } });
    expect(JSON.parse(stdout)).toMatchObject({ created: 17, rejected: 4 });
    const again = await run(process.execPath, ['bin/greenlight.js', 'contacts', 'import', 'samples/contacts.csv', '--json'], { cwd: root, env: { ...process.env, GREENLIGHT_DATA_DIR: dataDir, GREENLIGHT_DATABASE_URL: '' } });
    expect(JSON.parse(again.stdout)).toMatchObject({ created: 0, updated: 0, unchanged: 17 });
  });

  it.skipIf(!postgresAdminUrl)('runs the same command against PostgreSQL named by GREENLIGHT_DATABASE_URL', async () => {
    const url = await createPostgresTestDatabaseUrl();
    const { stdout } = await run(process.execPath, ['bin/greenlight.js', 'contacts', 'import', 'samples/contacts.csv', '--json'], { cwd: root, env: { ...process.env, GREENLIGHT_DATABASE_URL: url } });
    expect(JSON.parse(stdout)).toMatchObject({ created: 17, rejected: 4 });
  });

  it('says clearly when the embedded database cannot be opened, with exit code 1', async () => {
    const failure = await run(process.execPath, ['bin/greenlight.js', 'contacts', 'list'], { cwd: root, env: { ...process.env, GREENLIGHT_DATABASE_URL: '', GREENLIGHT_DATA_DIR: '/dev/null/greenlight' } }).catch((error: unknown) => error as { code: number; stderr: string });
    expect(failure).toMatchObject({ code: 1, stderr: expect.stringContaining('Cannot open the embedded database at /dev/null/greenlight') as string });
  });

  it('refuses a malformed GREENLIGHT_DATABASE_URL with a clear message and exit code 1', async () => {
    const failure = await run(process.execPath, ['bin/greenlight.js', 'contacts', 'list'], { cwd: root, env: { ...process.env, GREENLIGHT_DATABASE_URL: 'mysql://nope' } }).catch((error: unknown) => error as { code: number; stderr: string });
    expect(failure).toMatchObject({ code: 1, stderr: expect.stringContaining('GREENLIGHT_DATABASE_URL: must be a postgres://') as string });
  });
});
