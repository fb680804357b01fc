// lintTemplate: every structural rule Meta applies when a template is created or reviewed
// (whatsapp-rules.md §4.2–§4.4), as findings with a stable code, a marketer's message and a location.
// Pure: no network, no clock. The rules are split by part in template-lint-*.ts; codes in template-lint-codes.ts.

import { normalizeLanguage } from './language.ts';
import type { LintFinding, TemplateDefinition, TemplateLocation } from './template.ts';
import { lintButtons } from './template-lint-buttons.ts';
import { lintCategory } from './template-lint-category.ts';
import { finding } from './template-lint-codes.ts';
import { lintTexts } from './template-lint-text.ts';

export { TEMPLATE_LINT_CODES, type TemplateLintCode } from './template-lint-codes.ts';

// §4.2: lowercase alphanumerics and underscores, at most 512 characters.
const NAME_PATTERN = /^[a-z0-9_]+$/;
const NAME_MAX_CHARS = 512;

// §4.4: "xx" or "xx_YY" (three-letter languages such as "fil" exist), and Meta's core list [LANG]. The
// newer codes §4.4 lists from SDKs (es_CO, rw_RW…) are unconfirmed, so they get the "unknown" warning.
const LANGUAGE_SHAPE = /^[a-z]{2,3}(_[A-Z]{2})?$/;
export const META_TEMPLATE_LANGUAGES: ReadonlySet<string> = new Set(
  ('af sq ar az bn bg ca zh_CN zh_HK zh_TW hr cs da nl en en_GB en_US et fil fi fr de el gu ha he hi hu id ga it ja kn kk ko ' +
    'lo lv lt mk ms ml mr nb fa pl pt_BR pt_PT pa ro ru sr sk sl es es_AR es_ES es_MX sw sv ta te th tr uk ur uz vi zu').split(' '),
);

function lintName(name: string): LintFinding[] {
  const findings: LintFinding[] = [];
  if (!NAME_PATTERN.test(name)) {
    const suggestion = name.toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
    const fix = suggestion === '' ? 'like "order_update"' : `like "${suggestion}"`;
    findings.push(finding('NAME_INVALID', `The name "${name}" may only use lowercase letters, digits and underscores: write it ${fix}.`, { component: 'name' }));
  }
  if (name.length > NAME_MAX_CHARS) findings.push(finding('NAME_TOO_LONG', `The name is ${name.length} characters; Meta allows ${NAME_MAX_CHARS}. Use a shorter name.`, { component: 'name' }));
  return findings;
}

function lintLanguage(language: string): LintFinding[] {
  if (LANGUAGE_SHAPE.test(language)) {
    if (META_TEMPLATE_LANGUAGES.has(language)) return [];
    return [finding('LANGUAGE_UNKNOWN', `"${language}" is not on Meta’s published list of template languages. Check that Meta supports it before you submit, or pick a listed code such as "en_US" or "pt_BR".`, { component: 'language' })];
  }
  const normalized = normalizeLanguage(language);
  const fix = normalized !== undefined && LANGUAGE_SHAPE.test(normalized) ? `write "${normalized}"` : 'use a code like "en", "en_US" or "pt_BR"';
  return [finding('LANGUAGE_INVALID', `"${language}" is not a language code as Meta writes them (language, then "_" and the country in capitals): ${fix}.`, { component: 'language' })];
}

const COMPONENT_ORDER: Readonly<Record<TemplateLocation['component'], number>> = { name: 0, language: 1, category: 2, parameter_format: 3, header: 4, body: 5, footer: 6, button: 7 };

/** Findings in reading order: name, language, header, body, footer, then buttons by index and position. */
function readingOrder(a: LintFinding, b: LintFinding): number {
  const component = COMPONENT_ORDER[a.location.component] - COMPONENT_ORDER[b.location.component];
  if (component !== 0) return component;
  const index = (a.location.component === 'button' ? a.location.index : 0) - (b.location.component === 'button' ? b.location.index : 0);
  if (index !== 0) return index;
  const start = (location: TemplateLocation) => ('range' in location && location.range !== undefined ? location.range[0] : -1);
  return start(a.location) - start(b.location);
}

export function lintTemplate(template: TemplateDefinition): LintFinding[] {
  const findings = [...lintName(template.name), ...lintLanguage(template.language), ...lintTexts(template), ...lintButtons(template.buttons), ...lintCategory(template)];
  return findings.sort(readingOrder);
}
