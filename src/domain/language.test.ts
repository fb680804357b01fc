import { describe, expect, it } from 'vitest';
import { normalizeLanguage } from './language.ts';

describe('normalizeLanguage', () => {
  it.each([
    ['pt-br', 'pt_BR'],
    ['PT_BR', 'pt_BR'],
    ['en', 'en'],
    ['EN', 'en'],
    ['es_MX', 'es_MX'],
    ['zh-Hans-CN', 'zh_Hans_CN'],
  ])('writes %s the way Meta writes template languages: %s', (text, expected) => {
    expect(normalizeLanguage(text)).toBe(expected);
  });

  it.each(['english', 'p', '12', 'en__US', 'pt BR'])('refuses %s', (text) => {
    expect(normalizeLanguage(text)).toBeUndefined();
  });
});
