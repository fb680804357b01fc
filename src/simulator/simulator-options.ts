// What a simulator can be configured with, and the defaults that make `createSimulator()` work with nothing
// set. Every number here is a model constant documented where it is used (see the module of each field).

import { systemClock } from '../lib/clock.ts';
import { DEFAULT_WEBHOOK_FAULTS } from './faults.ts';
import { DEFAULT_QUALITY_MODEL, type QualityModel } from './quality-score.ts';
import { DEFAULT_SENDER, type SenderOptions } from './senders.ts';
import type { SimBehaviour } from './sim-context.ts';
import type { PacingOptions } from './template-pacing.ts';
import type { TemplateDraftInput, TemplateQuality, TemplateStatus } from './template-registry.ts';
import type { WebhookFaults, WebhookRetryPolicy, WebhookTarget } from './webhook-delivery.ts';

export type PreloadedTemplate = TemplateDraftInput & { wabaId?: string; status?: TemplateStatus; quality?: TemplateQuality };

export type SimulatorOptions = {
  /** Same seed + same requests and clock advances → same responses and webhooks. Default 1. */
  seed?: number | string;
  /** Simulated start time. Default: the real time now; pass a fixed date for reproducible timestamps. */
  startAt?: Date;
  /** 'manual' (default; advance() moves time) or a multiple of real time, e.g. 60 for demos. */
  speed?: 'manual' | number;
  /** Key for X-Hub-Signature-256 on webhooks. */
  appSecret?: string;
  /** The only bearer token the Graph routes accept. */
  accessToken?: string;
  /** Where webhooks go; without one they are only kept in memory (webhooks.delivered()). */
  webhook?: WebhookTarget;
  /** Deliver webhooks from the start (default true); otherwise they wait for webhooks.start(). */
  startWebhooks?: boolean;
  webhookFaults?: Partial<WebhookFaults>;
  webhookRetry?: Partial<WebhookRetryPolicy>;
  phoneNumbers?: SenderOptions[];
  /** The portfolio's messaging limit (§1.1), shared by all numbers. */
  messagingLimitTier?: string;
  /** Templates that already exist (APPROVED and GREEN unless told otherwise). */
  templates?: PreloadedTemplate[];
  /** Simulated time between creating a template and its review decision. */
  templateReviewDelayMs?: number;
  pacing?: Partial<PacingOptions>;
  quality?: Partial<QualityModel>;
  population?: { notOnWhatsAppShare?: number; undeliverablePattern?: RegExp | string | null; optedIn?: string[] };
  /** §2 pair rate: 1 message per `intervalMs` with bursts up to `burst`. */
  pairRate?: { intervalMs?: number; burst?: number };
  reengagementSurface?: SimBehaviour['reengagementSurface'];
  usMarketingErrorCode?: number;
  messagingLimitErrorCode?: number;
};

export type ResolvedOptions = {
  seed: number | string;
  startAt: Date;
  speed: 'manual' | number;
  appSecret: string;
  webhook: WebhookTarget | null;
  startWebhooks: boolean;
  webhookFaults: WebhookFaults;
  webhookRetry: WebhookRetryPolicy;
  phoneNumbers: SenderOptions[];
  templates: PreloadedTemplate[];
  templateReviewDelayMs: number;
  pacing: PacingOptions;
  quality: QualityModel;
  population: { notOnWhatsAppShare: number; undeliverablePattern: RegExp | null; optedIn: string[] };
  pairRate: { intervalMs: number; burst: number };
  behaviour: SimBehaviour;
};

// Webhook retries: 10 s, doubling to at most 15 min, for 6 simulated hours (Meta: up to 7 days, §6.4; bounded here).
const DEFAULT_RETRY: WebhookRetryPolicy = { firstRetryMs: 10_000, maxIntervalMs: 15 * 60_000, horizonMs: 6 * 3_600_000 };
// Pacing: 100 free sends per cycle, decided after 30 min (Meta: threshold unspecified, decision within ~1 h p99).
const DEFAULT_PACING: PacingOptions = { enabled: true, freeSends: 100, assessmentMs: 30 * 60_000 };

export function resolveOptions(options: SimulatorOptions): ResolvedOptions {
  const pattern = options.population?.undeliverablePattern;
  return {
    seed: options.seed ?? 1,
    startAt: options.startAt ?? systemClock.now(),
    speed: options.speed ?? 'manual',
    appSecret: options.appSecret ?? 'simulator-app-secret',
    webhook: options.webhook ?? null,
    startWebhooks: options.startWebhooks ?? true,
    webhookFaults: { ...DEFAULT_WEBHOOK_FAULTS, ...options.webhookFaults },
    webhookRetry: { ...DEFAULT_RETRY, ...options.webhookRetry },
    phoneNumbers: options.phoneNumbers ?? [DEFAULT_SENDER],
    templates: options.templates ?? [],
    templateReviewDelayMs: options.templateReviewDelayMs ?? 60_000,
    pacing: { ...DEFAULT_PACING, ...options.pacing },
    quality: { ...DEFAULT_QUALITY_MODEL, ...options.quality },
    population: {
      notOnWhatsAppShare: options.population?.notOnWhatsAppShare ?? 0.03,
      undeliverablePattern: pattern === undefined || pattern === null ? null : typeof pattern === 'string' ? new RegExp(pattern) : pattern,
      optedIn: options.population?.optedIn ?? [],
    },
    pairRate: { intervalMs: options.pairRate?.intervalMs ?? 6_000, burst: options.pairRate?.burst ?? 45 },
    behaviour: {
      accessToken: options.accessToken ?? 'simulator-access-token',
      reengagementSurface: options.reengagementSurface ?? 'async',
      usMarketingErrorCode: options.usMarketingErrorCode ?? 131049,
      messagingLimitErrorCode: options.messagingLimitErrorCode ?? 131000,
      messagingLimitTier: options.messagingLimitTier ?? 'TIER_2K',
    },
  };
}
