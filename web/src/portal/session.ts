/**
 * Opening the portal session. The user token arrives either in the address (`?token=…`, taken out at
 * once with history.replaceState so it stays in neither the address bar nor the history) or, for an
 * embedding page that keeps tokens out of URLs, through `postMessage({type: 'rollcall:token', token})`
 * from the parent frame or the opener window. The token is exchanged for an HttpOnly session cookie.
 */
import { api, ApiError, setCsrfToken } from '../shared/api.js';
import type { PortalSession } from '../shared/types.js';
import { mayHandOverToken } from './embedders.js';

export const TOKEN_MESSAGE = 'rollcall:token';
/** Posted to the embedding window when the portal can take a token, and when it needs a new one. */
export const READY_MESSAGE = 'rollcall:ready';
export const ENDED_MESSAGE = 'rollcall:session-ended';

const SESSION_PATH = '/ui/portal/session';

/** Removes `token` from the address without a new history entry; the token, if there was one. */
function takeTokenFromUrl(): string | undefined {
  const url = new URL(window.location.href);
  if (!url.searchParams.has('token')) return undefined;
  const token = url.searchParams.get('token') ?? '';
  url.searchParams.delete('token');
  window.history.replaceState(window.history.state, '', `${url.pathname}${url.search}${url.hash}`);
  return token.trim() || undefined;
}

/**
 * The token of the address, taken once when this module loads (before the first render), so it is off
 * the address bar immediately and a re-run effect cannot read it twice.
 */
export const urlToken = takeTokenFromUrl();

/** Exchanges a user token for a session. */
export async function openSession(token: string): Promise<PortalSession> {
  const session = await api.post<PortalSession>(SESSION_PATH, { token });
  setCsrfToken(session.csrfToken);
  return session;
}

/** The session of the cookie, or undefined when there is none (401). */
export async function currentSession(): Promise<PortalSession | undefined> {
  try {
    const session = await api.get<PortalSession>(SESSION_PATH);
    setCsrfToken(session.csrfToken);
    return session;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return undefined;
    throw error;
  }
}

export async function closeSession(): Promise<void> {
  try {
    await api.delete(SESSION_PATH);
  } finally {
    setCsrfToken(undefined);
  }
}

/** The windows that may hand over a token: the embedding parent, or the window that opened this one. */
function embedders(): Window[] {
  const out: Window[] = [];
  if (window.parent && window.parent !== window) out.push(window.parent);
  if (window.opener) out.push(window.opener as Window);
  return out;
}

export const isEmbedded = () => embedders().length > 0;

/** Tells the embedding window something (no secret is ever posted, so any origin may hear it). */
export function notifyEmbedder(type: string): void {
  for (const target of embedders()) {
    try {
      target.postMessage({ type }, '*');
    } catch {
      // A closed opener: nobody to tell.
    }
  }
}

/**
 * Calls `onToken` for each `{type: 'rollcall:token', token}` message from the parent frame, the opener,
 * or this window itself, sent from Rollcall's own origin or one FRAME_ANCESTORS allows; other messages
 * are ignored. Returns the unsubscribe function.
 */
export function listenForToken(onToken: (token: string) => void): () => void {
  const handle = async (event: MessageEvent) => {
    const allowed = event.source === window || embedders().includes(event.source as Window);
    if (!allowed) return;
    const data = event.data as unknown;
    if (!data || typeof data !== 'object') return;
    const { type, token } = data as { type?: unknown; token?: unknown };
    if (type !== TOKEN_MESSAGE || typeof token !== 'string' || token.trim() === '') return;
    // Only from an origin FRAME_ANCESTORS names (./embedders.ts).
    if (!(await mayHandOverToken(event.origin))) return;
    onToken(token.trim());
  };
  // A message whose origin cannot be checked (the embedders list did not load) is ignored.
  const handler = (event: MessageEvent) => void handle(event).catch(() => undefined);
  window.addEventListener('message', handler);
  return () => window.removeEventListener('message', handler);
}
