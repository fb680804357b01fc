// Meta's Graph API payloads as zod schemas, in Meta's own snake_case: what the Cloud client sends and
// parses, and what the built-in simulator validates and answers with. Shapes only: no URLs, no I/O, and
// no Greenlight names. Objects are loose, because Meta adds fields without notice (whatsapp-rules.md §0).
import { z } from 'zod';

// ---- Shared pieces ------------------------------------------------------------------------------------

/** Media is given by an uploaded id (preferred at high throughput, whatsapp-rules.md §2) or by a link. */
export const graphMediaObjectSchema = z
  .looseObject({ id: z.string().min(1).optional(), link: z.string().min(1).optional(), caption: z.string().optional(), filename: z.string().optional() })
  .refine((media) => (media.id === undefined) !== (media.link === undefined), { message: 'media needs exactly one of id or link' });
export type GraphMediaObject = z.infer<typeof graphMediaObjectSchema>;

/** Present only with named parameters (whatsapp-rules.md §5.1, "Template, named parameters"). */
const parameterName = z.string().min(1).optional();

const textParameterSchema = z.looseObject({ type: z.literal('text'), text: z.string(), parameter_name: parameterName });
const currencyParameterSchema = z.looseObject({
  type: z.literal('currency'),
  currency: z.looseObject({ fallback_value: z.string(), code: z.string().length(3), amount_1000: z.number().int() }),
  parameter_name: parameterName,
});
const dateTimeParameterSchema = z.looseObject({ type: z.literal('date_time'), date_time: z.looseObject({ fallback_value: z.string() }), parameter_name: parameterName });
const mediaParameterSchemas = [
  z.looseObject({ type: z.literal('image'), image: graphMediaObjectSchema }),
  z.looseObject({ type: z.literal('video'), video: graphMediaObjectSchema }),
  z.looseObject({ type: z.literal('document'), document: graphMediaObjectSchema }),
] as const;
const locationParameterSchema = z.looseObject({
  type: z.literal('location'),
  location: z.looseObject({ latitude: z.number(), longitude: z.number(), name: z.string().optional(), address: z.string().optional() }),
});

export const graphHeaderParameterSchema = z.discriminatedUnion('type', [textParameterSchema, ...mediaParameterSchemas, locationParameterSchema]);
export const graphBodyParameterSchema = z.discriminatedUnion('type', [textParameterSchema, currencyParameterSchema, dateTimeParameterSchema]);
export type GraphHeaderParameter = z.infer<typeof graphHeaderParameterSchema>;
export type GraphBodyParameter = z.infer<typeof graphBodyParameterSchema>;

/** `index` is the button's 0-based position; Meta's examples write it as a string ("0"). */
const buttonIndex = z.union([z.string().regex(/^\d+$/), z.number().int().nonnegative()]);

export const graphTemplateComponentSchema = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('header'), parameters: z.array(graphHeaderParameterSchema).length(1) }),
  z.looseObject({ type: z.literal('body'), parameters: z.array(graphBodyParameterSchema) }),
  z.discriminatedUnion('sub_type', [
    z.looseObject({ type: z.literal('button'), sub_type: z.literal('url'), index: buttonIndex, parameters: z.array(textParameterSchema).length(1) }),
    z.looseObject({
      type: z.literal('button'),
      sub_type: z.literal('quick_reply'),
      index: buttonIndex,
      parameters: z.array(z.looseObject({ type: z.literal('payload'), payload: z.string() })).length(1),
    }),
    z.looseObject({
      type: z.literal('button'),
      sub_type: z.literal('copy_code'),
      index: buttonIndex,
      parameters: z.array(z.looseObject({ type: z.literal('coupon_code'), coupon_code: z.string().min(1) })).length(1),
    }),
  ]),
]);
export type GraphTemplateComponent = z.infer<typeof graphTemplateComponentSchema>;

// ---- POST /{phone-number-id}/messages and /marketing_messages (whatsapp-rules.md §5.1) -----------------

const sendBase = {
  messaging_product: z.literal('whatsapp'),
  recipient_type: z.literal('individual').optional(),
  /** E.164 with "+", or a BSUID (whatsapp-rules.md §6.5). */
  to: z.string().min(1),
  /** Echoed in status webhooks; the 512-character limit is unconfirmed (whatsapp-rules.md §11.10). */
  biz_opaque_callback_data: z.string().max(512).optional(),
  context: z.looseObject({ message_id: z.string().min(1) }).optional(),
};

export const graphTemplateObjectSchema = z.looseObject({
  name: z.string().min(1),
  language: z.looseObject({ code: z.string().min(1), policy: z.literal('deterministic').optional() }),
  components: z.array(graphTemplateComponentSchema).optional(),
});
export type GraphTemplateObject = z.infer<typeof graphTemplateObjectSchema>;

export const graphTemplateMessageRequestSchema = z.looseObject({ ...sendBase, type: z.literal('template'), template: graphTemplateObjectSchema });

export const graphSendMessageRequestSchema = z.discriminatedUnion('type', [
  z.looseObject({ ...sendBase, type: z.literal('text'), text: z.looseObject({ body: z.string().min(1).max(4096), preview_url: z.boolean().optional() }) }),
  z.looseObject({ ...sendBase, type: z.literal('image'), image: graphMediaObjectSchema }),
  z.looseObject({ ...sendBase, type: z.literal('video'), video: graphMediaObjectSchema }),
  z.looseObject({ ...sendBase, type: z.literal('document'), document: graphMediaObjectSchema }),
  z.looseObject({ ...sendBase, type: z.literal('audio'), audio: graphMediaObjectSchema }),
  graphTemplateMessageRequestSchema,
]);
export type GraphSendMessageRequest = z.infer<typeof graphSendMessageRequestSchema>;

/**
 * The Marketing Messages API takes the same template payload, templates only (other types get 131055 /
 * 134100), plus its own optional fields (whatsapp-rules.md §5.1, §8.5).
 */
export const graphMarketingMessageRequestSchema = graphTemplateMessageRequestSchema.extend({ message_activity_sharing: z.boolean().optional() });
export type GraphMarketingMessageRequest = z.infer<typeof graphMarketingMessageRequestSchema>;

/** `message_status` comes with template sends: accepted, held_for_quality_assessment, paused (whatsapp-rules.md §5.2). */
export const graphSendMessageResponseSchema = z.looseObject({
  messaging_product: z.literal('whatsapp'),
  // wa_id can be "" (username adopters) or absent (a send to a BSUID), whatsapp-rules.md §6.5.
  contacts: z.array(z.looseObject({ input: z.string(), wa_id: z.string().optional(), user_id: z.string().optional() })).optional(),
  messages: z.array(z.looseObject({ id: z.string().min(1), message_status: z.string().optional() })).min(1),
});
export type GraphSendMessageResponse = z.infer<typeof graphSendMessageResponseSchema>;

// ---- Errors (whatsapp-rules.md §3.1, §5.3) --------------------------------------------------------------

/** `error_subcode` is deprecated for sends but still used by template creation (2388xxx); titles may go away. */
export const graphErrorBodySchema = z.looseObject({
  error: z.looseObject({
    message: z.string().optional(),
    type: z.string().optional(),
    code: z.number().int(),
    error_data: z.looseObject({ messaging_product: z.string().optional(), details: z.string().optional() }).optional(),
    error_subcode: z.number().int().optional(),
    error_user_title: z.string().optional(),
    error_user_msg: z.string().optional(),
    is_transient: z.boolean().optional(),
    fbtrace_id: z.string().optional(),
  }),
});
export type GraphErrorBody = z.infer<typeof graphErrorBodySchema>;

// ---- Phone numbers and health (whatsapp-rules.md §1.3) --------------------------------------------------

/** The fields the client asks for on `GET /{phone-number-id}?fields=…`; each may be missing from the answer. */
export const GRAPH_PHONE_NUMBER_FIELDS = [
  'id',
  'display_phone_number',
  'verified_name',
  'quality_rating',
  'throughput',
  'whatsapp_business_manager_messaging_limit',
  'status',
  'name_status',
  'platform_type',
] as const;

export const graphPhoneNumberResponseSchema = z.looseObject({
  id: z.string().min(1),
  display_phone_number: z.string().optional(),
  verified_name: z.string().optional(),
  quality_rating: z.string().optional(),
  throughput: z.looseObject({ level: z.string() }).optional(),
  whatsapp_business_manager_messaging_limit: z.string().optional(),
  status: z.string().optional(),
  name_status: z.string().optional(),
  platform_type: z.string().optional(),
});
export type GraphPhoneNumberResponse = z.infer<typeof graphPhoneNumberResponseSchema>;

export const graphHealthStatusResponseSchema = z.looseObject({
  id: z.string().optional(),
  health_status: z.looseObject({
    can_send_message: z.string(),
    entities: z
      .array(
        z.looseObject({
          entity_type: z.string(),
          id: z.string(),
          can_send_message: z.string(),
          errors: z.array(z.looseObject({ error_code: z.number().int().optional(), error_description: z.string().optional(), possible_solution: z.string().optional() })).optional(),
        }),
      )
      .optional(),
  }),
});
export type GraphHealthStatusResponse = z.infer<typeof graphHealthStatusResponseSchema>;

// ---- Templates (whatsapp-rules.md §4.5) -----------------------------------------------------------------

/** Components stay loose here: domain/template-json.ts writes and reads them (the template file is Meta's create body). */
const templateComponents = z.array(z.record(z.string(), z.unknown()));

export const graphTemplateCreateRequestSchema = z.looseObject({
  name: z.string().regex(/^[a-z0-9_]{1,512}$/),
  language: z.string().min(2),
  category: z.string().min(1),
  parameter_format: z.enum(['positional', 'named', 'POSITIONAL', 'NAMED']).optional(),
  components: templateComponents,
  message_send_ttl_seconds: z.number().int().optional(),
});
export type GraphTemplateCreateRequest = z.infer<typeof graphTemplateCreateRequestSchema>;

export const graphTemplateCreateResponseSchema = z.looseObject({ id: z.string().min(1), status: z.string(), category: z.string() });
export type GraphTemplateCreateResponse = z.infer<typeof graphTemplateCreateResponseSchema>;

/** The fields the client asks for when it lists or reads templates. */
export const GRAPH_TEMPLATE_FIELDS = ['id', 'name', 'language', 'status', 'category', 'sub_category', 'parameter_format', 'components', 'quality_score', 'rejected_reason', 'correct_category'] as const;

export const graphTemplateSchema = z.looseObject({
  id: z.string().min(1),
  name: z.string(),
  language: z.string(),
  status: z.string(),
  category: z.string(),
  sub_category: z.string().optional(),
  parameter_format: z.string().optional(),
  components: templateComponents.optional(),
  // `date` is a Unix time in seconds (whatsapp-rules.md §4.1, "Quality score").
  quality_score: z.looseObject({ score: z.string(), date: z.number().optional() }).optional(),
  rejected_reason: z.string().optional(),
  correct_category: z.string().optional(),
});
export type GraphTemplate = z.infer<typeof graphTemplateSchema>;

/** Cursor paging: Meta keeps `cursors.after` on the last page and leaves out `next` there. */
export const graphPagingSchema = z.looseObject({
  cursors: z.looseObject({ before: z.string().optional(), after: z.string().optional() }).optional(),
  next: z.string().optional(),
  previous: z.string().optional(),
});

export const graphTemplateListResponseSchema = z.looseObject({ data: z.array(graphTemplateSchema), paging: graphPagingSchema.optional() });
export type GraphTemplateListResponse = z.infer<typeof graphTemplateListResponseSchema>;

// ---- Media, delete, unpause -----------------------------------------------------------------------------

/**
 * `POST /{phone-number-id}/media` is multipart/form-data, so its "body" is form fields, not JSON:
 * `messaging_product=whatsapp`, `type` (the MIME type) and `file`. The simulator checks these two text fields.
 */
export const graphMediaUploadFieldsSchema = z.looseObject({ messaging_product: z.literal('whatsapp'), type: z.string().min(3) });
export const graphMediaUploadResponseSchema = z.looseObject({ id: z.string().min(1) });
export type GraphMediaUploadResponse = z.infer<typeof graphMediaUploadResponseSchema>;

/** The answer to `DELETE /{waba-id}/message_templates` and `POST /{template-id}/unpause`. */
export const graphSuccessResponseSchema = z.looseObject({ success: z.literal(true) });
export type GraphSuccessResponse = z.infer<typeof graphSuccessResponseSchema>;

/** Query of `DELETE /{waba-id}/message_templates`: `name` deletes every language, `hsm_id` narrows to one. */
export const graphTemplateDeleteQuerySchema = z.looseObject({ name: z.string().min(1), hsm_id: z.string().min(1).optional() });

// ---- Usage headers on management answers (whatsapp-rules.md §2, "App/WABA API limits") -----------------

export const GRAPH_APP_USAGE_HEADER = 'x-app-usage';
export const GRAPH_BUSINESS_USAGE_HEADER = 'x-business-use-case-usage';

/** `X-App-Usage`: percentages of the app's rolling one-hour allowance; they can exceed 100 while throttled. */
export const graphAppUsageHeaderSchema = z.looseObject({ call_count: z.number().default(0), total_time: z.number().default(0), total_cputime: z.number().default(0) });

/** `X-Business-Use-Case-Usage`: keyed by business (WABA) id; `estimated_time_to_regain_access` is in minutes. */
export const graphBusinessUsageHeaderSchema = z.record(
  z.string(),
  z.array(
    z.looseObject({
      type: z.string().optional(),
      call_count: z.number().default(0),
      total_time: z.number().default(0),
      total_cputime: z.number().default(0),
      estimated_time_to_regain_access: z.number().default(0),
    }),
  ),
);
export type GraphBusinessUsageHeader = z.infer<typeof graphBusinessUsageHeaderSchema>;
