// Serves a simulator over HTTP with @hono/node-server, for `greenlight simulator` and chaos runs: point
// WHATSAPP_API_BASE_URL at the returned url. In-process tests use createSimulator directly.

import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { createSimulator, type Simulator } from './create-simulator.ts';
import type { SimulatorOptions } from './simulator-options.ts';

export type ServedSimulator = { url: string; simulator: Simulator; close(): Promise<void> };

/** Port 0 picks a free port; the url says which. Speed mode defaults to 60× here, so a demo moves on its own. */
export async function serveSimulator(options: SimulatorOptions & { port?: number; hostname?: string } = {}): Promise<ServedSimulator> {
  const { port = 0, hostname = '127.0.0.1', ...simulatorOptions } = options;
  const simulator = createSimulator({ speed: 60, ...simulatorOptions });
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: simulator.app.fetch, port, hostname }, (info: AddressInfo) => {
      resolve({
        url: `http://${hostname}:${info.port}`,
        simulator,
        close: () =>
          new Promise<void>((done, fail) => {
            simulator.close();
            server.close((error) => (error ? fail(error) : done()));
          }),
      });
    });
    server.once('error', reject);
  });
}
