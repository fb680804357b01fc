// Lint rules for buttons (whatsapp-rules.md §4.2): how many of each type, labels, URL addresses and their
// one trailing variable, phone numbers, copy-code examples, quick-reply grouping and desktop rendering.
// Which category may have which button is template-lint-category.ts. Pure.

import type { LintFinding, TemplateButton } from './template.ts';
import { finding } from './template-lint-codes.ts';
import { readTextVariables } from './template-variables.ts';

// §4.2 limits. Quick replies (≤ 10) can never pass the total (≤ 10) alone, so the total covers them.
export const BUTTON_LIMITS = { total: 10, url: 2, phone: 1, copyCode: 1, labelChars: 25, urlChars: 2000, phoneChars: 20, copyCodeChars: 15, desktop: 3 } as const;

type UrlButton = TemplateButton & { type: 'URL' };
const button = (index: number, field?: 'text' | 'url' | 'phone_number' | 'example', range?: [number, number]) => ({ component: 'button' as const, index, ...(field === undefined ? {} : { field }), ...(range === undefined ? {} : { range }) });
const nth = (index: number) => `Button ${index + 1}`;

function countFindings(buttons: readonly TemplateButton[]): LintFinding[] {
  const findings: LintFinding[] = [];
  if (buttons.length > BUTTON_LIMITS.total) {
    findings.push(finding('BUTTONS_TOO_MANY', `The template has ${buttons.length} buttons; Meta allows ${BUTTON_LIMITS.total} in all, quick replies included. Remove ${buttons.length - BUTTON_LIMITS.total}.`, button(BUTTON_LIMITS.total)));
  }
  const limits = [
    ['URL', BUTTON_LIMITS.url, 'URL_BUTTONS_TOO_MANY', 'website (URL) buttons'],
    ['PHONE_NUMBER', BUTTON_LIMITS.phone, 'PHONE_BUTTONS_TOO_MANY', 'call (phone number) buttons'],
    ['COPY_CODE', BUTTON_LIMITS.copyCode, 'COPY_CODE_BUTTONS_TOO_MANY', 'copy-code buttons'],
  ] as const;
  for (const [type, limit, code, label] of limits) {
    const indexes = buttons.flatMap((entry, index) => (entry.type === type ? [index] : []));
    const excess = indexes[limit];
    if (excess !== undefined) findings.push(finding(code, `The template has ${indexes.length} ${label}; Meta allows ${limit}. Remove ${nth(excess).toLowerCase()}${indexes.length - limit > 1 ? ' and the others after it' : ''}.`, button(excess)));
  }
  return findings;
}

function labelFindings(label: string | null, index: number): LintFinding[] {
  if (label === null) return [];
  if (label.trim() === '') return [finding('BUTTON_LABEL_EMPTY', `${nth(index)} has no label. Write the text people tap, like "Track order".`, button(index, 'text'))];
  if (label.length <= BUTTON_LIMITS.labelChars) return [];
  return [finding('BUTTON_LABEL_TOO_LONG', `${nth(index)}’s label "${label}" is ${label.length} characters; Meta allows ${BUTTON_LIMITS.labelChars}. Shorten it by ${label.length - BUTTON_LIMITS.labelChars}.`, button(index, 'text', [BUTTON_LIMITS.labelChars, label.length]))];
}

/** The fixed part is a web address with a real domain: "https://{{1}}" would let any site in (§4.2). */
const WEB_ADDRESS = /^https?:\/\/[^\s/{}?#]+/i;

function urlVariableFindings(entry: UrlButton, index: number): LintFinding[] {
  const { url } = entry;
  const { variables, strayBraces } = readTextVariables(url);
  const findings = strayBraces.filter((stray) => stray.double).map((stray) => finding('BRACES_MISMATCHED', `${nth(index)}’s URL has "${url.slice(...stray.range)}", which is not a variable. Write the variable as {{1}} at the end of the URL.`, button(index, 'url', stray.range)));
  const [variable, second] = variables;
  const last = variables.at(-1);
  if (second !== undefined && last !== undefined) return [...findings, finding('URL_TOO_MANY_VARIABLES', `${nth(index)}’s URL has ${variables.length} variables; Meta allows one, at the end. Keep a single {{1}} at the end of the URL.`, button(index, 'url', [second.range[0], last.range[1]]))];
  const example = entry.example?.trim() ?? '';
  if (variable === undefined) return example === '' ? findings : [...findings, finding('EXAMPLE_UNUSED', `${nth(index)} has an example URL, but its URL has no variable. Remove the example, or end the URL with {{1}}.`, button(index, 'example'))];
  if (variable.range[1] !== url.length) findings.push(finding('URL_VARIABLE_NOT_AT_END', `${nth(index)}’s URL has a variable in the middle. Meta only allows one variable at the very end, like "https://shop.example/track/{{1}}": move it to the end.`, button(index, 'url', variable.range)));
  if (variable.name !== '1') findings.push(finding('URL_VARIABLE_INVALID', `${nth(index)}’s URL variable is written ${url.slice(...variable.range)}. URL variables are always written {{1}}, even in templates with named variables.`, button(index, 'url', variable.range)));
  const prefix = url.slice(0, variable.range[0]);
  if (example === '') findings.push(finding('URL_EXAMPLE_MISSING', `${nth(index)}’s URL ends with a variable but has no example. Add a complete example URL, like "${prefix}A1234".`, button(index, 'url', variable.range)));
  else if (!example.startsWith(prefix)) findings.push(finding('URL_EXAMPLE_MISMATCH', `${nth(index)}’s example URL should be the full address with a sample value, starting with "${prefix}".`, button(index, 'example')));
  return findings;
}

function urlFindings(entry: UrlButton, index: number): LintFinding[] {
  const { url } = entry;
  const findings: LintFinding[] = [];
  if (!WEB_ADDRESS.test(url)) findings.push(finding('URL_INVALID', `${nth(index)}’s URL "${url}" is not a web address. Write the full address with its domain, starting with https://.`, button(index, 'url', [0, url.length])));
  if (url.length > BUTTON_LIMITS.urlChars) findings.push(finding('URL_TOO_LONG', `${nth(index)}’s URL is ${url.length} characters; Meta allows ${BUTTON_LIMITS.urlChars}. Use a shorter address.`, button(index, 'url', [BUTTON_LIMITS.urlChars, url.length])));
  return [...findings, ...urlVariableFindings(entry, index)];
}

/** "E.164-ish": optional +, 7 to 15 digits not starting with 0, with spaces, dots, dashes or brackets allowed. */
function phoneFindings(phoneNumber: string, index: number): LintFinding[] {
  const digits = phoneNumber.replace(/[\s().-]/g, '');
  const tooLong = phoneNumber.length > BUTTON_LIMITS.phoneChars;
  if (!tooLong && /^\+?[1-9]\d{6,14}$/.test(digits)) return [];
  const why = tooLong ? `is ${phoneNumber.length} characters; Meta allows ${BUTTON_LIMITS.phoneChars}` : 'is not a phone number in international format';
  return [finding('PHONE_NUMBER_INVALID', `${nth(index)}’s phone number "${phoneNumber}" ${why}. Write it with the country code, like +14155550123.`, button(index, 'phone_number', [0, phoneNumber.length]))];
}

function copyCodeFindings(example: string, index: number): LintFinding[] {
  if (example.trim() === '') return [finding('COPY_CODE_EXAMPLE_MISSING', `${nth(index)} (copy code) has no example code. Add a sample coupon code, like "SAVE10".`, button(index, 'example'))];
  if (example.length <= BUTTON_LIMITS.copyCodeChars) return [];
  return [finding('COPY_CODE_EXAMPLE_TOO_LONG', `${nth(index)}’s example code is ${example.length} characters; Meta allows ${BUTTON_LIMITS.copyCodeChars}. Use a shorter code.`, button(index, 'example', [BUTTON_LIMITS.copyCodeChars, example.length]))];
}

function buttonFindings(entry: TemplateButton, index: number): LintFinding[] {
  switch (entry.type) {
    case 'QUICK_REPLY':
      return labelFindings(entry.text, index);
    case 'URL':
      return [...labelFindings(entry.text, index), ...urlFindings(entry, index)];
    case 'PHONE_NUMBER':
      return [...labelFindings(entry.text, index), ...phoneFindings(entry.phoneNumber, index)];
    case 'COPY_CODE':
      return copyCodeFindings(entry.example, index);
    case 'OTP':
      return labelFindings(entry.text, index);
  }
}

/** §4.2: quick replies form one group, before or after the other buttons: QR, URL, QR is refused. */
function groupingFinding(buttons: readonly TemplateButton[]): LintFinding | null {
  const firstQuickReply = buttons.findIndex((entry) => entry.type === 'QUICK_REPLY');
  const groupEnd = buttons.findIndex((entry, index) => index > firstQuickReply && entry.type !== 'QUICK_REPLY');
  if (firstQuickReply < 0 || groupEnd < 0) return null;
  const stray = buttons.findIndex((entry, index) => index > groupEnd && entry.type === 'QUICK_REPLY');
  if (stray < 0) return null;
  return finding('QUICK_REPLIES_NOT_GROUPED', `${nth(stray)} is a quick reply separated from the other quick replies. Meta needs all quick replies together, before or after the other buttons: move it next to them.`, button(stray));
}

/** §4.2: 4+ buttons, or quick replies with other types, do not render on WhatsApp desktop. */
function desktopFinding(buttons: readonly TemplateButton[]): LintFinding | null {
  if (buttons.length > BUTTON_LIMITS.desktop) {
    return finding('BUTTONS_NOT_ON_DESKTOP', `The template has ${buttons.length} buttons. With more than ${BUTTON_LIMITS.desktop}, WhatsApp shows 2 plus "See all options" on phones and does not show the template on desktop: keep ${BUTTON_LIMITS.desktop} or fewer if desktop matters.`, button(BUTTON_LIMITS.desktop));
  }
  const quickReply = (entry: TemplateButton) => entry.type === 'QUICK_REPLY';
  const mixedAt = buttons.findIndex((entry) => quickReply(entry) !== quickReply(buttons[0] ?? entry));
  if (mixedAt < 0) return null;
  return finding('BUTTONS_NOT_ON_DESKTOP', 'The template mixes quick replies with other buttons, so WhatsApp desktop does not show it. Use only quick replies, or only call-to-action buttons, if desktop matters.', button(mixedAt));
}

export function lintButtons(buttons: readonly TemplateButton[]): LintFinding[] {
  return [
    ...countFindings(buttons),
    ...buttons.flatMap((entry, index) => buttonFindings(entry, index)),
    ...[groupingFinding(buttons), desktopFinding(buttons)].filter((entry) => entry !== null),
  ];
}
