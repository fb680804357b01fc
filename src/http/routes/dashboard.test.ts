// The dashboard's static serving: index.html never cached and hashed assets cached for a year, the
// security headers on every answer, no file outside the build directory, and a clear 503 when the
// dashboard was not built.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDashboardRoutes, DASHBOARD_CONTENT_SECURITY_POLICY } from './dashboard.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function builtDashboard(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'greenlight-dashboard-'));
  dirs.push(dir);
  mkdirSync(path.join(dir, 'assets'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><script type="module" src="/assets/index-abc123.js"></script>');
  writeFileSync(path.join(dir, 'assets/index-abc123.js'), 'console.log("dashboard")');
  writeFileSync(path.join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(path.join(path.dirname(dir), `${path.basename(dir)}-secret.txt`), 'outside');
  dirs.push(path.join(path.dirname(dir), `${path.basename(dir)}-secret.txt`));
  return dir;
}

describe('dashboard routes', () => {
  it('serves index.html at / and /index.html uncached, with a strict CSP, nosniff and no-referrer', async () => {
    const app = createDashboardRoutes({ dir: builtDashboard() });
    for (const route of ['/', '/index.html']) {
      const response = await app.request(route);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/text\/html/);
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(response.headers.get('content-security-policy')).toBe(DASHBOARD_CONTENT_SECURITY_POLICY);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(await response.text()).toContain('/assets/index-abc123.js');
    }
    expect(DASHBOARD_CONTENT_SECURITY_POLICY).toContain("default-src 'self'");
    expect(DASHBOARD_CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
  });

  it('caches content-hashed assets for a year, and does not cache the answer for a missing one', async () => {
    const app = createDashboardRoutes({ dir: builtDashboard() });
    const asset = await app.request('/assets/index-abc123.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-security-policy')).toBe(DASHBOARD_CONTENT_SECURITY_POLICY);
    const missing = await app.request('/assets/index-old999.js');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('cache-control')).toBeNull();
    expect((await app.request('/favicon.svg')).status).toBe(200);
  });

  it.each(['/assets/../index.html', '/assets/%2e%2e/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt'])('serves no file outside the build directory (%s)', async (route) => {
    const app = createDashboardRoutes({ dir: builtDashboard() });
    const response = await app.request(route);
    expect(await response.text()).not.toContain('outside');
  });

  it('answers 503 with how to build it when the dashboard was not built: a page for browsers, JSON otherwise', async () => {
    const app = createDashboardRoutes({ dir: path.join(tmpdir(), 'greenlight-no-such-dashboard') });
    const page = await app.request('/', { headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(page.status).toBe(503);
    expect(await page.text()).toContain('npm run build');
    const json = await app.request('/', { headers: { accept: 'application/json' } });
    expect(json.status).toBe(503);
    const body = (await json.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('DASHBOARD_NOT_BUILT');
    expect(body.error.message).toContain('npm run build');
    expect((await app.request('/assets/index-abc123.js')).status).toBe(404);
  });
});
