// decideSend: the answer for one message now, send / defer until T / skip, following product.md's
// "decision every message goes through". Pure: callers pass `now` and everything known; no I/O.
// Steps 9 (pacing) and 11 (budget) need state shared between sends, so the dispatcher owns them.

import type { Consent } from './consent.ts';
import type { Contact } from './contacts.ts';
import type { FrequencyCap, SentCampaignMessage } from './frequency-cap.ts';
import { decideFrequency } from './frequency-cap.ts';
import type { MessagingBudgetState } from './messaging-budget.ts';
import { decideMessagingLimit } from './messaging-budget.ts';
import type { QuietHours } from './quiet-hours.ts';
import { nextAllowedForContact } from './quiet-hours.ts';
import type { CountryRules, SuppressionState } from './send-eligibility.ts';
import { checkConsent, checkMarketRules, checkReachable, isActive } from './send-eligibility.ts';
import type { DeferReason, SkipReason } from './send-reasons.ts';
import type { MessagePricing, ServiceWindowState } from './service-window.ts';
import { isServiceWindowOpen, decideMessagePricing } from './service-window.ts';
import type { TemplateVariant } from './template-choice.ts';
import { chooseTemplateVariant } from './template-choice.ts';
import type { TemplateCategory } from './template.ts';
import type { RenderedTemplate } from './template-render.ts';
import { renderTemplate } from './template-render.ts';
import type { VariableMapping } from './template-variable-mapping.ts';

/** What a campaign asks of each of its messages. */
export type CampaignRules = CountryRules & {
  templateName: string;
  category: TemplateCategory;
  variants: readonly TemplateVariant[];
  variableMapping: VariableMapping;
  defaultLanguage: string;
  /** Free-form text sent instead of the template inside an open service window; null: always the template. */
  sessionText: string | null;
  /** Null: no quiet hours. */
  quietHours: QuietHours | null;
  /** The zone quiet hours are read in when neither the contact nor its country gives one (the business's own). */
  fallbackTimeZone: string;
  frequencyCap: FrequencyCap | null;
  /** The last moment the campaign may send; null: no end. */
  sendUntil: Date | null;
};

export type SendDecisionInput = {
  contact: Contact;
  consent: Consent;
  /** Active suppressions of the contact (store/suppressions.ts listActiveSuppressions). */
  suppressions: readonly SuppressionState[];
  campaign: CampaignRules;
  /** The contact's campaign messages that reached Meta, from every campaign, at least as far back as the longest frequency window. */
  recentMessages: readonly SentCampaignMessage[];
  /** The contact's window with the campaign's sender. */
  serviceWindow: ServiceWindowState;
  messagingBudget: MessagingBudgetState;
};

type SendCommon = { language: string; template: RenderedTemplate; pricing: MessagePricing; countsAgainstMessagingLimit: boolean };

/**
 * `template` is always rendered, even for a session send: if the window closes before the send, Meta
 * answers 131047 and the dispatcher sends the template instead (§12). `countsAgainstMessagingLimit`:
 * the dispatcher adds the contact to the portfolio's 24 h set when the send goes out.
 */
export type SendDecision =
  | (SendCommon & { kind: 'send'; via: 'template' })
  | (SendCommon & { kind: 'send'; via: 'session'; text: string })
  | { kind: 'defer'; until: Date; reason: DeferReason; detail: string }
  | { kind: 'skip'; reason: SkipReason; detail: string };

/**
 * Steps in product.md's order; skips (steps 1–6) come before defers, so a message that can never go
 * does not wait first. The first defer is the answer: at `until` the message is decided again, and a
 * later step may defer it further (quiet hours after a minimum gap, say).
 */
export function decideSend(input: SendDecisionInput, now: Date): SendDecision {
  const { contact, campaign } = input;
  const reachable = checkReachable(contact.phone, input.suppressions, now);
  if (reachable.kind === 'skip') return reachable;
  const ineligible = checkConsent(input.consent, input.suppressions, campaign.category, now) ?? checkMarketRules(reachable.e164, contact.country, campaign.category, campaign);
  if (ineligible !== null) return ineligible;
  const chosen = chooseTemplateVariant(contact.language, campaign.defaultLanguage, campaign.category, campaign.variants);
  if (chosen.kind === 'skip') return chosen;
  // Step 5: every variable filled and sanitised, the hydrated body within 1,024 characters (§4.3).
  const rendered = renderTemplate(chosen.variant.definition, contact, campaign.variableMapping);
  if (!rendered.ok) return { kind: 'skip', reason: rendered.reason, detail: rendered.variable === null ? rendered.message : `${rendered.variable}: ${rendered.message}` };
  const waiting = decideWaits(input, now);
  if (waiting !== null) return waiting;
  return chooseSessionOrTemplate(input, chosen.variant.definition.language, rendered, now);
}

/** Steps 6–8, the checks that may make a message wait. */
function decideWaits(input: SendDecisionInput, now: Date): SendDecision | null {
  const { campaign, contact } = input;
  const frequency = decideFrequency(input.recentMessages, campaign, campaign.frequencyCap, campaign.sendUntil, now);
  if (frequency.kind === 'skip') return frequency;
  const metaCap = metaMarketingCap(input, now);
  if (metaCap !== null) return metaCap;
  if (frequency.kind === 'defer') return frequency;
  if (campaign.quietHours !== null) {
    const allowedAt = nextAllowedForContact(now, contact, campaign.quietHours, campaign.fallbackTimeZone);
    if (allowedAt.getTime() > now.getTime()) {
      const { startHour, endHour } = campaign.quietHours;
      return { kind: 'defer', until: allowedAt, reason: 'quiet_hours', detail: `quiet hours ${startHour}:00–${endHour}:00 in ${contact.timeZone ?? `the contact's country (${contact.country ?? 'unknown'})`}` };
    }
  }
  const budget = decideMessagingLimit(input.messagingBudget, isServiceWindowOpen(input.serviceWindow, now), now);
  return budget.kind === 'defer' ? { kind: 'defer', until: budget.until, reason: 'messaging_limit', detail: budget.detail } : null;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Meta's per-user marketing cap answered 131049 on an earlier attempt: Meta asks for ≥24 h before the
 * next, and retrying sooner can block the user for up to 24 h (§8.3). The suppression carries that time.
 */
function metaMarketingCap(input: SendDecisionInput, now: Date): SendDecision | null {
  if (input.campaign.category !== 'MARKETING') return null;
  const held = input.suppressions.find((suppression) => suppression.reason === 'marketing_cap' && isActive(suppression, now));
  if (held === undefined) return null;
  const until = held.until ?? new Date(now.getTime() + DAY_MS);
  return { kind: 'defer', until, reason: 'marketing_cap', detail: "Meta's per-user marketing cap held the last attempt (131049); the next one waits 24 h" };
}

/**
 * Step 10. Inside an open window (less its safety margin, service-window.ts) a campaign with a session
 * variant sends its free-form text; outside, the template. From 2026-10-01 both are charged (§7.2), so
 * the choice is about what the person sees, and pricing says what each costs.
 */
function chooseSessionOrTemplate(input: SendDecisionInput, language: string, template: RenderedTemplate, now: Date): SendDecision {
  const { campaign, serviceWindow } = input;
  const insideWindow = isServiceWindowOpen(serviceWindow, now);
  const countsAgainstMessagingLimit = !insideWindow && !input.messagingBudget.contactAlreadyCounted;
  if (insideWindow && campaign.sessionText !== null) {
    return { kind: 'send', via: 'session', text: campaign.sessionText, language, template, pricing: decideMessagePricing('session', campaign.category, serviceWindow, now), countsAgainstMessagingLimit };
  }
  return { kind: 'send', via: 'template', language, template, pricing: decideMessagePricing('template', campaign.category, serviceWindow, now), countsAgainstMessagingLimit };
}
