// Parses what clients send to the simulated Graph API: message sends, template creation, `fields=` lists.
// Requests are validated with the shared schemas of whatsapp/graph-wire.ts (Meta's contract, as the client
// knows it), then read through a lenient view that also covers the message types graph-wire.ts does not model.

import { z } from 'zod';
import { graphMarketingMessageRequestSchema, graphSendMessageRequestSchema, graphTemplateCreateRequestSchema } from '../whatsapp/graph-wire.ts';

const media = z.looseObject({ id: z.string().min(1).optional(), link: z.string().min(1).optional(), caption: z.string().optional(), filename: z.string().optional() });

const parameterSchema = z.looseObject({
  type: z.string(),
  text: z.string().optional(),
  parameter_name: z.string().optional(),
  payload: z.string().optional(),
  coupon_code: z.string().optional(),
  currency: z.looseObject({ fallback_value: z.string() }).optional(),
  date_time: z.looseObject({ fallback_value: z.string() }).optional(),
  image: media.optional(),
  video: media.optional(),
  document: media.optional(),
  location: z.looseObject({}).optional(),
});
export type SendParameter = z.infer<typeof parameterSchema>;

const componentSchema = z.looseObject({
  type: z.string().transform((value) => value.toLowerCase()),
  sub_type: z.string().optional(),
  index: z.union([z.string(), z.number()]).optional(),
  parameters: z.array(parameterSchema).optional(),
});
export type SendComponent = z.infer<typeof componentSchema>;

/** The simulator's typed view of a send body (every field it reads); validation is parseSendRequest's job. */
export const sendRequestSchema = z.looseObject({
  messaging_product: z.literal('whatsapp'),
  recipient_type: z.literal('individual').optional(),
  to: z.string().min(1),
  type: z.string().default('text'),
  text: z.looseObject({ body: z.string().min(1).max(4096), preview_url: z.boolean().optional() }).optional(),
  template: z
    .looseObject({
      name: z.string().min(1),
      language: z.looseObject({ code: z.string().min(1), policy: z.string().optional() }),
      components: z.array(componentSchema).optional(),
    })
    .optional(),
  image: media.optional(),
  video: media.optional(),
  document: media.optional(),
  audio: media.optional(),
  sticker: media.optional(),
  interactive: z.looseObject({}).optional(),
  location: z.looseObject({}).optional(),
  reaction: z.looseObject({}).optional(),
  contacts: z.array(z.unknown()).optional(),
  biz_opaque_callback_data: z.string().max(512).optional(),
  context: z.looseObject({ message_id: z.string().min(1) }).optional(),
});
export type SendRequest = z.infer<typeof sendRequestSchema>;

// Types Meta sends that graph-wire.ts does not model (Greenlight never sends them): checked leniently only.
const SHARED_SCHEMA_TYPES = new Set(['text', 'template', 'image', 'video', 'document', 'audio']);
const OTHER_TYPES = new Set(['sticker', 'interactive', 'location', 'reaction', 'contacts']);

export type ParsedSend = { ok: true; request: SendRequest } | { ok: false; code: number; details: string };

/**
 * A send body as Meta would judge it: 131055 for non-templates on the Marketing Messages API, 131051 for an
 * unknown type, 100 for anything missing or invalid (Meta's "(#100) Invalid parameter").
 */
export function parseSendRequest(body: unknown, route: 'cloud_api' | 'marketing_messages'): ParsedSend {
  const view = sendRequestSchema.safeParse(body);
  if (!view.success) return { ok: false, code: 100, details: describeIssue(view.error) };
  const request = view.data;
  if (route === 'marketing_messages' && request.type !== 'template') return { ok: false, code: 131055, details: 'The Marketing Messages API only supports marketing template messages.' };
  if (!SHARED_SCHEMA_TYPES.has(request.type) && !OTHER_TYPES.has(request.type)) return { ok: false, code: 131051, details: `Message type ${request.type} is not supported.` };
  if ((request as Record<string, unknown>)[request.type] === undefined) return { ok: false, code: 100, details: `The parameter ${request.type} is required.` };
  if (!SHARED_SCHEMA_TYPES.has(request.type)) return { ok: true, request };
  const shared = (route === 'marketing_messages' ? graphMarketingMessageRequestSchema : graphSendMessageRequestSchema).safeParse(body);
  return shared.success ? { ok: true, request } : { ok: false, code: 100, details: describeIssue(shared.error) };
}

/** graph-wire.ts's create request, with the category Meta accepts (case-insensitive). */
export const templateCreateSchema = graphTemplateCreateRequestSchema.extend({
  category: z.string().transform((value) => value.toUpperCase()).pipe(z.enum(['MARKETING', 'UTILITY', 'AUTHENTICATION'])),
  components: z.array(z.record(z.string(), z.unknown())).min(1),
});

/** The first problem zod found, as a one-line detail for the error body. */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (issue === undefined) return 'Invalid parameter.';
  return `${issue.path.length > 0 ? `${issue.path.join('.')}: ` : ''}${issue.message}`;
}

/** `quality_rating,throughput{level},name_status` → ['quality_rating', 'throughput', 'name_status']. */
export function parseFields(fields: string | undefined): string[] {
  if (fields === undefined || fields.trim() === '') return [];
  const names: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of fields) {
    if (char === '{') depth += 1;
    if (char === '}') depth -= 1;
    if (char === ',' && depth === 0) {
      names.push(current);
      current = '';
    } else current += char;
  }
  names.push(current);
  return names.map((name) => name.replace(/\{.*\}$/s, '').trim()).filter((name) => name !== '');
}
