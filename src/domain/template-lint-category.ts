// Lint rules that depend on the category (whatsapp-rules.md §4.2): AUTHENTICATION templates are Meta's
// preset text plus one one-time-password button, without headers, URLs or emoji; OTP buttons belong to
// authentication only; location headers to MARKETING and UTILITY. Pure.

import type { LintFinding, TemplateDefinition, TemplateLocation } from './template.ts';
import { finding } from './template-lint-codes.ts';

// §4.2: code_expiration_minutes is 1–90.
export const CODE_EXPIRATION_MINUTES = { min: 1, max: 90 } as const;

const WEB_ADDRESS = /\b(?:https?:\/\/|www\.)\S+/gi;
const EMOJI = /\p{Extended_Pictographic}(?:\uFE0F|\u200D\p{Extended_Pictographic})*/gu;

type AuthText = { text: string; location: (range: [number, number]) => TemplateLocation; where: string };

/** Every text of an authentication template a person reads: its body and footer (if written) and OTP labels. */
function authTexts(template: TemplateDefinition): AuthText[] {
  const texts: AuthText[] = [
    { text: template.body.text, location: (range) => ({ component: 'body', range }), where: 'The body' },
    { text: template.footer?.text ?? '', location: (range) => ({ component: 'footer', range }), where: 'The footer' },
  ];
  template.buttons.forEach((entry, index) => {
    if (entry.type === 'OTP' && entry.text !== null) texts.push({ text: entry.text, location: (range) => ({ component: 'button', index, field: 'text', range }), where: `Button ${index + 1}` });
  });
  return texts;
}

function authContentFindings(template: TemplateDefinition): LintFinding[] {
  const findings: LintFinding[] = [];
  if (template.body.text.trim() !== '') {
    findings.push(finding('AUTH_CUSTOM_TEXT', 'Authentication templates use Meta’s preset body ("<code> is your verification code."): remove the body text and turn on the security recommendation if you want one.', { component: 'body', range: [0, template.body.text.length] }));
  }
  const footer = template.footer?.text ?? '';
  if (footer.trim() !== '') {
    findings.push(finding('AUTH_CUSTOM_TEXT', 'Authentication templates use Meta’s preset footer: remove the footer text and set the code expiration (1–90 minutes) instead.', { component: 'footer', range: [0, footer.length] }));
  }
  for (const { text, location, where } of authTexts(template)) {
    for (const match of text.matchAll(WEB_ADDRESS)) {
      findings.push(finding('AUTH_URL', `${where} contains the web address "${match[0]}". Meta does not allow links in authentication templates: remove it.`, location([match.index, match.index + match[0].length])));
    }
    for (const match of text.matchAll(EMOJI)) {
      findings.push(finding('AUTH_EMOJI', `${where} contains the emoji ${match[0]}. Meta does not allow emoji in authentication templates: remove it.`, location([match.index, match.index + match[0].length])));
    }
  }
  return findings;
}

function authStructureFindings(template: TemplateDefinition): LintFinding[] {
  const findings: LintFinding[] = [];
  const { header, buttons, footer } = template;
  if (header !== null && header.format !== 'LOCATION') {
    findings.push(finding('AUTH_HEADER_NOT_ALLOWED', `Authentication templates cannot have a header (this one has a ${header.format.toLowerCase()} header): remove it. Meta builds these messages from the code, the security note and the button.`, { component: 'header' }));
  }
  const otpIndexes = buttons.flatMap((entry, index) => (entry.type === 'OTP' ? [index] : []));
  if (otpIndexes.length === 0) findings.push(finding('AUTH_OTP_BUTTON_REQUIRED', 'Authentication templates need one one-time-password button (copy code, one-tap or zero-tap): add one.', { component: 'category' }));
  const secondOtp = otpIndexes[1];
  if (secondOtp !== undefined) findings.push(finding('AUTH_OTP_BUTTON_REQUIRED', `Authentication templates have exactly one one-time-password button; this one has ${otpIndexes.length}: remove button ${secondOtp + 1}.`, { component: 'button', index: secondOtp }));
  buttons.forEach((entry, index) => {
    if (entry.type !== 'OTP') findings.push(finding('AUTH_BUTTON_NOT_ALLOWED', `Button ${index + 1} is a ${entry.type.toLowerCase().replace('_', ' ')} button. Authentication templates only have their one-time-password button: remove it.`, { component: 'button', index }));
  });
  const minutes = footer?.codeExpirationMinutes;
  if (minutes !== undefined && !(Number.isInteger(minutes) && minutes >= CODE_EXPIRATION_MINUTES.min && minutes <= CODE_EXPIRATION_MINUTES.max)) {
    findings.push(finding('AUTH_CODE_EXPIRATION_INVALID', `The code expires after ${minutes} minutes; Meta allows a whole number from ${CODE_EXPIRATION_MINUTES.min} to ${CODE_EXPIRATION_MINUTES.max}.`, { component: 'footer' }));
  }
  return findings;
}

/** OTP buttons outside authentication, location headers in authentication, and the authentication rules. */
export function lintCategory(template: TemplateDefinition): LintFinding[] {
  if (template.category !== 'AUTHENTICATION') {
    return template.buttons.flatMap((entry, index) =>
      entry.type === 'OTP' ? [finding('OTP_BUTTON_NOT_AUTH', `Button ${index + 1} is a one-time-password button, which only AUTHENTICATION templates may have. Remove it, or use a copy-code button for a coupon.`, { component: 'button', index })] : [],
    );
  }
  const location = template.header?.format === 'LOCATION'
    ? [finding('HEADER_LOCATION_NOT_ALLOWED', 'Location headers are only allowed in MARKETING and UTILITY templates: remove the header.', { component: 'header' })]
    : [];
  return [...location, ...authStructureFindings(template), ...authContentFindings(template)];
}
