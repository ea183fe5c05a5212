/**
 * Who may do what with a Google Workspace connection, and the OAuth consent: the vendor and the
 * customer's admin (by permission, own tenant only) create, authorize and read it; the consent comes
 * back once through the callback and stores the grant encrypted; SCIM-only parts (tokens, the Frontegg
 * list) stay SCIM-only.
 */
import { describe, expect, it } from 'vitest';
import { READ, WRITE, bearer, mintToken, setSelfService } from '../self-service/support.js';
import { dialectsUnderTest } from '../support/databases.js';
import { createTenant } from '../support/fixtures.js';
import { createGoogleConnection, directoryUsers, state, useGoogleApp } from './support.js';

const KEY = '5af4eee26e81dad999102e078a70994330a5c6e096ba7e1ca61d341aefcb72a3';

describe.each(dialectsUnderTest())('Google Workspace access and consent (%s)', (dialect) => {
  const g = useGoogleApp(dialect, undefined, { ROLLCALL_ENCRYPTION_KEY: KEY });

  it('authorizes through a super-admin’s consent, once per link, and stores the grant encrypted', async () => {
    const { t, google } = g;
    google.directory.seed({ users: 12, groups: 2, seed: 21 });
    const connection = await createGoogleConnection(t, 'gw-oauth');
    const started = await t.app.inject({ method: 'POST', url: `/api/v1/connections/${connection.id}/google-workspace/oauth`, headers: { authorization: t.auth }, payload: { returnTo: '/ui/accounts/gw-oauth?tab=provisioning' } });
    expect(started.statusCode, started.body).toBe(200);
    const consentUrl = new URL(started.json().url);
    expect(consentUrl.searchParams.get('access_type')).toBe('offline');
    expect(consentUrl.searchParams.get('scope')?.split(' ').sort()).toEqual(['https://www.googleapis.com/auth/admin.directory.group.readonly', 'https://www.googleapis.com/auth/admin.directory.user.readonly']);
    expect(consentUrl.searchParams.get('redirect_uri')).toBe('https://rollcall.test/api/v1/google-workspace/oauth/callback');

    // The admin consents at Google, which sends the browser back to the callback.
    const consent = await fetch(consentUrl, { redirect: 'manual' });
    expect(consent.status).toBe(302);
    const back = new URL(consent.headers.get('location')!);
    expect(`${back.origin}${back.pathname}`).toBe('https://rollcall.test/api/v1/google-workspace/oauth/callback');
    const callback = await t.app.inject({ url: `${back.pathname}${back.search}` });
    expect(callback.statusCode, callback.body).toBe(302);
    expect(callback.headers.location).toBe('/ui/accounts/gw-oauth?tab=provisioning&googleWorkspace=connected');
    await t.app.services.googleSync.settled();
    expect(await state(t, connection.id)).toMatchObject({ status: 'active', authMethod: 'oauth', lastSync: { status: 'succeeded', trigger: 'authorization' } });
    expect(await directoryUsers(t, connection.id)).toHaveLength(12);

    // The link works once.
    const again = await t.app.inject({ url: `${back.pathname}${back.search}` });
    expect(again.statusCode).toBe(400);
    expect(again.json().message).toContain('used already');
    // The refresh token is sealed at rest.
    const row = await t.db.kysely.withTables<{ google_workspace_connections: { connection_id: string; credentials: string } }>().selectFrom('google_workspace_connections').select('credentials').where('connection_id', '=', connection.id).executeTakeFirstOrThrow();
    expect(row.credentials.startsWith('rcenc:v1:')).toBe(true);
    const audit = (await t.app.inject({ url: `/api/v1/audit?tenantId=gw-oauth`, headers: { authorization: t.auth } })).json().items.map((e: { data: { change?: string } }) => e.data.change);
    expect(audit).toEqual(expect.arrayContaining(['google_workspace.authorization_started', 'google_workspace.authorized']));
  });

  it('sends a refused consent back with the reason, and refuses a returnTo on another site', async () => {
    const { t, google } = g;
    const connection = await createGoogleConnection(t, 'gw-denied');
    const offsite = await t.app.inject({ method: 'POST', url: `/api/v1/connections/${connection.id}/google-workspace/oauth`, headers: { authorization: t.auth }, payload: { returnTo: '//evil.example/steal' } });
    expect(offsite.statusCode).toBe(400);
    expect(offsite.json().field).toBe('returnTo');
    const started = await t.app.inject({ method: 'POST', url: `/api/v1/connections/${connection.id}/google-workspace/oauth`, headers: { authorization: t.auth }, payload: {} });
    google.consent.grant = false;
    try {
      const consent = await fetch(started.json().url, { redirect: 'manual' });
      const back = new URL(consent.headers.get('location')!);
      const callback = await t.app.inject({ url: `${back.pathname}${back.search}` });
      expect(callback.statusCode).toBe(302);
      const target = new URL(callback.headers.location as string, 'https://rollcall.test');
      expect(target.pathname).toBe('/dashboard');
      expect(Object.fromEntries(target.searchParams)).toEqual({ googleWorkspace: 'error', reason: 'The admin did not grant access' });
    } finally {
      google.consent.grant = true;
    }
    expect((await state(t, connection.id)).status).toBe('needs_authorization');
  });

  it('opens to a user token of the tenant by permission, never to another tenant, and keeps SCIM-only routes SCIM-only', async () => {
    const { t } = g;
    await setSelfService(t, true);
    await createTenant(t, 'gw-own');
    const reader = bearer(await mintToken(t, { tenantId: 'gw-own', permissions: [READ] }));
    const writer = bearer(await mintToken(t, { tenantId: 'gw-own', permissions: [READ, WRITE] }));
    const create = (headers: Record<string, string>, tenantId = 'gw-own') =>
      t.app.inject({ method: 'POST', url: `/api/v1/tenants/${tenantId}/connections`, headers, payload: { type: 'google-workspace', connectionName: 'Ours' } });
    expect((await create(reader)).statusCode).toBe(403);
    const created = await create(writer);
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ type: 'google-workspace', source: 'google-workspace', googleWorkspace: { status: 'needs_authorization', selection: { mode: 'domain', groups: [] }, intervalMinutes: 15 } });
    const own = created.json().id as string;
    const other = await createGoogleConnection(t, 'gw-other');
    expect((await create(writer, 'gw-other')).statusCode).toBe(403);

    const base = (id: string) => `/api/v1/connections/${id}/google-workspace`;
    expect((await t.app.inject({ url: base(own), headers: reader })).statusCode).toBe(200);
    expect((await t.app.inject({ url: `${base(own)}/syncs`, headers: reader })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'PUT', url: base(own), headers: reader, payload: { intervalMinutes: 30 } })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'PUT', url: base(own), headers: writer, payload: { intervalMinutes: 30 } })).json().intervalMinutes).toBe(30);
    expect((await t.app.inject({ method: 'POST', url: `${base(own)}/sync`, headers: reader })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: `${base(own)}/oauth`, headers: reader, payload: {} })).statusCode).toBe(403);
    for (const [method, path] of [
      ['GET', base(other.id)],
      ['PUT', base(other.id)],
      ['GET', `${base(other.id)}/syncs`],
      ['POST', `${base(other.id)}/sync`],
      ['POST', `${base(other.id)}/oauth`],
    ] as const) {
      const res = await t.app.inject({ method, url: path, headers: writer, payload: method === 'PUT' ? { intervalMinutes: 30 } : method === 'POST' ? {} : undefined });
      expect(res.statusCode, `${method} ${path}`).toBe(404);
    }

    // SCIM-only: no tokens, not in the Frontegg list of SCIM configurations; in the overview with its status.
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/connections/${own}/tokens`, headers: { authorization: t.auth }, payload: {} })).statusCode).toBe(404);
    const frontegg = (await t.app.inject({ url: '/directory/resources/v1/configurations/scim2?tenantId=gw-own', headers: { authorization: t.auth } })).json();
    expect(frontegg).toEqual([]);
    const overview = (await t.app.inject({ url: '/api/v1/tenants/gw-own/connections', headers: reader })).json().items;
    expect(overview).toEqual([expect.objectContaining({ id: own, type: 'google-workspace', googleWorkspace: { status: 'needs_authorization', reason: null, lastSync: null } })]);
    // Sync now waits for an authorization.
    const early = await t.app.inject({ method: 'POST', url: `${base(own)}/sync`, headers: writer });
    expect(early.statusCode).toBe(409);
  });
});
