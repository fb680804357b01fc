// Reads a template file (Meta's create-payload JSON) for the templates commands, with errors that
// name the file and the field.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseTemplateJson } from '../domain/template-json.ts';
import type { TemplateDefinition } from '../domain/template.ts';
import { AppError } from '../errors.ts';

export function readTemplateFile(cwd: string, file: string): TemplateDefinition {
  let text: string;
  try {
    text = readFileSync(path.resolve(cwd, file), 'utf8');
  } catch (cause) {
    throw new AppError('INVALID_INPUT', `cannot read ${file}: ${(cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (cause as Error).message}`, { cause });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new AppError('INVALID_INPUT', `${file} is not JSON: ${(cause as Error).message}`, { cause });
  }
  const parsed = parseTemplateJson(json);
  if (!parsed.ok) throw new AppError('INVALID_INPUT', `${file} is not a template:\n${parsed.errors.map((error) => `  ${error.path}: ${error.message}`).join('\n')}`);
  return parsed.template;
}
