// The campaigns list: state, progress and the numbers that matter, newest first, each row opening the
// campaign page. The table scrolls inside its card on a phone instead of widening the page.

import type { CampaignSummary } from '../api-types.ts';
import { formatDateTime, formatNumber, humanize } from '../format.ts';
import { Badge } from './badges.tsx';
import { ProgressBar } from './progress-bar.tsx';

export function campaignBarParts(counts: CampaignSummary['counts']) {
  return [
    { key: 'sent', label: 'sent', value: counts.sent, tone: 'good' },
    { key: 'skipped', label: 'skipped', value: counts.skipped, tone: 'neutral' },
    { key: 'failed', label: 'failed', value: counts.failed, tone: 'bad' },
    { key: 'unknown', label: 'unknown', value: counts.unknown, tone: 'warn' },
    { key: 'cancelled', label: 'cancelled', value: counts.cancelled, tone: 'muted' },
  ];
}

export function CampaignTable({ campaigns }: { campaigns: CampaignSummary[] }) {
  if (campaigns.length === 0) {
    return (
      <p className="empty">
        No campaigns yet. <a href="#/campaigns/new">Create the first one</a>.
      </p>
    );
  }
  return (
    <div className="table-wrap">
      <table className="table">
        <thead>
          <tr>
            <th>Campaign</th>
            <th>State</th>
            <th className="wide">Progress</th>
            <th className="num">Recipients</th>
            <th className="num">Sent</th>
            <th className="num">Skipped</th>
            <th className="num">Failed</th>
            <th>Created</th>
          </tr>
        </thead>
        <tbody>
          {[...campaigns]
            .sort((a, b) => b.id - a.id)
            .map((campaign) => (
              <tr key={campaign.id}>
                <td>
                  <a href={`#/campaigns/${campaign.id}`} className="strong">
                    {campaign.name}
                  </a>
                  <div className="muted small mono">{campaign.templateName}</div>
                </td>
                <td>
                  <Badge value={campaign.state} />
                  {campaign.pauseReason ? <div className="muted small">{humanize(campaign.pauseReason)}</div> : null}
                </td>
                <td className="wide">
                  <ProgressBar label={`Progress of ${campaign.name}`} total={Math.max(campaign.recipients, 1)} parts={campaignBarParts(campaign.counts)} />
                </td>
                <td className="num">{formatNumber(campaign.recipients)}</td>
                <td className="num">{formatNumber(campaign.counts.sent)}</td>
                <td className="num">{formatNumber(campaign.counts.skipped)}</td>
                <td className="num">{formatNumber(campaign.counts.failed)}</td>
                <td className="small">{formatDateTime(campaign.createdAt)}</td>
              </tr>
            ))}
        </tbody>
      </table>
    </div>
  );
}
