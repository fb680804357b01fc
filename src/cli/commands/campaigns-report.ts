// `greenlight campaigns estimate ID` and `greenlight campaigns report ID [--csv FILE]`: what a
// campaign would do before launch (from the same decision code as the dispatcher), and what it did —
// the funnel per template and language, reasons, cost, the A/B comparison, the per-recipient export.

import { createWriteStream } from 'node:fs';
import path from 'node:path';
import cliProgress from 'cli-progress';
import { campaignReport, type CampaignReport } from '../../actions/campaign-report.ts';
import { estimateCampaign, type CampaignEstimate } from '../../actions/estimate-campaign.ts';
import { exportCampaignRecipients } from '../../actions/export-campaign-recipients.ts';
import { CLI_ACTOR, recordAuditEvent } from '../../actions/record-audit-event.ts';
import type { RateInterval } from '../../domain/ab-stats.ts';
import { loadDefaultRateCard } from '../../domain/rate-card.ts';
import { AppError } from '../../errors.ts';
import type { CliContext, Command } from '../cli-context.ts';
import { formatTable } from '../format-table.ts';
import { parseCommandArgs } from '../parse-command-args.ts';

function campaignIdOf(positionals: string[], usage: string): number {
  const id = Number(positionals[0]);
  if (positionals.length !== 1 || !Number.isInteger(id) || id <= 0) throw new AppError('INVALID_INPUT', `name one campaign id\nusage: ${usage}`);
  return id;
}

const byCount = (counts: Record<string, number>) => Object.entries(counts).sort((a, b) => b[1] - a[1]);

const estimateUsage = 'greenlight campaigns estimate ID [--json]';

async function estimate(context: CliContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(context.args, { json: { type: 'boolean' } }, estimateUsage);
  const id = campaignIdOf(positionals, estimateUsage);
  const deps = await context.openDeps();
  const bar = context.interactive && !values.json ? new cliProgress.SingleBar({ stream: context.stderr, format: 'deciding [{bar}] {percentage}% | {value}/{total} recipients', hideCursor: true }, cliProgress.Presets.shades_classic) : null;
  try {
    let started = false;
    const result = await estimateCampaign(deps, id, {
      rateCard: loadDefaultRateCard(),
      onProgress: (done, total) => {
        if (!started) bar?.start(total, 0);
        started = true;
        bar?.update(done);
      },
    });
    bar?.stop();
    context.stdout.write(values.json ? `${JSON.stringify(result, null, 2)}\n` : formatEstimate(result));
    return 0;
  } finally {
    bar?.stop();
    await deps.db.close();
  }
}

function formatEstimate(estimate: CampaignEstimate): string {
  const lines = [`Campaign ${estimate.campaignId}: ${estimate.duration.summary}`, ''];
  lines.push(`Would send now: ${estimate.send.total} (${estimate.send.template} template, ${estimate.send.session} session text)`);
  if (Object.keys(estimate.deferred).length > 0) lines.push(`Would wait: ${byCount(estimate.deferred).map(([reason, count]) => `${reason} ${count}`).join(', ')}`);
  if (Object.keys(estimate.skipped).length > 0) lines.push(`Would skip: ${byCount(estimate.skipped).map(([reason, count]) => `${reason} ${count}`).join(', ')}`);
  lines.push('', `Cost if every message is delivered: ${estimate.cost.usd.toFixed(2)} USD (${estimate.cost.charged} charged, ${estimate.cost.free} free)`);
  if (estimate.cost.lines.length > 0) lines.push(formatTable(['market', 'category', 'messages', 'USD'], estimate.cost.lines.map((line) => [line.market, line.category, line.messages, line.usd.toFixed(4)])));
  return `${lines.join('\n')}\n`;
}

const reportUsage = 'greenlight campaigns report ID [--json] [--csv FILE]   (--csv: one line per recipient)';

async function report(context: CliContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(context.args, { json: { type: 'boolean' }, csv: { type: 'string' } }, reportUsage);
  const id = campaignIdOf(positionals, reportUsage);
  const deps = await context.openDeps();
  try {
    const result = await campaignReport(deps, id);
    context.stdout.write(values.json ? `${JSON.stringify(result, null, 2)}\n` : formatReport(result));
    if (values.csv) {
      const file = path.resolve(context.cwd, values.csv);
      const out = createWriteStream(file);
      const rows = await exportCampaignRecipients(deps, id, out);
      await recordAuditEvent(deps, CLI_ACTOR, { action: 'campaign.export_recipients', targetType: 'campaign', targetId: id, detail: { rows } });
      await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
      context.stderr.write(`Wrote ${rows} recipients to ${file}\n`);
    }
    return 0;
  } finally {
    await deps.db.close();
  }
}

const pct = (rate: RateInterval) => `${(rate.rate * 100).toFixed(1)} % [${(rate.low * 100).toFixed(1)}–${(rate.high * 100).toFixed(1)}]`;

export function formatReport(report: CampaignReport): string {
  const { campaign, totals } = report;
  const counts = totals.counts;
  const lines = [`Campaign ${campaign.id} "${campaign.name}" — ${campaign.state}${campaign.pauseReason ? ` (${campaign.pauseReason}: ${campaign.pauseDetail ?? ''})` : ''}`];
  if (campaign.pauseAction) lines.push(`  to resume: ${campaign.pauseAction}`);
  lines.push(
    `Targeted ${counts.targeted}: sent ${counts.sent}, delivered ${counts.delivered}, read ${counts.read}, replied ${counts.replied}, clicked ${counts.clicked}, opted out after ${counts.optedOut}`,
    `  skipped ${counts.skipped}, failed ${counts.failed}, waiting ${counts.pending + counts.deferred}, in flight ${counts.inFlight}, unknown ${counts.unknown}, cancelled ${counts.cancelled}`,
    `  rates of sent (95 % interval): delivered ${pct(totals.rates.delivered)}, read ${pct(totals.rates.read)}, replied ${pct(totals.rates.replied)}, opted out ${pct(totals.rates.optedOut)}`,
    `Cost: estimated ${report.cost.estimatedUsd.toFixed(4)} USD; charged by Meta so far ${report.cost.actualUsd.toFixed(4)} USD (${report.cost.billableMessages} billable of ${report.cost.pricedMessages} priced)`,
    '',
    formatTable(['template', 'language', 'sent', 'delivered', 'read', 'replied', 'opted out', 'failed'], report.byTemplate.map((line) => [line.template, line.language, line.counts.sent, line.counts.delivered, line.counts.read, line.counts.replied, line.counts.optedOut, line.counts.failed])),
  );
  if (report.skipped.length > 0) lines.push('', `Skipped: ${report.skipped.map((entry) => `${entry.reason ?? '?'} ${entry.count}`).join(', ')}`);
  if (report.deferred.length > 0) lines.push(`Waiting: ${report.deferred.map((entry) => `${entry.reason ?? '?'} ${entry.count}${entry.nextDueAt ? ` (next ${entry.nextDueAt.toISOString()})` : ''}`).join(', ')}`);
  if (report.failures.length > 0) lines.push('Failed:', ...report.failures.map((entry) => `  ${entry.stage} ${entry.errorCode ?? ''} ${entry.reason ?? ''}: ${entry.count}${entry.example ? ` — e.g. ${entry.example}` : ''}`));
  if (report.abTest) {
    lines.push('', `A/B test (baseline ${report.abTest.baseline}):`);
    lines.push(formatTable(['variant', 'sent', 'read', 'replied', 'opted out', 'read vs baseline'], report.abTest.variants.map((variant) => [
      variant.name, variant.counts.sent, pct(variant.rates.read), pct(variant.rates.replied), pct(variant.rates.optedOut),
      variant.versusBaseline ? `${(variant.versusBaseline.read.difference * 100).toFixed(1)} pts${variant.versusBaseline.read.significant ? ' (significant)' : ' (not significant)'}` : '—',
    ])));
  }
  return `${lines.join('\n')}\n`;
}

export const campaignsEstimateCommand: Command = { summary: 'what a campaign would send, skip and defer, what it costs and how long it takes', usage: estimateUsage, run: estimate };
export const campaignsReportCommand: Command = { summary: "a campaign's funnel, reasons, cost and A/B result (--csv: per recipient)", usage: reportUsage, run: report };
