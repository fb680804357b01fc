// `greenlight contacts show PHONE`: one contact, its current consent and the whole consent history.

import { deriveConsent } from '../../domain/consent.ts';
import { normalizePhone } from '../../domain/phone.ts';
import { AppError } from '../../errors.ts';
import { listConsentEvents } from '../../store/consent-events.ts';
import { findContactByPhone } from '../../store/contacts.ts';
import type { CliContext, Command } from '../cli-context.ts';
import { formatTable } from '../format-table.ts';
import { parseCommandArgs } from '../parse-command-args.ts';

const usage = 'greenlight contacts show PHONE [--default-country CC] [--json]';
const options = { 'default-country': { type: 'string' }, json: { type: 'boolean' } } as const;

async function run(context: CliContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(context.args, options, usage);
  const [raw, ...extra] = positionals;
  if (!raw || extra.length > 0) throw new AppError('INVALID_INPUT', `name one phone number\nusage: ${usage}`);
  const phone = normalizePhone(raw, values['default-country']?.toUpperCase());
  if (!phone.ok) throw new AppError('INVALID_PHONE', phone.message);
  const deps = await context.openDeps();
  try {
    const contact = await findContactByPhone(deps.db, phone.e164);
    if (!contact) throw new AppError('NOT_FOUND', `no contact with phone ${phone.e164}`);
    const history = await listConsentEvents(deps.db, contact.id);
    const consent = deriveConsent(history);
    if (values.json) {
      context.stdout.write(`${JSON.stringify({ contact, consent, history }, null, 2)}\n`);
      return 0;
    }
    const fields: Array<[string, string]> = [
      ['phone', contact.phone ?? ''],
      ['name', contact.name ?? ''],
      ['language', contact.language ?? ''],
      ['country', contact.country ?? ''],
      ['time zone', `${contact.timeZone ?? 'unknown'}${contact.timeZoneOverridden ? ' (set by user)' : ' (from the number)'}`],
      ['line type', contact.lineType ?? ''],
      ['wa_id', contact.waId ?? ''],
      ['tags', contact.tags.join(', ')],
      ['attributes', JSON.stringify(contact.attributes)],
      ['marketing', `${consent.marketing.state}${consent.marketing.since ? ` since ${consent.marketing.since.toISOString()} (${consent.marketing.source})` : ''}`],
      ['utility', `${consent.utility.state}${consent.utility.since ? ` since ${consent.utility.since.toISOString()} (${consent.utility.source})` : ''}`],
    ];
    const width = Math.max(...fields.map(([label]) => label.length));
    const lines = fields.map(([label, value]) => `${label.padEnd(width)}  ${value}`);
    lines.push('', 'Consent history:');
    lines.push(history.length === 0 ? '  (none: this contact has never opted in)' : formatTable(['when', 'category', 'event', 'source', 'proof', 'recorded'], history.map((event) => [event.occurredAt.toISOString(), event.category, event.kind, event.source, event.proof, event.recordedAt.toISOString()])));
    context.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  } finally {
    await deps.db.close();
  }
}

export const contactsShowCommand: Command = { summary: 'show a contact with its consent history', usage, run };
