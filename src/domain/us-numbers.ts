// Whether a phone number is a United States number for Meta's US marketing pause (whatsapp-rules.md §8.3:
// "+1 and a US area code"). Pure: libphonenumber's numbering-plan metadata, the same phone.ts reads.

import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

// +1 is shared by the whole North American Numbering Plan. libphonenumber assigns each area code its
// country (US, CA, and the Caribbean members such as JM or DO), which is the area-code map §8.3 asks
// for, kept current by the library instead of by hand. US territories dial US area codes inside the
// US plan (787/939 Puerto Rico, 340 US Virgin Islands, 671 Guam, 684 American Samoa, 670 Northern
// Marianas), and Meta does not exempt them, so they count as US: when in doubt, do not send marketing.
const US_AREA_CODE_COUNTRIES: ReadonlySet<string> = new Set(['US', 'PR', 'VI', 'GU', 'AS', 'MP']);

/**
 * True for a +1 number whose area code is in the US or a US territory, and for a +1 number whose
 * area code libphonenumber cannot place (conservative: §8.3 says Meta does not deliver these, and a
 * number Meta places in the US would fail silently). False for Canada, the Caribbean and other codes.
 */
export function isUsNumber(e164: string): boolean {
  const digits = e164.replace(/\D/g, '');
  if (!digits.startsWith('1')) return false;
  const country = parsePhoneNumberFromString(`+${digits}`)?.country;
  return country === undefined || US_AREA_CODE_COUNTRIES.has(country);
}

/** The ISO 3166-1 country of a number by its numbering plan (+44 7911… → GB), or null when the plan cannot tell. */
export function numberCountry(e164: string): string | null {
  return parsePhoneNumberFromString(e164.startsWith('+') ? e164 : `+${e164.replace(/\D/g, '')}`)?.country ?? null;
}
