// Renders one template variant for one contact: the send payload Meta takes (whatsapp-rules.md §5.1),
// the text the person will see, and the send-time checks of §4.3 (decision step 5); and picks the
// variant's language through the fallback chain of decision step 4 (§4.4). Pure.

import type { Contact } from './contacts.ts';
import { decideInboundOptOut, STOP_PROMOTIONS_PAYLOAD } from './inbound-opt-out.ts';
import { normalizeLanguage } from './language.ts';
import type { TemplateButton, TemplateDefinition } from './template.ts';
import { BUTTON_LIMITS } from './template-lint-buttons.ts';
import { TEXT_LIMITS } from './template-lint-text.ts';
import { fillExamples, readTextVariables } from './template-variables.ts';
import type { FormattingContext, VariableMapping } from './template-variable-mapping.ts';
import { formattingContext, resolveVariable } from './template-variable-mapping.ts';

/** Meta's limits on what a send fills in (§4.2, §4.3; 132005 when a hydrated text is too long), from the lint's one copy of each number. */
export const RENDER_LIMITS = { bodyChars: TEXT_LIMITS.bodyChars, headerChars: TEXT_LIMITS.headerChars, urlChars: BUTTON_LIMITS.urlChars, couponChars: BUTTON_LIMITS.copyCodeChars } as const;

type NamedText = { type: 'text'; text: string; parameterName?: string };
type BodyParameter =
  | NamedText
  | { type: 'currency'; fallbackValue: string; code: string; amount1000: number; parameterName?: string }
  | { type: 'date_time'; fallbackValue: string; parameterName?: string };
type HeaderParameter =
  | NamedText
  | { type: 'image' | 'video' | 'document'; media: { id: string } | { link: string }; filename?: string }
  | { type: 'location'; latitude: number; longitude: number; name?: string; address?: string };
type ButtonParameter = { subType: 'url'; index: number; text: string } | { subType: 'quick_reply'; index: number; payload: string } | { subType: 'copy_code'; index: number; couponCode: string };

/** The shape of `TemplateSendParams` in ports.ts, which domain/ may not import; test/starter-templates.test.ts pins that they match. */
export type TemplateSendPayload = { name: string; languageCode: string; header?: HeaderParameter; body: BodyParameter[]; buttons: ButtonParameter[] };

export type RenderFailureReason = 'missing_variable' | 'value_too_long' | 'body_too_long' | 'header_too_long' | 'bad_value';
export type RenderFailure = { ok: false; reason: RenderFailureReason; variable: string | null; message: string };
/** `parts`: what the person sees, piece by piece (a chat bubble in the dashboard's preview); `preview` joins them. */
export type RenderedParts = { header: string | null; body: string; footer: string | null; buttons: string[] };
export type RenderedTemplate = { ok: true; send: TemplateSendPayload; preview: string; parts: RenderedParts; hydratedBodyLength: number };
export type RenderOptions = { quickReplyPayloads?: Record<number, string> };

const fail = (reason: RenderFailureReason, variable: string | null, message: string): RenderFailure => ({ ok: false, reason, variable, message });

/** The variables of a text, each once: positional ones in number order (Meta wants 1, 2, 3…), named ones as they appear. Read as lint reads them. */
function templateVariables(text: string, format: TemplateDefinition['parameterFormat']): string[] {
  const names = [...new Set(readTextVariables(text).variables.map((variable) => variable.name))];
  return format === 'positional' ? names.sort((a, b) => Number(a) - Number(b)) : names;
}

const hydrate = (text: string, values: ReadonlyMap<string, string>): string => fillExamples(text, Object.fromEntries(values));

type Rendered<T> = { ok: true; value: T } | RenderFailure;
type Scope = { template: TemplateDefinition; contact: Contact; mapping: VariableMapping; context: FormattingContext; options: RenderOptions };

export function renderTemplate(template: TemplateDefinition, contact: Contact, mapping: VariableMapping, options: RenderOptions = {}): RenderedTemplate | RenderFailure {
  const scope: Scope = { template, contact, mapping, context: formattingContext(template.language, contact), options };
  const header = renderHeader(scope);
  if (!header.ok) return header;
  const body = renderBody(scope);
  if (!body.ok) return body;
  const buttons = renderButtons(scope, body.value.firstValue);
  if (!buttons.ok) return buttons;
  const send: TemplateSendPayload = {
    name: template.name,
    languageCode: template.language,
    ...(header.value.parameter === null ? {} : { header: header.value.parameter }),
    body: body.value.parameters,
    buttons: buttons.value,
  };
  const preview = [header.value.preview, body.value.text, template.footer?.text ?? null].filter((part): part is string => part !== null && part !== '').join('\n');
  const labels = template.buttons.map((button) => `[ ${buttonLabel(button)} ]`);
  const parts: RenderedParts = { header: header.value.preview, body: body.value.text, footer: template.footer?.text ?? null, buttons: template.buttons.map(buttonLabel) };
  return { ok: true, send, preview: labels.length === 0 ? preview : `${preview}\n\n${labels.join('\n')}`, parts, hydratedBodyLength: body.value.text.length };
}

type HeaderPart = { parameter: HeaderParameter | null; preview: string | null };

function renderHeader({ template, contact, mapping, context }: Scope): Rendered<HeaderPart> {
  const header = template.header;
  if (header === null) return { ok: true, value: { parameter: null, preview: null } };
  if (header.format === 'LOCATION') {
    const location = mapping.headerLocation;
    if (location === undefined) return fail('missing_variable', 'header', 'The location header needs a location (latitude and longitude) in the mapping.');
    return { ok: true, value: { parameter: { type: 'location', ...location }, preview: `[Location: ${location.name ?? `${location.latitude}, ${location.longitude}`}]` } };
  }
  if (header.format !== 'TEXT') {
    const media = mapping.headerMedia;
    if (media === undefined) return fail('missing_variable', 'header', `The ${header.format.toLowerCase()} header needs a media id or link in the mapping.`);
    const type = header.format === 'IMAGE' ? 'image' : header.format === 'VIDEO' ? 'video' : 'document';
    return { ok: true, value: { parameter: { type, ...media }, preview: `[${header.format.charAt(0)}${header.format.slice(1).toLowerCase()}]` } };
  }
  const [name] = templateVariables(header.text, template.parameterFormat);
  if (name === undefined) return { ok: true, value: { parameter: null, preview: header.text } };
  const label = `header.${name}`;
  // A named header variable that shares a body variable's name means the same value; a positional {{1}} does not.
  const binding = mapping.header ?? (template.parameterFormat === 'named' && name !== undefined ? ownValue(mapping.body, name) : undefined);
  const value = resolveVariable(`the header variable {{${name}}}`, binding, contact, context);
  if (!value.ok) return fail(value.reason, label, value.message);
  const text = hydrate(header.text, new Map([[name, value.text]]));
  if (text.length > RENDER_LIMITS.headerChars) return fail('header_too_long', label, `The header would be ${text.length} characters with this contact's values; Meta's limit is ${RENDER_LIMITS.headerChars}.`);
  const parameter: NamedText = { type: 'text', text: value.text, ...(template.parameterFormat === 'named' ? { parameterName: name } : {}) };
  return { ok: true, value: { parameter, preview: text } };
}

type BodyPart = { parameters: BodyParameter[]; text: string; firstValue: string | null };

function renderBody({ template, contact, mapping, context }: Scope): Rendered<BodyPart> {
  const named = template.parameterFormat === 'named';
  const values = new Map<string, string>();
  const parameters: BodyParameter[] = [];
  // Meta presets an authentication body around one variable, the code (§4.2); the file leaves the text out.
  const bodyText = template.category === 'AUTHENTICATION' && template.body.text.trim() === '' ? '{{1}}' : template.body.text;
  for (const name of templateVariables(bodyText, template.parameterFormat)) {
    const value = resolveVariable(`{{${name}}}`, ownValue(mapping.body, name), contact, context);
    if (!value.ok) return fail(value.reason, name, value.message);
    values.set(name, value.text);
    const parameterName = named ? { parameterName: name } : {};
    // §5.1: a formatted amount also goes as Meta's currency parameter; the fallback text is what people see.
    if (value.currency === null) parameters.push({ type: 'text', text: value.text, ...parameterName });
    else parameters.push({ type: 'currency', fallbackValue: value.text, code: value.currency.code, amount1000: value.currency.amount1000, ...parameterName });
  }
  const text = hydrate(bodyText, values);
  if (text.length > RENDER_LIMITS.bodyChars) {
    const longest = [...values].sort((a, b) => b[1].length - a[1].length)[0]?.[0] ?? null;
    return fail('body_too_long', longest, `The body would be ${text.length} characters with this contact's values; Meta's limit is ${RENDER_LIMITS.bodyChars} (error 132005).`);
  }
  return { ok: true, value: { parameters, text, firstValue: parameters.length === 0 ? null : (values.values().next().value ?? null) } };
}

function renderButtons(scope: Scope, firstBodyValue: string | null): Rendered<ButtonParameter[]> {
  const parameters: ButtonParameter[] = [];
  for (const [index, button] of scope.template.buttons.entries()) {
    const parameter = renderButton(scope, button, index, firstBodyValue);
    if (parameter === null) continue;
    if (!parameter.ok) return parameter;
    parameters.push(parameter.value);
  }
  return { ok: true, value: parameters };
}

function renderButton(scope: Scope, button: TemplateButton, index: number, firstBodyValue: string | null): Rendered<ButtonParameter> | null {
  switch (button.type) {
    case 'QUICK_REPLY':
      return { ok: true, value: { subType: 'quick_reply', index, payload: scope.options.quickReplyPayloads?.[index] ?? defaultQuickReplyPayload(button.text, index) } };
    case 'URL':
      return templateVariables(button.url, 'positional').length === 0 ? null : renderUrlButton(scope, button.url, index);
    case 'COPY_CODE':
      return renderCouponButton(scope, index);
    case 'OTP':
      // Authentication templates: Meta takes the one-time code again as the button's url parameter.
      if (firstBodyValue === null) return null;
      return { ok: true, value: { subType: 'url', index, text: firstBodyValue } };
    case 'PHONE_NUMBER':
      return null;
  }
}

function renderUrlButton({ contact, mapping, context }: Scope, url: string, index: number): Rendered<ButtonParameter> {
  const label = `button.${index}`;
  const value = resolveVariable(`the URL variable of button ${index + 1}`, mapping.buttons?.[index], contact, context);
  if (!value.ok) return fail(value.reason, label, value.message);
  // Spaces and non-ASCII letters must not break the link; "/", "?" and "&" stay, so a value may add a path or a query.
  const text = encodeURI(value.text);
  const full = hydrate(url, new Map([['1', text]]));
  if (full.length > RENDER_LIMITS.urlChars) return fail('value_too_long', label, `The link would be ${full.length} characters with this contact's value; Meta's limit is ${RENDER_LIMITS.urlChars}.`);
  return { ok: true, value: { subType: 'url', index, text } };
}

function renderCouponButton({ contact, mapping, context }: Scope, index: number): Rendered<ButtonParameter> {
  const label = `button.${index}`;
  const value = resolveVariable(`the coupon code of button ${index + 1}`, mapping.buttons?.[index], contact, context);
  if (!value.ok) return fail(value.reason, label, value.message);
  if (value.text.length > RENDER_LIMITS.couponChars) return fail('value_too_long', label, `The coupon code "${value.text}" is ${value.text.length} characters; Meta's limit is ${RENDER_LIMITS.couponChars}.`);
  return { ok: true, value: { subType: 'copy_code', index, couponCode: value.text } };
}

/**
 * A "Stop promotions" style label gets STOP_PROMOTIONS, the payload inbound-opt-out.ts reads as a
 * marketing-only opt-out (§8.2). Any other label gets itself in upper snake case ("Track my order" →
 * TRACK_MY_ORDER), so a plain "Stop" arrives as STOP and still stops everything.
 */
export function defaultQuickReplyPayload(label: string, index: number): string {
  const optOut = decideInboundOptOut({ text: label, payload: null });
  if (optOut !== null && optOut.categories.length === 1 && optOut.categories[0] === 'marketing') return STOP_PROMOTIONS_PAYLOAD;
  const snake = label.normalize('NFD').replace(/\p{M}/gu, '').replace(/[^\p{L}\p{N}]+/gu, '_').replace(/^_+|_+$/g, '').toUpperCase();
  return snake === '' ? `QUICK_REPLY_${index}` : snake;
}

function buttonLabel(button: TemplateButton): string {
  switch (button.type) {
    case 'COPY_CODE':
      return 'Copy offer code';
    case 'OTP':
      return button.text ?? (button.otpType === 'COPY_CODE' ? 'Copy code' : 'Autofill');
    default:
      return button.text;
  }
}

export type LanguageChoice = { language: string; via: 'contact' | 'base_language' | 'campaign_default' };

/**
 * Decision step 4: the contact's language (pt_BR), then its relatives (pt, then another pt_xx, so a
 * "pt" contact gets pt_BR rather than English), then the campaign's default and its relatives. Only
 * APPROVED variants count (§4.1). The answer is the variant's own code: sending needs the exact match (132001).
 */
export function resolveTemplateLanguage(contactLanguage: string | null, campaignDefault: string, variants: ReadonlyArray<{ language: string; status: string | null }>): LanguageChoice | null {
  const approved = variants.filter((variant) => variant.status?.toUpperCase() === 'APPROVED').map((variant) => ({ code: variant.language, normalized: normalizeLanguage(variant.language) }));
  const preferred = normalizeLanguage(campaignDefault);
  const contact = contactLanguage === null ? undefined : normalizeLanguage(contactLanguage);
  if (contact !== undefined) {
    const exact = approved.find((variant) => variant.normalized === contact);
    if (exact) return { language: exact.code, via: 'contact' };
    const relative = closestRelative(approved, contact, preferred);
    if (relative) return { language: relative, via: 'base_language' };
  }
  if (preferred === undefined) return null;
  const fallback = approved.find((variant) => variant.normalized === preferred)?.code ?? closestRelative(approved, preferred, preferred);
  return fallback === undefined ? null : { language: fallback, via: 'campaign_default' };
}

/** Same base language, another region: the bare base first, then the campaign's default, then in code order (deterministic). */
function closestRelative(approved: ReadonlyArray<{ code: string; normalized: string | undefined }>, language: string, preferred: string | undefined): string | undefined {
  const base = language.split('_')[0];
  const rank = (normalized: string | undefined) => (normalized === base ? 0 : normalized === preferred ? 1 : 2);
  const relatives = approved.filter((variant) => variant.normalized !== undefined && variant.normalized !== language && variant.normalized.split('_')[0] === base);
  return relatives.sort((a, b) => rank(a.normalized) - rank(b.normalized) || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))[0]?.code;
}

/** Own properties only: a variable called {{constructor}} must not find Object's constructor. */
function ownValue<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
