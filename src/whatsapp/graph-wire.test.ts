// Contract tests: the examples of whatsapp-rules.md (copied in shape from Meta's documentation) parse with
// graph-wire.ts, and malformed payloads are refused, so the client and the simulator cannot agree on a
// wrong shape. Pure unit tests.
import { describe, expect, it } from 'vitest';
import {
  graphErrorBodySchema,
  graphHealthStatusResponseSchema,
  graphMarketingMessageRequestSchema,
  graphPhoneNumberResponseSchema,
  graphSendMessageRequestSchema,
  graphSendMessageResponseSchema,
  graphTemplateCreateRequestSchema,
  graphTemplateCreateResponseSchema,
  graphTemplateListResponseSchema,
  graphTemplateSchema,
} from './graph-wire.ts';
import { POSITIONAL_TEMPLATE_REQUEST } from '../../test/helpers/meta-send-examples.ts';


describe('graph-wire: requests', () => {
  it.each([
    ['the positional template of §5.1', POSITIONAL_TEMPLATE_REQUEST],
    ['the session text of §5.1 with context and biz_opaque_callback_data', { messaging_product: 'whatsapp', recipient_type: 'individual', to: '+16505551234', type: 'text', text: { preview_url: true, body: 'As requested' }, context: { message_id: 'wamid.X' }, biz_opaque_callback_data: 'msg-1' }],
    ['a named-parameter body (§5.1)', { messaging_product: 'whatsapp', to: '+1', type: 'template', template: { name: 'order', language: { code: 'en' }, components: [{ type: 'body', parameters: [{ type: 'text', parameter_name: 'first_name', text: 'Jessica' }] }] } }],
    ['a document by link with a file name', { messaging_product: 'whatsapp', to: 'US.13491208655302741918', type: 'document', document: { link: 'https://example.com/a.pdf', filename: 'a.pdf' } }],
  ])('accepts %s', (_case, body) => {
    expect(graphSendMessageRequestSchema.safeParse(body).error).toBeUndefined();
  });

  it.each([
    ['media with both id and link', { messaging_product: 'whatsapp', to: '+1', type: 'image', image: { id: '1', link: 'https://x' } }],
    ['media with neither id nor link', { messaging_product: 'whatsapp', to: '+1', type: 'image', image: {} }],
    ['a copy_code button carrying a payload', { ...POSITIONAL_TEMPLATE_REQUEST, template: { name: 'x', language: { code: 'en' }, components: [{ type: 'button', sub_type: 'copy_code', index: '0', parameters: [{ type: 'payload', payload: 'X' }] }] } }],
    ['a currency without amount_1000', { ...POSITIONAL_TEMPLATE_REQUEST, template: { name: 'x', language: { code: 'en' }, components: [{ type: 'body', parameters: [{ type: 'currency', currency: { fallback_value: '$1', code: 'USD' } }] }] } }],
    ['a missing messaging_product', { to: '+1', type: 'text', text: { body: 'hi' } }],
  ])('refuses %s', (_case, body) => {
    expect(graphSendMessageRequestSchema.safeParse(body).success).toBe(false);
  });

  it('accepts only templates on the Marketing Messages API, with its own message_activity_sharing field', () => {
    expect(graphMarketingMessageRequestSchema.safeParse({ ...POSITIONAL_TEMPLATE_REQUEST, message_activity_sharing: true }).success).toBe(true);
    expect(graphMarketingMessageRequestSchema.safeParse({ messaging_product: 'whatsapp', to: '+1', type: 'text', text: { body: 'hi' } }).success).toBe(false);
  });

  it('accepts the template creation body of §4.5 and refuses a name with capitals', () => {
    const draft = { name: 'spring_sale', language: 'pt_BR', category: 'MARKETING', parameter_format: 'positional', components: [{ type: 'BODY', text: 'Oi {{1}}!' }] };
    expect(graphTemplateCreateRequestSchema.safeParse(draft).success).toBe(true);
    expect(graphTemplateCreateRequestSchema.safeParse({ ...draft, name: 'Spring_Sale' }).success).toBe(false);
  });
});

describe('graph-wire: responses', () => {
  it('parses the success response of §5.2 and keeps extra fields Meta may add', () => {
    const body = { messaging_product: 'whatsapp', contacts: [{ input: '+16505551234', wa_id: '16505551234' }], messages: [{ id: 'wamid.HBgL', message_status: 'accepted', extra: 1 }] };
    expect(graphSendMessageResponseSchema.parse(body).messages[0]).toEqual({ id: 'wamid.HBgL', message_status: 'accepted', extra: 1 });
  });

  it('refuses a success response without a message id', () => {
    expect(graphSendMessageResponseSchema.safeParse({ messaging_product: 'whatsapp', contacts: [], messages: [] }).success).toBe(false);
  });

  it('parses the error body of §3.1 with error_data.details and the deprecated error_subcode', () => {
    const body = { error: { message: '(#130429) Rate limit hit', type: 'OAuthException', code: 130429, error_data: { messaging_product: 'whatsapp', details: 'Cloud API message throughput has been reached.' }, error_subcode: 2494055, fbtrace_id: 'Az8or2yhqkZfEZ-_4Qn_Bam' } };
    const parsed = graphErrorBodySchema.parse(body);
    expect([parsed.error.code, parsed.error.error_data?.details, parsed.error.error_subcode]).toEqual([130429, 'Cloud API message throughput has been reached.', 2494055]);
  });

  it('parses the phone-number fields of §1.3', () => {
    const body = { id: '106540352242922', quality_rating: 'GREEN', throughput: { level: 'STANDARD' }, whatsapp_business_manager_messaging_limit: 'TIER_250', status: 'CONNECTED', name_status: 'APPROVED', platform_type: 'CLOUD_API', display_phone_number: '+1 555-0100', verified_name: 'Acme' };
    expect(graphPhoneNumberResponseSchema.parse(body).throughput?.level).toBe('STANDARD');
  });

  it('parses a health_status answer with per-entity errors', () => {
    const body = { id: '1', health_status: { can_send_message: 'BLOCKED', entities: [{ entity_type: 'WABA', id: '2', can_send_message: 'BLOCKED', errors: [{ error_code: 141010, error_description: 'Verify the business', possible_solution: 'Complete verification' }] }] } };
    expect(graphHealthStatusResponseSchema.parse(body).health_status.entities?.[0]?.errors?.[0]?.error_code).toBe(141010);
  });

  it('parses template creation, a single template with quality_score, and a page of the template list', () => {
    expect(graphTemplateCreateResponseSchema.parse({ id: '572279198452421', status: 'PENDING', category: 'MARKETING' }).id).toBe('572279198452421');
    const template = { id: '1', name: 'spring_sale', language: 'pt_BR', status: 'APPROVED', category: 'MARKETING', sub_category: 'CUSTOM', parameter_format: 'POSITIONAL', components: [{ type: 'BODY', text: 'Oi {{1}}' }], quality_score: { score: 'GREEN', date: 1758754645 } };
    expect(graphTemplateSchema.parse(template).quality_score).toEqual({ score: 'GREEN', date: 1758754645 });
    const page = graphTemplateListResponseSchema.parse({ data: [template], paging: { cursors: { before: 'B', after: 'A' }, next: 'https://graph.facebook.com/v23.0/1/message_templates?after=A' } });
    expect(page.paging?.cursors?.after).toBe('A');
  });
});
