/**
 * The round trip through Google's consent page: the page that starts it asks to come back to itself
 * with the connection named (`googleConnection`), and the server's callback adds how it went
 * (`googleWorkspace=connected`, or `googleWorkspace=error&reason=…`). The page reads them once, shows
 * them, and takes them out of the address so a reload does not say it again.
 */
import { setQuery } from '../../router.js';

/** The query parameter naming the connection whose Google Workspace dialog the page opens. */
export const CONNECTION_PARAM = 'googleConnection';
const OUTCOME_PARAM = 'googleWorkspace';
const REASON_PARAM = 'reason';

/** This page's path, naming the connection: where the browser returns after consent. */
export function consentReturnPath(connectionId: string): string {
  return `${window.location.pathname}?${new URLSearchParams({ [CONNECTION_PARAM]: connectionId }).toString()}`;
}

/** What the address says when the browser came back from Google, or was sent to a connection's dialog. */
export interface ConsentReturn {
  /** The connection named, if any. */
  connectionId?: string;
  /** undefined: the address names a connection but no consent outcome (a link from another page). */
  outcome?: { connected: true } | { connected: false; reason: string };
}

/** Reads the address (pure: no change to it, so it may run in a render). */
export function readConsentReturn(search: string = window.location.search): ConsentReturn | undefined {
  const query = new URLSearchParams(search);
  const connectionId = query.get(CONNECTION_PARAM) || undefined;
  const outcome = query.get(OUTCOME_PARAM);
  if (!connectionId && !outcome) return undefined;
  if (outcome === 'connected') return { connectionId, outcome: { connected: true } };
  if (outcome === 'error') return { connectionId, outcome: { connected: false, reason: query.get(REASON_PARAM) || 'Google did not say why.' } };
  return { connectionId };
}

/** Takes the parameters out of the address without a new history entry. */
export function clearConsentReturn(): void {
  const query = new URLSearchParams(window.location.search);
  if (![CONNECTION_PARAM, OUTCOME_PARAM].some((name) => query.has(name))) return;
  // `reason` is the callback's only alongside an outcome; another page's `reason` stays.
  setQuery({ [CONNECTION_PARAM]: undefined, [OUTCOME_PARAM]: undefined, ...(query.has(OUTCOME_PARAM) ? { [REASON_PARAM]: undefined } : {}) });
}
