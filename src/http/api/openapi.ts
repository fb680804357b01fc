// The OpenAPI 3.1 document of the REST API, built from the same route declarations that validate
// requests (zod schemas turned into JSON Schema), so the document cannot drift from the code.

import { z } from 'zod';
import type { RouteDeclaration } from './api-kit.ts';

const errorSchema = {
  type: 'object',
  required: ['error'],
  properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' }, field: { type: 'string' } } } },
};

export function buildOpenApiDocument(declarations: ReadonlyArray<RouteDeclaration<z.ZodType, z.ZodType, z.ZodType>>, info: { version: string }): object {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of declarations) {
    const path = `/api${route.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`;
    const parameters = [...objectParameters(route.params, 'path'), ...objectParameters(route.query, 'query')];
    if (route.idempotent) parameters.push({ name: 'Idempotency-Key', in: 'header', required: false, description: 'Retrying with the same key returns the first answer instead of doing the work again.', schema: { type: 'string', maxLength: 255 } });
    const requestBody = route.rawBody
      ? { required: true, description: route.rawBody.description, content: { [route.rawBody.contentType]: { schema: { type: 'string' } } } }
      : route.body
        ? { required: true, content: { 'application/json': { schema: jsonSchema(route.body) } } }
        : undefined;
    const responses: Record<string, unknown> = {};
    for (const [status, description] of Object.entries(route.responses)) {
      responses[status] = Number(status) >= 400 ? { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } } : { description };
    }
    responses['401'] ??= { description: 'No valid bearer token.', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
    paths[path] ??= {};
    paths[path][route.method] = { summary: route.summary, tags: [route.tag], ...(parameters.length > 0 ? { parameters } : {}), ...(requestBody ? { requestBody } : {}), responses };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Greenlight API', version: info.version, description: 'WhatsApp campaigns through Meta\'s Cloud API, within Meta\'s rules. Errors are { error: { code, message, field? } } with the stable codes of docs/errors.md.' },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } }, schemas: { Error: errorSchema } },
    paths,
  };
}

function jsonSchema(schema: z.ZodType): object {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
}

function objectParameters(schema: z.ZodType | undefined, where: 'path' | 'query'): Array<Record<string, unknown>> {
  if (!schema) return [];
  const json = jsonSchema(schema) as { properties?: Record<string, object>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({ name, in: where, required: where === 'path' || (json.required ?? []).includes(name), schema: property }));
}
