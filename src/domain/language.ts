// Language codes as Meta writes them for templates: "en", "pt_BR", "es_MX" (language lowercase,
// region uppercase, joined by "_"). Pure.

// A file has a handful of distinct languages; canonicalising each row again cost 5% of an import's time.
const cache = new Map<string, string | undefined>();
const cacheLimit = 10_000;

/** "pt-br", "PT_BR", "pt_BR" → "pt_BR"; "EN" → "en"; undefined when the text is not a language tag. */
export function normalizeLanguage(text: string): string | undefined {
  if (cache.has(text)) return cache.get(text);
  const normalized = canonicalize(text);
  if (cache.size < cacheLimit) cache.set(text, normalized);
  return normalized;
}

function canonicalize(text: string): string | undefined {
  const candidate = text.trim().replaceAll('_', '-');
  if (!/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(candidate)) return undefined;
  let canonical: string;
  try {
    [canonical = ''] = Intl.getCanonicalLocales(candidate);
  } catch {
    return undefined;
  }
  const [language, ...rest] = canonical.split('-');
  if (!language) return undefined;
  return [language.toLowerCase(), ...rest].join('_');
}
