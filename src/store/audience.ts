// SQL for a campaign's audience: its filters as one WHERE clause over contacts, parameterised, so the
// audience is selected set-based in the database (never contact by contact from Node).

import type { CampaignAudience } from '../domain/campaign-spec.ts';

/** An audience whose saved segment has been resolved into filters (actions/create-campaign.ts). */
export type ResolvedAudience = Omit<CampaignAudience, 'segment'>;

/**
 * `c` is the contacts alias. Parameters are numbered from `firstParam` so the clause can be placed
 * into a larger statement. Every filter given must hold, and an erased contact (erase-contact.ts) is
 * never in an audience: it has no number to send to, and listing it as a skipped recipient would keep
 * the erased person in every later campaign's report.
 */
export function audienceWhere(audience: ResolvedAudience, firstParam: number): { sql: string; params: unknown[] } {
  const clauses: string[] = ['c.erased_at is null'];
  const params: unknown[] = [];
  const param = (value: unknown): string => {
    params.push(value);
    return `$${firstParam + params.length - 1}`;
  };
  if (audience.tags && audience.tags.length > 0) clauses.push(`c.tags @> ${param(audience.tags)}::text[]`);
  if (audience.anyTags && audience.anyTags.length > 0) clauses.push(`c.tags && ${param(audience.anyTags)}::text[]`);
  if (audience.attributes && Object.keys(audience.attributes).length > 0) {
    // Imported attributes are text (contact-import-row.ts): compare as text, so {"vip": true} matches "true".
    const asText = Object.fromEntries(Object.entries(audience.attributes).map(([key, value]) => [key, String(value)]));
    clauses.push(`c.attributes @> ${param(JSON.stringify(asText))}::jsonb`);
  }
  if (audience.countries && audience.countries.length > 0) clauses.push(`c.country = any(${param(audience.countries)}::text[])`);
  if (audience.phones) clauses.push(`c.phone = any(${param(audience.phones)}::text[])`);
  return { sql: clauses.join(' and '), params };
}
