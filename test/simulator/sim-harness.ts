// Shared set-up for the simulator tests: a simulator on the manual clock, Graph calls through its Hono
// app (no ports), and readers that flatten the webhooks it delivered.

import { createSimulator, type Simulator } from '../../src/simulator/create-simulator.ts';
import type { SimulatorOptions } from '../../src/simulator/simulator-options.ts';
import type { StatusValue, TemplateQualityValue, TemplateStatusValue, WebhookPayload } from '../../src/simulator/webhook-payloads.ts';

export const START = new Date('2026-09-15T09:00:00Z');
export const PHONE_ID = '106540352242922';
export const WABA_ID = '102290129340398';

export const MARKETING_TEMPLATE = {
  name: 'spring_sale',
  language: 'en_US',
  category: 'MARKETING',
  components: [{ type: 'BODY', text: 'Hi {{1}}, our spring collection is here. Reply STOP to opt out.' }],
};

export function makeSimulator(options: SimulatorOptions = {}): Simulator {
  return createSimulator({
    seed: 42,
    startAt: START,
    templates: [MARKETING_TEMPLATE],
    population: { notOnWhatsAppShare: 0 },
    webhookFaults: { duplicateRate: 0, reorderRate: 0, aggregateRate: 0 },
    ...options,
  });
}

export type GraphAnswer = { status: number; body: Record<string, unknown> };

export async function graph(sim: Simulator, method: string, path: string, body?: unknown, token: string | null = sim.accessToken): Promise<GraphAnswer> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== null) headers['authorization'] = `Bearer ${token}`;
  const response = await sim.app.request(`https://graph.facebook.com/v25.0${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

export function templateMessage(to: string, name: string, bodyParams: Array<Record<string, unknown>>, language = 'en_US') {
  return { messaging_product: 'whatsapp', recipient_type: 'individual', to, type: 'template', template: { name, language: { code: language }, components: [{ type: 'body', parameters: bodyParams }] } };
}

export const text = (value: string) => ({ type: 'text', text: value });

export function textMessage(to: string, body: string) {
  return { messaging_product: 'whatsapp', to, type: 'text', text: { body } };
}

export const send = (sim: Simulator, payload: unknown, phoneNumberId = PHONE_ID) => graph(sim, 'POST', `/${phoneNumberId}/messages`, payload);

export const errorCode = (answer: GraphAnswer) => (answer.body['error'] as { code?: number } | undefined)?.code ?? null;

/** Every change of every delivered payload, in delivery order. */
export function changes(payloads: readonly WebhookPayload[]) {
  return payloads.flatMap((payload) => payload.entry.flatMap((entry) => entry.changes));
}

export function statuses(sim: Simulator): StatusValue[] {
  return changes(sim.webhooks.delivered()).flatMap((change) => (change.field === 'messages' ? (change.value.statuses ?? []) : []));
}

export function templateStatusEvents(sim: Simulator): TemplateStatusValue[] {
  return changes(sim.webhooks.delivered()).flatMap((change) => (change.field === 'message_template_status_update' ? [change.value] : []));
}

export function templateQualityEvents(sim: Simulator): TemplateQualityValue[] {
  return changes(sim.webhooks.delivered()).flatMap((change) => (change.field === 'message_template_quality_update' ? [change.value] : []));
}

/** +55 11 9xxxx-xxxx numbers (Brazil: per-user marketing cap active, not US). */
export const brazilNumber = (index: number) => `+55119${String(10_000_000 + index).padStart(8, '0')}`;
