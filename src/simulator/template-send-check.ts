// Send-time validation of a template message against the registry (§3.2, §4.3): 132001 (missing or not
// approved in that language), 132015 (paused), 132016 (disabled), 132012 (named vs positional), 132000
// (parameter count), 132018 (newline, tab or 5+ spaces in a parameter), 132005 (hydrated text too long).

import type { SendComponent, SendParameter, SendRequest } from './graph-requests.ts';
import { hydrate } from './template-content.ts';
import type { SimTemplate, TemplateRegistry } from './template-registry.ts';

export type TemplateCheck = { ok: true; template: SimTemplate; text: string } | { ok: false; code: number; details: string | null };

type TemplateRequest = NonNullable<SendRequest['template']>;

const fail = (code: number, details: string | null = null): TemplateCheck => ({ ok: false, code, details });

/** The value a parameter contributes to the hydrated text. */
function parameterValue(parameter: SendParameter): string {
  return parameter.text ?? parameter.currency?.fallback_value ?? parameter.date_time?.fallback_value ?? '';
}

// §4.3: "no \n, no \t, no runs of more than 4 spaces" in parameter text.
const BAD_WHITESPACE = /[\r\n\t]| {5,}/;

function checkFormat(template: SimTemplate, parameters: readonly SendParameter[]): TemplateCheck | null {
  const named = template.parameterFormat === 'named';
  const variables = new Set([...template.content.body.variables, ...(template.content.header?.text?.variables ?? [])]);
  for (const parameter of parameters) {
    if (parameter.type !== 'text' && parameter.type !== 'currency' && parameter.type !== 'date_time') continue;
    const name = parameter.parameter_name;
    if (named && (name === undefined || !variables.has(name))) return fail(132012, `Expected named parameters (${[...variables].join(', ')}).`);
    if (!named && name !== undefined) return fail(132012, 'This template uses positional parameters; parameter_name is not expected.');
  }
  return null;
}

function expectedCount(variables: readonly string[], named: boolean): number {
  return named ? new Set(variables).size : Math.max(0, ...variables.map(Number).filter(Number.isInteger));
}

function checkCounts(template: SimTemplate, components: readonly SendComponent[]): TemplateCheck | null {
  const named = template.parameterFormat === 'named';
  const body = components.find((component) => component.type === 'body')?.parameters ?? [];
  if (body.length !== expectedCount(template.content.body.variables, named)) {
    return fail(132000, `Expected ${expectedCount(template.content.body.variables, named)} body parameters, got ${body.length}.`);
  }
  const header = template.content.header;
  const headerParameters = components.find((component) => component.type === 'header')?.parameters ?? [];
  const headerNeeds = header === null ? 0 : header.text === null ? (header.format === 'TEXT' ? 0 : 1) : expectedCount(header.text.variables, named);
  if (headerParameters.length !== headerNeeds) return fail(132000, `Expected ${headerNeeds} header parameters, got ${headerParameters.length}.`);
  const urlButtons = components.filter((component) => component.type === 'button' && component.sub_type === 'url').map((component) => Number(component.index));
  const missing = template.content.dynamicUrlButtons.filter((index) => !urlButtons.includes(index));
  if (missing.length > 0) return fail(132000, `The URL button at index ${missing[0]} needs a parameter.`);
  return null;
}

function checkTexts(template: SimTemplate, components: readonly SendComponent[]): TemplateCheck {
  const all = components.flatMap((component) => component.parameters ?? []);
  if (all.some((parameter) => BAD_WHITESPACE.test(parameter.text ?? ''))) return fail(132018);
  const values = (type: string) =>
    (components.find((component) => component.type === type)?.parameters ?? []).map((parameter) => ({ name: parameter.parameter_name ?? null, value: parameterValue(parameter) }));
  const body = hydrate(template.content.body.text, values('body'), template.parameterFormat);
  if (body.length > 1024) return fail(132005, `The hydrated body is ${body.length} characters; the limit is 1024.`);
  const headerText = template.content.header?.text;
  const header = headerText ? hydrate(headerText.text, values('header'), template.parameterFormat) : '';
  if (header.length > 60) return fail(132005, `The hydrated header is ${header.length} characters; the limit is 60.`);
  return { ok: true, template, text: [header, body, template.content.footer ?? ''].filter((part) => part !== '').join('\n') };
}

export function checkTemplateSend(registry: TemplateRegistry, wabaId: string, request: TemplateRequest): TemplateCheck {
  const template = registry.find(wabaId, request.name, request.language.code);
  if (template === undefined) return fail(132001, `template name (${request.name}) does not exist in ${request.language.code}`);
  if (template.status === 'PAUSED') return fail(132015);
  if (template.status === 'DISABLED') return fail(132016);
  if (template.status !== 'APPROVED') return fail(132001, `template ${request.name} is ${template.status}, not APPROVED, in ${request.language.code}`);
  const components = request.components ?? [];
  const parameters = components.filter((component) => component.type === 'body' || component.type === 'header').flatMap((component) => component.parameters ?? []);
  return checkFormat(template, parameters) ?? checkCounts(template, components) ?? checkTexts(template, components);
}
