// Turns the environment (a plain record: main.ts passes process.env in, tests pass their own) into a
// frozen, validated Config. The only module that interprets environment variables. Defaults make
// every command work with nothing set: embedded PGlite under ./.greenlight/ and, with no Meta access
// token, the built-in simulator in place of Meta.

import path from 'node:path';
import { z } from 'zod';
import { AppError } from './errors.ts';

const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value === '' || value === undefined ? null : value));

const envSchema = z.object({
  GREENLIGHT_DATABASE_URL: optionalText.refine((value) => value === null || /^postgres(ql)?:\/\//.test(value), 'must be a postgres:// or postgresql:// URL'),
  GREENLIGHT_DATA_DIR: optionalText,
  GREENLIGHT_PORT: optionalText.transform((value, context) => {
    if (value === null) return 3000;
    const port = Number(value);
    if (!Number.isInteger(port) || port < 0 || port > 65535) context.addIssue({ code: 'custom', message: 'must be a port number from 0 to 65535' });
    return port;
  }),
  WHATSAPP_API_BASE_URL: optionalText.refine((value) => value === null || /^https?:\/\/[^/]+/.test(value), 'must be an http(s) URL'),
  WHATSAPP_API_VERSION: optionalText.refine((value) => value === null || /^v\d+\.\d+$/.test(value), 'must look like v25.0'),
  WHATSAPP_ACCESS_TOKEN: optionalText,
  WHATSAPP_WABA_ID: optionalText.refine((value) => value === null || /^\d+$/.test(value), 'must be a numeric id'),
  WHATSAPP_PHONE_NUMBER_ID: optionalText.refine((value) => value === null || /^\d+$/.test(value), 'must be a numeric id'),
  WHATSAPP_APP_SECRET: optionalText,
  WHATSAPP_VERIFY_TOKEN: optionalText,
  // Where people reach serve from outside (https://go.example.com): tracked links point there (/r/{token}).
  GREENLIGHT_PUBLIC_URL: optionalText.refine((value) => value === null || /^https:\/\/[^/]+/.test(value) || /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?(\/|$)/.test(value), 'must be an https:// URL (http only for localhost)'),
  // The bearer token of the REST API and dashboard; when unset, serve generates one at a start that finds no usable token and prints it once.
  GREENLIGHT_API_TOKEN: optionalText.refine((value) => value === null || value.length >= 24, 'must be at least 24 characters (use a random string)'),
  GREENLIGHT_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).optional(),
});

export type Config = Readonly<{
  database: { kind: 'pglite'; dataDir: string } | { kind: 'postgres'; url: string };
  /** `publicUrl`: serve's address as people's phones reach it, for tracked links; null when not set. */
  http: { port: number; publicUrl: string | null; apiToken: string | null };
  /** The level of the JSON service logs (serve, worker). */
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  whatsapp: {
    /** 'simulator' when no access token is set: Greenlight then talks to its built-in simulator of Meta. */
    mode: 'meta' | 'simulator';
    baseUrl: string;
    apiVersion: string;
    accessToken: string | null;
    appSecret: string | null;
    verifyToken: string | null;
    wabaId: string | null;
    phoneNumberId: string | null;
  };
}>;

// The Graph API version is configuration, kept in one place (architecture guide §8.9).
const defaultApiVersion = 'v25.0';
const metaBaseUrl = 'https://graph.facebook.com';

export function loadConfig(env: Record<string, string | undefined>, cwd: string): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new AppError('CONFIG_INVALID', `Invalid configuration: ${issues}`);
  }
  const value = parsed.data;
  const database: Config['database'] = value.GREENLIGHT_DATABASE_URL
    ? { kind: 'postgres', url: value.GREENLIGHT_DATABASE_URL }
    : { kind: 'pglite', dataDir: path.resolve(cwd, value.GREENLIGHT_DATA_DIR ?? '.greenlight/data') };
  const whatsapp: Config['whatsapp'] = {
    mode: value.WHATSAPP_ACCESS_TOKEN ? 'meta' : 'simulator',
    baseUrl: (value.WHATSAPP_API_BASE_URL ?? metaBaseUrl).replace(/\/+$/, ''),
    apiVersion: value.WHATSAPP_API_VERSION ?? defaultApiVersion,
    accessToken: value.WHATSAPP_ACCESS_TOKEN,
    appSecret: value.WHATSAPP_APP_SECRET,
    verifyToken: value.WHATSAPP_VERIFY_TOKEN,
    wabaId: value.WHATSAPP_WABA_ID,
    phoneNumberId: value.WHATSAPP_PHONE_NUMBER_ID,
  };
  return deepFreeze({ database, http: { port: value.GREENLIGHT_PORT, publicUrl: value.GREENLIGHT_PUBLIC_URL, apiToken: value.GREENLIGHT_API_TOKEN }, logLevel: value.GREENLIGHT_LOG_LEVEL ?? 'info', whatsapp });
}

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) if (child && typeof child === 'object') deepFreeze(child as object);
  return Object.freeze(value);
}

/** A description safe to print: never the password of a database URL. */
export function describeDatabase(config: Config): string {
  if (config.database.kind === 'pglite') return `embedded PGlite at ${config.database.dataDir}`;
  const url = new URL(config.database.url);
  if (url.password) url.password = '***';
  return `PostgreSQL at ${url.toString()}`;
}
