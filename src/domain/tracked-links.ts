// Tracked links (issue 5, "Clicks and replies"): the token format, the /r/{token} address on the
// business's own domain, which targets a link may lead to, the {link} placeholder of session texts, and
// which fetches are link previews rather than a person's click. Pure: randomness comes in as bytes.

import { BUTTON_LIMITS } from './template-lint-buttons.ts';

/*
 * A token stands for one message, so one recipient: the click report counts people by it, and the
 * target may be personal (a URL button's suffix can carry a contact's order or coupon). It must not be
 * guessable or enumerable, or anyone could forge clicks for others or walk /r/… to read private
 * targets. 12 characters of base62 are 62^12 ≈ 3.2 × 10^21 values (≈ 71.4 bits): at a million
 * guesses a second, finding one of a million live tokens takes about 100 years on average.
 */
export const TOKEN_LENGTH = 12;
export const TOKEN_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const TOKEN_PATTERN = /^[0-9A-Za-z]{12}$/;

// A byte is 0–255; only 0–247 (4 × 62 values) map evenly onto the alphabet. 248–255 are drawn again,
// so every character is equally likely (a plain `byte % 62` would favour the first 8 characters).
const UNBIASED_BYTES = 256 - (256 % TOKEN_ALPHABET.length);

/** The target URL's limit: the same 2,000 characters Meta allows a URL button's address (§4.2). */
export const MAX_TARGET_URL_CHARS = BUTTON_LIMITS.urlChars;

/** The path a tracked link lives under, on the public base URL (http/routes/redirect.ts serves it). */
export const REDIRECT_PATH = '/r/';

/** A new token from a source of random bytes (node:crypto randomBytes in production). */
export function newToken(randomBytes: (count: number) => Uint8Array): string {
  let token = '';
  while (token.length < TOKEN_LENGTH) {
    // A few spare bytes, so a rejected byte rarely costs another call.
    for (const byte of randomBytes(TOKEN_LENGTH - token.length + 4)) {
      if (byte >= UNBIASED_BYTES) continue;
      token += TOKEN_ALPHABET[byte % TOKEN_ALPHABET.length];
      if (token.length === TOKEN_LENGTH) break;
    }
  }
  return token;
}

/** Exactly 12 base62 characters; anything else is refused before the database is asked. */
export function isValidToken(text: string): boolean {
  return TOKEN_PATTERN.test(text);
}

export type BaseUrlResult = { ok: true; baseUrl: string } | { ok: false; reason: string };

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The public address `serve` is reached at, as "https://host[/prefix]" without a trailing slash.
 * https is required except on localhost: recipients tap the link on their phones, over mobile
 * networks, and a plain-http link can be rewritten on the way (and browsers warn about it). No query
 * or fragment: the token is appended to the path.
 */
export function normalizePublicBaseUrl(text: string): BaseUrlResult {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return { ok: false, reason: `"${text}" is not a URL like "https://shop.example.com"` };
  }
  const local = LOCAL_HOSTS.has(url.hostname);
  if (url.protocol !== 'https:' && !(local && url.protocol === 'http:')) return { ok: false, reason: `"${text}" must be an https:// address (http:// only for localhost): people open tracked links on their phones` };
  if (url.username || url.password) return { ok: false, reason: `"${text}" must not contain a user name or password` };
  if (url.search || url.hash) return { ok: false, reason: `"${text}" must not have a query (?…) or fragment (#…): the token is added to its path` };
  return { ok: true, baseUrl: `${url.origin}${url.pathname.replace(/\/+$/, '')}` };
}

/**
 * What a URL button's fixed part must be for tracking ("https://shop.example.com/r/"), so the
 * template's URL is "https://shop.example.com/r/{{1}}" and the button's one trailing variable (§4.2)
 * is the token. Throws on an invalid base URL: configuration is checked before anything is sent.
 */
export function trackedUrlPrefix(publicBaseUrl: string): string {
  const base = normalizePublicBaseUrl(publicBaseUrl);
  if (!base.ok) throw new Error(`tracked links: ${base.reason}`);
  return `${base.baseUrl}${REDIRECT_PATH}`;
}

/** The full tracked link, "https://shop.example.com/r/AbC123xyz789", for a session text's {link}. */
export function trackedUrl(publicBaseUrl: string, token: string): string {
  if (!isValidToken(token)) throw new Error('tracked links: the token is not 12 base62 characters');
  return `${trackedUrlPrefix(publicBaseUrl)}${token}`;
}

export type TargetUrlResult = { ok: true; url: string } | { ok: false; reason: string };

/**
 * Where a tracked link may lead: an absolute http(s) address with a host, no user name or password
 * (https://shop.example.com@evil.example is a classic disguise), no spaces or control characters,
 * at most 2,000 characters. Returns the URL in its normalised form (punycode host, percent-encoded
 * path), which is what is stored and sent as the redirect's Location header, so it is plain ASCII.
 * javascript:, data:, file: and the like are refused: the redirect must only ever open a web page.
 */
export function validateTargetUrl(text: string): TargetUrlResult {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0020\u007f]/.test(text)) return { ok: false, reason: 'the link contains spaces or control characters; percent-encode them' };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, reason: `"${text.slice(0, 100)}" is not an absolute URL like "https://shop.example.com/sale"` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, reason: `links must be http:// or https://, not ${url.protocol}` };
  if (url.hostname === '') return { ok: false, reason: 'the link has no host' };
  if (url.username || url.password) return { ok: false, reason: 'the link must not contain a user name or password (it disguises where it leads)' };
  if (url.href.length > MAX_TARGET_URL_CHARS) return { ok: false, reason: `the link is ${url.href.length} characters; at most ${MAX_TARGET_URL_CHARS}` };
  return { ok: true, url: url.href };
}

/** The placeholder a campaign's session text uses for its tracked link. */
export const LINK_PLACEHOLDER = '{link}';

export function hasLinkPlaceholder(text: string): boolean {
  return text.includes(LINK_PLACEHOLDER);
}

/**
 * Puts the tracked link where the session text says {link} (every occurrence). split/join, not
 * String.replace: a URL may contain "$&" or "$1", which replace() would expand.
 */
export function fillLinkPlaceholder(text: string, url: string): string {
  return text.split(LINK_PLACEHOLDER).join(url);
}

/*
 * Link-preview fetchers are not clicks. Every tracked URL is unique to one recipient, so a preview
 * fetched once per URL (Meta's servers for a text sent with preview_url, a phone building the preview
 * when the message is forwarded into another chat) would be counted as if every recipient had clicked.
 * They still get the redirect, so the preview shows the real page. Only these known fetchers are
 * excluded; a request with no user agent still counts: we do not guess.
 * WhatsApp's own fetcher sends "WhatsApp/2.23.20.0 A" (no "Mozilla/"), so it is matched only at the
 * start, never inside a browser's user agent. In-app browsers (Facebook's "FBAN", LinkedIn's
 * "LinkedInApp", Telegram's, Viber's) are people and are not matched.
 */
const PREVIEW_FETCHERS = /^WhatsApp\/|facebookexternalhit|facebot|meta-externalagent|telegrambot|slackbot|twitterbot|discordbot|skypeuripreview|linkedinbot|pinterestbot|redditbot/i;

export function isLinkPreviewFetcher(userAgent: string | null): boolean {
  return userAgent !== null && PREVIEW_FETCHERS.test(userAgent);
}
