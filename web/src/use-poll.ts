// Loads data from the API and, with an interval, keeps reloading it while the screen is open: the live
// view of a campaign, a sender, the inbox. A failed reload keeps the last good data and shows the error
// beside it; the page itself never goes blank because the server hiccuped.

import { useCallback, useEffect, useRef, useState } from 'react';

export type Loaded<T> = { data: T | null; error: Error | null; loading: boolean; reload: () => Promise<void> };

/** `keepStale`: when the keys change, keep showing the old data until the new arrives (a preview being typed into). */
export function usePoll<T>(load: () => Promise<T>, keys: readonly unknown[], intervalMs: number | null = null, keepStale = false): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [loading, setLoading] = useState(true);
  const loadRef = useRef(load);
  loadRef.current = load;
  const generation = useRef(0);

  const reload = useCallback(async () => {
    const mine = generation.current;
    try {
      const value = await loadRef.current();
      if (mine !== generation.current) return;
      setData(value);
      setError(null);
    } catch (failure) {
      if (mine !== generation.current) return;
      setError(failure instanceof Error ? failure : new Error(String(failure)));
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }, []);

  useEffect(() => {
    generation.current += 1;
    if (!keepStale) setData(null);
    setError(null);
    setLoading(true);
    void reload();
    if (intervalMs === null) return undefined;
    const timer = window.setInterval(() => {
      // A hidden tab does not need live numbers; polling resumes when it is shown again.
      if (document.visibilityState === 'visible') void reload();
    }, intervalMs);
    return () => window.clearInterval(timer);
    // The caller's keys decide when the data is another thing altogether (another campaign id).
  }, [...keys, intervalMs, reload, keepStale]);

  return { data, error, loading, reload };
}
