// Meta's access token and the app secret are the keys to the business's WhatsApp account: with them
// anyone can send as the business or forge webhooks. Greenlight reads them from the environment and
// must never write them anywhere. This runs the built `serve` with both set to recognisable values at
// debug log level, sends a campaign (with Meta errors, so error paths log too), calls every GET route of
// the REST API, /metrics and the health checks, posts a forged webhook, stops, and then looks for either
// secret in everything written: the process's output, every answer, and every row of every table.
// Not stored at all is stronger than encrypted at rest: there is nothing in the database to decrypt.

import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createServeProcessHarness, sleep } from '../helpers/serve-process-harness.ts';

describe('Meta secrets', () => {
  it('Meta\'s access token and the app secret appear in no log line, no API answer, no metrics and no database row', async () => {
    const accessToken = `EAAG${randomBytes(24).toString('hex')}`;
    const appSecret = randomBytes(16).toString('hex');
    const h = await createServeProcessHarness({ recipients: 12, accessToken, appSecret, logLevel: 'debug' });
    try {
      // Error paths log too: a retried server error and a refused send.
      h.simulator.controls.failNextSends({ count: 2, code: 131000 });
      h.simulator.controls.failNextSends({ count: 1, code: 131008 });
      const serve = h.spawnServe();
      let progress = await h.answering(serve);
      for (let waited = 0; waited < 60_000 && progress.pending > 0; waited += 250) {
        await sleep(250);
        progress = await h.progress().catch(() => progress);
      }
      expect(progress.pending, 'the campaign finished').toBe(0);

      const answers: string[] = [];
      const { paths } = (await (await fetch(`${h.url}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
      const gets = Object.keys(paths).filter((path) => paths[path]!.get);
      expect(gets.length, 'the document lists the read routes').toBeGreaterThan(10);
      for (const path of gets) {
        const concrete = path.replace('{id}', String(h.campaignId)).replace('{contactId}', '1').replace('{name}', 'winter_sale');
        const response = await h.api('GET', concrete);
        answers.push(`${concrete} ${response.status} ${await response.text()}`);
      }
      for (const path of ['/metrics', '/healthz', '/readyz']) answers.push(`${path} ${await (await fetch(`${h.url}${path}`)).text()}`);
      // A forged webhook: refused, and the refusal logged without the secret it was checked against.
      const forged = await fetch(`${h.url}/webhooks/whatsapp`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': 'sha256=00' }, body: '{"object":"whatsapp_business_account","entry":[]}' });
      expect(forged.status).toBe(401);
      await h.stop(serve, 'SIGTERM');

      const output = h.output();
      expect(output, 'debug logging was on, so a leak would have been written').toContain('"level":"debug"');
      expect(answers.filter((answer) => / 200 /.test(answer)).length, 'the routes answered').toBeGreaterThan(10);
      const db = await h.openData();
      let rows = '';
      try {
        const tables = await db.query<{ name: string }>(`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`);
        for (const { name } of tables) {
          const [dump] = await db.query<{ text: string | null }>(`select string_agg(to_jsonb(t)::text, E'\\n') as text from "${name}" t`);
          rows += dump?.text ?? '';
        }
      } finally {
        await db.close();
      }
      expect(rows.includes('winter_sale'), 'the campaign left rows to search').toBe(true);
      for (const [name, secret] of [['access token', accessToken], ['app secret', appSecret]] as const) {
        expect(output.includes(secret), `the ${name} is not in serve's output`).toBe(false);
        expect(answers.filter((answer) => answer.includes(secret)), `the ${name} is in no answer`).toEqual([]);
        expect(rows.includes(secret), `the ${name} is in no database row`).toBe(false);
      }
    } finally {
      await h.close();
    }
  }, 120_000);
});
