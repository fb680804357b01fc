// Lint rules for the variables of the header and body texts (whatsapp-rules.md §4.2 "Parameter formats"
// and "Rejection causes (format)"): braces, names, one format per template, numbering, uniqueness and
// examples. Where a variable sits (edges, neighbours, density) is template-lint-placement.ts. Pure.

import type { LintFinding, ParameterFormat } from './template.ts';
import { finding } from './template-lint-codes.ts';
import { exampleOf, readTextVariables, type TemplateVariable, type TextRange, type TextVariables } from './template-variables.ts';

/** One text that may hold variables, already read. */
export type VariableText = { component: 'header' | 'body'; text: string; examples: Readonly<Record<string, string>>; read: TextVariables };

export function variableText(component: 'header' | 'body', text: string, examples: Readonly<Record<string, string>>): VariableText {
  return { component, text, examples, read: readTextVariables(text) };
}

const at = (part: VariableText, range?: TextRange) => ({ component: part.component, ...(range === undefined ? {} : { range }) });
const written = (part: VariableText, range: TextRange) => part.text.slice(...range);

function braceFindings(part: VariableText): LintFinding[] {
  return part.read.strayBraces.map(({ range, double }) => {
    const raw = written(part, range);
    return double
      ? finding('BRACES_MISMATCHED', `The ${part.component} has "${raw}", which is not a variable. Write a variable with exactly two braces on each side, like {{1}} or {{first_name}}, or remove the braces.`, at(part, range))
      : finding('BRACES_SINGLE', `The ${part.component} has "${raw}" in single braces. If it is meant as a variable, write it with two braces on each side, like {{1}}; otherwise reword it, since reviewers may read it as a broken variable.`, at(part, range));
  });
}

const suggestedName = (name: string) => name.toLowerCase().replace(/[^a-z]+/g, '_').replace(/^_+|_+$/g, '') || 'first_name';

/** One finding at most per variable: special characters, then a bad name, then the wrong format. */
function nameFinding(part: VariableText, variable: TemplateVariable, format: ParameterFormat): LintFinding | null {
  const raw = written(part, variable.range);
  if (variable.kind === 'special') {
    const symbol = /[#$%]/.exec(variable.name)?.[0] ?? '#';
    return finding('VARIABLE_SPECIAL_CHARACTERS', `The variable ${raw} contains "${symbol}". Meta rejects #, $ and % inside a variable: keep only the number or name inside the braces and put the symbol in the text around it.`, at(part, variable.range));
  }
  if (variable.kind === 'invalid') {
    const fix = format === 'named' ? `{{${suggestedName(variable.name)}}}` : '{{1}}, {{2}}…';
    return finding('VARIABLE_NAME_INVALID', `${raw} is not a valid variable. ${format === 'named' ? 'Variable names may only use lowercase letters and underscores' : 'This template uses numbered variables'}: write ${fix} instead.`, at(part, variable.range));
  }
  if (variable.kind !== format) {
    const other = format === 'named' ? 'named variables, like {{first_name}}' : 'numbered variables, like {{1}}';
    return finding('PARAMETER_FORMAT_MISMATCH', `${raw} does not match this template, which uses ${other}. A template cannot mix both: rewrite ${raw}, or change the template’s parameter format.`, at(part, variable.range));
  }
  return null;
}

/** Positional variables of one text must be exactly 1…n (§4.2); repeats are fine, order in the text is free. */
function sequenceFinding(part: VariableText, format: ParameterFormat): LintFinding | null {
  if (format !== 'positional') return null;
  const positional = part.read.variables.filter((variable) => variable.kind === 'positional');
  const numbers = new Set(positional.map((variable) => Number(variable.name)));
  const offender = positional.find((variable) => Number(variable.name) === 0 || Number(variable.name) > numbers.size);
  if (offender === undefined) return null;
  const raw = written(part, offender.range);
  if (offender.name === '0') return finding('POSITIONAL_NOT_SEQUENTIAL', `Numbered variables start at {{1}}, so ${raw} is not allowed. Renumber the ${part.component}’s variables {{1}}, {{2}}, {{3}}… in order.`, at(part, offender.range));
  const missing = Array.from({ length: Number(offender.name) - 1 }, (_, index) => index + 1).filter((number) => !numbers.has(number));
  const list = missing.map((number) => `{{${number}}}`).join(', ');
  return finding('POSITIONAL_NOT_SEQUENTIAL', `The ${part.component} uses ${raw} but has no ${list}. Numbered variables must run {{1}}, {{2}}, {{3}}… without gaps: renumber them.`, at(part, offender.range));
}

/** Named variables are unique in the whole template (§4.2): the second use of a name is reported. */
function duplicateFindings(parts: readonly VariableText[], format: ParameterFormat): LintFinding[] {
  if (format !== 'named') return [];
  const seen = new Set<string>();
  const findings: LintFinding[] = [];
  for (const part of parts) {
    for (const variable of part.read.variables.filter((entry) => entry.kind === 'named')) {
      if (seen.has(variable.name)) {
        findings.push(finding('NAMED_VARIABLE_DUPLICATE', `{{${variable.name}}} is used more than once. Meta needs each named variable to be unique in the template: keep one, or give this one another name (with its own example).`, at(part, variable.range)));
      }
      seen.add(variable.name);
    }
  }
  return findings;
}

// §4.3: Meta refuses values with a line break, a tab or more than 4 spaces in a row (132018).
const BAD_VALUE_WHITESPACE = /[\r\n\t]| {5,}/;

function exampleFindings(part: VariableText, format: ParameterFormat): LintFinding[] {
  const findings: LintFinding[] = [];
  const firstUse = new Map<string, TemplateVariable>();
  for (const variable of part.read.variables) if (!firstUse.has(variable.name)) firstUse.set(variable.name, variable);
  for (const [name, variable] of firstUse) {
    if (variable.kind !== format) continue;
    const example = exampleOf(part.examples, name);
    const raw = written(part, variable.range);
    if (example === undefined || example.trim() === '') {
      findings.push(finding('VARIABLE_MISSING_EXAMPLE', `${raw} in the ${part.component} has no example. Meta reviews every template with sample values: add a realistic example for ${raw}, like a first name or an order number.`, at(part, variable.range)));
    } else if (BAD_VALUE_WHITESPACE.test(example)) {
      findings.push(finding('EXAMPLE_INVALID_WHITESPACE', `The example for ${raw} has a line break, a tab or more than 4 spaces in a row. Meta refuses such values when the message is sent: use a one-line example.`, at(part, variable.range)));
    }
  }
  for (const name of Object.keys(part.examples)) {
    if (!firstUse.has(name)) findings.push(finding('EXAMPLE_UNUSED', `There is an example for {{${name}}}, but the ${part.component} has no {{${name}}}. Remove the example, or add the variable to the text.`, at(part)));
  }
  return findings;
}

/** Every naming, numbering and example rule for the header and body texts of one template. */
export function lintVariableNames(parts: readonly VariableText[], format: ParameterFormat): LintFinding[] {
  const findings: LintFinding[] = [];
  for (const part of parts) {
    findings.push(...braceFindings(part));
    for (const variable of part.read.variables) {
      const problem = nameFinding(part, variable, format);
      if (problem !== null) findings.push(problem);
    }
    const sequence = sequenceFinding(part, format);
    if (sequence !== null) findings.push(sequence);
    findings.push(...exampleFindings(part, format));
  }
  return [...findings, ...duplicateFindings(parts, format)];
}
