// What the dispatch benchmark sends and to whom: contacts with a marketing opt-in written straight
// with SQL (generate_series: the import has its own benchmark), senders at Meta's HIGH throughput on an
// account without a 24 h messaging limit, one APPROVED template, and the campaign documents. Nothing
// is synced from Meta. Also the payload the client-limit run sends, rendered exactly as the dispatcher
// renders it.

import { parseCampaignSpec, variableMappingOf } from '../../dist/domain/campaign-spec.js';
import { renderTemplate } from '../../dist/domain/template-render.js';
import { upsertWabaState } from '../../dist/store/account-signals.js';
import { insertSender } from '../../dist/store/senders.js';
import { upsertSyncedTemplate } from '../../dist/store/templates.js';

export const WABA_ID = '990000000000001';
export const TEMPLATE_NAME = 'bench_winter_sale';
export const PLAN_TAG = 'plan';
export const dispatchTag = (index) => `dispatch-${index}`;
export const phoneNumberIdOf = (index) => `99000000000${String(100 + index)}`;

/** German mobile numbers (+49 151 and 8 free digits, all accepted by normalizePhone): contact n is +49151 n. */
const phoneSql = (n) => `'+49151' || lpad(${n}::text, 8, '0')`;
export const phoneOf = (n) => `+49151${String(n).padStart(8, '0')}`;

export const templateDefinition = {
  name: TEMPLATE_NAME,
  language: 'en_US',
  category: 'MARKETING',
  parameterFormat: 'positional',
  header: null,
  body: { text: 'Hi {{1}}, our winter sale starts today: 20% off everything in store. Reply STOP to opt out.', examples: { 1: 'Ana' } },
  footer: null,
  buttons: [],
};

/**
 * Contacts 1…total (ids follow the numbers in a fresh database): the first `planRows` tagged for the
 * planning campaign, the first `dispatchRows` spread over one tag per dispatch campaign; every one with
 * a marketing opt-in 30 days old. Returns the time of each statement.
 */
export async function seedContacts(db, { planRows, dispatchRows, senders }, now) {
  const total = Math.max(planRows, dispatchRows);
  const startedAt = performance.now();
  await db.query(
    `insert into contacts (phone, name, language, country, time_zone, line_type, tags, created_at, updated_at)
     select ${phoneSql('g')}, 'Person ' || g, 'en_US', 'DE', 'Europe/Berlin', 'mobile',
       (case when g <= $2 then array['${PLAN_TAG}'] else array[]::text[] end)
         || (case when g <= $3 then array['dispatch-' || (g % $4)] else array[]::text[] end),
       $5, $5
     from generate_series(1, $1::integer) g`,
    [total, planRows, dispatchRows, senders, now],
  );
  const contactsMs = performance.now() - startedAt;
  await db.query(
    `insert into consent_events (contact_id, category, kind, occurred_at, recorded_at, source, proof)
     select id, 'marketing', 'opt_in', $1, $2, 'bench signup form', 'Yes, send me offers on WhatsApp' from contacts`,
    [new Date(now.getTime() - 30 * 24 * 60 * 60 * 1000), now],
  );
  const consentMs = performance.now() - startedAt - contactsMs;
  // Contacts imported some time before a campaign have planner statistics (autovacuum's analyze);
  // freshly bulk-inserted ones would not yet.
  await db.exec('analyze contacts; analyze consent_events');
  return { contacts: total, contactsMs, consentMs, analyzeMs: performance.now() - startedAt - contactsMs - consentMs };
}

/** `count` senders on one WABA, HIGH throughput and GREEN, the WABA unlimited, the template APPROVED. */
export async function seedSenders(db, count, now) {
  const senders = [];
  for (let index = 0; index < count; index += 1) {
    const { sender } = await insertSender(db, { phoneNumberId: phoneNumberIdOf(index), wabaId: WABA_ID, displayPhoneNumber: `1555010${String(1000 + index)}`, throughputShare: 1, useMarketingMessagesApi: false }, now);
    senders.push(sender);
  }
  await db.query(
    `update senders set throughput_level = 'HIGH', quality_rating = 'GREEN', messaging_limit_tier = 'TIER_UNLIMITED', status = 'CONNECTED', can_send_message = 'AVAILABLE', synced_at = $1 where waba_id = $2`,
    [now, WABA_ID],
  );
  // messaging_limit_users null is Meta's unlimited tier: the 24 h limit never defers a message.
  await upsertWabaState(db, WABA_ID, { messagingLimitTier: 'TIER_UNLIMITED', messagingLimitUsers: null, restrictions: [], banState: null }, now);
  await upsertSyncedTemplate(
    db,
    WABA_ID,
    { name: TEMPLATE_NAME, language: 'en_US' },
    { metaTemplateId: '990000000000777', status: 'APPROVED', category: 'MARKETING', qualityScore: 'GREEN', rejectionReason: null, pendingCategory: null, definition: templateDefinition },
    now,
  );
  return senders;
}

/** A campaign with no canary, quiet hours or frequency cap, so every recipient is due at launch. */
export function campaignDocument({ name, senderIndex, tag }) {
  return {
    name,
    sender: phoneNumberIdOf(senderIndex),
    template: TEMPLATE_NAME,
    defaultLanguage: 'en_US',
    audience: { tags: [tag] },
    variables: { body: { 1: { from: 'contact', field: 'first_name', fallback: 'there' } } },
    quietHours: false,
    canary: false,
    frequencyCap: false,
  };
}

/**
 * The client-limit run's messages: what the dispatcher sends to contact n, built as send-batch.ts builds
 * it ("+E.164", "gl:{id}" callback data, the template rendered for the contact), without any database.
 * Every contact's first name is "Person", so one rendering serves them all and the run times the client only.
 */
export function createOutbound() {
  const parsed = parseCampaignSpec(campaignDocument({ name: 'client limit', senderIndex: 0, tag: dispatchTag(0) }));
  if (!parsed.ok) throw new Error(`the bench campaign document is invalid: ${JSON.stringify(parsed.errors)}`);
  const contact = {
    id: 1, phone: phoneOf(1), waId: null, businessUserId: null, name: 'Person 1', language: 'en_US', country: 'DE', timeZone: 'Europe/Berlin',
    timeZoneOverridden: false, lineType: 'mobile', attributes: {}, tags: [], createdAt: new Date(0), updatedAt: new Date(0),
  };
  const rendered = renderTemplate(templateDefinition, contact, variableMappingOf(parsed.spec));
  if (!rendered.ok) throw new Error(`the bench template does not render: ${rendered.message}`);
  return (n) => ({ to: phoneOf(n), bizOpaqueCallbackData: `gl:${n}`, type: 'template', template: rendered.send });
}
