// Decision step 4: the template variant a contact gets, through the language fallback chain, and
// whether Meta lets it be sent (status, quality, category). Pure.

import type { Skip } from './send-eligibility.ts';
import type { TemplateCategory, TemplateDefinition } from './template.ts';
import { resolveTemplateLanguage } from './template-render.ts';

/** One language variant of the campaign's template with what Meta last said about it (§4.1). */
export type TemplateVariant = { definition: TemplateDefinition; status: string | null; qualityScore: string | null };

// Variants Meta approved at some point: a paused or disabled one is still the variant meant for its language.
const ONCE_APPROVED = new Set(['APPROVED', 'PAUSED', 'DISABLED']);

const upper = (text: string | null) => text?.toUpperCase() ?? null;

/**
 * The variant is chosen among those Meta approved at some point, so a paused pt_BR variant skips a
 * pt_BR contact (template_paused) instead of quietly sending them the English one: a pause means
 * people reported the template (§4.1 pausing), and the breaker pauses the campaign on it anyway.
 * RED quality skips too: the next step is a pause (§4.1). A variant whose category Meta changed since
 * the campaign was set up skips: steps 2 and 3 checked consent and market rules for the old category.
 */
export function chooseTemplateVariant(contactLanguage: string | null, defaultLanguage: string, category: TemplateCategory, variants: readonly TemplateVariant[]): Skip | { kind: 'variant'; variant: TemplateVariant } {
  const candidates = variants.filter((variant) => ONCE_APPROVED.has(upper(variant.status) ?? ''));
  const choice = resolveTemplateLanguage(contactLanguage, defaultLanguage, candidates.map((variant) => ({ language: variant.definition.language, status: 'APPROVED' })));
  const variant = choice === null ? undefined : candidates.find((candidate) => candidate.definition.language === choice.language);
  if (variant === undefined) {
    const known = variants.map((candidate) => `${candidate.definition.language}: ${candidate.status ?? 'not submitted'}`).join(', ');
    return { kind: 'skip', reason: 'no_approved_template', detail: `no approved variant for ${contactLanguage ?? 'an unknown language'} or the default ${defaultLanguage} (${known || 'no variants'})` };
  }
  const { language } = variant.definition;
  const status = upper(variant.status);
  if (status === 'PAUSED') return { kind: 'skip', reason: 'template_paused', detail: `Meta paused the ${language} variant for low quality` };
  if (status === 'DISABLED') return { kind: 'skip', reason: 'template_disabled', detail: `Meta disabled the ${language} variant` };
  if (upper(variant.qualityScore) === 'RED') return { kind: 'skip', reason: 'template_red', detail: `the ${language} variant's quality is RED` };
  if (variant.definition.category !== category) {
    return { kind: 'skip', reason: 'category_changed', detail: `the ${language} variant is now ${variant.definition.category}; the campaign was checked as ${category}` };
  }
  return { kind: 'variant', variant };
}
