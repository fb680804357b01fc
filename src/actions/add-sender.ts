// Adds a business phone number to send from. Validates what Meta's ids look like; the sender's
// health is read from Meta by syncSender.

import { AppError } from '../errors.ts';
import type { Clock } from '../lib/clock.ts';
import type { Db } from '../store/db.ts';
import { insertSender, type Sender } from '../store/senders.ts';

export type AddSenderInput = { phoneNumberId: string; wabaId: string; displayPhoneNumber?: string | null; throughputShare?: number; useMarketingMessagesApi?: boolean };

export async function addSender(deps: { db: Db; clock: Clock }, input: AddSenderInput): Promise<{ sender: Sender; created: boolean }> {
  if (!/^\d{5,20}$/.test(input.phoneNumberId)) throw new AppError('INVALID_INPUT', `phone number id "${input.phoneNumberId}" is not a Meta id (digits, from WhatsApp Manager → API setup)`);
  if (!/^\d{5,20}$/.test(input.wabaId)) throw new AppError('INVALID_INPUT', `WhatsApp Business Account id "${input.wabaId}" is not a Meta id (digits)`);
  const share = input.throughputShare ?? 0.8;
  // Leave room for replies: inbound and outbound share the number's throughput (whatsapp-rules.md §2).
  if (!(share > 0 && share <= 1)) throw new AppError('INVALID_INPUT', 'throughput share must be more than 0 and at most 1 (e.g. 0.8 leaves 20% for replies)');
  return insertSender(deps.db, { phoneNumberId: input.phoneNumberId, wabaId: input.wabaId, displayPhoneNumber: input.displayPhoneNumber ?? null, throughputShare: share, useMarketingMessagesApi: input.useMarketingMessagesApi ?? false }, deps.clock.now());
}
