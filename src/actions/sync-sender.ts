// Reads a sender's health from Meta (quality rating, throughput level, messaging limit, status,
// health status) and records it with its history. Health is Meta's pre-flight check (§1.3).

import type { Clock } from '../lib/clock.ts';
import type { WhatsAppApi } from '../ports.ts';
import type { Db } from '../store/db.ts';
import { upsertWabaState } from '../store/account-signals.ts';
import { recordSenderHealth, type Sender } from '../store/senders.ts';
import { toMessagingLimit } from '../domain/messaging-limit.ts';

export async function syncSender(deps: { db: Db; clock: Clock; whatsapp: WhatsAppApi }, sender: Sender): Promise<Sender> {
  const info = await deps.whatsapp.getPhoneNumber(sender.phoneNumberId);
  const health = await deps.whatsapp.getHealthStatus(sender.phoneNumberId);
  const now = deps.clock.now();
  const healthErrors = health.entities.flatMap((entity) => entity.errors.map((error) => ({ entityType: entity.entityType, entityId: entity.id, ...error })));
  return deps.db.transaction(async (tx) => {
    const updated = await recordSenderHealth(
      tx,
      sender.id,
      {
        displayPhoneNumber: info.displayPhoneNumber,
        verifiedName: info.verifiedName,
        qualityRating: info.qualityRating,
        throughputLevel: info.throughputLevel,
        messagingLimitTier: info.messagingLimitTier,
        status: info.status,
        nameStatus: info.nameStatus,
        canSendMessage: health.canSendMessage,
        healthErrors,
      },
      { source: 'sync', at: now, detail: { platformType: info.platformType } },
      now,
    );
    // The messaging limit belongs to the portfolio and is shared by all its numbers (§1.1).
    if (info.messagingLimitTier) await upsertWabaState(tx, sender.wabaId, { messagingLimitTier: info.messagingLimitTier, messagingLimitUsers: usersPer24h(info.messagingLimitTier) }, now);
    return updated;
  });
}

/** Unique users per 24 h: null is unlimited; a tier Greenlight cannot read counts as 0 (send nothing rather than guess). */
function usersPer24h(tier: string): number | null {
  const limit = toMessagingLimit(tier);
  return limit ? limit.usersPer24h : 0;
}
