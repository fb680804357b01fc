import { describe, expect, it } from 'vitest';
import { normalizePhone } from './phone.ts';

describe('normalizePhone', () => {
  it.each([
    // [what people type, default country, E.164, country, time zone]
    ['+55 11 91234-5678', null, '+5511912345678', 'BR', 'America/Sao_Paulo'],
    ['(21) 99876-5432', 'BR', '+5521998765432', 'BR', 'America/Sao_Paulo'],
    ['+52 55 1234 5678', null, '+525512345678', 'MX', 'America/Mexico_City'],
    ['+1 201 555 0123', null, '+12015550123', 'US', 'America/New_York'],
    ['+1 416 555 0123', null, '+14165550123', 'CA', 'America/Toronto'],
    ['+44 7400 123456', null, '+447400123456', 'GB', 'Europe/London'],
    ['0151 12345678', 'DE', '+4915112345678', 'DE', 'Europe/Berlin'],
    ['+33 6 12 34 56 78', null, '+33612345678', 'FR', 'Europe/Paris'],
    ['612 34 56 78', 'ES', '+34612345678', 'ES', 'Europe/Madrid'],
    ['+91 98123 45678', null, '+919812345678', 'IN', 'Asia/Kolkata'],
    ['+234 803 123 4567', null, '+2348031234567', 'NG', 'Africa/Lagos'],
    ['+62 812-3456-7890', null, '+6281234567890', 'ID', 'Asia/Jakarta'],
    ['+54 9 11 2345-6789', null, '+5491123456789', 'AR', 'America/Argentina/Buenos_Aires'],
    ['+61 412 345 678', null, '+61412345678', 'AU', 'Australia/Sydney'],
    ['+7 912 345 6789', null, '+79123456789', 'RU', 'Europe/Moscow'],
    ['+86 138 1234 5678', null, '+8613812345678', 'CN', 'Asia/Shanghai'],
    ['+27 82 123 4567', null, '+27821234567', 'ZA', 'Africa/Johannesburg'],
  ])('normalises %s (default country %s) to %s in %s, %s', (raw, defaultCountry, e164, country, timeZone) => {
    expect(normalizePhone(raw, defaultCountry)).toMatchObject({ ok: true, e164, country, timeZone });
  });

  it('tells a US number from a Canadian one sharing +1 by its area code', () => {
    const us = normalizePhone('+12125551234');
    const canada = normalizePhone('+16045551234');
    expect(us).toMatchObject({ ok: true, country: 'US', timeZone: 'America/New_York' });
    expect(canada).toMatchObject({ ok: true, country: 'CA', timeZone: 'America/Vancouver' });
  });

  it('adds the ninth digit to a Brazilian mobile written in the pre-2016 eight-digit format', () => {
    expect(normalizePhone('+55 11 8123-4567')).toMatchObject({ ok: true, e164: '+5511981234567', lineType: 'mobile' });
  });

  it('drops the obsolete "1" after +52 in a Mexican mobile (the form Meta still uses in wa_id)', () => {
    expect(normalizePhone('5215512345678')).toMatchObject({ ok: true, e164: '+525512345678', country: 'MX' });
    expect(normalizePhone('+52 1 55 1234 5678')).toMatchObject({ ok: true, e164: '+525512345678' });
  });

  it.each([
    ['a wa_id without the plus sign', '5511912345678', '+5511912345678'],
    ['the 00 international prefix', '0049 151 12345678', '+4915112345678'],
    ['dots and slashes', '+49.151/12345678', '+4915112345678'],
  ])('reads %s', (_what, raw, e164) => {
    expect(normalizePhone(raw)).toMatchObject({ ok: true, e164 });
  });

  it('marks a number as mobile where the numbering plan knows, and as fixed_line_or_mobile where it cannot tell', () => {
    expect(normalizePhone('+4915112345678')).toMatchObject({ lineType: 'mobile' });
    expect(normalizePhone('+12015550123')).toMatchObject({ lineType: 'fixed_line_or_mobile' });
  });

  it.each([
    ['empty', 'an empty cell', ''],
    ['not_a_number', 'letters', 'call me'],
    ['invalid_number', 'too few digits', '+55 11'],
    ['invalid_number', 'a national number without a default country', '(11) 91234-5678'],
    ['not_mobile', 'a UK landline', '+44 20 7123 4567'],
    ['not_mobile', 'a US toll-free number', '+1 800 555 1234'],
    ['invalid_number', 'an unassigned country code', '+999 1234 5678'],
  ])('rejects with reason %s: %s', (reason, _what, raw) => {
    expect(normalizePhone(raw)).toMatchObject({ ok: false, reason });
  });

  it('leaves the time zone unknown when the prefix spans clocks that differ', () => {
    // +1 500 personal numbers are valid across all of North America; no single clock fits them.
    expect(normalizePhone('+1 500 555 0123')).toMatchObject({ ok: true, lineType: 'personal_number', timeZone: null });
  });
});
