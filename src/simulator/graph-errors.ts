// Meta's error codes as the simulator returns them: titles and details as Meta words them, the legacy
// HTTP status of whatsapp-rules.md §3.2, and the two shapes (synchronous Graph error body, and the
// errors[] entry of a failed status webhook, §3.1). Decides nothing: callers pick the code.

import type { GraphErrorBody } from '../whatsapp/graph-wire.ts';

export type ErrorSpec = { title: string; details: string; httpStatus: number; type?: string };

// §3.2. Codes not listed here get a generic title and HTTP 400.
const SPECS: Readonly<Record<number, ErrorSpec>> = {
  0: { title: 'AuthException', details: 'We were unable to authenticate the app user.', httpStatus: 401 },
  1: { title: 'API Unknown', details: 'Invalid request or possible server error.', httpStatus: 400 },
  2: { title: 'API Service', details: 'Temporary due to downtime or due to being overloaded.', httpStatus: 503 },
  4: { title: 'API Too Many Calls', details: 'The app has reached its API call rate limit.', httpStatus: 400 },
  10: { title: 'Permission Denied', details: 'Permission is either not granted or has been removed.', httpStatus: 403 },
  100: { title: 'Invalid parameter', details: 'The request included one or more unsupported or misspelled parameters.', httpStatus: 400 },
  190: { title: 'Access token has expired', details: 'Invalid OAuth access token - Cannot parse access token', httpStatus: 401 },
  368: { title: 'Temporarily blocked for policies violations', details: 'The WhatsApp Business Account is restricted for policy violations.', httpStatus: 403 },
  130429: { title: 'Rate limit hit', details: 'Cloud API message throughput has been reached.', httpStatus: 400 },
  130472: { title: "User's number is part of an experiment", details: "Failed to send message because this user's phone number is part of an experiment.", httpStatus: 400 },
  131000: { title: 'Something went wrong', details: 'Message failed to send because of an unknown error.', httpStatus: 500 },
  131005: { title: 'Access denied', details: 'Permission is either not granted or has been removed.', httpStatus: 403 },
  131008: { title: 'Required parameter is missing', details: 'The request is missing a required parameter.', httpStatus: 400 },
  131009: { title: 'Parameter value is not valid', details: 'One or more parameter values are invalid.', httpStatus: 400 },
  131016: { title: 'Service unavailable', details: 'A service is temporarily unavailable.', httpStatus: 503 },
  131021: { title: 'Recipient cannot be sender', details: 'Sender and recipient phone number is the same.', httpStatus: 400 },
  131026: {
    title: 'Message undeliverable',
    details: 'Unable to deliver message. Reasons can include: the recipient phone number is not a WhatsApp phone number; the recipient has not accepted our new Terms of Service and Privacy Policy; the recipient is using an old WhatsApp version.',
    httpStatus: 400,
  },
  131031: { title: 'Account has been locked', details: 'Business Account is restricted from messaging users.', httpStatus: 403 },
  131047: { title: 'Re-engagement message', details: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.', httpStatus: 400 },
  131048: { title: 'Spam rate limit hit', details: 'Message failed to send because there are restrictions on how many messages can be sent from this phone number.', httpStatus: 400 },
  131049: {
    title: 'This message was not delivered to maintain healthy ecosystem engagement.',
    details: 'In order to maintain a healthy ecosystem engagement, the message failed to be delivered.',
    httpStatus: 400,
  },
  131050: { title: 'Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business.', details: 'The user has stopped marketing messages from this business.', httpStatus: 400 },
  131051: { title: 'Unsupported message type', details: 'Unsupported message type.', httpStatus: 400 },
  131053: { title: 'Media upload error', details: 'Unable to upload the media used in the message.', httpStatus: 400 },
  131055: { title: 'Method not allowed', details: 'The Marketing Messages API only supports marketing template messages.', httpStatus: 400 },
  131056: {
    title: '(Business Account, Consumer Account) pair rate limit hit',
    details: 'Too many messages sent from the sender phone number to the same recipient phone number in a short period of time.',
    httpStatus: 400,
  },
  131057: { title: 'Account in maintenance mode', details: 'Business Account is in maintenance mode.', httpStatus: 500 },
  132000: { title: 'Number of parameters does not match the expected number of params', details: 'The number of variable parameter values included in the request did not match the number of variable parameters defined in the template.', httpStatus: 400 },
  132001: { title: 'Template name does not exist in the translation', details: 'The template does not exist in the specified language or the template has not been approved.', httpStatus: 404 },
  132005: { title: 'Translated text too long', details: 'Translated text is too long.', httpStatus: 400 },
  132007: { title: 'Template format character policy violated', details: 'Template content violates a WhatsApp policy.', httpStatus: 400 },
  132012: { title: 'Parameter format does not match format in the created template', details: 'Variable parameter values formatted incorrectly.', httpStatus: 400 },
  132015: { title: 'Template is Paused', details: 'Template is paused due to low quality so it cannot be sent in a template message.', httpStatus: 400 },
  132016: { title: 'Template is Disabled', details: 'Template has been paused too many times due to low quality and is now permanently disabled.', httpStatus: 400 },
  132018: { title: 'There was an issue with the parameters in your template.', details: 'Param text cannot have new-line/tab characters or more than 4 consecutive spaces', httpStatus: 400 },
  133010: { title: 'Phone number Not Registered', details: 'Phone number is not registered on the WhatsApp Business Platform.', httpStatus: 400 },
  135000: { title: 'Generic user error', details: 'Message failed to send because of an unknown error with your request parameters.', httpStatus: 400 },
};

export function errorSpec(code: number): ErrorSpec {
  return SPECS[code] ?? { title: 'Unknown error', details: `Simulated error ${code}.`, httpStatus: 400 };
}

export type GraphErrorResponse = { status: number; body: GraphErrorBody };

/**
 * The synchronous error, in Meta's shape: `(#code) title`, OAuthException, error_data for WhatsApp codes.
 * Auth errors (0, 190) and Graph errors (100 with a subcode) carry no WhatsApp error_data, as on Meta.
 */
export type GraphErrorOverrides = { details?: string; subcode?: number; message?: string; userTitle?: string; userMessage?: string };

export function graphError(code: number, fbtraceId: string, overrides: GraphErrorOverrides = {}): GraphErrorResponse {
  const spec = errorSpec(code);
  const isWhatsAppError = code >= 130000 || code === 368 || code === 4 || (code === 100 && overrides.subcode === undefined);
  const body: GraphErrorBody & { error: { message: string; type: string; fbtrace_id: string } } = {
    error: {
      message: overrides.message ?? (code === 190 ? spec.details : `(#${code}) ${spec.title}`),
      type: spec.type ?? 'OAuthException',
      code,
      ...(isWhatsAppError ? { error_data: { messaging_product: 'whatsapp' as const, details: overrides.details ?? spec.details } } : {}),
      ...(overrides.subcode === undefined ? {} : { error_subcode: overrides.subcode, is_transient: false }),
      ...(overrides.userTitle === undefined ? {} : { error_user_title: overrides.userTitle }),
      ...(overrides.userMessage === undefined ? {} : { error_user_msg: overrides.userMessage }),
      fbtrace_id: fbtraceId,
    },
  };
  return { status: spec.httpStatus, body };
}

/** An entry of a failed status webhook's errors[] (§3.1, async shape). */
export type WebhookError = { code: number; title: string; message: string; error_data: { details: string }; href: string };

export function webhookError(code: number, details?: string): WebhookError {
  const spec = errorSpec(code);
  return { code, title: spec.title, message: spec.title, error_data: { details: details ?? spec.details }, href: '/documentation/business-messaging/whatsapp/support/error-codes' };
}
