// SQL for the languages an audience speaks: the distinct contact languages it selects, so the estimate
// lints only the template variants the campaign will really send. Reads only.

import { audienceWhere, type ResolvedAudience } from './audience.ts';
import type { Db } from './db.ts';

/** Each language once; null stands for contacts whose language is unknown (they get the campaign's default). */
export async function listAudienceLanguages(db: Db, audience: ResolvedAudience): Promise<Array<string | null>> {
  const where = audienceWhere(audience, 1);
  const rows = await db.query<{ language: string | null }>(`select distinct c.language from contacts c where ${where.sql} order by 1`, where.params);
  return rows.map((row) => row.language);
}
