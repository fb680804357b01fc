// The /_sim HTTP routes (no token): fault knobs, consent registration, people writing in, clock control
// and inspection (GET /_sim/sent, /_sim/webhooks), for tests and chaos runs against a served simulator.

import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { describeIssue } from './graph-requests.ts';
import type { Controls } from './sim-controls.ts';
import type { SimContext } from './sim-context.ts';

const phones = z.object({ phones: z.array(z.string().min(1)).min(1) });
const rate = z.number().min(0).max(1);
const schemas = {
  inbound: z.object({ from: z.string().min(1), text: z.string().min(1), phoneNumberId: z.string().optional(), replyTo: z.string().optional() }),
  failNext: z.object({ count: z.number().int().positive(), code: z.number().int(), surface: z.enum(['sync', 'async']).optional(), phoneNumberId: z.string().optional(), details: z.string().optional() }),
  throttle: z.object({ durationMs: z.number().nonnegative(), phoneNumberId: z.string().optional() }),
  latency: z.object({ fixedMs: z.number().nonnegative().optional(), tailShare: rate.optional(), tailMs: z.number().nonnegative().optional() }),
  webhookFaults: z.object({ dropRate: rate.optional(), duplicateRate: rate.optional(), reorderRate: rate.optional(), aggregateRate: rate.optional() }),
  quality: z.object({ rating: z.enum(['GREEN', 'YELLOW', 'RED']).nullable() }),
  advance: z.object({ ms: z.number().nonnegative() }),
};

/** Parses the JSON body with `schema`, then runs `act`; a bad body gets 400 with the first problem. */
function withBody<T>(schema: z.ZodType<T>, act: (input: T) => unknown) {
  return async (c: Context) => {
    const parsed = schema.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return c.json({ error: describeIssue(parsed.error) }, 400);
    const result = await act(parsed.data);
    if (typeof result === 'object' && result !== null && 'ok' in result && result.ok === false) return c.json(result, 404);
    return c.json(result ?? { ok: true });
  };
}

export function createSimRoutes(ctx: SimContext, controls: Controls): Hono {
  const app = new Hono();
  app.post('/_sim/people/opt-ins', withBody(phones, (input) => controls.optIn(input.phones)));
  app.post('/_sim/people/opt-outs', withBody(phones, (input) => controls.optOut(input.phones)));
  app.post('/_sim/people/undeliverable', withBody(phones, (input) => controls.markUndeliverable(input.phones)));
  app.post('/_sim/people/inbound', withBody(schemas.inbound, (input) => ({ id: controls.inbound(input) })));
  app.post('/_sim/faults/fail-next', withBody(schemas.failNext, (input) => controls.failNextSends(input)));
  app.post('/_sim/faults/throttle', withBody(schemas.throttle, (input) => controls.throttle(input)));
  app.post('/_sim/faults/latency', withBody(schemas.latency, (input) => controls.setLatency(input)));
  app.post('/_sim/faults/webhooks', withBody(schemas.webhookFaults, (input) => controls.setWebhookFaults(input)));
  app.post('/_sim/faults/reset', (c) => c.json((controls.resetFaults(), { ok: true })));
  app.post('/_sim/senders/:id/quality', (c) => withBody(schemas.quality, (input) => controls.setSenderQuality(c.req.param('id'), input.rating))(c));
  app.post('/_sim/templates/:id/quality', async (c) => {
    const input = schemas.quality.safeParse(await c.req.json().catch(() => null));
    if (!input.success) return c.json({ ok: false, message: 'expected { "rating": "GREEN" | "YELLOW" | "RED" | null }' }, 400);
    const result = controls.setTemplateQuality(c.req.param('id'), input.data.rating ?? 'UNKNOWN');
    return c.json(result, result.ok ? 200 : 404);
  });
  app.post('/_sim/templates/:id/pause', (c) => {
    const result = controls.pauseTemplate(c.req.param('id'));
    return c.json(result, result.ok ? 200 : 404);
  });
  app.post('/_sim/clock/advance', withBody(schemas.advance, async (input) => (await ctx.clock.advance(input.ms), { now: ctx.clock.now().toISOString() })));
  app.get('/_sim/clock', (c) => c.json({ now: ctx.clock.now().toISOString(), mode: ctx.clock.mode }));
  app.get('/_sim/sent', (c) => {
    const filter = { to: c.req.query('to'), phoneNumberId: c.req.query('phoneNumberId'), templateName: c.req.query('template') };
    const messages = ctx.sent.list(filter).map(({ acceptedAtMs, ...message }) => ({ ...message, acceptedAt: new Date(acceptedAtMs).toISOString() }));
    return c.json({ data: messages });
  });
  app.get('/_sim/webhooks', (c) => c.json({ data: ctx.webhooks.delivered(), running: ctx.webhooks.isRunning(), waiting: ctx.webhooks.waitingCount() }));
  app.post('/_sim/webhooks/start', async (c) => c.json((await ctx.webhooks.start(), { running: true })));
  app.post('/_sim/webhooks/stop', (c) => c.json((ctx.webhooks.stop(), { running: false })));
  return app;
}
