/** The portal's header: the vendor's logo and product name (its theme), who is signed in, and sign-out. */
import type { PortalSession } from '../shared/types.js';
import { Button } from '../shared/ui/Button.js';

export function PortalHeader({ session, onSignOut }: { session: PortalSession | undefined; onSignOut: () => void }) {
  const productName = session?.theme?.productName ?? undefined;
  const logoUrl = session?.theme?.logoUrl ?? undefined;
  return (
    <header className="portal-header" style={{ background: 'var(--surface)', borderTop: '3px solid var(--brand)', borderBottom: '1px solid var(--border)' }}>
      <div
        style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: 16, minHeight: 56, maxWidth: 1120, margin: '0 auto', padding: '8px 32px' }}
      >
        <div className="inline">
          {logoUrl ? <img src={logoUrl} alt={productName ?? 'Logo'} style={{ maxHeight: 32, maxWidth: 160 }} /> : null}
          <span className="portal-product" style={{ fontWeight: 700, fontSize: 16 }}>
            {productName ?? 'Account settings'}
          </span>
        </div>
        {session ? (
          <div className="inline">
            <span className="muted" title="Signed in as">
              {session.email ?? session.userId}
            </span>
            <Button variant="ghost" onClick={onSignOut}>
              Sign out
            </Button>
          </div>
        ) : null}
      </div>
    </header>
  );
}
