/** Page furniture: headers, tabs, cards, badges, pagers, raw JSON. */
import type { ReactNode } from 'react';
import { Link } from '../router.js';
import type { CursorPagerState } from '../use-api.js';
import { Button } from './Button.js';

export function PageHeader({ title, subtitle, actions, back }: { title: ReactNode; subtitle?: ReactNode; actions?: ReactNode; back?: { to: string; label: string } }) {
  return (
    <header className="page-header">
      <div>
        {back ? (
          <Link className="back-link" to={back.to}>
            ← {back.label}
          </Link>
        ) : null}
        <h1>{title}</h1>
        {subtitle ? <p className="muted">{subtitle}</p> : null}
      </div>
      {actions ? <div className="page-actions">{actions}</div> : null}
    </header>
  );
}

/** Navigation tabs (links), the current one marked for assistive technology. */
export function Tabs({ items, current, label }: { items: { to: string; label: string; id: string }[]; current: string; label: string }) {
  return (
    <nav className="tabs" aria-label={label}>
      {items.map((item) => (
        <Link key={item.id} to={item.to} className={item.id === current ? 'tab active' : 'tab'} aria-current={item.id === current ? 'page' : undefined}>
          {item.label}
        </Link>
      ))}
    </nav>
  );
}

export function Card({ title, children, actions }: { title?: ReactNode; children: ReactNode; actions?: ReactNode }) {
  return (
    <section className="card">
      {title || actions ? (
        <div className="card-header">
          {title ? <h2>{title}</h2> : <span />}
          {actions}
        </div>
      ) : null}
      {children}
    </section>
  );
}

export function Badge({ tone = 'neutral', children }: { tone?: 'neutral' | 'good' | 'bad' | 'warn'; children: ReactNode }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

/** Previous / next for cursor- or offset-paged lists. */
export function Pager({ hasPrevious, hasNext, onPrevious, onNext, label }: { hasPrevious: boolean; hasNext: boolean; onPrevious: () => void; onNext: () => void; label?: ReactNode }) {
  if (!hasPrevious && !hasNext && !label) return null;
  return (
    <div className="pager">
      <span className="muted">{label}</span>
      <div>
        <Button onClick={onPrevious} disabled={!hasPrevious}>
          Previous
        </Button>
        <Button onClick={onNext} disabled={!hasNext}>
          Next
        </Button>
      </div>
    </div>
  );
}

/** Previous / next for a cursor-paged list (useCursorPager); "Page N" shows once there is more than one page. */
export function CursorPager({ pager, nextCursor }: { pager: CursorPagerState; nextCursor: string | null | undefined }) {
  return (
    <Pager
      hasPrevious={pager.hasPrevious}
      hasNext={Boolean(nextCursor)}
      onPrevious={pager.previous}
      onNext={() => nextCursor && pager.next(nextCursor)}
      label={pager.page > 1 || nextCursor ? `Page ${pager.page}` : undefined}
    />
  );
}

/** JSON shown as text (never as HTML). */
export function RawJson({ value, label = 'Raw JSON' }: { value: unknown; label?: string }) {
  return (
    // A named, focusable region: keyboard users can scroll it, and its name is announced (a <pre> of no role cannot be named).
    <pre className="raw-json" role="region" aria-label={label} tabIndex={0}>
      {JSON.stringify(value, null, 2)}
    </pre>
  );
}
