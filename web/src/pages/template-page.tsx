// One template, every language side by side: the WhatsApp-style bubble from the API's preview (filled
// with example values, or a contact's when one is given), Meta's status, category and quality, why it
// was rejected, and the lint findings with the spam score inline.

import { useState } from 'react';
import { api } from '../api.ts';
import type { Template } from '../api-types.ts';
import { Badge } from '../components/badges.tsx';
import { ErrorBox } from '../components/error-box.tsx';
import { LintFindings } from '../components/lint-findings.tsx';
import { MessageBubble } from '../components/message-bubble.tsx';
import { humanize } from '../format.ts';
import { localBubble } from '../template-variables.ts';
import { usePoll } from '../use-poll.ts';

function LanguageCard({ template, contactId }: { template: Template; contactId: number | null }) {
  const preview = usePoll(() => api.preview({ name: template.name, language: template.language, ...(contactId ? { contactId } : {}) }), [template.name, template.language, contactId]);
  const lint = usePoll(() => (template.definition ? api.lintTemplate(template.definition) : Promise.resolve(null)), [template.name, template.language]);
  return (
    <article className="card language-card" aria-label={`${template.name} ${template.language}`}>
      <header className="card-head">
        <h2 className="mono">{template.language}</h2>
        <div className="chips">
          <Badge value={template.status} />
          <span className="chip">{humanize(template.category.toLowerCase())}</span>
          {template.qualityScore ? <Badge value={template.qualityScore} label={`quality ${template.qualityScore.toLowerCase()}`} /> : null}
        </div>
      </header>
      {template.rejectedReason && template.rejectedReason !== 'NONE' ? <p className="error-box">Rejected: {humanize(template.rejectedReason)}</p> : null}
      <div className="phone-screen">
        {preview.data ? <MessageBubble bubble={preview.data.bubble} /> : <MessageBubble bubble={localBubble(template.components)} />}
      </div>
      {preview.error ? <p className="muted small">Preview from the API failed ({preview.error.message}); shown as written.</p> : null}
      {preview.data && preview.data.missing.length > 0 ? <p className="muted small">Shown with the template&apos;s example for: {preview.data.missing.map((name) => `{{${name}}}`).join(', ')} (pick a contact to fill from their data).</p> : null}
      <h3>Lint</h3>
      <ErrorBox error={lint.error} />
      {lint.data ? <LintFindings findings={lint.data.findings} spam={lint.data.spam} /> : !template.definition ? <p className="muted small">No local definition to lint (the template was made outside Greenlight).</p> : null}
    </article>
  );
}

export function TemplatePage({ name }: { name: string }) {
  const family = usePoll(() => api.template(name), [name], 15_000);
  const [contact, setContact] = useState('');
  const contactId = /^\d+$/.test(contact) ? Number(contact) : null;
  return (
    <div className="stack">
      <div className="section-head">
        <div>
          <p className="crumbs">
            <a href="#/templates">Templates</a> / {name}
          </p>
          <h1 className="mono">{name}</h1>
        </div>
        <label className="field inline">
          <span>Preview for contact #</span>
          <input inputMode="numeric" value={contact} onChange={(event) => setContact(event.target.value)} placeholder="id" size={6} />
        </label>
      </div>
      <ErrorBox error={family.error} onRetry={() => void family.reload()} />
      {family.loading && !family.data ? <p className="muted">Loading…</p> : null}
      <div className="grid cards">
        {family.data?.languages.map((template) => <LanguageCard key={template.language} template={template} contactId={contactId} />)}
      </div>
    </div>
  );
}
