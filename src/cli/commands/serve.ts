// `greenlight serve`: the webhook receiver, its processor and the campaign dispatcher (the API and
// dashboard join later), against Meta or, with no access token, the built-in simulator. Stops gracefully on SIGTERM.

import { AppError } from '../../errors.ts';
import type { CliContext, Command } from '../cli-context.ts';
import { parseCommandArgs } from '../parse-command-args.ts';
import { waitForShutdownSignal } from '../wait-for-signal.ts';

const usage = 'greenlight serve [--port N] [--host ADDRESS] [--no-dispatch]   (port from GREENLIGHT_PORT, default 3000; --no-dispatch when `greenlight worker` processes send)';

async function run(context: CliContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(context.args, { port: { type: 'string' }, host: { type: 'string' }, 'no-dispatch': { type: 'boolean' } }, usage);
  if (positionals.length > 0) throw new AppError('INVALID_INPUT', `unexpected argument ${positionals[0]}\nusage: ${usage}`);
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) throw new AppError('INVALID_INPUT', '--port takes a port number from 0 to 65535');
  const server = await context.startServer({ port, hostname: values.host, dispatch: values['no-dispatch'] !== true });
  const note = server.mode === 'simulator' ? ' against the built-in Meta simulator (no WHATSAPP_ACCESS_TOKEN); its controls are under /simulator/_sim' : '';
  context.stdout.write(`Greenlight is listening at ${server.url}${note}\nWebhook: ${server.url}/webhooks/whatsapp   Health: ${server.url}/healthz   Ready: ${server.url}/readyz\n`);
  if (server.generatedApiToken) {
    context.stdout.write(`API token (shown once; set GREENLIGHT_API_TOKEN to choose your own): ${server.generatedApiToken}\nDashboard: ${server.url}/#token=${server.generatedApiToken}\n`);
  } else {
    context.stdout.write(`Dashboard: ${server.url}/   API: ${server.url}/api (bearer token: GREENLIGHT_API_TOKEN or a token from "greenlight tokens create")\n`);
  }
  const signal = await waitForShutdownSignal();
  context.stdout.write(`${signal}: finishing in-flight work…\n`);
  await server.close();
  return 0;
}

export const serveCommand: Command = { summary: 'run the webhook receiver, its processor and the campaign dispatcher', usage, run };
