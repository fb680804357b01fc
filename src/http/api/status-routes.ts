// GET /api/status: what the dashboard's banners need — is Greenlight talking to the simulator or to
// Meta, which database, and which campaigns a guard has paused.

import type { WhatsAppDeps } from '../../deps.ts';
import type { RateCard } from '../../domain/rate-card.ts';
import { listCampaigns } from '../../store/campaigns.ts';
import type { ApiRouter } from './api-kit.ts';

/** What the API knows about the process it runs in. */
export type ApiEnvironment = { mode: 'meta' | 'simulator'; rateCard: RateCard; publicUrl: string | null };

export function statusRoutes(api: ApiRouter, deps: WhatsAppDeps, environment: ApiEnvironment): void {
  api.route({ method: 'get', path: '/status', summary: 'Mode (Meta or simulator), database and the campaigns paused by a guard', tag: 'status', responses: { 200: 'The status' } }, async () => {
    const paused = await listCampaigns(deps.db, { states: ['paused'] });
    return {
      status: 200,
      body: {
        mode: environment.mode,
        database: deps.db.kind,
        guardPauses: paused.filter((campaign) => campaign.pauseReason !== 'manual').map((campaign) => ({ id: campaign.id, name: campaign.name, reason: campaign.pauseReason, detail: campaign.pauseDetail, action: campaign.pauseAction })),
      },
    };
  });
}
