// `greenlight templates lint|submit|sync|list|show|delete|unpause`: author templates against Meta's
// rules before Meta sees them, and keep the local copies in line with Meta's.

import { deleteTemplate, unpauseTemplate } from '../../actions/manage-template.ts';
import { submitTemplate } from '../../actions/submit-template.ts';
import { syncTemplates } from '../../actions/sync-templates.ts';
import { assessTemplate } from '../../domain/template-assessment.ts';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { listSenders } from '../../store/senders.ts';
import { listStoredTemplates, listTemplateHistory } from '../../store/templates.ts';
import type { CliContext, Command } from '../cli-context.ts';
import { formatAssessment } from '../format-findings.ts';
import { formatTable } from '../format-table.ts';
import { parseCommandArgs } from '../parse-command-args.ts';
import { readTemplateFile } from '../template-file.ts';

/**
 * The in-process simulator lives only as long as one command, so it cannot remember a template from
 * one command to the next: a submit followed by a sync would find nothing. Say how to get a simulated
 * Meta that remembers, instead of reporting templates as deleted.
 */
function requireLastingMeta(deps: Deps): void {
  if (deps.config.whatsapp.mode !== 'simulator') return;
  throw new AppError('INVALID_STATE', 'templates need a Meta that remembers them between commands, and no WHATSAPP_ACCESS_TOKEN is set: run `greenlight simulator` in another terminal and set the WHATSAPP_API_BASE_URL, WHATSAPP_ACCESS_TOKEN and WHATSAPP_APP_SECRET it prints');
}

/** The WABA a command works on: --waba, else WHATSAPP_WABA_ID, else the first sender's. */
async function chooseWaba(deps: Deps, flag: string | undefined): Promise<string> {
  const waba = flag ?? deps.config.whatsapp.wabaId ?? (await listSenders(deps.db))[0]?.wabaId;
  if (!waba) throw new AppError('INVALID_INPUT', 'no WhatsApp Business Account: pass --waba ID, set WHATSAPP_WABA_ID, or add a sender first');
  return waba;
}

function lint(context: CliContext): Promise<number> {
  const usage = 'greenlight templates lint FILE.json… [--json]   (exit code 1 when a file has errors)';
  const { values, positionals } = parseCommandArgs(context.args, { json: { type: 'boolean' } }, usage);
  if (positionals.length === 0) throw new AppError('INVALID_INPUT', `name at least one template file\nusage: ${usage}`);
  const reports = positionals.map((file) => ({ file, template: readTemplateFile(context.cwd, file) })).map(({ file, template }) => ({ file, name: template.name, language: template.language, ...assessTemplate(template) }));
  if (values.json) context.stdout.write(`${JSON.stringify({ reports }, null, 2)}\n`);
  else for (const report of reports) context.stdout.write(`${formatAssessment(`${report.file} (${report.name}, ${report.language})`, report)}\n`);
  return Promise.resolve(reports.some((report) => report.errors > 0) ? 1 : 0);
}

async function submit(context: CliContext): Promise<number> {
  const usage = 'greenlight templates submit FILE.json… [--waba ID] [--json]';
  const { values, positionals } = parseCommandArgs(context.args, { waba: { type: 'string' }, json: { type: 'boolean' } }, usage);
  if (positionals.length === 0) throw new AppError('INVALID_INPUT', `name at least one template file\nusage: ${usage}`);
  const definitions = positionals.map((file) => readTemplateFile(context.cwd, file));
  const deps = await context.openWhatsAppDeps();
  try {
    requireLastingMeta(deps);
    const waba = await chooseWaba(deps, values.waba);
    const results = [];
    for (const definition of definitions) results.push(await submitTemplate(deps, waba, definition));
    if (values.json) context.stdout.write(`${JSON.stringify({ results: results.map(({ template, assessment, categoryChanged }) => ({ template, spamScore: assessment.spam.score, warnings: assessment.warnings, categoryChanged })) }, null, 2)}\n`);
    else {
      for (const { template, assessment, categoryChanged } of results) {
        context.stdout.write(`Submitted ${template.name} (${template.language}): ${template.status}, category ${template.category}${categoryChanged ? ' (Meta changed the category you asked for)' : ''}; spam risk ${assessment.spam.score}/100, ${assessment.warnings} warning(s).\n`);
      }
      context.stdout.write('Meta reviews templates within 24 h; `greenlight templates sync` (or the webhook) brings the verdict.\n');
    }
    return 0;
  } finally {
    await deps.db.close();
  }
}

async function sync(context: CliContext): Promise<number> {
  const usage = 'greenlight templates sync [--waba ID] [--json]';
  const { values } = parseCommandArgs(context.args, { waba: { type: 'string' }, json: { type: 'boolean' } }, usage);
  const deps = await context.openWhatsAppDeps();
  try {
    requireLastingMeta(deps);
    const report = await syncTemplates(deps, await chooseWaba(deps, values.waba));
    if (values.json) context.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else {
      context.stdout.write(`Synced ${report.remote} template variant(s) of WABA ${report.wabaId} (${report.pages} page(s)): ${report.changes.length === 0 ? 'no changes' : `${report.changes.length} change(s)`}.\n`);
      if (report.changes.length > 0) context.stdout.write(`${formatTable(['name', 'language', 'what', 'from', 'to'], report.changes.map((change) => [change.name, change.language, change.field, change.from, change.to]))}\n`);
    }
    return 0;
  } finally {
    await deps.db.close();
  }
}

async function list(context: CliContext): Promise<number> {
  const { values } = parseCommandArgs(context.args, { json: { type: 'boolean' } }, 'greenlight templates list [--json]');
  const deps = await context.openDeps();
  try {
    const templates = await listStoredTemplates(deps.db);
    if (values.json) context.stdout.write(`${JSON.stringify({ templates }, null, 2)}\n`);
    else context.stdout.write(templates.length === 0 ? 'No templates yet: greenlight templates submit FILE.json (starters in templates/starter/)\n' : `${formatTable(['name', 'language', 'category', 'status', 'quality', 'lint', 'spam risk', 'WABA'], templates.map((template) => [template.name, template.language, template.category, template.status, template.qualityScore, template.lintErrors > 0 ? `${template.lintErrors} error(s)` : 'ok', template.spamScore, template.wabaId]))}\n`);
    return 0;
  } finally {
    await deps.db.close();
  }
}

async function show(context: CliContext): Promise<number> {
  const usage = 'greenlight templates show NAME [--json]';
  const { values, positionals } = parseCommandArgs(context.args, { json: { type: 'boolean' } }, usage);
  const [name] = positionals;
  if (!name || positionals.length > 1) throw new AppError('INVALID_INPUT', `name one template\nusage: ${usage}`);
  const deps = await context.openDeps();
  try {
    const variants = await listStoredTemplates(deps.db, { name });
    if (variants.length === 0) throw new AppError('NOT_FOUND', `no template called ${name}`);
    const withHistory = await Promise.all(variants.map(async (variant) => ({ ...variant, history: await listTemplateHistory(deps.db, variant.id, 10) })));
    if (values.json) {
      context.stdout.write(`${JSON.stringify({ name, variants: withHistory }, null, 2)}\n`);
      return 0;
    }
    for (const variant of withHistory) {
      context.stdout.write(`${variant.name} (${variant.language}) · ${variant.category ?? '?'} · ${variant.status ?? 'not submitted'} · quality ${variant.qualityScore ?? 'UNKNOWN'}${variant.rejectionReason ? ` · rejected: ${variant.rejectionReason}` : ''}${variant.pendingCategory ? ` · Meta will re-categorise it as ${variant.pendingCategory}` : ''}\n`);
      if (variant.definition) context.stdout.write(`${variant.definition.body.text.split('\n').map((line) => `  │ ${line}`).join('\n')}\n`);
      for (const entry of variant.history) context.stdout.write(`  ${entry.occurredAt.toISOString()}  ${entry.kind}: ${entry.summary}\n`);
      context.stdout.write('\n');
    }
    return 0;
  } finally {
    await deps.db.close();
  }
}

function manage(kind: 'delete' | 'unpause'): Command {
  const usage = `greenlight templates ${kind} NAME --language CODE [--waba ID]`;
  return {
    summary: kind === 'delete' ? 'delete one language variant at Meta' : 'unpause a paused variant at Meta',
    usage,
    run: async (context) => {
      const { values, positionals } = parseCommandArgs(context.args, { language: { type: 'string' }, waba: { type: 'string' } }, usage);
      const [name] = positionals;
      if (!name || !values.language) throw new AppError('INVALID_INPUT', `name the template and its --language\nusage: ${usage}`);
      const deps = await context.openWhatsAppDeps();
      try {
        requireLastingMeta(deps);
        const waba = await chooseWaba(deps, values.waba);
        const result = kind === 'delete' ? await deleteTemplate(deps, waba, name, values.language) : await unpauseTemplate(deps, waba, name, values.language);
        context.stdout.write(`${result.name} (${result.language}) is now ${result.status}.\n`);
        return 0;
      } finally {
        await deps.db.close();
      }
    },
  };
}

export const templatesLintCommand: Command = { summary: "check template files against Meta's rules and for spam risk", usage: 'greenlight templates lint FILE.json… [--json]', run: lint };
export const templatesSubmitCommand: Command = { summary: 'lint, then submit templates to Meta for review', usage: 'greenlight templates submit FILE.json… [--waba ID] [--json]', run: submit };
export const templatesSyncCommand: Command = { summary: "bring local templates in line with Meta's and show what changed", usage: 'greenlight templates sync [--waba ID] [--json]', run: sync };
export const templatesListCommand: Command = { summary: 'list template variants with status, quality and lint', usage: 'greenlight templates list [--json]', run: list };
export const templatesShowCommand: Command = { summary: 'show a template in every language with its history', usage: 'greenlight templates show NAME [--json]', run: show };
export const templatesDeleteCommand = manage('delete');
export const templatesUnpauseCommand = manage('unpause');
