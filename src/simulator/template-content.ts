// Reads a template's components (Meta's JSON shape) into what the simulator checks: the texts, their
// variables ({{1}} or {{name}}) and the buttons that take a parameter. Pure; no review or send rules here.

export type ParameterFormat = 'positional' | 'named';

export type TemplateText = { text: string; variables: string[] };

export type TemplateContent = {
  header: { format: string; text: TemplateText | null } | null;
  body: TemplateText;
  footer: string | null;
  /** Indexes of URL buttons whose URL ends in a variable (they need a parameter at send time). */
  dynamicUrlButtons: number[];
  buttonCount: number;
};

const VARIABLE = /\{\{\s*([^{}]*?)\s*\}\}/g;

export function readVariables(text: string): string[] {
  return [...text.matchAll(VARIABLE)].map((match) => match[1] ?? '');
}

const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const typeOf = (component: Record<string, unknown>) => (str(component['type']) ?? '').toUpperCase();

function readButtons(components: ReadonlyArray<Record<string, unknown>>): { dynamicUrlButtons: number[]; buttonCount: number } {
  const buttonsComponent = components.find((component) => typeOf(component) === 'BUTTONS');
  const buttons = Array.isArray(buttonsComponent?.['buttons']) ? (buttonsComponent['buttons'] as unknown[]) : [];
  const dynamicUrlButtons: number[] = [];
  buttons.forEach((button, index) => {
    if (typeof button !== 'object' || button === null) return;
    const record = button as Record<string, unknown>;
    if ((str(record['type']) ?? '').toUpperCase() === 'URL' && readVariables(str(record['url']) ?? '').length > 0) dynamicUrlButtons.push(index);
  });
  return { dynamicUrlButtons, buttonCount: buttons.length };
}

export function readTemplateContent(components: ReadonlyArray<Record<string, unknown>>): TemplateContent {
  const find = (type: string) => components.find((component) => typeOf(component) === type);
  const header = find('HEADER');
  const headerFormat = (str(header?.['format']) ?? 'TEXT').toUpperCase();
  const headerText = headerFormat === 'TEXT' ? str(header?.['text']) : null;
  const bodyText = str(find('BODY')?.['text']) ?? '';
  return {
    header: header === undefined ? null : { format: headerFormat, text: headerText === null ? null : { text: headerText, variables: readVariables(headerText) } },
    body: { text: bodyText, variables: readVariables(bodyText) },
    footer: str(find('FOOTER')?.['text']),
    ...readButtons(components),
  };
}

/** The format the variables are written in: all digits means positional. */
export function detectParameterFormat(variables: readonly string[]): ParameterFormat {
  return variables.every((name) => /^\d+$/.test(name)) ? 'positional' : 'named';
}

/** Replaces each variable with its value: by position (1-based) or by name. */
export function hydrate(text: string, values: ReadonlyArray<{ name: string | null; value: string }>, format: ParameterFormat): string {
  let position = 0;
  return text.replace(VARIABLE, (_whole, rawName: string) => {
    position += 1;
    const name = rawName.trim();
    const found = format === 'named' ? values.find((entry) => entry.name === name) : values[Number(name) - 1] ?? values[position - 1];
    return found?.value ?? '';
  });
}
