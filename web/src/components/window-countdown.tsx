// The 24-hour customer service window (Meta: free-form messages only within 24 h of the person's last
// message): a live countdown while it is open, "closed" after. Ticks every second on its own and tells
// the parent when it runs out, so the composer switches to templates without waiting for a reload.

import { useEffect, useState } from 'react';
import type { ServiceWindow } from '../api-types.ts';
import { formatDuration } from '../format.ts';

export function windowIsOpen(serviceWindow: ServiceWindow, now: number): boolean {
  return serviceWindow.open && serviceWindow.closesAt !== null && Date.parse(serviceWindow.closesAt) > now;
}

export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

export function WindowCountdown({ serviceWindow, now }: { serviceWindow: ServiceWindow; now: number }) {
  if (!windowIsOpen(serviceWindow, now)) return <span className="badge badge-neutral">window closed</span>;
  const left = Date.parse(serviceWindow.closesAt!) - now;
  return <span className={`badge ${left < 3_600_000 ? 'badge-warn' : 'badge-good'}`}>open · {formatDuration(left)} left</span>;
}
