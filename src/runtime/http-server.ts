// Starts the HTTP surface of a service (health, webhooks; the API later) on a port, with the
// webhook processor running beside it, and stops both cleanly: stop accepting, finish in-flight
// requests, let the processor finish its batch.

import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import type { WhatsAppDeps } from '../deps.ts';
import type { Db } from '../store/db.ts';
import { createHttpApp, type HttpAppOptions } from '../http/app.ts';
import { startTemplateSyncLoop } from './template-sync-loop.ts';
import { startWebhookProcessor, type WebhookProcessor } from './webhook-processor.ts';

export type RunningServer = { url: string; processor: WebhookProcessor; close(): Promise<void> };

export type ServerOptions = {
  port: number;
  hostname?: string;
  appSecret: string;
  verifyToken: string | null;
  /** Extra apps mounted under a path prefix (the built-in simulator in simulator mode). */
  mounts?: Array<{ path: string; app: Hono }>;
  /**
   * A database handle of the processor's own (PostgreSQL): sharing the request pool, the processor
   * starved while acknowledgements held every connection, and the backlog drained only after a burst.
   */
  processorDb?: Db;
  /** What the REST API needs to know about this process (mode, rate card, public URL). */
  api: NonNullable<HttpAppOptions['api']>['environment'];
};

// Every 15 minutes: Meta's management budget is 200–5,000 calls an hour per WABA (§2), and webhooks bring most changes sooner.
const templateSyncIntervalMs = 15 * 60_000;

export async function startHttpServer(deps: WhatsAppDeps, options: ServerOptions): Promise<RunningServer> {
  const processor = startWebhookProcessor(options.processorDb ? { ...deps, db: options.processorDb } : deps);
  const templateSync = startTemplateSyncLoop(deps, templateSyncIntervalMs);
  const app = createHttpApp(deps, { webhook: { appSecret: options.appSecret, verifyToken: options.verifyToken, onStored: () => processor.kick() }, api: { deps, environment: options.api } });
  for (const mount of options.mounts ?? []) app.route(mount.path, mount.app);
  const hostname = options.hostname ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port: options.port, hostname }, (info: AddressInfo) => {
      const url = `http://${hostname.includes(':') ? `[${hostname}]` : hostname}:${info.port}`;
      deps.log.info('listening', { url });
      resolve({
        url,
        processor,
        close: async () => {
          templateSync.stop();
          await new Promise<void>((done) => server.close(() => done()));
          await processor.stop();
        },
      });
    });
    server.once('error', (error: Error) => {
      templateSync.stop();
      void processor.stop();
      reject(error);
    });
  });
}
