import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Contact } from './contacts.ts';
import { STOP_PROMOTIONS_PAYLOAD } from './inbound-opt-out.ts';
import type { TemplateButton, TemplateDefinition } from './template.ts';
import { defaultQuickReplyPayload, renderTemplate, resolveTemplateLanguage } from './template-render.ts';
import type { RenderedTemplate, RenderFailure } from './template-render.ts';
import type { VariableBinding, VariableMapping } from './template-variable-mapping.ts';
import { sanitizeParameterText } from './template-variable-mapping.ts';

const contact = (overrides: Partial<Contact> = {}): Contact => ({
  id: 1,
  phone: '+5511987654321',
  waId: '5511987654321',
  businessUserId: null,
  name: 'Ana Souza',
  language: 'pt_BR',
  country: 'BR',
  timeZone: 'America/Sao_Paulo',
  timeZoneOverridden: false,
  lineType: 'mobile',
  attributes: {},
  tags: [],
  createdAt: new Date(0),
  updatedAt: new Date(0),
  ...overrides,
});

const template = (overrides: Partial<TemplateDefinition> = {}): TemplateDefinition => ({
  name: 'order_update',
  language: 'pt_BR',
  category: 'UTILITY',
  parameterFormat: 'positional',
  header: null,
  body: { text: 'Olá, {{1}}. Seu pedido {{2}} está a caminho.', examples: { '1': 'Ana', '2': 'PED-1042' } },
  footer: null,
  buttons: [],
  ...overrides,
});

const attribute = (key: string, extra: Pick<VariableBinding, 'fallback' | 'format'> = {}): VariableBinding => ({ from: 'attribute', key, ...extra });
const constant = (value: string): VariableBinding => ({ from: 'constant', value });
const firstName: VariableBinding = { from: 'contact', field: 'first_name' };
const orderMapping: VariableMapping = { body: { '1': firstName, '2': attribute('order') } };

function rendered(result: RenderedTemplate | RenderFailure): RenderedTemplate {
  if (!result.ok) throw new Error(`expected a rendered template, got ${result.reason} (${result.variable}): ${result.message}`);
  return result;
}

/** The value sent for body variable `name` (text or currency fallback). */
function bodyValue(result: RenderedTemplate, position = 0): string {
  const parameter = result.send.body[position];
  if (parameter === undefined) throw new Error(`no body parameter at ${position}`);
  return parameter.type === 'text' ? parameter.text : parameter.fallbackValue;
}

// ICU separates amounts and times with no-break spaces (U+00A0, U+202F) and which one varies between ICU
// versions; the guarantees below are about digits, words and order, so both read as a plain space.
const plainSpaces = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

const BAD_WHITESPACE = /[\r\n\t]| {5,}/;

describe('renderTemplate: every value is sanitised before Meta sees it (§4.3, error 132018)', () => {
  it.each([
    ['a newline becomes a space', 'PED\n1042', 'PED 1042'],
    ['a Windows line break becomes one space, not two', 'PED\r\n1042', 'PED 1042'],
    ['a tab becomes a space', 'PED\t1042', 'PED 1042'],
    ['a run of five spaces becomes one space', 'PED     1042', 'PED 1042'],
    ['a longer run becomes one space too', 'PED            1042', 'PED 1042'],
    ['a run of four spaces is allowed and kept', 'PED    1042', 'PED    1042'],
    ['breaks that add up to five spaces collapse too', 'PED\n\n\n\n\n1042', 'PED 1042'],
    ['spaces around the value are trimmed', '  PED-1042 ', 'PED-1042'],
  ])('%s', (_name, raw, sent) => {
    const result = rendered(renderTemplate(template(), contact({ attributes: { order: raw } }), orderMapping));
    expect(bodyValue(result, 1)).toBe(sent);
  });

  it('sanitises constants and fallbacks as well as contact data', () => {
    const mapping: VariableMapping = { body: { '1': { from: 'contact', field: 'name', fallback: 'cliente\n\tquerido' }, '2': constant('A\nB') } };
    const result = rendered(renderTemplate(template(), contact({ name: null }), mapping));
    expect([bodyValue(result, 0), bodyValue(result, 1)]).toEqual(['cliente  querido', 'A B']);
  });

  it('never leaves a newline, a tab or a run of 5+ spaces in any text, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', ' ', '\n', '\r', '\t', '\v', '\u2028', 'é') }), (text) => {
        expect(sanitizeParameterText(text)).not.toMatch(BAD_WHITESPACE);
      }),
    );
  });
});

describe('renderTemplate: values come from the mapping, with per-variable fallbacks (decision step 5)', () => {
  it.each<[string, Partial<Contact>, VariableBinding, string]>([
    ['the first name is the first word of the contact name', { name: '  Ana   Maria Souza' }, firstName, 'Ana'],
    ['the whole name when the mapping asks for it', { name: 'Ana Souza' }, { from: 'contact', field: 'name' }, 'Ana Souza'],
    ['a missing name takes the fallback', { name: null }, { ...firstName, fallback: 'cliente' }, 'cliente'],
    ['a blank attribute takes the fallback', { attributes: { nickname: '   ' } }, attribute('nickname', { fallback: 'cliente' }), 'cliente'],
    ['an absent attribute takes the fallback', {}, attribute('nickname', { fallback: 'cliente' }), 'cliente'],
    ['a number attribute is sent as text', { attributes: { points: 42 } }, attribute('points'), '42'],
    ['a constant is sent as written', {}, constant('Loja Centro'), 'Loja Centro'],
    ['the contact country is available', {}, { from: 'contact', field: 'country' }, 'BR'],
  ])('%s', (_name, overrides, binding, sent) => {
    const result = rendered(renderTemplate(template(), contact(overrides), { body: { '1': binding, '2': constant('PED-1') } }));
    expect(bodyValue(result, 0)).toBe(sent);
  });

  it.each<[string, Partial<Contact>, VariableMapping, RenderFailure['reason'], string]>([
    ['an empty value without a fallback is missing_variable, naming the variable', { name: null }, orderMapping, 'missing_variable', '1'],
    ['a variable the mapping does not cover is missing_variable', {}, { body: { '1': firstName } }, 'missing_variable', '2'],
    ['a fallback that is only whitespace does not count', { name: ' ' }, { body: { '1': { ...firstName, fallback: '\n ' }, '2': constant('x') } }, 'missing_variable', '1'],
    ['an attribute holding an object is bad_value', { attributes: { order: { id: 1 } } }, orderMapping, 'bad_value', '2'],
    ['an unreadable date is bad_value, never the fallback (bad data must surface)', { attributes: { order: '20/03/2026' } }, { body: { '1': firstName, '2': attribute('order', { fallback: 'em breve', format: { kind: 'date' } }) } }, 'bad_value', '2'],
  ])('%s', (_name, overrides, mapping, reason, variable) => {
    const result = renderTemplate(template(), contact(overrides), mapping);
    expect(result).toMatchObject({ ok: false, reason, variable });
  });

  it('a fallback is sent as written: a date or currency fallback is text, not formatted', () => {
    const mapping: VariableMapping = { body: { '1': firstName, '2': attribute('total', { fallback: 'a combinar', format: { kind: 'currency', currency: 'BRL' } }) } };
    const result = rendered(renderTemplate(template(), contact(), mapping));
    expect(result.send.body[1]).toEqual({ type: 'text', text: 'a combinar' });
  });
});

describe('renderTemplate: dates and amounts are formatted in the contact locale (Intl, explicit locale and zone)', () => {
  const bodyWith = (binding: VariableBinding, language: string, who: Partial<Contact>) =>
    plainSpaces(bodyValue(rendered(renderTemplate(template({ language }), contact(who), { body: { '1': firstName, '2': binding } })), 1));
  const ptBR: Partial<Contact> = { language: 'pt_BR', country: 'BR', timeZone: 'America/Sao_Paulo' };
  const esMX: Partial<Contact> = { language: 'es_MX', country: 'MX', timeZone: 'America/Mexico_City' };
  const enUS: Partial<Contact> = { language: 'en_US', country: 'US', timeZone: 'America/New_York' };
  const date = (style?: 'short' | 'medium' | 'long') => attribute('value', { format: { kind: 'date', ...(style ? { style } : {}) } });
  const money = (currency: string) => attribute('value', { format: { kind: 'currency', currency } });

  it.each<[string, string, Partial<Contact>, VariableBinding, string, string]>([
    ['pt_BR, long date (the default style)', 'pt_BR', ptBR, date(), '2026-03-20', '20 de março de 2026'],
    ['pt_BR, short date', 'pt_BR', ptBR, date('short'), '2026-03-20', '20/03/2026'],
    ['es_MX, long date', 'es', esMX, date('long'), '2026-03-20', '20 de marzo de 2026'],
    ['es_MX, short date (day first, two-digit year)', 'es', esMX, date('short'), '2026-03-20', '20/03/26'],
    ['en_US, long date', 'en', enUS, date('long'), '2026-03-20', 'March 20, 2026'],
    ['en_US, short date (month first)', 'en', enUS, date('short'), '2026-03-20', '3/20/26'],
    ['a date alone is a calendar day, never shifted by the time zone', 'en', { ...enUS, timeZone: 'Pacific/Honolulu' }, date('medium'), '2026-03-20', 'Mar 20, 2026'],
    ['a date-time with a zone is shown in the contact time zone (São Paulo, UTC−3)', 'pt_BR', ptBR, date('long'), '2026-03-20T17:30:00Z', '20 de março de 2026 às 14:30'],
    ['a date-time with a zone is shown in the contact time zone (Mexico City, UTC−6)', 'es', esMX, date('medium'), '2026-03-20T17:30:00Z', '20 mar 2026, 11:30 a.m.'],
    ['a date-time without a zone is shown as written', 'en', enUS, date('medium'), '2026-03-20T17:30', 'Mar 20, 2026, 5:30 PM'],
    ['a date-time for a contact with an unknown time zone is shown in UTC', 'en', { ...enUS, timeZone: 'Mars/Olympus_Mons' }, date('medium'), '2026-03-20T17:30:00Z', 'Mar 20, 2026, 5:30 PM'],
    ['pt_BR, BRL: comma for cents, dot for thousands', 'pt_BR', ptBR, money('BRL'), '1234.5', 'R$ 1.234,50'],
    ['es_MX, MXN: the local peso sign', 'es', esMX, money('MXN'), '1234.5', '$1,234.50'],
    ['en_US, USD', 'en', enUS, money('USD'), '1234.5', '$1,234.50'],
    ['en_US, BRL: a foreign currency keeps its own symbol', 'en', enUS, money('BRL'), '1234.5', 'R$1,234.50'],
    ['the message language wins over the contact language (Spanish text, contact "en" in Mexico)', 'es', { language: 'en', country: 'MX', timeZone: null }, date('long'), '2026-03-20', '20 de marzo de 2026'],
  ])('%s', (_name, language, who, binding, value, shown) => {
    expect(bodyWith(binding, language, { ...who, attributes: { value } })).toBe(shown);
  });

  it.each([
    ['a date that does not exist', date(), '2026-02-30'],
    ['a day-first date', date(), '20/03/2026'],
    ['an amount with a decimal comma (ambiguous: 1.234 is a thousand in Brazil)', money('BRL'), '1234,50'],
    ['an amount with words', money('USD'), 'USD 12'],
    ['a currency code that is not ISO 4217 upper case', money('usd'), '12.00'],
  ])('refuses %s as bad_value', (_name, binding, value) => {
    const result = renderTemplate(template(), contact({ attributes: { value } }), { body: { '1': firstName, '2': binding } });
    expect(result).toMatchObject({ ok: false, reason: 'bad_value', variable: '2' });
  });

  it.each([
    ['1234.5', 1_234_500],
    ['1.005', 1_005],
    ['0.0005', 1],
    ['19', 19_000],
  ])('sends an amount in the body as Meta\'s currency parameter: %s → amount_1000 %i', (value, amount1000) => {
    const result = rendered(renderTemplate(template(), contact({ attributes: { value } }), { body: { '1': firstName, '2': money('BRL') } }));
    expect(result.send.body[1]).toMatchObject({ type: 'currency', code: 'BRL', amount1000 });
  });
});

describe('renderTemplate: hydrated lengths stay within Meta\'s limits, with the exact reasons', () => {
  const body = (length: number) => template({ body: { text: `Olá, {{1}}. ${'x'.repeat(length - 'Olá, . '.length - 'Ana'.length)}`, examples: {} } });

  it('accepts a hydrated body of exactly 1024 characters and reports its length', () => {
    const result = rendered(renderTemplate(body(1024), contact(), { body: { '1': firstName } }));
    expect(result.hydratedBodyLength).toBe(1024);
  });

  it('refuses a hydrated body of 1025 characters as body_too_long (132005), naming the longest value', () => {
    expect(renderTemplate(body(1025), contact(), { body: { '1': firstName } })).toMatchObject({ ok: false, reason: 'body_too_long', variable: '1' });
  });

  it.each([
    [60, true],
    [61, false],
  ])('a text header of %i characters once hydrated is %s', (length, ok) => {
    const header = { format: 'TEXT' as const, text: `Pedido {{1}}`, examples: { '1': 'X' } };
    const result = renderTemplate(template({ header }), contact({ attributes: { order: 'P'.repeat(length - 'Pedido '.length) } }), { ...orderMapping, header: attribute('order') });
    expect(result.ok ? 'ok' : `${result.reason} ${result.variable}`).toBe(ok ? 'ok' : 'header_too_long header.1');
  });

  it('refuses a URL that would pass 2,000 characters as value_too_long on that button', () => {
    const buttons: TemplateButton[] = [{ type: 'URL', text: 'Acompanhar', url: 'https://loja.example/p/{{1}}', example: 'https://loja.example/p/1' }];
    const result = renderTemplate(template({ buttons }), contact({ attributes: { slug: 'a'.repeat(2000) } }), { body: { '1': firstName, '2': constant('PED-1') }, buttons: { 0: attribute('slug') } });
    expect(result).toMatchObject({ ok: false, reason: 'value_too_long', variable: 'button.0' });
  });

  it('refuses a coupon code longer than 15 characters as value_too_long', () => {
    const buttons: TemplateButton[] = [{ type: 'COPY_CODE', example: 'VOLTA10' }];
    const result = renderTemplate(template({ buttons }), contact(), { body: { '1': firstName, '2': constant('PED-1') }, buttons: { 0: constant('CODIGO-LONGO-2026') } });
    expect(result).toMatchObject({ ok: false, reason: 'value_too_long', variable: 'button.0' });
  });
});

describe('renderTemplate: the payload matches the template parameter format (§5.1; 132000, 132012)', () => {
  it('positional: one parameter per number, in number order, without parameter names', () => {
    const reordered = template({ body: { text: 'Pedido {{2}} de {{1}}: tudo certo, {{1}}.', examples: {} } });
    const result = rendered(renderTemplate(reordered, contact({ attributes: { order: 'PED-7' } }), orderMapping));
    expect(result.send.body).toEqual([
      { type: 'text', text: 'Ana' },
      { type: 'text', text: 'PED-7' },
    ]);
    expect(result.preview).toBe('Pedido PED-7 de Ana: tudo certo, Ana.');
  });

  it('named: parameter_name on every parameter, header included, each name once, in order of appearance', () => {
    const named = template({
      parameterFormat: 'named',
      header: { format: 'TEXT', text: 'Pedido {{order_number}}', examples: {} },
      body: { text: 'Oi, {{first_name}}. O pedido {{order_number}} chega em {{delivery_date}}, {{first_name}}.', examples: {} },
    });
    const mapping: VariableMapping = { body: { first_name: firstName, order_number: attribute('order'), delivery_date: attribute('day', { format: { kind: 'date' } }) } };
    const result = rendered(renderTemplate(named, contact({ attributes: { order: 'PED-7', day: '2026-03-20' } }), mapping));
    expect(result.send.header).toEqual({ type: 'text', text: 'PED-7', parameterName: 'order_number' });
    expect(result.send.body).toEqual([
      { type: 'text', text: 'Ana', parameterName: 'first_name' },
      { type: 'text', text: 'PED-7', parameterName: 'order_number' },
      { type: 'text', text: '20 de março de 2026', parameterName: 'delivery_date' },
    ]);
  });

  it('a positional header variable needs its own mapping: header {{1}} is not body {{1}}', () => {
    const result = renderTemplate(template({ header: { format: 'TEXT', text: 'Pedido {{1}}', examples: {} } }), contact({ attributes: { order: 'P' } }), orderMapping);
    expect(result).toMatchObject({ ok: false, reason: 'missing_variable', variable: 'header.1' });
  });

  it('a media header needs the media from the mapping', () => {
    const header = { format: 'IMAGE' as const, exampleHandle: null };
    expect(renderTemplate(template({ header }), contact({ attributes: { order: 'P' } }), orderMapping)).toMatchObject({ ok: false, reason: 'missing_variable', variable: 'header' });
    const result = rendered(renderTemplate(template({ header }), contact({ attributes: { order: 'P' } }), { ...orderMapping, headerMedia: { media: { id: '1339522734477770' } } }));
    expect(result.send.header).toEqual({ type: 'image', media: { id: '1339522734477770' } });
  });
});

describe('renderTemplate: authentication templates', () => {
  it('fills the preset body and the one-time-password button with the same code (Meta presets the words, §4.2)', () => {
    const auth = template({
      category: 'AUTHENTICATION',
      body: { text: '', examples: {}, addSecurityRecommendation: true },
      footer: { text: '', codeExpirationMinutes: 10 },
      buttons: [{ type: 'OTP', otpType: 'COPY_CODE', text: 'Copiar código' }],
    });
    const result = rendered(renderTemplate(auth, contact({ attributes: { otp: '483920' } }), { body: { '1': attribute('otp') } }));
    expect(result.send.body).toEqual([{ type: 'text', text: '483920' }]);
    expect(result.send.buttons).toEqual([{ subType: 'url', index: 0, text: '483920' }]);
  });
});

describe('renderTemplate: buttons', () => {
  const buttons: TemplateButton[] = [
    { type: 'URL', text: 'Acompanhar', url: 'https://loja.example/pedidos/{{1}}', example: 'https://loja.example/pedidos/PED-1' },
    { type: 'URL', text: 'Ajuda', url: 'https://loja.example/ajuda', example: null },
    { type: 'PHONE_NUMBER', text: 'Ligar', phoneNumber: '+551130000000' },
    { type: 'QUICK_REPLY', text: 'Tudo certo' },
    { type: 'QUICK_REPLY', text: 'Parar promoções' },
  ];
  const mapping: VariableMapping = { ...orderMapping, buttons: { 0: attribute('order') } };

  it('sends a parameter for each dynamic URL and each quick reply, at its 0-based position among all buttons', () => {
    const result = rendered(renderTemplate(template({ buttons }), contact({ attributes: { order: 'PED 7/ção' } }), mapping));
    expect(result.send.buttons).toEqual([
      { subType: 'url', index: 0, text: 'PED%207/%C3%A7%C3%A3o' },
      { subType: 'quick_reply', index: 3, payload: 'TUDO_CERTO' },
      { subType: 'quick_reply', index: 4, payload: STOP_PROMOTIONS_PAYLOAD },
    ]);
  });

  it('takes quick-reply payloads from the options over the defaults', () => {
    const result = rendered(renderTemplate(template({ buttons }), contact({ attributes: { order: 'P' } }), mapping, { quickReplyPayloads: { 3: 'CONFIRM_DELIVERY' } }));
    expect(result.send.buttons.filter((button) => button.subType === 'quick_reply').map((button) => button.payload)).toEqual(['CONFIRM_DELIVERY', STOP_PROMOTIONS_PAYLOAD]);
  });

  it.each([
    ['Stop promotions', STOP_PROMOTIONS_PAYLOAD],
    ['Parar promoções', STOP_PROMOTIONS_PAYLOAD],
    ['Detener promociones', STOP_PROMOTIONS_PAYLOAD],
    ['Stop', 'STOP'],
    ['Track my order', 'TRACK_MY_ORDER'],
    ['Ver promoções', 'VER_PROMOCOES'],
    ['Sí, confirmo!', 'SI_CONFIRMO'],
    ['👍', 'QUICK_REPLY_2'],
  ])('defaults the quick reply "%s" to the payload %s (a promotions opt-out stops marketing only)', (label, payload) => {
    expect(defaultQuickReplyPayload(label, 2)).toBe(payload);
  });

  it('previews header, body, footer and one "[ Label ]" line per button, as WhatsApp shows them', () => {
    const full = template({ header: { format: 'TEXT', text: 'Seu pedido', examples: {} }, footer: { text: 'Responda esta mensagem se precisar de ajuda.' }, buttons: buttons.slice(0, 4) });
    const result = rendered(renderTemplate(full, contact({ attributes: { order: 'PED-1042' } }), mapping));
    expect(result.preview).toBe(['Seu pedido', 'Olá, Ana. Seu pedido PED-1042 está a caminho.', 'Responda esta mensagem se precisar de ajuda.', '', '[ Acompanhar ]', '[ Ajuda ]', '[ Ligar ]', '[ Tudo certo ]'].join('\n'));
  });
});

describe('resolveTemplateLanguage: contact language → its relatives → campaign default, APPROVED only (decision step 4)', () => {
  const approved = (...languages: string[]) => languages.map((language) => ({ language, status: 'APPROVED' }));

  it.each<[string, string | null, string, Array<{ language: string; status: string | null }>, ReturnType<typeof resolveTemplateLanguage>]>([
    ['the contact language when it is approved', 'pt_BR', 'en', approved('en', 'pt_BR'), { language: 'pt_BR', via: 'contact' }],
    ['the contact language written with a hyphen or other case, answered with the variant\'s own code', 'pt-br', 'en', approved('en', 'pt_BR'), { language: 'pt_BR', via: 'contact' }],
    ['pt_BR → pt when only the base language is approved', 'pt_BR', 'en', approved('en', 'pt'), { language: 'pt', via: 'base_language' }],
    ['pt → pt_BR: a bare language takes a regional variant of itself before the default', 'pt', 'en', approved('en', 'pt_BR'), { language: 'pt_BR', via: 'base_language' }],
    ['pt_PT → the bare pt before another region', 'pt_PT', 'en', approved('en', 'pt_BR', 'pt'), { language: 'pt', via: 'base_language' }],
    ['es_AR → the campaign default among several regions of the same language', 'es_AR', 'es_MX', approved('es_ES', 'es_MX'), { language: 'es_MX', via: 'base_language' }],
    ['es_AR → the first region in code order when the default is not one of them', 'es_AR', 'en', approved('en', 'es_MX', 'es_ES'), { language: 'es_ES', via: 'base_language' }],
    ['the campaign default when no relative is approved', 'fr', 'en', approved('en', 'pt_BR'), { language: 'en', via: 'campaign_default' }],
    ['the campaign default for a contact with no language', null, 'en', approved('en', 'pt_BR'), { language: 'en', via: 'campaign_default' }],
    ['the campaign default for a language code that is not one', 'português', 'en', approved('en'), { language: 'en', via: 'campaign_default' }],
    ['a relative of the campaign default (en → en_US)', 'de', 'en', approved('en_US'), { language: 'en_US', via: 'campaign_default' }],
    ['nothing when no variant is approved in any language of the chain', 'pt_BR', 'en', approved('fr'), null],
  ])('picks %s', (_name, contactLanguage, campaignDefault, variants, expected) => {
    expect(resolveTemplateLanguage(contactLanguage, campaignDefault, variants)).toEqual(expected);
  });

  it.each(['PENDING', 'REJECTED', 'PAUSED', 'DISABLED', null])('skips a %s variant and goes on down the chain', (status) => {
    const variants = [{ language: 'pt_BR', status }, { language: 'pt', status }, ...approved('en')];
    expect(resolveTemplateLanguage('pt_BR', 'en', variants)).toEqual({ language: 'en', via: 'campaign_default' });
  });

  it('returns null when the only variants are not approved, including the default', () => {
    expect(resolveTemplateLanguage('pt_BR', 'en', [{ language: 'en', status: 'PAUSED' }, { language: 'pt_BR', status: 'PENDING' }])).toBeNull();
  });
});
