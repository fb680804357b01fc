// Guarantee: a template definition from outside (a file, the API) can never crash Greenlight.
// parseTemplateJson returns a typed result for any JSON; lint never throws on anything that parsed;
// rendering with any variable values (and any contact) never throws, and a render that succeeds never
// sends a "{{…}}" placeholder to a person — a missing value is a reported failure instead.

import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Contact } from '../../src/domain/contacts.ts';
import type { TemplateDefinition } from '../../src/domain/template.ts';
import { parseTemplateJson } from '../../src/domain/template-json.ts';
import { lintTemplate } from '../../src/domain/template-lint.ts';
import { renderTemplate } from '../../src/domain/template-render.ts';
import type { VariableBinding, VariableMapping } from '../../src/domain/template-variable-mapping.ts';
import { readTextVariables } from '../../src/domain/template-variables.ts';
import { mutatedJson } from './mutate-json.ts';

const starterDir = new URL('../../templates/starter/', import.meta.url);
const starters: unknown[] = readdirSync(starterDir).filter((file) => file.endsWith('.json')).map((file) => JSON.parse(readFileSync(new URL(file, starterDir), 'utf8')) as unknown);
const RENDER_REASONS = ['missing_variable', 'value_too_long', 'body_too_long', 'header_too_long', 'bad_value'];

/** Any JSON, Meta-shaped documents with random components, and the starter templates mutated. */
const templateJson = fc.oneof(
  fc.jsonValue({ maxDepth: 5 }),
  fc.record({
    name: fc.oneof(fc.string(), fc.constantFrom('order_update', 'a', '')),
    language: fc.oneof(fc.string(), fc.constantFrom('en', 'en_US', 'pt_BR', 'xx')),
    category: fc.oneof(fc.string(), fc.constantFrom('MARKETING', 'UTILITY', 'AUTHENTICATION')),
    parameter_format: fc.constantFrom('positional', 'named', 'POSITIONAL', 'other'),
    components: fc.array(fc.record({ type: fc.constantFrom('HEADER', 'BODY', 'FOOTER', 'BUTTONS', 'OTHER'), format: fc.constantFrom('TEXT', 'IMAGE', 'LOCATION', 'DOCUMENT', 'VIDEO', 'x'), text: fc.string(), example: fc.jsonValue({ maxDepth: 3 }), buttons: fc.jsonValue({ maxDepth: 3 }) }, { requiredKeys: ['type'] }), { maxLength: 5 }),
  }, { requiredKeys: [] }),
  mutatedJson(starters),
);

/** Templates that parsed, to lint and render: the starters and their mutations that still parse. */
const parsedTemplate: fc.Arbitrary<TemplateDefinition> = fc.oneof(fc.constantFrom(...starters), mutatedJson(starters))
  .map((json) => parseTemplateJson(json))
  .filter((result) => result.ok)
  .map((result) => (result.ok ? result.template : (undefined as never)));

function variablesOf(template: TemplateDefinition): string[] {
  const texts = [template.body.text, template.header?.format === 'TEXT' ? template.header.text : ''];
  return [...new Set(texts.flatMap((text) => readTextVariables(text).variables.map((variable) => variable.name)))];
}

/** Values without braces, so a "{{" left in the output can only be an unfilled placeholder. */
const plainText = fc.string({ maxLength: 40 }).map((text) => text.replace(/[{}]/g, ''));
const anyText = fc.oneof(fc.string({ maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 40 }), fc.constantFrom('{{1}}', '{{first_name}}', '\n\t', '     ', 'x'.repeat(2000), '', '\u0000'));

const binding = (text: fc.Arbitrary<string>): fc.Arbitrary<VariableBinding> => fc.oneof(
  fc.record({ from: fc.constant('constant' as const), value: text }),
  fc.record({ from: fc.constant('attribute' as const), key: fc.constantFrom('order', 'date', 'amount', 'missing', '__proto__', 'constructor'), fallback: fc.option(text, { nil: undefined }) }, { requiredKeys: ['from', 'key'] }),
  fc.record({ from: fc.constant('contact' as const), field: fc.constantFrom('name', 'first_name', 'phone', 'language', 'country') as fc.Arbitrary<'name'>, fallback: fc.option(text, { nil: undefined }) }, { requiredKeys: ['from', 'field'] }),
).chain((base) => fc.option(fc.oneof(fc.record({ kind: fc.constant('date' as const), style: fc.constantFrom('short', 'medium', 'long') as fc.Arbitrary<'short'> }), fc.record({ kind: fc.constant('currency' as const), currency: fc.constantFrom('USD', 'BRL', 'EUR', 'usd', 'XXXX', '') })), { nil: undefined }).map((format) => (format ? { ...base, format } : base)));

const contact = (text: fc.Arbitrary<string>): fc.Arbitrary<Contact> => fc.record({
  name: fc.option(text, { nil: null }),
  language: fc.option(fc.constantFrom('en', 'pt_BR', 'es', 'xx', '', 'not a language'), { nil: null }),
  country: fc.option(fc.constantFrom('US', 'BR', 'XX', ''), { nil: null }),
  timeZone: fc.option(fc.constantFrom('America/Sao_Paulo', 'UTC', 'Not/AZone', ''), { nil: null }),
  attributes: fc.dictionary(fc.constantFrom('order', 'date', 'amount', 'other'), fc.oneof(text, fc.constantFrom('2026-03-20', '2026-03-20T17:30:00Z', '1234.5', '-0', 'NaN', '1e400'))),
}).map((fields) => ({
  id: 1, phone: '+5511987654321', waId: '5511987654321', businessUserId: null, timeZoneOverridden: false, lineType: 'mobile', tags: [],
  createdAt: new Date(0), updatedAt: new Date(0), ...fields,
}));

/** Mostly plain non-empty constants, so that most renders succeed and the success branch is exercised. */
const likelyBinding = fc.oneof({ weight: 8, arbitrary: plainText.filter((text) => /\S/.test(text)).map((value): VariableBinding => ({ from: 'constant', value })) }, { weight: 1, arbitrary: binding(plainText) });

function mappingFor(template: TemplateDefinition, bindingArbitrary: fc.Arbitrary<VariableBinding>): fc.Arbitrary<VariableMapping> {
  const names = variablesOf(template);
  return fc.record({
    body: fc.tuple(...names.map((name) => fc.option(bindingArbitrary, { freq: 20, nil: undefined }).map((value) => [name, value] as const)))
      .map((pairs) => Object.fromEntries(pairs.filter((pair): pair is readonly [string, VariableBinding] => pair[1] !== undefined))),
    header: fc.option(bindingArbitrary, { nil: undefined }),
    buttons: fc.dictionary(fc.constantFrom('0', '1', '2'), bindingArbitrary).map((record) => record as unknown as Record<number, VariableBinding>),
    headerMedia: fc.option(fc.constant({ media: { link: 'https://example.com/a.jpg' } }), { nil: undefined }),
    headerLocation: fc.option(fc.record({ latitude: fc.double(), longitude: fc.double() }), { nil: undefined }),
  }, { requiredKeys: ['body'] });
}

describe('template parse, lint and render under fuzzing', () => {
  it('parseTemplateJson returns a typed result for any JSON, each error with a path and a message (300 runs)', () => {
    fc.assert(
      fc.property(templateJson, (json) => {
        const result = parseTemplateJson(json);
        if (result.ok) expect(typeof result.template.name).toBe('string');
        else {
          expect(result.errors.length).toBeGreaterThan(0);
          for (const error of result.errors) expect([error.path, error.message]).toEqual([expect.stringMatching(/\S/), expect.stringMatching(/\S/)]);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('lintTemplate never throws on a template that parsed, and every finding is well-formed (200 runs)', () => {
    fc.assert(
      fc.property(parsedTemplate, (template) => {
        for (const finding of lintTemplate(template)) {
          expect(['error', 'warning']).toContain(finding.severity);
          expect(finding.message).toMatch(/\S/);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('renderTemplate never throws with any values and any contact, and fails with a reason rather than send a placeholder (300 runs)', () => {
    const input = parsedTemplate.chain((template) => fc.tuple(fc.constant(template), contact(anyText), mappingFor(template, binding(anyText))));
    fc.assert(
      fc.property(input, ([template, person, mapping]) => {
        const result = renderTemplate(template, person, mapping);
        if (!result.ok) {
          expect(RENDER_REASONS).toContain(result.reason);
          expect(result.message).toMatch(/\S/);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a successful render leaves no "{{…}}" placeholder in what the person sees or what Meta receives (300 runs)', () => {
    let rendered = 0;
    const input = parsedTemplate.chain((template) => fc.tuple(fc.constant(template), contact(plainText), mappingFor(template, likelyBinding)));
    fc.assert(
      fc.property(input, ([template, person, mapping]) => {
        const result = renderTemplate(template, person, mapping);
        if (!result.ok) {
          expect(RENDER_REASONS).toContain(result.reason);
          return;
        }
        rendered += 1;
        const sent = [result.parts.header ?? '', result.parts.body, ...result.send.body.map((parameter) => (parameter.type === 'text' ? parameter.text : parameter.fallbackValue))];
        for (const text of sent) expect(readTextVariables(text).variables, text).toEqual([]);
      }),
      { numRuns: 300 },
    );
    expect(rendered).toBeGreaterThan(30);
  });
});
