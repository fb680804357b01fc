// Meta's documented send bodies (whatsapp-rules.md §5.1), shared by the wire-schema tests and the
// client tests: the client must write exactly what the schemas accept.

/** whatsapp-rules.md §5.1, "Template, positional parameters". */
export const POSITIONAL_TEMPLATE_REQUEST = {
  messaging_product: 'whatsapp',
  recipient_type: 'individual',
  to: '+5511987654321',
  type: 'template',
  template: {
    name: 'spring_sale',
    language: { code: 'pt_BR' },
    components: [
      { type: 'header', parameters: [{ type: 'image', image: { id: '1339522734477770' } }] },
      {
        type: 'body',
        parameters: [
          { type: 'text', text: 'Ana' },
          { type: 'currency', currency: { fallback_value: '$100.99', code: 'USD', amount_1000: 100990 } },
          { type: 'date_time', date_time: { fallback_value: 'February 25, 1977' } },
        ],
      },
      { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: 'promo-123' }] },
      { type: 'button', sub_type: 'quick_reply', index: '1', parameters: [{ type: 'payload', payload: 'STOP_PROMOS' }] },
      { type: 'button', sub_type: 'copy_code', index: '2', parameters: [{ type: 'coupon_code', coupon_code: '25OFF' }] },
    ],
  },
};
