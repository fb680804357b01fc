// A stacked bar of where a campaign's messages are: sent, skipped, failed, unknown, cancelled, and the
// rest still to go. Widths are set through the style object (CSSOM), which the strict CSP allows.

export type BarPart = { key: string; label: string; value: number; tone: string };

export function ProgressBar({ parts, total, label }: { parts: BarPart[]; total: number; label: string }) {
  const done = parts.reduce((sum, part) => sum + part.value, 0);
  return (
    <div className="progress" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={total} aria-valuenow={done}>
      {parts
        .filter((part) => part.value > 0 && total > 0)
        .map((part) => (
          <span key={part.key} className={`progress-part tone-${part.tone}`} style={{ width: `${(100 * part.value) / total}%` }} title={`${part.label}: ${part.value}`} />
        ))}
    </div>
  );
}

/** A single-value meter (messaging-limit use). */
export function Meter({ share, label }: { share: number; label: string }) {
  const clamped = Math.max(0, Math.min(1, share));
  const toneName = clamped >= 0.9 ? 'bad' : clamped >= 0.7 ? 'warn' : 'good';
  return (
    <div className="progress meter" role="meter" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(clamped * 100)}>
      <span className={`progress-part tone-${toneName}`} style={{ width: `${clamped * 100}%` }} />
    </div>
  );
}
