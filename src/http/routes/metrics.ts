// GET /metrics in Prometheus's text format: what the whole deployment is doing (sends by outcome, queue
// depth, each sender's rate, webhook lag, breaker trips), read from the database, plus this process's
// own Node.js metrics. Not behind the API token, as Prometheus expects: it exposes counts and Meta's ids
// of the business numbers only — no phone number, name or message text of any person.
//
// Why figures from the database and not counters kept in each process: serve and every worker write to
// one database, and the question "how many were sent" is about all of them. In-process counters would
// need every worker scraped and summed, would restart at zero with each deploy, and could disagree with
// `campaigns status` and the API, which read the database. The price is a database read per scrape, kept
// cheap three ways: statements that read the partial indexes of migration 0004 (metrics-readings.ts); a
// finished campaign's counts remembered once they can no longer change; and one snapshot shared by every
// scrape for at least 5 s, and for 20 times as long as the last read took, so metrics never take more
// than about 5 % of the database's time (measured with a running campaign of 1,000,000 messages:
// about 0.5 s on PostgreSQL, 2 s on PGlite; every other reading takes milliseconds).

import { Hono } from 'hono';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { Deps } from '../../deps.ts';
import {
  findRecentWebhookDelay,
  findWebhookBacklog,
  listCampaignMessageCounts,
  listCampaignPauseCounts,
  listCampaignStateCounts,
  listCountableCampaigns,
  listQueueDepths,
  listSenderSendsSince,
  type CampaignMessageCount,
  type CampaignStateCount,
  type PauseCount,
  type QueueDepth,
  type SenderRate,
} from '../../store/metrics-readings.ts';

const DISPATCH_STATES = ['planned', 'deferred', 'queued', 'sending', 'sent', 'skipped', 'failed', 'unknown', 'cancelled'] as const;
const MIN_REFRESH_MS = 5_000;
const COST_FACTOR = 20;
const RATE_WINDOW_MS = 60_000;

type Snapshot = {
  campaigns: CampaignStateCount[];
  messages: Map<string, number>;
  queue: QueueDepth[];
  senders: SenderRate[];
  webhooks: { pending: number; oldestAgeSeconds: number; recentMaxDelaySeconds: number | null };
  pauses: PauseCount[];
};

let processRegistry: Registry | null = null;

/**
 * prom-client's default metrics (CPU, memory, event-loop lag, GC, handles) describe the process, so one
 * registry per process, made on first use; the database figures get a registry per app, so tests can
 * build several apps. Neither is prom-client's global registry.
 */
export function processMetricsRegistry(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

export function createMetricsRoutes(deps: Deps): Hono {
  const routes = new Hono();
  // Built on the first scrape: every createHttpApp (tests build hundreds) would otherwise pay for it.
  let registry: Registry | null = null;
  routes.get('/', async (c) => {
    registry ??= Registry.merge([processMetricsRegistry(), createDatabaseRegistry(deps)]);
    return c.body(await registry.metrics(), 200, { 'content-type': registry.contentType });
  });
  return routes;
}

function createDatabaseRegistry(deps: Deps): Registry {
  const registry = new Registry();
  const readings = createSnapshotReader(deps);
  const gauge = (name: string, help: string, labelNames: string[], fill: (gauge: Gauge, snapshot: Snapshot) => void) =>
    new Gauge({
      name, help, labelNames, registers: [registry],
      async collect() {
        const snapshot = await readings.snapshot();
        this.reset();
        if (snapshot) fill(this, snapshot);
      },
    });

  new Gauge({
    name: 'greenlight_database_up', help: 'Whether the last read of the figures below from the database succeeded (1) or failed (0; see the log).', registers: [registry],
    async collect() {
      this.set((await readings.snapshot()) ? 1 : 0);
    },
  });
  new Gauge({
    name: 'greenlight_metrics_read_duration_seconds', help: 'How long the last read of these figures took; they are read again at most every 5 s, and no sooner than 20 times this.', registers: [registry],
    async collect() {
      await readings.snapshot();
      this.set(readings.lastReadSeconds());
    },
  });
  new Gauge({
    name: 'greenlight_metrics_read_age_seconds', help: 'How old the database figures in this answer are.', registers: [registry],
    async collect() {
      await readings.snapshot();
      this.set(readings.ageSeconds());
    },
  });
  gauge('greenlight_campaigns', 'Campaigns in each state (draft, scheduled, running, paused, completed, cancelled).', ['state'], (metric, snapshot) => {
    for (const row of snapshot.campaigns) metric.set({ state: row.state }, row.count);
  });
  gauge(
    'greenlight_campaign_messages',
    'Campaign messages in each dispatch state, over every campaign and every process (the figures of `campaigns status`): sent, skipped, failed, unknown and cancelled are outcomes; planned and deferred wait; queued and sending are in flight.',
    ['state'],
    (metric, snapshot) => {
      for (const state of DISPATCH_STATES) metric.set({ state }, snapshot.messages.get(state) ?? 0);
    },
  );
  gauge('greenlight_campaign_queue_depth', 'Messages of each running campaign that are due now and not yet claimed by a dispatcher.', ['campaign_id'], (metric, snapshot) => {
    for (const row of snapshot.queue) metric.set({ campaign_id: String(row.campaignId) }, row.due);
  });
  // phone_number_id is Meta's id of the business's own number, not a person's.
  gauge('greenlight_sender_sent_last_minute', "Messages each sender (Meta's phone number id) handed to Meta in the last 60 s, by every process.", ['phone_number_id'], (metric, snapshot) => {
    for (const row of snapshot.senders) metric.set({ phone_number_id: row.phoneNumberId }, row.sent);
  });
  gauge('greenlight_webhooks_pending', 'Stored webhooks not yet applied (including failed ones waiting for their retry).', [], (metric, snapshot) => metric.set(snapshot.webhooks.pending));
  gauge('greenlight_webhook_oldest_pending_age_seconds', 'Age of the oldest stored webhook not yet applied; 0 when none waits.', [], (metric, snapshot) => metric.set(snapshot.webhooks.oldestAgeSeconds));
  gauge('greenlight_webhook_recent_max_delay_seconds', 'The longest time from arrival to applied among the latest 1,000 webhooks; 0 before the first is applied.', [], (metric, snapshot) => {
    if (snapshot.webhooks.recentMaxDelaySeconds !== null) metric.set(snapshot.webhooks.recentMaxDelaySeconds);
  });
  new Counter({
    name: 'greenlight_campaign_pauses_total',
    help: 'Campaign pauses ever recorded, by reason: breaker (a guard tripped: template, sender quality, account, opt-out/failure/block rate, or Meta refusing), canary, budget, manual.',
    labelNames: ['reason'], registers: [registry],
    async collect() {
      const snapshot = await readings.snapshot();
      this.reset();
      for (const reason of ['breaker', 'canary', 'budget', 'manual']) this.inc({ reason }, 0);
      for (const row of snapshot?.pauses ?? []) this.inc({ reason: row.reason }, row.count);
    },
  });
  return registry;
}

/** One database snapshot shared by every metric of a scrape, and by scrapes close together (see the header). */
function createSnapshotReader(deps: Deps) {
  // Finished campaigns with nothing in flight or unknown: their counts can no longer change.
  const settled = new Map<number, CampaignMessageCount[]>();
  let last: { at: number; tookMs: number; snapshot: Snapshot | null } | null = null;
  let reading: Promise<Snapshot | null> | null = null;

  async function read(): Promise<Snapshot | null> {
    // Timed on the service's clock like everything here, so a test's simulated clock drives the refresh.
    const started = deps.clock.now();
    try {
      const countable = await listCountableCampaigns(deps.db);
      const fresh = await listCampaignMessageCounts(deps.db, countable.filter((campaign) => !settled.has(campaign.id)).map((campaign) => campaign.id));
      for (const campaign of countable.filter((candidate) => candidate.finished)) {
        const counts = fresh.filter((row) => row.campaignId === campaign.id);
        if (counts.length > 0 && counts.every((row) => !['queued', 'sending', 'unknown'].includes(row.state))) settled.set(campaign.id, counts);
      }
      const messages = new Map<string, number>();
      for (const row of [...fresh.filter((row) => !settled.has(row.campaignId)), ...[...settled.values()].flat()]) messages.set(row.state, (messages.get(row.state) ?? 0) + row.count);
      const backlog = await findWebhookBacklog(deps.db);
      const snapshot: Snapshot = {
        campaigns: await listCampaignStateCounts(deps.db),
        messages,
        queue: await listQueueDepths(deps.db, started),
        senders: await listSenderSendsSince(deps.db, new Date(started.getTime() - RATE_WINDOW_MS)),
        webhooks: {
          pending: backlog.pending,
          oldestAgeSeconds: backlog.oldestReceivedAt ? Math.max(0, (started.getTime() - backlog.oldestReceivedAt.getTime()) / 1000) : 0,
          recentMaxDelaySeconds: await findRecentWebhookDelay(deps.db),
        },
        pauses: await listCampaignPauseCounts(deps.db),
      };
      last = { at: started.getTime(), tookMs: deps.clock.now().getTime() - started.getTime(), snapshot };
    } catch (error) {
      deps.log.error('metrics.read_failed', { error });
      last = { at: started.getTime(), tookMs: deps.clock.now().getTime() - started.getTime(), snapshot: null };
    }
    return last.snapshot;
  }

  return {
    snapshot(): Promise<Snapshot | null> {
      if (last && deps.clock.now().getTime() - last.at < Math.max(MIN_REFRESH_MS, last.tookMs * COST_FACTOR)) return Promise.resolve(last.snapshot);
      reading ??= read().finally(() => {
        reading = null;
      });
      return reading;
    },
    lastReadSeconds: () => (last ? last.tookMs / 1000 : 0),
    ageSeconds: () => (last ? Math.max(0, (deps.clock.now().getTime() - last.at) / 1000) : 0),
  };
}
