// Structured JSON logs, one object per line, for services (serve, worker). Fields whose names look
// like secrets are masked here, once, so no call site can leak a token by accident.

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

function maskSecrets(fields: LogFields): LogFields {
  const masked: LogFields = {};
  for (const [key, value] of Object.entries(fields)) {
    if (secretKey.test(key)) masked[key] = '[redacted]';
    else if (value instanceof Error) masked[key] = { name: value.name, message: value.message };
    else masked[key] = value;
  }
  return masked;
}

/** For commands and tests that want no service logs. */
export const silentLogger: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
