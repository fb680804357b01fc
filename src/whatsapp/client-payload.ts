// Maps Greenlight's camelCase OutboundMessage to the body of `POST /{phone-number-id}/messages` in Meta's
// snake_case (whatsapp-rules.md §5.1). Pure and total over the port type: it validates nothing the
// types already guarantee, and it decides nothing about routes or retries.
import type { MediaRef, OutboundMessage, TemplateSendParams } from '../ports.ts';
import type { GraphBodyParameter, GraphHeaderParameter, GraphMediaObject, GraphSendMessageRequest, GraphTemplateComponent, GraphTemplateObject } from './graph-wire.ts';

/**
 * Phone numbers always go out with "+": without it Meta prepends the sender's own country code, which can
 * reach the wrong person (whatsapp-rules.md §5.1). Anything that is not all digits is a BSUID (for example
 * "US.13491208655302741918", whatsapp-rules.md §6.5) and goes out as it is.
 */
export function toGraphRecipient(to: string): string {
  return /^\d+$/.test(to) ? `+${to}` : to;
}

/** Copies only the keys whose value is defined, so the JSON body carries no empty optional fields. */
function defined<T extends Record<string, unknown>>(fields: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
}

function toMediaObject(media: MediaRef, extra: { caption?: string | undefined; filename?: string | undefined } = {}): GraphMediaObject {
  const source = 'id' in media ? { id: media.id } : { link: media.link };
  return { ...source, ...defined(extra) };
}

export function toGraphSendRequest(message: OutboundMessage): GraphSendMessageRequest {
  const base = {
    messaging_product: 'whatsapp' as const,
    recipient_type: 'individual' as const,
    to: toGraphRecipient(message.to),
    ...defined({ biz_opaque_callback_data: message.bizOpaqueCallbackData }),
    ...(message.contextWamid === undefined ? {} : { context: { message_id: message.contextWamid } }),
  };
  switch (message.type) {
    case 'text':
      return { ...base, type: 'text', text: { body: message.body, ...defined({ preview_url: message.previewUrl }) } };
    case 'image':
      return { ...base, type: 'image', image: toMediaObject(message.media, { caption: message.caption }) };
    case 'video':
      return { ...base, type: 'video', video: toMediaObject(message.media, { caption: message.caption }) };
    case 'document':
      return { ...base, type: 'document', document: toMediaObject(message.media, { caption: message.caption, filename: message.filename }) };
    // Audio takes neither a caption nor a file name.
    case 'audio':
      return { ...base, type: 'audio', audio: toMediaObject(message.media) };
    case 'template':
      return { ...base, type: 'template', template: toGraphTemplate(message.template) };
  }
}

export function toGraphTemplate(template: TemplateSendParams): GraphTemplateObject {
  const components: GraphTemplateComponent[] = [];
  if (template.header) components.push({ type: 'header', parameters: [toHeaderParameter(template.header)] });
  if (template.body.length > 0) components.push({ type: 'body', parameters: template.body.map(toBodyParameter) });
  for (const button of template.buttons) components.push(toButtonComponent(button));
  return { name: template.name, language: { code: template.languageCode }, ...(components.length > 0 ? { components } : {}) };
}

function toHeaderParameter(header: NonNullable<TemplateSendParams['header']>): GraphHeaderParameter {
  switch (header.type) {
    case 'text':
      return { type: 'text', text: header.text, ...defined({ parameter_name: header.parameterName }) };
    case 'image':
      return { type: 'image', image: toMediaObject(header.media) };
    case 'video':
      return { type: 'video', video: toMediaObject(header.media) };
    case 'document':
      return { type: 'document', document: toMediaObject(header.media, { filename: header.filename }) };
    case 'location':
      return { type: 'location', location: { latitude: header.latitude, longitude: header.longitude, ...defined({ name: header.name, address: header.address }) } };
  }
}

function toBodyParameter(parameter: TemplateSendParams['body'][number]): GraphBodyParameter {
  const name = defined({ parameter_name: parameter.parameterName });
  switch (parameter.type) {
    case 'text':
      return { type: 'text', text: parameter.text, ...name };
    case 'currency':
      return { type: 'currency', currency: { fallback_value: parameter.fallbackValue, code: parameter.code, amount_1000: parameter.amount1000 }, ...name };
    case 'date_time':
      return { type: 'date_time', date_time: { fallback_value: parameter.fallbackValue }, ...name };
  }
}

/** `index` is the button's 0-based position, written as a string as in Meta's examples (whatsapp-rules.md §5.1). */
function toButtonComponent(button: TemplateSendParams['buttons'][number]): GraphTemplateComponent {
  const index = String(button.index);
  switch (button.subType) {
    case 'url':
      return { type: 'button', sub_type: 'url', index, parameters: [{ type: 'text', text: button.text }] };
    case 'quick_reply':
      return { type: 'button', sub_type: 'quick_reply', index, parameters: [{ type: 'payload', payload: button.payload }] };
    case 'copy_code':
      return { type: 'button', sub_type: 'copy_code', index, parameters: [{ type: 'coupon_code', coupon_code: button.couponCode }] };
  }
}
