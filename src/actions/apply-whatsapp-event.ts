// Routes one domain event from a webhook to the action that applies it, inside the caller's
// transaction. Exhaustive: a new event kind that is not handled fails to compile.

import type { WhatsAppEvent } from '../domain/whatsapp-events.ts';
import { assertNever } from '../lib/assert-never.ts';
import type { Db } from '../store/db.ts';
import { applyAccountEvent } from './apply-account-event.ts';
import { applyInboundMessage } from './apply-inbound-message.ts';
import { applyMessageStatus } from './apply-message-status.ts';
import { applyTemplateEvent } from './apply-template-event.ts';
import { applyUserPreference } from './apply-user-preference.ts';

/** Returns false for events Greenlight keeps but does not act on. */
export async function applyWhatsAppEvent(tx: Db, event: WhatsAppEvent, now: Date): Promise<boolean> {
  switch (event.kind) {
    case 'message_status':
      await applyMessageStatus(tx, event, now);
      return true;
    case 'inbound_message':
      await applyInboundMessage(tx, event, now);
      return true;
    case 'user_preference':
      await applyUserPreference(tx, event, now);
      return true;
    case 'template_status':
    case 'template_quality':
    case 'template_category':
      await applyTemplateEvent(tx, event, now);
      return true;
    case 'phone_quality':
    case 'business_capability':
    case 'account_update':
    case 'account_alert':
      await applyAccountEvent(tx, event, now);
      return true;
    case 'unhandled':
      return false;
    default:
      return assertNever(event, 'WhatsApp event');
  }
}
