// One request to a tracked link: the target URL to redirect to, with a clicks row for a person's
// click. Link-preview fetchers get the target but no row (domain/tracked-links.ts says why); a
// malformed or unknown token gets null and records nothing.

import { isLinkPreviewFetcher, isValidToken } from '../domain/tracked-links.ts';
import { findClickLinkUrl, insertClickForToken } from '../store/click-links.ts';
import type { Db } from '../store/db.ts';

// Enough for any real browser's user agent; a client sending 16 kB of header must not fill the table.
const MAX_USER_AGENT_CHARS = 512;

export async function recordClick(db: Db, token: string, request: { userAgent: string | null }, now: Date): Promise<string | null> {
  // Malformed tokens never reach the database: the answer is the same 404 as for an unknown one.
  if (!isValidToken(token)) return null;
  if (isLinkPreviewFetcher(request.userAgent)) return findClickLinkUrl(db, token);
  const userAgent = request.userAgent === null || request.userAgent === '' ? null : request.userAgent.slice(0, MAX_USER_AGENT_CHARS);
  return insertClickForToken(db, { token, clickedAt: now, userAgent });
}

