// The home screen: each sender's health (quality, messaging-limit use, throughput) and every campaign
// with its live progress. Polled every 5 s.

import { api } from '../api.ts';
import { CampaignTable } from '../components/campaign-table.tsx';
import { ErrorBox } from '../components/error-box.tsx';
import { SenderCard } from '../components/sender-card.tsx';
import { usePoll } from '../use-poll.ts';

export function OverviewPage() {
  const senders = usePoll(() => api.senders(), [], 5000);
  const campaigns = usePoll(() => api.campaigns(), [], 5000);
  return (
    <>
      <section aria-labelledby="senders-title">
        <div className="section-head">
          <h1 id="senders-title">Senders</h1>
        </div>
        <ErrorBox error={senders.error} onRetry={() => void senders.reload()} />
        {senders.loading && !senders.data ? <p className="muted">Loading senders…</p> : null}
        <div className="grid cards">
          {senders.data?.items.map((sender) => <SenderCard key={sender.id} sender={sender} onChanged={() => void senders.reload()} />)}
          {senders.data && senders.data.items.length === 0 ? <p className="empty">No sender yet: set WHATSAPP_PHONE_NUMBER_ID and WHATSAPP_WABA_ID, or run against the simulator.</p> : null}
        </div>
      </section>
      <section className="card" aria-labelledby="campaigns-title">
        <div className="section-head">
          <h2 id="campaigns-title">Campaigns</h2>
          <a className="button primary" href="#/campaigns/new">
            New campaign
          </a>
        </div>
        <ErrorBox error={campaigns.error} onRetry={() => void campaigns.reload()} />
        {campaigns.loading && !campaigns.data ? <p className="muted">Loading campaigns…</p> : null}
        {campaigns.data ? <CampaignTable campaigns={campaigns.data.items} /> : null}
      </section>
    </>
  );
}
