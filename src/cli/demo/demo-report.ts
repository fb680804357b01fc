// The demo's final report: the JSON `greenlight demo --json` prints (stable field names a script can
// check) and the text version for a terminal (each campaign's report as `campaigns report` prints it,
// then the checks the demo exists to show).

import { formatTable } from '../format-table.ts';
import { formatReport } from '../commands/campaigns-report.ts';
import type { DemoRun } from './run-demo.ts';

export type DemoReport = ReturnType<typeof buildDemoReport>;

export function buildDemoReport(run: DemoRun, meta: { speed: number; realDurationMs: number; simulatedStart: Date; simulatedEnd: Date; dashboardUrl: string | null }) {
  const campaigns = run.reports.map(({ key, report }) => {
    const estimate = run.estimates.find((line) => line.key === key)?.estimate;
    const { campaign, totals } = report;
    return {
      key, id: campaign.id, name: campaign.name, template: campaign.templateName, state: campaign.state,
      pauseReason: campaign.pauseReason, pauseDetail: campaign.pauseDetail, pauseAction: campaign.pauseAction,
      recipients: campaign.recipients, canarySize: campaign.canarySize, canaryPassed: campaign.canaryPassed,
      estimate: estimate ? { send: estimate.send.total, skipped: estimate.skipped, deferred: estimate.deferred, costUsd: estimate.cost.usd } : null,
      funnel: totals.counts, rates: totals.rates,
      skipped: report.skipped, deferred: report.deferred, failures: report.failures, cost: report.cost,
    };
  });
  const blast = campaigns.find((campaign) => campaign.key === 'blast');
  return {
    demo: 'Loja Verde on the built-in Cloud API simulator',
    speed: meta.speed,
    realDurationSeconds: Math.round(meta.realDurationMs / 100) / 10,
    simulated: { start: meta.simulatedStart.toISOString(), end: meta.simulatedEnd.toISOString() },
    dashboardUrl: meta.dashboardUrl,
    contacts: { imported: run.contacts.created, consentEvents: run.contacts.consentEventsRecorded, rejected: run.contacts.rejected },
    senders: run.senders.map((sender) => ({ phoneNumberId: sender.phoneNumberId, displayPhoneNumber: sender.displayPhoneNumber, qualityRating: sender.qualityRating, messagingLimitTier: sender.messagingLimitTier })),
    templates: run.templates,
    campaigns,
    checks: {
      /** Campaign messages sent to a contact already known to have opted out of that category. */
      messagesToOptedOutContacts: run.sendsToOptedOut,
      spammyCampaignPausedByGuard: blast !== undefined && blast.state === 'paused' && blast.pauseReason !== null && blast.pauseReason !== 'manual',
      spammyCampaignPause: blast ? { reason: blast.pauseReason, detail: blast.pauseDetail } : null,
      everyCampaignSettled: run.settled,
    },
  };
}

export function formatDemoReport(run: DemoRun, report: DemoReport): string {
  const lines = ['', '6. Report', ''];
  lines.push(formatTable(['template', 'language', 'category', 'lint errors', 'warnings', 'spam risk', 'Meta'], report.templates.map((line) => [line.name, line.language, line.category, line.errors, line.warnings, `${line.spamScore}/100`, line.status ?? '?'])));
  lines.push('');
  for (const { report: campaignReport } of run.reports) lines.push(formatReport(campaignReport));
  lines.push(formatTable(['sender', 'quality', 'messaging limit'], report.senders.map((sender) => [`+${sender.displayPhoneNumber ?? sender.phoneNumberId}`, sender.qualityRating ?? '?', sender.messagingLimitTier ?? '?'])));
  lines.push('');
  const { checks } = report;
  lines.push(`Checks: messages to opted-out contacts: ${checks.messagesToOptedOutContacts}` + ` · spammy campaign stopped by a guard: ${checks.spammyCampaignPausedByGuard ? `yes (${checks.spammyCampaignPause?.reason})` : 'NO'}` + ` · every campaign finished or stopped: ${checks.everyCampaignSettled ? 'yes' : 'no (time limit reached)'}`);
  lines.push(`Simulated ${report.simulated.start} → ${report.simulated.end} in ${report.realDurationSeconds} s at ${report.speed}× speed.`);
  return `${lines.join('\n')}\n`;
}
