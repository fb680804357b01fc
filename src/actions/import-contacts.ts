// Imports contacts (and their opt-ins and opt-outs) from a CSV stream: parse, validate each row, upsert
// in batches. The whole import is one transaction, so a malformed file writes nothing; bad rows are
// reported with their line and never stop good rows. Memory stays flat: rows are never all in memory.

import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CsvError, parse } from 'csv-parse';
import type { ConsentCategory } from '../domain/consent.ts';
import { parseContactRow, type ImportRejectReason, type RowDefaults } from '../domain/contact-import-row.ts';
import type { ContactInput } from '../domain/contacts.ts';
import { detectDelimiter, planColumnMapping, type ColumnMapping, type ImportField } from '../domain/import-columns.ts';
import { AppError } from '../errors.ts';
import type { Clock } from '../lib/clock.ts';
import { insertConsentEventsByPhone, type ConsentEventForPhone } from '../store/consent-events.ts';
import { upsertContacts } from '../store/contacts.ts';
import type { Db } from '../store/db.ts';

export type ImportOptions = {
  fileName: string;
  columnOverrides?: Partial<Record<ImportField, string>>;
  defaultCountry?: string | null;
  delimiter?: string;
  optInSource?: string;
  optInProof?: string | null;
  categories?: ConsentCategory[];
  /** Validate and count everything, then roll back: the report of a real import, with nothing written. */
  dryRun?: boolean;
  onProgress?: (progress: ImportProgress) => void;
  onReject?: (rejection: RowRejectionReport) => void;
};

export type ImportProgress = { rowsRead: number; bytesRead: number };
export type RowRejectionReport = { line: number; reason: ImportRejectReason; message: string };

export type ImportSummary = {
  fileName: string;
  dryRun: boolean;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  consentEventsRecorded: number;
  rejectedByReason: Partial<Record<ImportRejectReason, number>>;
  /** The first rejected rows (up to maxRejectionsKept); `rejected` counts them all. */
  rejections: RowRejectionReport[];
  durationMs: number;
};

// 1,000 rows per statement: large enough that round trips stop mattering, small enough that one
// statement's JSON stays well under a megabyte.
const batchSize = 1000;
const maxRecordBytes = 64 * 1024;
export const maxRejectionsKept = 1000;

type Deps = { db: Db; clock: Clock };

export async function importContacts(deps: Deps, input: Readable, options: ImportOptions): Promise<ImportSummary> {
  const startedAt = performance.now();
  const { delimiter, stream } = await prepareCsvStream(input, options.delimiter);
  const parser = parse({ delimiter, bom: true, relax_column_count: true, skip_empty_lines: true, info: true, max_record_size: maxRecordBytes });
  const now = deps.clock.now();
  const defaults: RowDefaults = {
    defaultCountry: options.defaultCountry ?? null,
    optInSource: options.optInSource ?? `csv-import:${options.fileName}`,
    optInProof: options.optInProof ?? null,
    categories: options.categories ?? ['marketing', 'utility'],
    now,
  };
  const summary: ImportSummary = { fileName: options.fileName, dryRun: options.dryRun === true, rows: 0, created: 0, updated: 0, unchanged: 0, rejected: 0, consentEventsRecorded: 0, rejectedByReason: {}, rejections: [], durationMs: 0 };
  try {
    await deps.db.transaction(async (tx) => {
      // pipeline() tears both streams down on any error, so nothing is left reading. When our own
      // stage throws, pipeline reports the AbortError it used to stop the parser; keep ours instead.
      let failure: unknown = null;
      const consume = (records: AsyncIterable<CsvRecord>) => runImport(tx, records, options, defaults, summary).catch((error: unknown) => {
        failure = error;
        throw error;
      });
      await pipeline(stream, parser, consume).catch((error: unknown) => {
        throw failure ?? error;
      });
      if (options.dryRun) throw new DryRunRollback();
    });
  } catch (error) {
    if (!(error instanceof DryRunRollback)) throw toImportError(error, options.fileName);
  }
  summary.durationMs = Math.round(performance.now() - startedAt);
  return summary;
}

class DryRunRollback extends Error {}

type CsvRecord = { record: string[]; info: { lines: number; bytes: number } };

async function runImport(tx: Db, parser: AsyncIterable<CsvRecord>, options: ImportOptions, defaults: RowDefaults, summary: ImportSummary): Promise<void> {
  let mapping: ColumnMapping | null = null;
  // E.164 numbers fit in a double exactly (at most 15 digits), so a Map of numbers is a compact way to find duplicates in a million rows.
  const firstLineByNumber = new Map<number, number>();
  let batch: Array<{ contact: ContactInput; events: ConsentEventForPhone[] }> = [];
  // One batch is written while the next is parsed: on PostgreSQL, Node and the server then work at the
  // same time (+4–22% rows/s, bench/RESULTS.md). Never more than one write waits, so memory stays flat.
  let writing: Promise<void> = Promise.resolve();
  const flush = async () => {
    if (batch.length === 0) return;
    const rows = batch;
    batch = [];
    await writing;
    const progress = { rowsRead: summary.rows, bytesRead: lastBytes };
    writing = writeBatch(tx, rows, defaults.now, summary).then(() => options.onProgress?.(progress));
    // A failed write is reported by the next `await writing`; until then it must not count as unhandled.
    writing.catch(() => undefined);
  };
  let lastBytes = 0;
  for await (const { record, info } of parser) {
    lastBytes = info.bytes;
    if (!mapping) {
      const planned = planColumnMapping(record, options.columnOverrides);
      if (!planned.ok) throw new AppError('INVALID_CSV', `${options.fileName}: ${planned.message}; nothing was imported`);
      mapping = planned.mapping;
      continue;
    }
    summary.rows += 1;
    const line = info.lines - record.reduce((newlines, field) => newlines + countNewlines(field), 0);
    const parsed = parseContactRow(record, mapping, defaults);
    if (!parsed.ok) {
      addRejection(summary, options, { line, reason: parsed.reason, message: parsed.message });
      continue;
    }
    const key = Number(parsed.contact.phone.slice(1));
    const firstLine = firstLineByNumber.get(key);
    if (firstLine !== undefined) {
      addRejection(summary, options, { line, reason: 'duplicate_in_file', message: `${parsed.contact.phone} already appears on line ${firstLine}` });
      continue;
    }
    firstLineByNumber.set(key, line);
    batch.push({ contact: parsed.contact, events: parsed.consentEvents.map((event) => ({ ...event, phone: parsed.contact.phone })) });
    if (batch.length >= batchSize) await flush();
  }
  if (!mapping) throw new AppError('INVALID_CSV', `${options.fileName} is empty: expected a header line with a phone column; nothing was imported`);
  await flush();
  await writing;
}

async function writeBatch(tx: Db, batch: Array<{ contact: ContactInput; events: ConsentEventForPhone[] }>, now: Date, summary: ImportSummary): Promise<void> {
  const outcome = await upsertContacts(tx, batch.map((row) => row.contact), now);
  const consentPhones = await insertConsentEventsByPhone(tx, batch.flatMap((row) => row.events), now);
  const created = new Set(outcome.createdPhones);
  const updated = new Set(outcome.updatedPhones);
  // A contact whose only change is a new opt-in or opt-out was updated too.
  for (const phone of consentPhones) if (!created.has(phone)) updated.add(phone);
  summary.created += created.size;
  summary.updated += updated.size;
  summary.unchanged += batch.length - created.size - updated.size;
  summary.consentEventsRecorded += batch.reduce((count, row) => count + (consentPhones.has(row.contact.phone) ? row.events.length : 0), 0);
}

function addRejection(summary: ImportSummary, options: ImportOptions, rejection: RowRejectionReport): void {
  summary.rejected += 1;
  summary.rejectedByReason[rejection.reason] = (summary.rejectedByReason[rejection.reason] ?? 0) + 1;
  // Every rejection goes to onReject (the CLI's --rejects file); the summary keeps the first ones only,
  // because a million bad rows (say, national numbers without --default-country) would hold 120 MB.
  if (summary.rejections.length < maxRejectionsKept) summary.rejections.push(rejection);
  options.onReject?.(rejection);
}

function countNewlines(text: string): number {
  let count = 0;
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) count += 1;
  return count;
}

/**
 * Prepares the byte stream for the parser: reads up to the end of the header line to guess the
 * delimiter and refuse binary files, and turns CRLF and lone CR line ends into LF. The last step is
 * what makes reported line numbers right: csv-parse miscounts lines when CRLF appears inside a
 * quoted field (measured: every later record was reported one line too far).
 */
async function prepareCsvStream(input: Readable, delimiter: string | undefined): Promise<{ delimiter: string; stream: Readable }> {
  const iterator: AsyncIterator<Buffer | string> = input[Symbol.asyncIterator]();
  let head = Buffer.alloc(0);
  let ended = false;
  while (!ended && !head.includes(10) && head.length < maxRecordBytes) {
    const next = await iterator.next();
    if (next.done) ended = true;
    else head = Buffer.concat([head, Buffer.from(next.value)]);
  }
  if (head.includes(0)) throw new AppError('INVALID_CSV', 'the file is binary, not a CSV text file; nothing was imported');
  const headerLine = head.toString('utf8').replace(/^\uFEFF/, '').split(/\r?\n|\r/, 1)[0] ?? '';
  let pendingCarriageReturn = false;
  const normalize = (chunk: Buffer): Buffer => {
    if (pendingCarriageReturn && chunk[0] === 10) chunk = chunk.subarray(1);
    pendingCarriageReturn = chunk.length > 0 && chunk[chunk.length - 1] === 13;
    if (!chunk.includes(13)) return chunk;
    return Buffer.from(chunk.toString('latin1').replace(/\r\n?/g, '\n'), 'latin1');
  };
  async function* replay() {
    if (head.length > 0) yield normalize(head);
    while (!ended) {
      const next = await iterator.next();
      if (next.done) return;
      yield normalize(Buffer.from(next.value));
    }
  }
  return { delimiter: delimiter ?? detectDelimiter(headerLine), stream: Readable.from(replay(), { objectMode: false }) };
}

function toImportError(error: unknown, fileName: string): unknown {
  if (error instanceof CsvError) {
    const line = typeof (error as CsvError & { lines?: number }).lines === 'number' ? ` near line ${(error as CsvError & { lines?: number }).lines}` : '';
    return new AppError('INVALID_CSV', `${fileName}${line}: ${error.message}; nothing was imported`, { cause: error, details: { csvCode: error.code } });
  }
  return error;
}
