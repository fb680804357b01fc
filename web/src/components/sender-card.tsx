// One sender's health at a glance: Meta's quality rating, how much of the portfolio's 24 h messaging
// limit is used, the throughput Greenlight paces it at and what it sent in the last hour.

import { useState } from 'react';
import { api } from '../api.ts';
import type { Sender } from '../api-types.ts';
import { formatNumber, formatPercent, humanize } from '../format.ts';
import { Badge } from './badges.tsx';
import { BarChart } from './bar-chart.tsx';
import { ErrorBox } from './error-box.tsx';
import { Meter } from './progress-bar.tsx';

export function SenderCard({ sender, onChanged }: { sender: Sender; onChanged: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const limit = sender.messagingLimit;
  const number = sender.displayPhoneNumber ? `+${sender.displayPhoneNumber.replace(/^\+/, '')}` : sender.phoneNumberId;
  const sync = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.syncSender(sender.id);
      onChanged();
    } catch (failure) {
      setError(failure as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <article className="card sender-card" aria-label={`Sender ${sender.displayPhoneNumber ?? sender.phoneNumberId}`}>
      <header className="card-head">
        <div>
          <h3>{sender.verifiedName ?? number}</h3>
          <p className="muted mono">{sender.verifiedName ? number : `phone number id ${sender.phoneNumberId}`}</p>
        </div>
        <Badge value={sender.qualityRating} label={`quality ${sender.qualityRating.toLowerCase()}`} title="Meta's quality rating of this number" />
      </header>
      <dl className="stats">
        <div>
          <dt>Status</dt>
          <dd>{humanize(sender.status)}</dd>
        </div>
        <div>
          <dt>Throughput</dt>
          <dd>{formatNumber(sender.throughput.mps)} msg/s</dd>
        </div>
        <div>
          <dt>Last minute</dt>
          <dd>{formatNumber(sender.throughput.sentLastMinute)} sent</dd>
        </div>
      </dl>
      <div className="limit">
        <div className="limit-line">
          <span>Messaging limit{limit.tier ? ` (${humanize(limit.tier)})` : ''}</span>
          <span>
            {formatNumber(limit.usedLast24h)} / {limit.limit === null ? 'unlimited' : formatNumber(limit.limit)} in 24 h · {formatPercent(limit.share, 0)}
          </span>
        </div>
        <Meter share={limit.share} label="Messaging limit used in the last 24 hours" />
      </div>
      <BarChart width={360} label="Messages sent per minute, last hour" points={sender.throughput.perMinute.map((point) => ({ at: point.at, values: [point.sent] }))} series={[{ name: 'sent per minute (last hour)', tone: 'good' }]} height={90} />
      <ErrorBox error={error} />
      <button type="button" className="button small ghost" onClick={() => void sync()} disabled={busy}>
        {busy ? 'Syncing…' : 'Sync from Meta'}
      </button>
    </article>
  );
}
