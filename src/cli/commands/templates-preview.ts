// `greenlight templates preview NAME --contact PHONE`: the message as that contact would see it.

import { previewTemplate } from '../../actions/preview-template.ts';
import { AppError } from '../../errors.ts';
import type { CliContext, Command } from '../cli-context.ts';
import { parseCommandArgs } from '../parse-command-args.ts';

const usage = 'greenlight templates preview NAME --contact PHONE [--language CODE] [--var NAME=VALUE]… [--json]';

async function run(context: CliContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(context.args, { contact: { type: 'string' }, language: { type: 'string' }, var: { type: 'string', multiple: true }, json: { type: 'boolean' } }, usage);
  const [name] = positionals;
  if (!name || positionals.length > 1 || !values.contact) throw new AppError('INVALID_INPUT', `name a template and --contact\nusage: ${usage}`);
  const variables: Record<string, string> = {};
  for (const pair of values.var ?? []) {
    const separator = pair.indexOf('=');
    if (separator <= 0) throw new AppError('INVALID_INPUT', `--var ${pair}: expected NAME=VALUE, e.g. --var 1=Ana or --var order_id=A-1001`);
    variables[pair.slice(0, separator)] = pair.slice(separator + 1);
  }
  const deps = await context.openDeps();
  try {
    const preview = await previewTemplate(deps, { name, phone: values.contact, defaultLanguage: values.language, variables });
    if (values.json) context.stdout.write(`${JSON.stringify(preview, null, 2)}\n`);
    else context.stdout.write(`${preview.name} in ${preview.language} (chosen by ${preview.via}; ${preview.status ?? 'not submitted'}), ${preview.hydratedBodyLength}/1024 characters:\n\n${preview.preview.split('\n').map((line) => `  │ ${line}`).join('\n')}\n`);
    return 0;
  } finally {
    await deps.db.close();
  }
}

export const templatesPreviewCommand: Command = { summary: 'show a template as one contact would receive it', usage, run };
