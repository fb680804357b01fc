// `greenlight contacts import FILE.csv`: streams the file into the contacts table and reports what
// happened to every row. A progress bar on a terminal; --json for machines.

import { createReadStream, createWriteStream, statSync } from 'node:fs';
import path from 'node:path';
import cliProgress from 'cli-progress';
import { importContacts, type ImportSummary } from '../../actions/import-contacts.ts';
import { parseConsentCategories } from '../../domain/consent.ts';
import { parseMapOverride, type ImportField } from '../../domain/import-columns.ts';
import { AppError } from '../../errors.ts';
import type { CliContext, Command } from '../cli-context.ts';
import { formatNumber, formatTable } from '../format-table.ts';
import { parseCommandArgs } from '../parse-command-args.ts';

const usage =
  'greenlight contacts import FILE.csv [--map FIELD=COLUMN]… [--default-country CC] [--delimiter X] [--opt-in-text TEXT] [--opt-in-source SOURCE] [--categories marketing,utility] [--rejects OUT.csv] [--dry-run] [--json]';

const options = {
  map: { type: 'string', multiple: true },
  'default-country': { type: 'string' },
  delimiter: { type: 'string' },
  'opt-in-text': { type: 'string' },
  'opt-in-source': { type: 'string' },
  categories: { type: 'string' },
  rejects: { type: 'string' },
  'dry-run': { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

async function run(context: CliContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(context.args, options, usage);
  const [file, ...extra] = positionals;
  if (!file || extra.length > 0) throw new AppError('INVALID_INPUT', `name exactly one CSV file\nusage: ${usage}`);
  const filePath = path.resolve(context.cwd, file);
  let totalBytes: number;
  try {
    totalBytes = statSync(filePath).size;
  } catch (cause) {
    throw new AppError('INVALID_INPUT', `cannot read ${file}: ${(cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (cause as Error).message}`, { cause });
  }
  const columnOverrides: Partial<Record<ImportField, string>> = {};
  for (const text of values.map ?? []) {
    const override = parseMapOverride(text);
    if (!override) throw new AppError('INVALID_INPUT', `--map ${text}: expected FIELD=COLUMN with FIELD one of phone, name, language, country, time_zone, tags, opt_in_at, opt_in_source, opt_in_text, consent_categories, opt_out_at`);
    columnOverrides[override[0]] = override[1];
  }
  const defaultCountry = values['default-country']?.toUpperCase() ?? null;
  if (defaultCountry !== null && !/^[A-Z]{2}$/.test(defaultCountry)) throw new AppError('INVALID_INPUT', '--default-country takes a two-letter ISO code, e.g. BR');
  const categories = values.categories === undefined ? undefined : parseConsentCategories(values.categories);
  if (categories === null) throw new AppError('INVALID_INPUT', '--categories takes marketing, utility or all');
  const delimiter = values.delimiter === '\\t' ? '\t' : values.delimiter;
  if (delimiter !== undefined && delimiter.length !== 1) throw new AppError('INVALID_INPUT', '--delimiter takes one character (use \\t for tab)');

  const rejectsFile = values.rejects ? createWriteStream(path.resolve(context.cwd, values.rejects)) : null;
  rejectsFile?.write('line,reason,message\n');
  const bar = context.interactive && !values.json ? new cliProgress.SingleBar({ stream: context.stderr, format: 'importing [{bar}] {percentage}% | {rows} rows | {eta_formatted} left', hideCursor: true }, cliProgress.Presets.shades_classic) : null;
  bar?.start(totalBytes, 0, { rows: 0 });

  const deps = await context.openDeps();
  let summary: ImportSummary;
  try {
    summary = await importContacts(deps, createReadStream(filePath), {
      fileName: path.basename(filePath),
      columnOverrides,
      defaultCountry,
      delimiter,
      optInProof: values['opt-in-text'] ?? null,
      optInSource: values['opt-in-source'],
      categories,
      dryRun: values['dry-run'] === true,
      onProgress: (progress) => bar?.update(progress.bytesRead, { rows: formatNumber(progress.rowsRead) }),
      onReject: (rejection) => rejectsFile?.write(`${rejection.line},${rejection.reason},"${rejection.message.replaceAll('"', '""')}"\n`),
    });
    bar?.update(totalBytes);
  } finally {
    bar?.stop();
    await deps.db.close();
    await new Promise((resolve) => (rejectsFile ? rejectsFile.end(resolve) : resolve(undefined)));
  }
  context.stdout.write(values.json ? `${JSON.stringify(summary, null, 2)}\n` : formatSummary(summary, values.rejects));
  return 0;
}

const shownRejections = 20;

function formatSummary(summary: ImportSummary, rejectsPath: string | undefined): string {
  const title = `${summary.dryRun ? 'Dry run of' : 'Imported'} ${summary.fileName} in ${(summary.durationMs / 1000).toFixed(1)} s${summary.dryRun ? ' (nothing was written)' : ''}`;
  const counts = formatTable(
    ['rows', 'created', 'updated', 'unchanged', 'rejected', 'consent events'],
    [[summary.rows, summary.created, summary.updated, summary.unchanged, summary.rejected, summary.consentEventsRecorded]],
  );
  const lines = [title, '', counts];
  if (summary.rejected > 0) {
    const reasons = Object.entries(summary.rejectedByReason).map(([reason, count]) => `${reason} ${formatNumber(count)}`).join(', ');
    lines.push('', `Rejected rows (${reasons}):`);
    lines.push(formatTable(['line', 'reason', 'why'], summary.rejections.slice(0, shownRejections).map((rejection) => [rejection.line, rejection.reason, rejection.message])));
    const hidden = summary.rejected - Math.min(shownRejections, summary.rejections.length);
    if (hidden > 0) lines.push(`… and ${formatNumber(hidden)} more: ${rejectsPath ? `all are in ${rejectsPath}` : 'write them all with --rejects FILE or see --json'}`);
  }
  return `${lines.join('\n')}\n`;
}

export const contactsImportCommand: Command = { summary: 'import contacts and their consent from a CSV file', usage, run };
