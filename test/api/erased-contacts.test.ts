// An erased contact is gone from every list, on every engine: GET /api/contacts (items and total) and
// `greenlight contacts list` leave it out, and a campaign for {all: true} (or a tag it had) does not
// target it at all, rather than targeting it and skipping it. GET /api/contacts/:id still answers for
// its id, with the blank row, the consent ledger and the `erased` suppression (the evidence kept).

import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { createApiHarness, type ApiHarness } from '../helpers/api-harness.ts';
import { campaignDocument, MIXED_AUDIENCE } from '../helpers/campaign-harness.ts';
import { runCliCaptured } from '../helpers/cli-capture.ts';
import { testBackends } from '../helpers/test-backends.ts';

const ANNA = '+4915112345001';

async function eraseAnna(h: ApiHarness): Promise<number> {
  const [row] = await h.db.query<{ id: number }>('select id from contacts where phone = $1', [ANNA]);
  expect((await h.call('POST', `/api/contacts/${row!.id}/erase`)).status).toBe(200);
  return row!.id;
}

describe.each(testBackends)('erased contacts on %s', (kind) => {
  it('are left out of GET /api/contacts (items and total, with or without filters) and `greenlight contacts list`', async () => {
    const h = await createApiHarness(kind);
    await h.addPeople(MIXED_AUDIENCE);
    const before = await h.call('GET', '/api/contacts');
    expect(before.body.total).toBe(MIXED_AUDIENCE.length);
    const anna = await eraseAnna(h);

    const after = await h.call('GET', '/api/contacts');
    expect(after.body.total).toBe(MIXED_AUDIENCE.length - 1);
    expect(after.body.items.map((item: { id: number }) => item.id)).not.toContain(anna);
    for (const query of ['?consent=opted_out', '?tag=customers', `?after=${anna - 1}&limit=1`]) {
      const filtered = await h.call('GET', `/api/contacts${query}`);
      expect(filtered.status).toBe(200);
      expect(filtered.body.items.map((item: { id: number }) => item.id), query).not.toContain(anna);
    }

    const listed = await runCliCaptured(['contacts', 'list', '--json'], { cwd: tmpdir(), deps: h.deps });
    expect(listed.code, listed.err).toBe(0);
    const contacts = (JSON.parse(listed.out) as { contacts: Array<{ id: number }> }).contacts;
    expect(contacts).toHaveLength(MIXED_AUDIENCE.length - 1);
    expect(contacts.map((contact) => contact.id)).not.toContain(anna);
    const table = await runCliCaptured(['contacts', 'list'], { cwd: tmpdir(), deps: h.deps });
    expect(table.out.split('\n').filter((line) => new RegExp(`^${anna}\\s`).test(line))).toEqual([]);

    // The detail still answers for the id: a blank row, the ledger, and the erased suppression.
    const detail = await h.call('GET', `/api/contacts/${anna}`);
    expect(detail.status).toBe(200);
    expect(detail.body.contact).toMatchObject({ id: anna, phone: null, name: null, waId: null });
    expect(detail.body.suppressions).toEqual([expect.objectContaining({ reason: 'erased', scope: 'all' })]);
  });

  it('are not targeted by an {all: true} or tag audience: no message row, not even a skipped one, and the estimate does not count them', async () => {
    const h = await createApiHarness(kind);
    await h.addPeople(MIXED_AUDIENCE);
    const anna = await eraseAnna(h);
    for (const audience of [{ all: true }, { tags: ['customers'] }]) {
      const created = await h.call('POST', '/api/campaigns', { body: campaignDocument({ audience }) });
      expect(created.status, created.text).toBe(201);
      const id = created.body.campaign.id as number;
      const estimate = await h.call('POST', `/api/campaigns/${id}/estimate`);
      expect(estimate.status, estimate.text).toBe(200);
      expect(estimate.body.recipients, JSON.stringify(audience)).toBe(MIXED_AUDIENCE.length - 1);
      const launched = await h.call('POST', `/api/campaigns/${id}/launch`);
      expect(launched.status, launched.text).toBe(200);
      expect(launched.body.planned, JSON.stringify(audience)).toBe(MIXED_AUDIENCE.length - 1);
      expect(await h.db.query('select id from messages where campaign_id = $1 and contact_id = $2', [id, anna])).toEqual([]);
    }
  });
});
