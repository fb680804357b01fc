// What a dispatcher needs to know about one running campaign, loaded once per supervision tick (not
// per message): the campaign, its sender and rate, its templates' variants as Meta last reported them,
// the rules the decision takes, and the portfolio's messaging limit.

import type { CampaignSpec } from '../domain/campaign-spec.ts';
import { frequencyCapOf, historyWindowMs, quietHoursOf, templatesOf, variableMappingOf } from '../domain/campaign-spec.ts';
import { assumedMessagingLimit } from '../domain/assumed-messaging-limit.ts';
import { campaignRate } from '../domain/pacing.ts';
import type { CampaignRules } from '../domain/send-decision.ts';
import type { TemplateVariant } from '../domain/template-choice.ts';
import type { TemplateCategory } from '../domain/template.ts';
import { findWabaState } from '../store/account-signals.ts';
import type { Campaign } from '../store/campaigns.ts';
import type { Db } from '../store/db.ts';
import { findSenderById, type Sender } from '../store/senders.ts';
import { listStoredTemplates, type StoredTemplate } from '../store/templates.ts';

export type CampaignContext = {
  campaign: Campaign;
  spec: CampaignSpec;
  sender: Sender;
  /** Messages per second this campaign may send from its sender (decision step 9). */
  rate: number;
  /** The rules of each template the campaign sends (one, or one per A/B variant), by template name. */
  rulesByTemplate: Map<string, CampaignRules>;
  category: TemplateCategory;
  /** The portfolio's limit in unique users per 24 h (null: unlimited) and the share Greenlight uses. */
  messagingLimit: { usersPer24h: number | null; safetyMargin: number };
  historyWindowMs: number;
  /** The stored variants behind the rules, for the template breaker. */
  templates: StoredTemplate[];
};

/** Share of Meta's messaging limit Greenlight lets itself use: headroom for sends it cannot see (§1.5). */
export const MESSAGING_LIMIT_SAFETY_MARGIN = 0.9;

export async function loadCampaignContext(db: Db, campaign: Campaign): Promise<CampaignContext> {
  const sender = await findSenderById(db, campaign.senderId);
  if (!sender) throw new Error(`campaign ${campaign.id}: sender ${campaign.senderId} does not exist`);
  const spec = campaign.spec;
  const rulesByTemplate = new Map<string, CampaignRules>();
  const templates: StoredTemplate[] = [];
  let category: TemplateCategory | null = null;
  for (const { template } of templatesOf(spec)) {
    const stored = (await listStoredTemplates(db, { wabaId: sender.wabaId, name: template })).filter((variant) => variant.definition !== null);
    templates.push(...stored);
    const variants: TemplateVariant[] = stored.map((variant) => ({ definition: variant.definition!, status: variant.status, qualityScore: variant.qualityScore }));
    const templateCategory = (stored.find((variant) => variant.category !== null)?.category ?? stored[0]?.definition?.category ?? 'MARKETING').toUpperCase() as TemplateCategory;
    category ??= templateCategory;
    rulesByTemplate.set(template, {
      templateName: template,
      category: templateCategory,
      variants,
      variableMapping: variableMappingOf(spec),
      defaultLanguage: spec.defaultLanguage,
      sessionText: spec.session?.text ?? null,
      quietHours: quietHoursOf(spec),
      fallbackTimeZone: spec.timeZone,
      frequencyCap: frequencyCapOf(spec),
      sendUntil: spec.schedule.sendUntil ? new Date(spec.schedule.sendUntil) : null,
      allowedCountries: spec.countries.allow ?? null,
      blockedCountries: spec.countries.block,
    });
  }
  const waba = await findWabaState(db, sender.wabaId);
  // The WABA's limit as Meta last reported it; else the sender's tier from its last sync; else Meta's
  // starting limit of 250 (§1.2): guessing high could get the portfolio flagged.
  const { usersPer24h } = assumedMessagingLimit(waba, sender.messagingLimitTier);
  return {
    campaign,
    spec,
    sender,
    rate: campaignRate(sender.throughputLevel, sender.throughputShare, spec.rate?.messagesPerSecond ?? null),
    rulesByTemplate,
    category: category ?? 'MARKETING',
    messagingLimit: { usersPer24h, safetyMargin: MESSAGING_LIMIT_SAFETY_MARGIN },
    historyWindowMs: historyWindowMs(spec),
    templates,
  };
}
