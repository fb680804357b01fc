import { describe, expect, it } from 'vitest';
import { serviceWindowStatus } from './service-window-status.ts';

const HOUR = 60 * 60 * 1000;
const now = new Date('2026-11-23T09:00:00Z');
const ago = (hours: number) => new Date(now.getTime() - hours * HOUR);

describe('serviceWindowStatus', () => {
  it.each([
    ['is open 2 h after the contact wrote, closing 15 min before Meta\'s 24 h end', ago(2), { open: true, closesAt: new Date(ago(2).getTime() + 24 * HOUR - 15 * 60_000) }],
    ['is closed in the last 15 minutes, when a free-form send is already refused', ago(23.9), { open: false, closesAt: new Date(ago(23.9).getTime() + 24 * HOUR - 15 * 60_000) }],
    ['is closed with no closing time when the contact never wrote', null, { open: false, closesAt: null }],
  ])('%s', (_name, lastInboundAt, expected) => {
    expect(serviceWindowStatus(lastInboundAt, now)).toEqual(expected);
  });

  it('is open exactly while now is before closesAt', () => {
    const { closesAt } = serviceWindowStatus(ago(1), now);
    expect(serviceWindowStatus(ago(1), new Date(closesAt!.getTime() - 1)).open).toBe(true);
    expect(serviceWindowStatus(ago(1), closesAt!).open).toBe(false);
  });
});
