// The template file format against the built-in simulator: each definition goes out through the real
// Cloud client as toTemplateJson's create body, is reviewed by the simulated Meta, and comes back from
// listTemplates read by parseTemplateJson, equal to what was sent.

import { afterEach, describe, expect, it } from 'vitest';
import type { TemplateDefinition } from '../../src/domain/template.ts';
import { toTemplateJson } from '../../src/domain/template-json.ts';
import { createSimulator, type Simulator } from '../../src/simulator/create-simulator.ts';
import { createCloudClient, type CloudClient } from '../../src/whatsapp/client.ts';
import { authenticationTemplate, marketingTemplate, utilityTemplate } from '../helpers/template-fixtures.ts';

const marketing = marketingTemplate;
// The header text differs from the shared fixture's on purpose: a longer header still within Meta's 60 characters.
const utility: TemplateDefinition = { ...utilityTemplate, header: { format: 'TEXT', text: 'Pedido {{order_id}} enviado', examples: { order_id: '860198' } } };
const authentication = authenticationTemplate;

let sim: Simulator;
let client: CloudClient;

function start(preloaded: TemplateDefinition[] = []): { wabaId: string } {
  // A preloaded template skips creation and review: it tests the listing side alone.
  const templates = preloaded.map((template) => ({ ...toTemplateJson(template), parameterFormat: template.parameterFormat }));
  sim = createSimulator({ accessToken: 'tok', templateReviewDelayMs: 1000, startAt: new Date('2026-09-15T09:00:00Z'), templates });
  client = createCloudClient({ baseUrl: 'http://sim.invalid', apiVersion: 'v25.0', accessToken: 'tok', fetch: sim.fetch });
  return { wabaId: sim.phoneNumbers[0]?.wabaId ?? '' };
}

afterEach(async () => {
  await client.close();
  sim.close();
});

describe('template file format ↔ simulator', () => {
  it.each([
    ['marketing with an image header, quick replies and a URL button', marketing],
    ['utility with named parameters', utility],
  ])('creates, reviews and lists back the same definition: %s', async (_case, template) => {
    const { wabaId } = start();
    const created = await client.createTemplate(wabaId, template);
    expect([created.status, created.category]).toEqual(['PENDING', template.category]);
    await sim.advance(2000);
    const { templates } = await client.listTemplates(wabaId);
    expect(templates.map((remote) => [remote.name, remote.status])).toEqual([[template.name, 'APPROVED']]);
    expect(templates[0]?.template).toEqual(template);
  });

  it('creates both in one WABA and lists each back, in order', async () => {
    const { wabaId } = start();
    for (const template of [marketing, utility]) await client.createTemplate(wabaId, template);
    await sim.advance(2000);
    const { templates } = await client.listTemplates(wabaId);
    expect(templates.map((remote) => remote.template)).toEqual([marketing, utility]);
  });

  it('creates an authentication template, whose body Meta presets, and lists it back equal', async () => {
    const { wabaId } = start();
    await client.createTemplate(wabaId, authentication);
    await sim.advance(2000);
    const { templates } = await client.listTemplates(wabaId);
    expect(templates.map((remote) => remote.template)).toEqual([authentication]);
  });

  it('lists an authentication template back equal when it is already at the simulated Meta (preloaded, so creation is skipped)', async () => {
    const { wabaId } = start([authentication]);
    const { templates } = await client.listTemplates(wabaId);
    expect(templates.map((remote) => [remote.status, remote.template])).toEqual([['APPROVED', authentication]]);
  });
});
