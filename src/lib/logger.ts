// Structured JSON logs, one object per line, for services (serve, worker). Fields whose names look
// like secrets, and digit runs that could be a person's phone number, are masked here, once, so no call
// site can leak a token or a number by accident.

import type { Writable } from 'node:stream';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;
export type Logger = {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
};

const levelOrder: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const secretKey = /token|secret|password|authorization|signature/i;
// Eight digits or more standing alone, with or without "+": E.164 numbers and wa_ids (Meta's ids of
// business numbers too), but not digits inside a word or an id such as a worker's UUID.
const phoneLike = /(?<![\w-])\+?\d{8,}(?!\w)/g;

export function createJsonLogger(stream: Writable, options: { level?: LogLevel; now?: () => Date; base?: LogFields } = {}): Logger {
  const minimum = levelOrder[options.level ?? 'info'];
  const now = options.now ?? (() => new Date());
  const write = (level: LogLevel, message: string, fields: LogFields = {}) => {
    if (levelOrder[level] < minimum) return;
    const entry = { time: now().toISOString(), level, message, ...options.base, ...maskSecrets(fields) };
    stream.write(`${JSON.stringify(entry)}\n`);
  };
  return {
    debug: (message, fields) => write('debug', message, fields),
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
  };
}

function maskSecrets(fields: LogFields, depth = 0): LogFields {
  const masked: LogFields = {};
  for (const [key, value] of Object.entries(fields)) masked[key] = secretKey.test(key) ? '[redacted]' : maskValue(value, depth);
  return masked;
}

function maskValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return value.replace(phoneLike, '[number]');
  if (value instanceof Error) return { name: value.name, message: value.message.replace(phoneLike, '[number]') };
  if (depth >= 4 || value === null || typeof value !== 'object' || value instanceof Date) return value;
  if (Array.isArray(value)) return value.map((item) => maskValue(item, depth + 1));
  return maskSecrets(value as LogFields, depth + 1);
}

/** For commands and tests that want no service logs. */
export const silentLogger: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
