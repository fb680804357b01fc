// `greenlight senders add|list|show|sync`: the business phone numbers Greenlight sends from, and
// their health as Meta reports it.

import { addSender } from '../../actions/add-sender.ts';
import { syncSender } from '../../actions/sync-sender.ts';
import { AppError } from '../../errors.ts';
import { findSenderByPhoneNumberId, listSenderHealthHistory, listSenders, type Sender } from '../../store/senders.ts';
import type { CliContext, Command } from '../cli-context.ts';
import { formatTable } from '../format-table.ts';
import { parseCommandArgs } from '../parse-command-args.ts';

const addUsage = 'greenlight senders add --phone-number-id ID --waba-id ID [--display-number +15550100] [--throughput-share 0.8] [--marketing-messages-api] [--json]';

async function add(context: CliContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    context.args,
    { 'phone-number-id': { type: 'string' }, 'waba-id': { type: 'string' }, 'display-number': { type: 'string' }, 'throughput-share': { type: 'string' }, 'marketing-messages-api': { type: 'boolean' }, json: { type: 'boolean' } },
    addUsage,
  );
  if (positionals.length > 0 || !values['phone-number-id'] || !values['waba-id']) throw new AppError('INVALID_INPUT', `--phone-number-id and --waba-id are required\nusage: ${addUsage}`);
  const share = values['throughput-share'] === undefined ? undefined : Number(values['throughput-share']);
  const deps = await context.openDeps();
  try {
    const { sender, created } = await addSender(deps, { phoneNumberId: values['phone-number-id'], wabaId: values['waba-id'], displayPhoneNumber: values['display-number'] ?? null, throughputShare: share, useMarketingMessagesApi: values['marketing-messages-api'] === true });
    context.stdout.write(values.json ? `${JSON.stringify({ sender, created }, null, 2)}\n` : `${created ? 'Added' : 'Already known:'} sender ${sender.phoneNumberId} (WABA ${sender.wabaId}). Run \`greenlight senders sync ${sender.phoneNumberId}\` to read its health from Meta.\n`);
    return 0;
  } finally {
    await deps.db.close();
  }
}

async function list(context: CliContext): Promise<number> {
  const { values } = parseCommandArgs(context.args, { json: { type: 'boolean' } }, 'greenlight senders list [--json]');
  const deps = await context.openDeps();
  try {
    const senders = await listSenders(deps.db);
    if (values.json) context.stdout.write(`${JSON.stringify({ senders }, null, 2)}\n`);
    else context.stdout.write(senders.length === 0 ? 'No senders yet: greenlight senders add --phone-number-id ID --waba-id ID\n' : `${formatTable(['phone number id', 'number', 'WABA', 'quality', 'throughput', 'limit', 'health', 'share', 'synced'], senders.map(row))}\n`);
    return 0;
  } finally {
    await deps.db.close();
  }
}

function row(sender: Sender): Array<string | number | null> {
  return [sender.phoneNumberId, sender.displayPhoneNumber, sender.wabaId, sender.qualityRating, sender.throughputLevel, sender.messagingLimitTier, sender.canSendMessage, `${Math.round(sender.throughputShare * 100)}%`, sender.syncedAt?.toISOString() ?? 'never'];
}

async function show(context: CliContext): Promise<number> {
  const usage = 'greenlight senders show PHONE_NUMBER_ID [--json]';
  const { values, positionals } = parseCommandArgs(context.args, { json: { type: 'boolean' } }, usage);
  const [id] = positionals;
  if (!id || positionals.length > 1) throw new AppError('INVALID_INPUT', `name one phone number id\nusage: ${usage}`);
  const deps = await context.openDeps();
  try {
    const sender = await findSenderByPhoneNumberId(deps.db, id);
    if (!sender) throw new AppError('NOT_FOUND', `no sender with phone number id ${id}`);
    const history = await listSenderHealthHistory(deps.db, sender.id, 20);
    if (values.json) context.stdout.write(`${JSON.stringify({ sender, history }, null, 2)}\n`);
    else {
      context.stdout.write(`${formatTable(['phone number id', 'number', 'WABA', 'quality', 'throughput', 'limit', 'health', 'share', 'synced'], [row(sender)])}\n`);
      if (sender.healthErrors.length > 0) context.stdout.write(`\nHealth errors:\n${sender.healthErrors.map((error) => `  ${JSON.stringify(error)}`).join('\n')}\n`);
      context.stdout.write(`\nHistory (newest first):\n${formatTable(['observed', 'source', 'quality', 'throughput', 'limit', 'status', 'health'], history.map((entry) => [entry.observedAt.toISOString(), entry.source, entry.qualityRating, entry.throughputLevel, entry.messagingLimitTier, entry.status, entry.canSendMessage]))}\n`);
    }
    return 0;
  } finally {
    await deps.db.close();
  }
}

async function sync(context: CliContext): Promise<number> {
  const usage = 'greenlight senders sync [PHONE_NUMBER_ID] [--json]   (all senders when no id is given)';
  const { values, positionals } = parseCommandArgs(context.args, { json: { type: 'boolean' } }, usage);
  const deps = await context.openWhatsAppDeps();
  try {
    const all = await listSenders(deps.db);
    const chosen = positionals.length === 0 ? all : all.filter((sender) => positionals.includes(sender.phoneNumberId));
    const missing = positionals.filter((id) => !all.some((sender) => sender.phoneNumberId === id));
    if (missing.length > 0) throw new AppError('NOT_FOUND', `no sender with phone number id ${missing.join(', ')}`);
    const synced: Sender[] = [];
    for (const sender of chosen) synced.push(await syncSender(deps, sender));
    if (values.json) context.stdout.write(`${JSON.stringify({ senders: synced, mode: deps.config.whatsapp.mode }, null, 2)}\n`);
    else {
      if (deps.config.whatsapp.mode === 'simulator') context.stdout.write('(Meta simulator: no WHATSAPP_ACCESS_TOKEN is set)\n');
      context.stdout.write(`${formatTable(['phone number id', 'number', 'WABA', 'quality', 'throughput', 'limit', 'health', 'share', 'synced'], synced.map(row))}\n`);
    }
    return 0;
  } finally {
    await deps.db.close();
  }
}

export const sendersAddCommand: Command = { summary: 'add a business phone number to send from', usage: addUsage, run: add };
export const sendersListCommand: Command = { summary: 'list senders with their health', usage: 'greenlight senders list [--json]', run: list };
export const sendersShowCommand: Command = { summary: 'show a sender and its health history', usage: 'greenlight senders show PHONE_NUMBER_ID [--json]', run: show };
export const sendersSyncCommand: Command = { summary: "read senders' quality, throughput, limit and health from Meta", usage: 'greenlight senders sync [PHONE_NUMBER_ID] [--json]', run: sync };
