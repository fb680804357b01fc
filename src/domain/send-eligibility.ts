// Decision steps 1–3 for one contact: reachable, consented for the template's category, and allowed by
// the market rules. Pure; each check returns a skip or null ("go on").

import type { Consent, ConsentCategory } from './consent.ts';
import { normalizePhone } from './phone.ts';
import type { SkipReason } from './send-reasons.ts';
import type { TemplateCategory } from './template.ts';
import { isUsNumber, numberCountry } from './us-numbers.ts';
import type { SuppressionReason } from './suppression.ts';

/**
 * An active suppression as store/suppressions.ts lists it (same reason strings; domain/ may not import
 * store/). `until` is null when it lasts until lifted.
 */
export type SuppressionState = { reason: SuppressionReason; until: Date | null };

export type Skip = { kind: 'skip'; reason: SkipReason; detail: string };

const skip = (reason: SkipReason, detail: string): Skip => ({ kind: 'skip', reason, detail });

export const isActive = (suppression: SuppressionState, now: Date): boolean => suppression.until === null || suppression.until.getTime() > now.getTime();

/**
 * Step 1. A number that is not a valid mobile number cannot be a WhatsApp account (phone.ts). 131026
 * (not on WhatsApp) and a block by the business stop every category until lifted (§3.2, §12).
 */
export function checkReachable(phone: string | null, suppressions: readonly SuppressionState[], now: Date): Skip | { kind: 'reachable'; e164: string } {
  if (phone === null || phone.trim() === '') return skip('invalid_number', 'the contact has no phone number');
  const normalized = normalizePhone(phone);
  if (!normalized.ok) return skip(normalized.reason === 'not_mobile' ? 'not_mobile' : 'invalid_number', normalized.message);
  const active = suppressions.filter((suppression) => isActive(suppression, now));
  if (active.some((suppression) => suppression.reason === 'undeliverable')) return skip('suppressed_undeliverable', 'Meta reported this number is not on WhatsApp (131026)');
  if (active.some((suppression) => suppression.reason === 'blocked')) return skip('suppressed_blocked', 'the business blocked this contact');
  if (active.some((suppression) => suppression.reason === 'erased')) return skip('suppressed_erased', 'this number is on the erasure list: the person asked for their data to be erased');
  return { kind: 'reachable', e164: normalized.e164 };
}

/**
 * The consent category a template needs. Authentication codes are transactional messages the person
 * asked for, so they ride on the utility opt-in: the ledger has no third category (consent.ts).
 */
export function consentCategoryOf(category: TemplateCategory): ConsentCategory {
  return category === 'MARKETING' ? 'marketing' : 'utility';
}

/**
 * Step 2. An opt-in for the category must be the latest event: deriveConsent already lets a later
 * opt-out win (§8.2). Marketing also stops while the person has WhatsApp's "stop" marketing preference
 * on (user_preferences or 131050, §8.2): Meta would not deliver it, and sending hurts quality.
 */
export function checkConsent(consent: Consent, suppressions: readonly SuppressionState[], category: TemplateCategory, now: Date): Skip | null {
  const needed = consentCategoryOf(category);
  const current = consent[needed];
  if (current.state === 'opted_out') return skip('opted_out', `the contact opted out of ${needed} messages at ${current.since?.toISOString() ?? 'an unknown time'} (${current.source ?? 'unknown source'})`);
  if (current.state !== 'opted_in') return skip('no_consent', `no ${needed} opt-in is on record (§8.1: opt-in before messaging)`);
  if (category === 'MARKETING' && suppressions.some((suppression) => suppression.reason === 'marketing_stopped' && isActive(suppression, now))) {
    return skip('marketing_stopped', 'the contact stopped marketing messages in WhatsApp (user_preferences / 131050)');
  }
  return null;
}

export type CountryRules = { allowedCountries: readonly string[] | null; blockedCountries: readonly string[] };

/**
 * Step 3. Meta delivers no marketing template to a US number (§8.3), so it is skipped, not sent and
 * billed as a failure; utility and authentication go. The account's country rules (130497) read the
 * country from the number's plan, falling back on the contact's; a country that cannot be told is
 * not on an allow-list.
 */
export function checkMarketRules(e164: string, contactCountry: string | null, category: TemplateCategory, rules: CountryRules): Skip | null {
  if (category === 'MARKETING' && isUsNumber(e164)) return skip('us_marketing', `${e164} is a US number: WhatsApp does not deliver marketing templates to US numbers (§8.3)`);
  const country = (numberCountry(e164) ?? contactCountry)?.toUpperCase() ?? null;
  const listed = (list: readonly string[]) => country !== null && list.some((code) => code.toUpperCase() === country);
  if (listed(rules.blockedCountries)) return skip('country_not_allowed', `the campaign may not message ${country}`);
  if (rules.allowedCountries !== null && !listed(rules.allowedCountries)) {
    return skip('country_not_allowed', `${country ?? 'an unknown country'} is not among the campaign's countries (${rules.allowedCountries.join(', ')})`);
  }
  return null;
}
