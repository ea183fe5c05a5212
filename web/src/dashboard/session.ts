/** The dashboard's session: sign in with a vendor credential, sign out, and who is signed in. */
import { api, setCsrfToken } from '../shared/api.js';
import type { DashboardSession } from '../shared/types.js';

/** Who is signed in; undefined when nobody is (GET /ui/session answers 204 without a session cookie). */
export async function currentSession(): Promise<DashboardSession | undefined> {
  try {
    const session = await api.get<DashboardSession | undefined>('/ui/session');
    if (!session) return undefined;
    setCsrfToken(session.csrfToken);
    return session;
  } catch {
    return undefined;
  }
}

export async function signIn(clientId: string, secret: string): Promise<DashboardSession> {
  const session = await api.post<DashboardSession>('/ui/session', { clientId, secret });
  setCsrfToken(session.csrfToken);
  return session;
}

export async function signOut(): Promise<void> {
  try {
    await api.delete('/ui/session');
  } finally {
    setCsrfToken(undefined);
  }
}

/** The credential as the sidebar names it: its name, else the start of its client ID. */
export function credentialLabel(session: Pick<DashboardSession, 'credentialName' | 'clientId'>): string {
  const name = session.credentialName.trim();
  return name || `Credential ${session.clientId.slice(0, 8)}…`;
}
