// The template lint rule table: for each structural rule of whatsapp-rules.md §4.2–§4.4, a template Meta
// would reject (or warn about) and its nearest passing twin, with the finding the linter must report and
// what the simulator's independent reviewer must answer. Shared by src/domain/template-lint.test.ts and
// test/integration/template-lint-simulator-agreement.test.ts.

import type { TemplateButton, TemplateDefinition, TemplateHeader, TemplateLocation } from '../../src/domain/template.ts';
import type { TemplateLintCode } from '../../src/domain/template-lint-codes.ts';
import { authenticationTemplate } from './template-fixtures.ts';

/**
 * What Meta (the simulator) answers to the bad example: the create call fails (code 100, with Meta's
 * 2388xxx subcode when it has one), the review rejects it, or the simulator does not model the rule.
 */
export type SimulatorVerdict =
  | { kind: 'creation_error'; subcode: number | null }
  | { kind: 'rejected'; reason: 'INVALID_FORMAT' | 'INCORRECT_CATEGORY'; info: RegExp | null }
  | { kind: 'not_modelled'; why: string };

export type LintRule = {
  code: TemplateLintCode;
  rule: string;
  severity: 'error' | 'warning';
  bad: TemplateDefinition;
  good: TemplateDefinition;
  /** Short forms of the difference, for test names. */
  badShown: string;
  goodShown: string;
  /** Where the finding must be, range included. */
  at: TemplateLocation;
  /** Other errors the bad example reports by design (a minimal pair has none). */
  alsoReports?: TemplateLintCode[];
  /** Null for warnings: Meta approves them, so the simulator is not asked. */
  simulator: SimulatorVerdict | null;
};

// ---- Bases: realistic templates that lint clean and that the simulator approves ----------------------

export const MARKETING: TemplateDefinition = {
  name: 'spring_collection',
  language: 'en_US',
  category: 'MARKETING',
  parameterFormat: 'positional',
  header: null,
  body: { text: 'Hi {{1}}, our spring collection is here. Reply STOP to opt out.', examples: { '1': 'Ana' } },
  footer: null,
  buttons: [],
};

export const UTILITY: TemplateDefinition = {
  name: 'order_shipped',
  language: 'en_US',
  category: 'UTILITY',
  parameterFormat: 'positional',
  header: null,
  body: { text: 'Hi {{1}}, your order {{2}} has shipped and arrives on Friday.', examples: { '1': 'Ana', '2': 'A-1001' } },
  footer: null,
  buttons: [],
};

export const NAMED: TemplateDefinition = {
  ...UTILITY,
  name: 'table_booked',
  parameterFormat: 'named',
  body: { text: 'Hi {{first_name}}, your table for {{party_size}} is booked tonight.', examples: { first_name: 'Ana', party_size: '4' } },
};

export const AUTHENTICATION: TemplateDefinition = { ...authenticationTemplate, language: 'en_US' };

// ---- Builders ----------------------------------------------------------------------------------------

const withBody = (base: TemplateDefinition, text: string, examples: Record<string, string> = base.body.examples): TemplateDefinition => ({ ...base, body: { ...base.body, text, examples } });
const withHeader = (base: TemplateDefinition, header: TemplateHeader | null): TemplateDefinition => ({ ...base, header });
const withButtons = (base: TemplateDefinition, ...buttons: TemplateButton[]): TemplateDefinition => ({ ...base, buttons });
const textHeader = (text: string, examples: Record<string, string> = {}): TemplateHeader => ({ format: 'TEXT', text, examples });
const quickReply = (text: string): TemplateButton => ({ type: 'QUICK_REPLY', text });
const urlButton = (url: string, example: string | null = null, text = 'Track order'): TemplateButton => ({ type: 'URL', text, url, example });
const phoneButton = (phoneNumber: string, text = 'Call us'): TemplateButton => ({ type: 'PHONE_NUMBER', text, phoneNumber });
const copyCode = (example: string): TemplateButton => ({ type: 'COPY_CODE', example });
const otp = (text: string | null = 'Copy code'): TemplateButton => ({ type: 'OTP', otpType: 'COPY_CODE', text });

/** The [start, end) range of the nth (0-based) occurrence of `needle` in `text`. */
export function rangeOf(text: string, needle: string, occurrence = 0): [number, number] {
  let start = -1;
  for (let seen = 0; seen <= occurrence; seen += 1) start = text.indexOf(needle, start + 1);
  if (start < 0) throw new Error(`"${needle}" is not in "${text}"`);
  return [start, start + needle.length];
}

const FORMAT_REJECTION = (info: RegExp): SimulatorVerdict => ({ kind: 'rejected', reason: 'INVALID_FORMAT', info });
const NO_SUBCODE: SimulatorVerdict = { kind: 'creation_error', subcode: null };
const notModelled = (why: string): SimulatorVerdict => ({ kind: 'not_modelled', why });
const NO_BUTTON_RULES = notModelled('the simulator reads only the number of buttons and which URLs take a variable, none of §4.2’s button limits');
const AUTH_PRESET_BODY = notModelled('the simulator approves authentication templates without judging their rules beyond URLs');

// ---- Names, languages, header, body, footer ----------------------------------------------------------

const LONG_NAME = 'a'.repeat(513);
const tracking = 'Hi {{1}}, your order has shipped and your tracking code is {{2}}';
const dense = 'Hi {{1}}, order {{2}} ships {{3}} from {{4}} today.';
const long = (length: number) => `Hi {{1}}, ${'a'.repeat(length - 18)} thanks.`;

const TEXT_RULES: LintRule[] = [
  { code: 'NAME_INVALID', rule: 'name is lowercase letters, digits and _', severity: 'error', bad: { ...MARKETING, name: 'Spring Sale' }, good: { ...MARKETING, name: 'spring_sale' }, badShown: 'Spring Sale', goodShown: 'spring_sale', at: { component: 'name' }, simulator: NO_SUBCODE },
  { code: 'NAME_INVALID', rule: 'name is lowercase letters, digits and _', severity: 'error', bad: { ...MARKETING, name: 'order-update' }, good: { ...MARKETING, name: 'order_update' }, badShown: 'order-update', goodShown: 'order_update', at: { component: 'name' }, simulator: NO_SUBCODE },
  { code: 'NAME_TOO_LONG', rule: 'name ≤ 512 characters', severity: 'error', bad: { ...MARKETING, name: LONG_NAME }, good: { ...MARKETING, name: LONG_NAME.slice(1) }, badShown: 'a×513', goodShown: 'a×512', at: { component: 'name' }, simulator: NO_SUBCODE },
  { code: 'LANGUAGE_INVALID', rule: 'language is xx or xx_YY', severity: 'error', bad: { ...MARKETING, language: 'en-US' }, good: MARKETING, badShown: 'en-US', goodShown: 'en_US', at: { component: 'language' }, simulator: notModelled('the simulator accepts any language string of 2 or more characters (reported)') },
  { code: 'LANGUAGE_UNKNOWN', rule: 'language on Meta’s list', severity: 'warning', bad: { ...MARKETING, language: 'es_CO' }, good: { ...MARKETING, language: 'es_MX' }, badShown: 'es_CO', goodShown: 'es_MX', at: { component: 'language' }, simulator: null },
  { code: 'HEADER_TEXT_EMPTY', rule: 'a text header has text', severity: 'error', bad: withHeader(MARKETING, textHeader('')), good: withHeader(MARKETING, textHeader('Spring news')), badShown: 'header ""', goodShown: 'header "Spring news"', at: { component: 'header' }, simulator: notModelled('the simulator checks a text header only when its text is not empty') },
  { code: 'HEADER_TOO_LONG', rule: 'text header ≤ 60 characters', severity: 'error', bad: withHeader(MARKETING, textHeader(`Spring news ${'x'.repeat(49)}`)), good: withHeader(MARKETING, textHeader(`Spring news ${'x'.repeat(48)}`)), badShown: 'header of 61', goodShown: 'header of 60', at: { component: 'header', range: [60, 61] }, simulator: { kind: 'creation_error', subcode: 2388047 } },
  { code: 'HEADER_TOO_MANY_VARIABLES', rule: 'text header ≤ 1 variable', severity: 'error', bad: withHeader(MARKETING, textHeader('News for {{1}} and {{2}} today', { '1': 'Ana', '2': 'Rio' })), good: withHeader(MARKETING, textHeader('News for {{1}} today', { '1': 'Ana' })), badShown: 'News for {{1}} and {{2}} today', goodShown: 'News for {{1}} today', at: { component: 'header', range: rangeOf('News for {{1}} and {{2}} today', '{{2}}') }, simulator: { kind: 'creation_error', subcode: 2388047 } },
  { code: 'HEADER_VARIABLE_AT_EDGE', rule: 'header does not end with a variable', severity: 'warning', bad: withHeader(MARKETING, textHeader('Hello {{1}}', { '1': 'Ana' })), good: withHeader(MARKETING, textHeader('Hello {{1}}, welcome', { '1': 'Ana' })), badShown: 'Hello {{1}}', goodShown: 'Hello {{1}}, welcome', at: { component: 'header', range: [6, 11] }, simulator: null },
  { code: 'HEADER_FORMATTING', rule: 'no markdown in headers', severity: 'warning', bad: withHeader(MARKETING, textHeader('*Spring* news')), good: withHeader(MARKETING, textHeader('Spring news')), badShown: '*Spring* news', goodShown: 'Spring news', at: { component: 'header', range: [0, 8] }, simulator: null },
  { code: 'HEADER_MEDIA_EXAMPLE_MISSING', rule: 'media header has a sample', severity: 'warning', bad: withHeader(MARKETING, { format: 'IMAGE', exampleHandle: null }), good: withHeader(MARKETING, { format: 'IMAGE', exampleHandle: '4::aW1hZ2UvcG5n:ARb' }), badShown: 'IMAGE without handle', goodShown: 'IMAGE with handle', at: { component: 'header' }, simulator: null },
  { code: 'HEADER_LOCATION_NOT_ALLOWED', rule: 'location header only in MARKETING/UTILITY', severity: 'error', bad: withHeader(AUTHENTICATION, { format: 'LOCATION' }), good: AUTHENTICATION, badShown: 'AUTHENTICATION + LOCATION', goodShown: 'AUTHENTICATION', at: { component: 'header' }, simulator: AUTH_PRESET_BODY },
  { code: 'BODY_REQUIRED', rule: 'body has text', severity: 'error', bad: withBody(MARKETING, '   ', {}), good: withBody(MARKETING, 'Our spring collection is here. Reply STOP to opt out.', {}), badShown: 'body "   "', goodShown: 'a body', at: { component: 'body' }, simulator: { kind: 'creation_error', subcode: 2388072 } },
  { code: 'BODY_TOO_LONG', rule: 'body ≤ 1024 characters', severity: 'error', bad: withBody(MARKETING, long(1025)), good: withBody(MARKETING, long(1024)), badShown: 'body of 1025', goodShown: 'body of 1024', at: { component: 'body', range: [1024, 1025] }, simulator: { kind: 'creation_error', subcode: 2388040 } },
  { code: 'FOOTER_TOO_LONG', rule: 'footer ≤ 60 characters', severity: 'error', bad: { ...MARKETING, footer: { text: 'Reply STOP to opt out.'.padEnd(61, '.') } }, good: { ...MARKETING, footer: { text: 'Reply STOP to opt out.'.padEnd(60, '.') } }, badShown: 'footer of 61', goodShown: 'footer of 60', at: { component: 'footer', range: [60, 61] }, simulator: { kind: 'creation_error', subcode: 2388073 } },
  { code: 'FOOTER_HAS_VARIABLES', rule: 'footer has no variables', severity: 'error', bad: { ...MARKETING, footer: { text: 'Sent to {{1}} by Shop' } }, good: { ...MARKETING, footer: { text: 'Sent to you by Shop' } }, badShown: 'footer "Sent to {{1}} by Shop"', goodShown: 'footer "Sent to you by Shop"', at: { component: 'footer', range: [8, 13] }, simulator: { kind: 'creation_error', subcode: 2388073 } },
];

// ---- Variables ---------------------------------------------------------------------------------------

const VARIABLE_RULES: LintRule[] = [
  { code: 'BRACES_MISMATCHED', rule: 'braces form {{variables}}', severity: 'error', bad: withBody(MARKETING, 'Hi {{1}, our spring collection is here. Reply STOP to opt out.'), good: MARKETING, badShown: 'Hi {{1}, …', goodShown: 'Hi {{1}}, …', at: { component: 'body', range: [3, 7] }, simulator: FORMAT_REJECTION(/mismatched curly braces/) },
  { code: 'BRACES_SINGLE', rule: 'no single-brace variables', severity: 'warning', bad: withBody(MARKETING, 'Hi {1}, our spring collection is here. Reply STOP to opt out.'), good: MARKETING, badShown: 'Hi {1}, …', goodShown: 'Hi {{1}}, …', at: { component: 'body', range: [3, 6] }, simulator: null },
  { code: 'VARIABLE_SPECIAL_CHARACTERS', rule: 'no #, $ or % in variables', severity: 'error', bad: withBody(UTILITY, 'Hi {{1}}, your order {{#2}} has shipped and arrives on Friday.'), good: UTILITY, badShown: 'order {{#2}}', goodShown: 'order {{2}}', at: { component: 'body', range: [21, 27] }, simulator: FORMAT_REJECTION(/special characters/) },
  { code: 'POSITIONAL_NOT_SEQUENTIAL', rule: 'positional variables run 1…n without gaps', severity: 'error', bad: withBody(UTILITY, 'Hi {{1}}, your order {{3}} has shipped and arrives on Friday.', { '1': 'Ana', '3': 'A-1001' }), good: UTILITY, badShown: '{{1}} … {{3}}', goodShown: '{{1}} … {{2}}', at: { component: 'body', range: [21, 26] }, simulator: FORMAT_REJECTION(/not sequential/) },
  { code: 'POSITIONAL_NOT_SEQUENTIAL', rule: 'positional variables start at {{1}}', severity: 'error', bad: withBody(MARKETING, 'Hi {{0}}, our spring collection is here. Reply STOP to opt out.', { '0': 'Ana' }), good: MARKETING, badShown: 'Hi {{0}}', goodShown: 'Hi {{1}}', at: { component: 'body', range: [3, 8] }, simulator: FORMAT_REJECTION(/not sequential/) },
  { code: 'VARIABLE_NAME_INVALID', rule: 'named variables are lowercase letters and _', severity: 'error', bad: withBody(NAMED, 'Hi {{First_Name}}, your table for {{party_size}} is booked tonight.', { First_Name: 'Ana', party_size: '4' }), good: NAMED, badShown: '{{First_Name}}', goodShown: '{{first_name}}', at: { component: 'body', range: [3, 17] }, simulator: FORMAT_REJECTION(/lowercase letters and underscores/) },
  { code: 'PARAMETER_FORMAT_MISMATCH', rule: 'variables match parameter_format (positional)', severity: 'error', bad: withBody(MARKETING, 'Hi {{first_name}}, our spring collection is here. Reply STOP to opt out.', { first_name: 'Ana' }), good: MARKETING, badShown: 'positional with {{first_name}}', goodShown: 'positional with {{1}}', at: { component: 'body', range: [3, 17] }, simulator: FORMAT_REJECTION(/not sequential/) },
  { code: 'PARAMETER_FORMAT_MISMATCH', rule: 'variables match parameter_format (named)', severity: 'error', bad: withBody(NAMED, 'Hi {{1}}, your table for {{party_size}} is booked tonight.', { '1': 'Ana', party_size: '4' }), good: NAMED, badShown: 'named with {{1}}', goodShown: 'named with {{first_name}}', at: { component: 'body', range: [3, 8] }, simulator: FORMAT_REJECTION(/lowercase letters and underscores/) },
  {
    code: 'NAMED_VARIABLE_DUPLICATE', rule: 'named variables are unique', severity: 'error',
    bad: withBody(NAMED, 'Hi {{first_name}}, your table for {{party_size}} is booked tonight. See you soon, {{first_name}}, at eight.'),
    good: withBody(NAMED, 'Hi {{first_name}}, your table for {{party_size}} is booked tonight. See you soon at eight.'),
    badShown: '{{first_name}} twice', goodShown: '{{first_name}} once',
    at: { component: 'body', range: rangeOf('Hi {{first_name}}, your table for {{party_size}} is booked tonight. See you soon, {{first_name}}, at eight.', '{{first_name}}', 1) },
    simulator: notModelled('the simulator does not check that named variables are unique'),
  },
  { code: 'VARIABLE_MISSING_EXAMPLE', rule: 'every variable has an example', severity: 'error', bad: withBody(MARKETING, MARKETING.body.text, {}), good: MARKETING, badShown: '{{1}} without example', goodShown: '{{1}} = "Ana"', at: { component: 'body', range: [3, 8] }, simulator: notModelled('the simulator does not read examples (reported: §4.2 requires one per variable)') },
  { code: 'EXAMPLE_UNUSED', rule: 'no example for a missing variable', severity: 'warning', bad: withBody(MARKETING, MARKETING.body.text, { '1': 'Ana', '2': 'Rio' }), good: MARKETING, badShown: 'examples for {{1}}, {{2}}', goodShown: 'example for {{1}}', at: { component: 'body' }, simulator: null },
  { code: 'EXAMPLE_INVALID_WHITESPACE', rule: 'examples are one line without tabs (§4.3)', severity: 'warning', bad: withBody(MARKETING, MARKETING.body.text, { '1': 'Ana\nMaria' }), good: withBody(MARKETING, MARKETING.body.text, { '1': 'Ana Maria' }), badShown: '"Ana\\nMaria"', goodShown: '"Ana Maria"', at: { component: 'body', range: [3, 8] }, simulator: null },
  { code: 'VARIABLE_AT_EDGE', rule: 'body does not end with a variable', severity: 'error', bad: withBody(UTILITY, tracking), good: withBody(UTILITY, `${tracking}, thanks!`), badShown: '… code is {{2}}', goodShown: '… code is {{2}}, thanks!', at: { component: 'body', range: rangeOf(tracking, '{{2}}') }, simulator: FORMAT_REJECTION(/starts or ends/) },
  { code: 'VARIABLE_AT_EDGE', rule: 'body does not start with a variable', severity: 'error', bad: withBody(MARKETING, '{{1}}, our spring collection is here. Reply STOP to opt out.'), good: MARKETING, badShown: '{{1}}, our …', goodShown: 'Hi {{1}}, our …', at: { component: 'body', range: [0, 5] }, simulator: FORMAT_REJECTION(/starts or ends/) },
  { code: 'VARIABLE_NEAR_EDGE', rule: 'body does not end with a variable and a full stop', severity: 'warning', bad: withBody(UTILITY, `${tracking}.`), good: withBody(UTILITY, `${tracking}, thanks!`), badShown: '… code is {{2}}.', goodShown: '… code is {{2}}, thanks!', at: { component: 'body', range: rangeOf(tracking, '{{2}}') }, simulator: null },
  { code: 'VARIABLES_ADJACENT', rule: 'no variables side by side', severity: 'error', bad: withBody(UTILITY, 'Hi {{1}}, your order {{2}}{{3}} has shipped and arrives on Friday.', { '1': 'Ana', '2': 'A-1001', '3': 'Lisbon' }), good: withBody(UTILITY, 'Hi {{1}}, your order {{2}} from {{3}} has shipped and arrives on Friday.', { '1': 'Ana', '2': 'A-1001', '3': 'Lisbon' }), badShown: '{{2}}{{3}}', goodShown: '{{2}} from {{3}}', at: { component: 'body', range: [21, 31] }, simulator: FORMAT_REJECTION(/next to each other/) },
  { code: 'VARIABLES_ADJACENT', rule: 'no variables separated only by spaces', severity: 'error', bad: withBody(UTILITY, 'Hi {{1}} {{2}}, your order has shipped and arrives on Friday.'), good: withBody(UTILITY, 'Hi {{1}}, your order {{2}} has shipped and arrives on Friday.'), badShown: 'Hi {{1}} {{2}}', goodShown: 'Hi {{1}}, your order {{2}}', at: { component: 'body', range: [3, 14] }, simulator: FORMAT_REJECTION(/next to each other/) },
  {
    code: 'TOO_MANY_VARIABLES', rule: '≥ 2 × variables + 1 fixed words (2388293)', severity: 'warning',
    bad: withBody(UTILITY, dense, { '1': 'Ana', '2': 'A-1001', '3': 'Friday', '4': 'Lisbon' }),
    good: withBody(UTILITY, 'Hi {{1}}, your order {{2}} ships on {{3}} from our {{4}} store today.', { '1': 'Ana', '2': 'A-1001', '3': 'Friday', '4': 'Lisbon' }),
    badShown: '4 variables, 5 words', goodShown: '4 variables, 9 words', at: { component: 'body', range: [3, rangeOf(dense, '{{4}}')[1]] }, simulator: null,
  },
  { code: 'HYDRATED_TOO_LONG', rule: 'body ≤ 1024 with examples filled in (§4.3)', severity: 'warning', bad: withBody(MARKETING, long(1018), { '1': 'Ana Maria da Silva Santos' }), good: withBody(MARKETING, long(1018), { '1': 'Ana' }), badShown: '1018 + a long example', goodShown: '1018 + "Ana"', at: { component: 'body' }, simulator: null },
];

// ---- Buttons -----------------------------------------------------------------------------------------

const options = (count: number) => Array.from({ length: count }, (_, index) => quickReply(`Option ${index + 1}`));
const shop = 'https://shop.example/';

const BUTTON_RULES: LintRule[] = [
  { code: 'BUTTONS_TOO_MANY', rule: '≤ 10 buttons (quick replies ≤ 10 included)', severity: 'error', bad: withButtons(MARKETING, ...options(11)), good: withButtons(MARKETING, ...options(10)), badShown: '11 quick replies', goodShown: '10 quick replies', at: { component: 'button', index: 10 }, simulator: NO_BUTTON_RULES },
  { code: 'URL_BUTTONS_TOO_MANY', rule: '≤ 2 URL buttons', severity: 'error', bad: withButtons(MARKETING, urlButton(`${shop}a`), urlButton(`${shop}b`), urlButton(`${shop}c`)), good: withButtons(MARKETING, urlButton(`${shop}a`), urlButton(`${shop}b`)), badShown: '3 URL buttons', goodShown: '2 URL buttons', at: { component: 'button', index: 2 }, simulator: NO_BUTTON_RULES },
  { code: 'PHONE_BUTTONS_TOO_MANY', rule: '≤ 1 phone button', severity: 'error', bad: withButtons(UTILITY, phoneButton('+14155550123'), phoneButton('+14155550124', 'Call support')), good: withButtons(UTILITY, phoneButton('+14155550123')), badShown: '2 phone buttons', goodShown: '1 phone button', at: { component: 'button', index: 1 }, simulator: NO_BUTTON_RULES },
  { code: 'COPY_CODE_BUTTONS_TOO_MANY', rule: '≤ 1 copy-code button', severity: 'error', bad: withButtons(MARKETING, copyCode('SAVE10'), copyCode('SAVE20')), good: withButtons(MARKETING, copyCode('SAVE10')), badShown: '2 copy-code buttons', goodShown: '1 copy-code button', at: { component: 'button', index: 1 }, simulator: NO_BUTTON_RULES },
  { code: 'BUTTON_LABEL_EMPTY', rule: 'buttons have a label', severity: 'error', bad: withButtons(MARKETING, quickReply('')), good: withButtons(MARKETING, quickReply('Stop promotions')), badShown: 'label ""', goodShown: 'label "Stop promotions"', at: { component: 'button', index: 0, field: 'text' }, simulator: NO_BUTTON_RULES },
  { code: 'BUTTON_LABEL_TOO_LONG', rule: 'quick-reply label ≤ 25', severity: 'error', bad: withButtons(MARKETING, quickReply('Send me the spring catalog')), good: withButtons(MARKETING, quickReply('Send me the spring guide')), badShown: '26-character label', goodShown: '24-character label', at: { component: 'button', index: 0, field: 'text', range: [25, 26] }, simulator: NO_BUTTON_RULES },
  { code: 'BUTTON_LABEL_TOO_LONG', rule: 'URL label ≤ 25', severity: 'error', bad: withButtons(UTILITY, urlButton(`${shop}orders`, null, 'Track your parcel on our site')), good: withButtons(UTILITY, urlButton(`${shop}orders`, null, 'Track your parcel')), badShown: '"Track your parcel on our site"', goodShown: '"Track your parcel"', at: { component: 'button', index: 0, field: 'text', range: [25, 29] }, simulator: NO_BUTTON_RULES },
  { code: 'BUTTON_LABEL_TOO_LONG', rule: 'phone label ≤ 25', severity: 'error', bad: withButtons(UTILITY, phoneButton('+14155550123', 'Call our friendly support team')), good: withButtons(UTILITY, phoneButton('+14155550123', 'Call our support team')), badShown: '"Call our friendly support team"', goodShown: '"Call our support team"', at: { component: 'button', index: 0, field: 'text', range: [25, 30] }, simulator: NO_BUTTON_RULES },
  { code: 'BUTTON_LABEL_TOO_LONG', rule: 'OTP label ≤ 25', severity: 'error', bad: withButtons(AUTHENTICATION, otp('Copy your verification code')), good: AUTHENTICATION, badShown: '"Copy your verification code"', goodShown: '"Copy code"', at: { component: 'button', index: 0, field: 'text', range: [25, 27] }, simulator: AUTH_PRESET_BODY },
  { code: 'URL_INVALID', rule: 'URL is an http(s) address', severity: 'error', bad: withButtons(UTILITY, urlButton('shop.example/orders')), good: withButtons(UTILITY, urlButton(`${shop}orders`)), badShown: 'shop.example/orders', goodShown: 'https://shop.example/orders', at: { component: 'button', index: 0, field: 'url', range: [0, 19] }, simulator: NO_BUTTON_RULES },
  { code: 'URL_TOO_LONG', rule: 'URL ≤ 2000 characters', severity: 'error', bad: withButtons(UTILITY, urlButton(`${shop}${'a'.repeat(1980)}`)), good: withButtons(UTILITY, urlButton(`${shop}${'a'.repeat(1979)}`)), badShown: 'URL of 2001', goodShown: 'URL of 2000', at: { component: 'button', index: 0, field: 'url', range: [2000, 2001] }, simulator: NO_BUTTON_RULES },
  { code: 'URL_TOO_MANY_VARIABLES', rule: 'URL has ≤ 1 variable', severity: 'error', bad: withButtons(UTILITY, urlButton(`${shop}{{1}}/{{2}}`, `${shop}A1/B2`)), good: withButtons(UTILITY, urlButton(`${shop}orders/{{1}}`, `${shop}orders/A1`)), badShown: '…/{{1}}/{{2}}', goodShown: '…/orders/{{1}}', at: { component: 'button', index: 0, field: 'url', range: [27, 32] }, simulator: NO_BUTTON_RULES },
  { code: 'URL_VARIABLE_NOT_AT_END', rule: 'URL variable only at the end', severity: 'error', bad: withButtons(UTILITY, urlButton(`${shop}{{1}}/track`, `${shop}A1/track`)), good: withButtons(UTILITY, urlButton(`${shop}track/{{1}}`, `${shop}track/A1`)), badShown: '…/{{1}}/track', goodShown: '…/track/{{1}}', at: { component: 'button', index: 0, field: 'url', range: [21, 26] }, simulator: NO_BUTTON_RULES },
  { code: 'URL_VARIABLE_INVALID', rule: 'URL variable is {{1}}', severity: 'error', bad: withButtons(UTILITY, urlButton(`${shop}track/{{order}}`, `${shop}track/A1`)), good: withButtons(UTILITY, urlButton(`${shop}track/{{1}}`, `${shop}track/A1`)), badShown: '…/track/{{order}}', goodShown: '…/track/{{1}}', at: { component: 'button', index: 0, field: 'url', range: [27, 36] }, simulator: NO_BUTTON_RULES },
  { code: 'URL_EXAMPLE_MISSING', rule: 'URL variable has an example', severity: 'error', bad: withButtons(UTILITY, urlButton(`${shop}track/{{1}}`, null)), good: withButtons(UTILITY, urlButton(`${shop}track/{{1}}`, `${shop}track/A1`)), badShown: 'no example', goodShown: 'example …/track/A1', at: { component: 'button', index: 0, field: 'url', range: [27, 32] }, simulator: NO_BUTTON_RULES },
  { code: 'URL_EXAMPLE_MISMATCH', rule: 'URL example is the full address', severity: 'warning', bad: withButtons(UTILITY, urlButton(`${shop}track/{{1}}`, 'A1')), good: withButtons(UTILITY, urlButton(`${shop}track/{{1}}`, `${shop}track/A1`)), badShown: 'example "A1"', goodShown: 'example …/track/A1', at: { component: 'button', index: 0, field: 'example' }, simulator: null },
  { code: 'EXAMPLE_UNUSED', rule: 'no URL example without a variable', severity: 'warning', bad: withButtons(UTILITY, urlButton(`${shop}orders`, `${shop}orders`)), good: withButtons(UTILITY, urlButton(`${shop}orders`)), badShown: 'static URL with example', goodShown: 'static URL', at: { component: 'button', index: 0, field: 'example' }, simulator: null },
  { code: 'PHONE_NUMBER_INVALID', rule: 'phone number ≤ 20 characters', severity: 'error', bad: withButtons(UTILITY, phoneButton('+1 - 415 - 555 - 0123')), good: withButtons(UTILITY, phoneButton('+1 415 555 0123')), badShown: '"+1 - 415 - 555 - 0123" (21)', goodShown: '"+1 415 555 0123"', at: { component: 'button', index: 0, field: 'phone_number', range: [0, 21] }, simulator: NO_BUTTON_RULES },
  { code: 'PHONE_NUMBER_INVALID', rule: 'phone number in international format', severity: 'error', bad: withButtons(UTILITY, phoneButton('0415 555 0123')), good: withButtons(UTILITY, phoneButton('+1 415 555 0123')), badShown: '"0415 555 0123"', goodShown: '"+1 415 555 0123"', at: { component: 'button', index: 0, field: 'phone_number', range: [0, 13] }, simulator: NO_BUTTON_RULES },
  { code: 'COPY_CODE_EXAMPLE_MISSING', rule: 'copy code has an example', severity: 'error', bad: withButtons(MARKETING, copyCode('')), good: withButtons(MARKETING, copyCode('SAVE10')), badShown: 'example ""', goodShown: 'example "SAVE10"', at: { component: 'button', index: 0, field: 'example' }, simulator: NO_BUTTON_RULES },
  { code: 'COPY_CODE_EXAMPLE_TOO_LONG', rule: 'copy-code example ≤ 15', severity: 'error', bad: withButtons(MARKETING, copyCode('SPRINGSAVINGS2026')), good: withButtons(MARKETING, copyCode('SPRING2026')), badShown: '"SPRINGSAVINGS2026"', goodShown: '"SPRING2026"', at: { component: 'button', index: 0, field: 'example', range: [15, 17] }, simulator: NO_BUTTON_RULES },
  { code: 'QUICK_REPLIES_NOT_GROUPED', rule: 'quick replies grouped', severity: 'error', bad: withButtons(MARKETING, quickReply('Yes'), urlButton(`${shop}spring`), quickReply('No')), good: withButtons(MARKETING, quickReply('Yes'), quickReply('No'), urlButton(`${shop}spring`)), badShown: 'QR, URL, QR', goodShown: 'QR, QR, URL', at: { component: 'button', index: 2 }, simulator: NO_BUTTON_RULES },
  { code: 'BUTTONS_NOT_ON_DESKTOP', rule: '≤ 3 buttons for desktop', severity: 'warning', bad: withButtons(MARKETING, ...options(4)), good: withButtons(MARKETING, ...options(3)), badShown: '4 quick replies', goodShown: '3 quick replies', at: { component: 'button', index: 3 }, simulator: null },
  { code: 'BUTTONS_NOT_ON_DESKTOP', rule: 'no quick replies mixed with CTAs for desktop', severity: 'warning', bad: withButtons(MARKETING, quickReply('Stop promotions'), urlButton(`${shop}spring`)), good: withButtons(MARKETING, quickReply('Stop promotions'), quickReply('Tell me more')), badShown: 'QR + URL', goodShown: 'QR + QR', at: { component: 'button', index: 1 }, simulator: null },
];

// ---- Categories --------------------------------------------------------------------------------------

const customBody = 'Your login code is {{1}}. Help: https://help.example/login today.';
const customCode = 'Your login code is {{1}}. It expires soon.';
const customFooter = 'Expires in 10 minutes.';

const CATEGORY_RULES: LintRule[] = [
  { code: 'OTP_BUTTON_NOT_AUTH', rule: 'OTP buttons only in AUTHENTICATION', severity: 'error', bad: withButtons(UTILITY, otp()), good: UTILITY, badShown: 'UTILITY + OTP', goodShown: 'UTILITY', at: { component: 'button', index: 0 }, simulator: NO_BUTTON_RULES },
  { code: 'AUTH_OTP_BUTTON_REQUIRED', rule: 'AUTHENTICATION has an OTP button', severity: 'error', bad: withButtons(AUTHENTICATION), good: AUTHENTICATION, badShown: 'no button', goodShown: 'OTP button', at: { component: 'category' }, simulator: AUTH_PRESET_BODY },
  { code: 'AUTH_OTP_BUTTON_REQUIRED', rule: 'AUTHENTICATION has one OTP button', severity: 'error', bad: withButtons(AUTHENTICATION, otp(), otp('Copy it')), good: AUTHENTICATION, badShown: '2 OTP buttons', goodShown: '1 OTP button', at: { component: 'button', index: 1 }, simulator: AUTH_PRESET_BODY },
  { code: 'AUTH_BUTTON_NOT_ALLOWED', rule: 'AUTHENTICATION has only its OTP button', severity: 'error', bad: withButtons(AUTHENTICATION, otp(), quickReply('Not me')), good: AUTHENTICATION, badShown: 'OTP + quick reply', goodShown: 'OTP', at: { component: 'button', index: 1 }, simulator: AUTH_PRESET_BODY },
  { code: 'AUTH_HEADER_NOT_ALLOWED', rule: 'AUTHENTICATION has no header media', severity: 'error', bad: withHeader(AUTHENTICATION, { format: 'IMAGE', exampleHandle: '4::aW1hZ2UvcG5n:ARb' }), good: AUTHENTICATION, badShown: 'IMAGE header', goodShown: 'no header', at: { component: 'header' }, simulator: AUTH_PRESET_BODY },
  { code: 'AUTH_CUSTOM_TEXT', rule: 'AUTHENTICATION body is preset', severity: 'error', bad: withBody(AUTHENTICATION, customCode, { '1': '123456' }), good: AUTHENTICATION, badShown: 'custom body', goodShown: 'preset body', at: { component: 'body', range: [0, customCode.length] }, simulator: AUTH_PRESET_BODY },
  { code: 'AUTH_CUSTOM_TEXT', rule: 'AUTHENTICATION footer is preset', severity: 'error', bad: { ...AUTHENTICATION, footer: { text: customFooter, codeExpirationMinutes: 10 } }, good: AUTHENTICATION, badShown: 'custom footer', goodShown: 'preset footer', at: { component: 'footer', range: [0, customFooter.length] }, simulator: AUTH_PRESET_BODY },
  { code: 'AUTH_URL', rule: 'no URLs in AUTHENTICATION', severity: 'error', bad: withBody(AUTHENTICATION, customBody, { '1': '123456' }), good: AUTHENTICATION, badShown: 'body with https://help.example/login', goodShown: 'preset body', at: { component: 'body', range: rangeOf(customBody, 'https://help.example/login') }, alsoReports: ['AUTH_CUSTOM_TEXT'], simulator: { kind: 'rejected', reason: 'INCORRECT_CATEGORY', info: null } },
  { code: 'AUTH_EMOJI', rule: 'no emoji in AUTHENTICATION', severity: 'error', bad: withButtons(AUTHENTICATION, otp('Copy code 🔑')), good: AUTHENTICATION, badShown: '"Copy code 🔑"', goodShown: '"Copy code"', at: { component: 'button', index: 0, field: 'text', range: [10, 12] }, simulator: AUTH_PRESET_BODY },
  { code: 'AUTH_CODE_EXPIRATION_INVALID', rule: 'code expiration ≤ 90 minutes', severity: 'error', bad: { ...AUTHENTICATION, footer: { text: '', codeExpirationMinutes: 91 } }, good: { ...AUTHENTICATION, footer: { text: '', codeExpirationMinutes: 90 } }, badShown: '91 minutes', goodShown: '90 minutes', at: { component: 'footer' }, simulator: AUTH_PRESET_BODY },
  { code: 'AUTH_CODE_EXPIRATION_INVALID', rule: 'code expiration ≥ 1 minute', severity: 'error', bad: { ...AUTHENTICATION, footer: { text: '', codeExpirationMinutes: 0 } }, good: { ...AUTHENTICATION, footer: { text: '', codeExpirationMinutes: 1 } }, badShown: '0 minutes', goodShown: '1 minute', at: { component: 'footer' }, simulator: AUTH_PRESET_BODY },
];

export const LINT_RULES: readonly LintRule[] = [...TEXT_RULES, ...VARIABLE_RULES, ...BUTTON_RULES, ...CATEGORY_RULES];

/** Realistic templates of each category that must lint without errors (and that Meta approves). */
export const CLEAN_TEMPLATES: ReadonlyArray<{ label: string; template: TemplateDefinition }> = [
  {
    label: 'marketing with an image, a coupon and links',
    template: {
      ...MARKETING,
      header: { format: 'IMAGE', exampleHandle: '4::aW1hZ2UvcG5n:ARb' },
      body: { text: 'Hi {{1}}, our spring collection is here: {{2}} new styles in store and online. Use the code below at checkout.', examples: { '1': 'Ana', '2': '40' } },
      footer: { text: 'Reply STOP to opt out.' },
      buttons: [copyCode('SPRING10'), urlButton(`${shop}spring`, null, 'Shop the collection')],
    },
  },
  {
    label: 'utility with named variables, a text header and a tracking link',
    template: {
      ...NAMED,
      name: 'delivery_update',
      header: textHeader('Hello {{first_name}}, your order is on its way', { first_name: 'Ana' }),
      body: { text: 'Your order {{order_id}} leaves our warehouse on {{ship_date}}. We will message you again when it is out for delivery.', examples: { order_id: 'A-1001', ship_date: 'March 20' } },
      footer: { text: 'Shop Example, customer care' },
      buttons: [urlButton(`${shop}track/{{1}}`, `${shop}track/A-1001`), phoneButton('+14155550123')],
    },
  },
  { label: 'utility with quick replies', template: withButtons(UTILITY, quickReply('Confirm delivery'), quickReply('Change address')) },
  { label: 'authentication with a copy-code button', template: AUTHENTICATION },
];
