import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createJsonLogger } from './logger.ts';

function capture() {
  const stream = new PassThrough();
  const lines: string[] = [];
  stream.on('data', (chunk: Buffer) => lines.push(...chunk.toString().trim().split('\n')));
  return { stream, entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('createJsonLogger', () => {
  it('writes one JSON object per line with time, level, message and fields', () => {
    const { stream, entries } = capture();
    createJsonLogger(stream, { now: () => new Date('2026-01-01T00:00:00Z') }).info('webhook stored', { id: 7 });
    expect(entries()).toEqual([{ time: '2026-01-01T00:00:00.000Z', level: 'info', message: 'webhook stored', id: 7 }]);
  });

  it('never writes a field that looks like a secret', () => {
    const { stream, entries } = capture();
    createJsonLogger(stream).warn('bad request', { accessToken: 'EAAG-live', appSecret: 'shh', Authorization: 'Bearer x', signature: 'sha256=ab' });
    expect(JSON.stringify(entries())).not.toMatch(/EAAG-live|shh|Bearer x|sha256=ab/);
  });

  it('never writes a phone number, in a field, a nested value or an error message', () => {
    const { stream, entries } = capture();
    createJsonLogger(stream).error('send failed', { detail: 'to +4915112345678', nested: { list: ['5511987654321'] }, error: new Error('contact +12025550123 refused'), id: 12345678 });
    expect(JSON.stringify(entries())).not.toMatch(/4915112345678|5511987654321|12025550123/);
    expect(entries()[0]).toMatchObject({ detail: 'to [number]', id: 12345678 });
  });

  it('drops messages below the configured level', () => {
    const { stream, entries } = capture();
    const log = createJsonLogger(stream, { level: 'warn' });
    log.info('noise');
    log.error('signal');
    expect(entries().map((entry) => entry.message)).toEqual(['signal']);
  });
});
