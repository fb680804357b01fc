// After a crash of the only process on an embedded (PGlite) database — killed, out of memory, the
// machine restarted — the dead process's claims would hold its messages and webhooks until their
// leases run out (a minute). The directory lock admits one process at a time, so at start every claim
// is a dead one's: released at once, with the same rules as a worker handing back its own.

import type { Deps } from '../deps.ts';
import { EVERY_OWNER, releaseLeases } from '../store/campaign-messages.ts';
import { releaseWebhookClaims } from '../store/webhook-events.ts';

export async function recoverEmbeddedClaims(deps: Deps): Promise<{ requeued: number; unknown: number; webhooks: number }> {
  if (deps.db.kind !== 'pglite') throw new Error('recoverEmbeddedClaims: other processes may hold PostgreSQL claims; their leases expire instead');
  const messages = await releaseLeases(deps.db, EVERY_OWNER, deps.clock.now());
  const webhooks = await releaseWebhookClaims(deps.db);
  const recovered = { ...messages, webhooks };
  if (messages.requeued + messages.unknown + webhooks > 0) deps.log.warn('serve.recovered_claims', { ...recovered, note: 'a previous process stopped without handing these back; messages that may have left are unknown, never resent' });
  return recovered;
}
