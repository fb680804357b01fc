// Child process of the soak benchmark that owns its PostgreSQL database: `prepare` creates a fresh one,
// migrates it, seeds the contacts with their opt-ins (dispatch-fixtures.js, generate_series), adds the
// senders and syncs them and the template from the simulator through the real actions, then creates and
// launches one campaign per sender (createCampaign, launchCampaign). `progress` says what is left to
// send, `cpu` samples the CPU of the database's backends, `check` counts the outcomes in SQL, `close`
// drops the database. The Greenlight workers themselves are separate processes (greenlight-worker-process.js).

import { addSender } from '../../dist/actions/add-sender.js';
import { createCampaign } from '../../dist/actions/create-campaign.js';
import { launchCampaign } from '../../dist/actions/launch-campaign.js';
import { syncSender } from '../../dist/actions/sync-sender.js';
import { syncTemplates } from '../../dist/actions/sync-templates.js';
import { systemClock } from '../../dist/lib/clock.js';
import { migrate } from '../../dist/store/migrate.js';
import { createCloudClient } from '../../dist/whatsapp/client.js';
import { campaignDocument, dispatchTag, phoneNumberIdOf, seedContacts, WABA_ID } from './dispatch-fixtures.js';
import { openBenchDatabase } from './postgres.js';
import { startBackendCpuMeter } from './process-cpu.js';

const benchDatabase = 'greenlight_bench_soak';
// What is still to send, or claimed and not yet answered.
const leftStates = ['planned', 'deferred', 'queued', 'sending'];

let state = null;

process.on('message', (message) => {
  const questions = { prepare, progress, cpu, check, close };
  const question = questions[message.type];
  const work = question ? question(message) : Promise.reject(new Error(`unknown question ${message.type}`));
  work.then(
    (reply) => process.send(reply, () => (reply.type === 'closed' ? process.exit(0) : undefined)),
    (error) => process.send({ type: 'error', error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  );
});

/**
 * { postgresUrl, simulatorUrl, accessToken, recipients, senders } → { type: 'prepared', databaseUrl, seed,
 * senders: [{ phoneNumberId, throughputLevel, throughputShare }], launches: [{ recipients, planMs }] }
 * or { type: 'skipped', reason }.
 */
async function prepare(task) {
  const database = await openBenchDatabase({ engine: 'postgres', name: benchDatabase, postgresUrl: task.postgresUrl });
  if (database.skipped) return { type: 'skipped', reason: database.skipped };
  const db = database.db;
  state = { database, campaignIds: [], backends: null };
  await migrate(db);
  const now = new Date();
  // Contact n is +49151 n (8 digits), tagged for the campaign of sender n mod senders, opted in 30 days ago.
  const seed = await seedContacts(db, { planRows: 0, dispatchRows: task.recipients, senders: task.senders }, now);
  const whatsapp = createCloudClient({ baseUrl: task.simulatorUrl, apiVersion: 'v25.0', accessToken: task.accessToken });
  const deps = { db, clock: systemClock, whatsapp };
  try {
    const senders = [];
    for (let index = 0; index < task.senders; index += 1) {
      // The production default share (0.8 of the number's throughput: the rest is room for replies).
      const { sender } = await addSender(deps, { phoneNumberId: phoneNumberIdOf(index), wabaId: WABA_ID });
      const synced = await syncSender(deps, sender);
      senders.push({ phoneNumberId: synced.phoneNumberId, throughputLevel: synced.throughputLevel, throughputShare: synced.throughputShare, messagingLimitTier: synced.messagingLimitTier });
    }
    await syncTemplates(deps, WABA_ID);
    const launches = [];
    for (let index = 0; index < task.senders; index += 1) {
      const { campaign } = await createCampaign(deps, campaignDocument({ name: `Soak ${index + 1}`, senderIndex: index, tag: dispatchTag(index) }));
      const launched = await launchCampaign(deps, campaign.id);
      state.campaignIds.push(campaign.id);
      launches.push({ recipients: launched.recipients, planMs: launched.planMs, state: launched.campaign.state });
    }
    await db.exec('analyze messages');
    return { type: 'prepared', databaseUrl: database.url, seed, senders, launches };
  } finally {
    await whatsapp.close();
  }
}

/** → { type: 'progress', left }: the campaigns' messages not yet sent nor given an outcome. */
async function progress() {
  const [row] = await state.database.db.query(`select count(*)::int as left from messages where campaign_id = any($1::bigint[]) and dispatch_state = any($2::text[])`, [state.campaignIds, leftStates]);
  return { type: 'progress', left: row.left };
}

/** { action: 'start' | 'sample' | 'stop' } → { type: 'cpu', cpuMs, backends } (the figures at stop). */
async function cpu({ action }) {
  if (action === 'start') state.backends = await startBackendCpuMeter(state.database.db);
  else if (action === 'sample') await state.backends?.sample();
  else if (action === 'stop' && state.backends) return { type: 'cpu', ...(await state.backends.stop()) };
  return { type: 'cpu', cpuMs: null, backends: 0 };
}

/**
 * The outcome of every message in SQL, after the workers stopped: counts by state, distinct wamids,
 * the sends per worker (lease owner), and the fingerprint of the sent (message id, wamid) pairs that
 * soak-simulator-worker.js computes the same way from the simulator's sent log.
 */
async function check() {
  const db = state.database.db;
  const ids = state.campaignIds;
  const [counts] = await db.query(
    `select count(*)::int as messages,
            count(*) filter (where dispatch_state = 'sent')::int as sent,
            count(*) filter (where dispatch_state = any($2::text[]))::int as left,
            count(distinct wamid)::int as wamids,
            count(*) filter (where dispatch_state = 'sent' and (wamid is null or sent_at is null or lease_until is not null))::int as incomplete,
            coalesce(sum(('x' || substr(md5(id::text || ':' || wamid), 1, 12))::bit(48)::bigint) filter (where dispatch_state = 'sent'), 0)::text as fingerprint,
            min(sent_at) as first_sent_at, max(sent_at) as last_sent_at
     from messages where campaign_id = any($1::bigint[])`,
    [ids, leftStates],
  );
  const others = await db.query(
    `select dispatch_state, coalesce(reason, '') as reason, count(*)::int as count from messages
     where campaign_id = any($1::bigint[]) and dispatch_state <> 'sent' group by 1, 2 order by 3 desc limit 8`,
    [ids],
  );
  const byWorker = await db.query(`select lease_owner, count(*)::int as count from messages where campaign_id = any($1::bigint[]) and dispatch_state = 'sent' group by 1 order by 2 desc`, [ids]);
  const campaigns = await db.query(`select state, count(*)::int as count from campaigns where id = any($1::bigint[]) group by 1`, [ids]);
  // Each campaign's own rate, first send to last: the pacing holds each at its sender's share.
  const perCampaign = await db.query(
    `select campaign_id, count(*)::int as sent, extract(epoch from max(sent_at) - min(sent_at)) * 1000 as span_ms from messages
     where campaign_id = any($1::bigint[]) and dispatch_state = 'sent' group by 1 order by 1`,
    [ids],
  );
  const { first_sent_at: firstSentAt, last_sent_at: lastSentAt, ...rest } = counts;
  return {
    type: 'checked',
    ...rest,
    sentSpanMs: firstSentAt && lastSentAt ? lastSentAt.getTime() - firstSentAt.getTime() : null,
    others,
    byWorker,
    campaigns: Object.fromEntries(campaigns.map((row) => [row.state, row.count])),
    perCampaign: perCampaign.map((row) => ({ sent: row.sent, spanMs: Number(row.span_ms) })),
  };
}

async function close() {
  await state?.database.close();
  return { type: 'closed' };
}
