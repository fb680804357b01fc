// A CSV download streamed as the HTTP body: the writer fills a Node stream page by page and waits while
// the client is slower (backpressure), so a million-row export never sits in memory. A client that goes
// away ends the writer at its next write instead of leaving it waiting forever.

import { PassThrough, Readable } from 'node:stream';
import type { Logger } from '../../lib/logger.ts';

export function csvResponse(filename: string, log: Logger, write: (out: NodeJS.WritableStream) => Promise<unknown>): Response {
  const out = new PassThrough();
  const push = out.write.bind(out);
  out.write = ((chunk: string) => {
    if (out.destroyed) throw new Error('the client stopped reading the export');
    return push(chunk);
  }) as typeof out.write;
  // A writer waiting for 'drain' when the client leaves is woken, and then stops at the check above.
  out.on('close', () => out.emit('drain'));
  out.on('error', (error) => log.debug('CSV export stream ended early', { filename, error }));
  write(out).then(
    () => out.end(),
    (error: unknown) => {
      if (!out.destroyed) log.error('CSV export failed', { filename, error });
      out.destroy();
    },
  );
  return new Response(Readable.toWeb(out) as ReadableStream<Uint8Array>, {
    headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${filename}"` },
  });
}
