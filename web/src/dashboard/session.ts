/** The dashboard's session: sign in with a vendor credential, sign out, and who is signed in. */
import { api, setCsrfToken } from '../shared/api.js';
import type { DashboardSession } from '../shared/types.js';

export async function currentSession(): Promise<DashboardSession | undefined> {
  try {
    const session = await api.get<DashboardSession>('/ui/session');
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
