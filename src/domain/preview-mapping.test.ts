import { describe, expect, it } from 'vitest';
import type { Contact } from './contacts.ts';
import { planPreviewMapping } from './preview-mapping.ts';
import { renderTemplate } from './template-render.ts';
import type { TemplateDefinition } from './template.ts';

const contact: Contact = { id: 1, phone: '+5511912345678', waId: null, businessUserId: null, name: 'Ana Souza', language: 'pt_BR', country: 'BR', timeZone: 'America/Sao_Paulo', timeZoneOverridden: false, lineType: 'mobile', attributes: { order_id: 'A-77' }, tags: [], createdAt: new Date(0), updatedAt: new Date(0) };

const template: TemplateDefinition = {
  name: 'order_ready',
  language: 'pt_BR',
  category: 'UTILITY',
  parameterFormat: 'named',
  header: { format: 'IMAGE', exampleHandle: null },
  body: { text: 'Olá {{first_name}}, seu pedido {{order_id}} está pronto para retirada.', examples: { first_name: 'Bia', order_id: 'X-1' } },
  footer: null,
  buttons: [{ type: 'URL', text: 'Ver pedido', url: 'https://loja.example/pedidos/{{1}}', example: 'https://loja.example/pedidos/X-1' }],
};

describe('planPreviewMapping', () => {
  it('fills variables from the contact and its attributes, falling back to the examples', () => {
    const rendered = renderTemplate(template, contact, planPreviewMapping(template));
    expect(rendered.ok && rendered.preview).toContain('Olá Ana, seu pedido A-77 está pronto');
  });

  it('sends only the URL suffix for a URL button variable, never the whole example URL again', () => {
    const rendered = renderTemplate(template, contact, planPreviewMapping(template));
    expect(rendered.ok && rendered.send.buttons).toEqual([{ subType: 'url', index: 0, text: 'X-1' }]);
  });

  it('previews a template with a media header instead of failing for want of the file', () => {
    expect(renderTemplate(template, contact, planPreviewMapping(template)).ok).toBe(true);
  });
});
