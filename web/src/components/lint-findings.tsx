// A template's lint findings and spam score, inline where the template is shown or about to be sent:
// errors (Meta would reject it) first, then warnings, each with where it is.

import type { LintFinding } from '../api-types.ts';
import { Badge } from './badges.tsx';

function where(finding: LintFinding): string | null {
  if (finding.path) return finding.path;
  if (finding.location && typeof finding.location === 'object') {
    const location = finding.location as Record<string, unknown>;
    return Object.values(location).filter((value) => typeof value === 'string' || typeof value === 'number').join(' ');
  }
  return null;
}

export function LintFindings({ findings, spam }: { findings: LintFinding[]; spam?: { score: number; level?: string; verdict?: string } | null }) {
  const sorted = [...findings].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  return (
    <div className="lint">
      {spam ? (
        <p className="lint-spam">
          Spam risk <strong>{spam.score}</strong>/100 <Badge value={spam.score >= 60 ? 'RED' : spam.score >= 25 ? 'YELLOW' : 'GREEN'} label={spam.level ?? spam.verdict ?? (spam.score >= 60 ? 'high' : spam.score >= 25 ? 'medium' : 'low')} />
        </p>
      ) : null}
      {sorted.length === 0 ? (
        <p className="lint-clean">No lint findings: nothing Meta would reject.</p>
      ) : (
        <ul className="lint-list">
          {sorted.map((finding, index) => (
            <li key={index} className={`lint-item lint-${finding.severity}`}>
              <Badge value={finding.severity} />
              <span className="lint-message">{finding.message}</span>
              <span className="lint-where">{[finding.rule ?? finding.code, where(finding)].filter(Boolean).join(' · ')}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
