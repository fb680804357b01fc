// What a CLI command is given: its arguments, the terminal, and a way to open the dependencies
// (main.ts builds them; commands never choose implementations themselves).

import type { Writable } from 'node:stream';
import type { Deps, WhatsAppDeps } from '../deps.ts';
import type { RateCard } from '../domain/rate-card.ts';

export type CliContext = {
  args: string[];
  cwd: string;
  stdout: Writable;
  stderr: Writable;
  /** True when stderr is a terminal: progress bars go there, never into piped output. */
  interactive: boolean;
  openDeps: () => Promise<Deps>;
  /** Deps plus the Cloud API client: Meta's, or the built-in simulator's when no access token is set. Closing the db also stops an in-process simulator. */
  openWhatsAppDeps: () => Promise<WhatsAppDeps>;
  /** `dispatch: false` runs the server without the campaign dispatcher (when workers do the sending). */
  startServer: (options: { port?: number; hostname?: string; dispatch?: boolean }) => Promise<ServerHandle>;
  startWorker: (options: WorkerStartOptions) => Promise<WorkerHandle>;
  startSimulator: (options: SimulatorStartOptions) => Promise<SimulatorHandle>;
  /** `greenlight demo`: an in-memory database, the simulator at `speed`× real time, two senders, and serve's HTTP surface. */
  startDemo: (options: DemoStartOptions) => Promise<DemoHandle>;
};

export type DemoStartOptions = { speed: number; startAt: Date; seed: number; port: number; hostname: string };
export type DemoHandle = {
  deps: WhatsAppDeps;
  url: string;
  /** A bearer token made for this run (the database lives only as long as the demo). */
  apiToken: string;
  senders: ReadonlyArray<{ phoneNumberId: string; wabaId: string; displayPhoneNumber: string }>;
  rateCard: RateCard;
  /** The few simulator controls the story needs: who really asked for messages, and a customer writing in. */
  simulator: { optIn(phones: readonly string[]): void; inbound(input: { from: string; text: string; phoneNumberId?: string }): unknown };
  close(): Promise<void>;
};

/** `generatedApiToken`: the API token made at this start (shown once) because no usable one existed, null when one did or came from GREENLIGHT_API_TOKEN. */
export type ServerHandle = { url: string; mode: 'meta' | 'simulator'; generatedApiToken: string | null; close(): Promise<void> };

export type SimulatorStartOptions = { port: number; hostname: string; speed: number; seed: number; webhookUrl: string | null; accessToken: string | null; appSecret: string | null };
export type SimulatorHandle = { url: string; accessToken: string; appSecret: string; phoneNumbers: ReadonlyArray<{ id: string; wabaId: string; displayPhoneNumber: string }>; close(): Promise<void> };

/** `metricsPort`: serve the worker's process metrics on /metrics there (`metricsHost`, default 127.0.0.1). */
export type WorkerStartOptions = { lanes?: number; batchSize?: number; leaseSeconds?: number; metricsPort?: number; metricsHost?: string };
export type WorkerHandle = { owner: string; mode: 'meta' | 'simulator'; metricsUrl: string | null; close(): Promise<void> };

export type Command = { summary: string; usage: string; run: (context: CliContext) => Promise<number> };
