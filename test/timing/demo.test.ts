// `greenlight demo --json`, as a newcomer runs it after `npm install`: the built CLI in its own process,
// embedded PGlite in memory and the simulator at 120×. It must finish well within 3 minutes, and its
// report must show what the demo is for: the spam campaign stopped by a guard before it reached most
// of its audience, and not one message to a contact who had opted out. In the timing suite because it
// measures real time and wants the cores to itself.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const THREE_MINUTES_MS = 180_000;

type DemoJson = {
  realDurationSeconds: number;
  contacts: { imported: number; consentEvents: number };
  templates: Array<{ name: string; language: string; spamScore: number; status: string }>;
  campaigns: Array<{ key: string; state: string; pauseReason: string | null; pauseDetail: string | null; recipients: number; funnel: { sent: number; targeted: number } }>;
  checks: { messagesToOptedOutContacts: number; spammyCampaignPausedByGuard: boolean; everyCampaignSettled: boolean };
};

describe('greenlight demo --json', () => {
  it('finishes in under 3 minutes with the spammy campaign paused by a guard and zero messages to opted-out contacts', async () => {
    const started = Date.now();
    const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) => {
      execFile(process.execPath, [path.join(root, 'bin/greenlight.js'), 'demo', '--json'], { cwd: root, timeout: THREE_MINUTES_MS, maxBuffer: 64 * 1024 * 1024 }, (error, out, err) => (error ? reject(new Error(`greenlight demo --json failed: ${error.message}\n${err}`)) : resolve({ stdout: out, stderr: err })));
    });
    const elapsedMs = Date.now() - started;
    const report = JSON.parse(stdout) as DemoJson;
    console.log(`demo --json: ${(elapsedMs / 1000).toFixed(1)} s wall clock; ${report.campaigns.map((campaign) => `${campaign.key} ${campaign.state} sent ${campaign.funnel.sent}/${campaign.recipients}`).join(', ')}`);

    expect(elapsedMs).toBeLessThan(THREE_MINUTES_MS);
    // Shutting down is quick too: a lane asleep on a far-off simulated slot once held the process 2 minutes.
    expect(elapsedMs - report.realDurationSeconds * 1000, 'exits within 30 s of its report').toBeLessThan(30_000);
    expect(report.checks.messagesToOptedOutContacts).toBe(0);
    expect(report.checks.spammyCampaignPausedByGuard).toBe(true);
    expect(report.checks.everyCampaignSettled).toBe(true);
    const blast = report.campaigns.find((campaign) => campaign.key === 'blast')!;
    expect(blast.state).toBe('paused');
    expect(['canary', 'breaker']).toContain(blast.pauseReason);
    expect(blast.funnel.sent, 'stopped before most of its audience got it').toBeLessThan(blast.recipients / 2);
    // The careful campaigns were not stopped: completed, or running with only far-off retries left (a 131049 waits 24 h).
    for (const campaign of report.campaigns.filter((line) => line.key !== 'blast')) expect(['completed', 'running']).toContain(campaign.state);
    expect(report.contacts.imported).toBeGreaterThan(2000);
    expect(report.templates.filter((template) => template.status === 'APPROVED')).toHaveLength(9);
    expect(Math.min(...report.templates.filter((template) => template.name === 'flash_sale_blast').map((template) => template.spamScore))).toBeGreaterThanOrEqual(80);
    // The story streamed to stderr while stdout stayed one JSON document.
    expect(stderr).toContain('5. Sending (live):');
    expect(stderr).toMatch(/paused by the (canary|breaker) guard/);
  }, THREE_MINUTES_MS + 30_000);
});
