// Submits a template variant to Meta for review. It is linted first: a variant Meta would reject for
// its structure is not sent (a rejection costs a day and counts against the template's history);
// the answer (id, status, the category Meta decided) is stored with the definition.

import { assessTemplate, type TemplateAssessmentReport } from '../domain/template-assessment.ts';
import type { TemplateDefinition } from '../domain/template.ts';
import { AppError } from '../errors.ts';
import type { Clock } from '../lib/clock.ts';
import type { WhatsAppApi } from '../ports.ts';
import type { Db } from '../store/db.ts';
import { recordTemplateSubmission, upsertTemplateDefinition, type StoredTemplate } from '../store/templates.ts';

export type SubmitResult = { template: StoredTemplate; assessment: TemplateAssessmentReport; categoryChanged: boolean };

export async function submitTemplate(deps: { db: Db; clock: Clock; whatsapp: WhatsAppApi }, wabaId: string, definition: TemplateDefinition): Promise<SubmitResult> {
  const assessment = assessTemplate(definition);
  const stored = await upsertTemplateDefinition(deps.db, wabaId, definition, { lintErrors: assessment.errors, lintWarnings: assessment.warnings, spamScore: assessment.spam.score }, deps.clock.now());
  if (assessment.errors > 0) {
    const first = assessment.findings.find((finding) => finding.severity === 'error');
    throw new AppError('TEMPLATE_INVALID', `${definition.name} (${definition.language}) has ${assessment.errors} error(s) Meta would reject, e.g. ${first?.code}: ${first?.message}; run \`greenlight templates lint\` to see them all. Nothing was submitted.`, { details: { findings: assessment.findings } });
  }
  if (stored.metaTemplateId && stored.status && stored.status !== 'REJECTED' && stored.status !== 'DRAFT') {
    throw new AppError('INVALID_STATE', `${definition.name} (${definition.language}) is already at Meta with status ${stored.status}; edit or delete it there, or give the new version another name`);
  }
  const answer = await deps.whatsapp.createTemplate(wabaId, definition);
  const template = await recordTemplateSubmission(deps.db, stored.id, { metaTemplateId: answer.id, status: answer.status, category: answer.category }, deps.clock.now());
  return { template, assessment, categoryChanged: answer.category !== definition.category };
}
