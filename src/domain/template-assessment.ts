// Everything Greenlight says about a template before Meta sees it: Meta's structural rules (errors
// block submission) and the spam-risk score (advice). Pure.

import type { LintFinding, TemplateDefinition } from './template.ts';
import { lintTemplate } from './template-lint.ts';
import { assessSpamRisk } from './template-spam-risk.ts';

export type TemplateAssessmentReport = {
  findings: LintFinding[];
  errors: number;
  warnings: number;
  spam: ReturnType<typeof assessSpamRisk>;
};

export function assessTemplate(template: TemplateDefinition): TemplateAssessmentReport {
  const findings = lintTemplate(template);
  return {
    findings,
    errors: findings.filter((finding) => finding.severity === 'error').length,
    warnings: findings.filter((finding) => finding.severity === 'warning').length,
    spam: assessSpamRisk(template),
  };
}
