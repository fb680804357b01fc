// The campaign report and the per-recipient export against a real campaign run on the simulator, on
// every engine. Each test states the guarantee it protects: the funnel says what the rows say, replies
// and opt-outs are credited only inside their windows, lines add up, A/B variants are compared, and
// the CSV holds one correctly quoted row per recipient.
import { PassThrough } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { campaignReport, type CampaignReport } from '../../src/actions/campaign-report.ts';
import { createCampaign } from '../../src/actions/create-campaign.ts';
import { exportCampaignRecipients, RECIPIENT_COLUMNS } from '../../src/actions/export-campaign-recipients.ts';
import { launchCampaign } from '../../src/actions/launch-campaign.ts';
import { FUNNEL_COUNT_KEYS, OPT_OUT_ATTRIBUTION_WINDOW_MS, REPLY_ATTRIBUTION_WINDOW_MS, type FunnelCounts } from '../../src/domain/campaign-funnel.ts';
import type { Db } from '../../src/store/db.ts';
import { campaignDocument, createCampaignHarness, PHONE_ID, type Harness, type Person } from '../helpers/campaign-harness.ts';
import { testBackends } from '../helpers/test-backends.ts';

const HOUR = 60 * 60 * 1000;
const opted = (phone: string, name: string, extra: Partial<Person> = {}): Person => ({ phone, name, marketing: 'opted_in', country: 'DE', ...extra });
const QUOTED_NAME = 'Smith, Jo "JJ"';

type Row = { id: number; contact_id: number; phone: string; dispatch_state: string; status: string; reason: string | null; error_code: number | null; sent_at: Date | null; cost_usd: number | null; billable: boolean | null; pricing_type: string | null };

/** The funnel recomputed in plain code from the raw rows, by the definitions the report documents. */
async function countFromRows(db: Db, campaignId: number): Promise<{ counts: FunnelCounts; replied: Set<string>; optedOut: Set<string>; clicked: Set<string>; rows: Row[] }> {
  const rows = await db.query<Row>(
    `select m.id, m.contact_id, c.phone, m.dispatch_state, m.status, m.reason, m.error_code, m.sent_at, m.cost_usd, m.billable, m.pricing_type
     from messages m join contacts c on c.id = m.contact_id where m.campaign_id = $1 order by m.id`,
    [campaignId],
  );
  const inbound = await db.query<{ contact_id: number; phone_number_id: string; sent_at: Date }>('select contact_id, phone_number_id, sent_at from inbound_messages');
  const optOuts = await db.query<{ contact_id: number; occurred_at: Date }>(`select contact_id, occurred_at from consent_events where kind = 'opt_out'`);
  const clickedIds = new Set((await db.query<{ message_id: number }>('select distinct l.message_id from click_links l join clicks k on k.token = l.token')).map((row) => row.message_id));
  const isStop = (contactId: number, at: Date) => optOuts.some((event) => event.contact_id === contactId && event.occurred_at.getTime() === at.getTime());
  const within = (at: Date, sentAt: Date, windowMs: number) => at.getTime() >= Math.floor(sentAt.getTime() / 1000) * 1000 && at.getTime() < sentAt.getTime() + windowMs;
  const replied = new Set<string>();
  const optedOut = new Set<string>();
  const clicked = new Set<string>();
  for (const row of rows.filter((candidate) => candidate.dispatch_state === 'sent')) {
    if (inbound.some((message) => message.contact_id === row.contact_id && message.phone_number_id === PHONE_ID && within(message.sent_at, row.sent_at!, REPLY_ATTRIBUTION_WINDOW_MS) && !isStop(row.contact_id, message.sent_at))) replied.add(row.phone);
    if (optOuts.some((event) => event.contact_id === row.contact_id && within(event.occurred_at, row.sent_at!, OPT_OUT_ATTRIBUTION_WINDOW_MS))) optedOut.add(row.phone);
    if (clickedIds.has(row.id)) clicked.add(row.phone);
  }
  const where = (test: (row: Row) => boolean) => rows.filter(test).length;
  const state = (name: string) => where((row) => row.dispatch_state === name);
  const sent = (test: (row: Row) => boolean) => where((row) => row.dispatch_state === 'sent' && test(row));
  const charged = (row: Row) => row.billable ?? (row.pricing_type === null ? null : row.pricing_type === 'regular');
  const usd = (test: (row: Row) => boolean) => rows.filter(test).reduce((sum, row) => sum + Number(row.cost_usd ?? 0), 0);
  const counts: FunnelCounts = {
    targeted: rows.length, pending: state('planned'), deferred: state('deferred'), inFlight: state('sending'), sent: state('sent'), unknown: state('unknown'),
    skipped: state('skipped'), failed: state('failed'), cancelled: state('cancelled'),
    delivered: sent((row) => ['delivered', 'read', 'played'].includes(row.status)), read: sent((row) => ['read', 'played'].includes(row.status)), undelivered: sent((row) => row.status === 'failed'),
    replied: replied.size, optedOut: optedOut.size, clicked: clicked.size,
    billable: where((row) => charged(row) === true), priced: where((row) => charged(row) !== null),
    estimatedUsd: usd((row) => row.dispatch_state === 'sent' || row.dispatch_state === 'unknown'), actualUsd: usd((row) => charged(row) === true),
  };
  return { counts, replied, optedOut, clicked, rows };
}

function expectSameCounts(actual: FunnelCounts, expected: FunnelCounts): void {
  for (const key of FUNNEL_COUNT_KEYS) {
    if (key === 'estimatedUsd' || key === 'actualUsd') expect(actual[key], key).toBeCloseTo(expected[key], 9);
    else expect(actual[key], key).toBe(expected[key]);
  }
}

function expectLinesAddUp(report: CampaignReport): void {
  for (const key of FUNNEL_COUNT_KEYS) {
    const sum = report.byTemplate.reduce((total, line) => total + line.counts[key], 0);
    expect(sum, `${key} summed over template/language lines`).toBeCloseTo(report.totals.counts[key], 9);
  }
}

async function inbound(h: Harness, from: string, text: string): Promise<void> {
  expect(h.simulator.controls.inbound({ from, text })).not.toBeNull();
  await h.simulator.advance(2_000);
  await h.drainWebhooks();
}

async function click(db: Db, messageId: number, at: Date): Promise<void> {
  await db.query(`insert into click_links (token, message_id, url, created_at) values ($1, $2, 'https://shop.example/sale', $3)`, [`t${messageId}`, messageId, at]);
  // Two clicks by the same person are one clicked recipient.
  await db.query(`insert into clicks (token, clicked_at, user_agent) values ($1, $2, 'test'), ($1, $2, 'test')`, [`t${messageId}`, at]);
}

async function exportCsv(h: Harness, campaignId: number, pageSize?: number): Promise<{ csv: string; written: number }> {
  const chunks: string[] = [];
  const written = await exportCampaignRecipients(h.deps, campaignId, (chunk) => chunks.push(chunk), pageSize === undefined ? {} : { pageSize });
  return { csv: chunks.join(''), written };
}

const parseCsv = (csv: string) => parse<Record<(typeof RECIPIENT_COLUMNS)[number], string>>(csv, { columns: true });

describe.each(testBackends)('campaign report on %s', (kind) => {
  it('counts the funnel exactly as the rows say, credits a reply only inside 72 h, and its template/language lines add up', async () => {
    const h = await createCampaignHarness(kind, { simulator: { population: { notOnWhatsAppShare: 0, undeliverablePattern: '^4915199999' } } });
    const people = Array.from({ length: 14 }, (_, index) => opted(`+49151123480${String(index).padStart(2, '0')}`, `Person ${index}`));
    await h.addPeople([
      ...people,
      opted('+5511987654301', 'João Silva', { language: 'pt_BR', country: 'BR' }),
      opted('+5511987654302', 'Maria Souza', { language: 'pt_BR', country: 'BR' }),
      { phone: '+4915112348090', name: 'Olaf Opted-Out', marketing: 'opted_out', country: 'DE' },
      { phone: '+4915112348091', name: 'Nina Never', marketing: 'never', country: 'DE' },
      opted('+12025550191', 'Sam US', { country: 'US' }),
      opted('+4915199999001', 'Una Undeliverable'),
    ]);
    const { campaign } = await createCampaign(h.deps, campaignDocument());
    await launchCampaign(h.deps, campaign.id);
    await h.runFor(120_000);
    // Simulated people read and react within about 13 h.
    await h.runFor(14 * HOUR, 20 * 60 * 1000);

    const before = await countFromRows(h.db, campaign.id);
    const quiet = before.rows.filter((row) => row.dispatch_state === 'sent' && row.status !== 'failed' && !before.replied.has(row.phone) && !before.optedOut.has(row.phone) && row.phone.startsWith('+49'));
    expect(quiet.length).toBeGreaterThanOrEqual(4);
    const [asker, stopper, clicker, late] = quiet as [Row, Row, Row, Row];
    await inbound(h, asker.phone, 'Do you have gloves in size M?');
    await inbound(h, stopper.phone, 'STOP');
    await click(h.db, clicker.id, h.simulator.clock.now());
    // Past every send's reply window (sent within the first two minutes, 72 h ago), the late one writes in.
    await h.simulator.advance(REPLY_ATTRIBUTION_WINDOW_MS - 14 * HOUR + 5 * 60 * 1000);
    await inbound(h, late.phone, 'Hello again, is the sale still on?');

    const report = await campaignReport(h.deps, campaign.id);
    const expected = await countFromRows(h.db, campaign.id);
    expectSameCounts(report.totals.counts, expected.counts);
    expect(report.totals.counts).toMatchObject({ targeted: 20, sent: 17, skipped: 3, undelivered: 1, pending: 0, deferred: 0, inFlight: 0, unknown: 0 });
    // Meta accepted the undeliverable number's message, then failed it with 131026 (§3.2).
    expect(report.failures).toEqual([expect.objectContaining({ stage: 'delivery', errorCode: 131026, count: 1 })]);

    // The in-window question counts, the STOP is an opt-out and not a reply, the late message is neither.
    expect(expected.replied.has(asker.phone)).toBe(true);
    expect(expected.replied.has(stopper.phone)).toBe(false);
    expect(expected.optedOut.has(stopper.phone)).toBe(true);
    expect(expected.replied.has(late.phone)).toBe(false);
    expect(expected.clicked).toEqual(new Set([clicker.phone]));
    expect(report.totals.counts.clicked).toBe(1);
    const csvRows = parseCsv((await exportCsv(h, campaign.id)).csv);
    const byPhone = new Map(csvRows.map((row) => [row.phone, row]));
    expect(byPhone.get(asker.phone)).toMatchObject({ replied: 'true', opted_out_after: 'false' });
    expect(byPhone.get(stopper.phone)).toMatchObject({ replied: 'false', opted_out_after: 'true' });
    expect(byPhone.get(late.phone)).toMatchObject({ replied: 'false', clicked: 'false' });
    expect(byPhone.get(clicker.phone)).toMatchObject({ clicked: 'true' });

    expect(report.skipped).toEqual(expect.arrayContaining([{ reason: 'opted_out', count: 1 }, { reason: 'no_consent', count: 1 }, { reason: 'us_marketing', count: 1 }]));
    expect(report.skipped).toHaveLength(3);
    expectLinesAddUp(report);
    const lines = report.byTemplate.map((line) => `${line.template}/${line.language}`).sort();
    expect(lines).toEqual(['winter_sale/en_US', 'winter_sale/null', 'winter_sale/pt_BR']);
    expect(report.byTemplate.find((line) => line.language === 'pt_BR')?.counts.sent).toBe(2);
    expect(report.cost).toEqual({ estimatedUsd: report.totals.counts.estimatedUsd, actualUsd: report.totals.counts.actualUsd, billableMessages: expected.counts.billable, pricedMessages: expected.counts.priced });
    // Germany's marketing rate (§7.3) for 15, Brazil's for 2; only what Meta charged is actual.
    expect(report.cost.estimatedUsd).toBeCloseTo(15 * 0.1365 + 2 * 0.0625, 6);
    expect(report.cost.actualUsd).toBeLessThanOrEqual(report.cost.estimatedUsd);
    expect(report.cost.billableMessages).toBeGreaterThan(0);
    expect(report.abTest).toBeNull();
    expect(report.campaign).toMatchObject({ id: campaign.id, name: 'Winter sale', state: 'completed', recipients: 20, canarySize: 0, canaryPassed: null, pauseReason: null });
    expect(report.history.map((event) => event.kind)).toContain('created');
    expect(report.attribution).toEqual({ replyWindowMs: 72 * HOUR, optOutWindowMs: 7 * 24 * HOUR });
  }, 60_000);

  it('reports each A/B variant with its rates, Wilson intervals and a Newcombe comparison with the first', async () => {
    const h = await createCampaignHarness(kind);
    await h.addPeople(Array.from({ length: 40 }, (_, index) => opted(`+49151123490${String(index).padStart(2, '0')}`, `Person ${index}`)));
    const variants = [{ name: 'A', template: 'winter_sale', weight: 1 }, { name: 'B', template: 'winter_sale_b', weight: 1 }];
    const { campaign } = await createCampaign(h.deps, campaignDocument({ variants }));
    await launchCampaign(h.deps, campaign.id);
    await h.runFor(120_000);
    await h.runFor(14 * HOUR, 20 * 60 * 1000);

    const report = await campaignReport(h.deps, campaign.id);
    expect(report.abTest?.baseline).toBe('A');
    const [a, b] = report.abTest!.variants;
    expect([a?.name, b?.name]).toEqual(['A', 'B']);
    expect(a!.counts.sent).toBeGreaterThan(0);
    expect(b!.counts.sent).toBeGreaterThan(0);
    expect(a!.counts.sent + b!.counts.sent).toBe(report.totals.counts.sent);
    const variantRows = await h.db.query<{ variant: string; template_name: string; sent: number; read: number }>(
      `select variant, template_name, count(*) filter (where dispatch_state = 'sent')::int as sent, count(*) filter (where dispatch_state = 'sent' and status in ('read', 'played'))::int as read
       from messages where campaign_id = $1 group by variant, template_name order by variant`,
      [campaign.id],
    );
    expect(variantRows.map((row) => [row.variant, row.template_name])).toEqual([['A', 'winter_sale'], ['B', 'winter_sale_b']]);
    expect([a!.counts.read, b!.counts.read]).toEqual(variantRows.map((row) => row.read));
    for (const variant of [a!, b!]) {
      for (const rate of ['read', 'replied', 'optedOut'] as const) {
        const interval = variant.rates[rate];
        expect(interval.rate).toBeCloseTo(variant.counts[rate] / variant.counts.sent, 12);
        expect(interval.low).toBeLessThanOrEqual(interval.rate);
        expect(interval.high).toBeGreaterThanOrEqual(interval.rate);
        expect(interval.high - interval.low).toBeGreaterThan(0);
      }
    }
    expect(a!.versusBaseline).toBeNull();
    for (const rate of ['read', 'replied', 'optedOut', 'clicked'] as const) {
      const difference = b!.versusBaseline![rate];
      expect(difference.difference).toBeCloseTo(b!.rates[rate].rate - a!.rates[rate].rate, 12);
      expect(difference.low).toBeLessThanOrEqual(difference.difference);
      expect(difference.high).toBeGreaterThanOrEqual(difference.difference);
      expect(difference.significant).toBe(difference.low > 0 || difference.high < 0);
    }
    expectLinesAddUp(report);
    expect(report.byTemplate.map((line) => line.template)).toEqual(expect.arrayContaining(['winter_sale', 'winter_sale_b']));
  }, 60_000);

  it('exports one CSV row per recipient after the header, quoted so a name with a comma and a quote reads back intact', async () => {
    const h = await createCampaignHarness(kind);
    await h.addPeople([
      opted('+4915112348101', QUOTED_NAME),
      opted('+4915112348102', '=HYPERLINK("http://evil.example","click")'),
      ...Array.from({ length: 5 }, (_, index) => opted(`+491511234820${index}`, `Person ${index}`)),
      { phone: '+4915112348199', name: 'Nina Never', marketing: 'never', country: 'DE' },
    ]);
    const { campaign } = await createCampaign(h.deps, campaignDocument());
    await launchCampaign(h.deps, campaign.id);
    await h.runFor(120_000);

    // Pages of 3 over 8 recipients: the keyset paging crosses page boundaries and a last short page.
    const { csv, written } = await exportCsv(h, campaign.id, 3);
    expect(written).toBe(8);
    const lines = csv.split('\n');
    expect(lines.at(-1)).toBe('');
    expect(lines.slice(0, -1)).toHaveLength(8 + 1);
    expect(lines[0]).toBe(RECIPIENT_COLUMNS.join(','));
    expect(lines.find((line) => line.startsWith('+4915112348101,'))).toMatch(/^\+4915112348101,"Smith, Jo ""JJ""",/);

    const rows = parseCsv(csv);
    expect(rows).toHaveLength(8);
    expect(new Set(rows.map((row) => row.phone)).size).toBe(8);
    const quoted = rows.find((row) => row.phone === '+4915112348101');
    expect(quoted).toMatchObject({ name: QUOTED_NAME, dispatch_state: 'sent', template: 'winter_sale', language: 'en_US', via: 'template', replied: 'false' });
    expect(quoted!.wamid).toMatch(/^wamid\./);
    expect(Number.isNaN(Date.parse(quoted!.sent_at))).toBe(false);
    expect(Number(quoted!.cost_usd)).toBeCloseTo(0.1365, 6);
    // A name that would run as a spreadsheet formula is written as text.
    expect(rows.find((row) => row.phone === '+4915112348102')?.name).toBe(`'=HYPERLINK("http://evil.example","click")`);
    expect(rows.find((row) => row.phone === '+4915112348199')).toMatchObject({ dispatch_state: 'skipped', reason: 'no_consent', sent_at: '', wamid: '', billable: '' });

    // The same export into a stream writes the same bytes.
    const stream = new PassThrough();
    const received: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => received.push(chunk));
    expect(await exportCampaignRecipients(h.deps, campaign.id, stream)).toBe(8);
    stream.end();
    expect(Buffer.concat(received).toString('utf8')).toBe(csv);
  });

  it('refuses a report or an export of a campaign that does not exist', async () => {
    const h = await createCampaignHarness(kind);
    await expect(campaignReport(h.deps, 999)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(exportCampaignRecipients(h.deps, 999, () => undefined)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
