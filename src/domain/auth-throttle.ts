// Throttling of failed API-token attempts per client: after `maxFailures` wrong tokens from one client
// within `windowMs`, every request from it is refused (even with a right token) until the oldest of
// those failures leaves the window. Successes do not count. Pure: the caller keeps one list of failure
// times per client (http/api/api-auth.ts keeps them in memory) and passes `now` in milliseconds.

export type ThrottlePolicy = { maxFailures: number; windowMs: number };

/** 20 wrong tokens a minute: a person mistyping never gets there; a guesser gets 20 guesses a minute at most. */
export const API_AUTH_THROTTLE: ThrottlePolicy = { maxFailures: 20, windowMs: 60_000 };

export type ThrottleVerdict = { blocked: false } | { blocked: true; retryAfterSeconds: number };

/** The failures still inside the window at `now`, oldest first. */
export function liveFailures(failures: readonly number[], now: number, policy: ThrottlePolicy): number[] {
  return failures.filter((at) => now - at < policy.windowMs);
}

export function throttleVerdict(failures: readonly number[], now: number, policy: ThrottlePolicy): ThrottleVerdict {
  const live = liveFailures(failures, now, policy);
  if (live.length < policy.maxFailures) return { blocked: false };
  // Free again when enough failures have aged out to leave room for one more attempt.
  const freedAt = live[live.length - policy.maxFailures]! + policy.windowMs;
  return { blocked: true, retryAfterSeconds: Math.max(1, Math.ceil((freedAt - now) / 1000)) };
}

/**
 * Adds one failure. Only the last `maxFailures` are kept: a blocked client's attempts are not checked
 * (so not added), and more would not change the verdict, so memory per client stays bounded.
 */
export function withFailure(failures: readonly number[], now: number, policy: ThrottlePolicy): number[] {
  return [...liveFailures(failures, now, policy), now].slice(-policy.maxFailures);
}

/**
 * Whom to count failures against. The peer address, except behind a proxy on the same host (a loopback
 * peer), where the last X-Forwarded-For entry (the address that proxy saw) is the client: otherwise
 * every client would share the proxy's count, and one guesser would lock out everyone. An IPv6 client
 * is counted by its /64, the block a single subscriber usually holds, so rotating addresses within it
 * buys no extra guesses.
 */
export function throttleClientKey(peer: string | null, forwardedFor: string | null): string {
  let address = peer?.trim() || 'unknown';
  if (isLoopback(address) && forwardedFor) {
    const last = forwardedFor.split(',').at(-1)?.trim();
    if (last && /^[0-9a-fA-F:.]{2,45}$/.test(last)) address = last;
  }
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped) return mapped[1]!;
  return address.includes(':') ? (ipv6Prefix64(address) ?? address) : address;
}

function isLoopback(address: string): boolean {
  return address === '::1' || /^(::ffff:)?127\./i.test(address);
}

/** The first four groups of an IPv6 address, written in full (`2001:db8:0:0::/64`); null when it does not parse. */
function ipv6Prefix64(address: string): string | null {
  const bare = address.split('%')[0]!.toLowerCase();
  const halves = bare.split('::');
  if (halves.length > 2) return null;
  const groupsOf = (part: string | undefined): string[] => (part ? part.split(':') : []);
  const head = groupsOf(halves[0]);
  const tail = groupsOf(halves[1]);
  // A dotted IPv4 ending (::ffff:1.2.3.4 and the like) stands for two groups.
  const width = (parts: string[]) => parts.reduce((sum, part) => sum + (part.includes('.') ? 2 : 1), 0);
  const missing = 8 - width(head) - width(tail);
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array.from({ length: halves.length === 1 ? 0 : missing }, () => '0'), ...tail];
  const prefix = groups.slice(0, 4);
  if (!prefix.every((group) => /^[0-9a-f]{1,4}$/.test(group))) return null;
  return `${prefix.map((group) => Number.parseInt(group, 16).toString(16)).join(':')}::/64`;
}
