// The JSON the API gives for templates and their lint: a stored variant as the dashboard lists it (with
// the definition in Meta's own file format, §4.5), and lint and spam findings with a path an editor can
// point at.

import type { TemplateAssessmentReport } from '../../domain/template-assessment.ts';
import { toTemplateJson } from '../../domain/template-json.ts';
import type { SpamAssessment } from '../../domain/template-spam-risk.ts';
import type { LintFinding, TemplateLocation } from '../../domain/template.ts';
import type { StoredTemplate } from '../../store/templates.ts';

export function templateJson(variant: StoredTemplate) {
  const definition = variant.definition ? toTemplateJson(variant.definition) : null;
  return {
    name: variant.name, language: variant.language, category: variant.category, status: variant.status,
    qualityScore: variant.qualityScore, rejectedReason: variant.rejectionReason, pendingCategory: variant.pendingCategory, wabaId: variant.wabaId,
    components: definition?.components ?? [],
    ...(definition ? { definition } : {}),
    lint: { errors: variant.lintErrors, warnings: variant.lintWarnings, spamScore: variant.spamScore },
    updatedAt: variant.updatedAt,
  };
}

/** "body", "header", "buttons[1].url", "name": where in the template the finding is; `range` is [start, end) in that text. */
export function locationPath(location: TemplateLocation): string {
  if (location.component === 'button') return `buttons[${location.index}]${location.field ? `.${location.field}` : ''}`;
  return location.component;
}

export function findingJson(finding: LintFinding) {
  const range = 'range' in finding.location ? finding.location.range : undefined;
  return { severity: finding.severity, rule: finding.code, message: finding.message, path: locationPath(finding.location), ...(range ? { range } : {}) };
}

export function spamJson(spam: SpamAssessment) {
  return { score: spam.score, level: spam.verdict, reasons: spam.findings.map((finding) => ({ ...findingJson(finding), points: finding.points })) };
}

/** `ok`: nothing Meta would reject (warnings and spam risk are advice). */
export function assessmentJson(assessment: TemplateAssessmentReport) {
  return { ok: assessment.errors === 0, findings: assessment.findings.map(findingJson), spam: spamJson(assessment.spam) };
}
