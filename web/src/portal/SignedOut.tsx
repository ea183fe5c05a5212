/**
 * No session: the link was invalid or expired, or the person signed out. The vendor's app is where a new
 * link comes from. A tab that Google's consent came back to (opened from an embedded portal, whose
 * session this tab does not share) says how the consent went instead.
 */
import { readConsentReturn } from '../shared/connections/google/consent-return.js';
import { isEmbedded } from './session.js';

export type SignedOutReason = 'invalid' | 'expired' | 'missing' | 'signed-out';

export function SignedOut({ reason }: { reason: SignedOutReason }) {
  const consent = reason === 'missing' ? readConsentReturn()?.outcome : undefined;
  if (consent) {
    return (
      <div className="state state-empty" role={consent.connected ? 'status' : 'alert'}>
        <h1 style={{ fontSize: 20 }}>{consent.connected ? 'Google Workspace is connected' : 'Google Workspace was not connected'}</h1>
        <p>{consent.connected ? 'You can close this tab and go back to the page you came from, then refresh it.' : consent.reason}</p>
      </div>
    );
  }
  const from = isEmbedded() ? 'Reload this page in the application you came from' : 'Open the portal again from the application you came from';
  const title =
    reason === 'signed-out'
      ? 'You have signed out'
      : reason === 'expired'
        ? 'Your session has expired'
        : 'This link has expired or is invalid';
  return (
    <div className="state state-empty" role={reason === 'signed-out' ? 'status' : 'alert'}>
      <h1 style={{ fontSize: 20 }}>{title}</h1>
      <p>
        {from} (its settings or admin area) to get a new link. Links to this page work once and for a limited time.
      </p>
    </div>
  );
}
