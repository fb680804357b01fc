// The app shell: the token gate, the navigation, the status banners (simulator mode, guard pauses) and
// the hash router that picks a screen. A 401 from any request sends the person back to the gate.

import { useEffect, useState, type ReactNode } from 'react';
import { api, setUnauthorizedHandler } from './api.ts';
import { ErrorBoundary } from './components/error-boundary.tsx';
import { StatusBanners } from './components/status-banners.tsx';
import { CampaignPage } from './pages/campaign-page.tsx';
import { ContactPage } from './pages/contact-page.tsx';
import { ContactsPage } from './pages/contacts-page.tsx';
import { InboxPage } from './pages/inbox-page.tsx';
import { LaunchPage } from './pages/launch-page.tsx';
import { NewCampaignPage } from './pages/new-campaign-page.tsx';
import { OverviewPage } from './pages/overview-page.tsx';
import { SignIn } from './pages/sign-in.tsx';
import { TemplatePage } from './pages/template-page.tsx';
import { TemplatesPage } from './pages/templates-page.tsx';
import { adoptTokenFromUrl, forgetToken } from './token.ts';
import { useHashRoute } from './use-hash-route.ts';
import { usePoll } from './use-poll.ts';

const navItems = [
  { href: '#/', label: 'Overview', match: (path: string[]) => path.length === 0 || (path[0] === 'campaigns' && path[1] !== 'new') },
  { href: '#/campaigns/new', label: 'New campaign', match: (path: string[]) => path[0] === 'campaigns' && path[1] === 'new' },
  { href: '#/templates', label: 'Templates', match: (path: string[]) => path[0] === 'templates' },
  { href: '#/contacts', label: 'Contacts', match: (path: string[]) => path[0] === 'contacts' },
  { href: '#/inbox', label: 'Inbox', match: (path: string[]) => path[0] === 'inbox' },
];

function screenFor(path: string[]): ReactNode {
  const [section, id, sub] = path;
  const number = id !== undefined ? Number(id) : NaN;
  if (section === undefined) return <OverviewPage />;
  if (section === 'campaigns' && id === 'new') return <NewCampaignPage />;
  if (section === 'campaigns' && Number.isInteger(number) && sub === 'launch') return <LaunchPage id={number} />;
  if (section === 'campaigns' && Number.isInteger(number)) return <CampaignPage id={number} />;
  if (section === 'campaigns') return <OverviewPage />;
  if (section === 'templates' && id !== undefined) return <TemplatePage name={id} />;
  if (section === 'templates') return <TemplatesPage />;
  if (section === 'contacts' && Number.isInteger(number)) return <ContactPage id={number} />;
  if (section === 'contacts') return <ContactsPage />;
  if (section === 'inbox') return <InboxPage contactId={Number.isInteger(number) ? number : null} />;
  return (
    <section className="card">
      <h1>Not found</h1>
      <p>
        There is no screen at <code>#/{path.join('/')}</code>. <a href="#/">Back to the overview</a>.
      </p>
    </section>
  );
}

function Dashboard({ onSignOut }: { onSignOut: () => void }) {
  const path = useHashRoute();
  const status = usePoll(() => api.status(), [], 10_000);
  return (
    <div className="shell">
      <header className="topbar">
        <a className="brand" href="#/">
          <span className="brand-mark" aria-hidden="true" />
          Greenlight
        </a>
        <nav className="nav" aria-label="Main">
          {navItems.map((item) => (
            <a key={item.href} href={item.href} className={item.match(path) ? 'nav-link active' : 'nav-link'} aria-current={item.match(path) ? 'page' : undefined}>
              {item.label}
            </a>
          ))}
        </nav>
        <button type="button" className="button small ghost sign-out" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <StatusBanners status={status.data} />
      <main className="content">
        <ErrorBoundary resetKey={path.join('/')}>{screenFor(path)}</ErrorBoundary>
      </main>
    </div>
  );
}

export function App() {
  const [token, setToken] = useState(adoptTokenFromUrl);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    setUnauthorizedHandler((message) => {
      forgetToken();
      setNotice(`Signed out: ${message}`);
      setToken(null);
    });
  }, []);

  if (!token) {
    return (
      <SignIn
        notice={notice}
        onSignedIn={() => {
          setNotice(null);
          setToken(adoptTokenFromUrl());
        }}
      />
    );
  }
  return (
    <Dashboard
      onSignOut={() => {
        forgetToken();
        setNotice('Signed out.');
        setToken(null);
      }}
    />
  );
}
