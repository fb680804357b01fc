// Serves the web dashboard (built by `vite build --config web/vite.config.ts` into dist/web) at `/`:
// index.html never cached (a new build must show at once), the content-hashed files under /assets/
// cached for a year. Every answer carries a strict Content-Security-Policy (only this origin's own
// scripts, styles and API; no inline script, no framing) and no-referrer, because the page holds an
// API token. Without a build, `/` answers 503 saying how to build it, instead of a confusing 404.

import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono, type Context, type MiddlewareHandler } from 'hono';

export type DashboardOptions = {
  /** The built dashboard; default dist/web beside this build (src/ and dist/ are both three levels below the package). */
  dir?: string;
};

export const DASHBOARD_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const defaultDir = fileURLToPath(new URL('../../../dist/web/', import.meta.url));

const securityHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  c.res.headers.set('Content-Security-Policy', DASHBOARD_CONTENT_SECURITY_POLICY);
  c.res.headers.set('X-Content-Type-Options', 'nosniff');
  c.res.headers.set('Referrer-Policy', 'no-referrer');
  c.res.headers.set('X-Frame-Options', 'DENY');
  c.res.headers.set('Cross-Origin-Opener-Policy', 'same-origin');
};

const notBuiltMessage = 'The dashboard is not built: run `npm run build` (it runs `vite build --config web/vite.config.ts` into dist/web), then reload.';

const notBuiltPage = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Greenlight: dashboard not built</title></head>
<body><h1>Greenlight dashboard not built</h1><p>${notBuiltMessage.replace(/`([^`]+)`/g, '<code>$1</code>')}</p><p>The API works without it, under <code>/api</code>.</p></body></html>`;

export function createDashboardRoutes(options: DashboardOptions = {}): Hono {
  const dir = options.dir ?? defaultDir;
  const indexFile = path.join(dir, 'index.html');
  const app = new Hono();
  app.use('*', securityHeaders);

  let files: MiddlewareHandler | null = null;
  // Created on first use: the build may land after the server started, and serveStatic complains about a missing root.
  // The cache header goes on files found only: a 404 for a stale asset name must not be cached for a year.
  const staticFiles = (cacheControl: string): MiddlewareHandler => async (c, next) => {
    if (!existsSync(dir)) return next();
    files ??= serveStatic({ root: dir });
    const response = await files(c, next);
    if (response instanceof Response && response.status < 300) response.headers.set('Cache-Control', cacheControl);
    return response;
  };

  const index = async (c: Context) => {
    if (!existsSync(indexFile) || !statSync(indexFile).isFile()) {
      if ((c.req.header('accept') ?? '').includes('text/html')) return c.html(notBuiltPage, 503, { 'Cache-Control': 'no-store' });
      return c.json({ error: { code: 'DASHBOARD_NOT_BUILT', message: notBuiltMessage } }, 503, { 'Cache-Control': 'no-store' });
    }
    return c.html(await readFile(indexFile, 'utf8'), 200, { 'Cache-Control': 'no-cache' });
  };
  app.get('/', index);
  app.get('/index.html', index);
  app.get('/assets/*', staticFiles('public, max-age=31536000, immutable'));
  app.get('/favicon.svg', staticFiles('public, max-age=86400'));
  return app;
}
