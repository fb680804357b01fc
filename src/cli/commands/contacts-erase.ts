// `greenlight contacts erase PHONE`: a privacy-law erasure request handled from the command line,
// with the same action as POST /api/contacts/:id/erase. Asks for --yes, because it cannot be undone.

import { CLI_ACTOR } from '../../actions/record-audit-event.ts';
import { eraseContact } from '../../actions/erase-contact.ts';
import { AppError } from '../../errors.ts';
import type { CliContext, Command } from '../cli-context.ts';
import { parseCommandArgs } from '../parse-command-args.ts';

const usage = 'greenlight contacts erase PHONE --yes [--default-country CC] [--json]';
const options = { yes: { type: 'boolean' }, 'default-country': { type: 'string' }, json: { type: 'boolean' } } as const;

async function run(context: CliContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(context.args, options, usage);
  const [phone, ...extra] = positionals;
  if (!phone || extra.length > 0) throw new AppError('INVALID_INPUT', `name one phone number\nusage: ${usage}`);
  if (!values.yes) throw new AppError('INVALID_INPUT', `erasure cannot be undone: add --yes to erase ${phone}\nusage: ${usage}`);
  const deps = await context.openDeps();
  try {
    const result = await eraseContact(deps, { phone, defaultCountry: values['default-country']?.toUpperCase() ?? null }, CLI_ACTOR);
    if (values.json) context.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else if (!result.erased) context.stdout.write(`Contact ${result.contactId} was already erased at ${result.erasedAt}; nothing changed.\n`);
    else context.stdout.write(`Contact ${result.contactId} erased. Its number is on the erasure list (${result.identitiesListed} keyed hashes) and will never be messaged again; the consent ledger is kept as evidence.\n`);
    return 0;
  } finally {
    await deps.db.close();
  }
}

export const contactsEraseCommand: Command = { summary: "erase a contact's personal data (privacy request); the number is never messaged again", usage, run };
