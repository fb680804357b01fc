// Lint rules for where variables sit in the header and body (whatsapp-rules.md §4.2 "Rejection causes"):
// not at the start or end (2388299), not next to each other, not too many for the text (2388293), and
// texts that stay within their limits once the examples are filled in (§4.3, 132005). Pure.

import type { LintFinding } from './template.ts';
import { finding } from './template-lint-codes.ts';
import type { VariableText } from './template-lint-variables.ts';
import { fillExamples, fixedWordCount, type TemplateVariable } from './template-variables.ts';

const at = (part: VariableText, range?: [number, number]) => ({ component: part.component, ...(range === undefined ? {} : { range }) });
const written = (part: VariableText, variable: TemplateVariable) => part.text.slice(...variable.range);
const hasWords = (text: string) => /[\p{L}\p{N}]/u.test(text);

function adjacentFindings(part: VariableText): LintFinding[] {
  const { variables } = part.read;
  return variables.slice(1).flatMap((next, index) => {
    const previous = variables[index];
    if (previous === undefined || part.text.slice(previous.range[1], next.range[0]).trim() !== '') return [];
    const pair = `${written(part, previous)}${part.text.slice(previous.range[1], next.range[0])}${written(part, next)}`;
    return [
      finding(
        'VARIABLES_ADJACENT',
        `"${pair}": two variables with nothing between them. Meta rejects variables placed next to each other: put words or punctuation between them (like "${written(part, previous)} from ${written(part, next)}"), or merge them into one variable.`,
        at(part, [previous.range[0], next.range[1]]),
      ),
    ];
  });
}

/**
 * §4.2 / 2388299: the body may not start or end with a variable; the header rule is a warning because
 * Meta's list names "the text" without saying which component. Punctuation alone after (or before) the
 * variable passes the documented rule, but reviewers often treat it as dangling, so it is a warning.
 */
function edgeFindings(part: VariableText): LintFinding[] {
  const first = part.read.variables[0];
  const last = part.read.variables.at(-1);
  if (first === undefined || last === undefined) return [];
  const before = part.text.slice(0, first.range[0]);
  const after = part.text.slice(last.range[1]);
  const edge = part.component === 'body' ? 'VARIABLE_AT_EDGE' : 'HEADER_VARIABLE_AT_EDGE';
  const findings: LintFinding[] = [];
  const report = (variable: TemplateVariable, where: 'starts' | 'ends', near: boolean) => {
    const fix = where === 'ends' ? 'add a few words after it, such as "Thanks!"' : 'add a few words before it, such as "Hello"';
    if (!near) findings.push(finding(edge, `The ${part.component} ${where} with ${written(part, variable)}. Meta rejects a text that starts or ends with a variable: ${fix}.`, at(part, variable.range)));
    else if (part.component === 'body') findings.push(finding('VARIABLE_NEAR_EDGE', `The body ${where} with ${written(part, variable)} and only punctuation. Reviewers often reject this as a dangling variable: ${fix}.`, at(part, variable.range)));
  };
  if (!hasWords(before)) report(first, 'starts', before.trim() !== '');
  if (!hasWords(after) && (last !== first || hasWords(before))) report(last, 'ends', after.trim() !== '');
  return findings;
}

/**
 * 2388293 "parameters words ratio exceeds limit": Meta publishes no ratio. Two BSPs document the same
 * observed minimum independently (Syniverse: words + variables ≥ 3n + 1; Maqsam: 2n + 1 fixed words for n
 * variables), so the body needs at least 2 × variables + 1 words of fixed text. A warning: the threshold
 * is observed, not published, and Meta answers 2388293 at creation, so a miss costs one call, not a review.
 */
function densityFinding(part: VariableText): LintFinding | null {
  const { variables } = part.read;
  const first = variables[0];
  const last = variables.at(-1);
  if (part.component !== 'body' || first === undefined || last === undefined) return null;
  const words = fixedWordCount(part.text);
  const needed = 2 * variables.length + 1;
  if (words >= needed) return null;
  return finding(
    'TOO_MANY_VARIABLES',
    `The body has ${variables.length} variables but only ${words} words of fixed text. Meta rejects templates with too many variables for their length (error 2388293): add ${needed - words} more words, or use fewer variables (about 2 words per variable, plus 1).`,
    at(part, [first.range[0], last.range[1]]),
  );
}

// §4.2 / §4.3: the body stays ≤ 1024 and the header ≤ 60 characters with the values filled in (132005).
const FILLED_LIMIT = { header: 60, body: 1024 } as const;

function filledLengthFinding(part: VariableText): LintFinding | null {
  const limit = FILLED_LIMIT[part.component];
  const filled = fillExamples(part.text, part.examples).length;
  if (part.text.length > limit || filled <= limit) return null;
  return finding('HYDRATED_TOO_LONG', `With the examples filled in, the ${part.component} is ${filled} characters, over Meta’s ${limit}. Messages with values this long will fail to send (error 132005): shorten the text or expect shorter values.`, at(part));
}

export function lintPlacement(parts: readonly VariableText[]): LintFinding[] {
  return parts.flatMap((part) => [...adjacentFindings(part), ...edgeFindings(part), ...[densityFinding(part), filledLengthFinding(part)].filter((entry) => entry !== null)]);
}
