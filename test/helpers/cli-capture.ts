// Runs `greenlight …` in process with the given dependencies and captures what it writes: commands
// close their database when done, and the test owns it, so the handed-out db's close does nothing.
import { PassThrough } from 'node:stream';
import type { CliContext } from '../../src/cli/cli-context.ts';
import { runCli } from '../../src/cli/run-cli.ts';
import type { Deps, WhatsAppDeps } from '../../src/deps.ts';

export async function runCliCaptured(args: string[], options: { cwd: string; deps: Deps; whatsappDeps?: WhatsAppDeps }): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const keepOpen = { close: () => Promise.resolve() };
  const deps = { ...options.deps, db: { ...options.deps.db, ...keepOpen } };
  const whatsappDeps = options.whatsappDeps ? { ...options.whatsappDeps, db: { ...options.whatsappDeps.db, ...keepOpen } } : null;
  const refuse = (what: string) => () => Promise.reject(new Error(`this test needs no ${what}`));
  const context: CliContext = {
    args, cwd: options.cwd, stdout, stderr, interactive: false,
    openDeps: () => Promise.resolve(deps),
    openWhatsAppDeps: whatsappDeps ? () => Promise.resolve(whatsappDeps) : refuse('Cloud API'),
    startServer: refuse('server'), startSimulator: refuse('simulator'), startWorker: refuse('worker'), startDemo: refuse('demo'),
  };
  const code = await runCli(context);
  return { code, out, err };
}
