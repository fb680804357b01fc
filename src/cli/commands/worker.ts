// `greenlight worker`: a campaign dispatcher on its own, for PostgreSQL deployments that send with
// several processes or machines. Stops gracefully on SIGTERM: batches in flight finish first.

import { AppError } from '../../errors.ts';
import type { CliContext, Command } from '../cli-context.ts';
import { parseCommandArgs, parseWholeNumberFlag } from '../parse-command-args.ts';
import { waitForShutdownSignal } from '../wait-for-signal.ts';

const usage = 'greenlight worker [--lanes N] [--batch-size N] [--lease-seconds N] [--metrics-port N] [--metrics-host ADDRESS]   (needs GREENLIGHT_DATABASE_URL: PostgreSQL)';

async function run(context: CliContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(context.args, { lanes: { type: 'string' }, 'batch-size': { type: 'string' }, 'lease-seconds': { type: 'string' }, 'metrics-port': { type: 'string' }, 'metrics-host': { type: 'string' } }, usage);
  if (positionals.length > 0) throw new AppError('INVALID_INPUT', `unexpected argument ${positionals[0]}\nusage: ${usage}`);
  const worker = await context.startWorker({
    ...(values.lanes === undefined ? {} : { lanes: parseWholeNumberFlag(values.lanes, '--lanes', 1, 64) }),
    ...(values['batch-size'] === undefined ? {} : { batchSize: parseWholeNumberFlag(values['batch-size'], '--batch-size', 1, 5000) }),
    ...(values['lease-seconds'] === undefined ? {} : { leaseSeconds: parseWholeNumberFlag(values['lease-seconds'], '--lease-seconds', 2, 3600) }),
    ...(values['metrics-port'] === undefined ? {} : { metricsPort: parseWholeNumberFlag(values['metrics-port'], '--metrics-port', 0, 65535) }),
    ...(values['metrics-host'] === undefined ? {} : { metricsHost: values['metrics-host'] }),
  });
  const note = worker.mode === 'simulator' ? ' against the built-in Meta simulator (no WHATSAPP_ACCESS_TOKEN)' : '';
  context.stdout.write(`Campaign worker ${worker.owner} is running${note}\n${worker.metricsUrl ? `Metrics: ${worker.metricsUrl}/metrics\n` : ''}`);
  const signal = await waitForShutdownSignal();
  context.stdout.write(`${signal}: finishing the batches in flight…\n`);
  await worker.close();
  return 0;
}

export const workerCommand: Command = { summary: 'send campaigns (one of several dispatcher processes on PostgreSQL)', usage, run };
