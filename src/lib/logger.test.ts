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

  it('drops messages below the configured level', () => {
    const { stream, entries } = capture();
    const log = createJsonLogger(stream, { level: 'warn' });
    log.info('noise');
    log.error('signal');
    expect(entries().map((entry) => entry.message)).toEqual(['signal']);
  });
});
