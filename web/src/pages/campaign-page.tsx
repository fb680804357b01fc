// One campaign, live (polled every 2 s): its state and pause reason with pause/resume/cancel, the
// progress bar and counts, the funnel (sent → delivered → read → replied, opt-outs and clicks), the
// throughput over time, why messages were skipped, wait or failed, the cost estimate against what
// Meta charged, per template and language, the A/B comparison, and the campaign's history.

import { useState, type ReactNode } from 'react';
import { api } from '../api.ts';
import type { CampaignDetail, FunnelLine, Report, Throughput } from '../api-types.ts';
import { Badge } from '../components/badges.tsx';
import { BarChart, type BarPoint } from '../components/bar-chart.tsx';
import { ErrorBox } from '../components/error-box.tsx';
import { ProgressBar } from '../components/progress-bar.tsx';
import { formatDateTime, formatDuration, formatNumber, formatPercent, formatUsd, humanize } from '../format.ts';
import { usePoll } from '../use-poll.ts';

const NICE_BUCKETS = [1, 5, 10, 30, 60, 300, 900, 3600, 21_600, 86_400];
const MAX_BARS = 60;

/** The time the chart covers: from the launch to the end, or to now while it runs. */
function chartSpan(detail: CampaignDetail | null): { from: number; to: number } | null {
  const launched = detail?.campaign.launchedAt ? Date.parse(detail.campaign.launchedAt) : null;
  if (launched === null) return null;
  return { from: launched, to: detail?.campaign.finishedAt ? Date.parse(detail.campaign.finishedAt) : Date.now() };
}

/** The smallest round bucket that keeps the chart at most MAX_BARS wide. */
function bucketSecondsFor(detail: CampaignDetail | null): number {
  const span = chartSpan(detail);
  if (!span) return 60;
  const seconds = Math.max(1, (span.to - span.from) / 1000);
  return NICE_BUCKETS.find((size) => seconds / size <= MAX_BARS) ?? 86_400;
}

/** Every bucket of the span, empty ones as zero (the API leaves them out), so time reads evenly left to right. */
function throughputBars(data: Throughput, detail: CampaignDetail | null): BarPoint[] {
  const bucketMs = data.bucketSeconds * 1000;
  const span = chartSpan(detail);
  const known = new Map(data.points.map((point) => [Math.floor(Date.parse(point.at) / bucketMs) * bucketMs, point]));
  if (!span) return data.points.map((point) => ({ at: point.at, values: [point.sent, point.failed] }));
  const first = Math.min(Math.floor(span.from / bucketMs) * bucketMs, ...known.keys());
  const last = Math.max(Math.floor(span.to / bucketMs) * bucketMs, ...known.keys());
  const bars: BarPoint[] = [];
  for (let at = first; at <= last && bars.length < MAX_BARS * 3; at += bucketMs) {
    const point = known.get(at);
    bars.push({ at: new Date(at).toISOString(), values: [point?.sent ?? 0, point?.failed ?? 0] });
  }
  return bars;
}

function Controls({ detail, onChanged }: { detail: CampaignDetail; onChanged: () => void }) {
  const { campaign } = detail;
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [confirmCancel, setConfirmCancel] = useState(false);
  const [budget, setBudget] = useState('');
  const act = async (name: string, action: () => Promise<unknown>) => {
    setBusy(name);
    setError(null);
    try {
      await action();
      setConfirmCancel(false);
      onChanged();
    } catch (failure) {
      setError(failure as Error);
    } finally {
      setBusy(null);
    }
  };
  const exportCsv = async () => {
    const blob = await api.exportCsv(campaign.id);
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = `campaign-${campaign.id}-recipients.csv`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };
  const canPause = campaign.state === 'running' || campaign.state === 'scheduled';
  const canResume = campaign.state === 'paused';
  const canCancel = campaign.state !== 'completed' && campaign.state !== 'cancelled';
  return (
    <div className="controls">
      <div className="actions">
        {campaign.state === 'draft' ? (
          <a className="button primary" href={`#/campaigns/${campaign.id}/launch`}>
            Review and launch
          </a>
        ) : null}
        {canPause ? (
          <button type="button" className="button" onClick={() => void act('pause', () => api.pause(campaign.id, 'paused from the dashboard'))} disabled={busy !== null}>
            {busy === 'pause' ? 'Pausing…' : 'Pause'}
          </button>
        ) : null}
        {canResume ? (
          <>
            {campaign.pauseReason === 'budget' ? (
              <label className="field inline">
                <span>New budget (USD)</span>
                <input type="number" min={0.01} step="any" value={budget} onChange={(event) => setBudget(event.target.value)} />
              </label>
            ) : null}
            <button type="button" className="button primary" onClick={() => void act('resume', () => api.resume(campaign.id, budget ? Number(budget) : undefined))} disabled={busy !== null}>
              {busy === 'resume' ? 'Resuming…' : 'Resume'}
            </button>
          </>
        ) : null}
        {canCancel && !confirmCancel ? (
          <button type="button" className="button danger-outline" onClick={() => setConfirmCancel(true)} disabled={busy !== null}>
            Cancel campaign
          </button>
        ) : null}
        {confirmCancel ? (
          <span className="confirm">
            Nothing more will be sent.{' '}
            <button type="button" className="button danger" onClick={() => void act('cancel', () => api.cancel(campaign.id))} disabled={busy !== null}>
              {busy === 'cancel' ? 'Cancelling…' : 'Yes, cancel it'}
            </button>
            <button type="button" className="button ghost" onClick={() => setConfirmCancel(false)}>
              Keep it
            </button>
          </span>
        ) : null}
        {campaign.state !== 'draft' ? (
          <button type="button" className="button ghost" onClick={() => void exportCsv().catch((failure: unknown) => setError(failure as Error))}>
            Export CSV
          </button>
        ) : null}
      </div>
      <ErrorBox error={error} />
    </div>
  );
}

function Funnel({ line }: { line: FunnelLine }) {
  const counts = line.counts;
  const steps = [
    { label: 'Targeted', value: counts.targeted, share: null },
    { label: 'Sent', value: counts.sent, share: counts.targeted > 0 ? counts.sent / counts.targeted : null },
    { label: 'Delivered', value: counts.delivered, share: line.rates.delivered.rate },
    { label: 'Read', value: counts.read, share: line.rates.read.rate },
    { label: 'Replied', value: counts.replied, share: line.rates.replied.rate },
  ];
  const max = Math.max(1, counts.targeted);
  return (
    <div className="funnel">
      {steps.map((step) => (
        <div key={step.label} className="funnel-step">
          <span className="funnel-label">{step.label}</span>
          <span className="funnel-track">
            <span className="funnel-fill" style={{ width: `${(100 * step.value) / max}%` }} />
          </span>
          <span className="funnel-value">
            <strong>{formatNumber(step.value)}</strong> {step.share !== null ? <span className="muted">{formatPercent(step.share)}</span> : null}
          </span>
        </div>
      ))}
      <p className="muted small">
        Opted out after it: <strong>{formatNumber(counts.optedOut)}</strong> ({formatPercent(line.rates.optedOut.rate)}) · clicked: <strong>{formatNumber(counts.clicked)}</strong> · accepted then
        undelivered: <strong>{formatNumber(counts.undelivered)}</strong>. Rates are shares of messages sent.
      </p>
    </div>
  );
}

/** One column of reasons: a heading, "None." when empty, and a label with its count per line. */
function ReasonColumn<T extends { count: number }>({ title, entries, label }: { title: string; entries: readonly T[]; label: (entry: T) => ReactNode }) {
  return (
    <div>
      <h3>{title}</h3>
      {entries.length === 0 ? <p className="muted">None.</p> : null}
      <ul className="reason-list">
        {entries.map((entry, index) => (
          <li key={index}>
            <span>{label(entry)}</span>
            <strong>{formatNumber(entry.count)}</strong>
          </li>
        ))}
      </ul>
    </div>
  );
}

function Reasons({ report }: { report: Report }) {
  return (
    <div className="grid three">
      <ReasonColumn title="Skipped" entries={report.skipped} label={(entry) => humanize(entry.reason)} />
      <ReasonColumn
        title="Waiting"
        entries={report.deferred}
        label={(entry) => (
          <>
            {humanize(entry.reason)}
            {entry.nextDueAt ? <span className="muted small"> · next {formatDateTime(entry.nextDueAt)}</span> : null}
          </>
        )}
      />
      <ReasonColumn
        title="Failed"
        entries={report.failures}
        label={(entry) => (
          <>
            {entry.errorCode !== null ? <span className="mono">{entry.errorCode} </span> : null}
            {entry.reason ? humanize(entry.reason) : null}
            <span className="muted small">
              {' '}
              · {entry.stage === 'send' ? 'refused at send' : 'failed after Meta accepted it'}
              {entry.example ? ` · ${entry.example}` : ''}
            </span>
          </>
        )}
      />
    </div>
  );
}

export function CampaignPage({ id }: { id: number }) {
  const detail = usePoll(() => api.campaign(id), [id], 2000);
  const report = usePoll(() => api.report(id), [id], 2000);
  // The bucket grows with the campaign; reloads read the current one, so the chart never blanks while it changes.
  const bucketSeconds = bucketSecondsFor(detail.data);
  const throughput = usePoll(() => api.throughput(id, bucketSeconds), [id], 2000);
  const reload = () => {
    void detail.reload();
    void report.reload();
  };

  if (!detail.data) {
    return (
      <>
        <ErrorBox error={detail.error} onRetry={reload} />
        {detail.loading ? <p className="muted">Loading campaign…</p> : null}
      </>
    );
  }
  const { campaign, progress, events } = detail.data;
  const finished = progress.sent + progress.skipped + progress.failed + progress.cancelled + progress.unknown;
  return (
    <div className="stack">
      <div className="section-head">
        <div>
          <p className="crumbs">
            <a href="#/">Campaigns</a> / #{campaign.id}
          </p>
          <h1>
            {campaign.name} <Badge value={campaign.state} />
          </h1>
          <p className="muted">
            Template <span className="mono">{campaign.templateName}</span> · created {formatDateTime(campaign.createdAt)}
            {campaign.launchedAt ? ` · launched ${formatDateTime(campaign.launchedAt)}` : ''}
            {campaign.finishedAt ? ` · finished ${formatDateTime(campaign.finishedAt)}` : ''}
          </p>
        </div>
      </div>
      <ErrorBox error={detail.error} onRetry={reload} />
      {campaign.state === 'paused' ? (
        <div className="banner banner-guard" role="status">
          <strong>Paused ({humanize(campaign.pauseReason)}).</strong> {campaign.pauseDetail}
          {campaign.pauseAction ? <span className="banner-action"> {campaign.pauseAction}</span> : null}
        </div>
      ) : null}
      <Controls detail={detail.data} onChanged={reload} />

      <section className="card" aria-labelledby="progress-title">
        <h2 id="progress-title">Progress</h2>
        <p className="lead" data-testid="progress-summary">
          {formatNumber(progress.sent)} of {formatNumber(progress.targeted)} sent
          <span className="muted"> · {formatPercent(progress.targeted > 0 ? finished / progress.targeted : 0, 0)} done</span>
        </p>
        <ProgressBar
          label="Campaign progress"
          total={Math.max(1, progress.targeted)}
          parts={[
            { key: 'sent', label: 'sent', value: progress.sent, tone: 'good' },
            { key: 'skipped', label: 'skipped', value: progress.skipped, tone: 'neutral' },
            { key: 'failed', label: 'failed', value: progress.failed, tone: 'bad' },
            { key: 'unknown', label: 'unknown', value: progress.unknown, tone: 'warn' },
            { key: 'cancelled', label: 'cancelled', value: progress.cancelled, tone: 'muted' },
          ]}
        />
        <dl className="stats counts">
          {(
            [
              ['Sent', progress.sent, 'good'],
              ['Pending', progress.pending, 'info'],
              ['Skipped', progress.skipped, 'neutral'],
              ['Failed', progress.failed, 'bad'],
              ['Unknown', progress.unknown, 'warn'],
              ['Cancelled', progress.cancelled, 'muted'],
            ] as const
          ).map(([label, value, tone]) => (
            <div key={label}>
              <dt>
                <i className={`legend-swatch tone-${tone}`} /> {label}
              </dt>
              <dd>{formatNumber(value)}</dd>
            </div>
          ))}
        </dl>
      </section>

      <ErrorBox error={report.error} onRetry={reload} />
      {report.data ? (
        <>
          <div className="grid two">
            <section className="card" aria-labelledby="funnel-title">
              <h2 id="funnel-title">Funnel</h2>
              <Funnel line={report.data.totals} />
            </section>
            <section className="card" aria-labelledby="cost-title">
              <h2 id="cost-title">Cost</h2>
              <dl className="stats big">
                <div>
                  <dt>Estimated</dt>
                  <dd>{formatUsd(report.data.cost.estimatedUsd)}</dd>
                </div>
                <div>
                  <dt>Actual (Meta&apos;s pricing)</dt>
                  <dd>{formatUsd(report.data.cost.actualUsd)}</dd>
                </div>
              </dl>
              <p className="muted small">
                {formatNumber(report.data.cost.billableMessages)} billable of {formatNumber(report.data.cost.pricedMessages)} messages Meta has priced so far. The estimate prices every sent message as if
                delivered.
              </p>
            </section>
          </div>
          <section className="card" aria-labelledby="throughput-title">
            <h2 id="throughput-title">Throughput</h2>
            <ErrorBox error={throughput.error} />
            {throughput.data && throughput.data.points.length > 0 ? (
              <BarChart
                label={`Messages per ${throughput.data.bucketSeconds} s`}
                points={throughputBars(throughput.data, detail.data)}
                withSeconds={throughput.data.bucketSeconds < 60}
                series={[
                  { name: `sent per ${formatDuration(throughput.data.bucketSeconds * 1000)}`, tone: 'good' },
                  { name: 'failed', tone: 'bad' },
                ]}
              />
            ) : (
              <p className="muted">Nothing sent yet.</p>
            )}
          </section>
          <section className="card" aria-labelledby="reasons-title">
            <h2 id="reasons-title">Why not sent</h2>
            <Reasons report={report.data} />
          </section>
          {report.data.byTemplate.length > 0 ? (
            <section className="card" aria-labelledby="by-template-title">
              <h2 id="by-template-title">By template and language</h2>
              <div className="table-wrap">
                <table className="table compact">
                  <thead>
                    <tr>
                      <th>Template</th>
                      <th>Language</th>
                      <th className="num">Targeted</th>
                      <th className="num">Sent</th>
                      <th className="num">Delivered</th>
                      <th className="num">Read</th>
                      <th className="num">Replied</th>
                      <th className="num">Opted out</th>
                      <th className="num">Cost</th>
                    </tr>
                  </thead>
                  <tbody>
                    {report.data.byTemplate.map((line) => (
                      <tr key={`${line.template ?? 'session'}-${line.language ?? ''}`}>
                        <td className="mono">{line.template ?? 'session text'}</td>
                        <td>{line.language ?? '—'}</td>
                        <td className="num">{formatNumber(line.counts.targeted)}</td>
                        <td className="num">{formatNumber(line.counts.sent)}</td>
                        <td className="num">{formatNumber(line.counts.delivered)}</td>
                        <td className="num">{formatNumber(line.counts.read)}</td>
                        <td className="num">{formatNumber(line.counts.replied)}</td>
                        <td className="num">{formatNumber(line.counts.optedOut)}</td>
                        <td className="num">{formatUsd(line.counts.actualUsd || line.counts.estimatedUsd)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </section>
          ) : null}
          {report.data.abTest ? (
            <section className="card" aria-labelledby="ab-title">
              <h2 id="ab-title">A/B test</h2>
              <div className="table-wrap">
                <table className="table compact">
                  <thead>
                    <tr>
                      <th>Variant</th>
                      <th className="num">Sent</th>
                      <th className="num">Read</th>
                      <th className="num">Replied</th>
                      <th className="num">Opted out</th>
                      <th className="num">Clicked</th>
                    </tr>
                  </thead>
                  <tbody>
                    {report.data.abTest.variants.map((variant) => (
                      <tr key={variant.name}>
                        <td>
                          {variant.name}
                          {variant.name === report.data?.abTest?.baseline ? <span className="muted small"> (baseline)</span> : null}
                        </td>
                        <td className="num">{formatNumber(variant.counts.sent)}</td>
                        <td className="num">{formatPercent(variant.rates.read.rate)}</td>
                        <td className="num">{formatPercent(variant.rates.replied.rate)}</td>
                        <td className="num">{formatPercent(variant.rates.optedOut.rate)}</td>
                        <td className="num">{formatPercent(variant.rates.clicked.rate)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </section>
          ) : null}
        </>
      ) : report.loading ? (
        <p className="muted">Loading the report…</p>
      ) : null}

      <section className="card" aria-labelledby="history-title">
        <h2 id="history-title">History</h2>
        {events.length === 0 ? <p className="muted">No events yet.</p> : null}
        <ol className="timeline">
          {[...events].reverse().map((event, index) => (
            <li key={index}>
              <span className="muted small">{formatDateTime(event.occurredAt)}</span> <strong>{humanize(event.kind)}</strong> {event.detail}
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}
