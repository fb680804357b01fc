// The simulated Graph API under /{version}/… (any vNN.N): bearer-token check (190/0, HTTP 401), sends,
// media upload, and GET of phone numbers, WABAs and templates by id. Template management is in
// template-routes.ts. Routes are thin: the rules live in send-pipeline.ts and the registries.

import { Hono, type Context } from 'hono';
import { graphMediaUploadFieldsSchema, type GraphMediaUploadResponse } from '../whatsapp/graph-wire.ts';
import { graphError } from './graph-errors.ts';
import { parseFields } from './graph-requests.ts';
import { phoneNumberFields, templateFields, wabaFields } from './node-fields.ts';
import { respond, unknownNode, VERSION, type GraphResponse } from './graph-response.ts';
import { handleSend } from './send-pipeline.ts';
import type { SendRoute } from './sent-log.ts';
import type { SimContext } from './sim-context.ts';
import { registerTemplateRoutes } from './template-routes.ts';

/** Meta answers a missing token with code 0 and a wrong one with 190, both HTTP 401 (§3.2). */
function checkToken(ctx: SimContext, header: string | undefined): GraphResponse | null {
  const token = /^Bearer\s+(.+)$/i.exec(header ?? '')?.[1]?.trim();
  const fbtrace = () => ctx.ids.fbtraceId();
  if (token === undefined) return graphError(0, fbtrace(), { message: 'An access token is required to request this resource.' });
  if (token !== ctx.behaviour.accessToken) return graphError(190, fbtrace());
  return null;
}

/** §2 "slow tail": a fixed delay plus, for a share of requests, a longer one, in simulated time. */
async function applyLatency(ctx: SimContext): Promise<void> {
  const latency = ctx.faults.latency();
  const tailMs = latency.tailShare > 0 && ctx.random.chance(latency.tailShare) ? ctx.random.between(0.5, 1) * latency.tailMs : 0;
  if (latency.fixedMs + tailMs > 0) await ctx.clock.sleep(latency.fixedMs + tailMs);
}

async function readJson(c: Context): Promise<unknown> {
  try {
    return (await c.req.json()) as unknown;
  } catch {
    return undefined;
  }
}

// §4.2 media sizes per MIME family (image 5 MB, video and audio 16 MB, document 100 MB).
const MEDIA_LIMITS: ReadonlyArray<[RegExp, number]> = [
  [/^image\//, 5 * 1024 * 1024],
  [/^(video|audio)\//, 16 * 1024 * 1024],
  [/./, 100 * 1024 * 1024],
];

async function uploadMedia(ctx: SimContext, c: Context): Promise<GraphResponse> {
  const phoneNumberId = c.req.param('node') ?? '';
  if (ctx.senders.get(phoneNumberId) === undefined) return unknownNode(ctx.ids, phoneNumberId, 'post');
  const form = await c.req.parseBody().catch(() => null);
  const fields = graphMediaUploadFieldsSchema.safeParse(form ?? {});
  const file = form?.['file'];
  if (!fields.success || !(file instanceof File)) return graphError(100, ctx.ids.fbtraceId(), { details: 'messaging_product=whatsapp, type and a file are required.' });
  const mimeType = fields.data.type;
  const limit = MEDIA_LIMITS.find(([pattern]) => pattern.test(mimeType))?.[1] ?? 0;
  if (file.size > limit) return graphError(131053, ctx.ids.fbtraceId(), { details: `The file is ${file.size} bytes; the limit for ${mimeType} is ${limit}.` });
  const id = ctx.ids.graphId('1339');
  ctx.media.set(id, { mimeType, size: file.size, fileName: file.name });
  return { status: 200, body: { id } satisfies GraphMediaUploadResponse };
}

function getNode(ctx: SimContext, c: Context): GraphResponse {
  const id = c.req.param('node') ?? '';
  const fields = parseFields(c.req.query('fields'));
  const sender = ctx.senders.get(id);
  if (sender !== undefined) return { status: 200, body: phoneNumberFields(ctx, sender, fields) };
  if (ctx.senders.wabaIds().includes(id)) return { status: 200, body: wabaFields(ctx, id, fields) };
  const template = ctx.templates.get(id);
  if (template !== undefined) return { status: 200, body: templateFields(template, fields) };
  return unknownNode(ctx.ids, id, 'get');
}

export function createGraphRoutes(ctx: SimContext): Hono {
  const app = new Hono();
  app.use(`/${VERSION}/*`, async (c, next) => {
    const refused = checkToken(ctx, c.req.header('authorization'));
    if (refused !== null) return respond(refused);
    await next();
  });
  const send = (route: SendRoute) => async (c: Context) => {
    const body = await readJson(c);
    const result = handleSend(ctx, c.req.param('node') ?? '', body, route);
    await applyLatency(ctx);
    return respond(result);
  };
  app.post(`/${VERSION}/:node/messages`, send('cloud_api'));
  app.post(`/${VERSION}/:node/marketing_messages`, send('marketing_messages'));
  app.post(`/${VERSION}/:node/media`, async (c) => respond(await uploadMedia(ctx, c)));
  registerTemplateRoutes(app, ctx);
  app.get(`/${VERSION}/:node`, (c) => respond(getNode(ctx, c)));
  app.all(`/${VERSION}/*`, (c) => respond(graphError(2500, ctx.ids.fbtraceId(), { message: `Unknown path components: ${new URL(c.req.url).pathname}` })));
  return app;
}
