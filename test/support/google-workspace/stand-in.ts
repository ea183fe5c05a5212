/**
 * A local stand-in for Google: the OAuth 2.0 consent page and token endpoint, and the part of the Admin
 * SDK Directory API Rollcall reads, on 127.0.0.1. Tests point Rollcall (GOOGLE_API_URL, GOOGLE_TOKEN_URL,
 * GOOGLE_AUTH_URL) or Google's own Node clients at it, shape the domain through `directory`, and make
 * Google misbehave with `failNext`, `revokeGrants` and `revokeServiceAccount`.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { prng } from '../prng.js';
import { DirectoryApi, type DirectoryRequest } from './directory-api.js';
import { DirectoryData } from './directory-data.js';
import type { InjectedFailure } from './errors.js';
import { errorPage, readForm, writeAnswer, type Answer } from './http-answer.js';
import { OAuthEndpoints, type Consent, type OAuthClientCredentials, type TokenRequest } from './oauth.js';
import { ServiceAccounts } from './service-account.js';
import { TokenStore } from './tokens.js';

export type { Consent, OAuthClientCredentials, TokenRequest } from './oauth.js';
export type { DirectoryRequest } from './directory-api.js';
export type { DirectoryData } from './directory-data.js';
export type { SeedOptions } from './directory-seed.js';
export type { GoogleGroup, GoogleMember, GoogleUser, MemberRole, MemberType, UserInit, UserPatch, GroupInit, GroupPatch } from './directory-resources.js';
export type { InjectedFailure } from './errors.js';

/** The read-only directory scopes Rollcall asks for; a new service account is delegated these by default. */
export const READONLY_DIRECTORY_SCOPES = [
  'https://www.googleapis.com/auth/admin.directory.user.readonly',
  'https://www.googleapis.com/auth/admin.directory.group.readonly',
];

/** The one OAuth client the stand-in knows, shaped like a console-issued one. */
export const STAND_IN_OAUTH_CLIENT: OAuthClientCredentials = Object.freeze({
  clientId: '123456789012-r0llc4llst4nd1nt3st0authcl13nt.apps.googleusercontent.com',
  clientSecret: 'GOCSPX-rollcall-stand-in-secret',
});

export interface GoogleStandInOptions {
  /** The Workspace customer id (default C03az79cb); `my_customer` means it too. */
  customerId?: string;
  /** The primary domain (default example.com). */
  domain?: string;
}

/** A running stand-in. */
export interface GoogleStandIn {
  /** `http://127.0.0.1:PORT/` */
  url: string;
  /** `rootUrl` for @googleapis/admin: `${apiUrl}admin/directory/v1/users` lists users. */
  apiUrl: string;
  /** The token endpoint (`${url}token`). */
  tokenUrl: string;
  /** The consent page (`${url}o/oauth2/v2/auth`). */
  authUrl: string;
  /** Token revocation (`${url}revoke`). */
  revokeUrl: string;
  /** The domain's users, groups and memberships; change them between requests. */
  directory: DirectoryData;
  oauthClient: OAuthClientCredentials;
  /** What the consent page does; replace or change it before the browser step. */
  consent: Consent;
  /** Super-admins' e-mails (the same set as `directory.admins`), seeded with admin@domain. */
  admins: Set<string>;
  /** A new service account's key file, delegated `delegatedScopes` (default: the two read-only scopes). */
  serviceAccountKey(options?: { delegatedScopes?: string[] }): Record<string, unknown>;
  /** Every refresh and access token issued so far stops working (invalid_grant, 401). */
  revokeGrants(): void;
  /** The service account loses its delegation (unauthorized_client) and its access tokens stop working. */
  revokeServiceAccount(clientEmail: string): void;
  /** Every access token issued so far expires; refresh tokens and service accounts get new ones. */
  expireAccessTokens(): void;
  /** The next `count` Directory API requests (whose path matches `path`) answer with Google's error. */
  failNext(count: number, kind: InjectedFailure, path?: RegExp): void;
  /** Directory API requests, in order. */
  requests: DirectoryRequest[];
  /** Token endpoint calls, in order. */
  tokenRequests: TokenRequest[];
  close(): Promise<void>;
}

export async function startGoogleStandIn(options: GoogleStandInOptions = {}): Promise<GoogleStandIn> {
  const domain = (options.domain ?? 'example.com').toLowerCase();
  const directory = new DirectoryData(options.customerId ?? 'C03az79cb', domain);
  const tokens = new TokenStore();
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const tokenUrl = `${url}token`;

  // A client that signs the assertion for the URL it posts to is accepted as well as one signing Google's.
  const serviceAccounts = new ServiceAccounts(prng(4242), [tokenUrl]);
  const oauthClient = { ...STAND_IN_OAUTH_CLIENT };
  const oauth = new OAuthEndpoints({
    client: oauthClient,
    tokens,
    serviceAccounts,
    consent: () => standIn.consent,
    userStanding: (email) => directory.userStanding(email),
  });
  const api = new DirectoryApi(directory, tokens);
  const standIn: GoogleStandIn = {
    url,
    apiUrl: url,
    tokenUrl,
    authUrl: `${url}o/oauth2/v2/auth`,
    revokeUrl: `${url}revoke`,
    directory,
    oauthClient,
    consent: { grant: true, as: `admin@${domain}` },
    admins: directory.admins,
    serviceAccountKey: (keyOptions = {}) => serviceAccounts.createKey(keyOptions.delegatedScopes ?? READONLY_DIRECTORY_SCOPES),
    revokeGrants: () => {
      tokens.revokeAll();
      oauth.forgetConsents();
    },
    revokeServiceAccount: (clientEmail) => {
      if (!serviceAccounts.revokeDelegation(clientEmail)) throw new Error(`no service account ${clientEmail}`);
      tokens.revokeServiceAccount(clientEmail);
    },
    expireAccessTokens: () => tokens.expireAccessTokens(),
    failNext: (count, kind, path) => api.failNext(count, kind, path),
    requests: api.requests,
    tokenRequests: oauth.tokenRequests,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };

  const route = async (req: IncomingMessage): Promise<Answer> => {
    const requestUrl = new URL(req.url ?? '/', url);
    const { pathname } = requestUrl;
    if (pathname === '/token' && req.method === 'POST') return oauth.token(await readForm(req), req.headers.authorization);
    if (pathname === '/o/oauth2/v2/auth' && req.method === 'GET') return oauth.authorize(requestUrl.searchParams);
    if (pathname === '/revoke' && req.method === 'POST') return oauth.revoke(requestUrl.searchParams.get('token') ?? (await readForm(req)).get('token'));
    if (pathname.startsWith('/admin/directory/')) return api.handle(req.method ?? 'GET', requestUrl, req.headers.authorization);
    return errorPage(404, '404. That’s an error.', `The requested URL ${pathname} was not found on this server.`);
  };
  server.on('request', (req: IncomingMessage, res) => {
    route(req).then(
      (answer) => writeAnswer(res, answer),
      (error: unknown) => writeAnswer(res, { status: 500, json: { error: { code: 500, message: String(error), errors: [], status: 'INTERNAL' } } }),
    );
  });
  return standIn;
}
