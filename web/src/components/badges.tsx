// Small coloured labels for states people scan for: a campaign's state, a sender's or template's
// quality rating, a template's review status and a contact's consent.

const tone: Record<string, string> = {
  draft: 'neutral', scheduled: 'info', running: 'good', paused: 'warn', completed: 'done', cancelled: 'neutral',
  GREEN: 'good', YELLOW: 'warn', RED: 'bad', UNKNOWN: 'neutral',
  APPROVED: 'good', PENDING: 'info', REJECTED: 'bad', PAUSED: 'warn', DISABLED: 'bad', IN_APPEAL: 'info',
  opted_in: 'good', opted_out: 'bad', unknown: 'neutral', none: 'neutral',
  error: 'bad', warning: 'warn', open: 'good', closed: 'neutral',
};

export function Badge({ value, label, title }: { value: string | null | undefined; label?: string; title?: string }) {
  const text = label ?? (value ?? 'unknown').replace(/_/g, ' ').toLowerCase();
  return (
    <span className={`badge badge-${tone[value ?? ''] ?? 'neutral'}`} title={title}>
      {text}
    </span>
  );
}
