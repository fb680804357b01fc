// REST API routes: templates — list and show what is stored (with Meta's verdicts), lint a definition
// before Meta sees it, submit it, sync with Meta, and preview one as a contact would see it. The work is
// the CLI's own actions (submit-template, sync-templates) and domain rules (template-assessment).

import { z } from 'zod';
import { previewTemplateBubble } from '../../actions/preview-template-bubble.ts';
import { submitTemplate } from '../../actions/submit-template.ts';
import { syncTemplates } from '../../actions/sync-templates.ts';
import type { WhatsAppDeps } from '../../deps.ts';
import { assessTemplate } from '../../domain/template-assessment.ts';
import { parseTemplateJson } from '../../domain/template-json.ts';
import type { TemplateDefinition } from '../../domain/template.ts';
import { AppError } from '../../errors.ts';
import { listSenders } from '../../store/senders.ts';
import { listStoredTemplates, listTemplateHistory } from '../../store/templates.ts';
import type { ApiRouter } from './api-kit.ts';
import type { ApiEnvironment } from './status-routes.ts';
import { assessmentJson, findingJson, spamJson, templateJson } from './template-view.ts';

const TAG = 'templates';
// §4.1: a template name is lower-case letters, digits and underscores.
const templateName = z.string().regex(/^[a-z0-9_]{1,512}$/, 'a template name is lower-case letters, digits and underscores');
/** Any JSON object: the definition is read by domain/template-json.ts, whose errors name the field (components[0].text). */
const definitionBody = z.looseObject({}).meta({ description: "A template definition: Meta's create payload, the same JSON as the files in templates/ (name, language, category, components)." });
const wabaQuery = z.object({ wabaId: z.string().regex(/^\d{1,20}$/, 'a WhatsApp Business Account id (digits)').optional() });
/** How many history entries the detail view shows per language. */
const HISTORY_ENTRIES = 10;

function readDefinition(body: unknown): TemplateDefinition {
  const parsed = parseTemplateJson(body);
  if (parsed.ok) return parsed.template;
  const [first] = parsed.errors;
  throw new AppError('INVALID_INPUT', `not a template definition: ${parsed.errors.map((error) => `${error.path}: ${error.message}`).join('; ')}`, { details: { field: first?.path ?? 'body' } });
}

export function templateRoutes(api: ApiRouter, deps: WhatsAppDeps, _environment: ApiEnvironment): void {
  /** The WABA asked for (one a sender belongs to, or the configured one); else the configured one, else the first sender's. */
  async function chooseWaba(asked: string | undefined): Promise<string> {
    const known = new Set([...(await listSenders(deps.db)).map((sender) => sender.wabaId), ...(deps.config.whatsapp.wabaId ? [deps.config.whatsapp.wabaId] : [])]);
    if (asked !== undefined && !known.has(asked)) throw new AppError('NOT_FOUND', `no sender in WhatsApp Business Account ${asked}; known: ${[...known].join(', ') || 'none'}`);
    const waba = asked ?? deps.config.whatsapp.wabaId ?? [...known][0];
    if (!waba) throw new AppError('INVALID_STATE', 'no WhatsApp Business Account yet: add a sender first');
    return waba;
  }

  api.route({
    method: 'get', path: '/templates', tag: TAG, summary: 'Every stored template variant (name × language) with its category, status and quality',
    query: z.object({ status: z.string().regex(/^[A-Z_]{1,40}$/, "one of Meta's statuses, e.g. APPROVED").optional() }),
    responses: { 200: '{ items: [Template] }', 400: 'A bad status filter' },
  }, async ({ query }) => {
    const variants = await listStoredTemplates(deps.db);
    return { status: 200, body: { items: variants.filter((variant) => query.status === undefined || variant.status === query.status).map(templateJson) } };
  });

  api.route({
    method: 'get', path: '/templates/:name', tag: TAG, summary: 'One template in every language, each with its recent history',
    params: z.object({ name: templateName }),
    responses: { 200: '{ name, languages: [Template + history] }', 400: 'Not a template name', 404: 'No template by that name' },
  }, async ({ params }) => {
    const variants = await listStoredTemplates(deps.db, { name: params.name });
    if (variants.length === 0) throw new AppError('NOT_FOUND', `no template called ${params.name}`);
    const languages = await Promise.all(variants.map(async (variant) => ({ ...templateJson(variant), history: await listTemplateHistory(deps.db, variant.id, HISTORY_ENTRIES) })));
    return { status: 200, body: { name: params.name, languages } };
  });

  api.route({
    method: 'post', path: '/templates/lint', tag: TAG, summary: "Check a definition against Meta's rules and for spam risk; nothing is stored or sent",
    body: definitionBody,
    responses: { 200: '{ ok, findings, spam: { score, level, reasons } }', 400: 'Not a template definition (field: where)' },
  }, ({ body }) => Promise.resolve({ status: 200, body: assessmentJson(assessTemplate(readDefinition(body))) }));

  api.route({
    method: 'post', path: '/templates', tag: TAG, summary: 'Lint, then submit a definition to Meta for review',
    query: wabaQuery, body: definitionBody,
    responses: {
      201: '{ template, categoryChanged, findings, spam }', 400: 'Not a template definition (field: where)', 404: 'wabaId is not a known sender’s account',
      409: 'Meta already has this name and language, or no sender exists yet', 422: "TEMPLATE_INVALID: lint errors Meta would reject; nothing was submitted",
    },
  }, async ({ query, body }) => {
    const definition = readDefinition(body);
    const result = await submitTemplate(deps, await chooseWaba(query.wabaId), definition);
    return { status: 201, body: { template: templateJson(result.template), categoryChanged: result.categoryChanged, findings: result.assessment.findings.map(findingJson), spam: spamJson(result.assessment.spam) } };
  });

  api.route({
    method: 'post', path: '/templates/sync', tag: TAG, summary: "Bring the stored templates in line with Meta's and say what changed",
    query: wabaQuery,
    responses: { 200: '{ wabaId, remote, pages, changes: [{ name, language, field, from, to }] }', 400: 'A bad wabaId', 404: 'wabaId is not a known sender’s account', 409: 'No sender exists yet' },
  }, async ({ query }) => ({ status: 200, body: await syncTemplates(deps, await chooseWaba(query.wabaId)) }));

  api.route({
    method: 'post', path: '/templates/preview', tag: TAG, summary: "A template as a chat bubble, filled from a contact's data (or the template's examples)",
    body: z.strictObject({
      name: templateName,
      language: z.string().min(2).max(20).optional(),
      contactId: z.number().int().positive().optional(),
      variables: z.record(z.string(), z.string().max(1024)).optional(),
    }),
    responses: { 200: '{ language, bubble: { header, body, footer, buttons }, missing }', 400: 'Bad input, or a variable that cannot be filled', 404: 'No such template, language variant or contact' },
  }, async ({ body }) => {
    const preview = await previewTemplateBubble(deps, body);
    return { status: 200, body: { name: preview.name, language: preview.language, status: preview.status, bubble: preview.bubble, missing: preview.missing } };
  });
}
