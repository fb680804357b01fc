// `greenlight demo`: the whole product in about a minute, with no configuration — an in-memory
// database, the built-in Meta simulator at 120× speed, a shop's customers, templates and three
// campaigns (one of them spam, which the linter flags and a guard stops). Progress streams to the
// terminal; `--json` prints the final report as JSON on stdout; `--serve` keeps the dashboard up.

import cliProgress from 'cli-progress';
import { AppError } from '../../errors.ts';
import type { CliContext, Command } from '../cli-context.ts';
import { buildDemoReport, formatDemoReport } from '../demo/demo-report.ts';
import { runDemo, type CampaignProgress, type DemoNarrator } from '../demo/run-demo.ts';
import { parseCommandArgs, parseWholeNumberFlag } from '../parse-command-args.ts';
import { waitForShutdownSignal } from '../wait-for-signal.ts';

const usage = 'greenlight demo [--json] [--serve] [--port N] [--host ADDRESS] [--speed N] [--seed N]   (--speed: simulated seconds per real second, default 120)';

// A Tuesday afternoon in Europe, late morning in the Americas: every customer is inside sending hours.
const SIMULATED_START = new Date('2026-12-01T16:00:00Z');
// The campaigns' part of the story takes ~35 s at 120×; past this, the report is printed as things stand.
const TIME_LIMIT_MS = 150_000;

async function run(context: CliContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(context.args, { json: { type: 'boolean' }, serve: { type: 'boolean' }, port: { type: 'string' }, host: { type: 'string' }, speed: { type: 'string' }, seed: { type: 'string' } }, usage);
  if (positionals.length > 0) throw new AppError('INVALID_INPUT', `unexpected argument ${positionals[0]}\nusage: ${usage}`);
  const speed = values.speed === undefined ? 120 : parseWholeNumberFlag(values.speed, '--speed', 1, 600);
  const seed = values.seed === undefined ? 2026 : parseWholeNumberFlag(values.seed, '--seed', 0, 2 ** 31);
  const port = values.port === undefined ? (values.serve ? 3000 : 0) : parseWholeNumberFlag(values.port, '--port', 0, 65535);
  // With --json the story goes to stderr, so stdout holds exactly one JSON document.
  const story = values.json ? context.stderr : context.stdout;
  const started = Date.now();
  const demo = await context.startDemo({ speed, seed, startAt: SIMULATED_START, port, hostname: values.host ?? '127.0.0.1' });
  try {
    const dashboardUrl = `${demo.url}/#token=${demo.apiToken}`;
    story.write(`Greenlight demo: Loja Verde on the built-in Meta simulator, ${speed}× real time (one real second = ${speed} simulated seconds), on an in-memory database.\nDashboard (live during the demo): ${dashboardUrl}\n\n`);
    const narrator = createNarrator(context, story);
    const result = await runDemo(demo, narrator, { speed, seed, timeLimitMs: TIME_LIMIT_MS });
    const report = buildDemoReport(result, { speed, realDurationMs: Date.now() - started, simulatedStart: SIMULATED_START, simulatedEnd: demo.deps.clock.now(), dashboardUrl: values.serve ? dashboardUrl : null });
    if (values.json) context.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else story.write(formatDemoReport(result, report));
    if (values.serve) {
      story.write(`\nThe dashboard stays up at ${dashboardUrl} (Ctrl-C to stop; the demo's data lives in memory only).\n`);
      await waitForShutdownSignal();
    }
    return report.checks.messagesToOptedOutContacts === 0 ? 0 : 1;
  } finally {
    await demo.close();
  }
}

/** Bars on a terminal; on a pipe (CI, --json), one line per campaign every few seconds. */
function createNarrator(context: CliContext, story: NodeJS.WritableStream): DemoNarrator {
  const tty = context.interactive;
  const bars = tty ? new cliProgress.MultiBar({ stream: context.stderr, format: ' {name} [{bar}] {done}/{total} | sent {sent} · skipped {skipped} · failed {failed} · waiting {waiting} | {state}', hideCursor: true, clearOnComplete: false, barsize: 24 }, cliProgress.Presets.shades_classic) : null;
  const bar = new Map<number, cliProgress.SingleBar>();
  let lastLine = 0;
  const started = Date.now();
  const fields = (line: CampaignProgress) => {
    const { counts } = line;
    const done = counts.sent + counts.skipped + counts.failed + counts.unknown + counts.cancelled;
    return { name: line.name.slice(0, 30).padEnd(30), done, total: line.recipients, sent: counts.sent, skipped: counts.skipped, failed: counts.failed, waiting: counts.planned + counts.deferred + counts.queued + counts.sending, state: line.state === 'paused' ? `paused (${line.pauseReason ?? ''})` : line.state };
  };
  return {
    say: (line) => {
      if (bars) bars.log(`${line}\n`);
      else story.write(`${line}\n`);
    },
    progress: (snapshot) => {
      if (bars) {
        for (const line of snapshot) {
          const values = fields(line);
          const existing = bar.get(line.id);
          if (existing) {
            existing.setTotal(Math.max(1, line.recipients));
            existing.update(values.done, values);
          } else bar.set(line.id, bars.create(Math.max(1, line.recipients), values.done, values));
        }
        return;
      }
      if (Date.now() - lastLine < 3_000) return;
      lastLine = Date.now();
      for (const line of snapshot) {
        const values = fields(line);
        story.write(`   t+${Math.round((Date.now() - started) / 1000)}s ${values.name} ${values.done}/${values.total} | sent ${values.sent} · skipped ${values.skipped} · failed ${values.failed} · waiting ${values.waiting} | ${values.state}\n`);
      }
    },
    progressDone: () => bars?.stop(),
  };
}

export const demoCommand: Command = { summary: 'see the whole product work in about a minute: simulator, sample shop, three campaigns, dashboard', usage, run };
