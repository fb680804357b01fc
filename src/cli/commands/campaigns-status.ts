// `greenlight campaigns status ID [--watch]`: where a campaign stands — its state (with the reason
// and the way out of a pause), its messages by dispatch state, and the next deferred moment. --watch
// redraws a live progress bar until the campaign completes or is cancelled (Ctrl-C stops watching).

import cliProgress from 'cli-progress';
import { isFinished } from '../../domain/campaign-state.ts';
import { AppError } from '../../errors.ts';
import { countMessagesByState, findNextDueAt, type DispatchCounts } from '../../store/campaign-messages.ts';
import { findCampaign, type Campaign } from '../../store/campaigns.ts';
import type { Db } from '../../store/db.ts';
import type { CliContext, Command } from '../cli-context.ts';
import { parseCommandArgs, parseWholeNumberFlag } from '../parse-command-args.ts';

const usage = 'greenlight campaigns status ID [--watch] [--interval SECONDS] [--json]';

type Status = { campaign: Campaign; counts: DispatchCounts; done: number; nextDueAt: Date | null };

async function readStatus(db: Db, id: number): Promise<Status> {
  const campaign = await findCampaign(db, id);
  if (!campaign) throw new AppError('NOT_FOUND', `no campaign ${id}`);
  const counts = await countMessagesByState(db, id);
  const done = counts.sent + counts.skipped + counts.failed + counts.unknown + counts.cancelled;
  return { campaign, counts, done, nextDueAt: isFinished(campaign.state) ? null : await findNextDueAt(db, id) };
}

function formatStatus(status: Status): string {
  const { campaign, counts } = status;
  const lines = [`Campaign ${campaign.id} "${campaign.name}": ${campaign.state}${campaign.state === 'paused' ? ` (${campaign.pauseReason})` : ''}`];
  if (campaign.state === 'paused') lines.push(`  why: ${campaign.pauseDetail ?? ''}`, `  to resume: ${campaign.pauseAction ?? `greenlight campaigns resume ${campaign.id}`}`);
  lines.push(
    `  recipients ${campaign.recipients}: sent ${counts.sent}, skipped ${counts.skipped}, failed ${counts.failed}, deferred ${counts.deferred}, waiting ${counts.planned}, in flight ${counts.queued + counts.sending}` +
      `${counts.unknown > 0 ? `, unknown ${counts.unknown} (may have been sent; never resent automatically)` : ''}${counts.cancelled > 0 ? `, cancelled ${counts.cancelled}` : ''}`,
  );
  if (campaign.canarySize > 0) lines.push(`  canary: ${campaign.canaryPassedAt ? `passed at ${campaign.canaryPassedAt.toISOString()}` : `first ${campaign.canarySize} recipients, then a hold before the rest`}`);
  if (status.nextDueAt) lines.push(`  next deferred message due ${status.nextDueAt.toISOString()}`);
  if (campaign.state === 'running' || campaign.state === 'scheduled') lines.push('  (messages go out while `greenlight serve` or `greenlight worker` runs)');
  return lines.join('\n');
}

async function run(context: CliContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(context.args, { watch: { type: 'boolean' }, interval: { type: 'string' }, json: { type: 'boolean' } }, usage);
  const id = Number(positionals[0]);
  if (positionals.length !== 1 || !Number.isInteger(id) || id <= 0) throw new AppError('INVALID_INPUT', `name one campaign id\nusage: ${usage}`);
  const intervalMs = values.interval === undefined ? 1000 : parseWholeNumberFlag(values.interval, '--interval', 1, 3600) * 1000;
  const deps = await context.openDeps();
  try {
    let status = await readStatus(deps.db, id);
    if (!values.watch) {
      context.stdout.write(values.json ? `${JSON.stringify(status, null, 2)}\n` : `${formatStatus(status)}\n`);
      return 0;
    }
    await watch(context, deps.db, id, status, intervalMs, values.json === true, (latest) => (status = latest));
    context.stdout.write(values.json ? `${JSON.stringify(status)}\n` : `${formatStatus(status)}\n`);
    return 0;
  } finally {
    await deps.db.close();
  }
}

/** Redraws until the campaign finishes or the person presses Ctrl-C; JSON lines for machines, a bar for people. */
async function watch(context: CliContext, db: Db, id: number, first: Status, intervalMs: number, json: boolean, update: (status: Status) => void): Promise<void> {
  let stop = false;
  const onSignal = () => (stop = true);
  process.once('SIGINT', onSignal);
  const bar = context.interactive && !json
    ? new cliProgress.SingleBar({ stream: context.stderr, format: 'sending [{bar}] {percentage}% | {value}/{total} done | sent {sent} skipped {skipped} failed {failed} deferred {deferred} | {state}', hideCursor: true }, cliProgress.Presets.shades_classic)
    : null;
  let status = first;
  bar?.start(Math.max(1, status.campaign.recipients), status.done, barPayload(status));
  try {
    while (!stop && !isFinished(status.campaign.state)) {
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
      status = await readStatus(db, id);
      update(status);
      if (bar) {
        bar.setTotal(Math.max(1, status.campaign.recipients));
        bar.update(status.done, barPayload(status));
      } else if (json) context.stdout.write(`${JSON.stringify({ state: status.campaign.state, done: status.done, recipients: status.campaign.recipients, counts: status.counts })}\n`);
      else context.stdout.write(`${status.done}/${status.campaign.recipients} done (sent ${status.counts.sent}, skipped ${status.counts.skipped}, failed ${status.counts.failed}, deferred ${status.counts.deferred}) — ${status.campaign.state}\n`);
    }
  } finally {
    bar?.stop();
    process.off('SIGINT', onSignal);
  }
}

function barPayload(status: Status) {
  const { counts, campaign } = status;
  return { sent: counts.sent, skipped: counts.skipped, failed: counts.failed, deferred: counts.deferred, state: campaign.state === 'paused' ? `paused (${campaign.pauseReason})` : campaign.state };
}

export const campaignsStatusCommand: Command = { summary: "a campaign's state and progress (--watch: a live progress bar)", usage, run };
