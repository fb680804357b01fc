// The launch screen (step 2 of a new campaign): what the draft would do right now — who gets it, who
// waits and who is skipped and why, the cost and how long it takes — and the lint findings of its
// template(s), all shown before the Launch button. Launching freezes the audience (POST …/launch with
// an Idempotency-Key, so a double click launches once) and opens the live campaign page.

import { useRef, useState } from 'react';
import { api } from '../api.ts';
import type { Estimate } from '../api-types.ts';
import { Badge } from '../components/badges.tsx';
import { ErrorBox } from '../components/error-box.tsx';
import { LintFindings } from '../components/lint-findings.tsx';
import { formatDuration, formatNumber, formatUsd, humanize } from '../format.ts';
import { createKeyKeeper } from '../idempotency.ts';
import { navigate } from '../use-hash-route.ts';
import { usePoll } from '../use-poll.ts';

function ReasonList({ title, reasons, empty }: { title: string; reasons: Record<string, number>; empty: string }) {
  const entries = Object.entries(reasons).sort((a, b) => b[1] - a[1]);
  return (
    <div>
      <h3>{title}</h3>
      {entries.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <ul className="reason-list">
          {entries.map(([reason, count]) => (
            <li key={reason}>
              <span>{humanize(reason)}</span>
              <strong>{formatNumber(count)}</strong>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function EstimateView({ estimate }: { estimate: Estimate }) {
  const limit = estimate.duration.messagingLimit;
  return (
    <section className="card" aria-labelledby="estimate-title">
      <h2 id="estimate-title">Estimate</h2>
      <p>{estimate.duration.summary}</p>
      <dl className="stats big">
        <div>
          <dt>Recipients</dt>
          <dd>{formatNumber(estimate.recipients)}</dd>
        </div>
        <div>
          <dt>Would send now</dt>
          <dd data-testid="estimate-send">{formatNumber(estimate.send.total)}</dd>
        </div>
        <div>
          <dt>Cost if all delivered</dt>
          <dd>{formatUsd(estimate.cost.usd)}</dd>
        </div>
        <div>
          <dt>Sending time</dt>
          <dd>{formatDuration(estimate.duration.sendingSeconds * 1000)}</dd>
        </div>
      </dl>
      <p className="muted small">
        {formatNumber(estimate.send.template)} as template, {formatNumber(estimate.send.session)} as session text · {formatNumber(estimate.cost.charged)} charged, {formatNumber(estimate.cost.free)} free · at {formatNumber(estimate.duration.ratePerSecond)} msg/s · messaging limit{' '}
        {limit.usersPer24h === null ? 'unlimited' : `${formatNumber(limit.alreadyReached)} + ${formatNumber(limit.counting)} of ${formatNumber(limit.budget)} usable in 24 h`}
      </p>
      <div className="grid two">
        <ReasonList title="Would wait" reasons={estimate.deferred} empty="Nobody waits." />
        <ReasonList title="Would skip" reasons={estimate.skipped} empty="Nobody is skipped." />
      </div>
      {estimate.cost.lines.length > 0 ? (
        <div className="table-wrap">
          <table className="table compact">
            <thead>
              <tr>
                <th>Market</th>
                <th>Category</th>
                <th className="num">Messages</th>
                <th className="num">USD</th>
              </tr>
            </thead>
            <tbody>
              {estimate.cost.lines.map((line) => (
                <tr key={`${line.market}-${line.category}`}>
                  <td>{line.market}</td>
                  <td>{humanize(line.category)}</td>
                  <td className="num">{formatNumber(line.messages)}</td>
                  <td className="num">{formatUsd(line.usd)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

export function LaunchPage({ id }: { id: number }) {
  const detail = usePoll(() => api.campaign(id), [id]);
  const estimate = usePoll(() => api.estimate(id), [id]);
  const keys = useRef(createKeyKeeper());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const [acceptErrors, setAcceptErrors] = useState(false);

  const campaign = detail.data?.campaign;
  const lint = estimate.data?.lint ?? [];
  const lintErrors = lint.reduce((sum, entry) => sum + entry.findings.filter((finding) => finding.severity === 'error').length, 0);
  const lintWarnings = lint.reduce((sum, entry) => sum + entry.findings.filter((finding) => finding.severity === 'warning').length, 0);

  const launch = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.launch(id, keys.current.keyFor({ launch: id }));
      keys.current.done();
      navigate(`/campaigns/${id}`);
    } catch (failure) {
      setError(failure as Error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="stack">
      <div className="section-head">
        <div>
          <p className="crumbs">
            <a href="#/">Campaigns</a> / <a href={`#/campaigns/${id}`}>{campaign?.name ?? `#${id}`}</a> / launch
          </p>
          <h1>Review and launch</h1>
          <p className="muted">Step 2 of 2: check who gets it, what it costs and what the template lint says, then launch.</p>
        </div>
        {campaign ? <Badge value={campaign.state} /> : null}
      </div>
      <ErrorBox error={detail.error} onRetry={() => void detail.reload()} />
      {campaign && campaign.state !== 'draft' ? (
        <div className="notice">
          This campaign is {campaign.state} already. <a href={`#/campaigns/${id}`}>Open its live page</a>.
        </div>
      ) : null}

      <ErrorBox error={estimate.error} onRetry={() => void estimate.reload()} />
      {estimate.loading && !estimate.data ? <p className="muted">Deciding for every recipient…</p> : null}
      {estimate.data ? <EstimateView estimate={estimate.data} /> : null}

      {estimate.data ? (
        <section className="card" aria-labelledby="lint-title">
          <h2 id="lint-title">
            Template checks{' '}
            <span className="muted small">
              {lintErrors} {lintErrors === 1 ? 'error' : 'errors'}, {lintWarnings} {lintWarnings === 1 ? 'warning' : 'warnings'}
            </span>
          </h2>
          {lint.length === 0 ? <p className="muted">The API returned no lint results for this campaign&apos;s template.</p> : null}
          {lint.map((entry) => (
            <div key={`${entry.template}-${entry.language}`} className="lint-block">
              <h3 className="mono">
                {entry.template} · {entry.language}
              </h3>
              <LintFindings findings={entry.findings} />
            </div>
          ))}
        </section>
      ) : null}

      {campaign?.state === 'draft' && estimate.data ? (
        <section className="card launch-bar">
          {lintErrors > 0 ? (
            <label className="check">
              <input type="checkbox" checked={acceptErrors} onChange={(event) => setAcceptErrors(event.target.checked)} />
              The template has lint errors; launch anyway
            </label>
          ) : null}
          <ErrorBox error={error} />
          <div className="actions">
            <button type="button" className="button primary big" onClick={() => void launch()} disabled={busy || (lintErrors > 0 && !acceptErrors)}>
              {busy ? 'Launching…' : `Launch to ${formatNumber(estimate.data.recipients)} recipients`}
            </button>
            <a className="button ghost" href={`#/campaigns/${id}`}>
              Not now
            </a>
          </div>
        </section>
      ) : null}
    </div>
  );
}
