// The variable mapping of a template sent by hand to one contact (the inbox): the values the person
// typed, else the contact's field or attribute of the same name. Unlike a preview (preview-mapping.ts),
// nothing falls back to the template's examples: a real person must never get the sample "Ana". Pure.

import type { TemplateDefinition } from './template.ts';
import { contactFields } from './preview-mapping.ts';
import type { VariableBinding, VariableMapping } from './template-variable-mapping.ts';


/**
 * `variables` is keyed by variable name ("1", "first_name"); a URL button's suffix or a copy-code
 * button's code is `button1`, `button2`… by the button's position. A variable with no value, and a
 * media or location header, are left unmapped: renderTemplate then names what is missing.
 */
export function planDirectTemplateMapping(template: TemplateDefinition, variables: Record<string, string> = {}): VariableMapping {
  const names = new Set([...Object.keys(template.body.examples), ...Object.keys(variables).filter((name) => !/^button\d+$/.test(name))]);
  const body: Record<string, VariableBinding> = {};
  for (const name of names) {
    const binding = bindingFor(name, variables);
    if (binding) body[name] = binding;
  }
  const headerName = template.header?.format === 'TEXT' ? Object.keys(template.header.examples)[0] : undefined;
  const header = headerName === undefined ? undefined : bindingFor(headerName, variables);
  const buttons: Record<number, VariableBinding> = {};
  template.buttons.forEach((_button, index) => {
    const value = variables[`button${index + 1}`];
    if (value !== undefined) buttons[index] = { from: 'constant', value };
  });
  return { body, ...(header ? { header } : {}), buttons };
}

function bindingFor(name: string, variables: Record<string, string>): VariableBinding | undefined {
  if (Object.hasOwn(variables, name)) return { from: 'constant', value: variables[name]! };
  const field = Object.hasOwn(contactFields, name) ? contactFields[name] : undefined;
  if (field) return { from: 'contact', field };
  // A positional variable ("1") names no field; only the value typed in can fill it.
  if (/^\d+$/.test(name)) return undefined;
  return { from: 'attribute', key: name };
}
