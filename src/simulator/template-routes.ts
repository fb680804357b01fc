// Template management on the simulated Graph API (§4.5): create on a WABA (→ PENDING, reviewed later),
// list with cursor paging, delete by name or name + hsm_id, and unpause. GET /{template-id} is in graph-routes.ts.

import type { Context, Hono } from 'hono';
import {
  graphTemplateDeleteQuerySchema,
  type GraphSuccessResponse,
  type GraphTemplateCreateResponse,
  type GraphTemplateListResponse,
} from '../whatsapp/graph-wire.ts';
import { graphError } from './graph-errors.ts';
import { describeIssue, parseFields, templateCreateSchema } from './graph-requests.ts';
import { templateFields } from './node-fields.ts';
import { respond, unknownNode, VERSION, type GraphResponse } from './graph-response.ts';
import type { SimContext } from './sim-context.ts';

const encodeCursor = (id: string) => Buffer.from(id, 'utf8').toString('base64url');
const decodeCursor = (cursor: string) => Buffer.from(cursor, 'base64url').toString('utf8');

// Meta pages 25 templates by default; the simulator caps a page at 1,000.
const DEFAULT_PAGE_SIZE = 25;
const MAX_PAGE_SIZE = 1_000;

async function createTemplate(ctx: SimContext, c: Context, wabaId: string): Promise<GraphResponse> {
  const body: unknown = await c.req.json().catch(() => undefined);
  const parsed = templateCreateSchema.safeParse(body);
  if (!parsed.success) return graphError(100, ctx.ids.fbtraceId(), { details: describeIssue(parsed.error) });
  const draft = parsed.data;
  const result = ctx.templates.create(wabaId, { name: draft.name, language: draft.language, category: draft.category, parameterFormat: draft.parameter_format, components: draft.components });
  if (!result.ok) return graphError(100, ctx.ids.fbtraceId(), { message: 'Invalid parameter', subcode: result.subcode, userTitle: result.userTitle, userMessage: result.userMessage });
  const created: GraphTemplateCreateResponse = { id: result.template.id, status: result.template.status, category: result.template.category };
  return { status: 200, body: created };
}

function listTemplates(ctx: SimContext, c: Context, wabaId: string): GraphResponse {
  const all = ctx.templates.list(wabaId);
  const limit = Math.min(MAX_PAGE_SIZE, Math.max(1, Number(c.req.query('limit') ?? DEFAULT_PAGE_SIZE) || DEFAULT_PAGE_SIZE));
  const after = c.req.query('after');
  const start = after === undefined ? 0 : all.findIndex((template) => template.id === decodeCursor(after)) + 1;
  const page = all.slice(start, start + limit);
  const fields = parseFields(c.req.query('fields'));
  const data = page.map((template) => templateFields(template, fields)) as GraphTemplateListResponse['data'];
  const first = page[0];
  const last = page[page.length - 1];
  if (first === undefined || last === undefined) return { status: 200, body: { data } satisfies GraphTemplateListResponse };
  const cursors = { before: encodeCursor(first.id), after: encodeCursor(last.id) };
  const hasMore = start + limit < all.length;
  const next = new URL(c.req.url);
  next.searchParams.set('after', cursors.after);
  next.searchParams.set('limit', String(limit));
  const body: GraphTemplateListResponse = { data, paging: hasMore ? { cursors, next: next.toString() } : { cursors } };
  return { status: 200, body };
}

function deleteTemplates(ctx: SimContext, c: Context, wabaId: string): GraphResponse {
  const query = graphTemplateDeleteQuerySchema.safeParse(c.req.query());
  if (!query.success) return graphError(100, ctx.ids.fbtraceId(), { details: describeIssue(query.error) });
  const result = ctx.templates.remove(wabaId, query.data.name, query.data.hsm_id);
  if (!result.ok) return graphError(100, ctx.ids.fbtraceId(), { details: result.message });
  return { status: 200, body: { success: true } satisfies GraphSuccessResponse };
}

function unpause(ctx: SimContext, templateId: string): GraphResponse {
  const template = ctx.templates.get(templateId);
  if (template === undefined) return unknownNode(ctx.ids, templateId, 'post');
  if (!ctx.templates.unpause(template, 'manual')) return graphError(100, ctx.ids.fbtraceId(), { details: `The template is ${template.status}; only a PAUSED template can be unpaused.` });
  return { status: 200, body: { success: true } satisfies GraphSuccessResponse };
}

export function registerTemplateRoutes(app: Hono, ctx: SimContext): void {
  const withWaba = (handler: (c: Context, wabaId: string) => GraphResponse | Promise<GraphResponse>) => async (c: Context) => {
    const wabaId = c.req.param('node') ?? '';
    if (!ctx.senders.wabaIds().includes(wabaId)) return respond(unknownNode(ctx.ids, wabaId, c.req.method));
    return respond(await handler(c, wabaId));
  };
  app.post(`/${VERSION}/:node/message_templates`, withWaba((c, wabaId) => createTemplate(ctx, c, wabaId)));
  app.get(`/${VERSION}/:node/message_templates`, withWaba((c, wabaId) => listTemplates(ctx, c, wabaId)));
  app.delete(`/${VERSION}/:node/message_templates`, withWaba((c, wabaId) => deleteTemplates(ctx, c, wabaId)));
  app.post(`/${VERSION}/:node/unpause`, (c) => respond(unpause(ctx, c.req.param('node') ?? '')));
}
