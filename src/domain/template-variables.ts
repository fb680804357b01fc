// Reads the variables of a template text ("{{1}}", "{{first_name}}") with their character ranges, and the
// brace groups that are not variables ("{{1}", "{1}"). Pure. What is allowed is decided by the lint
// rules (template-lint-variables.ts); this file only says what is there and where.

/** [start, end) offsets into the text, in UTF-16 code units like String#slice and editors. */
export type TextRange = [start: number, end: number];

/**
 * `positional` is digits without a leading zero ("0" included: the sequence rule refuses it), `named` is
 * lowercase letters and underscores (whatsapp-rules.md §4.2), `special` holds #, $ or %, `invalid` is the rest.
 */
export type VariableKind = 'positional' | 'named' | 'special' | 'invalid';

/** `name` is the text between the braces, trimmed (" 1 " → "1"), as Meta's editor and our renderer read it. */
export type TemplateVariable = { name: string; kind: VariableKind; range: TextRange };

/** `double`: the group has "{{" or "}}" (a broken variable); otherwise single braces ("{1}"). */
export type StrayBraces = { range: TextRange; double: boolean };

export type TextVariables = { variables: TemplateVariable[]; strayBraces: StrayBraces[] };

// A run of "{", text without braces, a run of "}"; or a lone run of either. Exactly "{{…}}" is a variable.
const BRACE_GROUP = /\{+[^{}]*\}+|\{+|\}+/g;
const WELL_FORMED = /^\{\{([^{}]*)\}\}$/;

export function variableKind(name: string): VariableKind {
  if (/[#$%]/.test(name)) return 'special';
  if (/^(0|[1-9]\d*)$/.test(name)) return 'positional';
  if (/^[a-z_]+$/.test(name)) return 'named';
  return 'invalid';
}

export function readTextVariables(text: string): TextVariables {
  const variables: TemplateVariable[] = [];
  const strayBraces: StrayBraces[] = [];
  for (const match of text.matchAll(BRACE_GROUP)) {
    const range: TextRange = [match.index, match.index + match[0].length];
    const inner = WELL_FORMED.exec(match[0])?.[1];
    if (inner === undefined) {
      strayBraces.push({ range, double: /\{\{|\}\}/.test(match[0]) });
      continue;
    }
    const name = inner.trim();
    variables.push({ name, kind: variableKind(name), range });
  }
  return { variables, strayBraces };
}

/** The text with every variable and stray brace group replaced by a space: what the reader always sees. */
export function fixedText(text: string): string {
  return text.replace(BRACE_GROUP, ' ');
}

/** Words of fixed text: runs between spaces with at least one letter or digit ("Hi", "A-12"; not "—" or ","). */
export function fixedWordCount(text: string): number {
  return fixedText(text)
    .split(/\s+/)
    .filter((word) => /[\p{L}\p{N}]/u.test(word)).length;
}

/** The text with each variable replaced by its example (or left as written when there is none). */
export function fillExamples(text: string, examples: Readonly<Record<string, string>>): string {
  let filled = '';
  let cursor = 0;
  for (const variable of readTextVariables(text).variables) {
    filled += text.slice(cursor, variable.range[0]) + (exampleOf(examples, variable.name) ?? text.slice(...variable.range));
    cursor = variable.range[1];
  }
  return filled + text.slice(cursor);
}

/** The example for a variable, own properties only: {{constructor}} must not find Object's constructor. */
export function exampleOf(examples: Readonly<Record<string, string>>, name: string): string | undefined {
  return Object.hasOwn(examples, name) ? examples[name] : undefined;
}
