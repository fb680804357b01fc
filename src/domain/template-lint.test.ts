// Pins every structural template rule of whatsapp-rules.md §4.2–§4.4: for each rule, an example Meta would
// reject and its nearest passing twin (the table is test/helpers/template-lint-rules.ts, shared with the
// simulator-agreement test), plus clean realistic templates, the variable reader and the messages.
import { describe, expect, it } from 'vitest';
import { CLEAN_TEMPLATES, LINT_RULES, MARKETING, UTILITY, type LintRule } from '../../test/helpers/template-lint-rules.ts';
import type { LintFinding, TemplateDefinition } from './template.ts';
import { parseTemplateJson, toTemplateJson } from './template-json.ts';
import { lintTemplate, TEMPLATE_LINT_CODES, type TemplateLintCode } from './template-lint.ts';
import { fillExamples, fixedWordCount, readTextVariables } from './template-variables.ts';

const errorsOtherThan = (findings: readonly LintFinding[], allowed: readonly string[]) => findings.filter((entry) => entry.severity === 'error' && !allowed.includes(entry.code));
const codesOf = (template: TemplateDefinition) => lintTemplate(template).map((entry) => entry.code);

describe('lintTemplate: each rule rejects its example and accepts the nearest passing twin', () => {
  it.each(LINT_RULES as LintRule[])('$code ($rule): rejects $badShown and accepts its twin $goodShown', ({ code, severity, bad, good, at, alsoReports = [] }) => {
    const findings = lintTemplate(bad);
    const reported = findings.filter((entry) => entry.code === code);
    expect(reported.map((entry) => ({ severity: entry.severity, location: entry.location }))).toContainEqual({ severity, location: at });
    expect(reported.every((entry) => entry.message.length > 40)).toBe(true);
    // A minimal pair: the bad example breaks this rule only (warnings may come along), the twin breaks none.
    expect(errorsOtherThan(findings, [code, ...alsoReports])).toEqual([]);
    expect(lintTemplate(good).filter((entry) => entry.severity === 'error' || entry.code === code)).toEqual([]);
  });

  it('has at least one rule row for every code, with the code’s own severity', () => {
    const rows = new Map(LINT_RULES.map((row) => [row.code, row.severity]));
    for (const [code, info] of Object.entries(TEMPLATE_LINT_CODES)) expect({ code, severity: rows.get(code as TemplateLintCode) }).toEqual({ code, severity: info.severity });
  });

  it('documents every code in SCREAMING_SNAKE_CASE with a one-line description that cites whatsapp-rules.md', () => {
    for (const [code, info] of Object.entries(TEMPLATE_LINT_CODES)) {
      expect(code).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
      expect(info.description).toMatch(/^[^\n]+ \(§4\.\d[^)]*\)\.$/);
    }
  });
});

describe('lintTemplate: realistic clean templates', () => {
  it.each(CLEAN_TEMPLATES)('$label: no findings', ({ template }) => {
    expect(lintTemplate(template)).toEqual([]);
  });

  it('is pure: the same answer twice, and the template is not changed', () => {
    const template = structuredClone(CLEAN_TEMPLATES[1]?.template ?? MARKETING);
    const frozen = Object.freeze({ ...template, body: Object.freeze({ ...template.body }) });
    expect(lintTemplate(frozen)).toEqual(lintTemplate(template));
    expect(template).toEqual(CLEAN_TEMPLATES[1]?.template);
  });
});

describe('lintTemplate: messages a marketer can act on', () => {
  it('says which variable dangles and how to fix it', () => {
    const [edge] = lintTemplate({ ...UTILITY, body: { ...UTILITY.body, text: 'Hi {{1}}, your tracking code is {{2}}' } });
    expect(edge).toEqual({
      code: 'VARIABLE_AT_EDGE',
      severity: 'error',
      message: 'The body ends with {{2}}. Meta rejects a text that starts or ends with a variable: add a few words after it, such as "Thanks!".',
      location: { component: 'body', range: [32, 37] },
    });
  });

  it('names the missing numbers of a gap and suggests a valid name', () => {
    const gap = lintTemplate({ ...UTILITY, body: { text: 'Hi {{1}}, order {{4}} is ready for pickup at the shop today.', examples: { '1': 'Ana', '4': 'A1' } } });
    expect(gap.find((entry) => entry.code === 'POSITIONAL_NOT_SEQUENTIAL')?.message).toContain('has no {{2}}, {{3}}');
    const named = lintTemplate({ ...UTILITY, parameterFormat: 'named', body: { text: 'Hi {{First Name}}, your order is ready for pickup today.', examples: { 'First Name': 'Ana' } } });
    expect(named.find((entry) => entry.code === 'VARIABLE_NAME_INVALID')?.message).toContain('write {{first_name}} instead');
  });

  it('suggests Meta’s spelling for a language tag and a template name', () => {
    const findings = lintTemplate({ ...MARKETING, name: 'Spring Sale!', language: 'pt-br' });
    expect(findings.map((entry) => [entry.code, entry.message])).toEqual([
      ['NAME_INVALID', expect.stringContaining('like "spring_sale"')],
      ['LANGUAGE_INVALID', expect.stringContaining('write "pt_BR"')],
    ]);
  });

  it('reports in reading order: name, language, header, body by position, footer, buttons by index', () => {
    const messy: TemplateDefinition = {
      ...MARKETING,
      name: 'Bad Name',
      header: { format: 'TEXT', text: 'News {{1}} {{2}}', examples: { '1': 'a', '2': 'b' } },
      body: { text: '{{1}} and more words here {{3}}', examples: {} },
      footer: { text: 'Sent to {{1}}' },
      buttons: [{ type: 'QUICK_REPLY', text: '' }, { type: 'COPY_CODE', example: '' }],
    };
    const order = ['name', 'language', 'category', 'parameter_format', 'header', 'body', 'footer', 'button'];
    const findings = lintTemplate(messy);
    const places = findings.map(({ location }) => [order.indexOf(location.component), location.component === 'button' ? location.index : 0, 'range' in location ? (location.range?.[0] ?? -1) : -1]);
    expect(places).toEqual([...places].sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0) || (a[1] ?? 0) - (b[1] ?? 0) || (a[2] ?? 0) - (b[2] ?? 0)));
    expect(codesOf(messy)).toEqual(expect.arrayContaining(['NAME_INVALID', 'HEADER_TOO_MANY_VARIABLES', 'VARIABLE_AT_EDGE', 'POSITIONAL_NOT_SEQUENTIAL', 'FOOTER_HAS_VARIABLES', 'BUTTON_LABEL_EMPTY', 'COPY_CODE_EXAMPLE_MISSING']));
  });
});

describe('lintTemplate: boundaries', () => {
  const body = (text: string, examples: Record<string, string>) => ({ ...UTILITY, body: { text, examples } });

  it.each([
    ['2 variables and 5 fixed words pass (2 × 2 + 1)', 'Hi {{1}}, your order {{2}} has shipped.', false],
    ['2 variables and 4 fixed words are too dense', 'Hi {{1}}, order {{2}} has shipped.', true],
    ['1 variable and 3 fixed words pass', 'Code {{1}} expires soon.', false],
  ])('%s', (_case, text, dense) => {
    expect(codesOf(body(text, { '1': 'Ana', '2': 'A-1' })).includes('TOO_MANY_VARIABLES')).toBe(dense);
  });

  it.each([
    ['{{1}} repeated is one variable', 'Hi {{1}}, yes {{1}}, your order {{2}} has shipped today.', []],
    ['{{2}} before {{1}} is fine: only the numbers count', 'Order {{2}} for {{1}} has shipped and arrives on Friday.', []],
    ['a lone variable is both start and end: reported once', '{{1}}', ['VARIABLE_AT_EDGE', 'TOO_MANY_VARIABLES']],
    ['triple braces are mismatched', 'Hi {{{1}}}, your order has shipped and arrives on Friday.', ['BRACES_MISMATCHED']],
    ['spaces inside the braces are trimmed, as Meta’s editor and the renderer read them', 'Hi {{ 1 }}, your order {{2}} has shipped today.', []],
  ])('%s', (_case, text, expected) => {
    expect(lintTemplate(body(text, { '1': 'Ana', '2': 'A-1' })).filter((entry) => entry.code !== 'EXAMPLE_UNUSED').map((entry) => entry.code)).toEqual(expected);
  });

  it('does not lint the variables of an authentication body twice: its custom text is the one error', () => {
    const auth = lintTemplate({ ...MARKETING, category: 'AUTHENTICATION', body: { text: '{{1}} is your code', examples: {} }, buttons: [{ type: 'OTP', otpType: 'ONE_TAP', text: null }] });
    expect(auth.map((entry) => entry.code)).toEqual(['AUTH_CUSTOM_TEXT']);
  });
});

describe('readTextVariables', () => {
  it('finds each variable with its kind and [start, end) range, and the brace groups that are not variables', () => {
    expect(readTextVariables('Hi {{1}}, {{first_name}} {{#2}} {{First}} {1} {{3}')).toEqual({
      variables: [
        { name: '1', kind: 'positional', range: [3, 8] },
        { name: 'first_name', kind: 'named', range: [10, 24] },
        { name: '#2', kind: 'special', range: [25, 31] },
        { name: 'First', kind: 'invalid', range: [32, 41] },
      ],
      strayBraces: [
        { range: [42, 45], double: false },
        { range: [46, 50], double: true },
      ],
    });
  });

  it.each([
    ['Hi {{1}}, your order {{2}} has shipped.', 5],
    ['{{1}} — {{2}} , ok', 1],
    ['Order A-12 ships 20/03', 4],
  ])('counts the fixed words of "%s" as %i', (text, words) => {
    expect(fixedWordCount(text)).toBe(words);
  });

  it('fills examples in place and leaves variables without one as written', () => {
    expect(fillExamples('Hi {{1}}, order {{2}}', { '1': 'Ana' })).toBe('Hi Ana, order {{2}}');
  });
});

describe('variables named like built-in object properties', () => {
  it('reports a missing example for {{constructor}} instead of finding Object.prototype.constructor', () => {
    const template: TemplateDefinition = { name: 'proto_names', language: 'en', category: 'UTILITY', parameterFormat: 'named', header: null, body: { text: 'Hello {{constructor}}, your order shipped.', examples: {} }, footer: null, buttons: [] };
    expect(lintTemplate(template).map((entry) => entry.code)).toContain('VARIABLE_MISSING_EXAMPLE');
  });

  it('round-trips an example for a parameter called __proto__ through the file format', () => {
    const template: TemplateDefinition = { name: 'proto_names', language: 'en', category: 'UTILITY', parameterFormat: 'named', header: null, body: { text: 'Hello {{__proto__}}, your order shipped.', examples: Object.fromEntries([['__proto__', 'Ana']]) }, footer: null, buttons: [] };
    const parsed = parseTemplateJson(JSON.parse(JSON.stringify(toTemplateJson(template))));
    expect(parsed.ok && Object.hasOwn(parsed.template.body.examples, '__proto__')).toBe(true);
  });
});
