// exportCampaignRecipients: one CSV row per recipient of a campaign — what was decided, what Meta said,
// what it cost and whether the person replied, clicked or opted out — streamed page by page so memory
// stays flat for a million recipients. CSV quoting is csv-stringify's; the rows are store/campaign-report.ts'.

import { once } from 'node:events';
import { stringify } from 'csv-stringify/sync';
import { pageCampaignRecipients, type RecipientRow } from '../store/campaign-report.ts';
import { findCampaign } from '../store/campaigns.ts';
import type { Db } from '../store/db.ts';
import { AppError } from '../errors.ts';

export const RECIPIENT_COLUMNS = [
  'phone', 'name', 'dispatch_state', 'status', 'reason', 'detail', 'variant', 'template', 'language', 'via', 'wamid',
  'sent_at', 'status_at', 'error_code', 'cost_usd', 'billable', 'replied', 'clicked', 'opted_out_after',
] as const;

/** About 5,000 rows per query: few round trips, and a page of rows is a few MB at most. */
const PAGE_SIZE = 5_000;

export type CsvSink = NodeJS.WritableStream | ((chunk: string) => void);

/**
 * Writes the header, then every recipient in message order; returns the number of recipients written.
 * A stream's backpressure is respected (the next page waits for 'drain'), so a slow reader never
 * makes the export buffer the campaign in memory.
 */
export async function exportCampaignRecipients(deps: { db: Db }, campaignId: number, out: CsvSink, options: { pageSize?: number } = {}): Promise<number> {
  if (!(await findCampaign(deps.db, campaignId))) throw new AppError('NOT_FOUND', `no campaign ${campaignId}`);
  const pageSize = options.pageSize ?? PAGE_SIZE;
  const write = sinkWriter(out);
  await write(stringify([[...RECIPIENT_COLUMNS]]));
  let written = 0;
  let afterId = 0;
  for (;;) {
    const page = await pageCampaignRecipients(deps.db, campaignId, afterId, pageSize);
    if (page.length === 0) break;
    await write(stringify(page.map(toCsvRecord)));
    written += page.length;
    afterId = page[page.length - 1]!.id;
    if (page.length < pageSize) break;
  }
  return written;
}

function sinkWriter(out: CsvSink): (chunk: string) => Promise<void> {
  if (typeof out === 'function') {
    return (chunk) => {
      out(chunk);
      return Promise.resolve();
    };
  }
  return async (chunk) => {
    if (!out.write(chunk)) await once(out, 'drain');
  };
}

const text = (value: string | number | null): string => (value === null ? '' : String(value));
const instant = (value: Date | null): string => (value === null ? '' : value.toISOString());
const flag = (value: boolean | null): string => (value === null ? '' : value ? 'true' : 'false');

/**
 * A contact's name comes from outside (an import, or the person's own WhatsApp profile name), so one
 * starting with = + - @ or a tab would run as a formula when the file is opened in a spreadsheet
 * (CSV injection). It gets a leading apostrophe, the spreadsheet convention for "this is text". The
 * free-text columns get it too: a detail can start with the contact's number ("+1202… is a US number")
 * and a variant name may start with "-". Phones start with + by design and stay as they are.
 */
export function spreadsheetSafe(value: string | null): string {
  if (value === null) return '';
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function toCsvRecord(row: RecipientRow): string[] {
  return [
    text(row.phone), spreadsheetSafe(row.name), text(row.dispatchState), text(row.status), text(row.reason), spreadsheetSafe(row.detail),
    spreadsheetSafe(row.variant), text(row.template), text(row.language), text(row.via), text(row.wamid),
    instant(row.sentAt), instant(row.statusAt), text(row.errorCode), text(row.costUsd), flag(row.billable),
    flag(row.replied), flag(row.clicked), flag(row.optedOutAfter),
  ];
}
