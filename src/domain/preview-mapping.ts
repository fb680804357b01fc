// The variable mapping used to preview a template for one contact when no campaign mapping exists
// yet: a variable named like a contact field takes that field, any other takes the contact attribute
// of the same name, and every one falls back to the template's own example. Pure.

import type { TemplateDefinition } from './template.ts';
import type { VariableBinding, VariableMapping } from './template-variable-mapping.ts';

/** A variable named like a contact field reads that field ("full_name" is the name too). */
export const contactFields: Record<string, 'name' | 'first_name' | 'phone' | 'language' | 'country'> = {
  name: 'name',
  full_name: 'name',
  first_name: 'first_name',
  phone: 'phone',
  language: 'language',
  country: 'country',
};

export function planPreviewMapping(template: TemplateDefinition, overrides: Record<string, string> = {}): VariableMapping {
  const body: Record<string, VariableBinding> = Object.fromEntries(Object.entries(template.body.examples).map(([name, example]) => [name, bindingFor(name, example, overrides)]));
  const header = template.header?.format === 'TEXT' ? Object.entries(template.header.examples)[0] : undefined;
  const buttons: Record<number, VariableBinding> = {};
  template.buttons.forEach((button, index) => {
    // The example is the whole URL Meta reviews; the variable is only what replaces {{1}} at its end.
    if (button.type === 'URL' && button.example) buttons[index] = { from: 'constant', value: overrides[`button${index + 1}`] ?? urlSuffix(button.url, button.example) };
    if (button.type === 'COPY_CODE') buttons[index] = { from: 'constant', value: overrides[`button${index + 1}`] ?? button.example };
  });
  return { body, ...(header ? { header: bindingFor(header[0], header[1], overrides) } : {}), buttons, ...previewHeaderMedia(template) };
}

function urlSuffix(url: string, example: string): string {
  const fixed = url.slice(0, url.indexOf('{{'));
  return example.startsWith(fixed) ? example.slice(fixed.length) : example;
}

// A preview shows where the media or the map goes; the real file or place comes with the campaign.
function previewHeaderMedia(template: TemplateDefinition): Pick<VariableMapping, 'headerMedia' | 'headerLocation'> {
  const header = template.header;
  if (header?.format === 'LOCATION') return { headerLocation: { latitude: 0, longitude: 0, name: 'the location the campaign sets' } };
  if (header && header.format !== 'TEXT') return { headerMedia: { media: { link: 'https://example.invalid/the-file-the-campaign-sets' } } };
  return {};
}

function bindingFor(name: string, example: string, overrides: Record<string, string>): VariableBinding {
  const override = Object.hasOwn(overrides, name) ? overrides[name] : undefined;
  if (override !== undefined) return { from: 'constant', value: override };
  const field = Object.hasOwn(contactFields, name) ? contactFields[name] : undefined;
  if (field) return { from: 'contact', field, fallback: example };
  return { from: 'attribute', key: name, fallback: example };
}
