// lintCampaignTemplates: Meta's rules (domain/template-lint.ts) run on the template variants a campaign
// will really send — each of its templates (A/B variants too) in every language the fallback chain
// picks for its audience (decision step 4, §4.4) — so the estimate shows what could still be refused.

import { templatesOf } from '../domain/campaign-spec.ts';
import { resolveTemplateLanguage } from '../domain/template-render.ts';
import { lintTemplate } from '../domain/template-lint.ts';
import type { LintFinding } from '../domain/template.ts';
import { AppError } from '../errors.ts';
import { listAudienceLanguages } from '../store/audience-languages.ts';
import { findCampaign } from '../store/campaigns.ts';
import type { Db } from '../store/db.ts';
import { findSenderById } from '../store/senders.ts';
import { listStoredTemplates } from '../store/templates.ts';
import { resolveAudience } from './create-campaign.ts';

export type TemplateVariantLint = { template: string; language: string; findings: LintFinding[] };

export async function lintCampaignTemplates(deps: { db: Db }, campaignId: number): Promise<TemplateVariantLint[]> {
  const campaign = await findCampaign(deps.db, campaignId);
  if (!campaign) throw new AppError('NOT_FOUND', `no campaign ${campaignId}`);
  const { spec } = campaign;
  const sender = await findSenderById(deps.db, campaign.senderId);
  const languages = await listAudienceLanguages(deps.db, await resolveAudience(deps.db, spec.audience));
  const lint: TemplateVariantLint[] = [];
  for (const { template } of templatesOf(spec)) {
    const variants = (await listStoredTemplates(deps.db, { wabaId: sender?.wabaId ?? null, name: template })).filter((variant) => variant.definition !== null);
    // Before Meta approves any variant, the drafts stand in as if approved (as the template preview does).
    const anyApproved = variants.some((variant) => variant.status?.toUpperCase() === 'APPROVED');
    const candidates = variants.map((variant) => ({ language: variant.language, status: anyApproved ? variant.status : 'APPROVED' }));
    const used = new Set(languages.map((language) => resolveTemplateLanguage(language, spec.defaultLanguage, candidates)?.language));
    for (const variant of variants) {
      if (variant.definition && used.has(variant.language)) lint.push({ template, language: variant.language, findings: lintTemplate(variant.definition) });
    }
  }
  return lint;
}
