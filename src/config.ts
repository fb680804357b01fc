// Turns the environment (a plain record: main.ts passes process.env in, tests pass their own) into a
// frozen, validated Config. The only module that interprets environment variables. Defaults make every command work with nothing set: embedded PGlite under
// ./.greenlight/ and, once the Cloud API client exists, the built-in simulator.

import path from 'node:path';
import { z } from 'zod';
import { AppError } from './errors.ts';

const envSchema = z.object({
  GREENLIGHT_DATABASE_URL: z
    .string()
    .trim()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  GREENLIGHT_DATA_DIR: z.string().trim().min(1).optional(),
});

export type Config = Readonly<{
  database: { kind: 'pglite'; dataDir: string } | { kind: 'postgres'; url: string };
}>;

export function loadConfig(env: Record<string, string | undefined>, cwd: string): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new AppError('CONFIG_INVALID', `Invalid configuration: ${issues}`);
  }
  const { GREENLIGHT_DATABASE_URL: url, GREENLIGHT_DATA_DIR: dataDir } = parsed.data;
  const database: Config['database'] = url
    ? { kind: 'postgres', url }
    : { kind: 'pglite', dataDir: path.resolve(cwd, dataDir ?? '.greenlight/data') };
  return Object.freeze({ database: Object.freeze(database) });
}

/** A description safe to print: never the password of a database URL. */
export function describeDatabase(config: Config): string {
  if (config.database.kind === 'pglite') return `embedded PGlite at ${config.database.dataDir}`;
  const url = new URL(config.database.url);
  if (url.password) url.password = '***';
  return `PostgreSQL at ${url.toString()}`;
}
