// Links Greenlight hands on (a media link Meta fetches, a template header's media, a tracked link a
// customer opens) are refused at the API boundary when they point at an internal address, on every
// engine: Greenlight never fetches them itself, and such a link is never valid for Meta or a customer.

import { describe, expect, it } from 'vitest';
import { createApiHarness } from '../helpers/api-harness.ts';
import { campaignDocument, MIXED_AUDIENCE } from '../helpers/campaign-harness.ts';
import { testBackends } from '../helpers/test-backends.ts';

describe.each(testBackends)('internal links refused at the boundary on %s', (kind) => {
  it('POST /api/messages refuses a media link to the metadata address, loopback or a private network (400 media.link) and sends nothing', async () => {
    const h = await createApiHarness(kind);
    await h.addPeople(MIXED_AUDIENCE);
    const [ida] = await h.db.query<{ id: number }>("select id from contacts where phone = '+4915112345006'");
    for (const link of ['https://169.254.169.254/latest/meta-data/', 'https://[::1]/a.jpg', 'https://10.0.0.5/a.jpg', 'https://metadata.google.internal/x']) {
      const answer = await h.call('POST', '/api/messages', { body: { contactId: ida!.id, media: { type: 'image', link } } });
      expect(answer.status, link).toBe(400);
      expect(answer.body.error).toMatchObject({ code: 'INVALID_INPUT', field: 'media.link' });
    }
    expect(h.simulator.sent({ to: '+4915112345006' })).toEqual([]);
  });

  it('POST /api/campaigns refuses a tracked link or a header media link to an internal host (400) and creates nothing', async () => {
    const h = await createApiHarness(kind);
    await h.addPeople(MIXED_AUDIENCE);
    const tracked = await h.call('POST', '/api/campaigns', { body: campaignDocument({ link: { url: 'http://192.168.1.1/admin' } }) });
    expect(tracked.status).toBe(400);
    expect(tracked.body.error.message).toMatch(/private address/);
    const media = await h.call('POST', '/api/campaigns', { body: campaignDocument({ variables: { body: { '1': { from: 'constant', value: 'there' } }, headerMedia: { media: { link: 'https://127.0.0.1/banner.jpg' } } } }) });
    expect(media.status).toBe(400);
    expect(media.body.error.message).toMatch(/loopback/);
    expect((await h.db.query('select id from campaigns')).length).toBe(0);
  });
});
