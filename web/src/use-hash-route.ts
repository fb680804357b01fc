// Hash routing (`#/campaigns/3`): the server serves one page at `/`, so every screen has a bookmarkable
// address without any server-side route. Returns the path split into segments.

import { useEffect, useState } from 'react';

function currentPath(): string[] {
  const hash = window.location.hash.replace(/^#\/?/, '');
  // A `#token=…` fragment is a sign-in, not a screen (token.ts removes it).
  if (hash.startsWith('token=')) return [];
  return hash.split('?')[0]!.split('/').filter(Boolean).map(decodeURIComponent);
}

export function useHashRoute(): string[] {
  const [path, setPath] = useState(currentPath);
  useEffect(() => {
    const update = () => {
      setPath(currentPath());
      window.scrollTo(0, 0);
    };
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return path;
}

export function navigate(path: string): void {
  window.location.hash = path;
}
