// Contacts: search by name or number, filter by tag and consent, page through with "Load more", and
// import a CSV (the same importer as `greenlight contacts import`, with its report of rejected rows).

import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../api.ts';
import type { Contact, ImportSummary } from '../api-types.ts';
import { Badge } from '../components/badges.tsx';
import { ErrorBox } from '../components/error-box.tsx';
import { formatNumber, humanize } from '../format.ts';

type Filters = { q: string; tag: string; consent: string };

function ImportCard({ onImported }: { onImported: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [source, setSource] = useState('');
  const [summary, setSummary] = useState<ImportSummary | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      setSummary(await api.importContacts(await file.text(), { source: source || undefined }));
      onImported();
    } catch (failure) {
      setError(failure as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <details className="card">
      <summary>Import contacts from CSV</summary>
      <form className="form-grid" onSubmit={(event) => void submit(event)}>
        <label className="field">
          <span>CSV file (phone, name, language, tags, opt_in_at, opt_in_text, consent_categories, …)</span>
          <input type="file" accept=".csv,text/csv" onChange={(event) => setFile(event.target.files?.[0] ?? null)} required />
        </label>
        <label className="field">
          <span>Opt-in source for rows without one (optional)</span>
          <input value={source} onChange={(event) => setSource(event.target.value)} placeholder="checkout form" />
        </label>
        <div className="actions full">
          <button type="submit" className="button primary" disabled={busy || !file}>
            {busy ? 'Importing…' : 'Import'}
          </button>
        </div>
      </form>
      <ErrorBox error={error} />
      {summary ? (
        <div className="notice">
          Read {formatNumber(summary.rows)} rows: {formatNumber(summary.created)} created, {formatNumber(summary.updated)} updated, {formatNumber(summary.unchanged)} unchanged, {formatNumber(summary.rejected)} rejected;{' '}
          {formatNumber(summary.consentEventsRecorded)} consent events recorded.
          {summary.rejections.length > 0 ? (
            <ul className="small">
              {summary.rejections.slice(0, 20).map((rejection) => (
                <li key={rejection.line}>
                  line {rejection.line}: {humanize(rejection.reason)} — {rejection.message}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </details>
  );
}

export function ContactsPage() {
  const [draft, setDraft] = useState<Filters>({ q: '', tag: '', consent: '' });
  const [filters, setFilters] = useState<Filters>(draft);
  const [items, setItems] = useState<Contact[]>([]);
  const [total, setTotal] = useState<number | null>(null);
  const [nextAfter, setNextAfter] = useState<number | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [loading, setLoading] = useState(false);
  const [version, setVersion] = useState(0);

  const load = async (after: number | null, current: Filters) => {
    setLoading(true);
    setError(null);
    try {
      const page = await api.contacts({ ...current, after, limit: 50 });
      setItems((previous) => (after === null ? page.items : [...previous, ...page.items]));
      setTotal(page.total);
      setNextAfter(page.nextAfter);
    } catch (failure) {
      setError(failure as Error);
    } finally {
      setLoading(false);
    }
  };

  useEffect(() => {
    void load(null, filters);
  }, [filters, version]);

  return (
    <div className="stack">
      <div className="section-head">
        <h1>Contacts</h1>
        {total !== null ? <p className="muted">{formatNumber(total)} matching</p> : null}
      </div>
      <form
        className="card filters"
        onSubmit={(event) => {
          event.preventDefault();
          setFilters(draft);
        }}
        aria-label="Filter contacts"
      >
        <label className="field">
          <span>Search</span>
          <input type="search" name="q" value={draft.q} onChange={(event) => setDraft({ ...draft, q: event.target.value })} placeholder="Name or number" />
        </label>
        <label className="field">
          <span>Tag</span>
          <input name="tag" value={draft.tag} onChange={(event) => setDraft({ ...draft, tag: event.target.value })} placeholder="customers" />
        </label>
        <label className="field">
          <span>Marketing consent</span>
          <select name="consent" value={draft.consent} onChange={(event) => setDraft({ ...draft, consent: event.target.value })}>
            <option value="">Any</option>
            <option value="opted_in">Opted in</option>
            <option value="opted_out">Opted out</option>
            <option value="none">No consent recorded</option>
          </select>
        </label>
        <button type="submit" className="button">
          Filter
        </button>
      </form>
      <ErrorBox error={error} onRetry={() => void load(null, filters)} />
      <section className="card">
        {items.length === 0 && !loading ? <p className="empty">No contacts match.</p> : null}
        {items.length > 0 ? (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th>Contact</th>
                  <th>Language</th>
                  <th>Country</th>
                  <th>Tags</th>
                  <th>Marketing</th>
                  <th>Utility</th>
                </tr>
              </thead>
              <tbody>
                {items.map((contact) => (
                  <tr key={contact.id}>
                    <td>
                      <a className="strong" href={`#/contacts/${contact.id}`}>
                        {contact.name ?? contact.phone}
                      </a>
                      <div className="muted small mono">{contact.phone}</div>
                    </td>
                    <td>{contact.language ?? '—'}</td>
                    <td>{contact.country ?? '—'}</td>
                    <td>
                      <div className="chips">
                        {contact.tags.map((tag) => (
                          <span key={tag} className="chip">
                            {tag}
                          </span>
                        ))}
                      </div>
                    </td>
                    <td>
                      <Badge value={contact.marketing} />
                    </td>
                    <td>
                      <Badge value={contact.utility} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
        {loading ? <p className="muted">Loading…</p> : null}
        {nextAfter !== null && !loading ? (
          <button type="button" className="button ghost" onClick={() => void load(nextAfter, filters)}>
            Load more
          </button>
        ) : null}
      </section>
      <ImportCard onImported={() => setVersion((value) => value + 1)} />
    </div>
  );
}
