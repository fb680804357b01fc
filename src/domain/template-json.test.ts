// The template file format: Meta's create-payload JSON in, the domain model out, and back to the exact
// create body. Round trips, Meta's documented examples pasted as they are, and errors a marketer can act on.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TemplateButton, TemplateDefinition } from './template.ts';
import { parseTemplateJson, toTemplateJson, type TemplateJsonResult } from './template-json.ts';
import { authenticationTemplate, marketingTemplate, utilityTemplate } from '../../test/helpers/template-fixtures.ts';

const marketing = marketingTemplate;
const utility = utilityTemplate;
const authentication = authenticationTemplate;

const parsed = (input: unknown): TemplateDefinition => {
  const result = parseTemplateJson(input);
  if (!result.ok) throw new Error(`expected a template, got ${JSON.stringify(result.errors)}`);
  return result.template;
};
const errorsOf = (result: TemplateJsonResult) => (result.ok ? [] : result.errors.map((error) => `${error.path}: ${error.message}`));

describe('toTemplateJson → parseTemplateJson round trip', () => {
  it.each([
    ['marketing with an image header, quick replies and a URL button', marketing],
    ['utility with named parameters', utility],
    ['authentication with an OTP button', authentication],
  ])('gives back the same definition: %s (also through JSON text)', (_case, template) => {
    expect(parsed(toTemplateJson(template))).toEqual(template);
    expect(parsed(JSON.parse(JSON.stringify(toTemplateJson(template))))).toEqual(template);
  });

  it('holds for any well-formed definition (dense positional examples, named ones by name)', () => {
    fc.assert(
      fc.property(definitionArbitrary, (template) => {
        expect(parsed(toTemplateJson(template))).toEqual(template);
      }),
    );
  });
});

describe('toTemplateJson: the exact create body of whatsapp-rules.md §4.5', () => {
  it('writes a marketing template with media header, positional examples and buttons as Meta documents them', () => {
    expect(toTemplateJson(marketing)).toEqual({
      name: 'spring_collection',
      language: 'en_US',
      category: 'MARKETING',
      parameter_format: 'positional',
      components: [
        { type: 'HEADER', format: 'IMAGE', example: { header_handle: ['4::aW1hZ2UvcG5n:ARZ'] } },
        { type: 'BODY', text: 'Hi {{1}}, the spring collection is in. Use code {{2}} at checkout.', example: { body_text: [['Ana', 'SPRING10']] } },
        { type: 'FOOTER', text: 'Reply STOP to opt out' },
        {
          type: 'BUTTONS',
          buttons: [
            { type: 'QUICK_REPLY', text: 'Show me' },
            { type: 'QUICK_REPLY', text: 'Not now' },
            { type: 'URL', text: 'Open the shop', url: 'https://shop.example/c/{{1}}', example: ['https://shop.example/c/spring'] },
          ],
        },
      ],
    });
  });

  it('writes named examples with param_name, and leaves out an absent URL example', () => {
    const [header, body, buttons] = toTemplateJson(utility).components;
    expect(header).toEqual({ type: 'HEADER', format: 'TEXT', text: 'Pedido {{order_id}}', example: { header_text_named_params: [{ param_name: 'order_id', example: '860198' }] } });
    expect(body).toMatchObject({ example: { body_text_named_params: [{ param_name: 'first_name', example: 'Ana' }, { param_name: 'order_id', example: '860198' }] } });
    expect(buttons).toEqual({ type: 'BUTTONS', buttons: [{ type: 'URL', text: 'Rastrear', url: 'https://loja.example/rastreio' }, { type: 'PHONE_NUMBER', text: 'Ligar', phone_number: '+5511987654321' }] });
  });

  it('writes an authentication template without body or footer text: Meta presets them (§4.2)', () => {
    expect(toTemplateJson(authentication).components).toEqual([
      { type: 'BODY', add_security_recommendation: true },
      { type: 'FOOTER', code_expiration_minutes: 10 },
      { type: 'BUTTONS', buttons: [{ type: 'OTP', otp_type: 'COPY_CODE', text: 'Copy code' }] },
    ]);
  });

  it('keeps a positional example in its place when an earlier one is missing (lint reports the gap)', () => {
    const gap = { ...marketing, header: null, body: { text: 'Hi {{1}}, code {{2}}.', examples: { '2': 'SPRING10' } } };
    expect(toTemplateJson(gap).components[0]).toMatchObject({ example: { body_text: [['', 'SPRING10']] } });
  });
});

describe('parseTemplateJson: Meta’s documented examples, pasted as they are', () => {
  it('reads a lower-case authentication example (type "otp", otp_type "copy_code", category "authentication")', () => {
    const input = {
      name: 'authentication_code_copy_code_button',
      language: 'en_US',
      category: 'authentication',
      components: [
        { type: 'body', add_security_recommendation: true },
        { type: 'footer', code_expiration_minutes: 5 },
        { type: 'buttons', buttons: [{ type: 'otp', otp_type: 'copy_code', text: 'Copy Code' }] },
      ],
    };
    expect(parsed(input)).toEqual({
      name: 'authentication_code_copy_code_button',
      language: 'en_US',
      category: 'AUTHENTICATION',
      parameterFormat: 'positional',
      header: null,
      body: { text: '', examples: {}, addSecurityRecommendation: true },
      footer: { text: '', codeExpirationMinutes: 5 },
      buttons: [{ type: 'OTP', otpType: 'COPY_CODE', text: 'Copy Code' }],
    });
  });

  it('reads a document header, a phone button and a URL button without example', () => {
    const input = {
      name: 'order_confirmation',
      language: 'en_US',
      category: 'UTILITY',
      components: [
        { type: 'HEADER', format: 'DOCUMENT', example: { header_handle: ['4::YX...'] } },
        { type: 'BODY', text: 'Thank you for your order, {{1}}! Your order number is {{2}}.', example: { body_text: [['Pablo', '860198-230332']] } },
        { type: 'BUTTONS', buttons: [{ type: 'PHONE_NUMBER', text: 'Call', phone_number: '15550051310' }, { type: 'URL', text: 'Contact Support', url: 'https://www.luckyshrub.com/support' }] },
      ],
    };
    const template = parsed(input);
    expect([template.header, template.body.examples, template.buttons]).toEqual([
      { format: 'DOCUMENT', exampleHandle: '4::YX...' },
      { '1': 'Pablo', '2': '860198-230332' },
      [
        { type: 'PHONE_NUMBER', text: 'Call', phoneNumber: '15550051310' },
        { type: 'URL', text: 'Contact Support', url: 'https://www.luckyshrub.com/support', example: null },
      ],
    ]);
  });

  it('reads a template as Meta lists it: upper-case parameter_format, extra fields, a COPY_CODE example in a list', () => {
    const listed = {
      id: '1584',
      status: 'APPROVED',
      name: 'coupon',
      language: 'en',
      category: 'MARKETING',
      parameter_format: 'POSITIONAL',
      components: [
        { type: 'BODY', text: 'Your code, {{1}}, is below.', example: { body_text: [['Ana']] } },
        { type: 'BUTTONS', buttons: [{ type: 'COPY_CODE', text: 'Copy offer code', example: ['25OFF'] }] },
      ],
    };
    expect(parsed(listed)).toMatchObject({ parameterFormat: 'positional', buttons: [{ type: 'COPY_CODE', example: '25OFF' }] });
  });

  it.each([
    ['positional variables', 'Hi {{1}}, welcome.', undefined, 'positional'],
    ['named variables', 'Hi {{first_name}}, welcome.', undefined, 'named'],
    ['no variables', 'Welcome aboard.', undefined, 'positional'],
    ['named variables, declared positional', 'Hi {{first_name}}.', 'positional', 'positional'],
    ['Meta’s upper-case NAMED', 'Hi {{first_name}}.', 'NAMED', 'named'],
  ])('infers parameter_format like Meta when it is missing (positional by default): %s', (_case, text, declared, expected) => {
    const input = { name: 'x', language: 'en', category: 'UTILITY', ...(declared === undefined ? {} : { parameter_format: declared }), components: [{ type: 'Body', text }] };
    expect(parsed(input).parameterFormat).toBe(expected);
  });

  it('normalizes the language to Meta’s form (pt-br → pt_BR)', () => {
    expect(parsed({ name: 'x', language: 'pt-br', category: 'utility', components: [{ type: 'BODY', text: 'Oi' }] }).language).toBe('pt_BR');
  });
});

describe('parseTemplateJson: errors name the field and say what to do', () => {
  const base = (components: unknown[], extra: Record<string, unknown> = {}) => ({ name: 'x', language: 'en', category: 'MARKETING', components, ...extra });
  const body = { type: 'BODY', text: 'Hi' };

  it.each<[string, unknown, string[]]>([
    ['a button without its label', base([body, { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY' }] }]), ['components[1].buttons[0].text: a button needs its label']],
    ['a URL button without its url', base([body, { type: 'BUTTONS', buttons: [{ type: 'url', text: 'Go' }] }]), ['components[1].buttons[0].url: a URL button needs its url']],
    ['an unknown component type', base([{ type: 'CAROUSEL', cards: [] }, body]), ['components[0].type: a component type is HEADER, BODY, FOOTER or BUTTONS; Greenlight cannot read "CAROUSEL" yet']],
    ['an unknown header format', base([{ type: 'HEADER', format: 'gif' }, body]), ['components[0].format: the header format is TEXT, IMAGE, VIDEO, DOCUMENT or LOCATION; Greenlight cannot read "GIF" yet']],
    ['an unknown button type', base([body, { type: 'BUTTONS', buttons: [{ type: 'FLOW', text: 'Go' }] }]), ['components[1].buttons[0].type: a button type is QUICK_REPLY, URL, PHONE_NUMBER, COPY_CODE or OTP; Greenlight cannot read "FLOW" yet']],
    ['a component that is not an object', base([body, 'FOOTER']), ['components[1]: expected an object like { "type": "…" }']],
    ['no BODY', base([{ type: 'FOOTER', text: 'Bye' }]), ['components: a template needs a BODY component with its text']],
    ['two HEADERs', base([{ type: 'HEADER', format: 'LOCATION' }, { type: 'header', format: 'TEXT', text: 'Hi' }, body]), ['components[1]: a template has one HEADER component at most; components[0] is already one']],
    ['a body without text outside authentication', base([{ type: 'BODY' }]), ['components[0].text: the body needs its text']],
    ['a footer without text outside authentication', base([body, { type: 'FOOTER', code_expiration_minutes: 5 }]), ['components[1].text: the footer needs its text']],
    ['body_text written as a flat list', base([{ type: 'BODY', text: 'Hi {{1}}', example: { body_text: ['Ana'] } }]), ['components[0].example.body_text[0]: body_text is a list holding one list of examples, like [["Ana", "25OFF"]]']],
    ['a one-tap button with app details', base([body, { type: 'BUTTONS', buttons: [{ type: 'OTP', otp_type: 'ONE_TAP', supported_apps: [{ package_name: 'a', signature_hash: 'b' }] }] }]), ['components[1].buttons[0].supported_apps: Greenlight cannot keep one-tap or zero-tap app details yet; use otp_type COPY_CODE']],
    ['a time-to-live', base([body], { message_send_ttl_seconds: 60 }), ['message_send_ttl_seconds: Greenlight does not keep a time-to-live in the template file yet; remove it (Meta’s default applies)']],
    ['an unknown category', base([body], { category: 'PROMO' }), ['category: the category is MARKETING, UTILITY or AUTHENTICATION']],
    ['a language that is not a code', base([body], { language: 'english please' }), ['language: "english please" is not a language code like en, en_US or pt_BR']],
    ['a missing name', { language: 'en', category: 'UTILITY', components: [body] }, ['name: a template needs its name, like "order_update"']],
    ['not an object at all', ['BODY'], ['template: a template file is a JSON object with name, language, category and components']],
  ])('%s', (_case, input, expected) => {
    expect(errorsOf(parseTemplateJson(input))).toEqual(expected);
  });

  it('reports every problem at once, not just the first', () => {
    const input = base([body, { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY' }, { type: 'PHONE_NUMBER', text: 'Call' }] }], { category: 7 });
    expect(errorsOf(parseTemplateJson(input))).toEqual([
      'category: the category is MARKETING, UTILITY or AUTHENTICATION',
      'components[1].buttons[0].text: a button needs its label',
      'components[1].buttons[1].phone_number: a PHONE_NUMBER button needs its phone_number',
    ]);
  });
});

// ---- Arbitrary well-formed definitions --------------------------------------------------------------

const word = fc.stringMatching(/^[a-z_]{1,12}$/);
const phrase = fc.string({ minLength: 1, maxLength: 30 });
const maybe = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: null });

/** Positional examples are "1".."n" with no gap (a gap is a lint error the format cannot hold). */
const examplesFor = (format: 'positional' | 'named') =>
  format === 'positional'
    ? fc.array(phrase, { maxLength: 4 }).map((values) => Object.fromEntries(values.map((value, index) => [String(index + 1), value])))
    : fc.dictionary(word, phrase, { maxKeys: 4 });

const buttonArbitrary: fc.Arbitrary<TemplateButton> = fc.oneof(
  fc.record({ type: fc.constant('QUICK_REPLY' as const), text: phrase }),
  fc.record({ type: fc.constant('URL' as const), text: phrase, url: phrase, example: maybe(phrase) }),
  fc.record({ type: fc.constant('PHONE_NUMBER' as const), text: phrase, phoneNumber: phrase }),
  fc.record({ type: fc.constant('COPY_CODE' as const), example: phrase }),
  fc.record({ type: fc.constant('OTP' as const), otpType: fc.constantFrom('COPY_CODE' as const, 'ONE_TAP' as const, 'ZERO_TAP' as const), text: maybe(phrase) }),
);

const definitionArbitrary: fc.Arbitrary<TemplateDefinition> = fc
  .record({ format: fc.constantFrom('positional' as const, 'named' as const), category: fc.constantFrom('MARKETING' as const, 'UTILITY' as const, 'AUTHENTICATION' as const) })
  .chain(({ format, category }) =>
    fc.record({
      name: word,
      language: fc.constantFrom('en', 'en_US', 'pt_BR', 'es_MX', 'zh_CN'),
      category: fc.constant(category),
      parameterFormat: fc.constant(format),
      header: maybe(
        fc.oneof(
          fc.record({ format: fc.constant('TEXT' as const), text: phrase, examples: examplesFor(format) }),
          fc.record({ format: fc.constantFrom('IMAGE' as const, 'VIDEO' as const, 'DOCUMENT' as const), exampleHandle: maybe(phrase) }),
          fc.constant({ format: 'LOCATION' as const }),
        ),
      ),
      // Outside authentication a body or footer always has its text (it may still be too short: lint's call).
      body: fc.record({ text: category === 'AUTHENTICATION' ? fc.string({ maxLength: 30 }) : phrase, examples: examplesFor(format), addSecurityRecommendation: fc.boolean() }, { requiredKeys: ['text', 'examples'] }),
      footer: maybe(fc.record({ text: category === 'AUTHENTICATION' ? fc.string({ maxLength: 30 }) : phrase, codeExpirationMinutes: fc.integer({ min: 1, max: 90 }) }, { requiredKeys: ['text'] })),
      buttons: fc.array(buttonArbitrary, { maxLength: 4 }),
    }),
  );
