// The Cloud client's management calls: templates, phone-number fields, health status and media upload.
// Each waits out Meta's management budget first (management-budget.ts) and throws GraphApiError when
// Meta refuses or does not answer. Message sends are not here and are never paced here.
import { Blob } from 'node:buffer';
import { FormData } from 'undici';
import type { z } from 'zod';
import { parseTemplateJson, toTemplateJson } from '../domain/template-json.ts';
import type { TemplateDefinition } from '../domain/template.ts';
import type { Clock } from '../lib/clock.ts';
import type { HealthStatus, PhoneNumberInfo, RemoteTemplate, TemplateCreateOptions, WhatsAppApi } from '../ports.ts';
import { GraphApiError, parseGraphError, parseSuccess, type GraphCall, type GraphHttp } from './client-http.ts';
import {
  GRAPH_PHONE_NUMBER_FIELDS,
  GRAPH_TEMPLATE_FIELDS,
  graphHealthStatusResponseSchema,
  graphMediaUploadResponseSchema,
  graphPhoneNumberResponseSchema,
  graphSuccessResponseSchema,
  graphTemplateCreateResponseSchema,
  graphTemplateListResponseSchema,
  graphTemplateSchema,
  type GraphHealthStatusResponse,
  type GraphPhoneNumberResponse,
  type GraphTemplate,
  type GraphTemplateCreateRequest,
} from './graph-wire.ts';
import { EMPTY_MANAGEMENT_USAGE, planManagementDelay, recordManagementAnswer, type ManagementUsage } from './management-budget.ts';

export type ManagementCalls = Omit<WhatsAppApi, 'sendMessage'>;
export type ManagementDeps = { http: GraphHttp; clock: Clock; sleep: (ms: number) => Promise<void>; timeoutMs: number };

export function createManagementCalls(deps: ManagementDeps): ManagementCalls {
  const call = createBudgetedCall(deps);
  return {
    getPhoneNumber: async (phoneNumberId) =>
      toPhoneNumberInfo(await call({ method: 'GET', path: [phoneNumberId], query: { fields: GRAPH_PHONE_NUMBER_FIELDS.join(',') } }, graphPhoneNumberResponseSchema)),
    getHealthStatus: async (nodeId) => toHealthStatus(await call({ method: 'GET', path: [nodeId], query: { fields: 'health_status' } }, graphHealthStatusResponseSchema)),
    createTemplate: async (wabaId, template, options) => {
      const created = await call({ method: 'POST', path: [wabaId, 'message_templates'], json: toTemplateCreateRequest(template, options) }, graphTemplateCreateResponseSchema);
      return { id: created.id, status: created.status, category: created.category };
    },
    listTemplates: async (wabaId, page = {}) => {
      const query = { fields: GRAPH_TEMPLATE_FIELDS.join(','), limit: page.limit?.toString(), after: page.after };
      const listed = await call({ method: 'GET', path: [wabaId, 'message_templates'], query }, graphTemplateListResponseSchema);
      // Meta keeps `cursors.after` on the last page too; only `paging.next` says that another page exists.
      const after = listed.paging?.next !== undefined ? (listed.paging.cursors?.after ?? null) : null;
      return { templates: listed.data.map(toRemoteTemplate), after };
    },
    getTemplate: async (templateId) => toRemoteTemplate(await call({ method: 'GET', path: [templateId], query: { fields: GRAPH_TEMPLATE_FIELDS.join(',') } }, graphTemplateSchema)),
    deleteTemplate: async (wabaId, name, templateId) => {
      // `name` alone deletes every language of the template; `hsm_id` narrows it to one (whatsapp-rules.md §4.5).
      await call({ method: 'DELETE', path: [wabaId, 'message_templates'], query: { name, hsm_id: templateId } }, graphSuccessResponseSchema);
    },
    unpauseTemplate: async (templateId) => {
      await call({ method: 'POST', path: [templateId, 'unpause'] }, graphSuccessResponseSchema);
    },
    uploadMedia: async (phoneNumberId, file) => {
      const form = new FormData();
      form.append('messaging_product', 'whatsapp');
      form.append('type', file.mimeType);
      form.append('file', new Blob([file.bytes], { type: file.mimeType }), file.fileName);
      const uploaded = await call({ method: 'POST', path: [phoneNumberId, 'media'], form }, graphMediaUploadResponseSchema);
      return { id: uploaded.id };
    },
  };
}

/**
 * One management call under the budget of whatsapp-rules.md §2 (200 or 5,000 calls per hour per app per
 * WABA). The wait is planned once from the last usage headers and slept with the injected `sleep`; the
 * answer's headers (and a 4 or 80007) then update the budget for the next call.
 */
function createBudgetedCall(deps: ManagementDeps) {
  let usage: ManagementUsage = EMPTY_MANAGEMENT_USAGE;
  return async <Schema extends z.ZodType>(request: Omit<GraphCall, 'timeoutMs'>, schema: Schema): Promise<z.output<Schema>> => {
    const waitMs = planManagementDelay(usage, deps.clock.now());
    if (waitMs > 0) await deps.sleep(waitMs);
    const answer = await deps.http.call({ ...request, timeoutMs: deps.timeoutMs });
    if (answer.kind === 'answered') {
      const errorCode = parseGraphError(answer.body, deps.http.redact)?.error.code ?? null;
      usage = recordManagementAnswer(usage, { headers: answer.headers, errorCode, at: deps.clock.now() });
    }
    const parsed = parseSuccess(answer, schema, deps.http.redact);
    if (parsed.ok) return parsed.data;
    throw new GraphApiError(parsed.failure, { subcode: parsed.subcode, cause: answer.kind === 'no_answer' ? answer.cause : undefined });
  };
}

/** The create body is the template file itself (domain/template-json.ts), plus the options Meta takes beside it. */
function toTemplateCreateRequest(template: TemplateDefinition, options: TemplateCreateOptions = {}): GraphTemplateCreateRequest {
  return { ...toTemplateJson(template), ...(options.messageSendTtlSeconds === undefined ? {} : { message_send_ttl_seconds: options.messageSendTtlSeconds }) };
}

/**
 * Meta's listing read back through the same file format. Components Greenlight cannot read give
 * `template: null` rather than a failed call: the rest of the listing (status, quality) still matters.
 */
function toRemoteTemplate(template: GraphTemplate): RemoteTemplate {
  const components = template.components ?? [];
  const document = { name: template.name, language: template.language, category: template.category, parameter_format: template.parameter_format, components };
  const parsed = parseTemplateJson(document);
  return {
    id: template.id,
    name: template.name,
    language: template.language,
    status: template.status,
    category: template.category,
    subCategory: template.sub_category ?? null,
    qualityScore: template.quality_score?.score ?? null,
    rejectedReason: template.rejected_reason ?? null,
    correctCategory: template.correct_category ?? null,
    template: parsed.ok ? parsed.template : null,
    rawComponents: components,
  };
}

function toPhoneNumberInfo(phone: GraphPhoneNumberResponse): PhoneNumberInfo {
  return {
    id: phone.id,
    displayPhoneNumber: phone.display_phone_number ?? null,
    verifiedName: phone.verified_name ?? null,
    qualityRating: phone.quality_rating ?? null,
    throughputLevel: phone.throughput?.level ?? null,
    messagingLimitTier: phone.whatsapp_business_manager_messaging_limit ?? null,
    status: phone.status ?? null,
    nameStatus: phone.name_status ?? null,
    platformType: phone.platform_type ?? null,
  };
}

function toHealthStatus(answer: GraphHealthStatusResponse): HealthStatus {
  return {
    canSendMessage: answer.health_status.can_send_message,
    entities: (answer.health_status.entities ?? []).map((entity) => ({
      entityType: entity.entity_type,
      id: entity.id,
      canSendMessage: entity.can_send_message,
      errors: (entity.errors ?? []).map((error) => ({ code: error.error_code ?? null, description: error.error_description ?? null, possibleSolution: error.possible_solution ?? null })),
    })),
  };
}
