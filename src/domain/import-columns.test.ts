import { describe, expect, it } from 'vitest';
import { detectDelimiter, parseMapOverride, planColumnMapping } from './import-columns.ts';

describe('planColumnMapping', () => {
  it('recognises common header names in several languages and keeps the rest as attributes', () => {
    const result = planColumnMapping(['Telefone', 'Nome', 'Idioma', 'Tags', 'Opt-In At', 'City', 'Plan']);
    expect(result).toEqual({
      ok: true,
      mapping: { fieldCount: 7, columns: { phone: 0, name: 1, language: 2, tags: 3, optInAt: 4 }, attributes: [['city', 5], ['plan', 6]] },
    });
  });

  it('lets --map name a column exactly, overriding the guess', () => {
    const result = planColumnMapping(['id', 'Celular do cliente', 'phone'], { phone: 'Celular do cliente' });
    expect(result.ok && result.mapping.columns.phone).toBe(1);
    expect(result.ok && result.mapping.attributes).toEqual([['id', 0], ['phone', 2]]);
  });

  it('refuses a file with no phone column and says which columns it saw', () => {
    expect(planColumnMapping(['name', 'email'])).toEqual({ ok: false, message: expect.stringContaining('no phone column') as string });
    expect(planColumnMapping(['name', 'email'])).toMatchObject({ message: expect.stringContaining('name, email') as string });
  });

  it('refuses a --map that names a column the file does not have', () => {
    expect(planColumnMapping(['phone'], { name: 'Nome' })).toMatchObject({ ok: false, message: expect.stringContaining('no column is called "Nome"') as string });
  });

  it('refuses a header that names the same column twice', () => {
    expect(planColumnMapping(['phone', 'Phone'])).toMatchObject({ ok: false });
  });
});

describe('parseMapOverride', () => {
  it.each([
    ['phone=Telefone', ['phone', 'Telefone']],
    ['opt_in_at=Data do consentimento', ['optInAt', 'Data do consentimento']],
    ['time_zone=TZ', ['timeZone', 'TZ']],
  ])('reads %s', (text, expected) => {
    expect(parseMapOverride(text)).toEqual(expected);
  });

  it.each(['phone', '=x', 'email=E-mail', 'phone='])('refuses %s', (text) => {
    expect(parseMapOverride(text)).toBeNull();
  });
});

describe('detectDelimiter', () => {
  it.each([
    ['phone,name,tags', ','],
    ['phone;name;"a,b"', ';'],
    ['phone\tname\ttags', '\t'],
    ['phone', ','],
  ])('guesses the delimiter of %j', (line, expected) => {
    expect(detectDelimiter(line)).toBe(expected);
  });
});
