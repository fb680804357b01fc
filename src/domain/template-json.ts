// The template FILE FORMAT: Meta's own create-payload JSON (whatsapp-rules.md §4.5), read into the domain
// model and written back as the exact create body. Pure. It speaks Meta's vocabulary on purpose: the file
// format IS Meta's document, so users can paste Meta's examples. Shape and types only: rules are template-lint.ts.

import { z } from 'zod';
import { normalizeLanguage } from './language.ts';
import { exampleOf } from './template-variables.ts';
import { PARAMETER_FORMATS, TEMPLATE_CATEGORIES, type ParameterFormat, type TemplateButton, type TemplateCategory, type TemplateDefinition, type TemplateHeader, type TextWithVariables } from './template.ts';

// ---- The document, as Meta spells it ----------------------------------------------------------------

type NamedExample = { param_name: string; example: string };
export type MetaTemplateButton =
  | { type: 'QUICK_REPLY'; text: string }
  | { type: 'URL'; text: string; url: string; example?: string[] }
  | { type: 'PHONE_NUMBER'; text: string; phone_number: string }
  | { type: 'COPY_CODE'; example: string }
  | { type: 'OTP'; otp_type: 'COPY_CODE' | 'ONE_TAP' | 'ZERO_TAP'; text?: string };
export type MetaTemplateComponent =
  | { type: 'HEADER'; format: 'TEXT'; text: string; example?: { header_text: string[] } | { header_text_named_params: NamedExample[] } }
  | { type: 'HEADER'; format: 'IMAGE' | 'VIDEO' | 'DOCUMENT'; example?: { header_handle: string[] } }
  | { type: 'HEADER'; format: 'LOCATION' }
  | { type: 'BODY'; text?: string; example?: { body_text: string[][] } | { body_text_named_params: NamedExample[] }; add_security_recommendation?: boolean }
  | { type: 'FOOTER'; text?: string; code_expiration_minutes?: number }
  | { type: 'BUTTONS'; buttons: MetaTemplateButton[] };
/** The body of `POST /{waba-id}/message_templates` (whatsapp-rules.md §4.5). */
export type MetaTemplateJson = { name: string; language: string; category: TemplateCategory; parameter_format: ParameterFormat; components: MetaTemplateComponent[] };

export type TemplateJsonError = { path: string; message: string };
export type TemplateJsonResult = { ok: true; template: TemplateDefinition } | { ok: false; errors: TemplateJsonError[] };

// ---- Schemas: Meta writes types in any case ("body", "BODY"), so names are upper-cased before matching ----

const text = (message: string) => z.string({ error: message });
const upperCased = (value: unknown) => (typeof value === 'string' ? value.trim().toUpperCase() : value);
/** A field Meta knows and Greenlight's model cannot keep: refusing it beats silently dropping it. */
const unsupported = (message: string) => z.never({ error: message }).optional();
const exampleValue = text('each example value is text');
const namedExample = z.looseObject({ param_name: text('a named example needs its param_name'), example: text('a named example needs its example value') });
const namedExamples = z.array(namedExample, { error: 'named examples are a list like [{ "param_name": "first_name", "example": "Ana" }]' });
const firstOf = (message: string) => z.union([z.string(), z.array(exampleValue)], { error: message }).transform((value) => (typeof value === 'string' ? value : (value[0] ?? null)));

const headerSchema = z.discriminatedUnion(
  'format',
  [
    z.looseObject({
      type: z.literal('HEADER'),
      format: z.literal('TEXT'),
      text: text('a TEXT header needs its text'),
      example: z.looseObject({ header_text: z.array(exampleValue, { error: 'header_text is a list like ["Summer Sale"]' }).optional(), header_text_named_params: namedExamples.optional() }).optional(),
    }),
    z.looseObject({
      type: z.literal('HEADER'),
      format: z.enum(['IMAGE', 'VIDEO', 'DOCUMENT']),
      example: z.looseObject({ header_handle: z.array(exampleValue, { error: 'header_handle is a list holding the handle of an uploaded sample, like ["4::aW1h…"]' }).optional() }).optional(),
    }),
    z.looseObject({ type: z.literal('HEADER'), format: z.literal('LOCATION') }),
  ],
  { error: unionError('format', 'the header format is TEXT, IMAGE, VIDEO, DOCUMENT or LOCATION') },
);

const bodyTextShape = 'body_text is a list holding one list of examples, like [["Ana", "25OFF"]]';
const bodySchema = z.looseObject({
  type: z.literal('BODY'),
  text: text('the body text goes in quotes, like "Hi {{1}}"').optional(),
  example: z
    .looseObject({
      body_text: z.array(z.array(exampleValue, { error: bodyTextShape }), { error: bodyTextShape }).optional(),
      body_text_named_params: namedExamples.optional(),
    })
    .optional(),
  add_security_recommendation: z.boolean({ error: 'add_security_recommendation is true or false' }).optional(),
});

const footerSchema = z.looseObject({
  type: z.literal('FOOTER'),
  text: text('the footer text goes in quotes, like "Reply STOP to opt out"').optional(),
  code_expiration_minutes: z.number({ error: 'code_expiration_minutes is a number of minutes' }).int({ error: 'code_expiration_minutes is a whole number of minutes' }).optional(),
});

const label = text('a button needs its label');
const oneTapOnly = 'Greenlight cannot keep one-tap or zero-tap app details yet; use otp_type COPY_CODE';
const buttonSchema = z.preprocess(
  (value) => withUpperCased(value, ['type', 'otp_type']),
  z.discriminatedUnion(
    'type',
    [
      z.looseObject({ type: z.literal('QUICK_REPLY'), text: label }),
      z.looseObject({ type: z.literal('URL'), text: label, url: text('a URL button needs its url'), example: firstOf('the URL example is a list like ["https://shop.example/track/A12"]').optional() }),
      z.looseObject({ type: z.literal('PHONE_NUMBER'), text: label, phone_number: text('a PHONE_NUMBER button needs its phone_number') }),
      z.looseObject({ type: z.literal('COPY_CODE'), example: firstOf('a COPY_CODE button needs its example code, like "25OFF"') }),
      z.looseObject({
        type: z.literal('OTP'),
        otp_type: z.enum(['COPY_CODE', 'ONE_TAP', 'ZERO_TAP'], { error: 'otp_type is COPY_CODE, ONE_TAP or ZERO_TAP' }),
        text: label.optional(),
        supported_apps: unsupported(oneTapOnly),
        autofill_text: unsupported(oneTapOnly),
        zero_tap_terms_accepted: unsupported(oneTapOnly),
      }),
    ],
    { error: unionError('type', 'a button type is QUICK_REPLY, URL, PHONE_NUMBER, COPY_CODE or OTP') },
  ),
);

const buttonsSchema = z.looseObject({ type: z.literal('BUTTONS'), buttons: z.array(buttonSchema, { error: 'buttons is a list of button objects' }) });

const componentSchema = z.preprocess(
  (value) => withUpperCased(value, ['type', 'format']),
  z.discriminatedUnion('type', [headerSchema, bodySchema, footerSchema, buttonsSchema], { error: unionError('type', 'a component type is HEADER, BODY, FOOTER or BUTTONS') }),
);
type ParsedComponent = z.output<typeof componentSchema>;

const documentSchema = z.looseObject(
  {
    name: text('a template needs its name, like "order_update"'),
    language: text('a template needs its language, like "en_US"').transform((value, context) => {
      const normalized = normalizeLanguage(value);
      if (normalized === undefined) context.addIssue({ code: 'custom', message: `"${value}" is not a language code like en, en_US or pt_BR` });
      return normalized ?? value;
    }),
    category: z.preprocess(upperCased, z.enum(TEMPLATE_CATEGORIES, { error: 'the category is MARKETING, UTILITY or AUTHENTICATION' })),
    parameter_format: z.preprocess((value) => (typeof value === 'string' ? value.trim().toLowerCase() : value), z.enum(PARAMETER_FORMATS, { error: 'parameter_format is "positional" or "named"' })).optional(),
    components: z.array(componentSchema, { error: 'components is a list of HEADER, BODY, FOOTER and BUTTONS objects' }),
    message_send_ttl_seconds: unsupported('Greenlight does not keep a time-to-live in the template file yet; remove it (Meta’s default applies)'),
  },
  { error: 'a template file is a JSON object with name, language, category and components' },
);

function withUpperCased(value: unknown, keys: readonly string[]): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const copy: Record<string, unknown> = { ...value };
  for (const key of keys) if (typeof copy[key] === 'string') copy[key] = upperCased(copy[key]);
  return copy;
}

/** The message for a value no option matches: not an object at all, or an unknown (or missing) type name. */
function unionError(key: string, expected: string) {
  return (issue: { code?: string; input?: unknown }): string => {
    if (issue.code === 'invalid_type') return `expected an object like { "${key}": "…" }`;
    const value = typeof issue.input === 'object' && issue.input !== null ? (issue.input as Record<string, unknown>)[key] : undefined;
    return typeof value === 'string' ? `${expected}; Greenlight cannot read ${JSON.stringify(value)} yet` : expected;
  };
}

// ---- Reading ----------------------------------------------------------------------------------------

/** The JSON path of an issue as a marketer reads it: components[1].buttons[0].text. */
function formatPath(path: readonly PropertyKey[]): string {
  const joined = path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : out === '' ? String(key) : `${out}.${String(key)}`), '');
  return joined === '' ? 'template' : joined;
}

export function parseTemplateJson(input: unknown): TemplateJsonResult {
  const parsed = documentSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: parsed.error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message })) };
  return toDefinition(parsed.data);
}

type Slots = { [Type in ParsedComponent['type']]?: { index: number; component: Extract<ParsedComponent, { type: Type }> } };

/** One component of each type at most (the model has one slot each, §4.2), and exactly one BODY. */
function collectSlots(components: readonly ParsedComponent[], errors: TemplateJsonError[]): Slots {
  const slots: Slots = {};
  components.forEach((component, index) => {
    const existing = slots[component.type];
    if (existing === undefined) (slots as Record<string, { index: number; component: ParsedComponent }>)[component.type] = { index, component };
    else errors.push({ path: `components[${index}]`, message: `a template has one ${component.type} component at most; components[${existing.index}] is already one` });
  });
  if (slots.BODY === undefined) errors.push({ path: 'components', message: 'a template needs a BODY component with its text' });
  return slots;
}

function toDefinition(document: z.output<typeof documentSchema>): TemplateJsonResult {
  const errors: TemplateJsonError[] = [];
  const { HEADER, BODY, FOOTER, BUTTONS } = collectSlots(document.components, errors);
  // Authentication bodies and footers are preset by Meta (§4.2): only their options may be written.
  const presetText = document.category === 'AUTHENTICATION';
  if (BODY !== undefined && BODY.component.text === undefined && !presetText) errors.push({ path: `components[${BODY.index}].text`, message: 'the body needs its text' });
  if (FOOTER !== undefined && FOOTER.component.text === undefined && !presetText) errors.push({ path: `components[${FOOTER.index}].text`, message: 'the footer needs its text' });
  if (errors.length > 0 || BODY === undefined) return { ok: false, errors };
  const [body, footer] = [BODY.component, FOOTER?.component];
  const header = HEADER === undefined ? null : toHeader(HEADER.component);
  const bodyText = { text: body.text ?? '', examples: readExamples(body.example?.body_text?.[0], body.example?.body_text_named_params) };
  const template: TemplateDefinition = {
    name: document.name,
    language: document.language,
    category: document.category,
    parameterFormat: document.parameter_format ?? inferParameterFormat([bodyText, ...(header?.format === 'TEXT' ? [header] : [])]),
    header,
    body: { ...bodyText, ...(body.add_security_recommendation === undefined ? {} : { addSecurityRecommendation: body.add_security_recommendation }) },
    footer: footer === undefined ? null : { text: footer.text ?? '', ...(footer.code_expiration_minutes === undefined ? {} : { codeExpirationMinutes: footer.code_expiration_minutes }) },
    buttons: (BUTTONS?.component.buttons ?? []).map(toButton),
  };
  return { ok: true, template };
}

function toHeader(header: Extract<ParsedComponent, { type: 'HEADER' }>): TemplateHeader {
  if (header.format === 'TEXT') return { format: 'TEXT', text: header.text, examples: readExamples(header.example?.header_text, header.example?.header_text_named_params) };
  if (header.format === 'LOCATION') return { format: 'LOCATION' };
  return { format: header.format, exampleHandle: header.example?.header_handle?.[0] ?? null };
}

type ParsedButton = Extract<ParsedComponent, { type: 'BUTTONS' }>['buttons'][number];

function toButton(button: ParsedButton): TemplateButton {
  switch (button.type) {
    case 'QUICK_REPLY':
      return { type: 'QUICK_REPLY', text: button.text };
    case 'URL':
      return { type: 'URL', text: button.text, url: button.url, example: button.example ?? null };
    case 'PHONE_NUMBER':
      return { type: 'PHONE_NUMBER', text: button.text, phoneNumber: button.phone_number };
    case 'COPY_CODE':
      return { type: 'COPY_CODE', example: button.example ?? '' };
    case 'OTP':
      return { type: 'OTP', otpType: button.otp_type, text: button.text ?? null };
  }
}

/** Positional examples are keyed "1", "2"… by their place in the list; named ones by param_name. */
function readExamples(positional: readonly string[] | undefined, named: readonly NamedExample[] | undefined): Record<string, string> {
  // fromEntries defines own properties, so a parameter called "__proto__" is an example like any other.
  return Object.fromEntries([...(positional ?? []).map((value, index) => [String(index + 1), value] as const), ...(named ?? []).map((entry) => [entry.param_name, entry.example] as const)]);
}

const VARIABLE = /\{\{\s*([^{}]*?)\s*\}\}/g;

/**
 * Meta's default is positional (§4.2); a file that leaves parameter_format out but writes only named
 * variables ({{first_name}}), or gives named examples, means named.
 */
function inferParameterFormat(texts: readonly TextWithVariables[]): ParameterFormat {
  const variables = texts.flatMap((entry) => [...entry.text.matchAll(VARIABLE)].map((match) => match[1] ?? ''));
  const exampleKeys = texts.flatMap((entry) => Object.keys(entry.examples));
  const names = variables.length > 0 ? variables : exampleKeys;
  return names.length > 0 && names.every((name) => !/^\d+$/.test(name)) ? 'named' : 'positional';
}

// ---- Writing ----------------------------------------------------------------------------------------

export function toTemplateJson(template: TemplateDefinition): MetaTemplateJson {
  const components: MetaTemplateComponent[] = [];
  if (template.header !== null) components.push(headerJson(template.header, template.parameterFormat));
  components.push(bodyJson(template));
  if (template.footer !== null) components.push(footerJson(template.footer, template.category));
  if (template.buttons.length > 0) components.push({ type: 'BUTTONS', buttons: template.buttons.map(buttonJson) });
  return { name: template.name, language: template.language, category: template.category, parameter_format: template.parameterFormat, components };
}

/** Place n - 1 holds example "n"; a missing one is written "" so later values keep their places (lint reports it). */
function positionalList(examples: Record<string, string>): string[] {
  const last = Math.max(0, ...Object.keys(examples).filter((key) => /^\d+$/.test(key)).map(Number));
  return Array.from({ length: last }, (_, index) => exampleOf(examples, String(index + 1)) ?? '');
}
const namedList = (examples: Record<string, string>): NamedExample[] => Object.entries(examples).map(([param_name, example]) => ({ param_name, example }));
const hasExamples = (entry: TextWithVariables) => Object.keys(entry.examples).length > 0;

function headerJson(header: TemplateHeader, format: ParameterFormat): MetaTemplateComponent {
  if (header.format === 'LOCATION') return { type: 'HEADER', format: 'LOCATION' };
  if (header.format !== 'TEXT') return { type: 'HEADER', format: header.format, ...(header.exampleHandle === null ? {} : { example: { header_handle: [header.exampleHandle] } }) };
  const example = format === 'named' ? { header_text_named_params: namedList(header.examples) } : { header_text: positionalList(header.examples) };
  return { type: 'HEADER', format: 'TEXT', text: header.text, ...(hasExamples(header) ? { example } : {}) };
}

function bodyJson(template: TemplateDefinition): MetaTemplateComponent {
  const { body, parameterFormat } = template;
  const example = parameterFormat === 'named' ? { body_text_named_params: namedList(body.examples) } : { body_text: [positionalList(body.examples)] };
  // Meta presets the authentication body (§4.2): an empty text is left out, as in Meta's own examples.
  const omitText = body.text === '' && template.category === 'AUTHENTICATION';
  return {
    type: 'BODY',
    ...(omitText ? {} : { text: body.text }),
    ...(hasExamples(body) ? { example } : {}),
    ...(body.addSecurityRecommendation === undefined ? {} : { add_security_recommendation: body.addSecurityRecommendation }),
  };
}

function footerJson(footer: NonNullable<TemplateDefinition['footer']>, category: TemplateCategory): MetaTemplateComponent {
  const omitText = footer.text === '' && category === 'AUTHENTICATION';
  return { type: 'FOOTER', ...(omitText ? {} : { text: footer.text }), ...(footer.codeExpirationMinutes === undefined ? {} : { code_expiration_minutes: footer.codeExpirationMinutes }) };
}

function buttonJson(button: TemplateButton): MetaTemplateButton {
  switch (button.type) {
    case 'QUICK_REPLY':
      return { type: 'QUICK_REPLY', text: button.text };
    case 'URL':
      return { type: 'URL', text: button.text, url: button.url, ...(button.example === null ? {} : { example: [button.example] }) };
    case 'PHONE_NUMBER':
      return { type: 'PHONE_NUMBER', text: button.text, phone_number: button.phoneNumber };
    case 'COPY_CODE':
      return { type: 'COPY_CODE', example: button.example };
    case 'OTP':
      return { type: 'OTP', otp_type: button.otpType, ...(button.text === null ? {} : { text: button.text }) };
  }
}
