// The inbox for session messages: the people who wrote in, newest first, each with the countdown of
// their 24-hour customer service window; a conversation with its messages; and a composer that follows
// Meta's rule (whatsapp-rules.md §7.1): free-form text or media by link only while the window is open,
// and once it has closed (or for someone who never wrote) only an approved template.

import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api } from '../api.ts';
import type { ConversationDetail, SendMessageBody } from '../api-types.ts';
import { ErrorBox } from '../components/error-box.tsx';
import { MessageBubble } from '../components/message-bubble.tsx';
import { useNow, windowIsOpen, WindowCountdown } from '../components/window-countdown.tsx';
import { formatDateTime, formatTime, humanize } from '../format.ts';
import { createKeyKeeper } from '../idempotency.ts';
import { templateVariables, type TemplateVariable } from '../template-variables.ts';
import { usePoll } from '../use-poll.ts';

type MediaType = 'image' | 'video' | 'document' | 'audio';

function useSender(contactId: number, onSent: () => void) {
  const keys = useRef(createKeyKeeper());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const send = async (body: Omit<SendMessageBody, 'contactId'>): Promise<boolean> => {
    const payload = { contactId, ...body };
    setBusy(true);
    setError(null);
    try {
      await api.sendMessage(payload, keys.current.keyFor(payload));
      keys.current.done();
      onSent();
      return true;
    } catch (failure) {
      setError(failure as Error);
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { send, busy, error };
}

function FreeFormComposer({ contactId, onSent }: { contactId: number; onSent: () => void }) {
  const [mode, setMode] = useState<'text' | 'media'>('text');
  const [text, setText] = useState('');
  const [mediaType, setMediaType] = useState<MediaType>('image');
  const [link, setLink] = useState('');
  const [caption, setCaption] = useState('');
  const sender = useSender(contactId, onSent);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const body = mode === 'text' ? { text } : { media: { type: mediaType, link, ...(caption && mediaType !== 'audio' ? { caption } : {}) } };
    if (await sender.send(body)) {
      setText('');
      setLink('');
      setCaption('');
    }
  };
  return (
    <form className="composer" onSubmit={(event) => void submit(event)} aria-label="Reply">
      <div className="segmented small">
        {(['text', 'media'] as const).map((which) => (
          <label key={which} className={mode === which ? 'segment active' : 'segment'}>
            <input type="radio" name="composer-mode" checked={mode === which} onChange={() => setMode(which)} />
            {which === 'text' ? 'Text' : 'Media by link'}
          </label>
        ))}
      </div>
      {mode === 'text' ? (
        <label className="field full">
          <span className="sr-only">Message</span>
          <textarea name="text" rows={3} value={text} onChange={(event) => setText(event.target.value)} placeholder="Write a reply…" maxLength={4096} required />
        </label>
      ) : (
        <div className="form-grid">
          <label className="field">
            <span>Type</span>
            <select value={mediaType} onChange={(event) => setMediaType(event.target.value as MediaType)}>
              <option value="image">image</option>
              <option value="video">video</option>
              <option value="document">document</option>
              <option value="audio">audio</option>
            </select>
          </label>
          <label className="field">
            <span>Link (https)</span>
            <input type="url" value={link} onChange={(event) => setLink(event.target.value)} placeholder="https://shop.example.com/photo.jpg" required />
          </label>
          {mediaType !== 'audio' ? (
            <label className="field full">
              <span>Caption (optional)</span>
              <input value={caption} onChange={(event) => setCaption(event.target.value)} />
            </label>
          ) : null}
        </div>
      )}
      <ErrorBox error={sender.error} />
      <div className="actions">
        <button type="submit" className="button primary" disabled={sender.busy}>
          {sender.busy ? 'Sending…' : 'Send'}
        </button>
      </div>
    </form>
  );
}

/** A named {{first_name}} or {{name}} is filled from the contact; anything else is typed (the preview shows the example until then). */
function defaultValue(variable: TemplateVariable, detail: ConversationDetail): string {
  const name = detail.contact.name ?? '';
  if (variable.name === 'first_name') return name.split(/\s+/)[0] ?? '';
  if (variable.name === 'name') return name;
  return '';
}

function TemplateComposer({ detail, onSent }: { detail: ConversationDetail; onSent: () => void }) {
  // The contact's own language first: the one they would be sent in.
  const language0 = detail.contact.language;
  const options = [...detail.approvedTemplates].sort((a, b) => Number(b.language === language0) - Number(a.language === language0) || a.name.localeCompare(b.name));
  const [choice, setChoice] = useState(options[0] ? `${options[0].name}|${options[0].language}` : '');
  const [values, setValues] = useState<Record<string, string>>({});
  const [name, language] = choice.split('|') as [string, string | undefined];
  const family = usePoll(() => (name ? api.template(name) : Promise.resolve(null)), [name]);
  const components = family.data?.languages.find((template) => template.language === language)?.components ?? [];
  const variables: TemplateVariable[] = templateVariables(components).filter((variable) => variable.part !== 'button');
  const variablesBody = Object.fromEntries(variables.map((variable) => [variable.name, values[variable.name] ?? defaultValue(variable, detail)] as const).filter(([, value]) => value !== ''));
  const preview = usePoll(
    () => (name && language ? api.preview({ name, language, contactId: detail.contact.id, variables: variablesBody }) : Promise.resolve(null)),
    [name, language, detail.contact.id, JSON.stringify(variablesBody)],
    null,
    true,
  );
  const sender = useSender(detail.contact.id, onSent);
  useEffect(() => {
    setValues({});
  }, [choice]);

  if (options.length === 0) {
    return <p className="notice">No approved template to send: submit one on the Templates screen and wait for Meta&apos;s review.</p>;
  }
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!name || !language) return;
    void sender.send({ template: { name, language, ...(Object.keys(variablesBody).length > 0 ? { variables: variablesBody } : {}) } });
  };
  return (
    <form className="composer" onSubmit={submit} aria-label="Send a template">
      <label className="field full">
        <span>Approved template</span>
        <select name="template" value={choice} onChange={(event) => setChoice(event.target.value)}>
          {options.map((option) => (
            <option key={`${option.name}|${option.language}`} value={`${option.name}|${option.language}`}>
              {option.name} · {option.language} · {option.category.toLowerCase()}
            </option>
          ))}
        </select>
      </label>
      {variables.length > 0 ? (
        <div className="form-grid">
          {variables.map((variable) => (
            <label key={`${variable.part}-${variable.name}`} className="field">
              <span className="mono">
                {variable.part} {`{{${variable.name}}}`}
              </span>
              <input
                aria-label={`${variable.part} {{${variable.name}}}`}
                value={values[variable.name] ?? defaultValue(variable, detail)}
                onChange={(event) => setValues({ ...values, [variable.name]: event.target.value })}
                required
              />
            </label>
          ))}
        </div>
      ) : null}
      {preview.data ? (
        <div className="phone-screen small-screen">
          <MessageBubble bubble={preview.data.bubble} />
        </div>
      ) : null}
      <ErrorBox error={preview.error ?? sender.error} />
      <div className="actions">
        <button type="submit" className="button primary" disabled={sender.busy}>
          {sender.busy ? 'Sending…' : 'Send template'}
        </button>
      </div>
    </form>
  );
}

function Thread({ contactId, onSent }: { contactId: number; onSent: () => void }) {
  const conversation = usePoll(() => api.conversation(contactId), [contactId], 3000);
  const now = useNow();
  const [templateMode, setTemplateMode] = useState(false);
  const list = useRef<HTMLDivElement>(null);
  const count = conversation.data?.messages.length ?? 0;
  // The newest message in view: the message list scrolls, never the page under the reader.
  useEffect(() => {
    if (list.current) list.current.scrollTop = list.current.scrollHeight;
  }, [count]);
  if (!conversation.data) {
    return (
      <section className="thread card">
        <ErrorBox error={conversation.error} onRetry={() => void conversation.reload()} />
        {conversation.loading ? <p className="muted">Loading conversation…</p> : null}
      </section>
    );
  }
  const detail = conversation.data;
  const open = windowIsOpen(detail.window, now);
  const sent = () => {
    void conversation.reload();
    onSent();
  };
  const neverWrote = !detail.messages.some((message) => message.direction === 'in');
  return (
    <section className="thread card" aria-label={`Conversation with ${detail.contact.name ?? detail.contact.phone}`}>
      <header className="thread-head">
        <a className="back-link" href="#/inbox">
          ← Inbox
        </a>
        <div>
          <h2>
            <a href={`#/contacts/${detail.contact.id}`}>{detail.contact.name ?? detail.contact.phone}</a>
          </h2>
          <p className="muted small mono">{detail.contact.phone}</p>
        </div>
        <WindowCountdown serviceWindow={detail.window} now={now} />
      </header>
      <ErrorBox error={conversation.error} />
      <div className="messages" role="log" aria-label="Messages" ref={list}>
        {detail.messages.length === 0 ? <p className="muted center">No messages with this contact yet.</p> : null}
        {detail.messages.map((message) => (
          <div key={message.id} className={`chat-row ${message.direction === 'in' ? 'incoming' : 'outgoing'}`}>
            <div className="chat-bubble">
              {message.templateName && message.text ? <div className="chat-template mono">template {message.templateName}</div> : null}
              <div className="chat-text">{message.text ?? (message.templateName ? <span className="chat-template-name">Template <span className="mono">{message.templateName}</span></span> : `[${message.type}]`)}</div>
              <div className="chat-meta">
                {formatTime(message.at)}
                {message.direction === 'out' && message.status ? ` · ${humanize(message.status)}` : ''}
              </div>
            </div>
          </div>
        ))}
      </div>
      {open ? (
        <>
          <div className="composer-switch">
            <button type="button" className={templateMode ? 'button small ghost' : 'button small'} onClick={() => setTemplateMode(false)}>
              Free-form reply
            </button>
            <button type="button" className={templateMode ? 'button small' : 'button small ghost'} onClick={() => setTemplateMode(true)}>
              Template
            </button>
          </div>
          {templateMode ? <TemplateComposer detail={detail} onSent={sent} /> : <FreeFormComposer contactId={contactId} onSent={sent} />}
        </>
      ) : (
        <>
          <div className="notice window-closed" role="status">
            <strong>The 24-hour window is closed</strong>
            {neverWrote ? ' — this person has never written to you.' : detail.window.closesAt ? ` since ${formatDateTime(detail.window.closesAt)}.` : '.'} WhatsApp allows free-form messages only within 24 hours of the
            person&apos;s last message; until they write again, send an approved template.
          </div>
          <TemplateComposer detail={detail} onSent={sent} />
        </>
      )}
    </section>
  );
}

export function InboxPage({ contactId }: { contactId: number | null }) {
  const conversations = usePoll(() => api.conversations(), [], 5000);
  const now = useNow();
  return (
    <div className={contactId === null ? 'inbox' : 'inbox has-thread'}>
      <section className="card conversation-list" aria-label="Conversations">
        <h1>Inbox</h1>
        <ErrorBox error={conversations.error} onRetry={() => void conversations.reload()} />
        {conversations.data && conversations.data.items.length === 0 ? <p className="empty">Nobody has written in yet.</p> : null}
        <ul>
          {conversations.data?.items.map((item) => (
            <li key={item.contactId}>
              <a href={`#/inbox/${item.contactId}`} className={item.contactId === contactId ? 'conversation active' : 'conversation'}>
                <span className="conversation-top">
                  <strong>{item.name ?? item.phone}</strong>
                  <span className="muted small">{formatTime(item.lastInboundAt)}</span>
                </span>
                <span className="conversation-text muted">{item.lastText ?? '…'}</span>
                <WindowCountdown serviceWindow={item.window} now={now} />
              </a>
            </li>
          ))}
        </ul>
      </section>
      {contactId !== null ? (
        <Thread key={contactId} contactId={contactId} onSent={() => void conversations.reload()} />
      ) : (
        <section className="thread card empty-thread">
          <p className="muted">Pick a conversation. To message someone who has not written, open them from Contacts.</p>
        </section>
      )}
    </div>
  );
}
