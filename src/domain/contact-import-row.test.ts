import { describe, expect, it } from 'vitest';
import { parseContactRow, type RowDefaults } from './contact-import-row.ts';
import { planColumnMapping } from './import-columns.ts';

const header = ['phone', 'name', 'language', 'country', 'time_zone', 'tags', 'opt_in_at', 'opt_in_text', 'consent_categories', 'opt_out_at', 'city'];
const planned = planColumnMapping(header);
if (!planned.ok) throw new Error(planned.message);
const mapping = planned.mapping;
const defaults: RowDefaults = { defaultCountry: null, optInSource: 'csv-import:test.csv', optInProof: null, categories: ['marketing', 'utility'], now: new Date('2026-01-01T00:00:00Z') };

function row(values: Partial<Record<(typeof header)[number], string>>): string[] {
  return header.map((column) => values[column] ?? '');
}

describe('parseContactRow', () => {
  it('turns a complete row into a contact and one opt-in event per category, with its proof', () => {
    const result = parseContactRow(row({ phone: '+55 11 91234-5678', name: ' Ana ', language: 'pt-br', tags: 'VIP; sp', opt_in_at: '2025-06-01', opt_in_text: 'Quero receber ofertas no WhatsApp', city: 'São Paulo' }), mapping, defaults);
    expect(result).toEqual({
      ok: true,
      contact: { phone: '+5511912345678', name: 'Ana', language: 'pt_BR', country: 'BR', timeZone: 'America/Sao_Paulo', timeZoneOverridden: false, lineType: 'mobile', attributes: { city: 'São Paulo' }, tags: ['sp', 'vip'] },
      consentEvents: [
        { category: 'marketing', kind: 'opt_in', occurredAt: new Date('2025-06-01T00:00:00Z'), source: 'csv-import:test.csv', proof: 'Quero receber ofertas no WhatsApp' },
        { category: 'utility', kind: 'opt_in', occurredAt: new Date('2025-06-01T00:00:00Z'), source: 'csv-import:test.csv', proof: 'Quero receber ofertas no WhatsApp' },
      ],
    });
  });

  it('uses the country column to read a national number, and keeps a time zone the file sets', () => {
    const result = parseContactRow(row({ phone: '(11) 91234-5678', country: 'br', time_zone: 'America/Manaus' }), mapping, defaults);
    expect(result).toMatchObject({ ok: true, contact: { phone: '+5511912345678', timeZone: 'America/Manaus', timeZoneOverridden: true } });
  });

  it('records an opt-out with only the categories the row names', () => {
    const result = parseContactRow(row({ phone: '+4915112345678', opt_out_at: '2025-07-01T12:00:00Z', consent_categories: 'marketing' }), mapping, defaults);
    expect(result).toMatchObject({ ok: true, consentEvents: [{ category: 'marketing', kind: 'opt_out' }] });
  });

  it.each([
    ['invalid_phone', { phone: '12345' }],
    ['not_mobile', { phone: '+44 20 7123 4567' }],
    ['bad_date', { phone: '+4915112345678', opt_in_at: '01/02/2025', opt_in_text: 'ok' }],
    ['future_date', { phone: '+4915112345678', opt_in_at: '2027-01-01', opt_in_text: 'ok' }],
    ['missing_proof', { phone: '+4915112345678', opt_in_at: '2025-01-01' }],
    ['bad_language', { phone: '+4915112345678', language: 'Deutsch' }],
    ['bad_time_zone', { phone: '+4915112345678', time_zone: 'Mars/Olympus' }],
    ['bad_country', { phone: '+4915112345678', country: 'Germany' }],
    ['bad_categories', { phone: '+4915112345678', opt_out_at: '2025-01-01', consent_categories: 'newsletters' }],
    ['too_long', { phone: '+4915112345678', name: 'x'.repeat(300) }],
  ])('rejects a row with reason %s and a message', (reason, values) => {
    const result = parseContactRow(row(values), mapping, defaults);
    expect(result).toMatchObject({ ok: false, reason });
    expect(!result.ok && result.message.length).toBeGreaterThan(10);
  });

  it('rejects a row whose field count differs from the header', () => {
    expect(parseContactRow(['+4915112345678', 'Max'], mapping, defaults)).toMatchObject({ ok: false, reason: 'wrong_field_count', message: 'has 2 fields where the header has 11' });
  });

  it('takes the proof from --opt-in-text when the file has no proof column', () => {
    const result = parseContactRow(row({ phone: '+4915112345678', opt_in_at: '2025-01-01' }), mapping, { ...defaults, optInProof: 'Signed the paper form' });
    expect(result).toMatchObject({ ok: true, consentEvents: [{ proof: 'Signed the paper form' }, { proof: 'Signed the paper form' }] });
  });
});
