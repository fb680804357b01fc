// One contact: who they are, their consent per category with the full ledger (each event's source and
// proof), suppressions, the service window, and opt-in / opt-out buttons. An opt-in needs its proof
// (what the person agreed to), as in the CLI; an opt-out needs nothing and always wins.

import { useState, type FormEvent } from 'react';
import { api } from '../api.ts';
import type { ContactDetail } from '../api-types.ts';
import { Badge } from '../components/badges.tsx';
import { ErrorBox } from '../components/error-box.tsx';
import { useNow, WindowCountdown } from '../components/window-countdown.tsx';
import { formatDateTime, humanize } from '../format.ts';
import { usePoll } from '../use-poll.ts';

function ConsentActions({ detail, onChanged }: { detail: ContactDetail; onChanged: (next: ContactDetail) => void }) {
  const [category, setCategory] = useState('marketing');
  const [source, setSource] = useState('dashboard');
  const [proof, setProof] = useState('');
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (action: () => Promise<ContactDetail>) => {
    setBusy(true);
    setError(null);
    try {
      onChanged(await action());
    } catch (failure) {
      setError(failure as Error);
    } finally {
      setBusy(false);
    }
  };
  const optIn = (event: FormEvent) => {
    event.preventDefault();
    void run(() => api.optIn(detail.contact.id, { category, source, proof }));
  };
  return (
    <section className="card" aria-labelledby="consent-actions-title">
      <h2 id="consent-actions-title">Change consent</h2>
      <div className="actions">
        {(['marketing', 'utility', 'all'] as const).map((which) => (
          <button key={which} type="button" className="button danger-outline" disabled={busy} onClick={() => void run(() => api.optOut(detail.contact.id, { category: which, source: 'dashboard' }))}>
            Opt out of {which === 'all' ? 'everything' : which}
          </button>
        ))}
      </div>
      <form className="form-grid" onSubmit={optIn}>
        <label className="field">
          <span>Opt in to</span>
          <select value={category} onChange={(event) => setCategory(event.target.value)}>
            <option value="marketing">marketing</option>
            <option value="utility">utility</option>
          </select>
        </label>
        <label className="field">
          <span>Source</span>
          <input value={source} onChange={(event) => setSource(event.target.value)} required />
        </label>
        <label className="field full">
          <span>Proof: what the person agreed to, in their words or the form&apos;s</span>
          <textarea rows={2} value={proof} onChange={(event) => setProof(event.target.value)} required />
        </label>
        <div className="actions full">
          <button type="submit" className="button primary" disabled={busy || proof.trim() === ''}>
            Record opt-in
          </button>
        </div>
      </form>
      <ErrorBox error={error} />
    </section>
  );
}

export function ContactPage({ id }: { id: number }) {
  const loaded = usePoll(() => api.contact(id), [id], 10_000);
  const [override, setOverride] = useState<ContactDetail | null>(null);
  const now = useNow(30_000);
  const detail = override && override.contact.id === id ? override : loaded.data;
  if (!detail) {
    return (
      <>
        <ErrorBox error={loaded.error} onRetry={() => void loaded.reload()} />
        {loaded.loading ? <p className="muted">Loading contact…</p> : null}
      </>
    );
  }
  const { contact } = detail;
  return (
    <div className="stack">
      <div className="section-head">
        <div>
          <p className="crumbs">
            <a href="#/contacts">Contacts</a> / #{contact.id}
          </p>
          <h1>{contact.name ?? contact.phone ?? `Contact #${contact.id}`}</h1>
          <p className="muted mono">{contact.phone ?? 'known by Meta user id only'}</p>
        </div>
        <a className="button" href={`#/inbox/${contact.id}`}>
          Open conversation
        </a>
      </div>
      <ErrorBox error={loaded.error} />
      <div className="grid two">
        <section className="card">
          <h2>Details</h2>
          <dl className="pairs">
            <dt>Language</dt>
            <dd>{contact.language ?? '—'}</dd>
            <dt>Country</dt>
            <dd>{contact.country ?? '—'}</dd>
            <dt>Time zone</dt>
            <dd>{contact.timeZone ?? '—'}</dd>
            <dt>Tags</dt>
            <dd>{contact.tags.length > 0 ? contact.tags.join(', ') : '—'}</dd>
            <dt>Added</dt>
            <dd>{formatDateTime(contact.createdAt)}</dd>
            <dt>Service window</dt>
            <dd>
              <WindowCountdown serviceWindow={detail.serviceWindow} now={now} />
            </dd>
          </dl>
        </section>
        <section className="card">
          <h2>Consent</h2>
          <dl className="pairs">
            <dt>Marketing</dt>
            <dd>
              <Badge value={contact.marketing} />
            </dd>
            <dt>Utility</dt>
            <dd>
              <Badge value={contact.utility} />
            </dd>
          </dl>
          {detail.suppressions.length > 0 ? (
            <>
              <h3>Suppressions</h3>
              <ul className="reason-list">
                {detail.suppressions.map((suppression, index) => (
                  <li key={index}>
                    <span>
                      {humanize(suppression.reason)} <span className="muted small">({suppression.scope}{suppression.source ? `, ${suppression.source}` : ''})</span>
                    </span>
                    <span className="small">{formatDateTime(suppression.createdAt)}</span>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </section>
      </div>
      <ConsentActions detail={detail} onChanged={setOverride} />
      <section className="card" aria-labelledby="history-title">
        <h2 id="history-title">Consent history</h2>
        {detail.history.length === 0 ? <p className="muted">No consent recorded.</p> : null}
        {detail.history.length > 0 ? (
          <div className="table-wrap">
            <table className="table compact">
              <thead>
                <tr>
                  <th>When</th>
                  <th>Event</th>
                  <th>Category</th>
                  <th>Source</th>
                  <th>Proof</th>
                </tr>
              </thead>
              <tbody>
                {[...detail.history].reverse().map((entry) => (
                  <tr key={entry.id}>
                    <td className="small">{formatDateTime(entry.occurredAt)}</td>
                    <td>
                      <Badge value={entry.kind.includes('out') ? 'opted_out' : 'opted_in'} label={humanize(entry.kind)} />
                    </td>
                    <td>{entry.category}</td>
                    <td>{entry.source ?? '—'}</td>
                    <td className="proof">{entry.proof ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
    </div>
  );
}
