// How numbers, money, dates and durations read on every screen: one place, so the campaign page and
// the inbox say "3 h 12 min" the same way.

const numberFormat = new Intl.NumberFormat('en');
const usdFormat = new Intl.NumberFormat('en', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 4 });
const dateTimeFormat = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' });
const timeFormat = new Intl.DateTimeFormat('en', { hour: '2-digit', minute: '2-digit' });
const secondsFormat = new Intl.DateTimeFormat('en', { hour: '2-digit', minute: '2-digit', second: '2-digit' });

export const formatNumber = (value: number | null | undefined) => (value === null || value === undefined ? '—' : numberFormat.format(value));
export const formatUsd = (value: number | null | undefined) => (value === null || value === undefined ? '—' : usdFormat.format(value));
export const formatPercent = (share: number | null | undefined, digits = 1) => (share === null || share === undefined || Number.isNaN(share) ? '—' : `${(share * 100).toFixed(digits)} %`);

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTimeFormat.format(date);
}

export function formatTime(iso: string | null | undefined, withSeconds = false): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : (withSeconds ? secondsFormat : timeFormat).format(date);
}

/** A duration as people say it: "45 s", "12 min", "3 h 12 min", "2 d 4 h". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return 'never';
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** `skipped_no_consent` → "skipped no consent": reason codes stay recognisable but read as words. */
export const humanize = (code: string | null | undefined) => (code ? code.replace(/[_.]+/g, ' ') : '—');
