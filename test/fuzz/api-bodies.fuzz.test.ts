// Guarantee: no request body can make the API answer 500 or write half a thing. Any JSON (and any
// bytes) sent to the writing routes gets a 2xx or a 4xx with { error: { code, message } }; a 4xx writes
// no campaign, consent event or message; a JSON body over 1 MB is refused with 413 PAYLOAD_TOO_LARGE.

import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_JSON_BODY_BYTES } from '../../src/http/api/api-kit.ts';
import { createApiHarness, type ApiCall, type ApiHarness } from '../helpers/api-harness.ts';
import { campaignDocument, MIXED_AUDIENCE } from '../helpers/campaign-harness.ts';
import { testBackends } from '../helpers/test-backends.ts';
import { mutatedJson } from './mutate-json.ts';

const ORDER_UPDATE = JSON.parse(readFileSync(new URL('../../templates/starter/order_update.en.json', import.meta.url), 'utf8')) as unknown;

async function rowCounts(h: ApiHarness): Promise<Record<string, number>> {
  const [row] = await h.db.query<Record<string, number>>('select (select count(*) from campaigns)::int as campaigns, (select count(*) from consent_events)::int as consent_events, (select count(*) from messages)::int as messages');
  return Object.fromEntries(Object.entries(row!).map(([key, value]) => [key, Number(value)]));
}

function expectClearAnswer(answer: ApiCall, what: string): void {
  expect(answer.status, `${what} → ${answer.status} ${answer.text.slice(0, 300)}`).toBeLessThan(500);
  if (answer.status >= 400) {
    expect(answer.body, `${what} → ${answer.text.slice(0, 300)}`).toMatchObject({ error: { code: expect.stringMatching(/^[A-Z_]+$/) as string, message: expect.stringMatching(/\S/) as string } });
  }
}

describe.each(testBackends)('API request bodies under fuzzing on %s', (kind) => {
  it('answers any body on the writing routes with 2xx or a clear 4xx, never 500, and a 4xx writes nothing (250 runs)', async () => {
    const h = await createApiHarness(kind);
    await h.addPeople([...MIXED_AUDIENCE]);
    const [contact] = await h.db.query<{ id: number }>('select id from contacts order by id limit 1');
    const contactId = Number(contact!.id);
    const valid: Record<string, unknown> = {
      '/api/campaigns': campaignDocument(),
      '/api/templates/lint': ORDER_UPDATE,
      '/api/templates/preview': { name: 'winter_sale', language: 'en_US', contactId, variables: { '1': 'Ana' } },
      [`/api/contacts/${contactId}/opt-in`]: { category: 'marketing', source: 'web-form', proof: 'checkbox ticked at checkout' },
      '/api/messages': { contactId, text: 'Hello there' },
    };
    const path = fc.oneof(fc.constantFrom(...Object.keys(valid)), fc.constantFrom('/api/contacts/0/opt-in', '/api/contacts/-1/opt-in', '/api/contacts/abc/opt-in', '/api/contacts/99999999999999999999/opt-in', '/api/contacts/1e3/opt-in'));
    const body = fc.oneof(
      { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((json) => ({ json })) },
      { weight: 3, arbitrary: mutatedJson(Object.values(valid)).map((json) => ({ json })) },
      { weight: 1, arbitrary: fc.string({ maxLength: 200 }).map((raw) => ({ raw })) },
    );
    await fc.assert(
      fc.asyncProperty(path, body, fc.boolean(), async (target, input, withKey) => {
        const before = await rowCounts(h);
        const headers = withKey ? { 'idempotency-key': `fuzz-${Math.random()}` } : undefined;
        const answer = 'raw' in input
          ? await h.call('POST', target, { rawBody: input.raw, contentType: 'application/json', headers })
          : await h.call('POST', target, { body: input.json === undefined ? null : input.json, headers });
        expectClearAnswer(answer, `POST ${target} ${JSON.stringify(input).slice(0, 300)}`);
        if (answer.status >= 400) expect(await rowCounts(h)).toEqual(before);
      }),
      { numRuns: 250 },
    );
  }, 120_000);

  it('refuses a JSON body over 1 MB on every writing route with 413 PAYLOAD_TOO_LARGE and writes nothing', async () => {
    const h = await createApiHarness(kind);
    await h.addPeople([...MIXED_AUDIENCE]);
    const before = await rowCounts(h);
    const huge = { ...campaignDocument(), name: 'x'.repeat(MAX_JSON_BODY_BYTES) };
    for (const target of ['/api/campaigns', '/api/templates/lint', '/api/templates/preview', '/api/contacts/1/opt-in', '/api/messages']) {
      const answer = await h.call('POST', target, { body: huge });
      expect(answer.status, target).toBe(413);
      expect(answer.body).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE', message: expect.stringMatching(/\S/) as string } });
    }
    expect(await rowCounts(h)).toEqual(before);
  }, 120_000);
});
