// The demo's three campaigns, as campaign documents (the same JSON `campaigns create` and the API take):
// order updates from the support line (UTILITY, no canary: people expect them), a back-in-stock note to
// the customers who follow a product (MARKETING, with a canary), and the flash-sale blast to the old
// newsletter list (MARKETING, with a canary — which is where the guards catch it).

import { SPAMMY_TEMPLATE } from './demo-templates.ts';

export type DemoCampaign = { key: 'orders' | 'wishlist' | 'blast'; document: Record<string, unknown> };

// Canary: 150 people first, then 20 (simulated) minutes of watching for opt-outs, blocks and failures.
const canary = { size: 150, holdMinutes: 20 };

export function demoCampaigns(senders: { main: string; support: string }): DemoCampaign[] {
  return [
    {
      key: 'orders',
      document: {
        name: 'Order updates', sender: senders.support, template: 'order_update', defaultLanguage: 'en',
        audience: { tags: ['orders'] },
        variables: {
          body: {
            first_name: { from: 'contact', field: 'first_name', fallback: 'there' },
            order_number: { from: 'attribute', key: 'order_number' },
            order_status: { from: 'attribute', key: 'order_status', fallback: 'on its way' },
            delivery_date: { from: 'attribute', key: 'delivery_date', format: { kind: 'date', style: 'medium' } },
          },
          buttons: { '0': { from: 'attribute', key: 'order_number' } },
        },
        canary: false,
      },
    },
    {
      key: 'wishlist',
      document: {
        name: 'Back in stock — wishlist', sender: senders.main, template: 'back_in_stock', defaultLanguage: 'en',
        audience: { tags: ['wishlist'] },
        variables: {
          body: { '1': { from: 'contact', field: 'first_name', fallback: 'there' }, '2': { from: 'attribute', key: 'wishlist_item', fallback: 'item you follow' } },
          buttons: { '0': { from: 'attribute', key: 'wishlist_slug', fallback: 'new-arrivals' } },
        },
        canary,
      },
    },
    {
      key: 'blast',
      document: {
        name: 'FLASH SALE blast — newsletter', sender: senders.main, template: SPAMMY_TEMPLATE, defaultLanguage: 'en',
        audience: { tags: ['newsletter'] },
        variables: { body: { '1': { from: 'contact', field: 'first_name', fallback: 'friend' } } },
        canary,
      },
    },
  ];
}
