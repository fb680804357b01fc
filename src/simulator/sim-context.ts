// The parts one simulator is made of, passed to the send pipeline and the routes. Types only:
// create-simulator.ts builds it.

import type { Conversations } from './conversations.ts';
import type { Faults } from './faults.ts';
import type { IdSource } from './ids.ts';
import type { MessageLifecycle } from './message-lifecycle.ts';
import type { People } from './people.ts';
import type { Population } from './population.ts';
import type { Random } from './random.ts';
import type { RateLimits } from './rate-limits.ts';
import type { Senders } from './senders.ts';
import type { SentLog } from './sent-log.ts';
import type { SimClock } from './sim-clock.ts';
import type { TemplatePacing } from './template-pacing.ts';
import type { TemplateQualityTracker } from './template-quality.ts';
import type { TemplateRegistry } from './template-registry.ts';
import type { WebhookDelivery } from './webhook-delivery.ts';

export type SimBehaviour = {
  accessToken: string;
  /** §7.1: where a free-form message outside the window fails. Meta usually answers 200 and fails it in a webhook. */
  reengagementSurface: 'sync' | 'async';
  /** §8.3: Meta does not say which code the US marketing pause uses; BSPs report 131049 (default) or 130472. */
  usMarketingErrorCode: number;
  /** §1.5: Meta documents no code for exceeding the messaging limit; the simulator fails the message with this one. */
  messagingLimitErrorCode: number;
  messagingLimitTier: string;
};

export type SimContext = {
  clock: SimClock;
  /** The stream for request handling (latency); other concerns have their own. */
  random: Random;
  ids: IdSource;
  behaviour: SimBehaviour;
  senders: Senders;
  population: Population;
  conversations: Conversations;
  rateLimits: RateLimits;
  templates: TemplateRegistry;
  pacing: TemplatePacing;
  quality: TemplateQualityTracker;
  people: People;
  lifecycle: MessageLifecycle;
  sent: SentLog;
  faults: Faults;
  webhooks: WebhookDelivery;
  media: Map<string, { mimeType: string; size: number; fileName: string }>;
};
