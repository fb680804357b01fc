// Where the dashboard keeps the API token. It arrives once in the URL fragment (`/#token=…`, which never
// reaches a server or a Referer header), is moved to localStorage, and the fragment is wiped from the
// address bar and history at once so it is not bookmarked or shared by accident.

const storageKey = 'greenlight.apiToken';

/** Takes a token from `#token=…` if present (and removes it from the URL); returns the stored token. */
export function adoptTokenFromUrl(): string | null {
  const match = /^#token=([^&]+)/.exec(window.location.hash);
  if (match?.[1]) {
    saveToken(decodeURIComponent(match[1]));
    window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}#/`);
  }
  return readToken();
}

export function readToken(): string | null {
  try {
    return window.localStorage.getItem(storageKey);
  } catch {
    return null;
  }
}

export function saveToken(token: string): void {
  window.localStorage.setItem(storageKey, token.trim());
}

export function forgetToken(): void {
  window.localStorage.removeItem(storageKey);
}
