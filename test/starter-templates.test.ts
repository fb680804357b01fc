// The starter library (templates/starter/): every file is a template Meta would accept as written — it
// parses, lints without errors, scores low spam risk — and renders for a real contact in its language.

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Contact } from '../src/domain/contacts.ts';
import { STOP_PROMOTIONS_PAYLOAD } from '../src/domain/inbound-opt-out.ts';
import type { TemplateCategory, TemplateDefinition } from '../src/domain/template.ts';
import { parseTemplateJson } from '../src/domain/template-json.ts';
import { lintTemplate } from '../src/domain/template-lint.ts';
import { renderTemplate } from '../src/domain/template-render.ts';
import type { TemplateSendPayload } from '../src/domain/template-render.ts';
import { assessSpamRisk } from '../src/domain/template-spam-risk.ts';
import type { VariableBinding, VariableMapping } from '../src/domain/template-variable-mapping.ts';
import type { TemplateSendParams } from '../src/ports.ts';

const directory = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../templates/starter');
const files = readdirSync(directory).filter((file) => file.endsWith('.json')).sort();

const STARTERS: Readonly<Record<string, TemplateCategory>> = {
  order_update: 'UTILITY',
  appointment_reminder: 'UTILITY',
  back_in_stock: 'MARKETING',
  abandoned_cart: 'MARKETING',
  payment_due: 'UTILITY',
};
const LANGUAGES = ['en', 'es', 'pt_BR'] as const;
type StarterLanguage = (typeof LANGUAGES)[number];

function load(file: string): TemplateDefinition {
  const parsed = parseTemplateJson(JSON.parse(readFileSync(path.join(directory, file), 'utf8')));
  if (!parsed.ok) throw new Error(`${file} does not parse: ${JSON.stringify(parsed.errors)}`);
  return parsed.template;
}

// ---- A sample contact per language, and the mapping a campaign would use for each starter ---------------

const contacts: Readonly<Record<StarterLanguage, Contact>> = {
  en: sampleContact('Sarah Miller', 'en_US', 'US', 'America/New_York', { order_status: 'on its way', service: 'dental cleaning', location: 'Main Street Clinic, 120 Main St', product_name: 'the Linen Shirt', product: 'Linen Shirt in Sage' }),
  es: sampleContact('Lucía Hernández', 'es_MX', 'MX', 'America/Mexico_City', { order_status: 'en camino', service: 'limpieza dental', location: 'Clínica Centro, Av. Juárez 120', product_name: 'la camisa de lino', product: 'Camisa de lino verde salvia' }),
  pt_BR: sampleContact('Mariana Costa', 'pt_BR', 'BR', 'America/Sao_Paulo', { order_status: 'a caminho', service: 'limpeza dental', location: 'Clínica Centro, Rua Augusta, 120', product_name: 'a camisa de linho', product: 'Camisa de linho verde-sálvia' }),
};
const CURRENCY: Readonly<Record<StarterLanguage, string>> = { en: 'USD', es: 'MXN', pt_BR: 'BRL' };

function sampleContact(name: string, language: string, country: string, timeZone: string, texts: Record<string, string>): Contact {
  const attributes = { ...texts, order_number: 'A-48213', delivery_date: '2026-03-20', appointment_time: '2026-03-20T17:30:00Z', product_slug: 'linen-shirt', cart_id: 'c-7Q2K9', cart_total: '249.9', invoice_number: 'INV-2026-0318', amount_due: '149.9', due_date: '2026-03-31' };
  return { id: 1, phone: '+15550100000', waId: null, businessUserId: null, name, language, country, timeZone, timeZoneOverridden: false, lineType: 'mobile', attributes, tags: [], createdAt: new Date(0), updatedAt: new Date(0) };
}

const attribute = (key: string, format?: VariableBinding['format']): VariableBinding => ({ from: 'attribute', key, ...(format ? { format } : {}) });
const firstName: VariableBinding = { from: 'contact', field: 'first_name', fallback: 'there' };

function mappingFor(name: string, language: StarterLanguage): VariableMapping {
  const money = (key: string) => attribute(key, { kind: 'currency', currency: CURRENCY[language] });
  switch (name) {
    case 'order_update':
      return { body: { first_name: firstName, order_number: attribute('order_number'), order_status: attribute('order_status'), delivery_date: attribute('delivery_date', { kind: 'date' }) }, buttons: { 0: attribute('order_number') } };
    case 'appointment_reminder':
      return { body: { first_name: firstName, service: attribute('service'), appointment_time: attribute('appointment_time', { kind: 'date' }), location: attribute('location') } };
    case 'back_in_stock':
      return { body: { '1': firstName, '2': attribute('product') }, buttons: { 0: attribute('product_slug') } };
    case 'abandoned_cart':
      return { body: { first_name: firstName, product_name: attribute('product_name'), cart_total: money('cart_total') }, buttons: { 0: attribute('cart_id') } };
    case 'payment_due':
      return { body: { first_name: firstName, invoice_number: attribute('invoice_number'), amount_due: money('amount_due'), due_date: attribute('due_date', { kind: 'date' }) }, buttons: { 0: attribute('invoice_number') } };
    default:
      throw new Error(`no sample mapping for ${name}`);
  }
}

// ---- The guarantees ------------------------------------------------------------------------------------

describe('starter templates: the library is complete', () => {
  it('has each of the 5 starters in en, es and pt_BR, and nothing else (15 files named <name>.<language>.json)', () => {
    const expected = Object.keys(STARTERS).flatMap((name) => LANGUAGES.map((language) => `${name}.${language}.json`));
    expect(files).toEqual([...expected].sort());
  });

  it.each(files)('%s: its name, language and category match its file name and purpose', (file) => {
    const template = load(file);
    expect(`${template.name}.${template.language}.json`).toBe(file);
    expect(template.category).toBe(STARTERS[template.name]);
  });
});

describe('starter templates: Meta would accept them as written', () => {
  it.each(files)('%s lints with no errors', (file) => {
    const errors = lintTemplate(load(file)).filter((finding) => finding.severity === 'error');
    expect(errors).toEqual([]);
  });

  // Marketing starters pair a link with the "Stop promotions" quick reply; mixing button kinds hides the
  // template on WhatsApp desktop (§4.2), a trade-off taken on purpose so people can always opt out in one tap.
  it.each(files)('%s has no lint warnings beyond the known desktop one for link + opt-out buttons', (file) => {
    const template = load(file);
    const allowed = template.category === 'MARKETING' ? ['BUTTONS_NOT_ON_DESKTOP'] : [];
    expect(lintTemplate(template).filter((finding) => finding.severity === 'warning' && !allowed.includes(finding.code))).toEqual([]);
  });

  it.each(files)('%s scores low spam risk', (file) => {
    const assessment = assessSpamRisk(load(file));
    expect(assessment.verdict, JSON.stringify(assessment.findings, null, 2)).toBe('low');
  });

  it.each(files.filter((file) => STARTERS[file.split('.')[0] ?? ''] === 'MARKETING'))('%s offers a "Stop promotions" quick reply that is sent with the STOP_PROMOTIONS payload', (file) => {
    const template = load(file);
    const language = template.language as StarterLanguage;
    const result = renderTemplate(template, contacts[language], mappingFor(template.name, language));
    expect(result.ok && result.send.buttons.some((button) => button.subType === 'quick_reply' && button.payload === STOP_PROMOTIONS_PAYLOAD)).toBe(true);
  });
});

describe('starter templates: they render for a contact in their language', () => {
  it.each(files)('%s renders with every variable filled', (file) => {
    const template = load(file);
    const language = template.language as StarterLanguage;
    const result = renderTemplate(template, contacts[language], mappingFor(template.name, language));
    if (!result.ok) throw new Error(`${file}: ${result.reason} (${result.variable}): ${result.message}`);
    expect(result.preview).not.toContain('{{');
    // "a las 2:30 p.m." then "." would read "p.m..": a starter never puts a full stop right after a date-time.
    expect(result.preview).not.toContain('..');
    expect(result.send).toMatchObject({ name: template.name, languageCode: template.language });
    // The renderer's payload type is the client's TemplateSendParams (domain/ cannot import ports.ts).
    const sendable: TemplateSendParams = result.send;
    const mirrored: TemplateSendPayload = sendable;
    expect(mirrored).toBe(result.send);
  });

  it.each<[string, string]>([
    ['payment_due.pt_BR.json', 'a fatura INV-2026-0318, no valor de R$ 149,90, vence em 31 de março de 2026.'],
    ['payment_due.es.json', 'la factura INV-2026-0318 por $149.90 vence el 31 de marzo de 2026.'],
    ['payment_due.en.json', 'invoice INV-2026-0318 for $149.90 is due on March 31, 2026.'],
    ['appointment_reminder.pt_BR.json', 'no dia 20 de março de 2026 às 14:30.'],
    ['appointment_reminder.es.json', 'el 20 de marzo de 2026 a las 11:30 a.m., en Clínica Centro'],
    ['appointment_reminder.en.json', 'on March 20, 2026 at 1:30 PM.'],
  ])('%s shows amounts and dates the way its readers write them', (file, excerpt) => {
    const template = load(file);
    const language = template.language as StarterLanguage;
    const result = renderTemplate(template, contacts[language], mappingFor(template.name, language));
    expect(result.ok ? result.preview.replace(/[\u00a0\u202f]/g, ' ') : result.message).toContain(excerpt);
  });
});
