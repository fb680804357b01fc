// Gives each message of a dispatcher batch its tracked-link token: one insert for the whole batch (up
// to 500 messages), and the same token again for a message that already has a link to that URL, so a
// deferred message sent on a later attempt keeps the link it may already have been sent with.

import { randomBytes } from 'node:crypto';
import { newToken, validateTargetUrl } from '../domain/tracked-links.ts';
import { AppError } from '../errors.ts';
import { insertClickLinks, type NewClickLink } from '../store/click-links.ts';
import type { Db } from '../store/db.ts';

// A collision needs two equal 71-bit tokens; more than one round of retries means something else is wrong.
const MAX_ROUNDS = 3;

/**
 * Token per message id. Every URL must pass validateTargetUrl (INVALID_INPUT names the message if one
 * does not); the normalised URL is what is stored and compared. A message listed twice must have the
 * same URL both times: one message has one tracked link.
 */
export async function createTrackedLinks(db: Db, links: ReadonlyArray<{ messageId: number; url: string }>, now: Date): Promise<Map<number, string>> {
  const wanted = new Map<number, string>();
  for (const link of links) {
    const target = validateTargetUrl(link.url);
    if (!target.ok) throw new AppError('INVALID_INPUT', `message ${link.messageId}: ${target.reason}`);
    const earlier = wanted.get(link.messageId);
    if (earlier !== undefined && earlier !== target.url) throw new AppError('INVALID_INPUT', `message ${link.messageId} was given two different links; a message has one tracked link`);
    wanted.set(link.messageId, target.url);
  }

  const tokens = new Map<number, string>();
  let pending: NewClickLink[] = [...wanted].map(([messageId, url]) => ({ messageId, url, token: newToken(randomBytes) }));
  for (let round = 0; pending.length > 0; round += 1) {
    if (round === MAX_ROUNDS) throw new Error(`createTrackedLinks: ${pending.length} links still without a token after ${MAX_ROUNDS} rounds`);
    for (const stored of await insertClickLinks(db, pending, now)) tokens.set(stored.messageId, stored.token);
    pending = pending.filter((link) => !tokens.has(link.messageId)).map((link) => ({ ...link, token: newToken(randomBytes) }));
  }
  return tokens;
}
