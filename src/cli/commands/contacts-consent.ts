// `greenlight contacts opt-in` and `opt-out`: record one consent event with its proof. Opt-out
// defaults to every category, because a person who says stop rarely means "stop only promotions".

import { recordConsent } from '../../actions/record-consent.ts';
import { CLI_ACTOR, recordAuditEvent } from '../../actions/record-audit-event.ts';
import { findContactByPhone } from '../../store/contacts.ts';
import { parseConsentCategories, type ConsentEventKind } from '../../domain/consent.ts';
import { parseInstant } from '../../domain/instant.ts';
import { AppError } from '../../errors.ts';
import type { CliContext, Command } from '../cli-context.ts';
import { parseCommandArgs } from '../parse-command-args.ts';

const options = {
  category: { type: 'string' },
  source: { type: 'string' },
  text: { type: 'string' },
  at: { type: 'string' },
  'default-country': { type: 'string' },
  json: { type: 'boolean' },
} as const;

function createConsentCommand(kind: ConsentEventKind): Command {
  const usage =
    kind === 'opt_in'
      ? 'greenlight contacts opt-in PHONE --category marketing|utility|all --source WHERE --text "WHAT THEY AGREED TO" [--at ISO-8601] [--json]'
      : 'greenlight contacts opt-out PHONE [--category marketing|utility|all] [--source WHERE] [--text "WHAT THEY SAID"] [--at ISO-8601] [--json]';
  async function run(context: CliContext): Promise<number> {
    const { values, positionals } = parseCommandArgs(context.args, options, usage);
    const [phone, ...extra] = positionals;
    if (!phone || extra.length > 0) throw new AppError('INVALID_INPUT', `name one phone number\nusage: ${usage}`);
    const categoryText = values.category ?? (kind === 'opt_out' ? 'all' : undefined);
    if (categoryText === undefined) throw new AppError('INVALID_INPUT', `--category is required for an opt-in: consent is given per category\nusage: ${usage}`);
    const categories = parseConsentCategories(categoryText);
    if (!categories) throw new AppError('INVALID_INPUT', '--category takes marketing, utility or all');
    const source = values.source ?? (kind === 'opt_out' ? 'cli' : undefined);
    if (source === undefined) throw new AppError('INVALID_INPUT', `--source is required for an opt-in: where the person agreed\nusage: ${usage}`);
    const occurredAt = values.at === undefined ? undefined : parseInstant(values.at);
    if (occurredAt === null) throw new AppError('INVALID_INPUT', '--at takes an ISO 8601 date or time, e.g. 2024-03-01T10:00:00Z');
    const deps = await context.openDeps();
    try {
      const result = await recordConsent(deps, { phone, defaultCountry: values['default-country']?.toUpperCase(), kind, categories, source, proof: values.text, occurredAt });
      // The log names the contact by id, never by number (it outlives an erasure).
      const contact = await findContactByPhone(deps.db, result.phone);
      await recordAuditEvent(deps, CLI_ACTOR, { action: kind === 'opt_in' ? 'contact.opt_in' : 'contact.opt_out', targetType: 'contact', targetId: contact?.id ?? null, detail: { categories, eventsRecorded: result.eventsRecorded } });
      if (values.json) context.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      else {
        const verb = kind === 'opt_in' ? 'Opt-in' : 'Opt-out';
        const what = result.eventsRecorded > 0 ? `${verb} recorded for ${result.phone} (${categories.join(', ')})${result.contactCreated ? '; new contact created' : ''}.` : `${verb} for ${result.phone} was already in the ledger; nothing changed.`;
        context.stdout.write(`${what}\nNow: marketing ${result.consent.marketing.state}, utility ${result.consent.utility.state}.\n`);
      }
      return 0;
    } finally {
      await deps.db.close();
    }
  }
  return { summary: kind === 'opt_in' ? 'record an opt-in with its proof' : 'record an opt-out (every category unless --category)', usage, run };
}

export const contactsOptInCommand = createConsentCommand('opt_in');
export const contactsOptOutCommand = createConsentCommand('opt_out');
