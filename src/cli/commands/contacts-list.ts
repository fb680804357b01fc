// `greenlight contacts list`: one page of contacts with their current consent, oldest first.

import { AppError } from '../../errors.ts';
import { listContacts } from '../../store/contacts.ts';
import type { CliContext, Command } from '../cli-context.ts';
import { formatTable } from '../format-table.ts';
import { parseCommandArgs, parseWholeNumberFlag } from '../parse-command-args.ts';

const usage = 'greenlight contacts list [--tag TAG] [--limit N] [--after ID] [--json]';
const options = { tag: { type: 'string' }, limit: { type: 'string' }, after: { type: 'string' }, json: { type: 'boolean' } } as const;

async function run(context: CliContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(context.args, options, usage);
  if (positionals.length > 0) throw new AppError('INVALID_INPUT', `unexpected argument ${positionals[0]}\nusage: ${usage}`);
  const limit = parseWholeNumberFlag(values.limit ?? '50', '--limit', 1, 10_000);
  const afterId = values.after === undefined ? null : parseWholeNumberFlag(values.after, '--after', 0, Number.MAX_SAFE_INTEGER);
  const deps = await context.openDeps();
  try {
    const contacts = await listContacts(deps.db, { tag: values.tag?.toLowerCase() ?? null, afterId, limit });
    if (values.json) {
      context.stdout.write(`${JSON.stringify({ contacts, nextAfter: contacts.length === limit ? contacts.at(-1)?.id : null }, null, 2)}\n`);
      return 0;
    }
    const rows = contacts.map((contact) => [contact.id, contact.phone, contact.name, contact.language, contact.country, contact.timeZone, contact.marketing, contact.utility, contact.tags.join(',')]);
    context.stdout.write(`${formatTable(['id', 'phone', 'name', 'language', 'country', 'time zone', 'marketing', 'utility', 'tags'], rows)}\n`);
    if (contacts.length === limit) context.stdout.write(`more: greenlight contacts list --after ${contacts.at(-1)?.id}${values.tag ? ` --tag ${values.tag}` : ''}\n`);
    return 0;
  } finally {
    await deps.db.close();
  }
}

export const contactsListCommand: Command = { summary: 'list contacts with their current consent', usage, run };
