// A fault-injecting network between Greenlight's Cloud client and the in-process simulator: every send
// (POST …/messages) goes through a handler that may forward it, answer in the simulator's place, or break
// the connection before or after Meta saw it. Installs a real Cloud client on the harness's deps, so
// the dispatcher's code path is the production one down to the fetch.

import { createCloudClient } from '../../src/whatsapp/client.ts';
import type { Harness } from '../helpers/campaign-harness.ts';

export type InterceptedSend = {
  /** 1-based order in which the sends reached the network. */
  index: number;
  body: { to: string; biz_opaque_callback_data?: string };
  signal: AbortSignal | null;
  /** Passes the request to the simulator ("Meta") and returns its answer. */
  forward(): Promise<Response>;
};

/** What a dropped connection looks like to fetch: a TypeError whose cause carries the socket's code. */
export function connectionReset(): TypeError {
  return new TypeError('fetch failed', { cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) });
}

/** Routes the harness's sends through `handle`; other Graph calls go straight to the simulator. */
export function interceptSends(h: Harness, handle: (send: InterceptedSend) => Promise<Response>, options: { sendTimeoutMs?: number } = {}): { sends: () => number } {
  let count = 0;
  const intercepted = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = input instanceof Request ? input.url : String(input);
    if (init?.method !== 'POST' || !/\/messages$/.test(url)) return h.simulator.fetch(input, init);
    count += 1;
    return handle({ index: count, body: JSON.parse(init.body as string) as InterceptedSend['body'], signal: init.signal ?? null, forward: () => h.simulator.fetch(input, init) });
  }) as typeof fetch;
  h.deps.whatsapp = createCloudClient({ baseUrl: 'http://simulator.invalid', apiVersion: 'v25.0', accessToken: 'tok', fetch: intercepted, ...options });
  return { sends: () => count };
}
