// A minimal, fast stand-in for Meta's send endpoint, for the dispatch benchmark: node:http with
// keep-alive, answering POST /{version}/{phone-number-id}/messages at once with Meta's success shape
// (whatsapp-rules.md §5.2: a 200 with the wamid means accepted). It decides nothing and checks nothing
// but the path; it counts requests, and which callback data (gl:{message id}) it saw, so the benchmark
// can prove every message was sent exactly once. The simulator would be the realistic Meta; this is
// the fastest one, so what the dispatcher does is what gets measured.

import http from 'node:http';

const sendPath = /^\/v\d+\.\d+\/([^/?]+)\/messages$/;

/** Starts the server on 127.0.0.1 (a free port); resolves { url, stats(), reset(), close() }. */
export async function startLoopbackMeta() {
  // A per-process prefix keeps wamids unique across restarts of the mock within one run.
  const prefix = `wamid.bench${process.pid.toString(36)}${Date.now().toString(36)}.`;
  let counters = newCounters();
  const server = http.createServer({ keepAlive: true, keepAliveTimeout: 65_000, requestTimeout: 0, headersTimeout: 60_000 }, (request, response) => {
    const match = request.method === 'POST' ? sendPath.exec(request.url ?? '') : null;
    if (!match) {
      counters.refused += 1;
      request.resume();
      reply(response, 404, '{"error":{"message":"Unknown path (bench mock)","type":"GraphMethodException","code":100}}');
      return;
    }
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      let body;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        counters.refused += 1;
        reply(response, 400, '{"error":{"message":"Invalid JSON (bench mock)","type":"OAuthException","code":100}}');
        return;
      }
      const to = typeof body.to === 'string' ? body.to : '';
      counters.requests += 1;
      counters.byPhoneNumberId.set(match[1], (counters.byPhoneNumberId.get(match[1]) ?? 0) + 1);
      const callback = body.biz_opaque_callback_data;
      if (typeof callback === 'string') {
        if (counters.callbacks.has(callback)) counters.duplicateCallbacks += 1;
        else counters.callbacks.add(callback);
      } else counters.withoutCallback += 1;
      counters.sequence += 1;
      reply(
        response,
        200,
        `{"messaging_product":"whatsapp","contacts":[{"input":${JSON.stringify(to)},"wa_id":"${to.replace(/\D/g, '')}"}],"messages":[{"id":"${prefix}${counters.sequence.toString(36)}"}]}`,
      );
    });
  });
  server.maxRequestsPerSocket = 0;
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    /** Counts since the last reset. */
    stats: () => ({
      requests: counters.requests,
      distinctCallbacks: counters.callbacks.size,
      duplicateCallbacks: counters.duplicateCallbacks,
      withoutCallback: counters.withoutCallback,
      refused: counters.refused,
      byPhoneNumberId: Object.fromEntries(counters.byPhoneNumberId),
    }),
    reset() {
      const sequence = counters.sequence;
      counters = newCounters();
      counters.sequence = sequence; // wamids never repeat, even across resets
    },
    close: () =>
      new Promise((resolve) => {
        server.close(resolve);
        server.closeAllConnections();
      }),
  };
}

function newCounters() {
  return { requests: 0, refused: 0, sequence: 0, callbacks: new Set(), duplicateCallbacks: 0, withoutCallback: 0, byPhoneNumberId: new Map() };
}

function reply(response, status, json) {
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
  response.end(json);
}
