// How simulated Graph answers are represented and written: status + JSON body, Meta's content type, the
// version segment the routes accept (any vNN.N), and the "unknown object" error every route shares.

import { graphError } from './graph-errors.ts';
import type { IdSource } from './ids.ts';

export type GraphResponse = { status: number; body: unknown };

/** Hono path segment for the Graph API version: v23.0, v25.0, … */
export const VERSION = ':version{v[0-9]+\\.[0-9]+}';

export function respond(result: GraphResponse): Response {
  return new Response(JSON.stringify(result.body), { status: result.status, headers: { 'content-type': 'application/json; charset=UTF-8' } });
}

/** Graph's answer for an id it does not know (code 100, subcode 33). */
export function unknownNode(ids: IdSource, id: string, method: string): GraphResponse {
  const message = `Unsupported ${method.toLowerCase()} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`;
  return graphError(100, ids.fbtraceId(), { subcode: 33, message });
}
