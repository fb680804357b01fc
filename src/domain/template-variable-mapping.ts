// A campaign's variable mapping (where each template variable's value comes from) and the turning of
// one binding into the text Meta receives: read from the contact, fall back, format in the contact's
// locale, sanitise (whatsapp-rules.md §4.3). Pure: formatting uses Intl with an explicit locale and zone.

import type { Contact } from './contacts.ts';
import { parseInstant } from './instant.ts';
import { normalizeLanguage } from './language.ts';
import { validTimeZone } from './zoned-time.ts';

/** Where a value comes from. `first_name` is the first word of the contact's name ("Ana" for "Ana Souza"). */
export type VariableSource =
  | { from: 'contact'; field: 'name' | 'first_name' | 'phone' | 'language' | 'country' }
  | { from: 'attribute'; key: string }
  | { from: 'constant'; value: string };

/**
 * How a value is shown. `date`: an ISO 8601 date ("2026-03-20") or date-time; a date-time with a zone
 * ("2026-03-20T17:30:00Z") is shown in the contact's time zone, one without a zone as written.
 * `currency`: a decimal with a dot ("1234.5"); also sent as Meta's `currency` parameter in the body.
 */
export type VariableFormat = { kind: 'date'; style?: 'short' | 'medium' | 'long' } | { kind: 'currency'; currency: string };

/** `fallback` is the text sent when the source is empty for a contact; it is sent as written, never formatted. */
export type VariableBinding = VariableSource & { fallback?: string; format?: VariableFormat };

export type MediaHeaderValue = { media: { id: string } | { link: string }; filename?: string };
export type LocationHeaderValue = { latitude: number; longitude: number; name?: string; address?: string };

/**
 * One campaign's mapping. `body` is keyed by variable name ("1", "2" or "first_name"). `header` fills the
 * text header's variable (a named header variable without it uses `body` under the same name). `buttons`
 * is keyed by the button's 0-based index: a URL button's variable or a copy-code button's coupon code.
 */
export type VariableMapping = {
  body: Record<string, VariableBinding>;
  header?: VariableBinding;
  buttons?: Record<number, VariableBinding>;
  headerMedia?: MediaHeaderValue;
  headerLocation?: LocationHeaderValue;
};

/** The locale and time zone values are formatted in; see `formattingContext`. */
export type FormattingContext = { locale: string; timeZone: string };

export type ResolvedValue =
  | { ok: true; text: string; currency: { code: string; amount1000: number } | null }
  | { ok: false; reason: 'missing_variable' | 'bad_value'; message: string };

// §4.3: Meta rejects parameter text with a newline, a tab or more than 4 consecutive spaces (132018).
// Vertical tab, form feed and the Unicode line separators would break the line just the same.
const LINE_BREAKING = /\r\n|[\r\n\t\v\f\u0085\u2028\u2029]/g;
const LONG_SPACE_RUN = / {5,}/g;

/** Makes a value safe for a template parameter: breaks and tabs become spaces, runs of 5+ spaces one space, ends trimmed. */
export function sanitizeParameterText(text: string): string {
  return text.replace(LINE_BREAKING, ' ').replace(LONG_SPACE_RUN, ' ').trim();
}

/**
 * The text of the message decides the language of a formatted value (a Portuguese message says "20 de
 * março" even to a contact stored as "en" who fell back to it, §4.4); the contact supplies the region
 * (from its own language when it shares the base, else its country) and the time zone (UTC when unknown).
 */
export function formattingContext(templateLanguage: string, contact: Pick<Contact, 'language' | 'country' | 'timeZone'>): FormattingContext {
  return { locale: localeFor(templateLanguage, contact), timeZone: validTimeZone(contact.timeZone) ?? 'UTC' };
}

function localeFor(templateLanguage: string, contact: Pick<Contact, 'language' | 'country'>): string {
  const template = normalizeLanguage(templateLanguage) ?? 'en';
  const [base = 'en', region] = template.split('_');
  const own = contact.language === null ? undefined : normalizeLanguage(contact.language);
  const [ownBase, ownRegion] = own?.split('_') ?? [];
  const country = contact.country !== null && /^[A-Za-z]{2}$/.test(contact.country) ? contact.country.toUpperCase() : undefined;
  const chosenRegion = region ?? (ownBase === base ? ownRegion : undefined) ?? country;
  const candidate = chosenRegion === undefined ? base : `${base}-${chosenRegion}`;
  return Intl.NumberFormat.supportedLocalesOf([candidate]).length > 0 ? candidate : base;
}

type RawValue = { ok: true; text: string | null } | { ok: false; message: string };

function readSource(source: VariableSource, contact: Contact): RawValue {
  switch (source.from) {
    case 'constant':
      return { ok: true, text: source.value };
    case 'contact':
      if (source.field === 'first_name') return { ok: true, text: contact.name?.trim().split(/\s+/)[0] ?? null };
      return { ok: true, text: contact[source.field] };
    case 'attribute':
      return readAttribute(contact.attributes[source.key], source.key);
  }
}

function readAttribute(value: unknown, key: string): RawValue {
  if (value === null || value === undefined) return { ok: true, text: null };
  if (typeof value === 'string') return { ok: true, text: value };
  if (typeof value === 'number' && Number.isFinite(value)) return { ok: true, text: String(value) };
  if (typeof value === 'boolean' || typeof value === 'bigint') return { ok: true, text: String(value) };
  return { ok: false, message: `The attribute "${key}" holds ${Array.isArray(value) ? 'a list' : typeof value}, not text.` };
}

/**
 * The value of one variable for one contact. An empty value (after sanitising) takes the fallback; no
 * fallback is `missing_variable`. A value that cannot be read as the format asks is `bad_value`, not the
 * fallback: wrong data in the contact list must surface instead of hiding behind a default text.
 */
export function resolveVariable(label: string, binding: VariableBinding | undefined, contact: Contact, context: FormattingContext): ResolvedValue {
  if (binding === undefined) return { ok: false, reason: 'missing_variable', message: `No source is mapped for ${label}.` };
  const raw = readSource(binding, contact);
  if (!raw.ok) return { ok: false, reason: 'bad_value', message: `${label}: ${raw.message}` };
  const text = sanitizeParameterText(raw.text ?? '');
  if (text === '') {
    const fallback = sanitizeParameterText(binding.fallback ?? '');
    if (fallback !== '') return { ok: true, text: fallback, currency: null };
    return { ok: false, reason: 'missing_variable', message: `${label.charAt(0).toUpperCase()}${label.slice(1)} is empty for this contact and has no fallback.` };
  }
  if (binding.format === undefined) return { ok: true, text, currency: null };
  const formatted = binding.format.kind === 'date' ? formatDate(text, binding.format.style ?? 'long', context) : formatCurrency(text, binding.format.currency, context);
  if (!formatted.ok) return { ok: false, reason: 'bad_value', message: `${label}: ${formatted.message}` };
  return formatted;
}

const HAS_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/i;
const HAS_ZONE = /(Z|[+-]\d{2}:?\d{2})$/i;

/** A date alone is a calendar day (never shifted by a zone); a date-time with a zone is shown in the contact's zone. */
export function formatDate(text: string, style: 'short' | 'medium' | 'long', context: FormattingContext): ResolvedValue {
  const instant = parseInstant(text);
  if (instant === null) return { ok: false, reason: 'bad_value', message: `"${text}" is not an ISO 8601 date such as 2026-03-20.` };
  const withTime = HAS_TIME.test(text);
  const timeZone = withTime && HAS_ZONE.test(text) ? context.timeZone : 'UTC';
  const options: Intl.DateTimeFormatOptions = { dateStyle: style, timeZone, ...(withTime ? { timeStyle: 'short' } : {}) };
  return { ok: true, text: sanitizeParameterText(new Intl.DateTimeFormat(context.locale, options).format(instant)), currency: null };
}

// A dot decimal only: "1.234" is a thousand in Brazil and one point two in the US, so a comma is refused.
const DECIMAL = /^([+-]?)(\d+)(?:\.(\d+))?$/;

/** Formats an amount in the contact's locale and keeps Meta's `amount_1000` (the amount × 1000, an integer). */
export function formatCurrency(text: string, code: string, context: FormattingContext): ResolvedValue {
  const match = DECIMAL.exec(text);
  if (!/^[A-Z]{3}$/.test(code)) return { ok: false, reason: 'bad_value', message: `"${code}" is not an ISO 4217 currency code such as BRL or USD.` };
  if (!match) return { ok: false, reason: 'bad_value', message: `"${text}" is not an amount such as 1234.50 (a dot before the cents, no thousands separator).` };
  const [, sign = '', whole = '0', fraction = ''] = match;
  // Rounded from the digits, not through a float: 1.005 * 1000 is 1004.999… in binary floating point.
  const digits = fraction.padEnd(4, '0');
  const thousandths = Number(whole) * 1000 + Number(digits.slice(0, 3)) + (Number(digits[3]) >= 5 ? 1 : 0);
  if (!Number.isSafeInteger(thousandths)) return { ok: false, reason: 'bad_value', message: `"${text}" is too large an amount.` };
  const amount1000 = sign === '-' ? -thousandths : thousandths;
  const formatted = new Intl.NumberFormat(context.locale, { style: 'currency', currency: code }).format(amount1000 / 1000);
  return { ok: true, text: sanitizeParameterText(formatted), currency: { code, amount1000 } };
}
