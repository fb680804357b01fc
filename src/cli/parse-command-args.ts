// Wraps node:util parseArgs so every command rejects unknown flags and missing values with the same
// clear error and its usage line, instead of a stack trace.

import { parseArgs, type ParseArgsConfig } from 'node:util';
import { AppError } from '../errors.ts';

export function parseCommandArgs<const Options extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: Options, usage: string) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (cause) {
    throw new AppError('INVALID_INPUT', `${(cause as Error).message}\nusage: ${usage}`, { cause });
  }
}

/** A flag's whole-number value within [min, max], or a clear error naming the flag. */
export function parseWholeNumberFlag(text: string, flag: string, min: number, max: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) throw new AppError('INVALID_INPUT', `${flag} takes a whole number from ${min} to ${max}`);
  return value;
}
