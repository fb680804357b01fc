// SQL that loads, for a batch of contacts at once, everything the send decision needs to know about
// them: consent, active suppressions, recent campaign messages, service windows with the sender, and
// the portfolio's 24 h reach. A few statements per batch, never one per contact.

import type { Consent, ConsentCategory } from '../domain/consent.ts';
import type { SuppressionState } from '../domain/send-eligibility.ts';
import type { SuppressionReason } from '../domain/suppression.ts';
import type { ServiceWindowState } from '../domain/service-window.ts';
import type { TemplateCategory } from '../domain/template.ts';
import type { Db } from './db.ts';

/** Current consent per contact by the ledger's rule (domain/consent.ts): latest wins, an opt-out wins a tie. */
export async function loadConsents(db: Db, contactIds: readonly number[]): Promise<Map<number, Consent>> {
  const rows = await db.query<{ contact_id: number; category: ConsentCategory; kind: 'opt_in' | 'opt_out'; occurred_at: Date; source: string }>(
    `select distinct on (contact_id, category) contact_id, category, kind, occurred_at, source from consent_events
     where contact_id = any($1::bigint[]) order by contact_id, category, occurred_at desc, (kind = 'opt_out') desc`,
    [contactIds],
  );
  const consents = new Map<number, Consent>();
  const unknown = { state: 'unknown', since: null, source: null } as const;
  for (const id of contactIds) consents.set(id, { marketing: unknown, utility: unknown });
  for (const row of rows) {
    const consent = consents.get(row.contact_id);
    if (consent) consent[row.category] = { state: row.kind === 'opt_in' ? 'opted_in' : 'opted_out', since: row.occurred_at, source: row.source };
  }
  return consents;
}

export async function loadSuppressions(db: Db, contactIds: readonly number[], now: Date): Promise<Map<number, SuppressionState[]>> {
  const rows = await db.query<{ contact_id: number; reason: SuppressionReason; until: Date | null }>(
    'select contact_id, reason, until from suppressions where contact_id = any($1::bigint[]) and lifted_at is null and (until is null or until > $2)',
    [contactIds, now],
  );
  return groupBy(rows, (row) => row.contact_id, (row) => ({ reason: row.reason, until: row.until }));
}

export type RecentMessage = { sentAt: Date; templateName: string; category: TemplateCategory; senderId: number | null };

/** Campaign messages that reached Meta (or may have) since `since`, from every campaign and sender. */
export async function loadRecentMessages(db: Db, contactIds: readonly number[], since: Date): Promise<Map<number, RecentMessage[]>> {
  const rows = await db.query<{ contact_id: number; sent_at: Date; template_name: string; category: TemplateCategory; sender_id: number | null }>(
    `select contact_id, sent_at, template_name, category, sender_id from messages
     where contact_id = any($1::bigint[]) and sent_at > $2 and dispatch_state in ('sent', 'unknown') and template_name is not null`,
    [contactIds, since],
  );
  return groupBy(rows, (row) => row.contact_id, (row) => ({ sentAt: row.sent_at, templateName: row.template_name, category: row.category, senderId: row.sender_id }));
}

export async function loadServiceWindows(db: Db, phoneNumberId: string, contactIds: readonly number[]): Promise<Map<number, ServiceWindowState>> {
  const rows = await db.query<{ contact_id: number; last_inbound_at: Date; last_referral_at: Date | null }>(
    'select contact_id, last_inbound_at, last_referral_at from service_windows where phone_number_id = $1 and contact_id = any($2::bigint[])',
    [phoneNumberId, contactIds],
  );
  return new Map(rows.map((row) => [row.contact_id, { lastInboundAt: row.last_inbound_at, lastReferralAt: row.last_referral_at }]));
}

export type PortfolioReach = { reachedUsers: number; oldestCountedAt: Date | null; counted: Set<number> };

/** The portfolio's rolling 24 h reach (§1.1) and which of these contacts are already in it. */
export async function loadPortfolioReach(db: Db, contactIds: readonly number[], now: Date): Promise<PortfolioReach> {
  const since = new Date(now.getTime() - 24 * 60 * 60 * 1000);
  const [summary] = await db.query<{ reached: number; oldest: Date | null }>('select count(*)::int as reached, min(reached_at) as oldest from messaging_limit_reach where reached_at > $1', [since]);
  const counted = await db.query<{ contact_id: number }>('select contact_id from messaging_limit_reach where contact_id = any($1::bigint[]) and reached_at > $2', [contactIds, since]);
  return { reachedUsers: summary?.reached ?? 0, oldestCountedAt: summary?.oldest ?? null, counted: new Set(counted.map((row) => row.contact_id)) };
}

/*
 * reserveReach: adds contacts to the portfolio's 24 h set, but only as many as fit under `budget`
 * (null: unlimited). Serialised by an advisory lock so two workers cannot both take the last slot;
 * returns the contacts that got one — the others must wait (decision step 8).
 */
export async function reserveReach(db: Db, contactIds: readonly number[], budget: number | null, now: Date): Promise<Set<number>> {
  if (contactIds.length === 0) return new Set();
  return db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock(7220391)');
    const since = new Date(now.getTime() - 24 * 60 * 60 * 1000);
    let room = contactIds.length;
    if (budget !== null) {
      const [row] = await tx.query<{ reached: number }>('select count(*)::int as reached from messaging_limit_reach where reached_at > $1', [since]);
      room = Math.max(0, budget - (row?.reached ?? 0));
    }
    const granted = contactIds.slice(0, room);
    if (granted.length > 0) {
      await tx.query(
        `insert into messaging_limit_reach (contact_id, reached_at) select unnest($1::bigint[]), $2
         on conflict (contact_id) do update set reached_at = excluded.reached_at`,
        [granted, now],
      );
    }
    return new Set(granted);
  });
}

/**
 * After the sends: a counted contact's time becomes the moment its message actually left (a paced send
 * goes after its reservation), so its slot frees no earlier than Meta's own 24 h window does.
 */
export async function confirmReach(db: Db, contactIds: readonly number[], sentAt: Date): Promise<void> {
  if (contactIds.length === 0) return;
  await db.query('update messaging_limit_reach set reached_at = greatest(reached_at, $2) where contact_id = any($1::bigint[])', [contactIds, sentAt]);
}

function groupBy<Row, Value>(rows: readonly Row[], key: (row: Row) => number, value: (row: Row) => Value): Map<number, Value[]> {
  const groups = new Map<number, Value[]>();
  for (const row of rows) {
    const list = groups.get(key(row));
    if (list) list.push(value(row));
    else groups.set(key(row), [value(row)]);
  }
  return groups;
}
