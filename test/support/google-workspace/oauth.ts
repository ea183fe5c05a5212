/**
 * Google's OAuth 2.0 endpoints for a web server app and a service account: the consent page (which
 * consents at once, as configured), the token endpoint's three grants, and token revocation
 * (https://developers.google.com/identity/protocols/oauth2/web-server,
 * https://developers.google.com/identity/protocols/oauth2/service-account).
 */
import { randomBytes } from 'node:crypto';
import { OAuthError, oauthErrors } from './errors.js';
import { errorPage, type Answer } from './http-answer.js';
import type { ServiceAccounts } from './service-account.js';
import { ACCESS_TOKEN_SECONDS, type TokenStore } from './tokens.js';

/** What the consent page does: consent (as `as`, granting `scopes` of those asked, default all) or deny. */
export interface Consent {
  grant: boolean;
  as: string;
  /** Granular consent: the user unticked every other scope. */
  scopes?: string[];
}

/** An OAuth client registered in Google's console. */
export interface OAuthClientCredentials {
  clientId: string;
  clientSecret: string;
}

/** Where a user stands for Google's token endpoint. */
export type UserStanding = 'active' | 'suspended' | 'deleted' | 'unknown';

/** One call of the token endpoint, for tests that count refreshes. */
export interface TokenRequest {
  grantType: string;
  status: number;
  error?: string;
}

export interface OAuthDependencies {
  client: OAuthClientCredentials;
  tokens: TokenStore;
  serviceAccounts: ServiceAccounts;
  consent: () => Consent;
  userStanding: (email: string) => UserStanding;
}

interface PendingCode {
  redirectUri: string;
  user: string;
  scopes: string[];
  withRefreshToken: boolean;
}

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const BASIC_SCOPES = new Set(['openid', 'email', 'profile']);
const NO_STORE = { 'cache-control': 'no-cache, no-store, max-age=0, must-revalidate', pragma: 'no-cache' };

export class OAuthEndpoints {
  private readonly codes = new Map<string, PendingCode>();
  /** client and user pairs that consented before: Google gives a refresh token only the first time, unless prompt=consent. */
  private readonly consented = new Set<string>();
  readonly tokenRequests: TokenRequest[] = [];

  constructor(private readonly deps: OAuthDependencies) {}

  /** `GET /o/oauth2/v2/auth`. */
  authorize(query: URLSearchParams): Answer {
    if (query.get('client_id') !== this.deps.client.clientId) return errorPage(400, 'Error 401: invalid_client', 'The OAuth client was not found.');
    const redirectUri = query.get('redirect_uri') ?? '';
    if (!/^https?:\/\//.test(redirectUri) || !URL.canParse(redirectUri)) {
      return errorPage(400, 'Error 400: redirect_uri_mismatch', `You can't sign in to this app because it doesn't comply with Google's OAuth 2.0 policy. redirect_uri=${redirectUri}`);
    }
    if (query.get('response_type') !== 'code') return errorPage(400, 'Error 400: invalid_request', 'Required parameter is missing or invalid: response_type');
    const asked = (query.get('scope') ?? '').split(' ').filter(Boolean);
    if (asked.length === 0) return errorPage(400, 'Error 400: invalid_request', 'Missing required parameter: scope');
    const unknown = asked.find((scope) => !BASIC_SCOPES.has(scope) && !scope.startsWith('https://www.googleapis.com/auth/'));
    if (unknown) return errorPage(400, 'Error 400: invalid_scope', `Some requested scopes were invalid. {invalid=[${unknown}]}`);

    const state = query.get('state');
    // Google escapes spaces as %20 (not +), so the callback is written out by hand.
    const redirect = (params: Record<string, string>): Answer => {
      const back = new URL(redirectUri);
      const added = Object.entries({ ...(state === null ? {} : { state }), ...params }).map(([name, value]) => `${name}=${encodeURIComponent(value)}`);
      back.search = [back.search.slice(1), ...added].filter(Boolean).join('&');
      return { status: 302, location: back.toString() };
    };
    const consent = this.deps.consent();
    const prompts = (query.get('prompt') ?? '').split(' ');
    const key = `${this.deps.client.clientId} ${consent.as.toLowerCase()}`;
    if (!consent.grant) return redirect({ error: 'access_denied' });
    if (prompts.includes('none') && !this.consented.has(key)) return redirect({ error: 'consent_required' });
    const scopes = consent.scopes ? asked.filter((scope) => consent.scopes?.includes(scope)) : asked;
    if (scopes.length === 0) return redirect({ error: 'access_denied' });

    const shown = prompts.includes('consent') || !this.consented.has(key);
    const code = `4/0A${randomBytes(48).toString('base64url')}`;
    this.codes.set(code, {
      redirectUri,
      user: consent.as,
      scopes,
      withRefreshToken: query.get('access_type') === 'offline' && shown,
    });
    this.consented.add(key);
    // Google adds authuser, hd (the Workspace domain) and prompt to the code and scope.
    return redirect({ code, scope: scopes.join(' '), authuser: '0', hd: consent.as.split('@')[1] ?? '', prompt: shown ? 'consent' : 'none' });
  }

  /** `POST /token`. */
  token(form: URLSearchParams, authorization: string | undefined): Answer {
    const grantType = form.get('grant_type') ?? '';
    let answer: Answer;
    try {
      answer = { status: 200, json: this.grant(grantType, form, authorization), headers: NO_STORE };
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      answer = { status: error.status, json: error.body, headers: NO_STORE };
    }
    const error = (answer.json as { error?: string }).error;
    this.tokenRequests.push({ grantType, status: answer.status, ...(error ? { error } : {}) });
    return answer;
  }

  /** `POST /revoke` (token in the form or the query). */
  revoke(token: string | null): Answer {
    if (!token || !this.deps.tokens.revoke(token)) return { status: 400, json: oauthErrors.invalidToken().body };
    return { status: 200, json: {} };
  }

  /** Revoked grants take the memory of consent along: the next consent gives a refresh token again. */
  forgetConsents(): void {
    this.consented.clear();
  }

  private grant(grantType: string, form: URLSearchParams, authorization: string | undefined): Record<string, unknown> {
    switch (grantType) {
      case 'authorization_code':
        return this.exchangeCode(form, authorization);
      case 'refresh_token':
        return this.refresh(form, authorization);
      case JWT_BEARER:
        return this.serviceAccountToken(form);
      default:
        throw grantType ? oauthErrors.unsupportedGrantType(grantType) : oauthErrors.missing('grant_type');
    }
  }

  /** Client authentication, in the body or as HTTP Basic (RFC 6749 §2.3.1). */
  private authenticateClient(form: URLSearchParams, authorization: string | undefined): void {
    let clientId = form.get('client_id');
    let clientSecret = form.get('client_secret');
    if (authorization?.startsWith('Basic ')) {
      const [id, secret] = Buffer.from(authorization.slice(6), 'base64').toString('utf8').split(':');
      clientId = decodeURIComponent(id ?? '');
      clientSecret = decodeURIComponent(secret ?? '');
    }
    if (!clientId) throw oauthErrors.missing('client_id');
    if (clientId !== this.deps.client.clientId) throw oauthErrors.unknownClient();
    if (!clientSecret) throw oauthErrors.missingSecret();
    if (clientSecret !== this.deps.client.clientSecret) throw oauthErrors.wrongSecret();
  }

  private exchangeCode(form: URLSearchParams, authorization: string | undefined): Record<string, unknown> {
    this.authenticateClient(form, authorization);
    const code = form.get('code');
    if (!code) throw oauthErrors.missing('code');
    const pending = this.codes.get(code);
    // Codes are single-use: a second exchange fails like an unknown code.
    this.codes.delete(code);
    if (!pending) throw oauthErrors.badCode();
    if (form.get('redirect_uri') !== pending.redirectUri) throw oauthErrors.redirectUriMismatch();
    const grant = this.deps.tokens.issueGrant(this.deps.client.clientId, pending.user, pending.scopes);
    const access = this.deps.tokens.issueAccessToken(pending.user, pending.scopes, { kind: 'oauth', grant });
    return {
      access_token: access.value,
      expires_in: ACCESS_TOKEN_SECONDS,
      ...(pending.withRefreshToken ? { refresh_token: grant.refreshToken } : {}),
      scope: pending.scopes.join(' '),
      token_type: 'Bearer',
    };
  }

  private refresh(form: URLSearchParams, authorization: string | undefined): Record<string, unknown> {
    this.authenticateClient(form, authorization);
    const refreshToken = form.get('refresh_token');
    if (!refreshToken) throw oauthErrors.missing('refresh_token');
    const grant = this.deps.tokens.grant(refreshToken);
    if (!grant) throw oauthErrors.revoked();
    // Suspending or deleting a Workspace user revokes the tokens it granted.
    if (['suspended', 'deleted'].includes(this.deps.userStanding(grant.user))) throw oauthErrors.revoked();
    const access = this.deps.tokens.issueAccessToken(grant.user, grant.scopes, { kind: 'oauth', grant });
    return { access_token: access.value, expires_in: ACCESS_TOKEN_SECONDS, scope: grant.scopes.join(' '), token_type: 'Bearer' };
  }

  private serviceAccountToken(form: URLSearchParams): Record<string, unknown> {
    const assertion = form.get('assertion');
    if (!assertion) throw oauthErrors.missing('assertion');
    const { account, scopes, sub } = this.deps.serviceAccounts.verify(assertion);
    if (sub) {
      // Domain-wide delegation must allow every scope asked for, as the admin console lists them.
      if (!scopes.every((scope) => account.delegatedScopes.has(scope))) throw oauthErrors.notDelegated();
      if (this.deps.userStanding(sub) !== 'active') throw oauthErrors.unknownSubject();
    }
    const access = this.deps.tokens.issueAccessToken(sub ?? account.clientEmail, scopes, { kind: 'service_account', clientEmail: account.clientEmail });
    return { access_token: access.value, expires_in: ACCESS_TOKEN_SECONDS, token_type: 'Bearer' };
  }
}
