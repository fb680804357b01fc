// What every action and entry point receives: one explicit record, built in main.ts.

import type { Config } from './config.ts';
import type { Clock } from './lib/clock.ts';
import type { Logger } from './lib/logger.ts';
import type { ParseWebhook, WhatsAppApi } from './ports.ts';
import type { Db } from './store/db.ts';

export type Deps = { config: Config; db: Db; clock: Clock; log: Logger };

/** What the Cloud API edge needs on top: Meta (or the simulator) and the webhook parser. */
export type WhatsAppDeps = Deps & { whatsapp: WhatsAppApi; parseWebhook: ParseWebhook };
