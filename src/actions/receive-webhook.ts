// Stores a verified webhook POST raw, before anything else, so nothing Meta sends is lost even if
// processing fails (Meta has no history API). The same bytes delivered again are stored once.

import { createHash } from 'node:crypto';
import type { Clock } from '../lib/clock.ts';
import type { Db } from '../store/db.ts';
import { insertWebhookEvent } from '../store/webhook-events.ts';

export async function receiveWebhook(deps: { db: Db; clock: Clock }, rawBody: Uint8Array): Promise<{ id: number; duplicate: boolean }> {
  const bodySha256 = createHash('sha256').update(rawBody).digest('hex');
  const body = Buffer.from(rawBody.buffer, rawBody.byteOffset, rawBody.byteLength).toString('utf8');
  const { id, stored } = await insertWebhookEvent(deps.db, { bodySha256, body, receivedAt: deps.clock.now() });
  return { id, duplicate: !stored };
}
