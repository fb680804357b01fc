// Records one entry in the audit log for something a person did (launch, pause, consent, export,
// erasure). Entry points call it after the action succeeded, naming the actor: the API token that
// authenticated the request, or 'cli'. A failed action leaves no entry: the log lists what happened.

import type { Clock } from '../lib/clock.ts';
import { insertAuditEvent, type AuditActor, type AuditEventInput } from '../store/audit-events.ts';
import type { Db } from '../store/db.ts';

export type { AuditActor } from '../store/audit-events.ts';

export const CLI_ACTOR: AuditActor = { type: 'cli' };

export async function recordAuditEvent(deps: { db: Db; clock: Clock }, actor: AuditActor, event: AuditEventInput): Promise<void> {
  await insertAuditEvent(deps.db, actor, event, deps.clock.now());
}
