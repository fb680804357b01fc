// The WhatsApp webhook endpoint: GET answers Meta's verification handshake; POST checks the
// signature on the raw bytes, stores the body raw and answers 200 at once. Processing happens
// afterwards (actions/process-webhook-events.ts), so Meta's p50 ≤ 250 ms advice holds under load.

import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { timingSafeEqual } from 'node:crypto';
import { receiveWebhook } from '../../actions/receive-webhook.ts';
import type { Deps } from '../../deps.ts';
import { verifySignature } from '../../whatsapp/signature.ts';

export type WebhookRouteOptions = {
  appSecret: string;
  verifyToken: string | null;
  /** Called after a new body is stored, so the processor can start without polling. */
  onStored?: () => void;
};

// Meta's payloads are up to 3 MB (whatsapp-rules.md §0); anything larger is not from Meta.
export const maxWebhookBodyBytes = 3 * 1024 * 1024;

export function createWebhookRoutes(deps: Deps, options: WebhookRouteOptions): Hono {
  const app = new Hono();

  app.get('/', (c) => {
    const mode = c.req.query('hub.mode');
    const token = c.req.query('hub.verify_token') ?? '';
    const challenge = c.req.query('hub.challenge') ?? '';
    if (mode !== 'subscribe' || !options.verifyToken || !sameText(token, options.verifyToken)) {
      deps.log.warn('webhook verification refused', { mode, reason: options.verifyToken ? 'verify token mismatch' : 'WHATSAPP_VERIFY_TOKEN is not set' });
      return c.json({ error: { code: 'WEBHOOK_VERIFICATION_FAILED', message: 'hub.mode must be subscribe and hub.verify_token must match WHATSAPP_VERIFY_TOKEN' } }, 403);
    }
    return c.text(challenge, 200);
  });

  app.post(
    '/',
    bodyLimit({
      maxSize: maxWebhookBodyBytes,
      onError: (c) => {
        deps.log.warn('webhook refused: body too large', { limitBytes: maxWebhookBodyBytes });
        return c.json({ error: { code: 'PAYLOAD_TOO_LARGE', message: `webhook bodies are limited to ${maxWebhookBodyBytes} bytes` } }, 413);
      },
    }),
    async (c) => {
      const rawBody = new Uint8Array(await c.req.arrayBuffer());
      if (!verifySignature(rawBody, c.req.header('x-hub-signature-256'), options.appSecret)) {
        deps.log.warn('webhook refused: bad or missing X-Hub-Signature-256', { bytes: rawBody.byteLength, hasHeader: c.req.header('x-hub-signature-256') !== undefined });
        return c.json({ error: { code: 'INVALID_SIGNATURE', message: 'X-Hub-Signature-256 does not match the body' } }, 401);
      }
      if (!isJson(rawBody)) {
        deps.log.warn('webhook refused: body is not JSON', { bytes: rawBody.byteLength });
        return c.json({ error: { code: 'INVALID_JSON', message: 'the body is not JSON' } }, 400);
      }
      const { id, duplicate } = await receiveWebhook(deps, rawBody);
      if (!duplicate) options.onStored?.();
      deps.log.debug('webhook stored', { webhookEventId: id, duplicate, bytes: rawBody.byteLength });
      return c.text('EVENT_RECEIVED', 200);
    },
  );

  return app;
}

function isJson(bytes: Uint8Array): boolean {
  try {
    JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
    return true;
  } catch {
    return false;
  }
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
