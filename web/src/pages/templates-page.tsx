// Templates: every template with its languages and Meta's review status and quality, a sync with Meta,
// and an editor to lint (Meta's rules, spam risk) and submit a new one — paste Meta's create-payload
// JSON, the same as the files in templates/.

import { useMemo, useState } from 'react';
import { api } from '../api.ts';
import type { LintResult, Template } from '../api-types.ts';
import { Badge } from '../components/badges.tsx';
import { ErrorBox } from '../components/error-box.tsx';
import { LintFindings } from '../components/lint-findings.tsx';
import { humanize } from '../format.ts';
import { usePoll } from '../use-poll.ts';

const starter = JSON.stringify(
  {
    name: 'order_ready',
    language: 'en',
    category: 'UTILITY',
    components: [
      { type: 'BODY', text: 'Hi {{1}}, your order {{2}} is ready for pickup at our store.', example: { body_text: [['Ana', 'SH-48213']] } },
      { type: 'FOOTER', text: 'Reply to this message with any question.' },
    ],
  },
  null,
  2,
);

function TemplateEditor({ onSubmitted }: { onSubmitted: () => void }) {
  const [text, setText] = useState(starter);
  const [lint, setLint] = useState<LintResult | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (submit: boolean) => {
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      const definition = JSON.parse(text) as unknown;
      setLint(await api.lintTemplate(definition));
      if (submit) {
        await api.submitTemplate(definition);
        setMessage("Submitted to Meta for review. Its status shows here after the review (sync to check now).");
        onSubmitted();
      }
    } catch (failure) {
      setError(failure instanceof SyntaxError ? new Error(`The definition is not valid JSON: ${failure.message}`) : (failure as Error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <details className="card">
      <summary>New template: lint and submit</summary>
      <p className="muted">Meta&apos;s create-payload JSON. Lint checks every rule Meta enforces and scores the spam risk; submit lints first and sends nothing Meta would reject.</p>
      <label className="field full">
        <span>Definition (JSON)</span>
        <textarea className="code" rows={14} value={text} onChange={(event) => setText(event.target.value)} spellCheck={false} />
      </label>
      <div className="actions">
        <button type="button" className="button" onClick={() => void run(false)} disabled={busy}>
          Lint
        </button>
        <button type="button" className="button primary" onClick={() => void run(true)} disabled={busy}>
          Submit to Meta
        </button>
      </div>
      <ErrorBox error={error} />
      {message ? <p className="notice">{message}</p> : null}
      {lint ? <LintFindings findings={lint.findings} spam={lint.spam} /> : null}
    </details>
  );
}

export function TemplatesPage() {
  const templates = usePoll(() => api.templates(), [], 10_000);
  const [syncing, setSyncing] = useState(false);
  const [syncError, setSyncError] = useState<Error | null>(null);
  const [syncNote, setSyncNote] = useState<string | null>(null);
  const families = useMemo(() => {
    const byName = new Map<string, Template[]>();
    for (const template of templates.data?.items ?? []) byName.set(template.name, [...(byName.get(template.name) ?? []), template]);
    return [...byName.entries()].sort(([a], [b]) => a.localeCompare(b));
  }, [templates.data]);
  const sync = async () => {
    setSyncing(true);
    setSyncError(null);
    try {
      const report = await api.syncTemplates();
      setSyncNote(`Synced with Meta: ${report.changes?.length ?? 0} changes.`);
      await templates.reload();
    } catch (failure) {
      setSyncError(failure as Error);
    } finally {
      setSyncing(false);
    }
  };
  return (
    <div className="stack">
      <div className="section-head">
        <h1>Templates</h1>
        <button type="button" className="button" onClick={() => void sync()} disabled={syncing}>
          {syncing ? 'Syncing…' : 'Sync with Meta'}
        </button>
      </div>
      <ErrorBox error={syncError} />
      {syncNote ? <p className="notice">{syncNote}</p> : null}
      <ErrorBox error={templates.error} onRetry={() => void templates.reload()} />
      <section className="card">
        {templates.loading && !templates.data ? <p className="muted">Loading templates…</p> : null}
        {templates.data && families.length === 0 ? <p className="empty">No templates yet: submit one below, or sync the ones Meta already has.</p> : null}
        {families.length > 0 ? (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th>Template</th>
                  <th>Category</th>
                  <th>Languages</th>
                </tr>
              </thead>
              <tbody>
                {families.map(([name, variants]) => (
                  <tr key={name}>
                    <td>
                      <a className="strong mono" href={`#/templates/${encodeURIComponent(name)}`}>
                        {name}
                      </a>
                    </td>
                    <td>{humanize(variants[0]?.category.toLowerCase())}</td>
                    <td>
                      <div className="chips">
                        {variants.map((variant) => (
                          <span key={variant.language} className="chip">
                            <span className="mono">{variant.language}</span> <Badge value={variant.status} />
                            {variant.qualityScore && variant.qualityScore !== 'UNKNOWN' ? <Badge value={variant.qualityScore} label={`quality ${variant.qualityScore.toLowerCase()}`} /> : null}
                          </span>
                        ))}
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
      <TemplateEditor onSubmitted={() => void templates.reload()} />
    </div>
  );
}
