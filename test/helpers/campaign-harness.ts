// Shared set-up for campaign tests: a database, the simulator on its manual clock, the real Cloud client,
// receiver and webhook processor, a synced sender and templates, contacts with consent, and a dispatcher
// whose waits move the simulated clock.

import { addSender } from '../../src/actions/add-sender.ts';
import { processWebhookEvents } from '../../src/actions/process-webhook-events.ts';
import { syncSender } from '../../src/actions/sync-sender.ts';
import { syncTemplates } from '../../src/actions/sync-templates.ts';
import { loadConfig } from '../../src/config.ts';
import type { WhatsAppDeps } from '../../src/deps.ts';
import { createDispatcher, type DispatchTotals } from '../../src/dispatch/dispatcher.ts';
import type { ConsentEvent } from '../../src/domain/consent.ts';
import { loadDefaultRateCard } from '../../src/domain/rate-card.ts';
import { createHttpApp } from '../../src/http/app.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { createSimulator, type Simulator } from '../../src/simulator/create-simulator.ts';
import type { SimulatorOptions } from '../../src/simulator/simulator-options.ts';
import { insertConsentEventsByPhone } from '../../src/store/consent-events.ts';
import { upsertContacts } from '../../src/store/contacts.ts';
import type { Db, DbKind } from '../../src/store/db.ts';
import { findSenderByPhoneNumberId } from '../../src/store/senders.ts';
import { createCloudClient } from '../../src/whatsapp/client.ts';
import { parseWebhook } from '../../src/whatsapp/webhook.ts';
import { createTestDb } from './test-db.ts';

export const PHONE_ID = '106540352242922';
export const WABA_ID = '102290129340398';
// A Monday, 10:00 in Berlin.
export const START = new Date('2026-11-23T09:00:00Z');

export const SALE_TEMPLATES = [
  { name: 'winter_sale', language: 'en_US', category: 'MARKETING', components: [{ type: 'BODY', text: 'Hi {{1}}, our winter sale starts today: 20% off everything in store. Reply STOP to opt out.', example: { body_text: [['Ana']] } }] },
  { name: 'winter_sale', language: 'pt_BR', category: 'MARKETING', components: [{ type: 'BODY', text: 'Olá {{1}}, nossa liquidação de inverno começa hoje: 20% de desconto. Responda PARAR para sair.', example: { body_text: [['Ana']] } }] },
  { name: 'winter_sale_b', language: 'en_US', category: 'MARKETING', components: [{ type: 'BODY', text: 'Hello {{1}}! Winter sale: 20% off in store this week. Reply STOP to opt out.', example: { body_text: [['Ana']] } }] },
  {
    name: 'winter_sale_link', language: 'en_US', category: 'MARKETING',
    components: [
      { type: 'BODY', text: 'Hi {{1}}, our winter sale starts today: 20% off everything. Reply STOP to opt out.', example: { body_text: [['Ana']] } },
      { type: 'BUTTONS', buttons: [{ type: 'URL', text: 'See the offers', url: 'https://go.example.com/r/{{1}}', example: ['https://go.example.com/r/AbCdEf123456'] }] },
    ],
  },
];

/** serve's public address in these tests: tracked links point at /r/ there. */
export const PUBLIC_URL = 'https://go.example.com';

export type Person = { phone: string; name: string; language?: string; country?: string; timeZone?: string; marketing?: 'opted_in' | 'opted_out' | 'never'; tags?: string[] };

export type Harness = Awaited<ReturnType<typeof createCampaignHarness>>;

/** A German contact with a marketing opt-in on record, unless `extra` says otherwise. */
export const opted = (phone: string, name: string, extra: Partial<Person> = {}): Person => ({ phone, name, marketing: 'opted_in', country: 'DE', ...extra });

/**
 * The audience every rule has a say in: opted in (German, Brazilian in pt_BR, French with no French
 * variant), opted out, never consented, a US number; Ida (+4915112345006) is the one a test puts inside
 * her service window.
 */
export const MIXED_AUDIENCE: readonly Person[] = [
  opted('+4915112345001', 'Anna Schmidt'),
  opted('+4915112345002', 'Jonas Weber'),
  opted('+5511987654321', 'João Silva', { language: 'pt_BR', country: 'BR' }),
  opted('+4915112345003', 'Claire Martin', { language: 'fr_FR' }),
  { phone: '+4915112345004', name: 'Olaf Opted-Out', marketing: 'opted_out', country: 'DE' },
  { phone: '+4915112345005', name: 'Nina Never', marketing: 'never', country: 'DE' },
  opted('+12025550123', 'Sam US', { country: 'US' }),
  opted('+4915112345006', 'Ida Inwindow'),
];

export async function createCampaignHarness(kind: DbKind, options: { simulator?: SimulatorOptions; throughputShare?: number } = {}) {
  const db: Db = await createTestDb(kind);
  const receiver: { app: ReturnType<typeof createHttpApp> | null } = { app: null };
  const simulator: Simulator = createSimulator({
    seed: 7, startAt: START, accessToken: 'tok', appSecret: 'secret', templates: SALE_TEMPLATES,
    population: { notOnWhatsAppShare: 0 }, pacing: { enabled: false },
    webhookFaults: { duplicateRate: 0.05, reorderRate: 0.05, aggregateRate: 0.2 },
    webhook: { deliver: async (request) => ({ status: (await receiver.app!.request('/webhooks/whatsapp', { method: 'POST', headers: request.headers, body: request.body })).status }) },
    ...options.simulator,
  });
  const whatsapp = createCloudClient({ baseUrl: 'http://simulator.invalid', apiVersion: 'v25.0', accessToken: 'tok', fetch: simulator.fetch });
  const deps: WhatsAppDeps = { config: loadConfig({}, '/tmp'), db, clock: simulator.clock, log: silentLogger, whatsapp, parseWebhook };
  receiver.app = createHttpApp(deps, { webhook: { appSecret: 'secret', verifyToken: null } });
  const { sender } = await addSender(deps, { phoneNumberId: PHONE_ID, wabaId: WABA_ID, displayPhoneNumber: '15550783881', throughputShare: options.throughputShare ?? 0.8 });
  await syncSender(deps, sender);
  await syncTemplates(deps, WABA_ID);

  /** Webhooks the simulator delivered, stored and applied. */
  const drainWebhooks = async () => {
    while ((await processWebhookEvents(deps)).webhooks > 0);
  };
  // Simulated time moves only when a lane waits: the earliest waiting lane is woken first, as a real
  // clock would, and lanes busy with the database see the time others moved on to.
  const waiters: Array<{ at: number; wake: () => void }> = [];
  let driving = false;
  const drive = async () => {
    while (waiters.length > 0) {
      waiters.sort((a, b) => a.at - b.at);
      const ms = waiters[0]!.at - simulator.clock.now().getTime();
      if (ms > 0) await simulator.advance(ms);
      while (waiters.length > 0 && waiters[0]!.at <= simulator.clock.now().getTime()) waiters.shift()!.wake();
      await new Promise((resolve) => setImmediate(resolve));
    }
    driving = false;
  };
  const sleepUntil = (at: Date) =>
    new Promise<void>((wake) => {
      if (at.getTime() <= simulator.clock.now().getTime()) return wake();
      waiters.push({ at: at.getTime(), wake });
      if (!driving) {
        driving = true;
        setImmediate(() => void drive());
      }
    });
  const dispatcher = createDispatcher(deps, { rateCard: loadDefaultRateCard(), sleepUntil, random: () => 0.5, owner: 'test-worker', lateSlotToleranceMs: Number.POSITIVE_INFINITY, publicUrl: PUBLIC_URL });

  async function addPeople(people: readonly Person[]): Promise<void> {
    await upsertContacts(db, people.map((person) => ({
      phone: person.phone, name: person.name, language: person.language ?? 'en_US', country: person.country ?? null, timeZone: person.timeZone ?? null,
      timeZoneOverridden: person.timeZone !== undefined, lineType: 'mobile', attributes: {}, tags: person.tags ?? ['customers'],
    })), simulator.clock.now());
    const day = 24 * 60 * 60 * 1000;
    const events: Array<ConsentEvent & { phone: string }> = [];
    for (const person of people) {
      const base = { phone: person.phone, category: 'marketing' as const, source: 'test signup form', proof: 'Yes, send me offers on WhatsApp' };
      if (person.marketing === 'opted_in' || person.marketing === 'opted_out') events.push({ ...base, kind: 'opt_in', occurredAt: new Date(START.getTime() - 30 * day) });
      if (person.marketing === 'opted_out') events.push({ ...base, kind: 'opt_out', occurredAt: new Date(START.getTime() - day) });
    }
    await insertConsentEventsByPhone(db, events, simulator.clock.now());
    simulator.controls.optIn(people.filter((person) => person.marketing === 'opted_in').map((person) => person.phone));
  }

  /** Runs the dispatcher and the webhook processor until nothing is due, moving simulated time up to `untilMs` ahead. */
  async function runFor(ms: number, stepMs = 1_000): Promise<DispatchTotals> {
    const end = simulator.clock.now().getTime() + ms;
    const totals: DispatchTotals = { batches: 0, claimed: 0, sent: 0, skipped: 0, deferred: 0, failed: 0, unknown: 0 };
    while (simulator.clock.now().getTime() < end) {
      const once = await dispatcher.runOnce();
      for (const key of Object.keys(totals) as Array<keyof DispatchTotals>) totals[key] += once[key];
      await drainWebhooks();
      if (once.claimed === 0) await simulator.advance(Math.min(stepMs, end - simulator.clock.now().getTime()));
    }
    // One last look at the end time, as a running dispatcher would take.
    await drainWebhooks();
    const last = await dispatcher.runOnce();
    for (const key of Object.keys(totals) as Array<keyof DispatchTotals>) totals[key] += last[key];
    await drainWebhooks();
    return totals;
  }

  const senderRow = async () => (await findSenderByPhoneNumberId(db, PHONE_ID))!;
  return { db, deps, simulator, dispatcher, addPeople, runFor, drainWebhooks, senderRow, sleepUntil };
}

export function campaignDocument(overrides: Record<string, unknown> = {}) {
  return {
    name: 'Winter sale', sender: PHONE_ID, template: 'winter_sale', defaultLanguage: 'en_US',
    audience: { tags: ['customers'] },
    variables: { body: { '1': { from: 'contact', field: 'first_name', fallback: 'there' } } },
    quietHours: false, canary: false, frequencyCap: false,
    ...overrides,
  };
}

export type MessageRow = { id: number; phone: string; dispatch_state: string; status: string; reason: string | null; via: string | null; language: string | null; wamid: string | null; due_at: Date; sent_at: Date | null; variant: string | null };

export async function campaignMessages(db: Db, campaignId: number): Promise<MessageRow[]> {
  return db.query<MessageRow>(
    `select m.id, c.phone, m.dispatch_state, m.status, m.reason, m.via, m.language, m.wamid, m.due_at, m.sent_at, m.variant
     from messages m join contacts c on c.id = m.contact_id where m.campaign_id = $1 order by m.id`,
    [campaignId],
  );
}
