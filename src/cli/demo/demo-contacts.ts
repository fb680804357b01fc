// The demo's customer list: a few thousand contacts of "Loja Verde", an online shop selling in eight
// countries, written as the CSV a shop would export (one row per customer, consent columns included)
// and imported through the real importer. Generated from a seed, so every run tells the same story.
//
// Consent is mixed on purpose, so every rule has someone to act on: most customers opted in at checkout
// or on a wishlist alert, some only to order updates, some opted out since, some never consented. The
// "newsletter" list is old: its consent comes from a 2019 sign-up sheet the shop imported, and most of
// those people no longer remember asking — the simulator's people react to it as unsolicited (§8.4).

import { stringify } from 'csv-stringify/sync';
import { mulberry32 } from '../../lib/mulberry32.ts';

type Market = { country: string; language: string; count: number; phone: (n: number) => string; first: readonly string[]; last: readonly string[]; city: string };

const pad = (value: number, width: number) => String(value).padStart(width, '0');

// Valid mobile numbering plans for each country (libphonenumber accepts them), numbered sequentially.
const MARKETS: readonly Market[] = [
  { country: 'BR', language: 'pt_BR', count: 900, phone: (n) => `+55119${8100_0000 + n}`, first: ['Ana', 'Bruno', 'Carla', 'Diego', 'Fernanda', 'Gabriel', 'Juliana', 'Lucas', 'Mariana', 'Rafael'], last: ['Souza', 'Lima', 'Oliveira', 'Santos', 'Costa', 'Pereira'], city: 'São Paulo' },
  { country: 'MX', language: 'es_MX', count: 450, phone: (n) => `+5255${pad(2100_0000 + n, 8)}`, first: ['Sofía', 'Mateo', 'Valentina', 'Santiago', 'Camila', 'Diego'], last: ['Hernández', 'García', 'Martínez', 'López'], city: 'Ciudad de México' },
  { country: 'ES', language: 'es_ES', count: 300, phone: (n) => `+34612${pad(100_000 + n, 6)}`, first: ['Lucía', 'Hugo', 'Martina', 'Pablo', 'Elena', 'Álvaro'], last: ['García', 'Fernández', 'Ruiz', 'Moreno'], city: 'Madrid' },
  { country: 'AR', language: 'es_AR', count: 150, phone: (n) => `+54911${pad(4100_0000 + n, 8)}`, first: ['Martina', 'Benjamín', 'Catalina', 'Joaquín'], last: ['González', 'Rodríguez', 'Fernández'], city: 'Buenos Aires' },
  { country: 'CO', language: 'es_CO', count: 150, phone: (n) => `+57310${pad(100_0000 + n, 7)}`, first: ['Isabella', 'Samuel', 'Mariana', 'Nicolás'], last: ['Gómez', 'Rodríguez', 'Vargas'], city: 'Bogotá' },
  { country: 'DE', language: 'de_DE', count: 300, phone: (n) => `+491511${pad(200_0000 + n, 7)}`, first: ['Anna', 'Jonas', 'Lena', 'Felix', 'Marie', 'Paul'], last: ['Schmidt', 'Weber', 'Fischer', 'Wagner'], city: 'Berlin' },
  { country: 'GB', language: 'en_GB', count: 300, phone: (n) => `+447911${pad(100_000 + n, 6)}`, first: ['Olivia', 'George', 'Amelia', 'Harry', 'Isla', 'Jack'], last: ['Smith', 'Jones', 'Taylor', 'Brown'], city: 'London' },
  { country: 'US', language: 'en_US', count: 350, phone: (n) => `+1212${pad(410_0000 + n, 7)}`, first: ['Emma', 'Liam', 'Ava', 'Noah', 'Mia', 'Ethan'], last: ['Johnson', 'Miller', 'Davis', 'Wilson'], city: 'New York' },
];

const PRODUCTS = [
  { item: 'Linen Shirt in Sage', slug: 'linen-shirt-sage' },
  { item: 'Canvas Tote', slug: 'canvas-tote' },
  { item: 'Merino Scarf', slug: 'merino-scarf' },
  { item: 'Leather Sandals', slug: 'leather-sandals' },
];

const ORDER_STATUS: Record<string, string> = { pt_BR: 'a caminho', es: 'en camino', en: 'on its way', de: 'on its way' };

export const CHECKOUT_CONSENT = { source: 'checkout form', text: 'Yes, send me order updates and offers from Loja Verde on WhatsApp' };
export const NEWSLETTER_CONSENT = { source: 'newsletter sign-up sheet 2019 (imported)', text: 'Newsletter: offers by e-mail, SMS or WhatsApp' };

export type DemoContacts = {
  csv: string;
  total: number;
  /** The people who really asked for messages (the simulator's opted-in population). */
  genuinelyOptedIn: string[];
};

/** The CSV (header + one row per contact) and who genuinely opted in; `now` dates the consent columns. */
export function generateDemoContacts(seed: number, now: Date): DemoContacts {
  const random = mulberry32(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000).toISOString();
  const rows: string[][] = [];
  const genuinelyOptedIn: string[] = [];
  for (const market of MARKETS) {
    for (let n = 0; n < market.count; n++) {
      const phone = market.phone(n);
      const name = `${pick(market.first)} ${pick(market.last)}`;
      const product = pick(PRODUCTS);
      const list = random();
      // 30 % follow a product (wishlist), 40 % are on the old newsletter list, the rest neither.
      const tags = ['customers'];
      if (list < 0.3) tags.push('wishlist');
      else if (list < 0.7) tags.push('newsletter');
      const ordered = random() < 0.6;
      if (ordered) tags.push('orders');
      const consent = random();
      let optInAt = '';
      let source = CHECKOUT_CONSENT.source;
      let text = CHECKOUT_CONSENT.text;
      let categories = 'all';
      let optOutAt = '';
      if (tags.includes('newsletter') && consent < 0.85) {
        // The imported list: consent "on record", but not the informed, WhatsApp-specific opt-in Meta asks for.
        optInAt = daysAgo(2200 + Math.floor(random() * 100));
        source = NEWSLETTER_CONSENT.source;
        text = NEWSLETTER_CONSENT.text;
      } else if (consent < 0.62) {
        optInAt = daysAgo(10 + Math.floor(random() * 300));
      } else if (consent < 0.8) {
        optInAt = daysAgo(10 + Math.floor(random() * 300));
        categories = 'utility';
      } else if (consent < 0.9) {
        optInAt = daysAgo(200 + Math.floor(random() * 100));
        optOutAt = daysAgo(5 + Math.floor(random() * 60));
      }
      if (optInAt && !optOutAt && source === CHECKOUT_CONSENT.source) genuinelyOptedIn.push(phone);
      const languageKey = market.language.startsWith('es') ? 'es' : market.language.startsWith('pt') ? 'pt_BR' : market.language.slice(0, 2);
      rows.push([
        phone, name, market.language, tags.join(';'), optInAt, optInAt ? source : '', optInAt ? text : '', optInAt ? categories : '', optOutAt,
        market.city, ordered ? `LV-${pad(10_000 + rows.length, 5)}` : '', ordered ? (ORDER_STATUS[languageKey] ?? 'on its way') : '', ordered ? daysAgo(-3).slice(0, 10) : '',
        list < 0.3 ? product.item : '', list < 0.3 ? product.slug : '',
      ]);
    }
  }
  const header = ['phone', 'name', 'language', 'tags', 'opt_in_at', 'opt_in_source', 'opt_in_text', 'consent_categories', 'opt_out_at', 'city', 'order_number', 'order_status', 'delivery_date', 'wishlist_item', 'wishlist_slug'];
  return { csv: stringify([header, ...rows]), total: rows.length, genuinelyOptedIn };
}
