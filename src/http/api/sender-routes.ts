// REST API routes: senders — the business phone numbers Greenlight sends from, with their health, the
// portfolio's messaging limit and the pace Greenlight keeps; and a sync of their health from Meta.

import { syncSender } from '../../actions/sync-sender.ts';
import type { WhatsAppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { findSenderById, listSenders, type Sender } from '../../store/senders.ts';
import { idParam, type ApiRouter } from './api-kit.ts';
import { senderView } from './sender-view.ts';
import type { ApiEnvironment } from './status-routes.ts';

const TAG = 'senders';

async function findSenderOr404(deps: WhatsAppDeps, id: number): Promise<Sender> {
  const sender = await findSenderById(deps.db, id);
  if (!sender) throw new AppError('NOT_FOUND', `no sender with id ${id}`);
  return sender;
}

export function senderRoutes(api: ApiRouter, deps: WhatsAppDeps, _environment: ApiEnvironment): void {
  api.route({
    method: 'get', path: '/senders', tag: TAG, summary: 'Every sender: health, messaging limit and its use, throughput and the last hour of sends',
    responses: { 200: '{ items: [Sender] }' },
  }, async () => {
    const senders = await listSenders(deps.db);
    return { status: 200, body: { items: await Promise.all(senders.map((sender) => senderView(deps, sender))) } };
  });

  api.route({
    method: 'get', path: '/senders/:id', tag: TAG, summary: 'One sender',
    params: idParam,
    responses: { 200: 'Sender', 400: 'Not a sender id', 404: 'No such sender' },
  }, async ({ params }) => ({ status: 200, body: await senderView(deps, await findSenderOr404(deps, params.id)) }));

  api.route({
    method: 'post', path: '/senders/:id/sync', tag: TAG, summary: "Read the sender's quality, throughput, messaging limit and health from Meta now",
    params: idParam,
    responses: { 200: 'Sender, as just synced', 400: 'Not a sender id', 404: 'No such sender', 500: "Meta's API refused or did not answer (see the server log)" },
  }, async ({ params }) => {
    const synced = await syncSender(deps, await findSenderOr404(deps, params.id));
    return { status: 200, body: await senderView(deps, synced) };
  });
}
