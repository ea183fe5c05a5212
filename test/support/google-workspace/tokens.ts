/**
 * What the stand-in issued: OAuth grants with their refresh tokens, and access tokens. An access token
 * carries its scopes and the user it acts as, which is what the Directory API checks.
 */
import { randomBytes } from 'node:crypto';

/** Seconds an access token lives; Google answers `expires_in: 3599`. */
export const ACCESS_TOKEN_SECONDS = 3599;

/** A user's consent to an OAuth client, as a refresh token stands for it. */
export interface Grant {
  clientId: string;
  /** The consenting user's e-mail. */
  user: string;
  scopes: string[];
  refreshToken: string;
  revoked: boolean;
}

/** Where an access token came from. */
export type TokenSource = { kind: 'oauth'; grant: Grant } | { kind: 'service_account'; clientEmail: string };

/** An issued access token. */
export interface AccessToken {
  value: string;
  /** The user the token acts as: the consenting admin, or the service account's `sub`. */
  user: string;
  scopes: Set<string>;
  expiresAt: number;
  revoked: boolean;
  source: TokenSource;
}

/** Opaque values shaped like Google's (`ya29.…`, `1//…`), so nothing mistakes one kind for another. */
const opaque = (prefix: string, bytes: number) => `${prefix}${randomBytes(bytes).toString('base64url')}`;

export class TokenStore {
  private readonly accessTokens = new Map<string, AccessToken>();
  private readonly grants = new Map<string, Grant>();

  issueGrant(clientId: string, user: string, scopes: string[]): Grant {
    const grant: Grant = { clientId, user, scopes, refreshToken: opaque('1//0g', 48), revoked: false };
    this.grants.set(grant.refreshToken, grant);
    return grant;
  }

  issueAccessToken(user: string, scopes: Iterable<string>, source: TokenSource): AccessToken {
    const token: AccessToken = {
      value: opaque('ya29.a0', 96),
      user,
      scopes: new Set(scopes),
      expiresAt: Date.now() + ACCESS_TOKEN_SECONDS * 1000,
      revoked: false,
      source,
    };
    this.accessTokens.set(token.value, token);
    return token;
  }

  /** The grant of a refresh token that still works. */
  grant(refreshToken: string): Grant | undefined {
    const grant = this.grants.get(refreshToken);
    return grant && !grant.revoked ? grant : undefined;
  }

  /** An access token that still works: issued here, not expired, not revoked, its grant not revoked. */
  accessToken(value: string): AccessToken | undefined {
    const token = this.accessTokens.get(value);
    if (!token || token.revoked || token.expiresAt <= Date.now()) return undefined;
    if (token.source.kind === 'oauth' && token.source.grant.revoked) return undefined;
    return token;
  }

  /** Revokes one token as Google's revocation endpoint does: an OAuth token takes its whole grant along. */
  revoke(value: string): boolean {
    const grant = this.grants.get(value);
    if (grant) {
      grant.revoked = true;
      return true;
    }
    const token = this.accessTokens.get(value);
    if (!token) return false;
    token.revoked = true;
    if (token.source.kind === 'oauth') token.source.grant.revoked = true;
    return true;
  }

  /** Every grant and access token issued so far stops working. */
  revokeAll(): void {
    for (const grant of this.grants.values()) grant.revoked = true;
    for (const token of this.accessTokens.values()) token.revoked = true;
  }

  /** The access tokens of a service account stop working (its delegation was removed). */
  revokeServiceAccount(clientEmail: string): void {
    for (const token of this.accessTokens.values()) {
      if (token.source.kind === 'service_account' && token.source.clientEmail === clientEmail) token.revoked = true;
    }
  }

  /** Every access token issued so far expires now; refresh tokens keep working. */
  expireAccessTokens(): void {
    for (const token of this.accessTokens.values()) token.expiresAt = Math.min(token.expiresAt, Date.now());
  }
}
