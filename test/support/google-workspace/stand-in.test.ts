/**
 * The Google stand-in, driven through Google's own Node clients exactly as Rollcall drives them:
 * google-auth-library's OAuth2Client (consent, code exchange, refresh) and JWT (service account with
 * domain-wide delegation), and @googleapis/admin's Directory API client.
 */
import { admin, type admin_directory_v1 } from '@googleapis/admin';
import { JWT, OAuth2Client } from 'google-auth-library';
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { READONLY_DIRECTORY_SCOPES, startGoogleStandIn, type GoogleStandIn } from './stand-in.js';

const REDIRECT_URI = 'http://127.0.0.1:9/api/v1/google-workspace/oauth/callback';
const USER_SCOPE = 'https://www.googleapis.com/auth/admin.directory.user.readonly';
const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';
const NO_RETRY = { retry: false } as const;

let google: GoogleStandIn;
beforeAll(async () => {
  google = await startGoogleStandIn({ domain: 'acme.test' });
});
afterAll(async () => {
  await google.close();
});
beforeEach(() => {
  google.directory.seed({ users: 25, groups: 4, membersPerGroup: 5, seed: 3 });
  google.consent = { grant: true, as: 'admin@acme.test' };
});

function oauthClient(): OAuth2Client {
  return new OAuth2Client({
    clientId: google.oauthClient.clientId,
    clientSecret: google.oauthClient.clientSecret,
    redirectUri: REDIRECT_URI,
    endpoints: { oauth2TokenUrl: google.tokenUrl, oauth2AuthBaseUrl: google.authUrl },
  });
}

/** The browser's part: opens the consent URL and returns where Google sent it back. */
async function consent(options: { scope?: string[]; prompt?: string; state?: string } = {}): Promise<URL> {
  const url = oauthClient().generateAuthUrl({ access_type: 'offline', prompt: options.prompt ?? 'consent', scope: options.scope ?? READONLY_DIRECTORY_SCOPES, state: options.state ?? 'st-1' });
  const res = await fetch(url, { redirect: 'manual' });
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location') ?? '');
}

/** A refresh token from the whole consent flow. */
async function refreshToken(scope?: string[]): Promise<string> {
  const { tokens } = await oauthClient().getToken((await consent({ scope })).searchParams.get('code') ?? '');
  return tokens.refresh_token ?? '';
}

/** The Directory API as Rollcall builds it for an OAuth grant. */
function directoryWithGrant(token: string): admin_directory_v1.Admin {
  const auth = oauthClient();
  auth.setCredentials({ refresh_token: token });
  return admin({ version: 'directory_v1', auth, rootUrl: google.apiUrl });
}

/** A service account client whose token request goes to the stand-in instead of Google's fixed URL. */
function serviceAccountClient(key: Record<string, unknown>, subject = 'admin@acme.test', privateKey = key.private_key as string): JWT {
  const jwt = new JWT({ email: key.client_email as string, key: privateKey, keyId: key.private_key_id as string, scopes: READONLY_DIRECTORY_SCOPES, subject });
  jwt.transporter.interceptors.request.add({
    resolved: async (options) => {
      if (String(options.url) === GOOGLE_TOKEN_URL) options.url = new URL(google.tokenUrl);
      return options;
    },
  });
  return jwt;
}

/** The error a call fails with. */
async function failure(call: Promise<unknown>): Promise<any> {
  try {
    await call;
  } catch (error) {
    return error;
  }
  throw new Error('the call succeeded');
}

describe('OAuth (web server flow)', () => {
  it('consents at once, exchanges the code for a refresh token, and lists users with it', async () => {
    const back = await consent({ state: 'abc' });
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT_URI);
    expect(back.searchParams.get('state')).toBe('abc');
    expect(back.searchParams.get('scope')).toBe(READONLY_DIRECTORY_SCOPES.join(' '));
    expect(back.search).toContain('readonly%20https'); // Google escapes the spaces as %20
    const { tokens } = await oauthClient().getToken(back.searchParams.get('code') ?? '');
    expect(tokens).toMatchObject({ token_type: 'Bearer', scope: READONLY_DIRECTORY_SCOPES.join(' ') });
    expect(tokens.access_token).toMatch(/^ya29\./);
    expect(tokens.refresh_token).toMatch(/^1\/\//);

    const { data } = await directoryWithGrant(tokens.refresh_token ?? '').users.list({ customer: 'my_customer', maxResults: 500 });
    expect(data.kind).toBe('admin#directory#users');
    expect(data.users).toHaveLength(25);
    expect(data.nextPageToken).toBeUndefined();
    expect(google.tokenRequests.map((r) => `${r.grantType} ${r.status}`).slice(-2)).toEqual(['authorization_code 200', 'refresh_token 200']);
  });

  it('uses a code once, and gives a refresh token again only with prompt=consent', async () => {
    const code = (await consent()).searchParams.get('code') ?? '';
    await oauthClient().getToken(code);
    const reused = await failure(oauthClient().getToken(code));
    expect(reused.response.data).toEqual({ error: 'invalid_grant', error_description: 'Bad Request' });

    const again = await consent({ prompt: 'select_account' });
    const { tokens } = await oauthClient().getToken(again.searchParams.get('code') ?? '');
    expect(tokens.access_token).toBeTruthy();
    expect(tokens.refresh_token).toBeUndefined();
  });

  it('redirects with access_denied when the admin refuses, and refuses unknown clients and wrong secrets', async () => {
    google.consent.grant = false;
    const back = await consent({ state: 'xyz' });
    expect(Object.fromEntries(back.searchParams)).toEqual({ error: 'access_denied', state: 'xyz' });

    const unknown = await fetch(`${google.authUrl}?client_id=nobody&redirect_uri=${encodeURIComponent(REDIRECT_URI)}&response_type=code&scope=openid`, { redirect: 'manual' });
    expect(unknown.status).toBe(400);

    google.consent.grant = true;
    const code = (await consent()).searchParams.get('code') ?? '';
    const wrong = new OAuth2Client({ clientId: google.oauthClient.clientId, clientSecret: 'nope', redirectUri: REDIRECT_URI, endpoints: { oauth2TokenUrl: google.tokenUrl } });
    const error = await failure(wrong.getToken(code));
    expect(error.status).toBe(401);
    expect(error.response.data).toEqual({ error: 'invalid_client', error_description: 'Unauthorized' });
  });

  it('after revokeGrants: a refresh fails with invalid_grant and a held access token with 401', async () => {
    const token = await refreshToken();
    const api = directoryWithGrant(token);
    await api.users.list({ customer: 'my_customer' });
    google.revokeGrants();

    const held = await failure(api.users.list({ customer: 'my_customer' }, NO_RETRY));
    expect(held.status).toBe(401);
    expect(held.response.data.error).toMatchObject({ code: 401, status: 'UNAUTHENTICATED', errors: [{ reason: 'authError' }] });

    const refreshed = await failure(directoryWithGrant(token).users.list({ customer: 'my_customer' }, NO_RETRY));
    expect(refreshed.status).toBe(400);
    expect(refreshed.message).toBe('invalid_grant');
    expect(refreshed.response.data).toEqual({ error: 'invalid_grant', error_description: 'Token has been expired or revoked.' });
  });

  it('answers 403 insufficientPermissions without the scope and forbidden for a non-admin', async () => {
    const usersOnly = directoryWithGrant(await refreshToken([USER_SCOPE]));
    await usersOnly.users.list({ customer: 'my_customer' });
    const noScope = await failure(usersOnly.groups.list({ customer: 'my_customer' }, NO_RETRY));
    expect(noScope.status).toBe(403);
    expect(noScope.response.data).toEqual({
      error: { code: 403, message: 'Request had insufficient authentication scopes.', errors: [{ message: 'Insufficient Permission', domain: 'global', reason: 'insufficientPermissions' }], status: 'PERMISSION_DENIED' },
    });

    google.consent.as = google.directory.users().find((u) => !u.isAdmin && !u.suspended)?.primaryEmail ?? '';
    const notAdmin = await failure(directoryWithGrant(await refreshToken()).users.list({ customer: 'my_customer' }, NO_RETRY));
    expect(notAdmin.status).toBe(403);
    expect(notAdmin.response.data.error.errors[0]).toMatchObject({ reason: 'forbidden', message: 'Not Authorized to access this resource/api' });
  });
});

describe('service account with domain-wide delegation', () => {
  it('gets a token from the stand-in through the JWT client’s transporter and lists users', async () => {
    const key = google.serviceAccountKey();
    expect(key).toMatchObject({ type: 'service_account', token_uri: GOOGLE_TOKEN_URL });
    const api = admin({ version: 'directory_v1', auth: serviceAccountClient(key), rootUrl: google.apiUrl });
    const { data } = await api.users.list({ customer: 'my_customer', maxResults: 5 });
    expect(data.users).toHaveLength(5);
    expect(google.tokenRequests.at(-1)).toEqual({ grantType: 'urn:ietf:params:oauth:grant-type:jwt-bearer', status: 200 });
  });

  it('needs the rewritten token URL to stay a URL object: gaxios reads url.searchParams when redacting an error', async () => {
    const jwt = new JWT({ email: 'stranger@elsewhere.iam.gserviceaccount.com', key: google.serviceAccountKey().private_key as string, scopes: READONLY_DIRECTORY_SCOPES });
    jwt.transporter.interceptors.request.add({
      resolved: async (options) => {
        // A string on purpose: gaxios types it as a URL, and that is what this test pins.
        if (String(options.url) === GOOGLE_TOKEN_URL) options.url = google.tokenUrl as unknown as URL;
        return options;
      },
    });
    const error = await failure(jwt.authorize());
    expect(error).toBeInstanceOf(TypeError);
    expect(google.tokenRequests.at(-1)).toMatchObject({ status: 400, error: 'invalid_grant' });
  });

  it('refuses scopes not delegated with 401 unauthorized_client, also after revokeServiceAccount', async () => {
    const undelegated = await failure(serviceAccountClient(google.serviceAccountKey({ delegatedScopes: [USER_SCOPE] })).authorize());
    expect(undelegated.status).toBe(401);
    expect(undelegated.message).toBe('unauthorized_client: Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.');
    expect(undelegated.response.data.error).toBe('unauthorized_client');

    const key = google.serviceAccountKey();
    const jwt = serviceAccountClient(key);
    const api = admin({ version: 'directory_v1', auth: jwt, rootUrl: google.apiUrl });
    await api.users.list({ customer: 'my_customer' });
    google.revokeServiceAccount(key.client_email as string);
    expect((await failure(api.users.list({ customer: 'my_customer' }, NO_RETRY))).status).toBe(401);
    expect((await failure(serviceAccountClient(key).authorize())).response.data.error).toBe('unauthorized_client');
  });

  it('refuses a key it did not issue, an unknown account and a subject outside the domain with invalid_grant', async () => {
    const key = google.serviceAccountKey();
    const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const forged = await failure(serviceAccountClient(key, 'admin@acme.test', otherKey).authorize());
    expect(forged.response.data).toEqual({ error: 'invalid_grant', error_description: 'Invalid JWT Signature.' });
    const stranger = await failure(serviceAccountClient({ ...key, client_email: 'stranger@elsewhere.iam.gserviceaccount.com' }).authorize());
    expect(stranger.response.data.error).toBe('invalid_grant');
    const nobody = await failure(serviceAccountClient(key, 'nobody@acme.test').authorize());
    expect(nobody.response.data).toEqual({ error: 'invalid_grant', error_description: 'Invalid email or User ID' });
  });
});

describe('Directory API', () => {
  let api: admin_directory_v1.Admin;
  beforeAll(async () => {
    google.consent = { grant: true, as: 'admin@acme.test' };
    api = directoryWithGrant(await refreshToken());
  });

  it('pages users by e-mail with the last key seen, and omits the token on the last page', async () => {
    const sizes: number[] = [];
    const emails: string[] = [];
    let pageToken: string | undefined;
    do {
      const { data } = await api.users.list({ customer: 'my_customer', maxResults: 10, pageToken });
      sizes.push(data.users?.length ?? 0);
      emails.push(...(data.users ?? []).map((u) => u.primaryEmail ?? ''));
      pageToken = data.nextPageToken ?? undefined;
    } while (pageToken);
    expect(sizes).toEqual([10, 10, 5]);
    expect(emails).toEqual([...emails].sort());
    expect(emails).toEqual(google.directory.users().map((u) => u.primaryEmail));
    expect(emails[0]).toBe('admin@acme.test');
    expect(google.requests.at(-1)).toMatchObject({ method: 'GET', path: '/admin/directory/v1/users', query: { customer: 'my_customer', maxResults: '10' } });
  });

  it('keeps paging right when users change between pages', async () => {
    const first = (await api.users.list({ customer: 'my_customer', maxResults: 10 })).data;
    const seen = first.users?.map((u) => u.primaryEmail ?? '') ?? [];
    google.directory.deleteUser(seen[3]);
    google.directory.addUser({ primaryEmail: 'aaa.first@acme.test' });
    const rest = (await api.users.list({ customer: 'my_customer', maxResults: 500, pageToken: first.nextPageToken ?? '' })).data;
    expect(rest.users?.[0].primaryEmail).toBe(google.directory.users().find((u) => u.primaryEmail > seen[9])?.primaryEmail);
    expect(rest.users).toHaveLength(15);
  });

  it('shows suspended users, hides deleted ones, and lists only deleted ones with showDeleted', async () => {
    const [, toSuspend, toDelete] = google.directory.users().filter((u) => !u.suspended);
    google.directory.suspendUser(toSuspend.id);
    google.directory.deleteUser(toDelete.primaryEmail);
    const { data } = await api.users.list({ customer: 'my_customer', maxResults: 500, projection: 'full' });
    expect(data.users?.find((u) => u.id === toSuspend.id)).toMatchObject({ suspended: true, suspensionReason: 'ADMIN' });
    expect(data.users?.some((u) => u.id === toDelete.id)).toBe(false);
    const deleted = (await api.users.list({ customer: 'my_customer', showDeleted: 'true' })).data;
    expect(deleted.users?.map((u) => u.id)).toEqual([toDelete.id]);
    expect((await failure(api.users.get({ userKey: toDelete.id }, NO_RETRY))).status).toBe(404);
    const user = (await api.users.get({ userKey: toSuspend.primaryEmail, projection: 'full' })).data;
    expect(user).toMatchObject({ kind: 'admin#directory#user', id: toSuspend.id, customerId: google.directory.customerId });
    expect(user.id).toMatch(/^\d{21}$/);
  });

  it('omits `users` when nothing is listed and rejects out-of-range sizes and foreign page tokens', async () => {
    const none = (await api.users.list({ customer: 'my_customer', showDeleted: 'true' })).data;
    expect(none).toEqual({ kind: 'admin#directory#users', etag: expect.any(String) });
    const big = await failure(api.users.list({ customer: 'my_customer', maxResults: 501 }, NO_RETRY));
    expect(big.status).toBe(400);
    expect(big.response.data.error.errors[0].reason).toBe('invalid');
    const groupsToken = (await api.groups.list({ customer: 'my_customer', maxResults: 1 })).data.nextPageToken ?? '';
    expect((await failure(api.users.list({ customer: 'my_customer', pageToken: groupsToken }, NO_RETRY))).status).toBe(400);
    expect((await failure(api.users.list({ customer: 'my_customer', pageToken: 'garbage' }, NO_RETRY))).status).toBe(400);
    expect((await failure(api.users.list({}, NO_RETRY))).status).toBe(400);
  });

  it('lists groups and members as Google shapes them', async () => {
    const { data } = await api.groups.list({ customer: 'my_customer' });
    expect(data.groups).toHaveLength(4);
    const group = data.groups?.[0];
    expect(group).toMatchObject({ kind: 'admin#directory#group', directMembersCount: '5', adminCreated: expect.any(Boolean) });
    const members = (await api.members.list({ groupKey: group?.email ?? '' })).data;
    expect(members.kind).toBe('admin#directory#members');
    expect(members.members).toHaveLength(5);
    expect(members.members?.map((m) => m.role).sort()).toEqual(['MANAGER', 'MEMBER', 'MEMBER', 'MEMBER', 'OWNER']);
    expect(members.members?.[0]).toMatchObject({ kind: 'admin#directory#member', type: 'USER', status: expect.stringMatching(/^(ACTIVE|SUSPENDED)$/) });
    expect((await failure(api.members.list({ groupKey: 'nope@acme.test' }, NO_RETRY))).status).toBe(404);
  });

  it('lists users of nested groups once with includeDerivedMembership, nested groups still listed', async () => {
    const [a, b, c] = [google.directory.addGroup({ name: 'Outer' }), google.directory.addGroup({ name: 'Middle' }), google.directory.addGroup({ name: 'Inner' })];
    const [u1, u2, u3] = google.directory.users().slice(1, 4);
    google.directory.addMember(a.id, u1.id, 'USER', 'OWNER');
    google.directory.addMember(a.id, b.email, 'GROUP');
    google.directory.addMember(b.id, u1.primaryEmail);
    google.directory.addMember(b.id, u2.id);
    google.directory.addMember(b.id, c.id);
    google.directory.addMember(c.id, u3.id);

    const direct = (await api.members.list({ groupKey: a.id })).data.members ?? [];
    expect(direct.map((m) => m.type).sort()).toEqual(['GROUP', 'USER']);
    const derived = (await api.members.list({ groupKey: a.id, includeDerivedMembership: true })).data.members ?? [];
    expect(derived.filter((m) => m.type === 'USER').map((m) => m.id).sort()).toEqual([u1.id, u2.id, u3.id].sort());
    expect(derived.filter((m) => m.type === 'GROUP').map((m) => m.id).sort()).toEqual([b.id, c.id].sort());
    expect(derived.find((m) => m.id === u1.id)?.role).toBe('OWNER');
    const paged = await api.members.list({ groupKey: a.id, includeDerivedMembership: true, maxResults: 2 });
    expect(paged.data.members).toHaveLength(2);
    expect(paged.data.nextPageToken).toBeTruthy();
  });

  it('answers failNext with Google’s rate-limit and server errors; the client retries 429 and 5xx by itself unless retry is false', async () => {
    let before = google.requests.length;
    google.failNext(1, 'rateLimit403', /\/users$/);
    const limited = await failure(api.users.list({ customer: 'my_customer' }));
    expect(google.requests.length - before).toBe(1);
    expect(limited.status).toBe(403);
    expect(limited.response.data.error).toMatchObject({ code: 403, status: 'PERMISSION_DENIED', errors: [{ reason: 'rateLimitExceeded', domain: 'usageLimits' }] });

    google.failNext(1, 'rateLimit429');
    const exhausted = await failure(api.users.list({ customer: 'my_customer' }, NO_RETRY));
    expect(exhausted.status).toBe(429);
    expect(exhausted.response.data.error).toMatchObject({ code: 429, status: 'RESOURCE_EXHAUSTED', errors: [{ reason: 'rateLimitExceeded' }] });

    google.failNext(1, 'server500', /\/groups$/);
    expect((await failure(api.groups.list({ customer: 'my_customer' }, NO_RETRY))).response.data.error.errors[0].reason).toBe('backendError');

    // Without retry: false, @googleapis/admin asks gaxios to retry: 429 and 5xx are tried again (403 is not).
    before = google.requests.length;
    google.failNext(1, 'rateLimit429');
    await api.users.list({ customer: 'my_customer' });
    expect(google.requests.length - before).toBe(2);
  });

  it('lists a 10,000-user, 1,000-group directory in full', async () => {
    google.directory.seed({ users: 10_000, groups: 1_000, membersPerGroup: 20, nestedGroups: 10, seed: 42 });
    const started = performance.now();
    const users: admin_directory_v1.Schema$User[] = [];
    let pageToken: string | undefined;
    do {
      const { data } = await api.users.list({ customer: 'my_customer', maxResults: 500, projection: 'full', pageToken });
      users.push(...(data.users ?? []));
      pageToken = data.nextPageToken ?? undefined;
    } while (pageToken);
    const groups: admin_directory_v1.Schema$Group[] = [];
    do {
      const { data } = await api.groups.list({ customer: 'my_customer', maxResults: 200, pageToken });
      groups.push(...(data.groups ?? []));
      pageToken = data.nextPageToken ?? undefined;
    } while (pageToken);
    let memberships = 0;
    for (let at = 0; at < groups.length; at += 8) {
      const pages = await Promise.all(groups.slice(at, at + 8).map((g) => api.members.list({ groupKey: g.id ?? '', includeDerivedMembership: true, maxResults: 200 })));
      memberships += pages.reduce((sum, page) => sum + (page.data.members?.length ?? 0), 0);
    }
    console.log(`10,000 users, 1,000 groups, ${memberships} memberships listed in ${Math.round(performance.now() - started)} ms`);
    expect(users).toHaveLength(10_000);
    expect(new Set(users.map((u) => u.id)).size).toBe(10_000);
    expect(groups).toHaveLength(1_000);
    expect(users.filter((u) => u.suspended).length).toBeGreaterThan(100);
  });
});
