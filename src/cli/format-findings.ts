// Prints lint findings and the spam-risk score the way a marketer reads them: what, where, how to fix.

import type { TemplateAssessmentReport } from '../domain/template-assessment.ts';
import type { LintFinding, TemplateLocation } from '../domain/template.ts';

export function formatLocation(location: TemplateLocation): string {
  if (location.component === 'button') return `button ${location.index + 1}${location.field ? ` ${location.field}` : ''}${location.range ? ` chars ${location.range[0]}–${location.range[1]}` : ''}`;
  if ('range' in location && location.range) return `${location.component} chars ${location.range[0]}–${location.range[1]}`;
  return location.component;
}

function formatFinding(finding: LintFinding & { points?: number }): string {
  const points = finding.points !== undefined ? ` (+${finding.points})` : '';
  return `  ${finding.severity === 'error' ? 'error  ' : 'warning'}  ${finding.code}${points}  [${formatLocation(finding.location)}]\n           ${finding.message}`;
}

export function formatAssessment(title: string, report: TemplateAssessmentReport): string {
  const lines = [`${title}: ${report.errors} error(s), ${report.warnings} warning(s); spam risk ${report.spam.score}/100 (${report.spam.verdict})`];
  if (report.findings.length > 0) lines.push('', 'Meta’s rules:', ...report.findings.map(formatFinding));
  if (report.spam.findings.length > 0) lines.push('', 'What makes people block and report (advice):', ...report.spam.findings.map(formatFinding));
  return `${lines.join('\n')}\n`;
}
