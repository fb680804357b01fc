// The template lint codes: each stable code with its severity and a one-line description (for docs and
// editors), and the one constructor of findings. Errors are what Meta refuses at creation or review
// (whatsapp-rules.md §4.2); warnings are what Meta accepts but shows badly, or may refuse (unpublished rules).

import type { LintFinding, LintSeverity, TemplateLocation } from './template.ts';

type CodeInfo = { severity: LintSeverity; description: string };

export const TEMPLATE_LINT_CODES = {
  NAME_INVALID: { severity: 'error', description: 'The name is empty or uses characters other than lowercase letters, digits and underscores (§4.2).' },
  NAME_TOO_LONG: { severity: 'error', description: 'The name is longer than 512 characters (§4.2).' },
  LANGUAGE_INVALID: { severity: 'error', description: 'The language is not a code shaped like "en" or "en_US" (§4.4).' },
  LANGUAGE_UNKNOWN: { severity: 'warning', description: 'The language code is well formed but not on Meta’s published list (§4.4).' },
  HEADER_TEXT_EMPTY: { severity: 'error', description: 'A text header has no text (§4.2).' },
  HEADER_TOO_LONG: { severity: 'error', description: 'A text header is longer than 60 characters (§4.2, 2388047).' },
  HEADER_TOO_MANY_VARIABLES: { severity: 'error', description: 'A text header has more than one variable (§4.2, 2388047).' },
  HEADER_VARIABLE_AT_EDGE: { severity: 'warning', description: 'A text header starts or ends with a variable; Meta may reject it as "dangling" (§4.2, 2388299).' },
  HEADER_FORMATTING: { severity: 'warning', description: 'A text header uses markdown or a line break, which headers do not support (§4.2).' },
  HEADER_MEDIA_EXAMPLE_MISSING: { severity: 'warning', description: 'An image, video or document header has no sample (header_handle) for review (§4.2).' },
  HEADER_LOCATION_NOT_ALLOWED: { severity: 'error', description: 'A location header is only allowed in MARKETING and UTILITY templates (§4.2).' },
  BODY_REQUIRED: { severity: 'error', description: 'The body has no text (§4.2, 2388072).' },
  BODY_TOO_LONG: { severity: 'error', description: 'The body is longer than 1024 characters (§4.2, 2388040).' },
  FOOTER_TOO_LONG: { severity: 'error', description: 'The footer is longer than 60 characters (§4.2, 2388073).' },
  FOOTER_HAS_VARIABLES: { severity: 'error', description: 'The footer contains a variable; footers are fixed text (§4.2, 2388073).' },
  BRACES_MISMATCHED: { severity: 'error', description: 'Double braces that do not form a variable, like "{{1}" or "{{{1}}}" (§4.2).' },
  BRACES_SINGLE: { severity: 'warning', description: 'Single braces like "{1}", probably a variable missing a brace (§4.2).' },
  VARIABLE_SPECIAL_CHARACTERS: { severity: 'error', description: 'A variable contains #, $ or % (§4.2).' },
  VARIABLE_NAME_INVALID: { severity: 'error', description: 'A variable is neither a number ({{1}}) nor lowercase letters and underscores ({{first_name}}) (§4.2).' },
  PARAMETER_FORMAT_MISMATCH: { severity: 'error', description: 'A variable is written in the other format than the template’s parameter format (§4.2, one format per template).' },
  POSITIONAL_NOT_SEQUENTIAL: { severity: 'error', description: 'Positional variables do not run 1, 2, 3… without gaps (§4.2).' },
  NAMED_VARIABLE_DUPLICATE: { severity: 'error', description: 'A named variable is used more than once in the template; names must be unique (§4.2).' },
  VARIABLE_MISSING_EXAMPLE: { severity: 'error', description: 'A variable has no example value for Meta’s review (§4.2).' },
  EXAMPLE_UNUSED: { severity: 'warning', description: 'An example is given for a variable that does not exist (§4.2).' },
  EXAMPLE_INVALID_WHITESPACE: { severity: 'warning', description: 'An example has a line break, a tab or more than 4 spaces in a row, which Meta refuses in values (§4.3, 132018).' },
  VARIABLE_AT_EDGE: { severity: 'error', description: 'The body starts or ends with a variable (§4.2, 2388299 "dangling").' },
  VARIABLE_NEAR_EDGE: { severity: 'warning', description: 'The body starts or ends with a variable and only punctuation, which reviewers often treat as dangling (§4.2).' },
  VARIABLES_ADJACENT: { severity: 'error', description: 'Two variables with nothing or only spaces between them (§4.2, §4.1 INVALID_FORMAT).' },
  TOO_MANY_VARIABLES: { severity: 'warning', description: 'Fewer than 2 × variables + 1 words of fixed text in the body; Meta refuses too many variables for the length (§4.2, 2388293).' },
  HYDRATED_TOO_LONG: { severity: 'warning', description: 'With the examples filled in, the body passes 1024 or the header 60 characters (§4.3, 132005).' },
  BUTTONS_TOO_MANY: { severity: 'error', description: 'More than 10 buttons (quick replies included) (§4.2).' },
  URL_BUTTONS_TOO_MANY: { severity: 'error', description: 'More than 2 URL buttons (§4.2).' },
  PHONE_BUTTONS_TOO_MANY: { severity: 'error', description: 'More than 1 phone-number button (§4.2).' },
  COPY_CODE_BUTTONS_TOO_MANY: { severity: 'error', description: 'More than 1 copy-code button (§4.2).' },
  BUTTON_LABEL_EMPTY: { severity: 'error', description: 'A button has an empty label (§4.2).' },
  BUTTON_LABEL_TOO_LONG: { severity: 'error', description: 'A button label is longer than 25 characters (§4.2).' },
  QUICK_REPLIES_NOT_GROUPED: { severity: 'error', description: 'Quick replies are not all together, before or after the other buttons (§4.2).' },
  BUTTONS_NOT_ON_DESKTOP: { severity: 'warning', description: 'More than 3 buttons, or quick replies mixed with other buttons: WhatsApp desktop does not show the template (§4.2).' },
  URL_INVALID: { severity: 'error', description: 'A URL button’s address is not an http:// or https:// address with a domain (§4.2).' },
  URL_TOO_LONG: { severity: 'error', description: 'A URL button’s address is longer than 2000 characters (§4.2).' },
  URL_TOO_MANY_VARIABLES: { severity: 'error', description: 'A URL button’s address has more than one variable (§4.2).' },
  URL_VARIABLE_NOT_AT_END: { severity: 'error', description: 'A URL button’s variable is not at the very end of the address (§4.2).' },
  URL_VARIABLE_INVALID: { severity: 'error', description: 'A URL button’s variable is not written {{1}} (§4.2).' },
  URL_EXAMPLE_MISSING: { severity: 'error', description: 'A URL button with a variable has no example URL (§4.2).' },
  URL_EXAMPLE_MISMATCH: { severity: 'warning', description: 'A URL button’s example does not start with the fixed part of its address (§4.2).' },
  PHONE_NUMBER_INVALID: { severity: 'error', description: 'A phone button’s number is longer than 20 characters or is not a country code and number (the + is optional) (§4.2).' },
  COPY_CODE_EXAMPLE_MISSING: { severity: 'error', description: 'A copy-code button has no example code (§4.2).' },
  COPY_CODE_EXAMPLE_TOO_LONG: { severity: 'error', description: 'A copy-code button’s example is longer than 15 characters (§4.2).' },
  OTP_BUTTON_NOT_AUTH: { severity: 'error', description: 'A one-time-password button in a MARKETING or UTILITY template (§4.2).' },
  AUTH_OTP_BUTTON_REQUIRED: { severity: 'error', description: 'An AUTHENTICATION template without exactly one one-time-password button (§4.2).' },
  AUTH_BUTTON_NOT_ALLOWED: { severity: 'error', description: 'An AUTHENTICATION template with a button other than its one-time-password button (§4.2).' },
  AUTH_HEADER_NOT_ALLOWED: { severity: 'error', description: 'An AUTHENTICATION template with a text or media header (§4.2).' },
  AUTH_CUSTOM_TEXT: { severity: 'error', description: 'An AUTHENTICATION template with its own body or footer text; Meta presets them (§4.2).' },
  AUTH_URL: { severity: 'error', description: 'A web address in an AUTHENTICATION template’s text (§4.2; INCORRECT_CATEGORY at review).' },
  AUTH_EMOJI: { severity: 'error', description: 'An emoji in an AUTHENTICATION template’s text (§4.2).' },
  AUTH_CODE_EXPIRATION_INVALID: { severity: 'error', description: 'code_expiration_minutes is not a whole number from 1 to 90 (§4.2).' },
} as const satisfies Record<string, CodeInfo>;

export type TemplateLintCode = keyof typeof TEMPLATE_LINT_CODES;

/** The only way to build a finding, so a code's severity is the one in the table above. */
export function finding(code: TemplateLintCode, message: string, location: TemplateLocation): LintFinding {
  return { code, severity: TEMPLATE_LINT_CODES[code].severity, message, location };
}
