// Keeps the simulator honest (architecture guide §8.3): everything it answers and every webhook it sends must
// parse with the shared wire schemas (src/whatsapp/graph-wire.ts, webhook-wire.ts) and the webhook parser,
// and Greenlight's own Cloud client must work against it unchanged. A wrong shape here would fool both sides.

import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { TemplateDefinition } from '../../src/domain/template.ts';
import type { Simulator } from '../../src/simulator/create-simulator.ts';
import { createCloudClient } from '../../src/whatsapp/client.ts';
import {
  graphErrorBodySchema,
  graphHealthStatusResponseSchema,
  graphMediaUploadResponseSchema,
  graphPhoneNumberResponseSchema,
  graphSendMessageRequestSchema,
  graphSendMessageResponseSchema,
  graphSuccessResponseSchema,
  graphTemplateCreateResponseSchema,
  graphTemplateListResponseSchema,
  graphTemplateSchema,
} from '../../src/whatsapp/graph-wire.ts';
import { parseWebhook } from '../../src/whatsapp/webhook.ts';
import { knownWebhookPayloadSchema } from '../../src/whatsapp/webhook-wire.ts';
import { sendRequestSchema } from '../../src/simulator/graph-requests.ts';
import { brazilNumber, graph, makeSimulator, PHONE_ID, send, templateMessage, text, textMessage, WABA_ID } from './sim-harness.ts';
import { POSITIONAL_TEMPLATE_REQUEST } from '../helpers/meta-send-examples.ts';

const HOUR = 3_600_000;

function expectParses(schema: z.ZodType, value: unknown) {
  const result = schema.safeParse(value);
  expect(result.success ? null : result.error.issues, JSON.stringify(value).slice(0, 300)).toBeNull();
}

/** Exercises every kind of webhook: statuses (incl. failed), inbound, user_preferences, template status and quality. */
async function busyRun(): Promise<Simulator> {
  const sim = makeSimulator({ webhookFaults: { aggregateRate: 0.5, duplicateRate: 0.1, reorderRate: 0.1 } });
  await graph(sim, 'POST', `/${WABA_ID}/message_templates`, { name: 'adjacent', language: 'en_US', category: 'MARKETING', components: [{ type: 'BODY', text: 'Hi {{1}}{{2}} there.' }] });
  await graph(sim, 'POST', `/${WABA_ID}/message_templates`, { name: 'blast', language: 'pt_BR', category: 'MARKETING', components: [{ type: 'BODY', text: 'Oi {{1}}, MEGA SALE!!! LAST CHANCE, act now: bit.ly/x ok' }] });
  await sim.advance(60_000);
  for (let index = 0; index < 300; index += 1) {
    await send(sim, templateMessage(brazilNumber(index), 'blast', [text('Ana')], 'pt_BR'));
    if (index % 50 === 49) await sim.advance(1_000);
  }
  sim.controls.inbound({ from: brazilNumber(1), text: 'Quanto custa?' });
  await send(sim, textMessage(brazilNumber(1), 'R$ 10'));
  await send(sim, textMessage(brazilNumber(2), 'outside the window'));
  sim.controls.setMarketingPreference(brazilNumber(5), 'stop');
  await sim.advance(13 * HOUR);
  return sim;
}

describe('contract with the shared wire schemas', () => {
  it('sends only webhooks that parse with webhook-wire.ts and map to known events (no unhandled ones)', async () => {
    const sim = await busyRun();
    const payloads = sim.webhooks.delivered();
    const fields = new Set(payloads.flatMap((payload) => payload.entry.flatMap((entry) => entry.changes.map((change) => change.field))));
    expect([...fields].sort()).toEqual(['message_template_quality_update', 'message_template_status_update', 'messages', 'user_preferences']);
    const kinds = new Set<string>();
    for (const payload of payloads) {
      expectParses(knownWebhookPayloadSchema, payload);
      const parsed = parseWebhook(payload);
      expect(parsed.ok).toBe(true);
      if (parsed.ok) parsed.events.forEach((event) => kinds.add(event.kind === 'unhandled' ? `unhandled: ${event.reason}` : event.kind));
    }
    expect([...kinds].sort()).toEqual(['inbound_message', 'message_status', 'template_quality', 'template_status', 'user_preference']);
  });

  it('answers sends, errors, fields, health, templates and media in the shapes of graph-wire.ts', async () => {
    const sim = makeSimulator();
    expectParses(graphSendMessageResponseSchema, (await send(sim, templateMessage(brazilNumber(1), 'spring_sale', [text('Ana')]))).body);
    expectParses(graphErrorBodySchema, (await send(sim, templateMessage(brazilNumber(1), 'missing', []))).body);
    expectParses(graphErrorBodySchema, (await graph(sim, 'GET', `/${PHONE_ID}`, undefined, null)).body);
    const phone = (await graph(sim, 'GET', `/${PHONE_ID}?fields=id,display_phone_number,verified_name,quality_rating,throughput{level},whatsapp_business_manager_messaging_limit,status,name_status,platform_type`)).body;
    expectParses(graphPhoneNumberResponseSchema, phone);
    expect(phone).toEqual({
      id: PHONE_ID,
      display_phone_number: '15550783881',
      verified_name: 'Greenlight Demo',
      quality_rating: 'GREEN',
      throughput: { level: 'STANDARD' },
      whatsapp_business_manager_messaging_limit: 'TIER_2K',
      status: 'CONNECTED',
      name_status: 'APPROVED',
      platform_type: 'CLOUD_API',
    });
    expect((await graph(sim, 'GET', `/${PHONE_ID}?fields=quality_rating`)).body).toEqual({ quality_rating: 'GREEN', id: PHONE_ID });
    for (const node of [PHONE_ID, WABA_ID, sim.templates.list(WABA_ID)[0]?.id ?? '']) expectParses(graphHealthStatusResponseSchema, (await graph(sim, 'GET', `/${node}?fields=health_status`)).body);
    const created = (await graph(sim, 'POST', `/${WABA_ID}/message_templates`, { name: 'x_y', language: 'en', category: 'UTILITY', components: [{ type: 'BODY', text: 'Hi {{1}}, ok.' }] })).body;
    expectParses(graphTemplateCreateResponseSchema, created);
    expectParses(graphTemplateListResponseSchema, (await graph(sim, 'GET', `/${WABA_ID}/message_templates?limit=1`)).body);
    expectParses(graphTemplateSchema, (await graph(sim, 'GET', `/${String(created['id'])}?fields=id,name,language,status,category,quality_score,rejected_reason`)).body);
    expectParses(graphSuccessResponseSchema, (await graph(sim, 'DELETE', `/${WABA_ID}/message_templates?name=x_y`)).body);
    const form = new FormData();
    form.set('messaging_product', 'whatsapp');
    form.set('type', 'image/png');
    form.set('file', new Blob([new Uint8Array([137, 80, 78, 71])], { type: 'image/png' }), 'pixel.png');
    const upload = await sim.app.request(`/v25.0/${PHONE_ID}/media`, { method: 'POST', headers: { authorization: `Bearer ${sim.accessToken}` }, body: form });
    expectParses(graphMediaUploadResponseSchema, await upload.json());
  });

  it('accepts every send body that graph-wire.ts accepts', () => {
    const bodies = [
      textMessage('+5511987654321', 'hi'),
      templateMessage('+5511987654321', 'spring_sale', [text('Ana')]),
      { messaging_product: 'whatsapp', to: '+5511987654321', type: 'image', image: { id: '1339522734477770', caption: 'x' } },
      POSITIONAL_TEMPLATE_REQUEST,
    ];
    for (const body of bodies) {
      expect(graphSendMessageRequestSchema.safeParse(body).success).toBe(true);
      expect(sendRequestSchema.safeParse(body).success).toBe(true);
    }
  });

  it('serves Greenlight’s own Cloud client unchanged (the client pointed at the simulator)', async () => {
    const sim = makeSimulator();
    const client = createCloudClient({ baseUrl: 'https://simulator.local', apiVersion: 'v25.0', accessToken: sim.accessToken, fetch: sim.fetch, clock: sim.clock, sleep: () => Promise.resolve() });
    const result = await client.sendMessage(PHONE_ID, { to: brazilNumber(1), type: 'template', bizOpaqueCallbackData: 'outbox-1', template: { name: 'spring_sale', languageCode: 'en_US', body: [{ type: 'text', text: 'Ana' }], buttons: [] } });
    expect(result).toMatchObject({ ok: true, messageStatus: 'accepted', waId: brazilNumber(1).slice(1), route: 'cloud_api' });
    const refused = await client.sendMessage(PHONE_ID, { to: brazilNumber(1), type: 'template', template: { name: 'nope', languageCode: 'en_US', body: [], buttons: [] } });
    expect(refused).toMatchObject({ ok: false, httpStatus: 404, error: { code: 132001 } });
    expect(await client.getPhoneNumber(PHONE_ID)).toMatchObject({ id: PHONE_ID, qualityRating: 'GREEN', throughputLevel: 'STANDARD', messagingLimitTier: 'TIER_2K' });
    expect((await client.getHealthStatus(PHONE_ID)).canSendMessage).toBe('AVAILABLE');
    const welcome: TemplateDefinition = { name: 'welcome', language: 'en_US', category: 'UTILITY', parameterFormat: 'positional', header: null, body: { text: 'Hi {{1}}, welcome.', examples: { '1': 'Ana' } }, footer: null, buttons: [] };
    const created = await client.createTemplate(WABA_ID, welcome);
    expect(created.status).toBe('PENDING');
    await sim.advance(60_000);
    expect((await client.getTemplate(created.id)).status).toBe('APPROVED');
    const listed = await client.listTemplates(WABA_ID, { limit: 1 });
    expect(listed.templates).toHaveLength(1);
    expect(listed.after).not.toBeNull();
    const media = await client.uploadMedia(PHONE_ID, { bytes: new Uint8Array([1, 2, 3]), mimeType: 'image/png', fileName: 'a.png' });
    expect(media.id).toMatch(/^\d+$/);
    await client.deleteTemplate(WABA_ID, 'welcome');
    expect(sim.templates.find(WABA_ID, 'welcome', 'en_US')).toBeUndefined();
    await client.close();
  });
});
