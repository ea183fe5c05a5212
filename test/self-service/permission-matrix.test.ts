/**
 * The self-service matrix: each permission alone and all together (and none) × each endpoint ×
 * the builder switch off/on × the token's own tenant / another tenant, with the exact status.
 * "Another tenant" names that tenant in frontegg-tenant-id and, for the id routes, targets one of
 * its connections. Environment-token calls are checked to be unaffected by the switch.
 */
import { describe, expect, it } from 'vitest';
import { dialectsUnderTest } from '../support/databases.js';
import { createConnection, createTenant } from '../support/fixtures.js';
import { useTestApp, type TestApp } from '../support/test-app.js';
import { BASE, DELETE, DISABLED_MESSAGE, READ, WRITE, bearer, mintToken, setSelfService, show } from './support.js';

const PERMISSION_SETS = {
  none: [],
  read: [READ],
  write: [WRITE],
  delete: [DELETE],
  'read+write+delete': [READ, WRITE, DELETE],
} as const;
type SetName = keyof typeof PERMISSION_SETS;

const ENDPOINTS = {
  'GET list': { permission: READ, ok: 200 },
  'POST create': { permission: WRITE, ok: 201 },
  'GET one': { permission: READ, ok: 200 },
  'DELETE one': { permission: DELETE, ok: 204 },
} as const;
type Endpoint = keyof typeof ENDPOINTS;
type Tenant = 'own' | 'other';

const TENANTS: Record<Tenant, string> = { own: 'matrix-own', other: 'matrix-other' };

/** The status the spec demands. */
function expected(set: SetName, endpoint: Endpoint, on: boolean, tenant: Tenant): number {
  if (!on) return 403;
  if (!(PERMISSION_SETS[set] as readonly string[]).includes(ENDPOINTS[endpoint].permission)) return 403;
  if (tenant === 'other') return 403;
  return ENDPOINTS[endpoint].ok;
}

/** Sends one endpoint's request as a user token, naming `tenant` in frontegg-tenant-id. */
async function call(t: TestApp, endpoint: Endpoint, token: string, tenant: Tenant, keep: Record<Tenant, string>) {
  const headers = { ...bearer(token), 'frontegg-tenant-id': TENANTS[tenant] };
  switch (endpoint) {
    case 'GET list':
      return t.app.inject({ url: BASE, headers });
    case 'POST create':
      return t.app.inject({ method: 'POST', url: BASE, headers, payload: { source: 'okta', connectionName: 'Self-service Okta' } });
    case 'GET one':
      return t.app.inject({ url: `${BASE}/${keep[tenant]}`, headers });
    case 'DELETE one': {
      // A fresh connection each time, so an allowed delete never hits a 404 left by an earlier case.
      const victim = await createConnection(t, TENANTS[tenant]);
      return t.app.inject({ method: 'DELETE', url: `${BASE}/${victim.id}`, headers });
    }
  }
}

for (const dialect of dialectsUnderTest()) {
  describe(`self-service permission matrix [${dialect}]`, () => {
    // Every allowed create of the matrix adds a connection to one tenant: past the self-service cap (test/self-service/connection-cap.test.ts).
    const t = useTestApp(dialect, { MAX_CONNECTIONS_PER_TENANT: '1000' });
    const tokens = {} as Record<SetName, string>;
    const keep = {} as Record<Tenant, string>;

    it('sets up two tenants, a connection each, and a token per permission set', async () => {
      for (const tenant of ['own', 'other'] as const) {
        await createTenant(t, TENANTS[tenant]);
        keep[tenant] = (await createConnection(t, TENANTS[tenant])).id;
      }
      for (const [name, permissions] of Object.entries(PERMISSION_SETS)) {
        tokens[name as SetName] = await mintToken(t, { tenantId: TENANTS.own, permissions: [...permissions] });
      }
    });

    for (const on of [false, true]) {
      describe(`builder switch ${on ? 'on' : 'off'}`, () => {
        it(`switches self-service ${on ? 'on' : 'off'}`, async () => {
          await setSelfService(t, on);
        });

        for (const set of Object.keys(PERMISSION_SETS) as SetName[]) {
          for (const endpoint of Object.keys(ENDPOINTS) as Endpoint[]) {
            for (const tenant of ['own', 'other'] as const) {
              const status = expected(set, endpoint, on, tenant);
              it(`${set} × ${endpoint} × ${tenant} tenant → ${status}`, async () => {
                const res = await call(t, endpoint, tokens[set], tenant, keep);
                expect(res.statusCode, show(res)).toBe(status);
                const body = res.statusCode === 204 ? undefined : res.json();
                if (!on) {
                  expect(body.message).toBe(DISABLED_MESSAGE);
                } else if (status === 403 && !(PERMISSION_SETS[set] as readonly string[]).includes(ENDPOINTS[endpoint].permission)) {
                  expect(body.message).toContain(ENDPOINTS[endpoint].permission);
                } else if (status === 403) {
                  expect(body.message).toContain(`cannot act on tenant "${TENANTS.other}"`);
                }
                if (status === 403) expect(body).toMatchObject({ statusCode: 403, code: 'forbidden' });
                if (endpoint === 'GET list' && status === 200) expect(body.map((c: { tenantId: string }) => c.tenantId)).not.toContain(TENANTS.other);
                if (endpoint === 'POST create' && status === 201) expect(body).toMatchObject({ tenantId: TENANTS.own, token: expect.stringMatching(/^rc_scim_/) });
                if (endpoint === 'GET one' && status === 200) expect(body.id).toBe(keep.own);
              });
            }
          }
        }

        it('leaves environment-token calls exactly as they were', async () => {
          const env = (tenantId?: string) => ({ authorization: t.auth, ...(tenantId ? { 'frontegg-tenant-id': tenantId } : {}) });
          const list = await t.app.inject({ url: BASE, headers: env() });
          expect(list.statusCode).toBe(200);
          expect(new Set(list.json().map((c: { tenantId: string }) => c.tenantId))).toEqual(new Set([TENANTS.own, TENANTS.other]));
          const created = await t.app.inject({ method: 'POST', url: BASE, headers: env(TENANTS.other), payload: { source: 'okta', connectionName: 'env' } });
          expect(created.statusCode).toBe(201);
          expect((await t.app.inject({ url: `${BASE}/${created.json().id}`, headers: env() })).statusCode).toBe(200);
          expect((await t.app.inject({ method: 'PATCH', url: `${BASE}/${created.json().id}`, headers: env(), payload: { syncToUserManagement: false } })).statusCode).toBe(204);
          expect((await t.app.inject({ method: 'DELETE', url: `${BASE}/${created.json().id}`, headers: env() })).statusCode).toBe(204);
          // Without the header an environment token still needs one to create.
          expect((await t.app.inject({ method: 'POST', url: BASE, headers: env(), payload: { source: 'okta', connectionName: 'x' } })).statusCode).toBe(400);
        });
      });
    }

    describe('with the switch on and every permission', () => {
      it('scopes to the token tenant when no tenant is named, and hides other tenants’ connections behind 404', async () => {
        const token = tokens['read+write+delete'];
        const list = await t.app.inject({ url: BASE, headers: bearer(token) });
        expect(list.statusCode).toBe(200);
        expect(list.json().length).toBeGreaterThan(0);
        expect(list.json().every((c: { tenantId: string }) => c.tenantId === TENANTS.own)).toBe(true);
        // Filtering by another tenant is naming it.
        expect((await t.app.inject({ url: `${BASE}?tenantId=${TENANTS.other}`, headers: bearer(token) })).statusCode).toBe(403);
        expect((await t.app.inject({ url: `${BASE}?tenantId=${TENANTS.own}`, headers: bearer(token) })).statusCode).toBe(200);
        expect((await t.app.inject({ url: BASE, headers: { ...bearer(token), 'x-tenant-id': TENANTS.other } })).statusCode).toBe(403);
        const created = await t.app.inject({ method: 'POST', url: BASE, headers: bearer(token), payload: { source: 'azure-ad', connectionName: 'No header' } });
        expect(created.statusCode, show(created)).toBe(201);
        expect(created.json().tenantId).toBe(TENANTS.own);
        // Another tenant's connection by id, without naming the tenant: not found, and untouched.
        expect((await t.app.inject({ url: `${BASE}/${keep.other}`, headers: bearer(token) })).statusCode).toBe(404);
        expect((await t.app.inject({ method: 'DELETE', url: `${BASE}/${keep.other}`, headers: bearer(token) })).statusCode).toBe(404);
        expect((await t.app.inject({ url: `${BASE}/${keep.other}`, headers: { authorization: t.auth } })).statusCode).toBe(200);
      });

      it('refuses a user token on PATCH (not a self-service route) with 401', async () => {
        const res = await t.app.inject({ method: 'PATCH', url: `${BASE}/${keep.own}`, headers: bearer(tokens['read+write+delete']), payload: { syncToUserManagement: false } });
        expect(res.statusCode).toBe(401);
      });

      it('checks the token before the body: a bad body from a caller without permission is a 403', async () => {
        const res = await t.app.inject({ method: 'POST', url: BASE, headers: bearer(tokens.read), payload: { source: 'nope' } });
        expect(res.statusCode).toBe(403);
        const bad = await t.app.inject({ method: 'POST', url: BASE, headers: bearer(tokens.write), payload: { source: 'nope' } });
        expect(bad.statusCode).toBe(400);
      });

      it('answers 404 when the token’s tenant does not exist', async () => {
        await createTenant(t, 'matrix-ghost');
        const token = await mintToken(t, { tenantId: 'matrix-ghost', permissions: [WRITE, READ] });
        await t.app.inject({ method: 'DELETE', url: '/tenants/resources/tenants/v1/matrix-ghost', headers: { authorization: t.auth } });
        const res = await t.app.inject({ method: 'POST', url: BASE, headers: bearer(token), payload: { source: 'okta', connectionName: 'x' } });
        expect(res.statusCode).toBe(404);
        expect((await t.app.inject({ url: BASE, headers: bearer(token) })).json()).toEqual([]);
      });
    });
  });
}
