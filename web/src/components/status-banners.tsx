// The banners that must never be missed: Greenlight is talking to its simulator (nothing reaches
// WhatsApp), and a guard has paused a campaign (with the reason and the way to resume). Polled, so a
// pause that happens while someone looks at another screen still shows up.

import type { Status } from '../api-types.ts';
import { humanize } from '../format.ts';

export function StatusBanners({ status }: { status: Status | null }) {
  if (!status) return null;
  return (
    <div className="banners">
      {status.mode === 'simulator' ? (
        <div className="banner banner-sim" role="status">
          <strong>Simulator mode.</strong> Greenlight is talking to its built-in simulator of Meta&apos;s Cloud API: nothing reaches WhatsApp. Set <code>WHATSAPP_ACCESS_TOKEN</code> to send for real.
        </div>
      ) : null}
      {status.guardPauses.map((pause) => (
        <div key={pause.id} className="banner banner-guard" role="alert">
          <strong>
            Paused by a guard: <a href={`#/campaigns/${pause.id}`}>{pause.name}</a>
          </strong>{' '}
          ({humanize(pause.reason)}){pause.detail ? ` — ${pause.detail}` : ''}
          {pause.action ? <span className="banner-action"> {pause.action}</span> : null}
        </div>
      ))}
    </div>
  );
}
