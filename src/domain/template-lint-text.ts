// Lint rules for the header, body and footer of MARKETING and UTILITY templates (whatsapp-rules.md §4.2):
// presence, lengths, variables per component, header formatting and media samples. Authentication texts
// are preset by Meta and checked in template-lint-category.ts. Pure.

import type { LintFinding, TemplateDefinition, TemplateHeader } from './template.ts';
import { finding } from './template-lint-codes.ts';
import { lintPlacement } from './template-lint-placement.ts';
import { lintVariableNames, variableText, type VariableText } from './template-lint-variables.ts';
import { readTextVariables, type TemplateVariable } from './template-variables.ts';

// §4.2 structure limits.
export const TEXT_LIMITS = { headerChars: 60, headerVariables: 1, bodyChars: 1024, footerChars: 60 } as const;

const overflow = (text: string, limit: number): [number, number] => [limit, text.length];

/** The text with each variable blanked to spaces of the same length, so ranges stay right. */
function withoutVariables(text: string, variables: readonly TemplateVariable[]): string {
  return variables.reduce((masked, { range: [start, end] }) => masked.slice(0, start) + ' '.repeat(end - start) + masked.slice(end), text);
}

// WhatsApp markdown (*bold*, _italic_, ~strike~, ```mono```) and line breaks: headers show them literally (§4.2).
const HEADER_MARKUP = /\*[^*\n]+\*|(?<![\p{L}\p{N}])_[^_\n]+_(?![\p{L}\p{N}])|~[^~\n]+~|```|\r?\n/u;

function textHeaderFindings(header: TemplateHeader & { format: 'TEXT' }): LintFinding[] {
  const { text } = header;
  if (text.trim() === '') return [finding('HEADER_TEXT_EMPTY', 'The text header is empty. Write a short title (up to 60 characters), or remove the header.', { component: 'header' })];
  const findings: LintFinding[] = [];
  if (text.length > TEXT_LIMITS.headerChars) {
    findings.push(finding('HEADER_TOO_LONG', `The header is ${text.length} characters; Meta allows ${TEXT_LIMITS.headerChars}. Shorten it by ${text.length - TEXT_LIMITS.headerChars} characters.`, { component: 'header', range: overflow(text, TEXT_LIMITS.headerChars) }));
  }
  const { variables } = readTextVariables(text);
  const second = variables[TEXT_LIMITS.headerVariables];
  const last = variables.at(-1);
  if (second !== undefined && last !== undefined) {
    findings.push(finding('HEADER_TOO_MANY_VARIABLES', `The header has ${variables.length} variables; Meta allows one. Keep one variable in the header and move the others to the body.`, { component: 'header', range: [second.range[0], last.range[1]] }));
  }
  const markup = HEADER_MARKUP.exec(withoutVariables(text, variables));
  if (markup !== null) {
    const what = /\n/.test(markup[0]) ? 'a line break' : `formatting ("${markup[0]}")`;
    findings.push(finding('HEADER_FORMATTING', `The header has ${what}. Headers do not support formatting or line breaks, so WhatsApp shows it as typed: use plain text on one line.`, { component: 'header', range: [markup.index, markup.index + markup[0].length] }));
  }
  return findings;
}

function headerFindings(header: TemplateHeader | null): LintFinding[] {
  if (header === null || header.format === 'LOCATION') return [];
  if (header.format === 'TEXT') return textHeaderFindings(header);
  if (header.exampleHandle !== null && header.exampleHandle.trim() !== '') return [];
  const kind = header.format.toLowerCase();
  return [finding('HEADER_MEDIA_EXAMPLE_MISSING', `The ${kind} header has no sample. Meta reviews media headers with a sample file: upload a sample ${kind} and use its handle as the header example.`, { component: 'header' })];
}

function bodyFindings(text: string): LintFinding[] {
  if (text.trim() === '') return [finding('BODY_REQUIRED', 'The body is empty. Every template needs body text: write the message your customers will read.', { component: 'body' })];
  if (text.length <= TEXT_LIMITS.bodyChars) return [];
  return [finding('BODY_TOO_LONG', `The body is ${text.length} characters; Meta allows ${TEXT_LIMITS.bodyChars}. Shorten it by ${text.length - TEXT_LIMITS.bodyChars} characters.`, { component: 'body', range: overflow(text, TEXT_LIMITS.bodyChars) })];
}

function footerFindings(text: string): LintFinding[] {
  const findings: LintFinding[] = [];
  if (text.length > TEXT_LIMITS.footerChars) {
    findings.push(finding('FOOTER_TOO_LONG', `The footer is ${text.length} characters; Meta allows ${TEXT_LIMITS.footerChars}. Shorten it by ${text.length - TEXT_LIMITS.footerChars} characters.`, { component: 'footer', range: overflow(text, TEXT_LIMITS.footerChars) }));
  }
  const { variables, strayBraces } = readTextVariables(text);
  for (const variable of variables) {
    const raw = text.slice(...variable.range);
    findings.push(finding('FOOTER_HAS_VARIABLES', `The footer contains ${raw}. Footers are fixed text without variables: remove ${raw} from the footer, or move it to the body.`, { component: 'footer', range: variable.range }));
  }
  for (const stray of strayBraces.filter((entry) => entry.double)) {
    findings.push(finding('BRACES_MISMATCHED', `The footer has "${text.slice(...stray.range)}". Footers are fixed text: remove the braces.`, { component: 'footer', range: stray.range }));
  }
  return findings;
}

/** Header, body and footer of a MARKETING or UTILITY template, and the variables of its header and body. */
export function lintTexts(template: TemplateDefinition): LintFinding[] {
  if (template.category === 'AUTHENTICATION') return [];
  const parts: VariableText[] = [];
  if (template.header?.format === 'TEXT') parts.push(variableText('header', template.header.text, template.header.examples));
  parts.push(variableText('body', template.body.text, template.body.examples));
  return [
    ...headerFindings(template.header),
    ...bodyFindings(template.body.text),
    ...(template.footer === null ? [] : footerFindings(template.footer.text)),
    ...lintVariableNames(parts, template.parameterFormat),
    ...lintPlacement(parts),
  ];
}
