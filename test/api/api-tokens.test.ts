// API token lifecycle and failed-authentication throttling, on every engine: `greenlight tokens
// create|list|revoke` issue a token shown once, list tokens without ever showing a token or digest, and
// revoke one; a revoked or expired token is refused with its own 401 code; last use is written at most
// once a minute; creating and revoking are audited. Twenty wrong tokens from one client within a minute
// get that client 429 TOO_MANY_ATTEMPTS with Retry-After, even with a right token, until the window passes.

import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ensureApiToken } from '../../src/actions/issue-api-token.ts';
import { createApiHarness, type ApiHarness } from '../helpers/api-harness.ts';
import { runCliCaptured } from '../helpers/cli-capture.ts';
import { testBackends } from '../helpers/test-backends.ts';

const DAY = 24 * 60 * 60 * 1000;

const cli = (h: ApiHarness, ...args: string[]) => runCliCaptured(args, { cwd: tmpdir(), deps: h.deps });

/** One request as if from `address` (the bindings @hono/node-server gives a handler), with `token` as bearer. */
async function from(h: ApiHarness, address: string, token: string, headers: Record<string, string> = {}) {
  const response = await h.app.request('/api/status', { headers: { authorization: `Bearer ${token}`, ...headers } }, { incoming: { socket: { remoteAddress: address } } });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as { error?: { code: string; message: string } } };
}

async function createToken(h: ApiHarness, ...flags: string[]): Promise<{ id: number; token: string; expiresAt: string | null }> {
  const created = await cli(h, 'tokens', 'create', ...flags, '--json');
  expect(created.code, created.err).toBe(0);
  return JSON.parse(created.out) as { id: number; token: string; expiresAt: string | null };
}

describe.each(testBackends)('API token lifecycle on %s', (kind) => {
  it('`tokens create` prints a working token once; `tokens list` shows id, label, state and dates but never a token or digest', async () => {
    const h = await createApiHarness(kind);
    const created = await cli(h, 'tokens', 'create', '--label', 'ci pipeline');
    expect(created.code, created.err).toBe(0);
    const token = /\b(glt_[A-Za-z0-9_-]{43})\b/.exec(created.out)?.[1];
    expect(token).toBeDefined();
    expect(created.out).toMatch(/API token \d+ "ci pipeline" created \(no expiry\)/);
    expect((await h.call('GET', '/api/status', { token: token! })).status).toBe(200);

    const listed = await cli(h, 'tokens', 'list');
    expect(listed.code, listed.err).toBe(0);
    expect(listed.out).toMatch(/ci pipeline\s+active/);
    const json = JSON.parse((await cli(h, 'tokens', 'list', '--json')).out) as { tokens: Array<Record<string, unknown>> };
    expect(json.tokens.map((row) => [row.label, row.state])).toEqual([['test', 'active'], ['ci pipeline', 'active']]);
    expect(Object.keys(json.tokens[0]!).sort()).toEqual(['createdAt', 'expiresAt', 'id', 'label', 'lastUsedAt', 'revokedAt', 'state']);
    const digests = await h.db.query<{ token_sha256: string }>('select token_sha256 from api_tokens');
    for (const output of [listed.out, JSON.stringify(json)]) {
      expect(output).not.toContain(token!);
      expect(output).not.toContain(h.token);
      for (const { token_sha256: digest } of digests) expect(output).not.toContain(digest);
    }
    expect(await h.db.query('select 1 from api_tokens where token_sha256 = $1', [token])).toEqual([]);
  });

  it('a revoked token gets 401 API_TOKEN_REVOKED at its next request; other tokens keep working; revoking again changes nothing', async () => {
    const h = await createApiHarness(kind);
    const ops = await createToken(h, '--label', 'ops laptop');
    expect((await h.call('GET', '/api/status', { token: ops.token })).status).toBe(200);
    const revoked = await cli(h, 'tokens', 'revoke', String(ops.id));
    expect(revoked.code, revoked.err).toBe(0);
    expect(revoked.out).toMatch(/revoked/);

    const refused = await h.call('GET', '/api/status', { token: ops.token });
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('API_TOKEN_REVOKED');
    expect(refused.body.error.message).toMatch(/ops laptop.*revoked/);
    expect((await h.call('GET', '/api/status')).status).toBe(200);
    expect((JSON.parse((await cli(h, 'tokens', 'list', '--json')).out) as { tokens: Array<{ label: string; state: string }> }).tokens.find((row) => row.label === 'ops laptop')?.state).toBe('revoked');

    const again = await cli(h, 'tokens', 'revoke', String(ops.id));
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/already revoked/);
    const unknown = await cli(h, 'tokens', 'revoke', '9999');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/no API token with id 9999/);
    expect((await cli(h, 'tokens', 'revoke', 'abc')).code).toBe(2);
  });

  it('a token created with --expires-in-days works until that instant and then gets 401 API_TOKEN_EXPIRED', async () => {
    const h = await createApiHarness(kind);
    const created = await createToken(h, '--label', 'contractor', '--expires-in-days', '7');
    expect(new Date(created.expiresAt!).getTime() - h.deps.clock.now().getTime()).toBe(7 * DAY);
    await h.simulator.advance(7 * DAY - 1_000);
    expect((await h.call('GET', '/api/status', { token: created.token })).status).toBe(200);
    await h.simulator.advance(1_000);
    const refused = await h.call('GET', '/api/status', { token: created.token });
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('API_TOKEN_EXPIRED');
    expect((await cli(h, 'tokens', 'list')).out).toMatch(/contractor\s+expired/);
    for (const bad of ['0', '3651', '1.5', 'soon']) expect((await cli(h, 'tokens', 'create', '--label', 'x', '--expires-in-days', bad)).code, bad).toBe(2);
    expect((await cli(h, 'tokens', 'create')).code).toBe(2);
  });

  it('records the last use at most once a minute per token, so requests do not each write', async () => {
    const h = await createApiHarness(kind);
    const lastUsed = async () => (await h.db.query<{ last_used_at: Date | null }>("select last_used_at from api_tokens where label = 'test'"))[0]!.last_used_at;
    expect(await lastUsed()).toBeNull();
    const first = h.deps.clock.now();
    expect((await h.call('GET', '/api/status')).status).toBe(200);
    expect(await lastUsed()).toEqual(first);
    await h.simulator.advance(59_000);
    for (let index = 0; index < 5; index += 1) await h.call('GET', '/api/status');
    expect(await lastUsed()).toEqual(first);
    await h.simulator.advance(1_000);
    await h.call('GET', '/api/status');
    expect(await lastUsed()).toEqual(h.deps.clock.now());
  });

  it('records creating and revoking a token in the audit log with the actor cli, with ids and the label, never the token', async () => {
    const h = await createApiHarness(kind);
    const created = await createToken(h, '--label', 'reporting', '--expires-in-days', '30');
    await cli(h, 'tokens', 'revoke', String(created.id));
    await cli(h, 'tokens', 'revoke', String(created.id));
    const items = (await h.call('GET', '/api/audit')).body.items as Array<{ action: string; actor: unknown; targetType: string; targetId: string; detail: unknown }>;
    expect(items.map((item) => [item.action, item.actor, item.targetType, item.targetId, item.detail])).toEqual([
      ['api_token.create', { type: 'cli', tokenId: null, label: 'cli' }, 'api_token', String(created.id), { label: 'reporting', expiresAt: created.expiresAt }],
      ['api_token.revoke', { type: 'cli', tokenId: null, label: 'cli' }, 'api_token', String(created.id), { label: 'reporting' }],
    ]);
    expect(JSON.stringify(items)).not.toContain(created.token);
  });

  it('generates a token at serve\'s start only when none is usable (every one expired or revoked), and audits it with the actor system', async () => {
    const h = await createApiHarness(kind);
    // The harness's own token 'test' is usable: nothing is generated.
    expect(await ensureApiToken(h.deps, null)).toBeNull();
    const [harnessToken] = await h.db.query<{ id: number }>("select id from api_tokens where label = 'test'");
    await cli(h, 'tokens', 'revoke', String(harnessToken!.id));
    const expiring = await createToken(h, '--label', 'contractor', '--expires-in-days', '1');
    expect(await ensureApiToken(h.deps, null), 'a token that has not expired yet is usable').toBeNull();
    await h.simulator.advance(DAY);
    const generated = await ensureApiToken(h.deps, null);
    expect(generated).toMatch(/^glt_/);
    expect((await h.call('GET', '/api/status', { token: generated! })).status).toBe(200);
    expect((await h.call('GET', '/api/status', { token: expiring.token })).status).toBe(401);
    expect(await ensureApiToken(h.deps, null), 'the next start finds the generated one').toBeNull();
    const items = (await h.call('GET', '/api/audit', { token: generated! })).body.items as Array<{ action: string; actor: { type: string } }>;
    expect(items.filter((item) => item.action === 'api_token.create').map((item) => item.actor.type)).toEqual(['cli', 'system']);
  });
});

describe.each(testBackends)('failed-authentication throttling on %s', (kind) => {
  it('after 20 wrong tokens in a minute, answers 429 TOO_MANY_ATTEMPTS with Retry-After to that client, even with the right token, until the window passes', async () => {
    const h = await createApiHarness(kind);
    for (let attempt = 0; attempt < 20; attempt += 1) {
      const wrong = await from(h, '203.0.113.7', `glt_guess-${attempt}`);
      expect(wrong.status, `attempt ${attempt}`).toBe(401);
      await h.simulator.advance(1_000);
    }
    const blocked = await from(h, '203.0.113.7', h.token);
    expect(blocked.status).toBe(429);
    expect(blocked.body.error?.code).toBe('TOO_MANY_ATTEMPTS');
    // The first failure was 20 s ago: the window frees 40 s from now.
    expect(blocked.retryAfter).toBe('40');
    // Another client is not affected, and a blocked client's guesses are not even checked.
    expect((await from(h, '198.51.100.4', h.token)).status).toBe(200);
    expect((await from(h, '203.0.113.7', 'glt_guess-during-block')).status).toBe(429);

    await h.simulator.advance(39_000);
    expect((await from(h, '203.0.113.7', h.token)).status).toBe(429);
    await h.simulator.advance(1_000);
    expect((await from(h, '203.0.113.7', h.token)).status).toBe(200);
  });

  it('does not count successes or requests without a token, and counts a revoked token as a failure', async () => {
    const h = await createApiHarness(kind);
    for (let index = 0; index < 50; index += 1) expect((await from(h, '203.0.113.8', h.token)).status).toBe(200);
    for (let index = 0; index < 30; index += 1) {
      const response = await h.app.request('/api/status', {}, { incoming: { socket: { remoteAddress: '203.0.113.8' } } });
      expect(response.status).toBe(401);
    }
    expect((await from(h, '203.0.113.8', h.token)).status).toBe(200);

    const old = await createToken(h, '--label', 'old');
    await cli(h, 'tokens', 'revoke', String(old.id));
    for (let index = 0; index < 19; index += 1) expect((await from(h, '203.0.113.8', old.token)).body.error?.code).toBe('API_TOKEN_REVOKED');
    expect((await from(h, '203.0.113.8', h.token)).status).toBe(200);
    expect((await from(h, '203.0.113.8', old.token)).status).toBe(401);
    expect((await from(h, '203.0.113.8', h.token)).status).toBe(429);
  });

  it('counts by the socket address on a real server, and by X-Forwarded-For only when a proxy on the same host forwarded the request', async () => {
    const h = await createApiHarness(kind);
    const server = serve({ fetch: h.app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/status`;
    const get = (token: string, forwardedFor?: string) => fetch(url, { headers: { authorization: `Bearer ${token}`, ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) } });
    try {
      for (let attempt = 0; attempt < 20; attempt += 1) expect((await get('glt_wrong', '198.51.100.50')).status).toBe(401);
      expect((await get(h.token, '198.51.100.50')).status).toBe(429);
      expect((await get(h.token, '198.51.100.51')).status).toBe(200);
      expect((await get(h.token)).status).toBe(200);
      for (let attempt = 0; attempt < 20; attempt += 1) expect((await get('glt_wrong')).status).toBe(401);
      const blocked = await get(h.token);
      expect(blocked.status).toBe(429);
      expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
