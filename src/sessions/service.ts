/**
 * Browser sessions of the web UI, so that the browser never holds a bearer token: the dashboard's,
 * opened with a vendor credential (it then acts as that credential's environment token), and the
 * portal's, opened with a user token (it then acts as that token, self-service rules included).
 */
import { randomUUID } from 'node:crypto';
import type { AuthService, EnvironmentPrincipal } from '../auth/service.js';
import { nowIso } from '../db/time.js';
import type { Job } from '../jobs/scheduler.js';
import type { SelfServiceCaller } from '../self-service/caller.js';
import { TOKEN_PREFIXES, constantTimeEqual, generateToken, hashToken } from '../security/secrets.js';
import { decodeJwt } from '../user-tokens/jwt.js';
import type { UserTokenService } from '../user-tokens/service.js';
import { csrfTokenOf } from './csrf.js';
import type { SessionRow, SessionStore } from './store.js';

export const SESSION_KINDS = ['dashboard', 'portal'] as const;
/** Which UI a session belongs to; a cookie opens only sessions of its own kind. */
export type SessionKind = (typeof SESSION_KINDS)[number];

/** A live dashboard session: the vendor credential it acts as. */
export interface DashboardSession {
  kind: 'dashboard';
  principal: EnvironmentPrincipal;
  csrfToken: string;
  expiresAt: string;
}

/** A live portal session: the user-token caller it acts as, as verified at sign-in. */
export interface PortalSession {
  kind: 'portal';
  caller: SelfServiceCaller;
  csrfToken: string;
  expiresAt: string;
}

/** A session just opened, with the cookie token that opens it (it exists only in Set-Cookie). */
export interface OpenedSession<S> {
  token: string;
  session: S;
}

/** Prune batches: a bounded delete per pass, more passes while there is more. */
const PRUNE_BATCH = 1000;

/** Cheap shape check before hashing: our prefix, and not longer than a real token (prefix + 43 characters). */
const looksLikeSessionToken = (token: string | undefined): token is string =>
  typeof token === 'string' && token.startsWith(TOKEN_PREFIXES.uiSession) && token.length <= 100;

function permissionList(json: string | null): string[] {
  try {
    const value: unknown = JSON.parse(json ?? '[]');
    return Array.isArray(value) ? value.filter((p): p is string => typeof p === 'string') : [];
  } catch {
    return [];
  }
}

/** Logic of the sessions domain. */
export class SessionService {
  constructor(
    private readonly deps: { store: SessionStore; auth: AuthService; userTokens: UserTokenService; ttlSeconds: number },
  ) {}

  /** Opens a dashboard session for a vendor credential; undefined when clientId and secret do not match. */
  async openDashboard(clientId: string, secret: string): Promise<OpenedSession<DashboardSession> | undefined> {
    const principal = await this.deps.auth.verifyCredential(clientId, secret);
    if (!principal) return undefined;
    const token = generateToken(TOKEN_PREFIXES.uiSession);
    const expiresAt = new Date(Date.now() + this.deps.ttlSeconds * 1000).toISOString();
    await this.deps.store.insert({ ...this.emptyRow(token, 'dashboard', expiresAt), credential_id: principal.credentialId });
    return { token, session: { kind: 'dashboard', principal, csrfToken: csrfTokenOf(token), expiresAt } };
  }

  /**
   * Opens a portal session for a user token; undefined when the token is not valid. The session ends
   * when the token would have (its `exp`), or after the session lifetime if that comes first.
   * `refused` hears why a token was not valid (for the log).
   */
  async openPortal(userToken: string, refused: (reason: string) => void = () => {}): Promise<OpenedSession<PortalSession> | undefined> {
    const checked = await this.deps.userTokens.check(userToken);
    if (!checked.caller) {
      refused(checked.refused);
      return undefined;
    }
    const caller = checked.caller;
    let expiresMs = Date.now() + this.deps.ttlSeconds * 1000;
    const exp = decodeJwt(userToken)?.payload.exp;
    if (typeof exp === 'number' && Number.isFinite(exp)) expiresMs = Math.min(expiresMs, exp * 1000);
    // A vendor token within its clock tolerance may already be past `exp`: no session for it.
    if (expiresMs <= Date.now()) return undefined;
    const expiresAt = new Date(expiresMs).toISOString();
    const token = generateToken(TOKEN_PREFIXES.uiSession);
    await this.deps.store.insert({
      ...this.emptyRow(token, 'portal', expiresAt),
      tenant_id: caller.tenantId,
      user_id: caller.userId,
      email: caller.email ?? null,
      permissions: JSON.stringify([...caller.permissions]),
      issuer: caller.issuer,
    });
    return { token, session: { kind: 'portal', caller, csrfToken: csrfTokenOf(token), expiresAt } };
  }

  /** The live dashboard session a cookie token opens, or undefined. */
  async dashboard(token: string | undefined): Promise<DashboardSession | undefined> {
    if (!looksLikeSessionToken(token)) return undefined;
    const hash = hashToken(token);
    const row = await this.deps.store.findLiveDashboard(hash, nowIso());
    if (!row || !constantTimeEqual(row.tokenHash, hash)) return undefined;
    return {
      kind: 'dashboard',
      principal: { kind: 'environment', credentialId: row.credentialId, clientId: row.clientId, name: row.name },
      csrfToken: csrfTokenOf(token),
      expiresAt: row.expiresAt,
    };
  }

  /** The live portal session a cookie token opens, or undefined. */
  async portal(token: string | undefined): Promise<PortalSession | undefined> {
    if (!looksLikeSessionToken(token)) return undefined;
    const hash = hashToken(token);
    const row = await this.deps.store.findLivePortal(hash, nowIso());
    if (!row || !constantTimeEqual(row.token_hash, hash) || !row.tenant_id || !row.user_id) return undefined;
    // A tenant of the same id created since is not the one the session was opened for.
    if (!(await this.deps.userTokens.sessionStillCurrent(row.tenant_id, row.created_at))) return undefined;
    const caller: SelfServiceCaller = {
      userId: row.user_id,
      tenantId: row.tenant_id,
      ...(row.email !== null ? { email: row.email } : {}),
      permissions: new Set(permissionList(row.permissions)),
      issuer: row.issuer === 'vendor' ? 'vendor' : 'rollcall',
    };
    return { kind: 'portal', caller, csrfToken: csrfTokenOf(token), expiresAt: row.expires_at };
  }

  /** Ends the session of this kind that a cookie token opens, if any (sign-out). */
  async close(kind: SessionKind, token: string | undefined): Promise<void> {
    if (looksLikeSessionToken(token)) await this.deps.store.delete(hashToken(token), kind);
  }

  /** Deletes expired sessions (they are already refused; this keeps the table small). */
  pruneJob(): Job {
    return {
      name: 'ui-sessions.prune',
      intervalMs: 10 * 60_000,
      run: async () => (await this.deps.store.deleteExpired(nowIso(), PRUNE_BATCH)) === PRUNE_BATCH,
    };
  }

  private emptyRow(token: string, kind: SessionKind, expiresAt: string): SessionRow {
    return {
      id: randomUUID(),
      token_hash: hashToken(token),
      kind,
      credential_id: null,
      tenant_id: null,
      user_id: null,
      email: null,
      permissions: null,
      issuer: null,
      created_at: nowIso(),
      expires_at: expiresAt,
    };
  }
}
