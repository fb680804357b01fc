// `greenlight migrate`: brings the database schema up to date (every other command does this too).

import { AppError } from '../../errors.ts';
import type { CliContext, Command } from '../cli-context.ts';

const usage = 'greenlight migrate';

async function run(context: CliContext): Promise<number> {
  if (context.args.length > 0) throw new AppError('INVALID_INPUT', `unexpected argument ${context.args[0]}\nusage: ${usage}`);
  const deps = await context.openDeps();
  await deps.db.close();
  context.stdout.write('The database schema is up to date.\n');
  return 0;
}

export const migrateCommand: Command = { summary: 'apply pending database migrations', usage, run };
