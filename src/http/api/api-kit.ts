// The small framework every REST API route is written with: one declaration per route gives the Hono
// handler, validation at the boundary (zod: params, query, JSON body), idempotency keys where the
// route allows them, and the route's entry in the OpenAPI document. Handlers receive parsed input and
// return { status, body } (JSON) or a Response (CSV export); errors are AppErrors, turned into
// { error: { code, message, field? } } by app.ts.

import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { runIdempotent } from '../../actions/run-idempotent.ts';
import type { WhatsAppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';

export type ApiMethod = 'get' | 'post' | 'put' | 'delete';

export type RouteDeclaration<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> = {
  method: ApiMethod;
  /** Hono style, relative to /api: '/campaigns/:id/launch'. */
  path: string;
  summary: string;
  tag: string;
  params?: P;
  query?: Q;
  body?: B;
  /** What the answers mean, by status (the OpenAPI document lists them). */
  responses: Record<number, string>;
  /** Accepts an Idempotency-Key header: a retry with the same key gets the first answer back. */
  idempotent?: boolean;
  /** The body is not JSON (a CSV upload): the handler reads it itself. */
  rawBody?: { contentType: string; description: string };
};

export type RouteInput<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> = {
  c: Context;
  params: z.output<P>;
  query: z.output<Q>;
  body: z.output<B>;
};

export type JsonAnswer = { status: number; body: unknown };

export type ApiRouter = {
  route<P extends z.ZodType = z.ZodObject, Q extends z.ZodType = z.ZodObject, B extends z.ZodType = z.ZodUnknown>(
    declaration: RouteDeclaration<P, Q, B>,
    handler: (input: RouteInput<P, Q, B>) => Promise<JsonAnswer | Response>,
  ): void;
  declarations(): ReadonlyArray<RouteDeclaration<z.ZodType, z.ZodType, z.ZodType>>;
};

/** The largest JSON body a route accepts; a campaign document or a template is a few kilobytes. */
export const MAX_JSON_BODY_BYTES = 1024 * 1024;

export function createApiRouter(app: Hono, deps: WhatsAppDeps): ApiRouter {
  const declared: Array<RouteDeclaration<z.ZodType, z.ZodType, z.ZodType>> = [];
  return {
    route(declaration, handler) {
      declared.push(declaration);
      app.on(declaration.method.toUpperCase(), declaration.path, async (c) => {
        const params = parseInput(declaration.params, c.req.param(), 'path');
        const query = parseInput(declaration.query, c.req.query(), 'query');
        const payload = declaration.body && !declaration.rawBody ? await readJsonBody(c) : undefined;
        const body = declaration.body && !declaration.rawBody ? parseInput(declaration.body, payload, 'body') : undefined;
        const input = { c, params, query, body } as RouteInput<never, never, never>;
        const key = declaration.idempotent ? idempotencyKey(c) : null;
        if (key) {
          const answer = await runIdempotent(deps, { key, operation: `${declaration.method} ${c.req.path}`, payload: payload ?? null }, async () => {
            const result = await handler(input);
            if (result instanceof Response) throw new Error(`idempotent route ${declaration.path} must answer JSON`);
            return result;
          });
          if (answer.replayed) c.header('Idempotent-Replayed', 'true');
          return c.json(answer.body as object, answer.status as 200);
        }
        const result = await handler(input);
        return result instanceof Response ? result : c.json(result.body as object, result.status as 200);
      });
    },
    declarations: () => declared,
  };
}

/** Validates one part of the request; the first problem becomes a 400 naming the field. */
export function parseInput<T extends z.ZodType>(schema: T | undefined, value: unknown, where: 'path' | 'query' | 'body'): z.output<T> {
  if (!schema) return undefined as z.output<T>;
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.length > 0 ? issue.path.map(String).join('.') : where;
  throw new AppError('INVALID_INPUT', `${field}: ${issue.message}`, { details: { field } });
}

async function readJsonBody(c: Context): Promise<unknown> {
  const length = Number(c.req.header('content-length') ?? '0');
  if (length > MAX_JSON_BODY_BYTES) throw new AppError('PAYLOAD_TOO_LARGE', `the body is ${length} bytes; the API accepts at most ${MAX_JSON_BODY_BYTES}`);
  const text = await c.req.text();
  if (Buffer.byteLength(text) > MAX_JSON_BODY_BYTES) throw new AppError('PAYLOAD_TOO_LARGE', `the body is larger than ${MAX_JSON_BODY_BYTES} bytes`);
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError('INVALID_INPUT', 'body: not valid JSON', { details: { field: 'body' } });
  }
}

function idempotencyKey(c: Context): string | null {
  const key = c.req.header('idempotency-key');
  if (key === undefined) return null;
  if (!/^[\x21-\x7e]{1,255}$/.test(key)) throw new AppError('INVALID_INPUT', 'Idempotency-Key: 1 to 255 visible ASCII characters', { details: { field: 'Idempotency-Key' } });
  return key;
}

// Reusable pieces of schemas.
export const idParam = z.object({ id: z.coerce.number().int().positive() });
export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(500).default(50),
  after: z.coerce.number().int().min(0).optional(),
};
