// An API failure as the person needs it: the API's own message (it says what to do), its code, and a
// way to try again. Used by every screen, so errors look and read the same everywhere.

import { isApiError } from '../api.ts';

export function ErrorBox({ error, onRetry }: { error: Error | null | undefined; onRetry?: () => void }) {
  if (!error) return null;
  const code = isApiError(error) ? error.code : null;
  return (
    <div className="error-box" role="alert">
      <div>
        {code ? <span className="error-code">{code}</span> : null}
        <span className="error-message">{error.message}</span>
      </div>
      {onRetry ? (
        <button type="button" className="button small ghost" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}
