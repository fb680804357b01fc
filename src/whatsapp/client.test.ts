// The Cloud client against a real HTTP server: a tiny fake Graph endpoint on 127.0.0.1 (node:http, an
// ephemeral port) that records each request and answers as told. It checks the bytes on the wire, Meta's
// answers and failures as SendResult / GraphApiError, the MM API fallback, paging and the usage budget.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { toTemplateJson } from '../domain/template-json.ts';
import type { TemplateDefinition } from '../domain/template.ts';
import { AppError } from '../errors.ts';
import { createManualClock } from '../lib/clock.ts';
import type { OutboundMessage, SendFailed, SendResult } from '../ports.ts';
import { GraphApiError } from './client-http.ts';
import { createCloudClient, type CloudClient, type CloudClientOptions } from './client.ts';
import { graphSendMessageRequestSchema } from './graph-wire.ts';
import { POSITIONAL_TEMPLATE_REQUEST } from '../../test/helpers/meta-send-examples.ts';

type Recorded = { method: string; path: string; query: URLSearchParams; headers: IncomingHttpHeaders; body: string };
type Reply = { status?: number; json?: unknown; text?: string; headers?: Record<string, string>; delayMs?: number; destroy?: boolean };
type FakeGraph = { url: string; requests: Recorded[]; reply: (request: Recorded) => Reply; close(): Promise<void> };

async function startFakeGraph(): Promise<FakeGraph> {
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const recorded = { method: req.method ?? '', path: url.pathname, query: url.searchParams, headers: req.headers, body: Buffer.concat(chunks).toString('latin1') };
      fake.requests.push(recorded);
      const reply = fake.reply(recorded);
      if (reply.destroy) return void req.socket.destroy();
      const send = () => {
        res.writeHead(reply.status ?? 200, { 'content-type': reply.json === undefined ? 'text/plain' : 'application/json', ...reply.headers });
        res.end(reply.json === undefined ? (reply.text ?? '') : JSON.stringify(reply.json));
      };
      if (reply.delayMs === undefined) return send();
      const timer = setTimeout(send, reply.delayMs);
      timers.add(timer);
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const fake: FakeGraph = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: [],
    reply: () => ({ status: 404, json: { error: { message: 'Unknown path', code: 100 } } }),
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}

const TOKEN = 'EAAGm0PX4ZCpsBAtestTOKENsecret0123456789';
const PHONE = '106540352242922';
const WABA = '102290129340398';
const AT = new Date('2026-09-01T12:00:00Z');
const okSend = (status?: string): Reply => ({ json: { messaging_product: 'whatsapp', contacts: [{ input: '+16505551234', wa_id: '16505551234' }], messages: [{ id: 'wamid.HBgLMTY0NjcwNDM1OTUVAgARGBI4MjZGRDA0OUE2OTQ3RkEyMzcA', ...(status ? { message_status: status } : {}) }] } });
const metaError = (code: number, status = 400, details = 'details'): Reply => ({ status, json: { error: { message: `(#${code}) Error`, type: 'OAuthException', code, error_data: { messaging_product: 'whatsapp', details }, fbtrace_id: 'Az8' } } });
const springSale: TemplateDefinition = {
  name: 'spring_sale',
  language: 'pt_BR',
  category: 'MARKETING',
  parameterFormat: 'named',
  header: { format: 'IMAGE', exampleHandle: '4::aW1hZ2U=' },
  body: { text: 'Oi {{first_name}}, a coleção nova chegou.', examples: { first_name: 'Ana' } },
  footer: null,
  buttons: [
    { type: 'QUICK_REPLY', text: 'Quero ver' },
    { type: 'URL', text: 'Abrir', url: 'https://loja.example/{{1}}', example: 'https://loja.example/primavera' },
  ],
};
const template = (name = 'spring_sale'): OutboundMessage => ({ to: '+16505551234', type: 'template', template: { name, languageCode: 'en_US', body: [{ type: 'text', text: 'Ana' }], buttons: [] } });
/** The GraphApiError a management call threw; fails the test when it resolved or threw something else. */
async function graphErrorOf(call: Promise<unknown>): Promise<GraphApiError> {
  const outcome = await call.then(
    () => null,
    (caught: unknown) => caught,
  );
  if (!(outcome instanceof GraphApiError)) throw new Error(`expected a GraphApiError, got ${String(outcome)}`);
  return outcome;
}
const failed = (result: SendResult): SendFailed => {
  if (result.ok) throw new Error(`expected a failure, got ${result.wamid}`);
  return result;
};

let fake: FakeGraph;
let clients: CloudClient[] = [];
let sleeps: number[] = [];
const clock = createManualClock(AT);

function makeClient(overrides: Partial<CloudClientOptions> = {}): CloudClient {
  const client = createCloudClient({
    baseUrl: fake.url,
    apiVersion: 'v23.0',
    accessToken: TOKEN,
    clock,
    sleep: (ms) => {
      sleeps.push(ms);
      clock.advanceMs(ms);
      return Promise.resolve();
    },
    ...overrides,
  });
  clients.push(client);
  return client;
}

beforeAll(async () => {
  fake = await startFakeGraph();
});
afterAll(async () => {
  await fake.close();
});
afterEach(async () => {
  await Promise.all(clients.map((client) => client.close()));
  clients = [];
  sleeps = [];
  fake.requests = [];
  fake.reply = () => ({ status: 404 });
  clock.set(AT);
});

/** Sends one message with the fake answering `reply`, and returns the JSON body the fake received. */
async function sentBody(message: OutboundMessage): Promise<unknown> {
  fake.reply = () => okSend();
  const result = await makeClient().sendMessage(PHONE, message);
  expect(result.ok).toBe(true);
  return JSON.parse(fake.requests[0]?.body ?? 'null') as unknown;
}

describe('sendMessage: the request on the wire', () => {
  it('posts a text message to /{version}/{phone-number-id}/messages with the bearer token and a JSON body', async () => {
    const body = await sentBody({ to: '+16505551234', type: 'text', body: 'Hello', previewUrl: true, bizOpaqueCallbackData: 'msg-42', contextWamid: 'wamid.PREV' });
    const request = fake.requests[0];
    expect([request?.method, request?.path, request?.headers.authorization, request?.headers['content-type']]).toEqual(['POST', `/v23.0/${PHONE}/messages`, `Bearer ${TOKEN}`, 'application/json']);
    expect(body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '+16505551234',
      biz_opaque_callback_data: 'msg-42',
      context: { message_id: 'wamid.PREV' },
      type: 'text',
      text: { body: 'Hello', preview_url: true },
    });
  });

  it.each([
    ['adds "+" to a phone number written without it', '5511987654321', '+5511987654321'],
    ['keeps a phone number that already has "+"', '+5511987654321', '+5511987654321'],
    ['sends a BSUID as it is', 'US.13491208655302741918', 'US.13491208655302741918'],
  ])('%s', async (_case, to, expected) => {
    expect(await sentBody({ to, type: 'text', body: 'Hi' })).toMatchObject({ to: expected });
  });

  it.each<[string, OutboundMessage, unknown]>([
    ['an image by media id with a caption', { to: '+1', type: 'image', media: { id: '1339522734477770' }, caption: 'New!' }, { type: 'image', image: { id: '1339522734477770', caption: 'New!' } }],
    ['a document by link with a file name', { to: '+1', type: 'document', media: { link: 'https://cdn.example/a.pdf' }, filename: 'a.pdf' }, { type: 'document', document: { link: 'https://cdn.example/a.pdf', filename: 'a.pdf' } }],
    ['an audio without caption or file name', { to: '+1', type: 'audio', media: { id: '9' }, caption: 'ignored', filename: 'ignored.ogg' }, { type: 'audio', audio: { id: '9' } }],
  ])('sends %s', async (_case, message, expected) => {
    const body = await sentBody(message);
    expect(body).toMatchObject(expected as Record<string, unknown>);
    expect(graphSendMessageRequestSchema.safeParse(body).error).toBeUndefined();
  });

  it('sends the positional template of whatsapp-rules.md §5.1 byte for byte: media header, currency, date_time and three buttons', async () => {
    const body = await sentBody({
      to: '+5511987654321',
      type: 'template',
      template: {
        name: 'spring_sale',
        languageCode: 'pt_BR',
        header: { type: 'image', media: { id: '1339522734477770' } },
        body: [
          { type: 'text', text: 'Ana' },
          { type: 'currency', fallbackValue: '$100.99', code: 'USD', amount1000: 100990 },
          { type: 'date_time', fallbackValue: 'February 25, 1977' },
        ],
        buttons: [
          { subType: 'url', index: 0, text: 'promo-123' },
          { subType: 'quick_reply', index: 1, payload: 'STOP_PROMOS' },
          { subType: 'copy_code', index: 2, couponCode: '25OFF' },
        ],
      },
    });
    expect(body).toEqual(POSITIONAL_TEMPLATE_REQUEST);
  });

  it('sends named parameters with parameter_name, in the header and the body', async () => {
    const body = await sentBody({
      to: '+1',
      type: 'template',
      template: {
        name: 'order_update',
        languageCode: 'en',
        header: { type: 'text', text: 'Jessica', parameterName: 'first_name' },
        body: [{ type: 'text', text: 'SKBUP2-4CPIG9', parameterName: 'order_number' }],
        buttons: [],
      },
    });
    expect(body).toMatchObject({
      template: {
        name: 'order_update',
        language: { code: 'en' },
        components: [
          { type: 'header', parameters: [{ type: 'text', parameter_name: 'first_name', text: 'Jessica' }] },
          { type: 'body', parameters: [{ type: 'text', parameter_name: 'order_number', text: 'SKBUP2-4CPIG9' }] },
        ],
      },
    });
  });
});

describe('sendMessage: what Meta answered', () => {
  it.each(['accepted', 'held_for_quality_assessment', 'paused'])('returns the wamid, the wa_id and message_status "%s"', async (status) => {
    fake.reply = () => okSend(status);
    const result = await makeClient().sendMessage(PHONE, template());
    expect(result).toEqual({ ok: true, wamid: 'wamid.HBgLMTY0NjcwNDM1OTUVAgARGBI4MjZGRDA0OUE2OTQ3RkEyMzcA', waId: '16505551234', messageStatus: status, route: 'cloud_api' });
  });

  it('returns messageStatus null when Meta says nothing about it (free-form messages)', async () => {
    fake.reply = () => okSend();
    expect(await makeClient().sendMessage(PHONE, { to: '+1', type: 'text', body: 'Hi' })).toMatchObject({ ok: true, messageStatus: null });
  });

  it('turns the 130429 error body of whatsapp-rules.md §3.1 into SendFailed with code, message and details', async () => {
    fake.reply = () => ({
      status: 400,
      json: { error: { message: '(#130429) Rate limit hit', type: 'OAuthException', code: 130429, error_data: { messaging_product: 'whatsapp', details: 'Cloud API message throughput has been reached.' }, error_subcode: 2494055, fbtrace_id: 'Az8or2yhqkZfEZ-_4Qn_Bam' } },
    });
    const result = failed(await makeClient().sendMessage(PHONE, template()));
    expect(result).toMatchObject({ ok: false, httpStatus: 400, networkFailure: false, route: 'cloud_api' });
    expect(result.error).toEqual({ code: 130429, title: null, message: '(#130429) Rate limit hit', details: 'Cloud API message throughput has been reached.' });
    expect(result.message).toContain('130429');
  });

  it('reports a 500 without a body as SendFailed with httpStatus 500 and no Meta error', async () => {
    fake.reply = () => ({ status: 500 });
    expect(failed(await makeClient().sendMessage(PHONE, template()))).toMatchObject({ error: null, httpStatus: 500, networkFailure: false });
  });

  it('reports a connection reset as a network failure (the message may have reached Meta)', async () => {
    fake.reply = () => ({ destroy: true });
    const result = failed(await makeClient().sendMessage(PHONE, template()));
    expect(result).toMatchObject({ error: null, httpStatus: null, networkFailure: true });
    expect(result.message).toMatch(/may have reached Meta/);
  });

  it('reports an answer slower than the send timeout as a network failure', async () => {
    fake.reply = () => ({ ...okSend(), delayMs: 2_000 });
    const started = Date.now();
    const result = failed(await makeClient({ sendTimeoutMs: 200 }).sendMessage(PHONE, template()));
    expect(result).toMatchObject({ error: null, networkFailure: true });
    expect(result.message).toMatch(/200 ms/);
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('reports a refused connection as a network failure instead of throwing', async () => {
    const closed = await startFakeGraph();
    await closed.close();
    expect(failed(await makeClient({ baseUrl: closed.url }).sendMessage(PHONE, template()))).toMatchObject({ networkFailure: true, httpStatus: null });
  });

  it.each<[string, Reply]>([
    ['JSON without messages', { json: { messaging_product: 'whatsapp', contacts: [] } }],
    ['a body that is not JSON', { text: '<html>proxy</html>' }],
    ['an empty body', { text: '' }],
  ])('reports a 200 with %s as a failure that names the problem', async (_case, reply) => {
    fake.reply = () => reply;
    const result = failed(await makeClient().sendMessage(PHONE, template()));
    expect(result).toMatchObject({ error: null, httpStatus: 200, networkFailure: false });
    expect(result.message).toMatch(/not the expected Graph answer/);
  });
});

describe('sendMessage: the Marketing Messages API (whatsapp-rules.md §5.1, §8.5)', () => {
  const paths = () => fake.requests.map((request) => request.path);

  it('sends templates of a configured phone number to /marketing_messages with the same body', async () => {
    fake.reply = () => okSend('accepted');
    const result = await makeClient({ marketingMessagesPhoneNumberIds: [PHONE] }).sendMessage(PHONE, template());
    expect(result).toMatchObject({ ok: true, route: 'marketing_messages' });
    expect(paths()).toEqual([`/v23.0/${PHONE}/marketing_messages`]);
    expect(graphSendMessageRequestSchema.safeParse(JSON.parse(fake.requests[0]?.body ?? '')).success).toBe(true);
  });

  it('keeps text messages and sends with route "cloud_api" on /messages even for a configured phone number', async () => {
    fake.reply = () => okSend();
    const client = makeClient({ marketingMessagesPhoneNumberIds: [PHONE] });
    await client.sendMessage(PHONE, { to: '+1', type: 'text', body: 'Hi' }, { route: 'marketing_messages' });
    await client.sendMessage(PHONE, template('utility_receipt'), { route: 'cloud_api' });
    expect(paths()).toEqual([`/v23.0/${PHONE}/messages`, `/v23.0/${PHONE}/messages`]);
  });

  it.each([131055, 134100, 134101])('falls back once to /messages after MM API error %i and reports the route used', async (code) => {
    fake.reply = (request) => (request.path.endsWith('/marketing_messages') ? metaError(code) : okSend('accepted'));
    const result = await makeClient().sendMessage(PHONE, template(), { route: 'marketing_messages' });
    expect(result).toMatchObject({ ok: true, route: 'cloud_api' });
    expect(paths()).toEqual([`/v23.0/${PHONE}/marketing_messages`, `/v23.0/${PHONE}/messages`]);
  });

  it('retries once through /marketing_messages after 131063 (marketing disabled on the Cloud API)', async () => {
    fake.reply = (request) => (request.path.endsWith('/messages') ? metaError(131063) : okSend('accepted'));
    expect(await makeClient().sendMessage(PHONE, template())).toMatchObject({ ok: true, route: 'marketing_messages' });
    expect(paths()).toEqual([`/v23.0/${PHONE}/messages`, `/v23.0/${PHONE}/marketing_messages`]);
  });

  it('reports the MM API error (134101: still syncing) when the fallback is refused with 131063, and stops after two calls', async () => {
    fake.reply = (request) => (request.path.endsWith('/marketing_messages') ? metaError(134101) : metaError(131063));
    const result = failed(await makeClient().sendMessage(PHONE, template(), { route: 'marketing_messages' }));
    expect([result.error?.code, result.route]).toEqual([134101, 'marketing_messages']);
    expect(result.message).toMatch(/fallback through cloud_api was refused too \(131063\)/);
    expect(fake.requests).toHaveLength(2);
  });

  it('reports the fallback’s own error with its route when it fails for another reason', async () => {
    fake.reply = (request) => (request.path.endsWith('/marketing_messages') ? metaError(131055) : metaError(131049));
    const result = failed(await makeClient().sendMessage(PHONE, template(), { route: 'marketing_messages' }));
    expect([result.error?.code, result.route]).toEqual([131049, 'cloud_api']);
  });

  it.each<[string, Reply]>([
    ['a connection reset', { destroy: true }],
    ['an error that is not about the route', metaError(131049)],
  ])('does not try the other route after %s', async (_case, reply) => {
    fake.reply = () => reply;
    await makeClient().sendMessage(PHONE, template(), { route: 'marketing_messages' });
    expect(fake.requests).toHaveLength(1);
  });
});

describe('management calls', () => {
  it('reads the phone-number fields of whatsapp-rules.md §1.3 and maps them to camelCase', async () => {
    fake.reply = () => ({ json: { id: PHONE, display_phone_number: '+1 555-0100', verified_name: 'Acme', quality_rating: 'GREEN', throughput: { level: 'HIGH' }, whatsapp_business_manager_messaging_limit: 'TIER_10K', status: 'CONNECTED', name_status: 'APPROVED', platform_type: 'CLOUD_API' } });
    const info = await makeClient().getPhoneNumber(PHONE);
    expect(info).toEqual({ id: PHONE, displayPhoneNumber: '+1 555-0100', verifiedName: 'Acme', qualityRating: 'GREEN', throughputLevel: 'HIGH', messagingLimitTier: 'TIER_10K', status: 'CONNECTED', nameStatus: 'APPROVED', platformType: 'CLOUD_API' });
    expect(fake.requests[0]?.path).toBe(`/v23.0/${PHONE}`);
    expect(fake.requests[0]?.query.get('fields')).toBe('id,display_phone_number,verified_name,quality_rating,throughput,whatsapp_business_manager_messaging_limit,status,name_status,platform_type');
  });

  it('reads health_status with its per-entity errors', async () => {
    fake.reply = () => ({ json: { id: WABA, health_status: { can_send_message: 'LIMITED', entities: [{ entity_type: 'WABA', id: WABA, can_send_message: 'LIMITED', errors: [{ error_code: 141010, error_description: 'Verify', possible_solution: 'Start verification' }] }] } } });
    const health = await makeClient().getHealthStatus(WABA);
    expect(health).toEqual({ canSendMessage: 'LIMITED', entities: [{ entityType: 'WABA', id: WABA, canSendMessage: 'LIMITED', errors: [{ code: 141010, description: 'Verify', possibleSolution: 'Start verification' }] }] });
    expect(fake.requests[0]?.query.get('fields')).toBe('health_status');
  });

  it('creates a template with the body of whatsapp-rules.md §4.5 (the template file, domain/template-json.ts) and returns id, status and category', async () => {
    fake.reply = () => ({ json: { id: '572279198452421', status: 'PENDING', category: 'MARKETING' } });
    const answer = await makeClient().createTemplate(WABA, springSale, { messageSendTtlSeconds: 43_200 });
    expect(answer).toEqual({ id: '572279198452421', status: 'PENDING', category: 'MARKETING' });
    expect([fake.requests[0]?.method, fake.requests[0]?.path]).toEqual(['POST', `/v23.0/${WABA}/message_templates`]);
    // The fake keeps bodies as latin1 (for the multipart bytes): decode the JSON as the UTF-8 it was sent as.
    expect(JSON.parse(Buffer.from(fake.requests[0]?.body ?? '', 'latin1').toString('utf8'))).toEqual({
      name: 'spring_sale',
      language: 'pt_BR',
      category: 'MARKETING',
      parameter_format: 'named',
      components: [
        { type: 'HEADER', format: 'IMAGE', example: { header_handle: ['4::aW1hZ2U='] } },
        { type: 'BODY', text: 'Oi {{first_name}}, a coleção nova chegou.', example: { body_text_named_params: [{ param_name: 'first_name', example: 'Ana' }] } },
        { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Quero ver' }, { type: 'URL', text: 'Abrir', url: 'https://loja.example/{{1}}', example: ['https://loja.example/primavera'] }] },
      ],
      message_send_ttl_seconds: 43_200,
    });
  });

  it('sends no message_send_ttl_seconds unless asked (Meta’s default applies)', async () => {
    fake.reply = () => ({ json: { id: '1', status: 'PENDING', category: 'MARKETING' } });
    await makeClient().createTemplate(WABA, springSale);
    expect(JSON.parse(fake.requests[0]?.body ?? '')).not.toHaveProperty('message_send_ttl_seconds');
  });

  it('lists templates across two pages with the cursor, and returns after = null on the last page', async () => {
    const row = (id: string) => ({ id, name: `t${id}`, language: 'en', status: 'APPROVED', category: 'MARKETING', components: [], quality_score: { score: 'GREEN', date: 1758754645 } });
    fake.reply = (request) =>
      request.query.get('after') === 'CURSOR_1'
        ? { json: { data: [row('3')], paging: { cursors: { before: 'CURSOR_B', after: 'CURSOR_2' } } } }
        : { json: { data: [row('1'), row('2')], paging: { cursors: { before: 'CURSOR_0', after: 'CURSOR_1' }, next: `${fake.url}/v23.0/${WABA}/message_templates?after=CURSOR_1` } } };
    const client = makeClient();
    const first = await client.listTemplates(WABA, { limit: 2 });
    const second = await client.listTemplates(WABA, { limit: 2, after: first.after ?? '' });
    expect([first.templates.map((t) => t.id), first.after, second.templates.map((t) => t.id), second.after]).toEqual([['1', '2'], 'CURSOR_1', ['3'], null]);
    expect(second.templates[0]).toMatchObject({ qualityScore: 'GREEN', subCategory: null, rejectedReason: null });
    expect(fake.requests.map((request) => [request.query.get('limit'), request.query.get('after')])).toEqual([['2', null], ['2', 'CURSOR_1']]);
    expect(fake.requests[0]?.query.get('fields')).toContain('quality_score');
  });

  it('lists templates as domain definitions: Meta’s components read back through the template file format', async () => {
    const listed = { ...toTemplateJson(springSale), parameter_format: 'NAMED', id: '1584', status: 'APPROVED', sub_category: 'CUSTOM', quality_score: { score: 'UNKNOWN', date: 1 } };
    fake.reply = () => ({ json: { data: [listed] } });
    const [remote] = (await makeClient().listTemplates(WABA)).templates;
    expect(remote).toEqual({
      id: '1584',
      name: 'spring_sale',
      language: 'pt_BR',
      status: 'APPROVED',
      category: 'MARKETING',
      subCategory: 'CUSTOM',
      qualityScore: 'UNKNOWN',
      rejectedReason: null,
      correctCategory: null,
      template: springSale,
      rawComponents: toTemplateJson(springSale).components,
    });
  });

  it('keeps a template whose components Greenlight cannot read, with template = null and the raw components', async () => {
    const carousel = [{ type: 'BODY', text: 'Pick one' }, { type: 'CAROUSEL', cards: [{ components: [] }] }];
    fake.reply = () => ({ json: { data: [{ id: '9', name: 'cards', language: 'en_US', status: 'APPROVED', category: 'MARKETING', components: carousel }] } });
    const [remote] = (await makeClient().listTemplates(WABA)).templates;
    expect(remote).toMatchObject({ id: '9', name: 'cards', language: 'en_US', status: 'APPROVED', template: null, rawComponents: carousel });
  });

  it('reads one template with its quality score', async () => {
    fake.reply = () => ({ json: { id: '77', name: 'spring_sale', language: 'pt_BR', status: 'PAUSED', category: 'MARKETING', sub_category: 'CUSTOM', parameter_format: 'POSITIONAL', components: [{ type: 'BODY', text: 'x' }], quality_score: { score: 'RED', date: 1 }, rejected_reason: 'NONE' } });
    expect(await makeClient().getTemplate('77')).toMatchObject({ id: '77', status: 'PAUSED', qualityScore: 'RED', subCategory: 'CUSTOM', rejectedReason: 'NONE', correctCategory: null, template: { parameterFormat: 'positional', body: { text: 'x', examples: {} } } });
    expect(fake.requests[0]?.path).toBe('/v23.0/77');
  });

  it('deletes by name (all languages) or by name and hsm_id (one), and unpauses with POST /{id}/unpause', async () => {
    fake.reply = () => ({ json: { success: true } });
    const client = makeClient();
    await client.deleteTemplate(WABA, 'spring_sale');
    await client.deleteTemplate(WABA, 'spring_sale', '77');
    await client.unpauseTemplate('77');
    expect(fake.requests.map((request) => `${request.method} ${request.path}?${request.query.toString()}`)).toEqual([
      `DELETE /v23.0/${WABA}/message_templates?name=spring_sale`,
      `DELETE /v23.0/${WABA}/message_templates?name=spring_sale&hsm_id=77`,
      'POST /v23.0/77/unpause?',
    ]);
  });

  it.each<[string, Partial<CloudClientOptions>]>([
    ['the pooled undici fetch', {}],
    ["Node's global fetch", { fetch: globalThis.fetch }],
  ])('uploads media as multipart/form-data (messaging_product, type, file) with %s and returns the id', async (_case, overrides) => {
    fake.reply = () => ({ json: { id: '1339522734477770' } });
    const bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a]);
    expect(await makeClient(overrides).uploadMedia(PHONE, { bytes, mimeType: 'image/png', fileName: 'logo.png' })).toEqual({ id: '1339522734477770' });
    const request = fake.requests[0];
    expect([request?.path, request?.headers.authorization]).toEqual([`/v23.0/${PHONE}/media`, `Bearer ${TOKEN}`]);
    expect(request?.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(request?.body).toMatch(/name="messaging_product"\r\n\r\nwhatsapp\r\n/);
    expect(request?.body).toMatch(/name="type"\r\n\r\nimage\/png\r\n/);
    expect(request?.body).toMatch(/name="file"; filename="logo.png"\r\nContent-Type: image\/png\r\n\r\n\x89PNG\r\n\r\n/);
  });

  it('throws GraphApiError carrying Meta’s code, details, status and the 2388xxx subcode when Meta refuses', async () => {
    fake.reply = () => ({ status: 400, json: { error: { message: 'Invalid parameter', type: 'OAuthException', code: 100, error_subcode: 2388040, error_user_title: 'Character limit exceeded', error_user_msg: 'The body is too long.', fbtrace_id: 'x' } } });
    const graphError = await graphErrorOf(makeClient().createTemplate(WABA, springSale));
    expect([graphError.name, graphError.subcode, graphError.failure.httpStatus, graphError.failure.networkFailure]).toEqual(['GraphApiError', 2388040, 400, false]);
    expect(graphError.failure.error).toEqual({ code: 100, title: 'Character limit exceeded', message: 'Invalid parameter', details: 'The body is too long.' });
  });

  it.each<[string, Reply, Partial<GraphApiError['failure']>]>([
    ['no answer (reset)', { destroy: true }, { networkFailure: true, httpStatus: null, error: null }],
    ['a 200 that is not a template list', { json: { templates: [] } }, { networkFailure: false, httpStatus: 200, error: null }],
    ['a 502 from a proxy', { status: 502, text: 'Bad Gateway' }, { networkFailure: false, httpStatus: 502, error: null }],
  ])('throws GraphApiError for %s', async (_case, reply, expected) => {
    fake.reply = () => reply;
    expect((await graphErrorOf(makeClient().listTemplates(WABA))).failure).toMatchObject(expected);
  });
});

describe('management budget (whatsapp-rules.md §2: usage headers, errors 4 and 80007)', () => {
  const phoneAnswer = (headers: Record<string, string> = {}): Reply => ({ json: { id: PHONE }, headers });

  it('goes straight on while usage stays under 90%', async () => {
    fake.reply = () => phoneAnswer({ 'x-app-usage': JSON.stringify({ call_count: 60, total_time: 10, total_cputime: 10 }) });
    const client = makeClient();
    await client.getPhoneNumber(PHONE);
    await client.getPhoneNumber(PHONE);
    expect(sleeps).toEqual([]);
  });

  it('waits through the injected sleep before the next management call when X-App-Usage reaches 95%', async () => {
    fake.reply = () => phoneAnswer({ 'x-app-usage': JSON.stringify({ call_count: 95, total_time: 10, total_cputime: 10 }) });
    const client = makeClient();
    await client.getPhoneNumber(PHONE);
    await client.getPhoneNumber(PHONE);
    expect(sleeps).toEqual([6 * 36_000]);
    expect(fake.requests).toHaveLength(2);
  });

  it('waits for estimated_time_to_regain_access from X-Business-Use-Case-Usage after an 80007', async () => {
    fake.reply = () => ({ ...metaError(80007), headers: { 'x-business-use-case-usage': JSON.stringify({ [WABA]: [{ type: 'whatsapp_business_management', call_count: 100, total_time: 20, total_cputime: 20, estimated_time_to_regain_access: 15 }] }) } });
    const client = makeClient();
    await expect(client.listTemplates(WABA)).rejects.toBeInstanceOf(GraphApiError);
    await expect(client.listTemplates(WABA)).rejects.toMatchObject({ failure: { error: { code: 80007 } } });
    expect(sleeps[0]).toBe(15 * 60_000);
  });

  it('does not pace message sends, even when the management budget is spent', async () => {
    fake.reply = (request) => (request.path.endsWith('/messages') ? okSend() : phoneAnswer({ 'x-app-usage': JSON.stringify({ call_count: 100, total_time: 100, total_cputime: 100 }) }));
    const client = makeClient();
    await client.getPhoneNumber(PHONE);
    await client.sendMessage(PHONE, template());
    expect(sleeps).toEqual([]);
  });
});

describe('the access token stays secret', () => {
  it('never appears in any failure message, even when Meta echoes it back', async () => {
    const messages: string[] = [];
    const client = makeClient({ sendTimeoutMs: 200, managementTimeoutMs: 200 });
    const replies: Reply[] = [
      { status: 401, json: { error: { message: `Invalid OAuth access token - Cannot parse access token ${TOKEN}`, type: 'OAuthException', code: 190, error_data: { details: `token ${TOKEN}` }, fbtrace_id: 'x' } } },
      { status: 500 },
      { status: 502, text: `upstream said ${TOKEN}` },
      { destroy: true },
      { ...okSend(), delayMs: 2_000 },
      { json: { unexpected: TOKEN } },
    ];
    for (const reply of replies) {
      fake.reply = () => reply;
      const result = failed(await client.sendMessage(PHONE, template()));
      messages.push(result.message, result.error?.message ?? '', result.error?.details ?? '');
      const error = await graphErrorOf(client.getTemplate('77'));
      messages.push(error.message, error.failure.error?.message ?? '', error.failure.error?.details ?? '');
    }
    expect(messages.filter((message) => message.includes(TOKEN))).toEqual([]);
    expect(messages.some((message) => message.includes('[redacted]'))).toBe(true);
  });

  it('refuses a malformed token or version at start-up without echoing the token', () => {
    const attempt = () => createCloudClient({ baseUrl: fake.url, apiVersion: 'v23.0', accessToken: `${TOKEN}\nInjected: header` });
    expect(attempt).toThrow(AppError);
    expect(attempt).toThrow(/access token is empty or contains spaces or control characters/);
    expect(attempt).not.toThrow(TOKEN);
    expect(() => createCloudClient({ baseUrl: fake.url, apiVersion: 'latest', accessToken: TOKEN })).toThrow(/v23\.0/);
  });

  it('accepts a version without "v" and a base URL with a path prefix (how the simulator may be mounted)', async () => {
    fake.reply = () => okSend();
    await makeClient({ baseUrl: `${fake.url}/graph/`, apiVersion: '25.0' }).sendMessage(PHONE, template());
    expect(fake.requests[0]?.path).toBe(`/graph/v25.0/${PHONE}/messages`);
  });
});
