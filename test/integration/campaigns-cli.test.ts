// The `greenlight campaigns …` commands on every engine, through runCli with the campaign harness's
// database (a synced sender and templates): create from a file and from flags, estimate, launch, status,
// pause, resume, report with its CSV, cancel — and bad input refused with a clear message, changing nothing.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { runCliCaptured } from '../helpers/cli-capture.ts';
import { campaignDocument, createCampaignHarness, type Harness } from '../helpers/campaign-harness.ts';
import { testBackends } from '../helpers/test-backends.ts';

function cli(h: Harness, ...args: string[]) {
  return runCliCaptured(args, { cwd: tmpdir(), deps: h.deps, whatsappDeps: h.deps });
}

const people = [
  { phone: '+4915112349001', name: 'Anna', marketing: 'opted_in' as const, country: 'DE' },
  { phone: '+4915112349002', name: 'Ben', marketing: 'opted_in' as const, country: 'DE' },
  { phone: '+4915112349003', name: 'Cleo', marketing: 'never' as const, country: 'DE' },
];

describe.each(testBackends)('greenlight campaigns commands on %s', (kind) => {
  it('runs a campaign from a JSON file: create → estimate → launch → status → report with a per-recipient CSV', async () => {
    const h = await createCampaignHarness(kind);
    await h.addPeople(people);
    const dir = mkdtempSync(path.join(tmpdir(), 'greenlight-campaign-'));
    const spec = path.join(dir, 'spec.json');
    writeFileSync(spec, JSON.stringify(campaignDocument()));

    const created = await cli(h, 'campaigns', 'create', '--file', spec, '--json');
    expect(created.code, created.err).toBe(0);
    const id = String((JSON.parse(created.out) as { campaign: { id: number } }).campaign.id);
    const estimate = await cli(h, 'campaigns', 'estimate', id, '--json');
    expect(JSON.parse(estimate.out)).toMatchObject({ recipients: 3, send: { total: 2 }, skipped: { no_consent: 1 } });
    expect((await cli(h, 'campaigns', 'estimate', id)).out).toMatch(/3 recipients/);

    const launched = await cli(h, 'campaigns', 'launch', id);
    expect(launched.out).toMatch(/3 recipients planned/);
    await h.runFor(200_000, 10_000);
    const status = JSON.parse((await cli(h, 'campaigns', 'status', id, '--json')).out) as { campaign: { state: string }; counts: Record<string, number> };
    expect(status).toMatchObject({ campaign: { state: 'completed' }, counts: { sent: 2, skipped: 1 } });

    const csvPath = path.join(dir, 'recipients.csv');
    const report = await cli(h, 'campaigns', 'report', id, '--csv', csvPath);
    expect(report.code, report.err).toBe(0);
    expect(report.out).toMatch(/Targeted 3: sent 2/);
    const rows: Array<Record<string, string>> = parseCsv(readFileSync(csvPath), { columns: true });
    expect(rows.map((row) => [row['phone'], row['dispatch_state']])).toEqual(expect.arrayContaining([['+4915112349001', 'sent'], ['+4915112349003', 'skipped']]));
  });

  it('creates from flags, pauses, resumes and cancels, each answering with the state a person can act on', async () => {
    const h = await createCampaignHarness(kind);
    await h.addPeople(people);
    const created = await cli(h, 'campaigns', 'create', '--name', 'Flags', '--template', 'winter_sale', '--language', 'en_US', '--tag', 'customers', '--var', '1=contact.first_name|there', '--quiet-hours', 'off', '--canary', 'off', '--start-at', '2026-12-01T09:00:00Z');
    expect(created.code, created.err).toBe(0);
    const id = /campaign (\d+)/.exec(created.out)?.[1] ?? '';
    expect((await cli(h, 'campaigns', 'launch', id)).out).toMatch(/is scheduled/);
    expect((await cli(h, 'campaigns', 'pause', id, '--note', 'checking the offer')).out).toMatch(/paused \(manual: paused by hand: checking the offer\)/);
    expect((await cli(h, 'campaigns', 'resume', id)).out).toMatch(/is scheduled/);
    expect((await cli(h, 'campaigns', 'cancel', id)).out).toMatch(/cancelled; 3 messages will not be sent/);
    const again = await cli(h, 'campaigns', 'resume', id);
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/campaign is cancelled; nothing can change it now/);
  });

  it('refuses a bad document with every problem and its path, and creates nothing', async () => {
    const h = await createCampaignHarness(kind);
    const dir = mkdtempSync(path.join(tmpdir(), 'greenlight-campaign-'));
    const spec = path.join(dir, 'bad.json');
    writeFileSync(spec, JSON.stringify({ ...campaignDocument(), template: 'Winter Sale', audience: {}, colour: 'green' }));
    const result = await cli(h, 'campaigns', 'create', '--file', spec);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/template: a template name is lower-case/);
    expect(result.err).toMatch(/audience: an audience needs at least one filter/);
    expect(result.err).toMatch(/colour/);
    expect(await h.db.query('select id from campaigns')).toEqual([]);
    const unknownSender = await cli(h, 'campaigns', 'create', '--file', spec.replace('bad', 'missing'));
    expect(unknownSender.err).toMatch(/cannot read/);
  });
});
