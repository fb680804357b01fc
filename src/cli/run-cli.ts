// The `greenlight` command line: finds the command, runs it, and turns errors into a clear message
// and an exit code (2: bad input, 1: anything else). Commands live in ./commands, one per file.

import { AppError } from '../errors.ts';
import type { CliContext, Command } from './cli-context.ts';
import { campaignsCancelCommand, campaignsCreateCommand, campaignsLaunchCommand, campaignsListCommand, campaignsPauseCommand, campaignsResumeCommand } from './commands/campaigns.ts';
import { campaignsEstimateCommand, campaignsReportCommand } from './commands/campaigns-report.ts';
import { campaignsStatusCommand } from './commands/campaigns-status.ts';
import { contactsOptInCommand, contactsOptOutCommand } from './commands/contacts-consent.ts';
import { contactsEraseCommand } from './commands/contacts-erase.ts';
import { contactsImportCommand } from './commands/contacts-import.ts';
import { demoCommand } from './commands/demo.ts';
import { contactsListCommand } from './commands/contacts-list.ts';
import { contactsShowCommand } from './commands/contacts-show.ts';
import { migrateCommand } from './commands/migrate.ts';
import { serveCommand } from './commands/serve.ts';
import { simulatorCommand } from './commands/simulator.ts';
import { templatesPreviewCommand } from './commands/templates-preview.ts';
import { templatesDeleteCommand, templatesLintCommand, templatesListCommand, templatesShowCommand, templatesSubmitCommand, templatesSyncCommand, templatesUnpauseCommand } from './commands/templates.ts';
import { sendersAddCommand, sendersListCommand, sendersShowCommand, sendersSyncCommand } from './commands/senders.ts';
import { tokensCreateCommand, tokensListCommand, tokensRevokeCommand } from './commands/tokens.ts';
import { workerCommand } from './commands/worker.ts';

const commands: Record<string, Command> = {
  demo: demoCommand,
  'contacts import': contactsImportCommand,
  'contacts list': contactsListCommand,
  'contacts show': contactsShowCommand,
  'contacts opt-in': contactsOptInCommand,
  'contacts opt-out': contactsOptOutCommand,
  'contacts erase': contactsEraseCommand,
  'senders add': sendersAddCommand,
  'senders list': sendersListCommand,
  'senders show': sendersShowCommand,
  'senders sync': sendersSyncCommand,
  'templates lint': templatesLintCommand,
  'templates submit': templatesSubmitCommand,
  'templates sync': templatesSyncCommand,
  'templates list': templatesListCommand,
  'templates show': templatesShowCommand,
  'templates preview': templatesPreviewCommand,
  'templates delete': templatesDeleteCommand,
  'templates unpause': templatesUnpauseCommand,
  'campaigns create': campaignsCreateCommand,
  'campaigns estimate': campaignsEstimateCommand,
  'campaigns launch': campaignsLaunchCommand,
  'campaigns pause': campaignsPauseCommand,
  'campaigns resume': campaignsResumeCommand,
  'campaigns cancel': campaignsCancelCommand,
  'campaigns status': campaignsStatusCommand,
  'campaigns report': campaignsReportCommand,
  'campaigns list': campaignsListCommand,
  'tokens create': tokensCreateCommand,
  'tokens list': tokensListCommand,
  'tokens revoke': tokensRevokeCommand,
  serve: serveCommand,
  worker: workerCommand,
  simulator: simulatorCommand,
  migrate: migrateCommand,
};

export async function runCli(context: CliContext): Promise<number> {
  const [first, second] = context.args;
  if (first === undefined || first === 'help' || first === '--help' || first === '-h') {
    context.stdout.write(helpText());
    return 0;
  }
  const name = second !== undefined && commands[`${first} ${second}`] ? `${first} ${second}` : first;
  const command = commands[name];
  if (!command) {
    context.stderr.write(`greenlight: unknown command "${context.args.slice(0, 2).join(' ')}"\n\n${helpText()}`);
    return 2;
  }
  const args = context.args.slice(name.split(' ').length);
  if (args.includes('--help') || args.includes('-h')) {
    context.stdout.write(`${command.summary}\nusage: ${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run({ ...context, args });
  } catch (error) {
    if (error instanceof AppError) {
      context.stderr.write(`greenlight: ${error.message}\n`);
      return error.httpStatus < 500 ? 2 : 1;
    }
    // The Cloud client's management calls throw an error carrying Meta's answer (code, details): say it plainly.
    if (error instanceof Error && error.name === 'GraphApiError') {
      context.stderr.write(`greenlight: Meta's API refused: ${error.message}\n`);
      return 1;
    }
    context.stderr.write(`greenlight: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}

function helpText(): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length));
  const lines = Object.entries(commands).map(([name, command]) => `  ${name.padEnd(width)}  ${command.summary}`);
  return `Greenlight: WhatsApp campaigns through Meta's official Cloud API, within Meta's rules.\n\nusage: greenlight COMMAND [options]   (greenlight COMMAND --help for its options)\n\n${lines.join('\n')}\n\nData: embedded PGlite under ./.greenlight/ unless GREENLIGHT_DATABASE_URL names a PostgreSQL database.\n`;
}
