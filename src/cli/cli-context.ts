// What a CLI command is given: its arguments, the terminal, and a way to open the dependencies
// (main.ts builds them; commands never choose implementations themselves).

import type { Writable } from 'node:stream';
import type { Deps, WhatsAppDeps } from '../deps.ts';

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
};

/** `generatedApiToken`: the API token made at this first start (shown once), null when one existed or came from GREENLIGHT_API_TOKEN. */
export type ServerHandle = { url: string; mode: 'meta' | 'simulator'; generatedApiToken: string | null; close(): Promise<void> };

export type SimulatorStartOptions = { port: number; hostname: string; speed: number; seed: number; webhookUrl: string | null; accessToken: string | null; appSecret: string | null };
export type SimulatorHandle = { url: string; accessToken: string; appSecret: string; phoneNumbers: ReadonlyArray<{ id: string; wabaId: string; displayPhoneNumber: string }>; close(): Promise<void> };

export type WorkerStartOptions = { lanes?: number; batchSize?: number; leaseSeconds?: number };
export type WorkerHandle = { owner: string; mode: 'meta' | 'simulator'; close(): Promise<void> };

export type Command = { summary: string; usage: string; run: (context: CliContext) => Promise<number> };
