import { describe, expect, it } from 'vitest';
import { parseInstant } from './instant.ts';

describe('parseInstant', () => {
  it.each([
    ['2024-03-01', '2024-03-01T00:00:00.000Z'],
    ['2024-03-01T10:15:00Z', '2024-03-01T10:15:00.000Z'],
    ['2024-03-01 10:15', '2024-03-01T10:15:00.000Z'],
    ['2024-03-01T10:15:30.5-03:00', '2024-03-01T13:15:30.500Z'],
    ['2024-03-01T10:15:30+0530', '2024-03-01T04:45:30.000Z'],
  ])('reads the ISO 8601 instant %s', (text, iso) => {
    expect(parseInstant(text)?.toISOString()).toBe(iso);
  });

  it.each(['03/04/2024', '2024-02-30', '2024-13-01', 'yesterday', '', '2024-03-01T25:00'])('refuses %s instead of guessing', (text) => {
    expect(parseInstant(text)).toBeNull();
  });
});
