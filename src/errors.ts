// The one error type for invalid input, missing things and invalid state transitions, with the table
// of stable codes. Expected domain decisions (skip, defer) are values, never errors. See docs/errors.md.

export const ERROR_CODES = {
  INVALID_INPUT: { httpStatus: 400, meaning: 'The request or command arguments are not valid.' },
  INVALID_PHONE: { httpStatus: 400, meaning: 'The phone number cannot be normalised to a valid E.164 number.' },
  INVALID_CSV: { httpStatus: 400, meaning: 'The file is not a CSV Greenlight can read; nothing was written.' },
  UNAUTHORIZED: { httpStatus: 401, meaning: 'The API request has no valid bearer token (Authorization: Bearer …).' },
  API_TOKEN_REVOKED: { httpStatus: 401, meaning: 'The bearer token was revoked (greenlight tokens revoke); ask for a new one.' },
  API_TOKEN_EXPIRED: { httpStatus: 401, meaning: 'The bearer token is past its expiry (greenlight tokens create --expires-in-days); ask for a new one.' },
  NOT_FOUND: { httpStatus: 404, meaning: 'The thing asked for does not exist.' },
  INVALID_STATE: { httpStatus: 409, meaning: 'The action does not fit the current state (e.g. submitting a template Meta already has).' },
  IDEMPOTENCY_KEY_REUSED: { httpStatus: 422, meaning: 'The Idempotency-Key was already used for a different request; nothing was done.' },
  SERVICE_WINDOW_CLOSED: { httpStatus: 409, meaning: 'A free-form message needs the 24-hour customer service window open; send an approved template instead.' },
  PAYLOAD_TOO_LARGE: { httpStatus: 413, meaning: 'The request body is larger than the API accepts.' },
  TOO_MANY_ATTEMPTS: { httpStatus: 429, meaning: 'Too many wrong API tokens from this client within a minute; wait the Retry-After seconds.' },
  TEMPLATE_INVALID: { httpStatus: 422, meaning: 'The template breaks a rule Meta enforces; nothing was submitted.' },
  META_API_ERROR: { httpStatus: 502, meaning: "Meta's Graph API refused a management call (template submit or sync, sender sync) or did not answer." },
  CONFIG_INVALID: { httpStatus: 500, meaning: 'The environment configuration is not valid.' },
  DATABASE_UNAVAILABLE: { httpStatus: 503, meaning: 'The database could not be opened or reached.' },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.details = options.details;
  }

  get httpStatus(): number {
    return ERROR_CODES[this.code].httpStatus;
  }
}
