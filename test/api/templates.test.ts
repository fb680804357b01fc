// The templates API against the simulator, on every engine: list and show what is stored, lint a
// definition before Meta sees it, submit (refused when lint finds errors or Meta already has it), sync,
// and preview as a chat bubble. Every route: its answer, bad input (400 with the field), a wrong token
// (401), an unknown name (404) and a refused state (409) where it has one.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createApiHarness, type ApiHarness } from '../helpers/api-harness.ts';
import { MIXED_AUDIENCE, WABA_ID } from '../helpers/campaign-harness.ts';
import { testBackends } from '../helpers/test-backends.ts';

const ORDER_UPDATE = JSON.parse(readFileSync(new URL('../../templates/starter/order_update.en.json', import.meta.url), 'utf8')) as Record<string, unknown>;

/** A marketing template whose body starts with a variable: Meta rejects it (VARIABLE_AT_EDGE, §4.2). */
const DANGLING = {
  name: 'dangling_start', language: 'en_US', category: 'MARKETING',
  components: [{ type: 'BODY', text: '{{1}}, our spring sale starts today. Reply STOP to opt out.', example: { body_text: [['Ana']] } }],
};

async function contactId(h: ApiHarness, phone: string): Promise<number> {
  const [row] = await h.db.query<{ id: number }>('select id from contacts where phone = $1', [phone]);
  return row!.id;
}

describe.each(testBackends)('templates API on %s', (kind) => {
  it('GET /api/templates lists every synced variant with Meta’s status and its components, and filters by status', async () => {
    const h = await createApiHarness(kind);
    const all = await h.call('GET', '/api/templates');
    expect(all.status).toBe(200);
    expect(all.body.items.map((item: any) => `${item.name}/${item.language}`)).toEqual(['winter_sale/en_US', 'winter_sale/pt_BR', 'winter_sale_b/en_US', 'winter_sale_link/en_US']);
    expect(all.body.items[0]).toMatchObject({ category: 'MARKETING', status: 'APPROVED', qualityScore: expect.any(String), components: [{ type: 'BODY', text: expect.stringMatching(/^Hi \{\{1\}\}/) }] });
    expect(all.body.items[0].definition).toMatchObject({ name: 'winter_sale', language: 'en_US', category: 'MARKETING' });
    expect((await h.call('GET', '/api/templates?status=REJECTED')).body.items).toEqual([]);
  });

  it('GET /api/templates refuses a malformed status filter (400 naming status) and a wrong token (401)', async () => {
    const h = await createApiHarness(kind);
    const bad = await h.call('GET', '/api/templates?status=approved!');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'INVALID_INPUT', field: 'status' });
    expect((await h.call('GET', '/api/templates', { token: 'glt_wrong' })).status).toBe(401);
  });

  it('GET /api/templates/:name shows the template in every language with its history; 404 for an unknown name, 400 for a malformed one, 401 without a valid token', async () => {
    const h = await createApiHarness(kind);
    const shown = await h.call('GET', '/api/templates/winter_sale');
    expect(shown.status).toBe(200);
    expect(shown.body.name).toBe('winter_sale');
    expect(shown.body.languages.map((variant: { language: string }) => variant.language)).toEqual(['en_US', 'pt_BR']);
    expect(shown.body.languages[0].history.length).toBeGreaterThan(0);
    const missing = await h.call('GET', '/api/templates/no_such_template');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('NOT_FOUND');
    const malformed = await h.call('GET', '/api/templates/Winter-Sale');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.field).toBe('name');
    expect((await h.call('GET', '/api/templates/winter_sale', { token: null })).status).toBe(401);
  });

  it('POST /api/templates/lint passes a clean definition and reports Meta’s errors with their rule and path, storing nothing', async () => {
    const h = await createApiHarness(kind);
    const clean = await h.call('POST', '/api/templates/lint', { body: ORDER_UPDATE });
    expect(clean.status).toBe(200);
    expect(clean.body).toMatchObject({ ok: true, findings: [], spam: { score: expect.any(Number), level: 'low', reasons: expect.any(Array) } });
    const dangling = await h.call('POST', '/api/templates/lint', { body: DANGLING });
    expect(dangling.status).toBe(200);
    expect(dangling.body.ok).toBe(false);
    expect(dangling.body.findings).toContainEqual(expect.objectContaining({ severity: 'error', rule: 'VARIABLE_AT_EDGE', path: 'body', message: expect.any(String) }));
    expect((await h.call('GET', '/api/templates/dangling_start')).status).toBe(404);
  });

  it('POST /api/templates/lint answers a malformed definition with 400 naming the field, and a wrong token with 401', async () => {
    const h = await createApiHarness(kind);
    const noBody = await h.call('POST', '/api/templates/lint', { body: { ...DANGLING, components: [{ type: 'FOOTER', text: 'Reply STOP' }] } });
    expect(noBody.status).toBe(400);
    expect(noBody.body.error).toMatchObject({ code: 'INVALID_INPUT', field: 'components' });
    const badButton = await h.call('POST', '/api/templates/lint', { body: { ...DANGLING, components: [DANGLING.components[0], { type: 'BUTTONS', buttons: [{ type: 'URL', text: 'Go' }] }] } });
    expect(badButton.status).toBe(400);
    expect(badButton.body.error.field).toBe('components[1].buttons[0].url');
    const notObject = await h.call('POST', '/api/templates/lint', { body: ['not', 'a', 'template'] });
    expect(notObject.body.error.field).toBe('body');
    expect((await h.call('POST', '/api/templates/lint', { body: ORDER_UPDATE, token: 'glt_wrong' })).status).toBe(401);
  });

  it('POST /api/templates submits a clean definition to Meta (201) and then refuses it again with 409, since Meta keeps one variant per name and language', async () => {
    const h = await createApiHarness(kind);
    const submitted = await h.call('POST', '/api/templates', { body: ORDER_UPDATE });
    expect(submitted.status).toBe(201);
    expect(submitted.body).toMatchObject({ template: { name: 'order_update', language: 'en', category: 'UTILITY', wabaId: WABA_ID }, categoryChanged: false, findings: [], spam: { level: 'low' } });
    expect(h.simulator.templates.all().some((template) => template.name === 'order_update')).toBe(true);
    const again = await h.call('POST', '/api/templates', { body: ORDER_UPDATE });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('INVALID_STATE');
  });

  it('POST /api/templates refuses a template Meta already has (409), one with lint errors (422 TEMPLATE_INVALID, nothing sent), a malformed one (400) and a wrong token (401)', async () => {
    const h = await createApiHarness(kind);
    const known = await h.call('GET', '/api/templates/winter_sale');
    const existing = { ...known.body.languages[0].definition };
    const taken = await h.call('POST', '/api/templates', { body: existing });
    expect(taken.status).toBe(409);
    expect(taken.body.error.message).toMatch(/already at Meta/);
    const before = h.simulator.templates.all().length;
    const invalid = await h.call('POST', '/api/templates', { body: DANGLING });
    expect(invalid.status).toBe(422);
    expect(invalid.body.error).toMatchObject({ code: 'TEMPLATE_INVALID', message: expect.stringMatching(/VARIABLE_AT_EDGE/) });
    expect(h.simulator.templates.all()).toHaveLength(before);
    const malformed = await h.call('POST', '/api/templates', { body: { ...ORDER_UPDATE, category: 'PROMO' } });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.field).toBe('category');
    expect((await h.call('POST', '/api/templates', { body: ORDER_UPDATE, token: null })).status).toBe(401);
    expect(h.simulator.templates.all()).toHaveLength(before);
  });

  it('POST /api/templates and /sync take only a known sender’s WABA: 404 for another, 400 for a malformed id', async () => {
    const h = await createApiHarness(kind);
    const other = await h.call('POST', '/api/templates?wabaId=999999', { body: ORDER_UPDATE });
    expect(other.status).toBe(404);
    const malformed = await h.call('POST', '/api/templates/sync?wabaId=waba-1');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.field).toBe('wabaId');
    expect((await h.call('POST', '/api/templates/sync?wabaId=999999')).status).toBe(404);
  });

  it('POST /api/templates/sync reads Meta’s templates and reports what changed (nothing, right after the harness’s own sync); 401 with a wrong token', async () => {
    const h = await createApiHarness(kind);
    const synced = await h.call('POST', '/api/templates/sync');
    expect(synced.status).toBe(200);
    expect(synced.body).toEqual({ wabaId: WABA_ID, remote: 4, pages: 1, changes: [] });
    const template = h.simulator.templates.all().find((entry) => entry.name === 'winter_sale_b')!;
    h.simulator.controls.pauseTemplate(template.id);
    const changed = await h.call('POST', `/api/templates/sync?wabaId=${WABA_ID}`);
    expect(changed.body.changes).toContainEqual({ name: 'winter_sale_b', language: 'en_US', field: 'status', from: 'APPROVED', to: 'PAUSED' });
    expect((await h.call('POST', '/api/templates/sync', { token: 'glt_wrong' })).status).toBe(401);
  });

  it('POST /api/templates/preview shows the bubble in the contact’s language, says which variables showed an example, and takes values given in variables', async () => {
    const h = await createApiHarness(kind);
    await h.addPeople(MIXED_AUDIENCE);
    const joao = await contactId(h, '+5511987654321');
    const forJoao = await h.call('POST', '/api/templates/preview', { body: { name: 'winter_sale', contactId: joao } });
    expect(forJoao.status).toBe(200);
    expect(forJoao.body).toMatchObject({ language: 'pt_BR', bubble: { header: null, body: expect.stringMatching(/^Olá Ana, nossa liquidação/), footer: null, buttons: [] }, missing: ['1'] });
    const given = await h.call('POST', '/api/templates/preview', { body: { name: 'winter_sale', language: 'en_US', variables: { '1': 'Zoe' } } });
    expect(given.body).toMatchObject({ language: 'en_US', bubble: { body: expect.stringMatching(/^Hi Zoe, our winter sale/) }, missing: [] });
    const link = await h.call('POST', '/api/templates/preview', { body: { name: 'winter_sale_link' } });
    expect(link.body.bubble.buttons).toEqual([{ type: 'URL', text: 'See the offers' }]);
  });

  it('POST /api/templates/preview fills named variables from the contact, with the header and footer as their own parts', async () => {
    const h = await createApiHarness(kind);
    await h.addPeople(MIXED_AUDIENCE);
    expect((await h.call('POST', '/api/templates', { body: ORDER_UPDATE })).status).toBe(201);
    const anna = await contactId(h, '+4915112345001');
    const preview = await h.call('POST', '/api/templates/preview', { body: { name: 'order_update', contactId: anna } });
    expect(preview.status).toBe(200);
    expect(preview.body.bubble).toEqual({
      header: { type: 'text', text: 'Update on your order' },
      body: 'Hi Anna, your order SH-48213 is on its way. Estimated delivery: March 20, 2026. You can follow every step with the button below.',
      footer: 'Questions? Just reply to this message.',
      buttons: [{ type: 'URL', text: 'Track your order' }],
    });
    expect(preview.body.missing).toEqual(['order_number', 'order_status', 'delivery_date']);
  });

  it('POST /api/templates/preview answers 404 for an unknown template, language or contact, 400 naming a bad field, and 401 without a valid token', async () => {
    const h = await createApiHarness(kind);
    for (const body of [{ name: 'no_such_template' }, { name: 'winter_sale', language: 'de_DE' }, { name: 'winter_sale', contactId: 999_999 }]) {
      const missing = await h.call('POST', '/api/templates/preview', { body });
      expect(missing.status, JSON.stringify(body)).toBe(404);
      expect(missing.body.error.code).toBe('NOT_FOUND');
    }
    const noName = await h.call('POST', '/api/templates/preview', { body: { language: 'en_US' } });
    expect(noName.status).toBe(400);
    expect(noName.body.error.field).toBe('name');
    const badContact = await h.call('POST', '/api/templates/preview', { body: { name: 'winter_sale', contactId: 'anna' } });
    expect(badContact.body.error.field).toBe('contactId');
    expect((await h.call('POST', '/api/templates/preview', { body: { name: 'winter_sale' }, token: 'glt_wrong' })).status).toBe(401);
  });
});
