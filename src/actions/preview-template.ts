// Shows a template as one contact would receive it: the language the fallback chain picks for them
// (only APPROVED variants, unless none is approved yet), filled from their data, sanitised.

import { normalizePhone } from '../domain/phone.ts';
import { planPreviewMapping } from '../domain/preview-mapping.ts';
import { renderTemplate, resolveTemplateLanguage } from '../domain/template-render.ts';
import { AppError } from '../errors.ts';
import { findContactByPhone } from '../store/contacts.ts';
import type { Db } from '../store/db.ts';
import { listStoredTemplates } from '../store/templates.ts';

export type TemplatePreview = { name: string; language: string; via: string; status: string | null; preview: string; hydratedBodyLength: number };

export async function previewTemplate(deps: { db: Db }, input: { name: string; phone: string; defaultLanguage?: string; variables?: Record<string, string> }): Promise<TemplatePreview> {
  const phone = normalizePhone(input.phone);
  if (!phone.ok) throw new AppError('INVALID_PHONE', phone.message);
  const contact = await findContactByPhone(deps.db, phone.e164);
  if (!contact) throw new AppError('NOT_FOUND', `no contact with phone ${phone.e164}`);
  const variants = (await listStoredTemplates(deps.db, { name: input.name })).filter((variant) => variant.definition !== null);
  if (variants.length === 0) throw new AppError('NOT_FOUND', `no template called ${input.name} with a definition (submit or sync it first)`);
  const campaignDefault = input.defaultLanguage ?? variants[0]?.language ?? 'en';
  // Before Meta approves anything, preview the drafts as if approved, and say so.
  const anyApproved = variants.some((variant) => variant.status === 'APPROVED');
  const candidates = variants.map((variant) => ({ language: variant.language, status: anyApproved ? variant.status : 'APPROVED' }));
  const choice = resolveTemplateLanguage(contact.language, campaignDefault, candidates);
  if (!choice) throw new AppError('NOT_FOUND', `${input.name} has no APPROVED variant for ${contact.language ?? 'this contact'} nor for ${campaignDefault}`);
  const variant = variants.find((candidate) => candidate.language === choice.language);
  if (!variant?.definition) throw new Error(`variant ${choice.language} vanished`);
  const rendered = renderTemplate(variant.definition, contact, planPreviewMapping(variant.definition, input.variables));
  if (!rendered.ok) throw new AppError('INVALID_INPUT', `${input.name} cannot be filled for ${phone.e164}: ${rendered.message}`);
  return { name: input.name, language: choice.language, via: anyApproved ? choice.via : `${choice.via} (no variant approved yet)`, status: variant.status, preview: rendered.preview, hydratedBodyLength: rendered.hydratedBodyLength };
}
