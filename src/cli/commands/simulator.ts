// `greenlight simulator`: Meta's Cloud API, simulated, on a port; point WHATSAPP_API_BASE_URL and
// WHATSAPP_ACCESS_TOKEN at it to run Greenlight against it as if it were Meta.

import { AppError } from '../../errors.ts';
import type { CliContext, Command } from '../cli-context.ts';
import { parseCommandArgs, parseWholeNumberFlag } from '../parse-command-args.ts';
import { waitForShutdownSignal } from '../wait-for-signal.ts';

const usage = 'greenlight simulator [--port 4010] [--host 127.0.0.1] [--speed 60] [--seed 1] [--webhook-url URL] [--access-token T] [--app-secret S]';

const options = {
  port: { type: 'string' },
  host: { type: 'string' },
  speed: { type: 'string' },
  seed: { type: 'string' },
  'webhook-url': { type: 'string' },
  'access-token': { type: 'string' },
  'app-secret': { type: 'string' },
} as const;

async function run(context: CliContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(context.args, options, usage);
  if (positionals.length > 0) throw new AppError('INVALID_INPUT', `unexpected argument ${positionals[0]}\nusage: ${usage}`);
  const port = parseWholeNumberFlag(values.port ?? '4010', '--port', 0, 65535);
  const speed = Number(values.speed ?? '60');
  if (!(speed > 0 && speed <= 10_000)) throw new AppError('INVALID_INPUT', '--speed takes a multiple of real time from 0 to 10000 (60: a simulated minute per second)');
  const webhookUrl = values['webhook-url'] ?? null;
  if (webhookUrl !== null && !/^https?:\/\//.test(webhookUrl)) throw new AppError('INVALID_INPUT', '--webhook-url takes an http(s) URL, e.g. http://127.0.0.1:3000/webhooks/whatsapp');
  const simulator = await context.startSimulator({
    port,
    hostname: values.host ?? '127.0.0.1',
    speed,
    seed: parseWholeNumberFlag(values.seed ?? '1', '--seed', 0, 2 ** 31),
    webhookUrl,
    accessToken: values['access-token'] ?? null,
    appSecret: values['app-secret'] ?? null,
  });
  const sender = simulator.phoneNumbers[0];
  context.stdout.write(
    [
      `Meta Cloud API simulator at ${simulator.url} (${speed}× real time)`,
      `  WHATSAPP_API_BASE_URL=${simulator.url}`,
      `  WHATSAPP_ACCESS_TOKEN=${simulator.accessToken}`,
      `  WHATSAPP_APP_SECRET=${simulator.appSecret}`,
      sender ? `  WHATSAPP_PHONE_NUMBER_ID=${sender.id}  WHATSAPP_WABA_ID=${sender.wabaId}` : '',
      webhookUrl ? `Webhooks go to ${webhookUrl}` : 'Webhooks are kept in memory (pass --webhook-url to deliver them)',
      `Inspect: ${simulator.url}/_sim/sent   Controls: ${simulator.url}/_sim/…`,
      '',
    ].join('\n'),
  );
  const signal = await waitForShutdownSignal();
  context.stdout.write(`${signal}: stopping the simulator\n`);
  await simulator.close();
  return 0;
}

export const simulatorCommand: Command = { summary: "run the built-in simulator of Meta's Cloud API on a port", usage, run };
