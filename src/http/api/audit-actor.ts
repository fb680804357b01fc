// Who made an API request, for the audit log: the token requireApiToken matched (its id and label).
// A route reached without it is a wiring mistake, not a user error, so it fails loudly.

import type { Context } from 'hono';
import type { AuditActor } from '../../actions/record-audit-event.ts';

export function apiActor(c: Context): AuditActor {
  const token = c.get('apiToken');
  if (!token) throw new Error('apiActor: the request did not pass requireApiToken');
  return { type: 'api_token', tokenId: token.id, label: token.label };
}
