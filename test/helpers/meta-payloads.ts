// Builders for webhook bodies in Meta's documented shapes (whatsapp-rules.md §6), for tests that
// need many variations. The fixtures in test/fixtures/meta/ are the reference shapes.

export const wabaId = '102290129340398';
export const phoneNumberId = '106540352242922';
export const displayPhoneNumber = '15550783881';

export function envelope(field: string, value: Record<string, unknown>): Record<string, unknown> {
  return { object: 'whatsapp_business_account', entry: [{ id: wabaId, time: 1750000000, changes: [{ field, value }] }] };
}

const metadata = { display_phone_number: displayPhoneNumber, phone_number_id: phoneNumberId };

export function statusWebhook(statuses: Array<{ wamid: string; status: string; timestamp: number; recipient?: string; errors?: unknown[]; pricing?: unknown }>): Record<string, unknown> {
  return envelope('messages', {
    messaging_product: 'whatsapp',
    metadata,
    statuses: statuses.map((status) => ({
      id: status.wamid,
      status: status.status,
      timestamp: String(status.timestamp),
      recipient_id: status.recipient ?? '4915112345678',
      ...(status.errors ? { errors: status.errors } : {}),
      ...(status.pricing ? { pricing: status.pricing } : {}),
    })),
  });
}

export function inboundWebhook(message: { wamid: string; from?: string; timestamp: number; text?: string; button?: { text: string; payload: string }; referral?: Record<string, unknown>; userId?: string }): Record<string, unknown> {
  const from = message.from ?? '4915112345678';
  const body: Record<string, unknown> = message.button ? { type: 'button', button: message.button } : { type: 'text', text: { body: message.text ?? 'hello' } };
  return envelope('messages', {
    messaging_product: 'whatsapp',
    metadata,
    contacts: [{ profile: { name: 'Max Mustermann' }, wa_id: from, ...(message.userId ? { user_id: message.userId } : {}) }],
    messages: [{ from, id: message.wamid, timestamp: String(message.timestamp), ...body, ...(message.referral ? { referral: message.referral } : {}), ...(message.userId ? { from_user_id: message.userId } : {}) }],
  });
}

export function userPreferenceWebhook(waId: string, value: 'stop' | 'resume', timestamp: number): Record<string, unknown> {
  return envelope('user_preferences', {
    messaging_product: 'whatsapp',
    metadata,
    contacts: [{ wa_id: waId, profile: { name: 'Max' } }],
    user_preferences: [{ wa_id: waId, detail: 'User requested to stop marketing messages', category: 'marketing_messages', value, timestamp }],
  });
}
