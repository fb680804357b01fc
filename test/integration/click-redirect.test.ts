// Tracked links end to end, on every engine: tokens made for a batch of messages, then /r/{token}
// through the real HTTP app. Each test states the guarantee it protects: a tap redirects and is
// counted, nothing is recorded for unknown tokens, HEAD or link previews, and a retried message keeps
// its token.
import { describe, expect, it } from 'vitest';
import { createTrackedLinks } from '../../src/dispatch/tracked-links.ts';
import { loadConfig } from '../../src/config.ts';
import type { Deps } from '../../src/deps.ts';
import { createHttpApp } from '../../src/http/app.ts';
import { createManualClock } from '../../src/lib/clock.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import type { Db } from '../../src/store/db.ts';
import { testBackends } from '../helpers/test-backends.ts';
import { createTestDb } from '../helpers/test-db.ts';

const NOW = new Date('2026-11-23T09:00:00Z');
const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
const SALE = 'https://shop.example.com/sale?utm_source=whatsapp';

async function setUp(kind: (typeof testBackends)[number]) {
  const db = await createTestDb(kind);
  const clock = createManualClock(NOW);
  const deps: Deps = { config: loadConfig({}, '/tmp'), db, clock, log: silentLogger };
  const app = createHttpApp(deps, { webhook: { appSecret: 'secret', verifyToken: null } });
  const get = (path: string, init: { method?: string; userAgent?: string } = {}) =>
    app.request(path, { method: init.method ?? 'GET', headers: init.userAgent === undefined ? {} : { 'user-agent': init.userAgent } });
  return { db, clock, app, get };
}

/** Campaign message rows as the dispatcher sees them (only what click_links needs: an id). */
async function insertMessages(db: Db, count: number): Promise<number[]> {
  const rows = await db.query<{ id: number }>(
    `insert into messages (status, dispatch_state, created_at, updated_at) select 'planned', 'planned', $1, $1 from generate_series(1, $2::integer) returning id`,
    [NOW, count],
  );
  return rows.map((row) => row.id);
}

const clicksOf = (db: Db) => db.query<{ token: string; clicked_at: Date; user_agent: string | null }>('select token, clicked_at, user_agent from clicks order by id');

describe.each(testBackends)('tracked links and the click redirect on %s', (kind) => {
  it('redirects a tap with 302 to the target, uncached and without a referrer, and records the click', async () => {
    const { db, get } = await setUp(kind);
    const [messageId] = await insertMessages(db, 1);
    const token = (await createTrackedLinks(db, [{ messageId: messageId!, url: SALE }], NOW)).get(messageId!)!;
    expect(token).toMatch(/^[0-9A-Za-z]{12}$/);

    const response = await get(`/r/${token}`, { userAgent: IPHONE });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(SALE);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(await clicksOf(db)).toEqual([{ token, clicked_at: NOW, user_agent: IPHONE }]);
  });

  it('records every tap, a second one by the same recipient too (the report counts distinct messages)', async () => {
    const { db, clock, get } = await setUp(kind);
    const [messageId] = await insertMessages(db, 1);
    const token = (await createTrackedLinks(db, [{ messageId: messageId!, url: SALE }], NOW)).get(messageId!)!;
    expect((await get(`/r/${token}`, { userAgent: IPHONE })).status).toBe(302);
    clock.advanceMs(60_000);
    expect((await get(`/r/${token}`)).status).toBe(302);
    const clicks = await clicksOf(db);
    expect(clicks.map((click) => [click.clicked_at.toISOString(), click.user_agent])).toEqual([[NOW.toISOString(), IPHONE], [new Date(NOW.getTime() + 60_000).toISOString(), null]]);
  });

  it('answers unknown and malformed tokens with the same plain 404 page and records nothing', async () => {
    const { db, get } = await setUp(kind);
    const [messageId] = await insertMessages(db, 1);
    await createTrackedLinks(db, [{ messageId: messageId!, url: SALE }], NOW);
    const answers = [];
    for (const path of ['/r/AAAAAAAAAAAA', '/r/short', '/r/AbC123xyz78-', '/r/%27%20or%201=1--', '/r/', '/r', '/r/AbC123xyz789/extra']) {
      const response = await get(path, { userAgent: IPHONE });
      expect(response.status, path).toBe(404);
      expect(response.headers.get('content-type'), path).toMatch(/^text\/html/);
      expect(response.headers.get('location'), path).toBeNull();
      answers.push(await response.text());
    }
    expect(new Set(answers).size).toBe(1);
    expect(answers[0]).toContain('Link not found');
    expect(answers[0]).not.toMatch(/error|stack|token|sql/i);
    expect(await clicksOf(db)).toEqual([]);
  });

  it('redirects HEAD without recording a click: a link checker is not a tap', async () => {
    const { db, get } = await setUp(kind);
    const [messageId] = await insertMessages(db, 1);
    const token = (await createTrackedLinks(db, [{ messageId: messageId!, url: SALE }], NOW)).get(messageId!)!;
    const response = await get(`/r/${token}`, { method: 'HEAD', userAgent: IPHONE });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(SALE);
    expect((await get('/r/AAAAAAAAAAAA', { method: 'HEAD' })).status).toBe(404);
    expect(await clicksOf(db)).toEqual([]);
  });

  it('redirects link-preview fetchers (so the preview shows the page) without counting them as clicks', async () => {
    const { db, get } = await setUp(kind);
    const [messageId] = await insertMessages(db, 1);
    const token = (await createTrackedLinks(db, [{ messageId: messageId!, url: SALE }], NOW)).get(messageId!)!;
    for (const userAgent of ['WhatsApp/2.23.20.0 A', 'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)']) {
      const response = await get(`/r/${token}`, { userAgent });
      expect(response.status).toBe(302);
      expect(response.headers.get('location')).toBe(SALE);
    }
    expect(await clicksOf(db)).toEqual([]);
  });

  it('gives a message the same token when asked again for the same URL, so a retried message keeps its link', async () => {
    const { db } = await setUp(kind);
    const [first, second] = await insertMessages(db, 2);
    const once = await createTrackedLinks(db, [{ messageId: first!, url: SALE }], NOW);
    const twice = await createTrackedLinks(db, [{ messageId: first!, url: SALE }, { messageId: second!, url: SALE }], new Date(NOW.getTime() + 3_600_000));
    expect(twice.get(first!)).toBe(once.get(first!));
    expect(twice.get(second!)).not.toBe(once.get(first!));
    const [row] = await db.query<{ count: number }>('select count(*) as count from click_links where message_id = $1', [first]);
    expect(row?.count).toBe(1);
  });

  it('makes a distinct token for each message of a 500-message batch in one statement', async () => {
    const { db } = await setUp(kind);
    const ids = await insertMessages(db, 500);
    let statements = 0;
    const counting: Db = { ...db, query: (sql, params) => ((statements += 1), db.query(sql, params)) };
    const tokens = await createTrackedLinks(counting, ids.map((messageId) => ({ messageId, url: `${SALE}&n=${messageId}` })), NOW);
    expect(statements).toBe(1);
    expect(tokens.size).toBe(500);
    expect(new Set(tokens.values()).size).toBe(500);
    const stored = await db.query<{ message_id: number; token: string; url: string }>('select message_id, token, url from click_links');
    expect(stored).toHaveLength(500);
    for (const link of stored) {
      expect(tokens.get(link.message_id)).toBe(link.token);
      expect(link.url).toBe(`${SALE}&n=${link.message_id}`);
    }
  });

  it('shows a plain "try again" page, not JSON or a stack trace, when the database fails', async () => {
    const { db } = await setUp(kind);
    const failing: Db = { ...db, query: () => Promise.reject(new Error('connection terminated at secret-host:5432')) };
    const app = createHttpApp({ config: loadConfig({}, '/tmp'), db: failing, clock: createManualClock(NOW), log: silentLogger }, { webhook: { appSecret: 'secret', verifyToken: null } });
    const response = await app.request('/r/AbC123xyz789', { headers: { 'user-agent': IPHONE } });
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const text = await response.text();
    expect(text).toContain('try again');
    expect(text).not.toMatch(/secret-host|Error|at /);
  });

  it('refuses a link that is not a web page, naming the message, and stores nothing', async () => {
    const { db } = await setUp(kind);
    const [good, bad] = await insertMessages(db, 2);
    const refused = await createTrackedLinks(db, [{ messageId: good!, url: SALE }, { messageId: bad!, url: 'javascript:alert(1)' }], NOW).catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'INVALID_INPUT' });
    expect((refused as Error).message).toContain(`message ${bad}`);
    expect(await db.query('select * from click_links')).toEqual([]);
  });
});
