// createSimulator(options): a behavioural fake of Meta's Cloud API, usable in process (point the client's
// fetch at `simulator.fetch`) or served over HTTP (serve-simulator.ts). Wires the parts; owns no rules.

import { Hono } from 'hono';
import { createConversations } from './conversations.ts';
import { createFaults } from './faults.ts';
import { createGraphRoutes } from './graph-routes.ts';
import { createIdSource } from './ids.ts';
import { createMessageLifecycle } from './message-lifecycle.ts';
import { createPeople } from './people.ts';
import { createPopulation } from './population.ts';
import { createQualityScores } from './quality-score.ts';
import { createRandom } from './random.ts';
import { createRateLimits } from './rate-limits.ts';
import { createSenders, usersPerDay } from './senders.ts';
import { createSentLog, type SentFilter } from './sent-log.ts';
import { createSimClock } from './sim-clock.ts';
import type { SimContext } from './sim-context.ts';
import { createControls } from './sim-controls.ts';
import { createSimRoutes } from './sim-routes.ts';
import { resolveOptions, type ResolvedOptions, type SimulatorOptions } from './simulator-options.ts';
import { createTemplatePacing, type TemplatePacing } from './template-pacing.ts';
import { createTemplateQuality } from './template-quality.ts';
import { createTemplateRegistry } from './template-registry.ts';
import { createWebhookDelivery } from './webhook-delivery.ts';

/** Builds every part on one seed: each concern draws from its own random stream (see random.ts `fork`). */
function buildContext(options: ResolvedOptions): SimContext {
  const root = createRandom(options.seed);
  const clock = createSimClock({ startAt: options.startAt, speed: options.speed });
  const ids = createIdSource(root.fork('ids'));
  const senders = createSenders(options.phoneNumbers);
  const behaviour = options.behaviour;
  const population = createPopulation({ seed: options.seed, notOnWhatsAppShare: options.population.notOnWhatsAppShare, undeliverablePattern: options.population.undeliverablePattern });
  options.population.optedIn.forEach((phone) => population.optIn(phone.replace(/\D/g, '')));
  const conversations = createConversations({ usersPerDay: () => usersPerDay(behaviour.messagingLimitTier) });
  const rateLimits = createRateLimits({ mpsFor: senders.mps, pairIntervalMs: options.pairRate.intervalMs, pairBurst: options.pairRate.burst });
  const faults = createFaults(options.webhookFaults);
  // Without a target, webhooks are acknowledged in memory so tests can read them from webhooks.delivered().
  const target = options.webhook ?? { deliver: () => ({ status: 200 }) };
  const webhooks = createWebhookDelivery({ clock, random: root.fork('webhooks'), appSecret: options.appSecret, target, faults: faults.webhooks, retry: options.webhookRetry, aggregationWindowMs: 1_000, fetchTimeoutMs: 10_000 });
  const templates = createTemplateRegistry({ clock, ids, reviewDelayMs: options.templateReviewDelayMs });
  // Quality pauses consult pacing, and pacing releases messages into the lifecycle: pacing is built last.
  let pacing: TemplatePacing | null = null;
  const need = <T>(part: T | null): T => {
    if (part === null) throw new Error('simulator wiring: part used before it was built');
    return part;
  };
  const quality = createTemplateQuality({ clock, scores: createQualityScores(options.quality), registry: templates, pacing: () => need(pacing) });
  const people = createPeople({ clock, ids, random: root.fork('people'), population, conversations, rateLimits, senders, enqueue: webhooks.enqueue });
  const lifecycle = createMessageLifecycle({ clock, random: root.fork('messages'), population, people, quality, senders, enqueue: webhooks.enqueue });
  pacing = createTemplatePacing({ clock, registry: templates, options: options.pacing, rating: quality.rating, release: (message) => lifecycle.start(message), drop: (message) => lifecycle.fail(message, 132015) });
  return { clock, random: root.fork('requests'), ids, behaviour, senders, population, conversations, rateLimits, templates, pacing, quality, people, lifecycle, sent: createSentLog(), faults, webhooks, media: new Map() };
}

/** Template events become message_template_status_update and message_template_quality_update webhooks (§4.5b). */
function forwardTemplateEvents(ctx: SimContext): void {
  ctx.templates.subscribe((event) => {
    const { template } = event;
    const ref = { message_template_id: Number(template.id), message_template_name: template.name, message_template_language: template.language.replace('_', '-') };
    const atMs = ctx.clock.nowMs();
    if (event.kind === 'quality') {
      const value = { previous_quality_score: event.previous, new_quality_score: event.next, ...ref };
      return ctx.webhooks.enqueue({ wabaId: template.wabaId, atMs, change: { field: 'message_template_quality_update', value } });
    }
    const value = {
      event: event.event,
      ...ref,
      reason: event.reason,
      message_template_category: template.category,
      ...(event.rejectionInfo ? { rejection_info: event.rejectionInfo } : {}),
      ...(event.otherInfo ? { other_info: event.otherInfo } : {}),
      ...(event.disableDateMs === undefined ? {} : { disable_info: { disable_date: Math.floor(event.disableDateMs / 1000) } }),
    };
    ctx.webhooks.enqueue({ wabaId: template.wabaId, atMs, change: { field: 'message_template_status_update', value } });
  });
}

export function createSimulator(input: SimulatorOptions = {}) {
  const options = resolveOptions(input);
  const ctx = buildContext(options);
  forwardTemplateEvents(ctx);
  const defaultWaba = options.phoneNumbers[0]?.wabaId ?? '';
  for (const preload of options.templates) ctx.templates.seed(preload.wabaId ?? defaultWaba, preload);
  if (options.startWebhooks) void ctx.webhooks.start();
  const controls = createControls(ctx);
  const app = new Hono();
  app.route('/', createSimRoutes(ctx, controls));
  app.route('/', createGraphRoutes(ctx));
  if (ctx.clock.mode === 'speed') ctx.clock.start();

  return {
    /** The Hono app: Graph API routes under /{version}/… and the /_sim controls. */
    app,
    /** A WHATWG fetch served in process, for the Cloud client's `fetch` option (any base URL works). */
    fetch: ((request: string | URL | Request, init?: RequestInit) => app.request(request instanceof URL ? request.href : request, init)) as typeof fetch,
    clock: ctx.clock,
    /** Moves simulated time and runs everything that falls due (manual mode; also jumps ahead in speed mode). */
    advance: (ms: number) => ctx.clock.advance(ms),
    webhooks: {
      start: () => ctx.webhooks.start(),
      stop: () => ctx.webhooks.stop(),
      isRunning: ctx.webhooks.isRunning,
      setTarget: ctx.webhooks.setTarget,
      delivered: ctx.webhooks.delivered,
      records: ctx.webhooks.records,
      droppedCount: ctx.webhooks.droppedCount,
      appSecret: options.appSecret,
    },
    sent: (filter?: SentFilter) => ctx.sent.list(filter),
    templates: { get: ctx.templates.get, list: ctx.templates.list, all: ctx.templates.all, find: ctx.templates.find },
    people: { person: ctx.population.person, isOptedIn: ctx.population.isOptedIn, hasBlocked: ctx.population.hasBlocked },
    controls,
    accessToken: options.behaviour.accessToken,
    phoneNumbers: ctx.senders.all(),
    /** Stops following real time (speed mode). Pending events stay queued. */
    close: () => ctx.clock.stop(),
  };
}

export type Simulator = ReturnType<typeof createSimulator>;
