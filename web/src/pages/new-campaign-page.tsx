// The new-campaign form: builds the campaign document (the same JSON as samples/campaign.json) from a
// few fields — sender, template and language, audience, how each template variable is filled, and the
// sending rules with Greenlight's defaults — and creates a draft (POST /api/campaigns, with an
// Idempotency-Key per submission). Nothing is sent here: the launch screen comes next, with the
// estimate and the template's lint findings before the Launch button.

import { useMemo, useRef, useState, type FormEvent } from 'react';
import { api } from '../api.ts';
import type { Template } from '../api-types.ts';
import { Badge } from '../components/badges.tsx';
import { ErrorBox } from '../components/error-box.tsx';
import { createKeyKeeper } from '../idempotency.ts';
import { templateVariables, type TemplateVariable } from '../template-variables.ts';
import { navigate } from '../use-hash-route.ts';
import { usePoll } from '../use-poll.ts';

type SourceKind = 'first_name' | 'name' | 'phone' | 'language' | 'country' | 'attribute' | 'constant';
type Binding = { kind: SourceKind; value: string; fallback: string };
type AudienceMode = 'tags' | 'all' | 'phones';

const contactFields: SourceKind[] = ['first_name', 'name', 'phone', 'language', 'country'];
const sourceLabels: Record<SourceKind, string> = {
  first_name: 'Contact: first name',
  name: 'Contact: full name',
  phone: 'Contact: phone',
  language: 'Contact: language',
  country: 'Contact: country',
  attribute: 'Contact attribute…',
  constant: 'Fixed text…',
};

const variableKey = (variable: TemplateVariable) => `${variable.part}:${variable.buttonIndex ?? ''}:${variable.name}`;

function defaultBinding(variable: TemplateVariable): Binding {
  if (variable.name === 'first_name' || (variable.part === 'body' && variable.name === '1')) return { kind: 'first_name', value: '', fallback: 'there' };
  if (variable.name === 'name') return { kind: 'name', value: '', fallback: 'there' };
  if (/^\d+$/.test(variable.name)) return { kind: 'constant', value: '', fallback: '' };
  return { kind: 'attribute', value: variable.name, fallback: '' };
}

function bindingJson(binding: Binding): Record<string, string> {
  const source: Record<string, string> =
    binding.kind === 'attribute' ? { from: 'attribute', key: binding.value.trim() } : binding.kind === 'constant' ? { from: 'constant', value: binding.value } : { from: 'contact', field: binding.kind };
  if (binding.fallback.trim()) source.fallback = binding.fallback.trim();
  return source;
}

const splitList = (text: string) => text.split(/[,;\n]/).map((item) => item.trim()).filter(Boolean);

/** A datetime-local value ("2026-12-01T09:00") as ISO 8601 with this browser's offset, as the API wants it. */
function withOffset(local: string): string {
  const date = new Date(local);
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const pad = (value: number) => String(Math.floor(Math.abs(value))).padStart(2, '0');
  return `${local.length === 16 ? `${local}:00` : local}${sign}${pad(offset / 60)}:${pad(offset % 60)}`;
}

const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

export function NewCampaignPage() {
  const senders = usePoll(() => api.senders(), []);
  const templates = usePoll(() => api.templates(), []);
  const keys = useRef(createKeyKeeper());

  const [name, setName] = useState('');
  const [sender, setSender] = useState('');
  const [templateName, setTemplateName] = useState('');
  const [language, setLanguage] = useState('');
  const [audienceMode, setAudienceMode] = useState<AudienceMode>('tags');
  const [tags, setTags] = useState('');
  const [phones, setPhones] = useState('');
  const [countries, setCountries] = useState('');
  const [bindings, setBindings] = useState<Record<string, Binding>>({});
  const [quietHours, setQuietHours] = useState(true);
  const [quietStart, setQuietStart] = useState(21);
  const [quietEnd, setQuietEnd] = useState(9);
  const [timeZone, setTimeZone] = useState(browserZone);
  const [frequencyCap, setFrequencyCap] = useState(true);
  const [canary, setCanary] = useState(true);
  const [canarySize, setCanarySize] = useState('');
  const [canaryHold, setCanaryHold] = useState('60');
  const [rate, setRate] = useState('');
  const [budget, setBudget] = useState('');
  const [sessionText, setSessionText] = useState('');
  const [startAt, setStartAt] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);

  const families = useMemo(() => {
    const byName = new Map<string, Template[]>();
    for (const template of templates.data?.items ?? []) byName.set(template.name, [...(byName.get(template.name) ?? []), template]);
    return [...byName.entries()].sort(([a], [b]) => a.localeCompare(b));
  }, [templates.data]);
  const family = families.find(([familyName]) => familyName === templateName)?.[1] ?? [];
  const chosen = family.find((template) => template.language === language) ?? family[0];
  const variables = useMemo(() => (chosen ? templateVariables(chosen.components) : []), [chosen]);
  const senderValue = sender || senders.data?.items[0]?.phoneNumberId || '';

  const bindingOf = (variable: TemplateVariable) => bindings[variableKey(variable)] ?? defaultBinding(variable);
  const setBinding = (variable: TemplateVariable, change: Partial<Binding>) => setBindings((current) => ({ ...current, [variableKey(variable)]: { ...bindingOf(variable), ...change } }));

  const campaignDocument = useMemo(() => {
    const body: Record<string, unknown> = {};
    const buttons: Record<string, unknown> = {};
    let header: unknown;
    for (const variable of variables) {
      const json = bindingJson(bindingOf(variable));
      if (variable.part === 'body') body[variable.name] = json;
      else if (variable.part === 'header') header = json;
      else buttons[String(variable.buttonIndex)] = json;
    }
    const audience: Record<string, unknown> =
      audienceMode === 'all' ? { all: true } : audienceMode === 'phones' ? { phones: splitList(phones) } : { tags: splitList(tags) };
    if (audienceMode !== 'phones' && splitList(countries).length > 0) audience.countries = splitList(countries).map((code) => code.toUpperCase());
    return {
      name: name.trim(),
      sender: senderValue,
      template: templateName,
      defaultLanguage: language || chosen?.language || '',
      audience,
      variables: { body, ...(header ? { header } : {}), ...(Object.keys(buttons).length > 0 ? { buttons } : {}) },
      ...(sessionText.trim() ? { session: { text: sessionText.trim() } } : {}),
      ...(startAt ? { schedule: { startAt: withOffset(startAt) } } : {}),
      quietHours: quietHours ? { start: quietStart, end: quietEnd } : false,
      timeZone,
      ...(frequencyCap ? {} : { frequencyCap: false }),
      canary: canary ? { ...(canarySize ? { size: Number(canarySize) } : {}), holdMinutes: Number(canaryHold || '60') } : false,
      ...(rate ? { rate: { messagesPerSecond: Number(rate) } } : {}),
      ...(budget ? { budget: { usd: Number(budget) } } : {}),
    };
    // bindingOf reads `bindings`, which is listed.
  }, [variables, bindings, audienceMode, phones, tags, countries, name, senderValue, templateName, language, chosen, sessionText, startAt, quietHours, quietStart, quietEnd, timeZone, frequencyCap, canary, canarySize, canaryHold, rate, budget]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const created = await api.createCampaign(campaignDocument, keys.current.keyFor(campaignDocument));
      keys.current.done();
      navigate(`/campaigns/${created.campaign.id}/launch`);
    } catch (failure) {
      setError(failure as Error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="stack" onSubmit={(event) => void submit(event)} aria-label="New campaign">
      <div className="section-head">
        <div>
          <h1>New campaign</h1>
          <p className="muted">Step 1 of 2: describe the campaign. Nothing is sent until you launch it on the next screen.</p>
        </div>
      </div>
      <ErrorBox error={senders.error ?? templates.error} />

      <section className="card form-grid">
        <h2>Message</h2>
        <label className="field">
          <span>Campaign name</span>
          <input name="name" value={name} onChange={(event) => setName(event.target.value)} placeholder="Back in stock, December" required maxLength={200} />
        </label>
        <label className="field">
          <span>Sender</span>
          <select name="sender" value={senderValue} onChange={(event) => setSender(event.target.value)} required>
            {(senders.data?.items ?? []).map((item) => (
              <option key={item.id} value={item.phoneNumberId}>
                {item.verifiedName ?? 'Sender'} ({item.displayPhoneNumber ?? item.phoneNumberId})
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Template</span>
          <select
            name="template"
            value={templateName}
            onChange={(event) => {
              setTemplateName(event.target.value);
              const first = families.find(([familyName]) => familyName === event.target.value)?.[1][0];
              setLanguage(first?.language ?? '');
              setBindings({});
            }}
            required
          >
            <option value="">Choose a template…</option>
            {families.map(([familyName, variants]) => (
              <option key={familyName} value={familyName}>
                {familyName} — {variants.map((variant) => `${variant.language} ${variant.status.toLowerCase()}`).join(', ')}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Default language</span>
          <select name="language" value={language || chosen?.language || ''} onChange={(event) => setLanguage(event.target.value)} required disabled={family.length === 0}>
            {family.map((variant) => (
              <option key={variant.language} value={variant.language}>
                {variant.language} ({variant.status.toLowerCase()})
              </option>
            ))}
          </select>
          <small className="muted">Each contact gets their own language when the template has it (pt_BR → pt → this one).</small>
        </label>
        {chosen ? (
          <p className="field-note full">
            <Badge value={chosen.status} /> {chosen.category.toLowerCase()} template{chosen.status !== 'APPROVED' ? ': only approved templates can be sent; the launch screen will say so.' : '.'}
          </p>
        ) : null}
      </section>

      {variables.length > 0 ? (
        <section className="card">
          <h2>Template variables</h2>
          <p className="muted">Where each placeholder&apos;s value comes from. A contact whose value is missing gets the fallback; with no fallback the contact is skipped.</p>
          <div className="variable-list">
            {variables.map((variable) => {
              const binding = bindingOf(variable);
              const label = variable.part === 'button' ? `Button ${variable.buttonIndex! + 1} URL {{${variable.name}}}` : `${variable.part === 'header' ? 'Header' : 'Body'} {{${variable.name}}}`;
              return (
                <fieldset key={variableKey(variable)} className="variable-row">
                  <legend className="mono">{label}</legend>
                  <label className="field">
                    <span>Value from</span>
                    <select aria-label={`${label} source`} value={binding.kind} onChange={(event) => setBinding(variable, { kind: event.target.value as SourceKind })}>
                      {[...contactFields, 'attribute' as const, 'constant' as const].map((kind) => (
                        <option key={kind} value={kind}>
                          {sourceLabels[kind]}
                        </option>
                      ))}
                    </select>
                  </label>
                  {binding.kind === 'attribute' || binding.kind === 'constant' ? (
                    <label className="field">
                      <span>{binding.kind === 'attribute' ? 'Attribute (CSV column)' : 'Text'}</span>
                      <input aria-label={`${label} ${binding.kind}`} value={binding.value} onChange={(event) => setBinding(variable, { value: event.target.value })} required={binding.kind === 'attribute'} />
                    </label>
                  ) : null}
                  <label className="field">
                    <span>Fallback</span>
                    <input aria-label={`${label} fallback`} value={binding.fallback} onChange={(event) => setBinding(variable, { fallback: event.target.value })} />
                  </label>
                </fieldset>
              );
            })}
          </div>
        </section>
      ) : null}

      <section className="card form-grid">
        <h2>Audience</h2>
        <div className="field full" role="radiogroup" aria-label="Audience">
          <span>Who gets it</span>
          <div className="segmented">
            {(
              [
                ['tags', 'Contacts with tags'],
                ['all', 'Every contact'],
                ['phones', 'A list of numbers'],
              ] as const
            ).map(([mode, label]) => (
              <label key={mode} className={audienceMode === mode ? 'segment active' : 'segment'}>
                <input type="radio" name="audience" value={mode} checked={audienceMode === mode} onChange={() => setAudienceMode(mode)} />
                {label}
              </label>
            ))}
          </div>
          <small className="muted">Only contacts who opted in for the template&apos;s category are sent to; the estimate shows who is skipped and why.</small>
        </div>
        {audienceMode === 'tags' ? (
          <label className="field">
            <span>Tags (all of them)</span>
            <input name="tags" value={tags} onChange={(event) => setTags(event.target.value)} placeholder="customers, newsletter" required />
          </label>
        ) : null}
        {audienceMode === 'phones' ? (
          <label className="field full">
            <span>Numbers (E.164, one per line)</span>
            <textarea name="phones" rows={4} value={phones} onChange={(event) => setPhones(event.target.value)} placeholder="+4915112345678" required />
          </label>
        ) : (
          <label className="field">
            <span>Countries (optional)</span>
            <input name="countries" value={countries} onChange={(event) => setCountries(event.target.value)} placeholder="DE, ES, BR" />
          </label>
        )}
      </section>

      <section className="card">
        <h2>Sending rules</h2>
        <div className="rules">
          <div className="rule">
            <label className="check">
              <input type="checkbox" name="quietHours" checked={quietHours} onChange={(event) => setQuietHours(event.target.checked)} />
              Quiet hours
            </label>
            <small className="muted">In each contact&apos;s time zone; messages wait, never skipped.</small>
            {quietHours ? (
              <div className="inline-fields">
                <label className="field">
                  <span>From (hour)</span>
                  <input type="number" min={0} max={23} value={quietStart} onChange={(event) => setQuietStart(Number(event.target.value))} />
                </label>
                <label className="field">
                  <span>Until (hour)</span>
                  <input type="number" min={0} max={23} value={quietEnd} onChange={(event) => setQuietEnd(Number(event.target.value))} />
                </label>
              </div>
            ) : null}
          </div>
          <div className="rule">
            <label className="check">
              <input type="checkbox" name="canary" checked={canary} onChange={(event) => setCanary(event.target.checked)} />
              Canary wave
            </label>
            <small className="muted">Send to a few first, then wait for Meta&apos;s quality signals before the rest.</small>
            {canary ? (
              <div className="inline-fields">
                <label className="field">
                  <span>Size</span>
                  <input type="number" min={1} value={canarySize} onChange={(event) => setCanarySize(event.target.value)} placeholder="2 %" />
                </label>
                <label className="field">
                  <span>Hold (min)</span>
                  <input type="number" min={0} value={canaryHold} onChange={(event) => setCanaryHold(event.target.value)} />
                </label>
              </div>
            ) : null}
          </div>
          <div className="rule">
            <label className="check">
              <input type="checkbox" name="frequencyCap" checked={frequencyCap} onChange={(event) => setFrequencyCap(event.target.checked)} />
              Frequency cap
            </label>
            <small className="muted">At most 2 marketing messages per contact in 7 days, across campaigns.</small>
          </div>
          <label className="rule field">
            <span>Time zone for contacts without one</span>
            <input name="timeZone" value={timeZone} onChange={(event) => setTimeZone(event.target.value)} />
          </label>
        </div>
        <div className="form-grid spaced">
          <label className="field">
            <span>Rate limit (messages/s, optional)</span>
            <input type="number" min={0.1} step="any" name="rate" value={rate} onChange={(event) => setRate(event.target.value)} />
          </label>
          <label className="field">
            <span>Budget (USD, optional)</span>
            <input type="number" min={0.01} step="any" name="budget" value={budget} onChange={(event) => setBudget(event.target.value)} />
          </label>
          <label className="field">
            <span>Start at (optional)</span>
            <input type="datetime-local" name="startAt" value={startAt} onChange={(event) => setStartAt(event.target.value)} />
          </label>
          <label className="field full">
            <span>Session text (optional: sent instead of the template to contacts inside their 24 h window)</span>
            <textarea name="session" rows={2} value={sessionText} onChange={(event) => setSessionText(event.target.value)} maxLength={4096} />
          </label>
        </div>
      </section>

      <details className="card">
        <summary>Campaign document (JSON)</summary>
        <pre className="code">{JSON.stringify(campaignDocument, null, 2)}</pre>
      </details>

      <ErrorBox error={error} />
      <div className="actions">
        <button type="submit" className="button primary" disabled={busy || !templateName}>
          {busy ? 'Creating…' : 'Create draft and estimate'}
        </button>
        <a className="button ghost" href="#/">
          Cancel
        </a>
      </div>
    </form>
  );
}
