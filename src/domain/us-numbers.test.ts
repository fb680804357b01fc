import { describe, expect, it } from 'vitest';
import { isUsNumber, numberCountry } from './us-numbers.ts';

describe('isUsNumber', () => {
  it.each([
    ['treats a Washington DC number (+1 202) as US', '+12025550123', true],
    ['treats a New Jersey number (+1 201) as US', '+12015550123', true],
    ['treats a toll-free +1 800 number as US (its plan is the US one)', '+18005551234', true],
    ['treats a Puerto Rico number (+1 787) as US: a US territory in the US plan', '+17875551234', true],
    ['treats a Guam number (+1 671) as US', '+16715551234', true],
    ['does not treat a Toronto number (+1 416) as US', '+14165550123', false],
    ['does not treat an Ottawa number (+1 613) as US', '+16135551234', false],
    ['does not treat a Jamaica number (+1 876) as US', '+18765551234', false],
    ['does not treat a Brazilian number as US', '+5511912345678', false],
    ['reads a number written without its "+" (as Meta writes wa_id)', '12025550123', true],
  ])('%s', (_name, phone, expected) => {
    expect(isUsNumber(phone)).toBe(expected);
  });

  it('treats a +1 number whose area code cannot be placed as US, so marketing is withheld when in doubt', () => {
    expect(isUsNumber('+10005550123')).toBe(true);
  });
});

describe('numberCountry', () => {
  it.each([
    ['reads Brazil from +55', '+5511912345678', 'BR'],
    ['reads Canada from a +1 416 number', '+14165550123', 'CA'],
    ['returns null for a number no plan places', '+999123', null],
  ])('%s', (_name, phone, expected) => {
    expect(numberCountry(phone)).toBe(expected);
  });
});
