/**
 * The self-service portal: a customer's admin manages their account's SCIM connections here. The vendor
 * opens it with a user token (in the URL, or handed over by postMessage when embedded); the session
 * it opens decides the tenant and the permissions, and the server checks both on every call.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, setUnauthorizedHandler } from '../shared/api.js';
import type { PortalSession } from '../shared/types.js';
import { applyTheme } from '../shared/theme.js';
import { ErrorState, Loading } from '../shared/ui/States.js';
import { PortalHeader } from './PortalHeader.js';
import { PortalHome } from './PortalHome.js';
import { closeSession, currentSession, ENDED_MESSAGE, isEmbedded, listenForToken, notifyEmbedder, openSession, READY_MESSAGE, urlToken } from './session.js';
import { SignedOut, type SignedOutReason } from './SignedOut.js';

/** How long an embedded portal without a session waits for its parent's token before saying so. */
const EMBED_GRACE_MS = 3000;

type State =
  | { kind: 'loading' }
  | { kind: 'signed-in'; session: PortalSession }
  | { kind: 'signed-out'; reason: SignedOutReason }
  | { kind: 'failed'; error: ApiError };

export function App() {
  const [state, setState] = useState<State>({ kind: 'loading' });
  // A token being exchanged, or whose session is live: later tokens by message are ignored until it ends.
  const tokenInUse = useRef(false);
  // The last token tried, to retry it after a network failure; and a counter that restarts the start-up.
  const lastToken = useRef<string | undefined>(undefined);
  const [attempt, setAttempt] = useState(0);

  const signedOut = useCallback((reason: SignedOutReason) => {
    tokenInUse.current = false;
    setState({ kind: 'signed-out', reason });
    notifyEmbedder(ENDED_MESSAGE);
  }, []);

  const exchangeToken = useCallback(
    (token: string) => {
      if (tokenInUse.current) return;
      tokenInUse.current = true;
      lastToken.current = token;
      setState({ kind: 'loading' });
      openSession(token).then(
        (session) => setState({ kind: 'signed-in', session }),
        (error: unknown) => {
          if (error instanceof ApiError && (error.status === 401 || error.status === 400)) signedOut('invalid');
          else {
            tokenInUse.current = false;
            setState({ kind: 'failed', error: error instanceof ApiError ? error : new ApiError(0, 'Something went wrong. Try again.') });
          }
        },
      );
    },
    [signedOut],
  );

  // Start: the address's token, else the cookie's session; and listen for a token from the embedder.
  useEffect(() => {
    const stop = listenForToken(exchangeToken);
    let grace: number | undefined;
    let cancelled = false;
    const token = attempt === 0 ? urlToken : lastToken.current;
    if (token) exchangeToken(token);
    else {
      currentSession().then(
        (session) => {
          if (cancelled || tokenInUse.current) return; // restarted, or a token arrived meanwhile and wins
          if (session) setState({ kind: 'signed-in', session });
          else if (isEmbedded()) grace = window.setTimeout(() => !tokenInUse.current && signedOut('missing'), EMBED_GRACE_MS);
          else signedOut('missing');
        },
        (error: unknown) =>
          !cancelled &&
          setState({ kind: 'failed', error: error instanceof ApiError ? error : new ApiError(0, 'Something went wrong. Try again.') }),
      );
    }
    notifyEmbedder(READY_MESSAGE);
    return () => {
      cancelled = true;
      stop();
      window.clearTimeout(grace);
    };
  }, [exchangeToken, signedOut, attempt]);

  // Any 401 while signed in: the session expired.
  useEffect(() => {
    if (state.kind !== 'signed-in') return;
    setUnauthorizedHandler(() => signedOut('expired'));
    return () => setUnauthorizedHandler(undefined);
  }, [state.kind, signedOut]);

  const session = state.kind === 'signed-in' ? state.session : undefined;
  const productName = session?.theme?.productName ?? undefined;
  useEffect(() => {
    if (session) applyTheme(session.theme ?? undefined);
    document.title = productName ? `${productName} · Directory provisioning` : 'Directory provisioning';
  }, [session, productName]);

  return (
    <div className="portal">
      <PortalHeader
        session={session}
        onSignOut={async () => {
          await closeSession().catch(() => undefined);
          signedOut('signed-out');
        }}
      />
      <main className="portal-main" id="main" style={{ maxWidth: 1120, margin: '0 auto', padding: '24px 32px 48px' }}>
        {state.kind === 'loading' ? (
          <Loading label="Opening your settings…" />
        ) : state.kind === 'signed-out' ? (
          <SignedOut reason={state.reason} />
        ) : state.kind === 'failed' ? (
          <ErrorState error={state.error} retry={() => setAttempt((n) => n + 1)} title="The portal could not be opened" />
        ) : (
          <PortalHome session={state.session} />
        )}
      </main>
    </div>
  );
}
