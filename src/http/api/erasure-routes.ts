// REST API route: erase a contact's personal data (a privacy-law request). The contact keeps its id
// and consent ledger; its number goes on the erasure list as a keyed hash (actions/erase-contact.ts).

import { eraseContact } from '../../actions/erase-contact.ts';
import type { WhatsAppDeps } from '../../deps.ts';
import { idParam, type ApiRouter } from './api-kit.ts';
import { apiActor } from './audit-actor.ts';
import type { ApiEnvironment } from './status-routes.ts';

export function erasureRoutes(api: ApiRouter, deps: WhatsAppDeps, _environment: ApiEnvironment): void {
  api.route({
    method: 'post', path: '/contacts/:id/erase', tag: 'contacts', summary: 'Erase the contact\'s personal data everywhere; the number is never messaged again (the consent ledger stays as evidence)',
    params: idParam,
    responses: { 200: '{ contactId, erasedAt, erased (false: erased before, nothing changed), identitiesListed, cleared }', 400: 'Not a contact id', 404: 'No such contact' },
  }, async ({ c, params }) => ({ status: 200, body: await eraseContact(deps, { contactId: params.id }, apiActor(c)) }));
}
