import { PassThrough } from 'node:stream';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createJsonLogger } from '../lib/logger.ts';
import { maskPath, requestLog } from './request-log.ts';

describe('requestLog', () => {
  it('writes one debug JSON line per request with method, path, status and duration, and never the query string or headers', async () => {
    const stream = new PassThrough();
    const lines: string[] = [];
    stream.on('data', (chunk: Buffer) => lines.push(...chunk.toString().trim().split('\n')));
    const app = new Hono();
    app.use(requestLog(createJsonLogger(stream, { level: 'debug' })));
    app.get('/api/contacts', (c) => c.json({ items: [] }));
    await app.request('/api/contacts?q=%2B4915112345678', { headers: { authorization: 'Bearer very-secret-token' } });
    const [entry] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entry).toMatchObject({ level: 'debug', message: 'http.request', method: 'GET', path: '/api/contacts', status: 200 });
    expect(typeof entry?.ms).toBe('number');
    expect(lines.join('\n')).not.toMatch(/4915112345678|very-secret-token/);
  });

  it('writes nothing at the default info level', async () => {
    const stream = new PassThrough();
    let written = '';
    stream.on('data', (chunk: Buffer) => (written += chunk.toString()));
    const app = new Hono();
    app.use(requestLog(createJsonLogger(stream)));
    app.get('/healthz', (c) => c.json({ ok: true }));
    await app.request('/healthz');
    expect(written).toBe('');
  });
});

describe('maskPath', () => {
  it.each([
    ['/api/contacts/+4915112345678', '/api/contacts/[number]'],
    ['/api/contacts/%2B4915112345678/opt-out', '/api/contacts/[number]/opt-out'],
    ['/r/AbCdEf123456', '/r/[token]'],
    ['/api/campaigns/42/report', '/api/campaigns/42/report'],
    ['/webhooks/whatsapp', '/webhooks/whatsapp'],
  ])('masks what could identify a person or a link in %s', (path, masked) => {
    expect(maskPath(path)).toBe(masked);
  });
});
