// Applies what Meta says about numbers and accounts: quality and limit changes of a sender, the
// portfolio's messaging limit, restrictions, bans and alerts (whatsapp-rules.md §1.4).

import type { AccountAlertEvent, AccountUpdateEvent, CapabilityEvent, PhoneQualityEvent } from '../domain/whatsapp-events.ts';
import { insertAccountEvent, upsertWabaState } from '../store/account-signals.ts';
import type { Db } from '../store/db.ts';
import { findSenderByDisplayNumber, recordSenderHealth } from '../store/senders.ts';

type AccountEvent = PhoneQualityEvent | CapabilityEvent | AccountUpdateEvent | AccountAlertEvent;

export async function applyAccountEvent(tx: Db, event: AccountEvent, now: Date): Promise<void> {
  switch (event.kind) {
    case 'phone_quality': {
      const sender = await findSenderByDisplayNumber(tx, event.wabaId, event.displayPhoneNumber);
      if (sender && event.currentLimit) await recordSenderHealth(tx, sender.id, { messagingLimitTier: event.currentLimit.tier }, { source: 'webhook', at: event.at, detail: { event: event.event } }, now);
      // The limit is the portfolio's since 2025-10-07 (§1.2): every number of the WABA shares it.
      if (event.currentLimit) await upsertWabaState(tx, event.wabaId, { messagingLimitTier: event.currentLimit.tier, messagingLimitUsers: event.currentLimit.usersPer24h }, now);
      return;
    }
    case 'business_capability':
      if (event.messagingLimit) await upsertWabaState(tx, event.wabaId, { messagingLimitTier: event.messagingLimit.tier, messagingLimitUsers: event.messagingLimit.usersPer24h }, now);
      return;
    case 'account_update': {
      const restrictions = event.restrictions.map((restriction) => ({ type: restriction.type, expiresAt: restriction.expiresAt?.toISOString() ?? null }));
      await upsertWabaState(tx, event.wabaId, { restrictions, ...(event.banState ? { banState: event.banState } : {}) }, now);
      const summary = [event.event, ...event.restrictions.map((restriction) => restriction.type), event.banState, event.violationType].filter(Boolean).join(', ');
      await insertAccountEvent(tx, { wabaId: event.wabaId, kind: 'account_update', summary, payload: event, occurredAt: event.at }, now);
      return;
    }
    case 'account_alert': {
      const summary = [event.alertType, event.severity, event.description].filter(Boolean).join(': ');
      await insertAccountEvent(tx, { wabaId: event.wabaId, kind: 'account_alert', summary, payload: event, occurredAt: event.at }, now);
      return;
    }
  }
}
