/**
 * The two ways a Workspace admin authorizes a Google Workspace connection, each with what to do in
 * Google first: signing in with Google (OAuth consent of a super administrator; offered when the
 * vendor configured its Google OAuth client) and a service account with domain-wide delegation.
 * Consent leaves this page and comes back to it (./consent-return.ts).
 */
import { useId, useState } from 'react';
import { api, ApiError } from '../../api.js';
import { Button } from '../../ui/Button.js';
import { CopyField } from '../../ui/CopyField.js';
import { FormError } from '../../ui/States.js';
import { consentReturnPath } from './consent-return.js';
import { ServiceAccountForm } from './ServiceAccountForm.js';
import { DIRECTORY_SCOPES, googlePath, type GoogleState } from './types.js';
import './google-workspace.css';

/** A framed page (the portal embedded by the vendor) cannot show Google's consent page, which refuses frames. */
const framed = () => {
  try {
    return window.top !== window.self;
  } catch {
    return true;
  }
};

export function ConnectGooglePanel({
  connectionId,
  state,
  onAuthorized,
  headingLevel = 3,
}: {
  connectionId: string;
  state: Pick<GoogleState, 'oauthAvailable' | 'adminEmail'>;
  /** The service account was accepted: the connection's new state. */
  onAuthorized: (state: GoogleState) => void;
  headingLevel?: 3 | 4;
}) {
  const headingId = useId();
  const Heading = headingLevel === 3 ? 'h3' : 'h4';
  const [serviceAccount, setServiceAccount] = useState(!state.oauthAvailable);
  const [leaving, setLeaving] = useState(false);
  const [openedTab, setOpenedTab] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();

  const signIn = async () => {
    setLeaving(true);
    setError(undefined);
    try {
      const { url } = await api.post<{ url: string }>(googlePath(connectionId, '/oauth'), { returnTo: consentReturnPath(connectionId) });
      if (framed()) {
        window.open(url, '_blank', 'noopener');
        setOpenedTab(true);
        setLeaving(false);
      } else window.location.assign(url);
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, 'Something went wrong. Try again.'));
      setLeaving(false);
    }
  };

  return (
    <section className="google-connect" aria-labelledby={headingId}>
      <Heading id={headingId}>Connect Google Workspace</Heading>
      <p>Users and groups are read from Google Workspace, read-only, once a Workspace admin allows it. Choose one way:</p>
      <div className="google-ways">
        {state.oauthAvailable ? (
          <div className="google-way">
            <strong>Sign in with Google</strong>
            <p className="hint">
              Sign in as a <em>super administrator</em> of the Workspace domain and allow read-only access to its users and groups. You come back
              here afterwards, and a sync starts.
            </p>
            <Button variant="primary" onClick={() => void signIn()} busy={leaving}>
              Sign in with Google
            </Button>
            {openedTab ? (
              <p className="hint" role="status">
                Google opened in a new tab. Allow access there, then come back and refresh this page.
              </p>
            ) : null}
            <FormError error={error} />
          </div>
        ) : null}
        <div className="google-way">
          <strong>Use a service account</strong>
          <p className="hint">For domains that do not allow third-party apps, or to authorize without a super administrator signing in.</p>
          {state.oauthAvailable ? (
            <Button aria-expanded={serviceAccount} onClick={() => setServiceAccount(!serviceAccount)}>
              {serviceAccount ? 'Hide the service account form' : 'Use a service account'}
            </Button>
          ) : null}
        </div>
      </div>
      {serviceAccount ? (
        <div className="google-service-account">
          <ol className="steps">
            <li>In the Google Cloud console, create a service account in a project of the domain, and create a JSON key for it.</li>
            <li>
              In the Google Admin console, open <strong>Security → API controls → Domain-wide delegation</strong>, choose <em>Add new</em>, enter the
              service account&apos;s client ID (the <code>client_id</code> of the key) and allow these scopes:
              <CopyField label="OAuth scopes" value={DIRECTORY_SCOPES.join(',')} testId="google-scopes" />
            </li>
            <li>Enter the key and the e-mail of an admin of the domain below.</li>
          </ol>
          <ServiceAccountForm connectionId={connectionId} initialAdminEmail={state.adminEmail} onAuthorized={onAuthorized} />
        </div>
      ) : null}
    </section>
  );
}
