/** The dashboard: session gate, sidebar, and the route table. */
import { useEffect, useState } from 'react';
import { setUnauthorizedHandler } from '../shared/api.js';
import { Link, matchPath, navigate, useLocation } from '../shared/router.js';
import type { DashboardSession } from '../shared/types.js';
import { Loading } from '../shared/ui/States.js';
import { EmptyState } from '../shared/ui/States.js';
import { routes } from './routes.js';
import { credentialLabel, currentSession, signOut } from './session.js';
import { SignIn } from './SignIn.js';

const NAV = [
  { to: '/dashboard/accounts', label: 'Accounts', prefix: '/dashboard/accounts' },
  { to: '/dashboard/monitoring', label: 'Monitoring', prefix: '/dashboard/monitoring' },
  { to: '/dashboard/events', label: 'Events', prefix: '/dashboard/events' },
  { to: '/dashboard/webhooks', label: 'Webhooks', prefix: '/dashboard/webhooks' },
  { to: '/dashboard/roles', label: 'Roles', prefix: '/dashboard/roles' },
  { to: '/dashboard/attributes', label: 'Attributes', prefix: '/dashboard/attributes' },
  { to: '/dashboard/builder', label: 'Builder', prefix: '/dashboard/builder' },
];

export function App() {
  const [session, setSession] = useState<DashboardSession | null | undefined>(undefined);
  const [expired, setExpired] = useState(false);
  const { path } = useLocation();

  useEffect(() => {
    void currentSession().then((s) => setSession(s ?? null));
    setUnauthorizedHandler(() => {
      setSession((current) => {
        if (current) setExpired(true);
        return null;
      });
    });
    return () => setUnauthorizedHandler(undefined);
  }, []);

  if (session === undefined) return <Loading label="Opening the dashboard…" />;
  if (session === null)
    return (
      <SignIn
        expired={expired}
        onSignedIn={(s) => {
          setExpired(false);
          setSession(s);
        }}
      />
    );

  if (path === '/dashboard' || path === '/') {
    navigate('/dashboard/accounts', { replace: true });
    return null;
  }
  let page = null;
  for (const route of routes) {
    const params = matchPath(route.path, path);
    if (params) {
      page = <route.page {...params} />;
      break;
    }
  }
  return (
    <div className="shell">
      <nav className="sidebar" aria-label="Main">
        <div className="brand">Rollcall</div>
        {NAV.map((item) => (
          <Link key={item.to} to={item.to} aria-current={path.startsWith(item.prefix) ? 'page' : undefined}>
            {item.label}
          </Link>
        ))}
        <div className="spacer" />
        <div className="who" title={`Client ID ${session.clientId}`}>
          Signed in with <strong>{credentialLabel(session)}</strong>
        </div>
        <a
          href="/dashboard"
          onClick={async (event) => {
            event.preventDefault();
            await signOut().catch(() => undefined);
            setSession(null);
          }}
        >
          Sign out
        </a>
      </nav>
      <main className="main" id="main">
        {page ?? (
          <EmptyState title="Page not found" action={<Link to="/dashboard/accounts">Go to accounts</Link>}>
            There is nothing at {path}.
          </EmptyState>
        )}
      </main>
    </div>
  );
}
