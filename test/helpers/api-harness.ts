// The REST API on a campaign harness: the real HTTP app (createHttpApp with the API mounted), a
// database on either engine, the simulator as Meta, and a valid bearer token. `call` sends one
// request through app.request (no socket) and returns the status and parsed body.

import { issueApiToken } from '../../src/actions/issue-api-token.ts';
import { loadDefaultRateCard } from '../../src/domain/rate-card.ts';
import { createHttpApp } from '../../src/http/app.ts';
import type { DbKind } from '../../src/store/db.ts';
import { createCampaignHarness, PUBLIC_URL } from './campaign-harness.ts';
import type { SimulatorOptions } from '../../src/simulator/simulator-options.ts';

export type ApiCall = { status: number; body: any; headers: Headers; text: string };

export async function createApiHarness(kind: DbKind, options: { simulator?: SimulatorOptions } = {}) {
  const h = await createCampaignHarness(kind, options);
  const app = createHttpApp(h.deps, { webhook: { appSecret: 'secret', verifyToken: null }, api: { deps: h.deps, environment: { mode: 'simulator', rateCard: loadDefaultRateCard(), publicUrl: PUBLIC_URL } } });
  const token = await issueApiToken(h.deps, 'test');

  /** One API request. `token: null` sends none; `rawBody` is sent as is (with `contentType`). */
  async function call(method: string, path: string, request: { body?: unknown; rawBody?: string; contentType?: string; token?: string | null; headers?: Record<string, string> } = {}): Promise<ApiCall> {
    const headers: Record<string, string> = { ...request.headers };
    const bearer = request.token === undefined ? token : request.token;
    if (bearer !== null) headers.authorization = `Bearer ${bearer}`;
    let body: string | undefined;
    if (request.rawBody !== undefined) {
      body = request.rawBody;
      headers['content-type'] = request.contentType ?? 'text/plain';
    } else if (request.body !== undefined) {
      body = JSON.stringify(request.body);
      headers['content-type'] = 'application/json';
    }
    const response = await app.request(path, { method, headers, body });
    const text = await response.text();
    return { status: response.status, body: parseJson(text), headers: response.headers, text };
  }

  return { ...h, app, token, call };
}

function parseJson(text: string): unknown {
  try {
    return text === '' ? null : JSON.parse(text);
  } catch {
    return null;
  }
}

export type ApiHarness = Awaited<ReturnType<typeof createApiHarness>>;
