// The demo's story, step by step, on a running demo (main.ts startDemo): import the customers, check
// the senders, lint and submit the templates and wait for Meta's review, estimate and launch three
// campaigns, watch them until each has finished or been stopped, and report. Every step goes through
// the same actions the CLI and the API use; nothing here is demo-only logic but the data.

import { Readable } from 'node:stream';
import { campaignReport, type CampaignReport } from '../../actions/campaign-report.ts';
import { createCampaign } from '../../actions/create-campaign.ts';
import { estimateCampaign, type CampaignEstimate } from '../../actions/estimate-campaign.ts';
import { importContacts, type ImportSummary } from '../../actions/import-contacts.ts';
import { launchCampaign } from '../../actions/launch-campaign.ts';
import { submitTemplate } from '../../actions/submit-template.ts';
import { syncSender } from '../../actions/sync-sender.ts';
import { syncTemplates } from '../../actions/sync-templates.ts';
import { assessTemplate } from '../../domain/template-assessment.ts';
import { countMessagesByState, findNextDueAt, type DispatchCounts } from '../../store/campaign-messages.ts';
import { findCampaign, type Campaign } from '../../store/campaigns.ts';
import { countCampaignSendsAfterOptOut } from '../../store/consent-audit.ts';
import { listSenders, type Sender } from '../../store/senders.ts';
import { listStoredTemplates } from '../../store/templates.ts';
import type { DemoHandle } from '../cli-context.ts';
import { demoCampaigns, type DemoCampaign } from './demo-campaigns.ts';
import { generateDemoContacts } from './demo-contacts.ts';
import { demoTemplates, SPAMMY_TEMPLATE } from './demo-templates.ts';

export type DemoNarrator = {
  /** One line of the story. */
  say(line: string): void;
  /** Live counts of every launched campaign, called about twice a second while they run. */
  progress(snapshot: readonly CampaignProgress[]): void;
  /** The live view is over: the caller stops bars before the report is printed. */
  progressDone(): void;
};

export type CampaignProgress = { key: DemoCampaign['key']; id: number; name: string; state: Campaign['state']; recipients: number; counts: DispatchCounts; pauseReason: Campaign['pauseReason'] };

export type TemplateLine = { name: string; language: string; category: string; errors: number; warnings: number; spamScore: number; status: string | null };

export type DemoRun = {
  contacts: ImportSummary;
  senders: Sender[];
  templates: TemplateLine[];
  estimates: Array<{ key: DemoCampaign['key']; estimate: CampaignEstimate }>;
  reports: Array<{ key: DemoCampaign['key']; report: CampaignReport }>;
  /** Campaign messages sent to someone already known to have opted out: must be 0. */
  sendsToOptedOut: number;
  /** True when every campaign finished or was stopped before the time limit. */
  settled: boolean;
};

const second = 1_000;

export async function runDemo(demo: DemoHandle, narrator: DemoNarrator, options: { speed: number; seed: number; timeLimitMs: number }): Promise<DemoRun> {
  const { deps } = demo;
  const realMinutes = (simulatedMs: number) => `${Math.round(simulatedMs / 60_000)} simulated min`;

  // 1. Customers, from the CSV a shop would export, through the real importer.
  const people = generateDemoContacts(options.seed, deps.clock.now());
  const contacts = await importContacts(deps, Readable.from([people.csv]), { fileName: 'loja-verde-customers.csv' });
  demo.simulator.optIn(people.genuinelyOptedIn);
  narrator.say(`1. Contacts: imported ${contacts.created.toLocaleString('en')} customers of Loja Verde from 8 countries in 8 languages, with ${contacts.consentEventsRecorded.toLocaleString('en')} consent events (opt-ins with their source and wording, and opt-outs); ${contacts.rejected} rows rejected.`);

  // 2. The two senders, as Meta reports them.
  for (const sender of await listSenders(deps.db)) await syncSender(deps, sender);
  const senders = await listSenders(deps.db);
  narrator.say(`2. Senders: ${senders.map((sender) => `+${sender.displayPhoneNumber ?? sender.phoneNumberId} quality ${sender.qualityRating ?? '?'}, ${sender.messagingLimitTier ?? '?'}`).join('; ')}.`);

  // 3. Templates: lint before Meta sees them, submit, wait for the review.
  const definitions = demoTemplates();
  const wabaId = demo.senders[0]!.wabaId;
  narrator.say(`3. Templates: linting and submitting ${definitions.length} (order_update, back_in_stock, ${SPAMMY_TEMPLATE}; each in en, es, pt_BR).`);
  for (const definition of definitions) {
    const assessment = assessTemplate(definition);
    if (assessment.spam.score >= 50) {
      const reasons = assessment.spam.findings.slice(0, 3).map((finding) => firstSentence(finding.message));
      narrator.say(`   ⚠ ${definition.name} (${definition.language}): spam risk ${assessment.spam.score}/100 — ${reasons.join(' ')} Submitted anyway, as a careless sender would: nothing in it breaks Meta's structural rules.`);
    }
    await submitTemplate(deps, wabaId, definition);
  }
  const reviewStarted = deps.clock.now().getTime();
  for (;;) {
    await syncTemplates(deps, wabaId);
    const stored = (await listStoredTemplates(deps.db, { wabaId })).filter((template) => definitions.some((definition) => definition.name === template.name));
    if (stored.length >= definitions.length && stored.every((template) => template.status !== 'PENDING')) break;
    await sleepReal(second / 2);
  }
  const stored = await listStoredTemplates(deps.db, { wabaId });
  const templates = definitions.map((definition): TemplateLine => {
    const assessment = assessTemplate(definition);
    const status = stored.find((template) => template.name === definition.name && template.language === definition.language)?.status ?? null;
    return { name: definition.name, language: definition.language, category: definition.category, errors: assessment.errors, warnings: assessment.warnings, spamScore: assessment.spam.score, status };
  });
  narrator.say(`   Meta's review took ${realMinutes(deps.clock.now().getTime() - reviewStarted)}: ${templates.filter((line) => line.status === 'APPROVED').length} of ${templates.length} approved.`);

  // 4. Campaigns: estimate (the same decisions the dispatcher will make), then launch.
  const main = demo.senders[0]!.phoneNumberId;
  const support = demo.senders[1]!.phoneNumberId;
  const launched: Array<{ key: DemoCampaign['key']; id: number }> = [];
  const estimates: DemoRun['estimates'] = [];
  narrator.say('4. Campaigns: estimate, then launch.');
  for (const { key, document } of demoCampaigns({ main, support })) {
    const { campaign } = await createCampaign(deps, document);
    const estimate = await estimateCampaign(deps, campaign.id, { rateCard: demo.rateCard });
    estimates.push({ key, estimate });
    const skipped = Object.entries(estimate.skipped).sort((a, b) => b[1] - a[1]).map(([reason, count]) => `${reason} ${count}`).join(', ');
    narrator.say(`   "${campaign.name}": ${estimate.recipients} in the audience → ${estimate.send.total} would be sent (${estimate.cost.usd.toFixed(2)} USD at most)${skipped ? `; skipped: ${skipped}` : ''}.`);
    const result = await launchCampaign(deps, campaign.id);
    launched.push({ key, id: campaign.id });
    narrator.say(`   launched #${campaign.id}${result.canarySize > 0 ? ` with a canary of ${result.canarySize}: the rest waits until it has been watched for 20 simulated minutes` : ''}.`);
  }

  // A few customers write in meanwhile: the dashboard's inbox has conversations with open windows.
  const inbound = ['Oi! A camisa de linho volta no tamanho M?', '¿Hacen envíos a Monterrey?', 'Can I change the delivery address of my order?'];
  people.genuinelyOptedIn.slice(0, inbound.length).forEach((from, index) => demo.simulator.inbound({ from, text: inbound[index]! }));

  // 5. Live progress until every campaign has finished, been stopped, or only waits far ahead.
  narrator.say('5. Sending (live):');
  const deadline = Date.now() + options.timeLimitMs;
  const announced = new Set<number>();
  let settled = false;
  while (Date.now() < deadline) {
    const snapshot = await progressOf(demo, launched);
    narrator.progress(snapshot);
    for (const line of snapshot) {
      if (line.state === 'paused' && !announced.has(line.id)) {
        announced.add(line.id);
        const campaign = await findCampaign(deps.db, line.id);
        narrator.say(`   ⏸ "${line.name}" paused by the ${campaign?.pauseReason ?? ''} guard: ${campaign?.pauseDetail ?? ''}`);
      }
    }
    if (await allSettled(demo, snapshot)) {
      settled = true;
      break;
    }
    await sleepReal(second / 2);
  }
  narrator.progress(await progressOf(demo, launched));
  narrator.progressDone();

  // 6. Reports and the consent audit.
  const reports: DemoRun['reports'] = [];
  for (const { key, id } of launched) reports.push({ key, report: await campaignReport(deps, id) });
  const sendsToOptedOut = await countCampaignSendsAfterOptOut(deps.db, launched.map((campaign) => campaign.id));
  return { contacts, senders: await listSenders(deps.db), templates, estimates, reports, sendsToOptedOut, settled };
}

async function progressOf(demo: DemoHandle, launched: ReadonlyArray<{ key: DemoCampaign['key']; id: number }>): Promise<CampaignProgress[]> {
  return Promise.all(
    launched.map(async ({ key, id }) => {
      const campaign = (await findCampaign(demo.deps.db, id))!;
      return { key, id, name: campaign.name, state: campaign.state, recipients: campaign.recipients, counts: await countMessagesByState(demo.deps.db, id), pauseReason: campaign.pauseReason };
    }),
  );
}

// A running campaign counts as settled once nothing is due for the next simulated hours (a contact
// deferred to tomorrow's allowed hours, a 131049 retry in 24 h) and its canary, if any, has been judged.
const settledHorizonMs = 3 * 3_600_000;

async function allSettled(demo: DemoHandle, snapshot: readonly CampaignProgress[]): Promise<boolean> {
  for (const line of snapshot) {
    if (line.state === 'completed' || line.state === 'cancelled' || line.state === 'paused') continue;
    if (line.state !== 'running') return false;
    const campaign = await findCampaign(demo.deps.db, line.id);
    if (campaign && campaign.canarySize > 0 && !campaign.canaryPassedAt) return false;
    const next = await findNextDueAt(demo.deps.db, line.id);
    if (next && next.getTime() < demo.deps.clock.now().getTime() + settledHorizonMs) return false;
    if (line.counts.queued + line.counts.sending > 0) return false;
  }
  return true;
}

/** The first sentence of a lint message: the terminal gets the gist, the dashboard the whole advice. */
const firstSentence = (message: string) => /^.*?[.!?](?=\s|$)/.exec(message)?.[0] ?? message;

const sleepReal = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
