// `greenlight campaigns create|launch|pause|resume|cancel|list`: a campaign from a JSON document
// (`--file`) or from flags for the common cases, and the commands a person runs on it.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { createCampaign } from '../../actions/create-campaign.ts';
import { cancelCampaign, pauseCampaignByHand, resumeCampaign } from '../../actions/control-campaign.ts';
import { launchCampaign } from '../../actions/launch-campaign.ts';
import { CLI_ACTOR, recordAuditEvent } from '../../actions/record-audit-event.ts';
import { normalizePhone } from '../../domain/phone.ts';
import { AppError } from '../../errors.ts';
import { listCampaigns, type Campaign } from '../../store/campaigns.ts';
import { listSenders } from '../../store/senders.ts';
import type { CliContext, Command } from '../cli-context.ts';
import { formatTable } from '../format-table.ts';
import { parseCommandArgs } from '../parse-command-args.ts';

const createUsage = [
  'greenlight campaigns create --file SPEC.json [--json]',
  '   or: greenlight campaigns create --name NAME --template NAME --language CODE (--tag TAG… | --segment NAME | --audience-csv FILE | --all)',
  '       [--sender PHONE_NUMBER_ID] [--var NAME=SOURCE[|fallback]…] [--button INDEX=SOURCE[|fallback]…] [--session-text TEXT]',
  '       [--quiet-hours 21-9|off] [--time-zone ZONE]',
  '       [--rate MPS] [--budget-usd N] [--start-at ISO] [--canary N|off] [--json]',
  '   SOURCE: contact.first_name, contact.name, contact.phone, attribute.KEY or text:CONSTANT',
].join('\n');

const createOptions = {
  file: { type: 'string' }, name: { type: 'string' }, sender: { type: 'string' }, template: { type: 'string' }, language: { type: 'string' },
  tag: { type: 'string', multiple: true }, segment: { type: 'string' }, 'audience-csv': { type: 'string' }, all: { type: 'boolean' },
  var: { type: 'string', multiple: true }, button: { type: 'string', multiple: true }, 'session-text': { type: 'string' }, 'quiet-hours': { type: 'string' }, 'time-zone': { type: 'string' },
  rate: { type: 'string' }, 'budget-usd': { type: 'string' }, 'start-at': { type: 'string' }, canary: { type: 'string' }, json: { type: 'boolean' },
} as const;

async function create(context: CliContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(context.args, createOptions, createUsage);
  if (positionals.length > 0) throw new AppError('INVALID_INPUT', `unexpected argument ${positionals[0]}\nusage: ${createUsage}`);
  const deps = await context.openDeps();
  try {
    const document = values.file ? readDocument(path.resolve(context.cwd, values.file)) : await documentFromFlags(values, context.cwd, async () => listSenders(deps.db));
    const created = await createCampaign(deps, document);
    if (values.json) context.stdout.write(`${JSON.stringify(created, null, 2)}\n`);
    else {
      const { campaign } = created;
      context.stdout.write(`Created campaign ${campaign.id} "${campaign.name}" (draft): template ${campaign.templateName}, ${created.audienceSize} contacts in the audience today.\n`);
      for (const warning of created.warnings) context.stdout.write(`  warning: ${warning}\n`);
      context.stdout.write(`Next: greenlight campaigns estimate ${campaign.id}, then greenlight campaigns launch ${campaign.id}\n`);
    }
    return 0;
  } finally {
    await deps.db.close();
  }
}

function readDocument(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new AppError('INVALID_INPUT', `cannot read ${file}: ${(cause as Error).message}`, { cause });
  }
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new AppError('INVALID_INPUT', `${file} is not valid JSON: ${(cause as Error).message}`, { cause });
  }
}

type CreateValues = ReturnType<typeof parseCommandArgs<typeof createOptions>>['values'];

async function documentFromFlags(values: CreateValues, cwd: string, senders: () => Promise<Array<{ phoneNumberId: string }>>): Promise<Record<string, unknown>> {
  const missing = (['name', 'template', 'language'] as const).filter((flag) => !values[flag]);
  if (missing.length > 0) throw new AppError('INVALID_INPUT', `missing ${missing.map((flag) => `--${flag}`).join(', ')} (or give the whole campaign with --file)\nusage: ${createUsage}`);
  let sender = values.sender;
  if (!sender) {
    const known = await senders();
    if (known.length !== 1) throw new AppError('INVALID_INPUT', known.length === 0 ? 'no sender yet: greenlight senders add …' : 'several senders exist: name one with --sender');
    sender = known[0]!.phoneNumberId;
  }
  const audience: Record<string, unknown> = {};
  if (values.tag) audience['tags'] = values.tag;
  if (values.segment) audience['segment'] = values.segment;
  if (values['audience-csv']) audience['phones'] = readAudienceCsv(path.resolve(cwd, values['audience-csv']));
  if (values.all) audience['all'] = true;
  return {
    name: values.name, sender, template: values.template, defaultLanguage: values.language, audience,
    variables: { body: Object.fromEntries((values.var ?? []).map(parseVariable)), ...(values.button ? { buttons: Object.fromEntries(values.button.map(parseVariable)) } : {}) },
    ...(values['session-text'] ? { session: { text: values['session-text'] } } : {}),
    ...(values['quiet-hours'] ? { quietHours: parseQuietHours(values['quiet-hours']) } : {}),
    ...(values['time-zone'] ? { timeZone: values['time-zone'] } : {}),
    ...(values.rate ? { rate: { messagesPerSecond: positiveNumber(values.rate, '--rate') } } : {}),
    ...(values['budget-usd'] ? { budget: { usd: positiveNumber(values['budget-usd'], '--budget-usd') } } : {}),
    ...(values['start-at'] ? { schedule: { startAt: values['start-at'] } } : {}),
    ...(values.canary ? { canary: values.canary === 'off' ? false : { size: positiveNumber(values.canary, '--canary') } } : {}),
  };
}

/** `first_name=contact.first_name|there`, `code=attribute.coupon`, `shop=text:Main Street`. */
function parseVariable(text: string): [string, Record<string, unknown>] {
  const match = /^([A-Za-z0-9_]+)=([^|]+)(?:\|(.*))?$/.exec(text);
  if (!match) throw new AppError('INVALID_INPUT', `"${text}": write NAME=SOURCE[|fallback], e.g. 1=contact.first_name|there (--button: the button's index, 0=attribute.slug)`);
  const [, name, source, fallback] = match as unknown as [string, string, string, string | undefined];
  const withFallback = fallback === undefined ? {} : { fallback };
  if (source.startsWith('contact.')) return [name, { from: 'contact', field: source.slice('contact.'.length), ...withFallback }];
  if (source.startsWith('attribute.')) return [name, { from: 'attribute', key: source.slice('attribute.'.length), ...withFallback }];
  if (source.startsWith('text:')) return [name, { from: 'constant', value: source.slice('text:'.length) }];
  throw new AppError('INVALID_INPUT', `"${text}": the source is contact.FIELD, attribute.KEY or text:VALUE`);
}

function parseQuietHours(text: string): { start: number; end: number } | false {
  if (text === 'off') return false;
  const match = /^(\d{1,2})-(\d{1,2})$/.exec(text);
  if (!match) throw new AppError('INVALID_INPUT', '--quiet-hours takes START-END in 24 h local time (e.g. 21-9) or off');
  return { start: Number(match[1]), end: Number(match[2]) };
}

function positiveNumber(text: string, flag: string): number {
  const value = Number(text);
  if (!(value > 0) || !Number.isFinite(value)) throw new AppError('INVALID_INPUT', `${flag} takes a number above 0`);
  return value;
}

/** The numbers of a CSV: the column named phone (or number, whatsapp), else the first; each normalised to E.164. */
function readAudienceCsv(file: string): string[] {
  let rows: string[][];
  try {
    const parsed: unknown = parseCsv(readFileSync(file), { bom: true, skip_empty_lines: true, relax_column_count: true, delimiter: [',', ';', '\t'] });
    rows = parsed as string[][];
  } catch (cause) {
    throw new AppError('INVALID_CSV', `cannot read ${file} as CSV: ${(cause as Error).message}`, { cause });
  }
  const header = rows[0]?.map((cell) => cell.trim().toLowerCase()) ?? [];
  const named = header.findIndex((cell) => ['phone', 'number', 'whatsapp', 'mobile', 'phone_number'].includes(cell));
  const column = named === -1 ? 0 : named;
  const body = named === -1 && normalizePhone(rows[0]?.[0] ?? '').ok ? rows : rows.slice(1);
  const phones: string[] = [];
  const bad: number[] = [];
  body.forEach((row, index) => {
    const normalized = normalizePhone(row[column] ?? '');
    if (normalized.ok) phones.push(normalized.e164);
    else bad.push(index + (body === rows ? 1 : 2));
  });
  if (bad.length > 0) throw new AppError('INVALID_CSV', `${file}: ${bad.length} line(s) hold no valid mobile number (lines ${bad.slice(0, 10).join(', ')}${bad.length > 10 ? ', …' : ''}); nothing was created`);
  if (phones.length === 0) throw new AppError('INVALID_CSV', `${file} holds no phone numbers`);
  return [...new Set(phones)];
}

function campaignId(context: CliContext, usage: string, positionals: string[]): number {
  const [text] = positionals;
  const id = Number(text);
  if (positionals.length !== 1 || !Number.isInteger(id) || id <= 0) throw new AppError('INVALID_INPUT', `name one campaign id\nusage: ${usage}`);
  return id;
}

function describe(campaign: Campaign): string {
  const pause = campaign.state === 'paused' ? ` (${campaign.pauseReason}: ${campaign.pauseDetail ?? ''})\n  to resume: ${campaign.pauseAction ?? `greenlight campaigns resume ${campaign.id}`}` : '';
  return `campaign ${campaign.id} "${campaign.name}" is ${campaign.state}${pause}`;
}

function simpleCommand(summary: string, usage: string, extra: Record<string, { type: 'string' | 'boolean' }>, act: (context: CliContext, id: number, values: Record<string, string | boolean | undefined>) => Promise<{ text: string; json: unknown }>): Command {
  return {
    summary,
    usage,
    run: async (context) => {
      const { values, positionals } = parseCommandArgs(context.args, { ...extra, json: { type: 'boolean' } }, usage);
      const id = campaignId(context, usage, positionals);
      const result = await act(context, id, values);
      context.stdout.write(values['json'] ? `${JSON.stringify(result.json, null, 2)}\n` : `${result.text}\n`);
      return 0;
    },
  };
}

async function withDeps<T>(context: CliContext, work: (deps: Awaited<ReturnType<CliContext['openDeps']>>) => Promise<T>): Promise<T> {
  const deps = await context.openDeps();
  try {
    return await work(deps);
  } finally {
    await deps.db.close();
  }
}

export const campaignsCreateCommand: Command = { summary: 'create a campaign (draft) from a JSON document or flags', usage: createUsage, run: create };

export const campaignsLaunchCommand = simpleCommand('freeze the audience into one message per recipient and start (or schedule) the campaign', 'greenlight campaigns launch ID [--json]', {}, (context, id) =>
  withDeps(context, async (deps) => {
    const launched = await launchCampaign(deps, id);
    await recordAuditEvent(deps, CLI_ACTOR, { action: 'campaign.launch', targetType: 'campaign', targetId: id, detail: { recipients: launched.recipients } });
    const text = `${describe(launched.campaign)}: ${launched.recipients} recipients planned in ${Math.round(launched.planMs)} ms${launched.canarySize > 0 ? `; a canary wave of ${launched.canarySize} goes first` : ''}.\n` +
      'Messages go out while `greenlight serve` (or `greenlight worker` on PostgreSQL) runs. Follow it with: greenlight campaigns status ' + String(id) + ' --watch';
    return { text, json: launched };
  }),
);

export const campaignsPauseCommand = simpleCommand('pause a running or scheduled campaign', 'greenlight campaigns pause ID [--note TEXT] [--json]', { note: { type: 'string' } }, (context, id, values) =>
  withDeps(context, async (deps) => {
    const campaign = await pauseCampaignByHand(deps, id, typeof values['note'] === 'string' ? values['note'] : null);
    await recordAuditEvent(deps, CLI_ACTOR, { action: 'campaign.pause', targetType: 'campaign', targetId: id });
    return { text: describe(campaign), json: { campaign } };
  }),
);

export const campaignsResumeCommand = simpleCommand('resume a paused campaign (after a budget pause, with a larger --budget-usd)', 'greenlight campaigns resume ID [--budget-usd N] [--json]', { 'budget-usd': { type: 'string' } }, (context, id, values) =>
  withDeps(context, async (deps) => {
    const budget = typeof values['budget-usd'] === 'string' ? positiveNumber(values['budget-usd'], '--budget-usd') : undefined;
    const campaign = await resumeCampaign(deps, id, budget === undefined ? {} : { budgetUsd: budget });
    await recordAuditEvent(deps, CLI_ACTOR, { action: 'campaign.resume', targetType: 'campaign', targetId: id, detail: budget === undefined ? {} : { budgetUsd: budget } });
    return { text: describe(campaign), json: { campaign } };
  }),
);

export const campaignsCancelCommand = simpleCommand('cancel a campaign: nothing more is sent; what was sent stays recorded', 'greenlight campaigns cancel ID [--json]', {}, (context, id) =>
  withDeps(context, async (deps) => {
    const result = await cancelCampaign(deps, id);
    await recordAuditEvent(deps, CLI_ACTOR, { action: 'campaign.cancel', targetType: 'campaign', targetId: id, detail: { cancelledMessages: result.cancelledMessages } });
    return { text: `${describe(result.campaign)}; ${result.cancelledMessages} messages will not be sent`, json: result };
  }),
);

export const campaignsListCommand: Command = {
  summary: 'list campaigns with their state',
  usage: 'greenlight campaigns list [--json]',
  run: async (context) => {
    const { values } = parseCommandArgs(context.args, { json: { type: 'boolean' } }, 'greenlight campaigns list [--json]');
    const campaigns = await withDeps(context, (deps) => listCampaigns(deps.db));
    if (values.json) context.stdout.write(`${JSON.stringify({ campaigns }, null, 2)}\n`);
    else context.stdout.write(campaigns.length === 0 ? 'No campaigns yet: greenlight campaigns create --help\n' : `${formatTable(['id', 'name', 'template', 'state', 'recipients', 'launched'], campaigns.map((campaign) => [campaign.id, campaign.name, campaign.templateName, campaign.state === 'paused' ? `paused (${campaign.pauseReason})` : campaign.state, campaign.recipients, campaign.launchedAt?.toISOString() ?? '']))}\n`);
    return 0;
  },
};
