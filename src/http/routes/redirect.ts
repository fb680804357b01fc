// The tracked-link redirect, GET /r/{token}: 302 to the link's target, recording the click. Public by
// nature (recipients tap it on their phones), so it reveals nothing: one plain 404 page for malformed
// and unknown tokens alike, no JSON, no stack traces, and no Referer carrying the token onwards.

import { Hono, type Context } from 'hono';
import { recordClick } from '../../actions/record-click.ts';
import type { Deps } from '../../deps.ts';
import { isValidToken } from '../../domain/tracked-links.ts';
import { findClickLinkUrl } from '../../store/click-links.ts';

// no-store: every tap must reach us to be counted, never a cached redirect (a browser or proxy keeps a
// 302 only if told to, but some keep it anyway without this). no-referrer: the target site must not
// learn the token (it identifies a recipient) from the Referer header.
const REDIRECT_HEADERS = { 'cache-control': 'no-store', 'referrer-policy': 'no-referrer', 'x-robots-tag': 'noindex' };
const PAGE_HEADERS = { ...REDIRECT_HEADERS, 'content-type': 'text/html; charset=utf-8', 'x-content-type-options': 'nosniff' };

export function createRedirectRoutes(deps: Deps): Hono {
  const app = new Hono();

  // Hono answers HEAD with this GET handler (and drops the body); HEAD is a link checker, not a tap.
  app.get('/:token', async (c) => {
    const token = c.req.param('token');
    if (!isValidToken(token)) return notFound(c);
    try {
      const url = c.req.method === 'HEAD'
        ? await findClickLinkUrl(deps.db, token)
        : await recordClick(deps.db, token, { userAgent: c.req.header('user-agent') ?? null }, deps.clock.now());
      if (url === null) return notFound(c);
      return c.body(null, 302, { ...REDIRECT_HEADERS, location: url });
    } catch (error) {
      // The app's JSON error would be read by a person: log it, show a page.
      deps.log.error('tracked link redirect failed', { error });
      return c.body(page('Please try again', 'This link is temporarily unavailable. Please try again in a minute.'), 503, { ...PAGE_HEADERS, 'retry-after': '60' });
    }
  });

  // /r, /r/ and /r/a/b: the same page as an unknown token, whatever the method.
  app.all('*', (c) => notFound(c));

  return app;
}

function notFound(c: Context): Response {
  return c.body(page('Link not found', 'This link is not valid. Check that it was copied completely, or ask the sender for a new one.'), 404, PAGE_HEADERS);
}

function page(title: string, text: string): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 32rem; margin: 3rem auto; padding: 0 1rem"><h1>${title}</h1><p>${text}</p></body></html>
`;
}
