import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  MAX_TARGET_URL_CHARS, TOKEN_ALPHABET, TOKEN_LENGTH, fillLinkPlaceholder, hasLinkPlaceholder, isLinkPreviewFetcher, isValidToken, newToken,
  normalizePublicBaseUrl, trackedUrl, trackedUrlPrefix, validateTargetUrl,
} from './tracked-links.ts';

/** A byte source that hands out the given bytes in order, then zeros. */
function bytesOf(values: number[]): (count: number) => Uint8Array {
  let next = 0;
  return (count) => Uint8Array.from({ length: count }, () => values[next++] ?? 0);
}

describe('newToken', () => {
  it('makes 12 base62 characters, about 71 bits, so tokens cannot be guessed', () => {
    const token = newToken(randomBytes);
    expect(token).toMatch(/^[0-9A-Za-z]{12}$/);
    expect(TOKEN_LENGTH * Math.log2(TOKEN_ALPHABET.length)).toBeGreaterThan(71);
  });

  it('maps bytes 0–247 evenly onto the alphabet and draws again for 248–255 (no modulo bias)', () => {
    const token = newToken(bytesOf([248, 0, 255, 61, 62, 123, 124, 247, 250, 1, 2, 3, 4, 5, 6, 7, 8]));
    // 248, 255 and 250 are drawn again; 0 → '0', 61 → 'z', 62 → '0', 123 → 'z', 124 → '0', 247 → 'z'.
    expect(token).toBe('0z0z0z123456');
  });

  it('keeps drawing until it has 12 characters, even from a source of mostly rejected bytes', () => {
    const token = newToken(bytesOf([...Array<number>(40).fill(255), 10, ...Array<number>(20).fill(252), 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21]));
    expect(token).toBe('ABCDEFGHIJKL');
  });

  it('gives distinct tokens in a large sample, and uses every character of the alphabet', () => {
    const tokens = Array.from({ length: 5_000 }, () => newToken(randomBytes));
    expect(new Set(tokens).size).toBe(tokens.length);
    expect(new Set(tokens.join('')).size).toBe(62);
  });
});

describe('isValidToken', () => {
  it.each(['AbC123xyz789', '000000000000', 'zzzzzzzzzzzz'])('accepts %s', (token) => {
    expect(isValidToken(token)).toBe(true);
  });

  it.each(['', 'AbC123xyz78', 'AbC123xyz7890', 'AbC123xyz78-', 'AbC123xyz78_', 'AbC123 xyz78', '../etc/passw', 'AbC123xyz78é', 'AbC123xyz78\n'])('refuses %j', (token) => {
    expect(isValidToken(token)).toBe(false);
  });
});

describe('trackedUrl', () => {
  it.each([
    ['https://shop.example.com', 'https://shop.example.com/r/AbC123xyz789'],
    ['https://shop.example.com/', 'https://shop.example.com/r/AbC123xyz789'],
    ['  https://Shop.Example.COM//  ', 'https://shop.example.com/r/AbC123xyz789'],
    ['https://example.com/greenlight/', 'https://example.com/greenlight/r/AbC123xyz789'],
    ['https://shop.example.com:8443', 'https://shop.example.com:8443/r/AbC123xyz789'],
    ['http://localhost:3000', 'http://localhost:3000/r/AbC123xyz789'],
    ['http://127.0.0.1:3000/', 'http://127.0.0.1:3000/r/AbC123xyz789'],
  ])('puts the token under /r/ on the normalised base %j', (base, expected) => {
    expect(trackedUrl(base, 'AbC123xyz789')).toBe(expected);
  });

  it.each([
    ['http://shop.example.com', 'https'],
    ['ftp://shop.example.com', 'https'],
    ['shop.example.com', 'not a URL'],
    ['https://user:pw@shop.example.com', 'user name'],
    ['https://shop.example.com/?ref=1', 'query'],
    ['https://shop.example.com/#top', 'fragment'],
  ])('refuses the base %j: people tap the link on phones, so it is https (http only on localhost)', (base, reason) => {
    const result = normalizePublicBaseUrl(base);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.reason).toContain(reason);
    expect(() => trackedUrl(base, 'AbC123xyz789')).toThrow(/tracked links/);
  });

  it('refuses to build a link around a malformed token', () => {
    expect(() => trackedUrl('https://shop.example.com', 'short')).toThrow(/token/);
  });

  it('gives the URL button prefix, so the template URL is the prefix + {{1}} and the parameter is the token', () => {
    expect(trackedUrlPrefix('https://shop.example.com/')).toBe('https://shop.example.com/r/');
    expect(trackedUrlPrefix('https://shop.example.com') + 'AbC123xyz789').toBe(trackedUrl('https://shop.example.com', 'AbC123xyz789'));
  });
});

describe('validateTargetUrl', () => {
  it.each([
    ['https://shop.example.com/sale?utm_source=whatsapp#top', 'https://shop.example.com/sale?utm_source=whatsapp#top'],
    ['http://shop.example.com', 'http://shop.example.com/'],
    ['HTTPS://SHOP.example.com/Sale', 'https://shop.example.com/Sale'],
    ['https://bücher.example/straße', 'https://xn--bcher-kva.example/stra%C3%9Fe'],
  ])('accepts the web address %j in its normalised, ASCII form', (text, normalised) => {
    expect(validateTargetUrl(text)).toEqual({ ok: true, url: normalised });
  });

  it.each([
    ['javascript:alert(1)', 'http'],
    ['JavaScript:alert(1)', 'http'],
    ['data:text/html,<script>alert(1)</script>', 'http'],
    ['file:///etc/passwd', 'http'],
    ['mailto:a@example.com', 'http'],
    ['whatsapp://send?text=hi', 'http'],
    ['/sale', 'absolute'],
    ['shop.example.com/sale', 'absolute'],
    ['https://shop.example.com@evil.example/', 'user name'],
    ['https://shop.example.com/a b', 'spaces'],
    ['https://shop.example.com/\nLocation: x', 'control'],
    [' https://shop.example.com', 'spaces'],
    [`https://shop.example.com/${'a'.repeat(MAX_TARGET_URL_CHARS)}`, `at most ${MAX_TARGET_URL_CHARS}`],
  ])('refuses %j: a tracked link only ever opens a web page', (text, reason) => {
    const result = validateTargetUrl(text);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.reason).toContain(reason);
  });

  it('accepts exactly 2,000 characters, Meta’s URL button limit (§4.2)', () => {
    const base = 'https://shop.example.com/';
    expect(validateTargetUrl(base + 'a'.repeat(MAX_TARGET_URL_CHARS - base.length)).ok).toBe(true);
    expect(validateTargetUrl(base + 'a'.repeat(MAX_TARGET_URL_CHARS - base.length + 1)).ok).toBe(false);
  });
});

describe('fillLinkPlaceholder', () => {
  const link = 'https://shop.example.com/r/AbC123xyz789';

  it.each([
    ['Our sale starts today: {link}', `Our sale starts today: ${link}`],
    ['{link} and again {link}', `${link} and again ${link}`],
    ['No link here', 'No link here'],
    ['Braces {links} and {LINK} are left alone', 'Braces {links} and {LINK} are left alone'],
  ])('fills %j', (text, expected) => {
    expect(fillLinkPlaceholder(text, link)).toBe(expected);
  });

  it('inserts the URL literally, even with $& or $1 in it', () => {
    expect(fillLinkPlaceholder('Go: {link}', 'https://x.example/?a=$&b=$1')).toBe('Go: https://x.example/?a=$&b=$1');
  });

  it('says whether a text has the placeholder', () => {
    expect(hasLinkPlaceholder('See {link}')).toBe(true);
    expect(hasLinkPlaceholder('See {lin}')).toBe(false);
  });
});

describe('isLinkPreviewFetcher', () => {
  it.each([
    'WhatsApp/2.23.20.0 A',
    'WhatsApp/2.2407.3 i',
    'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)',
    'facebookexternalhit/1.1 Facebot Twitterbot/1.0',
    'meta-externalagent/1.1 (+https://developers.facebook.com/docs/sharing/webmasters/crawler)',
    'TelegramBot (like TwitterBot)',
    'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)',
    'Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)',
  ])('treats %j as a link preview, not a person’s click', (userAgent) => {
    expect(isLinkPreviewFetcher(userAgent)).toBe(true);
  });

  it.each([
    ['an iPhone', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1'],
    ['Chrome on Android', 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36'],
    ['an in-app browser naming WhatsApp', 'Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/124.0 Mobile Safari/537.36 WhatsApp/2.24.1'],
    ['Facebook’s in-app browser', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) Mobile/15E148 [FBAN/FBIOS;FBAV/460.0]'],
    ['an empty user agent', ''],
  ])('counts %s as a person', (_label, userAgent) => {
    expect(isLinkPreviewFetcher(userAgent)).toBe(false);
  });

  it('counts a request with no user agent as a person: it does not guess', () => {
    expect(isLinkPreviewFetcher(null)).toBe(false);
  });
});
