// Submits a template variant to Meta for review. It is linted first: a variant Meta would reject for
// its structure is not sent (a rejection costs a day and counts against the template's history);
// the answer (id, status, the category Meta decided) is stored with the definition.

import { assessTemplate, type TemplateAssessmentReport } from '../domain/template-assessment.ts';
import type { TemplateDefinition } from '../domain/template.ts';
import { AppError } from '../errors.ts';
import type { Clock } from '../lib/clock.ts';
import type { WhatsAppApi } from '../ports.ts';
import type { Db } from '../store/db.ts';
import { listStoredTemplates, recordTemplateSubmission, upsertTemplateDefinition, type StoredTemplate } from '../store/templates.ts';

export type SubmitResult = { template: StoredTemplate; assessment: TemplateAssessmentReport; categoryChanged: boolean };

export async function submitTemplate(deps: { db: Db; clock: Clock; whatsapp: WhatsAppApi }, wabaId: string, definition: TemplateDefinition): Promise<SubmitResult> {
  const assessment = assessTemplate(definition);
  // Refuse before saving: a variant Meta already has must keep the definition Meta has (sync compares them).
  const existing = (await listStoredTemplates(deps.db, { wabaId, name: definition.name })).find((variant) => variant.language === definition.language);
  if (existing?.metaTemplateId) refuseResubmission(existing);
  const stored = await upsertTemplateDefinition(deps.db, wabaId, definition, { lintErrors: assessment.errors, lintWarnings: assessment.warnings, spamScore: assessment.spam.score }, deps.clock.now());
  if (assessment.errors > 0) {
    const first = assessment.findings.find((finding) => finding.severity === 'error');
    throw new AppError('TEMPLATE_INVALID', `${definition.name} (${definition.language}) has ${assessment.errors} error(s) Meta would reject, e.g. ${first?.code}: ${first?.message}; run \`greenlight templates lint\` to see them all. Nothing was submitted.`, { details: { findings: assessment.findings } });
  }
  const answer = await deps.whatsapp.createTemplate(wabaId, definition);
  const template = await recordTemplateSubmission(deps.db, stored.id, { metaTemplateId: answer.id, status: answer.status, category: answer.category }, deps.clock.now());
  return { template, assessment, categoryChanged: answer.category !== definition.category };
}

/** Meta keeps one variant per name and language, even rejected or deleted ones (§4.2, §4.5). */
function refuseResubmission(variant: StoredTemplate): never {
  const which = `${variant.name} (${variant.language})`;
  if (variant.status === 'DELETED') throw new AppError('INVALID_STATE', `${which} was deleted at Meta; Meta does not let a deleted approved name be reused for 30 days, so give the new version another name`);
  if (variant.status === 'REJECTED') throw new AppError('INVALID_STATE', `${which} was rejected and Meta still has it: delete it with \`greenlight templates delete ${variant.name} --language ${variant.language}\`, then submit again`);
  throw new AppError('INVALID_STATE', `${which} is already at Meta with status ${variant.status ?? 'unknown'}; give the new version another name, or delete the old one first`);
}
