// previewTemplateBubble: a template as a chat bubble (header, body, footer, buttons) for the dashboard —
// filled from one contact's data when a contact is given, else from the template's own examples — and
// which variables showed an example because nothing else had a value. Writes nothing.

import type { Contact } from '../domain/contacts.ts';
import { normalizeLanguage } from '../domain/language.ts';
import { planPreviewMapping } from '../domain/preview-mapping.ts';
import { renderTemplate, resolveTemplateLanguage, type RenderedParts } from '../domain/template-render.ts';
import { formattingContext, resolveVariable, type VariableMapping } from '../domain/template-variable-mapping.ts';
import type { TemplateDefinition } from '../domain/template.ts';
import { AppError } from '../errors.ts';
import { findContactsByIds } from '../store/contacts.ts';
import type { Db } from '../store/db.ts';
import { listStoredTemplates, type StoredTemplate } from '../store/templates.ts';

export type PreviewBubble = {
  header: { type: 'text' | 'image' | 'video' | 'document' | 'location'; text?: string } | null;
  body: string;
  footer: string | null;
  buttons: Array<{ type: string; text: string }>;
};

export type BubblePreview = { name: string; language: string; status: string | null; bubble: PreviewBubble; missing: string[] };

export type BubblePreviewInput = { name: string; language?: string; contactId?: number; variables?: Record<string, string> };

/** Nobody in particular: every variable falls back to the template's example. */
const NOBODY: Contact = {
  id: 0, phone: null, waId: null, businessUserId: null, name: null, language: null, country: null, timeZone: null,
  timeZoneOverridden: false, lineType: null, attributes: {}, tags: [], createdAt: new Date(0), updatedAt: new Date(0),
};

export async function previewTemplateBubble(deps: { db: Db }, input: BubblePreviewInput): Promise<BubblePreview> {
  const variants = (await listStoredTemplates(deps.db, { name: input.name })).filter((variant) => variant.definition !== null);
  if (variants.length === 0) throw new AppError('NOT_FOUND', `no template called ${input.name} with a definition (submit or sync it first)`);
  const contact = input.contactId === undefined ? null : (await findContactsByIds(deps.db, [input.contactId])).get(input.contactId);
  if (contact === undefined) throw new AppError('NOT_FOUND', `no contact ${input.contactId}`);
  const variant = chooseVariant(variants, input, contact);
  const definition = variant.definition!;
  const subject = contact ?? NOBODY;
  const mapping = planPreviewMapping(definition, input.variables);
  const rendered = renderTemplate(definition, subject, mapping);
  if (!rendered.ok) throw new AppError('INVALID_INPUT', `${input.name} cannot be filled: ${rendered.message}`, { details: { field: 'variables' } });
  return { name: input.name, language: variant.language, status: variant.status, bubble: bubbleOf(definition, rendered.parts), missing: missingVariables(definition, mapping, subject) };
}

/** The language asked for; else the one a campaign would pick for the contact (only APPROVED variants, unless none is yet). */
function chooseVariant(variants: readonly StoredTemplate[], input: BubblePreviewInput, contact: Contact | null): StoredTemplate {
  if (input.language !== undefined) {
    const wanted = normalizeLanguage(input.language) ?? input.language;
    const exact = variants.find((variant) => variant.language === wanted);
    if (!exact) throw new AppError('NOT_FOUND', `${input.name} has no ${input.language} variant (it has ${variants.map((variant) => variant.language).join(', ')})`);
    return exact;
  }
  const anyApproved = variants.some((variant) => variant.status === 'APPROVED');
  const candidates = variants.map((variant) => ({ language: variant.language, status: anyApproved ? variant.status : 'APPROVED' }));
  const choice = resolveTemplateLanguage(contact?.language ?? null, variants[0]!.language, candidates);
  const chosen = choice && variants.find((variant) => variant.language === choice.language);
  if (!chosen) throw new AppError('NOT_FOUND', `${input.name} has no APPROVED variant for ${contact?.language ?? 'this preview'}`);
  return chosen;
}

function bubbleOf(definition: TemplateDefinition, parts: RenderedParts): PreviewBubble {
  const header = definition.header;
  return {
    header: header === null ? null : header.format === 'TEXT' ? { type: 'text', text: parts.header ?? '' } : { type: header.format === 'LOCATION' ? 'location' : (header.format.toLowerCase() as 'image' | 'video' | 'document') },
    body: parts.body,
    footer: parts.footer,
    buttons: definition.buttons.map((button, index) => ({ type: button.type, text: parts.buttons[index] ?? '' })),
  };
}

/** Variables (by the name `variables` takes) that neither the contact nor `variables` filled: they show the example. */
function missingVariables(definition: TemplateDefinition, mapping: VariableMapping, contact: Contact): string[] {
  const context = formattingContext(definition.language, contact);
  const header = definition.header?.format === 'TEXT' ? Object.keys(definition.header.examples)[0] : undefined;
  const bindings = [...Object.entries(mapping.body), ...(header !== undefined && mapping.header ? [[header, mapping.header] as const] : [])];
  const missing = bindings.filter(([name, binding]) => !resolveVariable(name, { ...binding, fallback: '' }, contact, context).ok).map(([name]) => name);
  return [...new Set(missing)];
}
