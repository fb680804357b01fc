import { describe, expect, it } from 'vitest';
import { redactIdentifiers } from './redact-webhook-payload.ts';

const ERASED = '4915112345001';
const OTHER = '4915112345002';

const payload = {
  object: 'whatsapp_business_account',
  entry: [{
    id: '102290129340398',
    changes: [{
      field: 'messages',
      value: {
        messaging_product: 'whatsapp',
        metadata: { display_phone_number: '15550783881', phone_number_id: '106540352242922' },
        contacts: [{ profile: { name: 'Anna Schmidt' }, wa_id: ERASED }, { profile: { name: 'Ben' }, wa_id: OTHER }],
        messages: [{ from: ERASED, id: 'wamid.in1', type: 'text', text: { body: 'Mein Geheimwort' } }, { from: OTHER, id: 'wamid.in2', type: 'text', text: { body: 'Hi' } }],
        statuses: [{ id: 'wamid.out1', status: 'read', recipient_id: ERASED }, { id: 'wamid.out2', status: 'delivered', recipient_id: OTHER }],
      },
    }],
  }],
};

describe('redactIdentifiers', () => {
  it('cuts out every entry naming the erased person and keeps everyone else\'s events whole', () => {
    const { payload: redacted, removed } = redactIdentifiers(payload, new Set([ERASED]));
    expect(removed).toBe(3);
    expect(JSON.stringify(redacted)).not.toContain(ERASED);
    expect(JSON.stringify(redacted)).not.toContain('Anna');
    expect(JSON.stringify(redacted)).not.toContain('Geheimwort');
    const value = (redacted as typeof payload).entry[0]!.changes[0]!.value;
    expect(value.contacts).toEqual([payload.entry[0]!.changes[0]!.value.contacts[1]]);
    expect(value.messages).toEqual([payload.entry[0]!.changes[0]!.value.messages[1]]);
    expect(value.statuses).toEqual([payload.entry[0]!.changes[0]!.value.statuses[1]]);
    expect(value.metadata).toEqual(payload.entry[0]!.changes[0]!.value.metadata);
  });

  it('changes nothing, and does not touch its input, when nobody erased is named', () => {
    const before = JSON.stringify(payload);
    expect(redactIdentifiers(payload, new Set(['4900000000000']))).toEqual({ payload, removed: 0 });
    redactIdentifiers(payload, new Set([ERASED]));
    expect(JSON.stringify(payload)).toBe(before);
  });

  it('matches whole identifiers only, not numbers that contain one', () => {
    const statuses = { statuses: [{ recipient_id: `${ERASED}9` }, { recipient_id: ERASED }] };
    expect(redactIdentifiers(statuses, new Set([ERASED]))).toEqual({ payload: { statuses: [{ recipient_id: `${ERASED}9` }] }, removed: 1 });
  });
});
