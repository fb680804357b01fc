// GET /{node-id}?fields=…: renders a phone number, a WABA or a template with only the requested fields
// (plus id), as Meta does (§1.3, §4.5), and the Health Status API answer (§1.3) for each of them.

import type { GraphHealthStatusResponse, GraphPhoneNumberResponse, GraphTemplate } from '../whatsapp/graph-wire.ts';
import type { SimContext } from './sim-context.ts';
import type { Sender } from './senders.ts';
import type { SimTemplate } from './template-registry.ts';
import { unixSeconds } from './webhook-payloads.ts';

type Fields = Record<string, unknown>;
type HealthEntity = { entity_type: string; id: string; can_send_message: 'AVAILABLE' | 'LIMITED' | 'BLOCKED'; errors?: Array<{ error_code: number; error_description: string; possible_solution: string }> };

// The business portfolio and app behind every simulated WABA (ids are fixed: they are never addressed).
const BUSINESS_ID = '2729063490586005';
const APP_ID = '334592526435262';

const PHONE_DEFAULT_FIELDS = ['verified_name', 'display_phone_number', 'quality_rating', 'platform_type', 'throughput'];
const TEMPLATE_DEFAULT_FIELDS = ['name', 'parameter_format', 'components', 'language', 'status', 'category', 'sub_category'];

/** Keeps the requested fields that exist (Meta ignores none silently, but the simulator is lenient) and adds id. */
function pick(all: Fields, requested: readonly string[], defaults: readonly string[]): Fields {
  const names = requested.length > 0 ? requested : defaults;
  const picked: Fields = {};
  for (const name of names) if (all[name] !== undefined) picked[name] = all[name];
  return { ...picked, id: all['id'] };
}

function worst(entities: readonly HealthEntity[]): HealthEntity['can_send_message'] {
  if (entities.some((entity) => entity.can_send_message === 'BLOCKED')) return 'BLOCKED';
  return entities.some((entity) => entity.can_send_message === 'LIMITED') ? 'LIMITED' : 'AVAILABLE';
}

function baseEntities(wabaId: string): HealthEntity[] {
  return [
    { entity_type: 'WABA', id: wabaId, can_send_message: 'AVAILABLE' },
    { entity_type: 'BUSINESS', id: BUSINESS_ID, can_send_message: 'AVAILABLE' },
    { entity_type: 'APP', id: APP_ID, can_send_message: 'AVAILABLE' },
  ];
}

function templateEntity(template: SimTemplate): HealthEntity {
  const blocked = (error_code: number, error_description: string, possible_solution: string): HealthEntity => ({
    entity_type: 'MESSAGE_TEMPLATE',
    id: template.id,
    can_send_message: 'BLOCKED',
    errors: [{ error_code, error_description, possible_solution }],
  });
  if (template.status === 'PAUSED') return blocked(132015, 'The message template is paused because of low quality.', 'Wait for the pause to end or unpause the template.');
  if (template.status === 'DISABLED') return blocked(132016, 'The message template is disabled.', 'Create a new template with different content.');
  if (template.status !== 'APPROVED') return blocked(132001, `The message template is ${template.status}.`, 'Wait for approval or fix and resubmit the template.');
  return { entity_type: 'MESSAGE_TEMPLATE', id: template.id, can_send_message: 'AVAILABLE' };
}

function healthStatus(entities: HealthEntity[]): GraphHealthStatusResponse['health_status'] {
  return { can_send_message: worst(entities), entities };
}

export function phoneNumberFields(ctx: SimContext, sender: Sender, requested: readonly string[]): Fields {
  const all: GraphPhoneNumberResponse & Pick<GraphHealthStatusResponse, 'health_status'> = {
    id: sender.id,
    display_phone_number: sender.displayPhoneNumber,
    verified_name: sender.verifiedName,
    quality_rating: ctx.senders.quality(sender, ctx.quality.senderRating(sender.id)),
    throughput: { level: sender.throughputLevel },
    whatsapp_business_manager_messaging_limit: ctx.behaviour.messagingLimitTier,
    status: 'CONNECTED',
    name_status: 'APPROVED',
    platform_type: 'CLOUD_API',
    health_status: healthStatus([{ entity_type: 'PHONE_NUMBER', id: sender.id, can_send_message: 'AVAILABLE' }, ...baseEntities(sender.wabaId)]),
  };
  return pick(all, requested, PHONE_DEFAULT_FIELDS);
}

export function wabaFields(ctx: SimContext, wabaId: string, requested: readonly string[]): Fields {
  const all: Fields = {
    id: wabaId,
    name: 'Simulated WhatsApp Business Account',
    whatsapp_business_manager_messaging_limit: ctx.behaviour.messagingLimitTier,
    health_status: healthStatus(baseEntities(wabaId)),
  };
  return pick(all, requested, ['name']);
}

export function templateFields(template: SimTemplate, requested: readonly string[]): Fields {
  const all: GraphTemplate & Pick<GraphHealthStatusResponse, 'health_status'> = {
    id: template.id,
    name: template.name,
    language: template.language,
    status: template.status,
    category: template.category,
    ...(template.subCategory === null ? {} : { sub_category: template.subCategory }),
    parameter_format: template.parameterFormat.toUpperCase(),
    components: template.components,
    quality_score: { score: template.quality, date: unixSeconds(template.qualityUpdatedAtMs) },
    rejected_reason: template.rejectedReason ?? 'NONE',
    health_status: healthStatus([templateEntity(template), ...baseEntities(template.wabaId)]),
  };
  return pick(all, requested, TEMPLATE_DEFAULT_FIELDS);
}
