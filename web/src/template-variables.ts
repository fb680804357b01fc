// Reads which variables a template needs from its components (Meta's JSON): body and header
// {{1}} / {{name}} placeholders, and URL buttons ending in a variable. The campaign form and the inbox's
// template composer ask for exactly these. Also renders a bubble locally when the API's preview cannot
// (a template not approved yet), showing the placeholders as written.

import type { Bubble, TemplateComponent } from './api-types.ts';

export type TemplateVariable = { part: 'body' | 'header' | 'button'; name: string; buttonIndex?: number };

const placeholders = (text: string | undefined) => [...(text ?? '').matchAll(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g)].map((match) => match[1]!);

export function templateVariables(components: readonly TemplateComponent[]): TemplateVariable[] {
  const found: TemplateVariable[] = [];
  const seen = new Set<string>();
  const add = (variable: TemplateVariable) => {
    const key = `${variable.part}:${variable.buttonIndex ?? ''}:${variable.name}`;
    if (!seen.has(key)) found.push(variable);
    seen.add(key);
  };
  for (const component of components) {
    const type = component.type.toUpperCase();
    if (type === 'HEADER' && (component.format ?? 'TEXT').toUpperCase() === 'TEXT') placeholders(component.text).forEach((name) => add({ part: 'header', name }));
    if (type === 'BODY') placeholders(component.text).forEach((name) => add({ part: 'body', name }));
    if (type === 'BUTTONS') {
      (component.buttons ?? []).forEach((button, index) => {
        if (button.type.toUpperCase() === 'URL') placeholders(button.url).forEach((name) => add({ part: 'button', name, buttonIndex: index }));
      });
    }
  }
  return found;
}

export function localBubble(components: readonly TemplateComponent[]): Bubble {
  const find = (type: string) => components.find((component) => component.type.toUpperCase() === type);
  const header = find('HEADER');
  return {
    header: header ? { type: (header.format ?? 'TEXT').toUpperCase(), ...(header.text ? { text: header.text } : {}) } : null,
    body: find('BODY')?.text ?? '',
    footer: find('FOOTER')?.text ?? null,
    buttons: (find('BUTTONS')?.buttons ?? []).map((button) => ({ type: button.type, text: button.text })),
  };
}
