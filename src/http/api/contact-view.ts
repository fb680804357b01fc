// The JSON the API gives for one contact: who they are, their consent now and the ledger behind it,
// what stops messages to them, and whether a customer service window is open. Read-only.

import type { WhatsAppDeps } from '../../deps.ts';
import { deriveConsent } from '../../domain/consent.ts';
import { serviceWindowStatus } from '../../domain/service-window-status.ts';
import { AppError } from '../../errors.ts';
import { listConsentEvents } from '../../store/consent-events.ts';
import { findContactsByIds } from '../../store/contacts.ts';
import { findLatestServiceWindow } from '../../store/conversations.ts';
import { listActiveSuppressions } from '../../store/suppressions.ts';

export async function contactDetail(deps: WhatsAppDeps, id: number) {
  const contact = (await findContactsByIds(deps.db, [id])).get(id);
  if (!contact) throw new AppError('NOT_FOUND', `no contact with id ${id}`);
  const now = deps.clock.now();
  const [events, suppressions, window] = await Promise.all([listConsentEvents(deps.db, id), listActiveSuppressions(deps.db, id, now), findLatestServiceWindow(deps.db, id)]);
  const consent = deriveConsent(events);
  return {
    contact: {
      id: contact.id, phone: contact.phone, name: contact.name, language: contact.language, country: contact.country, timeZone: contact.timeZone,
      tags: contact.tags, marketing: consent.marketing.state, utility: consent.utility.state, createdAt: contact.createdAt,
      waId: contact.waId, attributes: contact.attributes,
    },
    consent,
    // Newest first: the latest event is the one in force (domain/consent.ts).
    history: events.map((event) => ({ id: event.id, kind: event.kind, category: event.category, source: event.source, proof: event.proof, occurredAt: event.occurredAt, recordedAt: event.recordedAt })).reverse(),
    suppressions: suppressions.map((suppression) => ({ reason: suppression.reason, scope: suppression.scope, source: suppression.source, createdAt: suppression.createdAt, until: suppression.until })),
    serviceWindow: serviceWindowStatus(window?.lastInboundAt ?? null, now),
  };
}
