// SQL the campaign estimate needs beyond the dispatcher's own loaders: the A/B variant launch would give
// each contact, by launch's own expression (campaign-messages.ts variantChoiceSql), so the estimate
// splits the audience exactly as launch will. Reads only.

import { variantChoiceSql } from './campaign-messages.ts';
import type { Db } from './db.ts';

export type EstimateVariant = { template: string; weight: number };

/** The template planCampaignMessages would assign each contact; one statement per page. */
export async function launchVariantTemplates(db: Db, campaignId: number, variants: readonly EstimateVariant[], contactIds: readonly number[]): Promise<Map<number, string>> {
  const last = variants.at(-1);
  if (last === undefined) return new Map();
  if (variants.length === 1 || contactIds.length === 0) return new Map(contactIds.map((id) => [id, last.template]));
  const rows = await db.query<{ id: number; template: string }>(
    `select id, ${variantChoiceSql(variants, 'id', '$3')} as template from unnest($2::bigint[]) as id`,
    [campaignId, contactIds, JSON.stringify(variants.map((variant) => variant.template))],
  );
  return new Map(rows.map((row) => [row.id, row.template]));
}
