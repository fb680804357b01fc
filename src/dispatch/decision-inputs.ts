// What the send decision needs to know about a page of contacts, loaded with a few batch statements
// (store/send-context.ts), and one contact's SendDecisionInput assembled from it. The dispatcher uses it
// right before sending, the estimate before launch: one loader, so both decide from the same facts.

import type { Consent } from '../domain/consent.ts';
import type { Contact } from '../domain/contacts.ts';
import type { MessagingBudgetState } from '../domain/messaging-budget.ts';
import type { CampaignRules, SendDecisionInput } from '../domain/send-decision.ts';
import { findContactsByIds } from '../store/contacts.ts';
import type { Db } from '../store/db.ts';
import { loadConsents, loadPortfolioReach, loadRecentMessages, loadServiceWindows, loadSuppressions, type PortfolioReach, type RecentMessage } from '../store/send-context.ts';
import type { CampaignContext } from './campaign-context.ts';

export type DecisionInputs = {
  contacts: Map<number, Contact>;
  /** The portfolio's 24 h reach and which of these contacts are in it; null when the limit is unlimited. */
  reach: PortfolioReach | null;
  /** The contact's recent campaign messages, from every campaign and sender. */
  recentOf(contactId: number): readonly RecentMessage[];
  /** The decision's input for a loaded contact, under the rules of its template and a messaging budget. */
  inputFor(contact: Contact, rules: CampaignRules, messagingBudget: MessagingBudgetState): SendDecisionInput;
};

const NO_CONSENT: Consent = { marketing: { state: 'unknown', since: null, source: null }, utility: { state: 'unknown', since: null, source: null } };

export async function loadDecisionInputs(db: Db, context: CampaignContext, contactIds: readonly number[], at: Date): Promise<DecisionInputs> {
  const [contacts, consents, suppressions, recent, windows, reach] = await Promise.all([
    findContactsByIds(db, contactIds),
    loadConsents(db, contactIds),
    loadSuppressions(db, contactIds, at),
    loadRecentMessages(db, contactIds, new Date(at.getTime() - context.historyWindowMs)),
    loadServiceWindows(db, context.sender.phoneNumberId, contactIds),
    context.messagingLimit.usersPer24h === null ? Promise.resolve(null) : loadPortfolioReach(db, contactIds, at),
  ]);
  const recentOf = (contactId: number) => recent.get(contactId) ?? [];
  return {
    contacts,
    reach,
    recentOf,
    inputFor: (contact, rules, messagingBudget) => ({
      contact,
      consent: consents.get(contact.id) ?? NO_CONSENT,
      suppressions: suppressions.get(contact.id) ?? [],
      campaign: rules,
      recentMessages: recentOf(contact.id),
      serviceWindow: windows.get(contact.id) ?? { lastInboundAt: null, lastReferralAt: null },
      messagingBudget,
    }),
  };
}
