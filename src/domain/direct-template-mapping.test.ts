import { describe, expect, it } from 'vitest';
import type { Contact } from './contacts.ts';
import { planDirectTemplateMapping } from './direct-template-mapping.ts';
import { renderTemplate } from './template-render.ts';
import type { TemplateDefinition } from './template.ts';

const contact: Contact = {
  id: 1, phone: '+4915112345001', waId: null, businessUserId: null, name: 'Anna Schmidt', language: 'en_US', country: 'DE', timeZone: 'Europe/Berlin',
  timeZoneOverridden: false, lineType: 'mobile', attributes: { order: 'A-1001' }, tags: [], createdAt: new Date(0), updatedAt: new Date(0),
};

const template = (overrides: Partial<TemplateDefinition>): TemplateDefinition => ({
  name: 'order_update', language: 'en_US', category: 'UTILITY', parameterFormat: 'positional', header: null,
  body: { text: 'Hi {{1}}, order {{2}} is on its way.', examples: { '1': 'Ana', '2': 'X-1' } }, footer: null, buttons: [], ...overrides,
});

const render = (definition: TemplateDefinition, variables: Record<string, string>) => renderTemplate(definition, contact, planDirectTemplateMapping(definition, variables));

describe('planDirectTemplateMapping', () => {
  it('fills positional variables only from the values given, never from the template\'s examples', () => {
    const filled = render(template({}), { 1: 'Anna', 2: 'A-1001' });
    expect(filled.ok && filled.preview).toBe('Hi Anna, order A-1001 is on its way.');
    const missing = render(template({}), { 1: 'Anna' });
    expect(missing).toMatchObject({ ok: false, reason: 'missing_variable', variable: '2' });
  });

  it.each([
    ['the contact field and attribute of the same name', {}, 'Hi Anna, order A-1001 is on its way.'],
    ['the value typed in, over the contact\'s own', { first_name: 'Dear Anna', order: 'B-7' }, 'Hi Dear Anna, order B-7 is on its way.'],
  ])('fills named variables from %s', (_name, variables, expected) => {
    const named = template({ parameterFormat: 'named', body: { text: 'Hi {{first_name}}, order {{order}} is on its way.', examples: { first_name: 'Ana', order: 'X-1' } } });
    const result = render(named, variables);
    expect(result.ok && result.preview).toBe(expected);
  });

  it('takes a URL button\'s suffix as button1 and leaves a media header for the render to refuse', () => {
    const withButton = template({ buttons: [{ type: 'URL', text: 'Track', url: 'https://shop.example/t/{{1}}', example: 'https://shop.example/t/X-1' }] });
    expect(render(withButton, { 1: 'Anna', 2: 'A-1001' })).toMatchObject({ ok: false, variable: 'button.0' });
    const sent = render(withButton, { 1: 'Anna', 2: 'A-1001', button1: 'A-1001' });
    expect(sent.ok && sent.send.buttons).toEqual([{ subType: 'url', index: 0, text: 'A-1001' }]);
    const withImage = template({ header: { format: 'IMAGE', exampleHandle: null } });
    expect(render(withImage, { 1: 'Anna', 2: 'A-1001' })).toMatchObject({ ok: false, variable: 'header' });
  });
});
