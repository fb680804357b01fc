// Chaos on the embedded database: `greenlight serve` on a PGlite data directory, the only process that
// can send on it, SIGKILLed at random points mid-campaign and started again on the same files. PGlite
// must come back from its own write-ahead log, the new process must take up the dead one's claims at
// once (recoverEmbeddedClaims) without resending what may have left, and the simulator — served from
// this process, so it outlives every kill — keeps the log of what "Meta" received and retries the
// status webhooks the dead process could not take.

import type { ChildProcess } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { processWebhookEvents } from '../../src/actions/process-webhook-events.ts';
import { mulberry32 } from '../../src/lib/mulberry32.ts';
import { reconcileUnknownMessages } from '../../src/store/campaign-messages.ts';
import { mergeMessageStatuses } from '../../src/store/message-statuses.ts';
import { createServeProcessHarness, sleep } from '../helpers/serve-process-harness.ts';
import { auditCampaign, expectAccountedFor, recordFigures } from './chaos-audit.ts';

const RECIPIENTS = 2_000;
const KILLS = 3;
const NO_GUARDS = { guards: { optOutRate: 1, failureRate: 1, blockSignalRate: 1 } };

const log = (started: number, message: string) => console.log(`pglite chaos +${((Date.now() - started) / 1000).toFixed(1)} s: ${message}`);

describe('chaos: the embedded database killed with its process', () => {
  it('serve on PGlite SIGKILLed at random points and restarted on the same files: nobody gets a duplicate, nobody is lost, the campaign finishes', async () => {
    const started = Date.now();
    const h = await createServeProcessHarness({ recipients: RECIPIENTS, campaign: NO_GUARDS });
    try {
      log(started, `set up: ${RECIPIENTS} recipients, campaign ${h.campaignId} launched`);
      const exitedEarly = (child: ChildProcess) => child.exitCode !== null && expect.fail(`serve exited (${child.exitCode}) on restart: ${h.output().slice(-1_500)}`);

      // Each process is killed once Meta has received a random share of the audience in the next quarter
      // of it — whatever it is doing then: recovering the files, starting, claiming, sending, writing.
      const seed = Date.now() % 100_000;
      const random = mulberry32(seed);
      const kills: Array<{ atSent: number; afterMs: number }> = [];
      for (let round = 0; round < KILLS; round += 1) {
        const target = Math.floor(((round + 0.2 + 0.6 * random()) / (KILLS + 1)) * RECIPIENTS);
        const spawned = Date.now();
        const child = h.spawnServe();
        while (h.received().length < target && Date.now() - spawned < 90_000) {
          exitedEarly(child);
          await sleep(20);
        }
        exitedEarly(child);
        await h.stop(child, 'SIGKILL');
        kills.push({ atSent: h.received().length, afterMs: Date.now() - spawned });
        log(started, `killed serve ${child.pid} ${kills.at(-1)!.afterMs} ms after its start, with Meta at ${kills.at(-1)!.atSent} (target ${target})`);
      }
      expect(kills.map((k) => k.atSent).every((sent) => sent > 0 && sent < RECIPIENTS), `every kill landed mid-campaign (seed ${seed})`).toBe(true);

      // The last start finishes the campaign; then SIGTERM, the way an operator stops it.
      const last = h.spawnServe();
      let latest = await h.answering(last);
      log(started, `serve ${last.pid} answered the API after its restart`);
      for (let waited = 0; waited < 120_000 && latest.pending > 0; waited += 500) {
        await sleep(500);
        latest = await h.progress().catch(() => latest); // a busy embedded serve may answer late; asked again
      }
      expect(latest.pending, `every recipient sent or accounted for after the restarts (seed ${seed}): ${JSON.stringify(latest)}`).toBe(0);
      // Sends whose answer died with a process are `unknown` until Meta's retried status webhooks reach
      // the new one (Meta retries for days; the simulator every 2 s here) and supervision reconciles them.
      for (let waited = 0; waited < 90_000 && latest.sent < h.received().length; waited += 500) {
        await sleep(500);
        latest = await h.progress().catch(() => latest); // a busy embedded serve may answer late; asked again
      }
      log(started, `after the webhooks: ${JSON.stringify(latest)}; Meta received ${h.received().length}`);
      await h.stop(last, 'SIGTERM');
      expect(last.exitCode, `serve stopped cleanly: ${h.output().slice(-1_500)}`).toBe(0);

      const db = await h.openData();
      try {
        const deps = h.deps(db);
        while ((await processWebhookEvents(deps)).webhooks > 0);
        await mergeMessageStatuses(db, await reconcileUnknownMessages(db, new Date()), new Date());
        const audit = await auditCampaign(deps, h.campaignId, h.received());
        expectAccountedFor(audit, RECIPIENTS);
        expect(audit.unknownButReceived, `an unknown send is one Meta never received (seed ${seed})`).toBe(0);
        expect(h.output(), 'each restart took up the dead process\'s claims at once').toContain('serve.recovered_claims');
        recordFigures({ scenario: '7b. serve on PGlite SIGKILLed at random points', engine: 'pglite', faults: `${kills.length} SIGKILLs of serve, ${kills.map((k) => `${k.afterMs} ms`).join(', ')} after each start (seed ${seed}; Meta had received ${kills.map((k) => k.atSent).join(', ')})`, recipients: RECIPIENTS, received: audit.received, sent: audit.counts.sent, unknown: audit.counts.unknown, duplicates: audit.duplicates, lost: audit.lost, durationMs: Date.now() - started });
      } finally {
        await db.close();
      }
    } finally {
      await h.close();
    }
  }, 300_000);
});
