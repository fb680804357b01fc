// A worker's own /metrics port (`greenlight worker --metrics-port N`): its process metrics (CPU, memory,
// event-loop lag, GC) and /healthz. The deployment-wide figures come from serve's /metrics alone, since
// every process would report the same database figures and a sum across instances would count them twice.

import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import { processMetricsRegistry } from '../http/routes/metrics.ts';
import type { Logger } from '../lib/logger.ts';

export type MetricsServer = { url: string; close(): Promise<void> };

export async function startMetricsServer(log: Logger, options: { port: number; hostname?: string }): Promise<MetricsServer> {
  const app = new Hono();
  const registry = processMetricsRegistry();
  app.get('/healthz', (c) => c.json({ ok: true }));
  app.get('/metrics', async (c) => c.body(await registry.metrics(), 200, { 'content-type': registry.contentType }));
  const hostname = options.hostname ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port: options.port, hostname }, (info: AddressInfo) => {
      const url = `http://${hostname.includes(':') ? `[${hostname}]` : hostname}:${info.port}`;
      log.info('metrics.listening', { url });
      resolve({ url, close: () => new Promise<void>((done) => server.close(() => done())) });
    });
    server.once('error', reject);
  });
}
