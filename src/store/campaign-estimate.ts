// SQL the campaign estimate needs beyond the dispatcher's own loaders: the A/B variant launch would give
// each contact, by launch's own hash (campaign-messages.ts planCampaignMessages), so the estimate splits
// the audience exactly as launch will. Reads only.

import type { Db } from './db.ts';

export type EstimateVariant = { template: string; weight: number };

/*
 * launchVariantTemplates: the template planCampaignMessages would assign each contact. Launch buckets
 * a contact by (hashtext(campaign id || ':' || contact id) & 2147483647) / 2^31 and takes the first
 * variant whose cumulative weight share (written with 6 decimals) is above the bucket, else the last.
 * hashtext is Postgres's internal hash, not reproducible in Node, so the database computes the integer
 * and the same float8 division and comparisons run here. Must change together with planCampaignMessages.
 * Parameters: $1 the campaign id (as text, like launch), $2 the contact ids. One statement per page.
 */
export async function launchVariantTemplates(db: Db, campaignId: number, variants: readonly EstimateVariant[], contactIds: readonly number[]): Promise<Map<number, string>> {
  const last = variants.at(-1);
  if (last === undefined) return new Map();
  if (variants.length === 1 || contactIds.length === 0) return new Map(contactIds.map((id) => [id, last.template]));
  const rows = await db.query<{ id: number; hash: number }>(
    `select id, (hashtext($1::text || ':' || id::text) & 2147483647) as hash from unnest($2::bigint[]) as id`,
    [campaignId, contactIds],
  );
  const total = variants.reduce((sum, variant) => sum + variant.weight, 0);
  let cumulative = 0;
  const bounds = variants.map((variant) => Number((cumulative += variant.weight / total).toFixed(6)));
  const templates = new Map<number, string>();
  for (const row of rows) {
    const bucket = row.hash / 2147483648;
    const index = bounds.slice(0, -1).findIndex((bound) => bucket < bound);
    templates.set(row.id, (variants[index] ?? last).template);
  }
  return templates;
}
