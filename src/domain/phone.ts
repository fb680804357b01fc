// E.164 normalisation and validation of a contact's phone number, with what the numbering plan knows
// (country, mobile or landline, time zone). Pure: the metadata is static data; no network.

import countriesAndTimezones from 'countries-and-timezones';
import { parsePhoneNumberFromString, type CountryCode, type NumberType } from 'libphonenumber-js/max';
import { lookupPhoneTimeZones } from '../reference-data/phone-time-zones.ts';

export type LineType = 'mobile' | 'fixed_line_or_mobile' | 'voip' | 'personal_number' | 'unknown';

export type PhoneRejection = 'empty' | 'not_a_number' | 'invalid_number' | 'not_mobile';

export type NormalizedPhone = {
  ok: true;
  e164: string;
  country: string | null;
  lineType: LineType;
  /** Null when the number's prefix spans zones with different clocks (e.g. a toll-free +1 800); the caller may override. */
  timeZone: string | null;
};

export type PhoneResult = NormalizedPhone | { ok: false; reason: PhoneRejection; message: string };

// Number types that cannot be a person's WhatsApp: Meta delivers to mobile numbers (product.md, step 1).
const nonMobileTypes: ReadonlySet<NumberType> = new Set(['FIXED_LINE', 'TOLL_FREE', 'PREMIUM_RATE', 'SHARED_COST', 'PAGER', 'UAN', 'VOICEMAIL']);

/**
 * Normalises what people type into E.164. `defaultCountry` (ISO 3166-1 alpha-2) reads national
 * formats such as "(11) 91234-5678"; without it a number must be international, with or without
 * its "+" ("5511912345678" is how Meta writes wa_id), or start with the 00 international prefix.
 */
export function normalizePhone(raw: string, defaultCountry?: string | null): PhoneResult {
  const text = raw.trim();
  if (text === '') return { ok: false, reason: 'empty', message: 'phone is empty' };
  if (!/^[+\d\s().\-/]+$/.test(text) || !/\d/.test(text)) {
    return { ok: false, reason: 'not_a_number', message: `"${truncate(text)}" is not a phone number` };
  }
  const found = parseCandidates(text, defaultCountry ?? null);
  if (!found) return { ok: false, reason: 'invalid_number', message: `${truncate(text)} is not a valid phone number${defaultCountry ? ` (read with default country ${defaultCountry})` : ''}` };
  const { parsed, type } = found;
  if (nonMobileTypes.has(type)) {
    return { ok: false, reason: 'not_mobile', message: `${parsed.number} is a ${type.toLowerCase().replaceAll('_', '-')} number, not a mobile one` };
  }
  const country = parsed.country ?? null;
  return { ok: true, e164: parsed.number, country, lineType: toLineType(type), timeZone: chooseTimeZone(lookupPhoneTimeZones(parsed.number), country) };
}

type Parsed = NonNullable<ReturnType<typeof parsePhoneNumberFromString>>;

type Typed = { parsed: Parsed; type: NumberType & string };

/**
 * With the full ("max") metadata a number is valid exactly when the plan gives it a type (this is how
 * Google's isValidNumber works), so the type is computed once instead of by isValid() and getType()
 * both: it was a tenth of the import's time in Node (measured on 1,000,000 rows).
 */
function typed(parsed: Parsed | undefined): Typed | null {
  const type = parsed?.getType();
  return parsed && type ? { parsed, type } : null;
}

function parseCandidates(text: string, defaultCountry: string | null): Typed | null {
  const digits = text.replace(/\D/g, '');
  const candidates: Array<[string, CountryCode | undefined]> = [];
  if (text.startsWith('+')) candidates.push([`+${digits}`, undefined]);
  else {
    if (defaultCountry) candidates.push([text, defaultCountry as CountryCode]);
    if (digits.startsWith('00')) candidates.push([`+${digits.slice(2)}`, undefined]);
    candidates.push([`+${digits}`, undefined]);
  }
  for (const [candidate, country] of candidates) {
    const parsed = parsePhoneNumberFromString(candidate, country);
    if (!parsed) continue;
    const fixed = typed(parsed) ?? repairLegacyMobileFormat(parsed.number);
    if (fixed) return fixed;
  }
  return null;
}

/**
 * Two legacy mobile formats that are still common in customer lists and in Meta's own wa_id:
 * - Mexico: mobiles used to be dialled +52 1 XX XXXX XXXX; since 2019 the "1" is gone, so drop it.
 * - Brazil: mobiles gained a ninth digit (a leading 9) in 2012–2016; an 8-digit mobile subscriber
 *   number (starting 6–9) after the area code gets the 9 it now needs.
 */
function repairLegacyMobileFormat(e164: string): Typed | null {
  let repaired: string | null = null;
  const mexico = /^\+521(\d{10})$/.exec(e164);
  if (mexico) repaired = `+52${mexico[1]}`;
  const brazil = /^\+55([1-9]{2})([6-9]\d{7})$/.exec(e164);
  if (brazil) repaired = `+55${brazil[1]}9${brazil[2]}`;
  if (!repaired) return null;
  return typed(parsePhoneNumberFromString(repaired));
}

function toLineType(type: NumberType): LineType {
  switch (type) {
    case 'MOBILE':
      return 'mobile';
    case 'FIXED_LINE_OR_MOBILE':
      return 'fixed_line_or_mobile';
    case 'VOIP':
      return 'voip';
    case 'PERSONAL_NUMBER':
      return 'personal_number';
    default:
      return 'unknown';
  }
}

/**
 * Picks one zone for the number: the only candidate, or the candidates of the number's own country
 * (+44 7911 lists Guernsey, Isle of Man and London; a GG number gets Guernsey's), or any of several
 * candidates that keep the same clock. Deprecated names become their canonical zone (Asia/Calcutta → Asia/Kolkata).
 */
function chooseTimeZone(candidates: string[], country: string | null): string | null {
  const ofCountry = country ? candidates.filter((zone) => (countriesAndTimezones.getTimezone(zone)?.countries as readonly string[] | undefined)?.includes(country)) : [];
  const pool = ofCountry.length > 0 ? ofCountry : candidates;
  const canonical = [...new Set(pool.map((zone) => countriesAndTimezones.getTimezone(zone)?.aliasOf ?? zone))];
  if (canonical.length === 1) return canonical[0] ?? null;
  const clocks = new Set(canonical.map((zone) => {
    const info = countriesAndTimezones.getTimezone(zone);
    return info ? `${info.utcOffset}/${info.dstOffset}` : zone;
  }));
  return clocks.size === 1 ? (canonical[0] ?? null) : null;
}

function truncate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
