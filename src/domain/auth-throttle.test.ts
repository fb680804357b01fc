import { describe, expect, it } from 'vitest';
import { API_AUTH_THROTTLE, throttleClientKey, throttleVerdict, withFailure, type ThrottlePolicy } from './auth-throttle.ts';

const policy: ThrottlePolicy = { maxFailures: 20, windowMs: 60_000 };
const T0 = 1_700_000_000_000;

function failuresAt(times: number[]): number[] {
  return times.reduce<number[]>((list, at) => withFailure(list, at, policy), []);
}

describe('failed-authentication throttle', () => {
  it('lets 19 wrong tokens within a minute through to the token check, and blocks the client at the 20th', () => {
    const nineteen = failuresAt(Array.from({ length: 19 }, (_, index) => T0 + index * 1_000));
    expect(throttleVerdict(nineteen, T0 + 19_000, policy)).toEqual({ blocked: false });
    const twenty = withFailure(nineteen, T0 + 19_000, policy);
    expect(throttleVerdict(twenty, T0 + 19_000, policy)).toEqual({ blocked: true, retryAfterSeconds: 41 });
  });

  it('blocks until the oldest counted failure leaves the window, then allows exactly one more attempt', () => {
    const twenty = failuresAt(Array.from({ length: 20 }, (_, index) => T0 + index * 1_000));
    expect(throttleVerdict(twenty, T0 + 59_999, policy)).toEqual({ blocked: true, retryAfterSeconds: 1 });
    expect(throttleVerdict(twenty, T0 + 60_000, policy)).toEqual({ blocked: false });
    const again = withFailure(twenty, T0 + 60_000, policy);
    expect(throttleVerdict(again, T0 + 60_000, policy)).toEqual({ blocked: true, retryAfterSeconds: 1 });
  });

  it('forgets failures older than the window: 20 failures spread over more than a minute never block', () => {
    const spread = failuresAt(Array.from({ length: 40 }, (_, index) => T0 + index * 3_200));
    expect(throttleVerdict(spread, T0 + 40 * 3_200, policy)).toEqual({ blocked: false });
  });

  it('keeps at most maxFailures times per client, so memory per client is bounded', () => {
    const many = failuresAt(Array.from({ length: 500 }, () => T0));
    expect(many).toHaveLength(20);
  });

  it('is 20 wrong tokens a minute by default', () => {
    expect(API_AUTH_THROTTLE).toEqual({ maxFailures: 20, windowMs: 60_000 });
  });
});

describe('whom failures are counted against', () => {
  it('counts a direct client by its address, ignoring an X-Forwarded-For it could have written itself', () => {
    expect(throttleClientKey('203.0.113.7', null)).toBe('203.0.113.7');
    expect(throttleClientKey('203.0.113.7', '198.51.100.1')).toBe('203.0.113.7');
    expect(throttleClientKey('::ffff:203.0.113.7', null)).toBe('203.0.113.7');
    expect(throttleClientKey(null, null)).toBe('unknown');
  });

  it('behind a proxy on the same host, counts the address the proxy saw (the last X-Forwarded-For entry)', () => {
    expect(throttleClientKey('127.0.0.1', '10.0.0.1, 198.51.100.23')).toBe('198.51.100.23');
    expect(throttleClientKey('::1', '198.51.100.23')).toBe('198.51.100.23');
    expect(throttleClientKey('::ffff:127.0.0.1', ' 2001:db8:1:2::9 ')).toBe('2001:db8:1:2::/64');
    expect(throttleClientKey('127.0.0.1', 'not an address')).toBe('127.0.0.1');
    expect(throttleClientKey('127.0.0.1', null)).toBe('127.0.0.1');
  });

  it('counts IPv6 clients by their /64, so rotating addresses inside it buys no extra guesses', () => {
    expect(throttleClientKey('2001:db8:aa:bb:1:2:3:4', null)).toBe('2001:db8:aa:bb::/64');
    expect(throttleClientKey('2001:0db8:00aa:00bb::ffff', null)).toBe('2001:db8:aa:bb::/64');
    expect(throttleClientKey('2001:db8::1', null)).toBe('2001:db8:0:0::/64');
    expect(throttleClientKey('fe80::1%eth0', null)).toBe('fe80:0:0:0::/64');
    expect(throttleClientKey('2001:db8:aa:bb:1:2:3:4', null)).not.toBe(throttleClientKey('2001:db8:aa:bc:1:2:3:4', null));
  });
});
