// Turns one CSV row into a contact and its consent events, or a rejection with a reason a person can
// act on. Pure: the caller streams the file, counts lines and writes to the database.

import { parseConsentCategories, type ConsentCategory, type ConsentEvent } from './consent.ts';
import type { ContactInput } from './contacts.ts';
import { normalizeLanguage } from './language.ts';
import { normalizePhone } from './phone.ts';
import { parseInstant } from './instant.ts';
import { validTimeZone } from './zoned-time.ts';
import type { ColumnMapping } from './import-columns.ts';

export const IMPORT_REJECT_REASONS = [
  'invalid_phone',
  'not_mobile',
  'duplicate_in_file',
  'wrong_field_count',
  'bad_date',
  'future_date',
  'bad_language',
  'bad_time_zone',
  'bad_country',
  'bad_categories',
  'missing_proof',
  'too_long',
] as const;
export type ImportRejectReason = (typeof IMPORT_REJECT_REASONS)[number];

export type RowRejection = { ok: false; reason: ImportRejectReason; message: string };
export type ParsedRow = { ok: true; contact: ContactInput; consentEvents: ConsentEvent[] };

export type RowDefaults = {
  defaultCountry: string | null;
  optInSource: string;
  optInProof: string | null;
  categories: ConsentCategory[];
  now: Date;
};

const maxNameLength = 256;
const maxAttributeLength = 1024;
const maxTagLength = 64;
// Clocks disagree a little; a timestamp a few minutes ahead is skew, not a lie about the future.
const clockSkewMs = 5 * 60 * 1000;

export function parseContactRow(fields: readonly string[], mapping: ColumnMapping, defaults: RowDefaults): ParsedRow | RowRejection {
  if (fields.length !== mapping.fieldCount) {
    return reject('wrong_field_count', `has ${fields.length} fields where the header has ${mapping.fieldCount}`);
  }
  const cell = (index: number | undefined): string => (index === undefined ? '' : (fields[index] ?? '').trim());

  const countryHint = cell(mapping.columns.country).toUpperCase();
  if (countryHint !== '' && !/^[A-Z]{2}$/.test(countryHint)) return reject('bad_country', `country "${countryHint}" is not a two-letter ISO code`);
  const phone = normalizePhone(cell(mapping.columns.phone), countryHint || defaults.defaultCountry);
  if (!phone.ok) return reject(phone.reason === 'not_mobile' ? 'not_mobile' : 'invalid_phone', phone.message);

  const name = cell(mapping.columns.name);
  if (name.length > maxNameLength) return reject('too_long', `name is longer than ${maxNameLength} characters`);

  const languageText = cell(mapping.columns.language);
  const language = languageText === '' ? null : normalizeLanguage(languageText);
  if (language === undefined) return reject('bad_language', `language "${languageText}" is not a language code (e.g. en, pt_BR)`);

  const timeZoneText = cell(mapping.columns.timeZone);
  if (timeZoneText !== '' && validTimeZone(timeZoneText) === null) return reject('bad_time_zone', `time zone "${timeZoneText}" is not an IANA zone (e.g. America/Sao_Paulo)`);

  const attributes: Record<string, string> = {};
  for (const [key, index] of mapping.attributes) {
    const value = cell(index);
    if (value.length > maxAttributeLength) return reject('too_long', `${key} is longer than ${maxAttributeLength} characters`);
    if (value !== '') attributes[key] = value;
  }
  const tags = parseTags(cell(mapping.columns.tags));
  if (tags === null) return reject('too_long', `a tag is longer than ${maxTagLength} characters`);

  const consent = parseConsentCells(cell, mapping, defaults);
  if (!consent.ok) return consent;

  return {
    ok: true,
    contact: {
      phone: phone.e164,
      name: name === '' ? null : name,
      language,
      country: phone.country,
      timeZone: timeZoneText !== '' ? timeZoneText : phone.timeZone,
      timeZoneOverridden: timeZoneText !== '',
      lineType: phone.lineType,
      attributes,
      tags,
    },
    consentEvents: consent.events,
  };
}

function parseConsentCells(cell: (index: number | undefined) => string, mapping: ColumnMapping, defaults: RowDefaults): { ok: true; events: ConsentEvent[] } | RowRejection {
  const categoriesText = cell(mapping.columns.consentCategories);
  const categories = categoriesText === '' ? defaults.categories : parseConsentCategories(categoriesText);
  if (!categories) return reject('bad_categories', `consent categories "${categoriesText}" are not marketing, utility or all`);
  const events: ConsentEvent[] = [];
  for (const kind of ['opt_in', 'opt_out'] as const) {
    const text = cell(kind === 'opt_in' ? mapping.columns.optInAt : mapping.columns.optOutAt);
    if (text === '') continue;
    const occurredAt = parseInstant(text);
    if (!occurredAt) return reject('bad_date', `${kind}_at "${text}" is not an ISO 8601 date (2024-03-01 or 2024-03-01T10:00:00Z)`);
    if (occurredAt.getTime() > defaults.now.getTime() + clockSkewMs) return reject('future_date', `${kind}_at ${text} is in the future`);
    const proof = kind === 'opt_in' ? cell(mapping.columns.optInText) || defaults.optInProof : null;
    // An opt-in is evidence only with the words the person agreed to (whatsapp-rules.md §8.1).
    if (kind === 'opt_in' && !proof) return reject('missing_proof', 'opt-in has no proof text: add an opt_in_text column or pass --opt-in-text');
    const source = (kind === 'opt_in' ? cell(mapping.columns.optInSource) : '') || defaults.optInSource;
    for (const category of categories) events.push({ category, kind, occurredAt, source, proof });
  }
  return { ok: true, events };
}

function parseTags(text: string): string[] | null {
  const tags = [...new Set(text.split(/[,;|]/).map((tag) => tag.trim().toLowerCase()).filter((tag) => tag !== ''))];
  return tags.some((tag) => tag.length > maxTagLength) ? null : tags.sort();
}

function reject(reason: ImportRejectReason, message: string): RowRejection {
  return { ok: false, reason, message };
}
