// The token gate: without a stored API token the dashboard shows only this form. The token is checked
// against /api/status before it is kept, so a typo gets the API's own refusal at once.

import { useState, type FormEvent } from 'react';
import { api } from '../api.ts';
import { ErrorBox } from '../components/error-box.tsx';
import { saveToken } from '../token.ts';

export function SignIn({ notice, onSignedIn }: { notice: string | null; onSignedIn: () => void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.checkToken(token.trim());
      saveToken(token);
      onSignedIn();
    } catch (failure) {
      setError(failure as Error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="sign-in">
      <form className="card sign-in-card" onSubmit={(event) => void submit(event)}>
        <div className="brand brand-large">
          <span className="brand-mark" aria-hidden="true" />
          Greenlight
        </div>
        <h1>Sign in to the dashboard</h1>
        <p className="muted">
          Paste the API token: the <code>GREENLIGHT_API_TOKEN</code> you configured, or the token <code>greenlight serve</code> printed when it first started. It is kept in this browser only.
        </p>
        {notice ? <p className="notice">{notice}</p> : null}
        <label className="field">
          <span>API token</span>
          <input type="password" name="token" autoComplete="off" spellCheck={false} value={token} onChange={(event) => setToken(event.target.value)} required />
        </label>
        <ErrorBox error={error} />
        <button type="submit" className="button primary" disabled={busy || token.trim() === ''}>
          {busy ? 'Checking…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
