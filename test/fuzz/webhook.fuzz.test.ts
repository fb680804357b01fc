// Guarantee: whatever bytes reach the webhook, nothing crashes. parseWebhook is total (a typed result,
// never a throw) over any JSON and over Meta's real payloads mutated; POST /webhooks/whatsapp answers
// only 200, 400, 401 or 413 — never a 500, which Meta would redeliver for days (whatsapp-rules.md §6.4) —
// and stores a body only when it answered 200.

import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import type { Deps } from '../../src/deps.ts';
import { createHttpApp } from '../../src/http/app.ts';
import { createManualClock } from '../../src/lib/clock.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import type { Db } from '../../src/store/db.ts';
import { signPayload } from '../../src/whatsapp/signature.ts';
import { parseWebhook, type ParseWebhookResult } from '../../src/whatsapp/webhook.ts';
import { createTestDb } from '../helpers/test-db.ts';
import { testBackends } from '../helpers/test-backends.ts';
import { mutatedJson } from './mutate-json.ts';

const fixtureDir = new URL('../fixtures/meta/', import.meta.url);
const fixtures: unknown[] = readdirSync(fixtureDir).filter((file) => file.endsWith('.json')).map((file) => JSON.parse(readFileSync(new URL(file, fixtureDir), 'utf8')) as unknown);

function expectTypedResult(result: ParseWebhookResult): void {
  if (result.ok) {
    expect(Array.isArray(result.events)).toBe(true);
    for (const event of result.events) expect(typeof event.kind).toBe('string');
  } else {
    expect(result.reason).toMatch(/\S/);
  }
}

describe('parseWebhook under fuzzing', () => {
  it('returns a typed result and never throws for any JSON value (300 runs)', () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 6 }), (payload) => expectTypedResult(parseWebhook(payload))), { numRuns: 300 });
  });

  it('returns a typed result and never throws for any envelope with arbitrary entries (300 runs)', () => {
    const entry = fc.oneof(fc.jsonValue({ maxDepth: 4 }), fc.record({ id: fc.jsonValue({ maxDepth: 1 }), time: fc.jsonValue({ maxDepth: 1 }), changes: fc.array(fc.record({ field: fc.oneof(fc.string(), fc.constantFrom('messages', 'user_preferences', 'message_template_status_update', 'message_template_quality_update', 'template_category_update', 'phone_number_quality_update', 'business_capability_update', 'account_update', 'account_alerts', '__proto__', 'constructor')), value: fc.jsonValue({ maxDepth: 4 }) }, { requiredKeys: [] })) }, { requiredKeys: [] }));
    fc.assert(fc.property(fc.array(entry, { maxLength: 4 }), (entries) => expectTypedResult(parseWebhook({ object: 'whatsapp_business_account', entry: entries }))), { numRuns: 300 });
  });

  it(`returns a typed result and never throws for mutations of Meta's ${fixtures.length} real payloads (300 runs)`, () => {
    fc.assert(fc.property(mutatedJson(fixtures), (payload) => expectTypedResult(parseWebhook(payload))), { numRuns: 300 });
  });
});

const appSecret = 'fuzz-app-secret';
const encoder = new TextEncoder();

async function count(db: Db, table: string): Promise<number> {
  const [row] = await db.query<{ count: number }>(`select count(*)::int as count from ${table}`);
  return Number(row?.count ?? 0);
}

async function setup(kind: Parameters<typeof createTestDb>[0]) {
  const db = await createTestDb(kind);
  const deps: Deps = { config: loadConfig({}, '/tmp'), db, clock: createManualClock(new Date('2026-01-01T00:00:00Z')), log: silentLogger };
  const app = createHttpApp(deps, { webhook: { appSecret, verifyToken: 'verify-me' } });
  const post = (body: Uint8Array, signature: string | null) =>
    app.request('/webhooks/whatsapp', { method: 'POST', body, headers: { 'content-type': 'application/json', ...(signature === null ? {} : { 'x-hub-signature-256': signature }) } });
  return { db, post };
}

/** Bytes a webhook POST might carry: random bytes, random text, any JSON, and Meta's payloads mutated. */
const bodyBytes: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.uint8Array({ maxLength: 512 }),
  fc.string({ unit: 'binary', maxLength: 256 }).map((text) => encoder.encode(text)),
  fc.jsonValue({ maxDepth: 4 }).map((value) => encoder.encode(JSON.stringify(value))),
  mutatedJson(fixtures).map((value) => encoder.encode(JSON.stringify(value) ?? 'null')),
  mutatedJson(fixtures).map((value) => encoder.encode((JSON.stringify(value) ?? 'null').slice(0, -1))),
);

describe.each(testBackends)('POST /webhooks/whatsapp under fuzzing on %s', (kind) => {
  it('answers a validly signed body of any bytes with 200 (stored) or 400 (not JSON, nothing stored), never 500 (150 runs)', async () => {
    const { db, post } = await setup(kind);
    await fc.assert(
      fc.asyncProperty(bodyBytes, async (body) => {
        const before = await count(db, 'webhook_events');
        const response = await post(body, signPayload(body, appSecret));
        const text = await response.text();
        expect([200, 400], text).toContain(response.status);
        const after = await count(db, 'webhook_events');
        if (response.status === 400) {
          expect(JSON.parse(text)).toMatchObject({ error: { code: 'INVALID_JSON', message: expect.stringMatching(/\S/) as string } });
          expect(after).toBe(before);
        } else {
          expect(after - before).toBeLessThanOrEqual(1);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('refuses any body with a missing, malformed or wrong signature with 401 and stores nothing (100 runs)', async () => {
    const { db, post } = await setup(kind);
    const badSignature = fc.oneof(fc.constant(null), fc.string({ maxLength: 80 }), fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF'), minLength: 64, maxLength: 64 }).map((hex) => `sha256=${hex}`));
    await fc.assert(
      fc.asyncProperty(bodyBytes, badSignature, async (body, signature) => {
        fc.pre(signature === null || signature.toLowerCase() !== signPayload(body, appSecret));
        const response = await post(body, signature);
        expect(response.status).toBe(401);
        expect(await response.json()).toMatchObject({ error: { code: 'INVALID_SIGNATURE' } });
      }),
      { numRuns: 100 },
    );
    expect(await count(db, 'webhook_events')).toBe(0);
  });

  it('refuses a validly signed body over 3 MB with 413 and stores nothing', async () => {
    const { db, post } = await setup(kind);
    const body = encoder.encode(JSON.stringify({ object: 'whatsapp_business_account', entry: [], padding: 'x'.repeat(3 * 1024 * 1024) }));
    const response = await post(body, signPayload(body, appSecret));
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
    expect(await count(db, 'webhook_events')).toBe(0);
  });
});
