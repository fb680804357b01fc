// Three template definitions that between them use every kind of component: shared by the file-format
// tests, the client tests and the simulator round trip, so they all prove the same shapes.

import type { TemplateDefinition } from '../../src/domain/template.ts';

export const marketingTemplate: TemplateDefinition = {
  name: 'spring_collection',
  language: 'en_US',
  category: 'MARKETING',
  parameterFormat: 'positional',
  header: { format: 'IMAGE', exampleHandle: '4::aW1hZ2UvcG5n:ARZ' },
  body: { text: 'Hi {{1}}, the spring collection is in. Use code {{2}} at checkout.', examples: { '1': 'Ana', '2': 'SPRING10' } },
  footer: { text: 'Reply STOP to opt out' },
  buttons: [
    { type: 'QUICK_REPLY', text: 'Show me' },
    { type: 'QUICK_REPLY', text: 'Not now' },
    { type: 'URL', text: 'Open the shop', url: 'https://shop.example/c/{{1}}', example: 'https://shop.example/c/spring' },
  ],
};

export const utilityTemplate: TemplateDefinition = {
  name: 'order_shipped',
  language: 'pt_BR',
  category: 'UTILITY',
  parameterFormat: 'named',
  header: { format: 'TEXT', text: 'Pedido {{order_id}}', examples: { order_id: '860198' } },
  body: { text: 'Olá {{first_name}}, seu pedido {{order_id}} saiu para entrega.', examples: { first_name: 'Ana', order_id: '860198' } },
  footer: null,
  buttons: [
    { type: 'URL', text: 'Rastrear', url: 'https://loja.example/rastreio', example: null },
    { type: 'PHONE_NUMBER', text: 'Ligar', phoneNumber: '+5511987654321' },
  ],
};

export const authenticationTemplate: TemplateDefinition = {
  name: 'login_code',
  language: 'en',
  category: 'AUTHENTICATION',
  parameterFormat: 'positional',
  header: null,
  body: { text: '', examples: {}, addSecurityRecommendation: true },
  footer: { text: '', codeExpirationMinutes: 10 },
  buttons: [{ type: 'OTP', otpType: 'COPY_CODE', text: 'Copy code' }],
};
