/**
 * The builder settings, self-service delete semantics, and the audit log of every management and
 * self-service change (who, what, when), paged and filtered by tenant.
 */
import { describe, expect, it } from 'vitest';
import { dialectsUnderTest } from '../support/databases.js';
import { createTenant } from '../support/fixtures.js';
import { useTestApp, type TestApp } from '../support/test-app.js';
import { getJson, provisioner } from '../directory/support.js';
import { BASE, DELETE, READ, WRITE, bearer, mintToken, show } from './support.js';

const SETTINGS = '/api/v1/settings';

async function counts(t: TestApp, connectionId: string) {
  const users = await t.db.kysely.selectFrom('scim_users').select(['detached']).where('connection_id', '=', connectionId).execute();
  const groups = await t.db.kysely.selectFrom('scim_groups').select(['detached']).where('connection_id', '=', connectionId).execute();
  return { users: users.length, groups: groups.length, detached: [...users, ...groups].every((r) => r.detached === 1) };
}

for (const dialect of dialectsUnderTest()) {
  describe(`builder settings, self-service delete and audit [${dialect}]`, () => {
    const t = useTestApp(dialect);
    const env = () => ({ authorization: t.auth });
    const patch = (payload: unknown) => t.app.inject({ method: 'PATCH', url: SETTINGS, headers: { authorization: t.auth }, payload: payload as object });

    it('has self-service SCIM provisioning off by default and switches it', async () => {
      const portal = { brandColor: null, logoUrl: null, productName: null };
      expect((await t.app.inject({ url: SETTINGS, headers: { authorization: t.auth } })).json()).toEqual({ selfService: { scimProvisioning: false }, portal });
      const on = await patch({ selfService: { scimProvisioning: true } });
      expect(on.statusCode, show(on)).toBe(200);
      expect(on.json()).toEqual({ selfService: { scimProvisioning: true }, portal });
      expect((await getJson(t, SETTINGS)).selfService.scimProvisioning).toBe(true);
    });

    it('validates the settings body', async () => {
      for (const body of [{}, { selfService: {} }, { selfService: { scimProvisioning: 'yes' } }, { selfService: { scimProvisioning: true, portal: 1 } }, { other: true }, []]) {
        const res = await patch(body);
        expect(res.statusCode, JSON.stringify(body)).toBe(400);
      }
      expect((await getJson(t, SETTINGS)).selfService.scimProvisioning).toBe(true);
    });

    it('audits a settings change, and not a PATCH that changes nothing', async () => {
      await patch({ selfService: { scimProvisioning: false } });
      await patch({ selfService: { scimProvisioning: false } });
      const entries = (await getJson(t, '/api/v1/audit?action=settings.updated')).items;
      expect(entries).toHaveLength(2);
      expect(entries[0]).toMatchObject({
        tenantId: null,
        target: { type: 'settings', id: null },
        actor: { type: 'credential' },
        data: { before: { selfService: { scimProvisioning: true } }, after: { selfService: { scimProvisioning: false } } },
      });
      await patch({ selfService: { scimProvisioning: true } });
    });

    it('removes users and groups on a self-service delete unless removeUsersAndGroups=false', async () => {
      await createTenant(t, 'del');
      const token = await mintToken(t, { tenantId: 'del', userId: 'it-admin', permissions: [READ, WRITE, DELETE] });
      const fill = async () => {
        const p = await provisioner(t, 'del');
        const user = await p.user(`u-${p.id}@del.test`);
        await p.group(`g-${p.id}`, [user.id]);
        return p.id;
      };
      const removed = await fill();
      expect((await t.app.inject({ method: 'DELETE', url: `${BASE}/${removed}`, headers: bearer(token) })).statusCode).toBe(204);
      expect(await counts(t, removed)).toMatchObject({ users: 0, groups: 0 });
      const kept = await fill();
      expect((await t.app.inject({ method: 'DELETE', url: `${BASE}/${kept}?removeUsersAndGroups=false`, headers: bearer(token) })).statusCode).toBe(204);
      expect(await counts(t, kept)).toEqual({ users: 1, groups: 1, detached: true });
      // The environment token keeps the API default: keep them, detached.
      const envDeleted = await fill();
      expect((await t.app.inject({ method: 'DELETE', url: `${BASE}/${envDeleted}`, headers: env() })).statusCode).toBe(204);
      expect(await counts(t, envDeleted)).toEqual({ users: 1, groups: 1, detached: true });
      const explicit = await fill();
      expect((await t.app.inject({ method: 'DELETE', url: `${BASE}/${explicit}?removeUsersAndGroups=true`, headers: bearer(token) })).statusCode).toBe(204);
      expect(await counts(t, explicit)).toMatchObject({ users: 0, groups: 0 });
    });

    it('audits connection changes by environment and user tokens, never with a secret', async () => {
      await createTenant(t, 'aud');
      const token = await mintToken(t, { tenantId: 'aud', userId: 'portal-user', permissions: [READ, WRITE, DELETE] });
      const mine = await t.app.inject({ method: 'POST', url: BASE, headers: bearer(token), payload: { source: 'okta', connectionName: 'Portal Okta' } });
      expect(mine.statusCode).toBe(201);
      const theirs = await t.app.inject({ method: 'POST', url: BASE, headers: { ...env(), 'frontegg-tenant-id': 'aud' }, payload: { source: 'azure-ad', connectionName: 'Env Entra' } });
      await t.app.inject({ method: 'PATCH', url: `${BASE}/${theirs.json().id}`, headers: env(), payload: { connectionName: 'Renamed' } });
      await t.app.inject({ method: 'DELETE', url: `${BASE}/${mine.json().id}`, headers: bearer(token) });
      await t.app.inject({ method: 'DELETE', url: `${BASE}/${theirs.json().id}`, headers: env() });
      // A refused call changes nothing and is not a change to audit.
      const readOnly = await mintToken(t, { tenantId: 'aud', permissions: [READ] });
      expect((await t.app.inject({ method: 'POST', url: BASE, headers: bearer(readOnly), payload: { source: 'okta', connectionName: 'x' } })).statusCode).toBe(403);

      const page = await getJson(t, '/api/v1/audit?tenantId=aud');
      const summary = page.items.map((e: any) => [e.action, e.actor.type, e.target.type]);
      expect(summary).toEqual([
        ['user_token.created', 'credential', 'user'],
        ['connection.deleted', 'credential', 'connection'],
        ['connection.deleted', 'user', 'connection'],
        ['connection.updated', 'credential', 'connection'],
        ['connection.created', 'credential', 'connection'],
        ['connection.created', 'user', 'connection'],
        ['user_token.created', 'credential', 'user'],
      ]);
      const [, envDelete, userDelete, update, , userCreate, tokenEntry] = page.items;
      expect(userCreate).toMatchObject({ tenantId: 'aud', actor: { type: 'user', id: 'portal-user', tenantId: 'aud' }, target: { id: mine.json().id }, data: { connectionName: 'Portal Okta', source: 'okta' } });
      expect(userDelete.data).toMatchObject({ removeUsersAndGroups: true });
      expect(envDelete.data).toMatchObject({ removeUsersAndGroups: false });
      expect(envDelete.actor).toMatchObject({ type: 'credential', id: expect.any(String), clientId: expect.any(String) });
      expect(update.data).toMatchObject({ changes: { connectionName: 'Renamed' } });
      expect(tokenEntry).toMatchObject({ tenantId: 'aud', target: { type: 'user', id: 'portal-user' }, data: { permissions: [READ, WRITE, DELETE], expiresIn: 3600 } });
      expect(Date.parse(userCreate.occurredAt)).toBeGreaterThan(Date.now() - 60_000);
      const raw = JSON.stringify(page);
      expect(raw).not.toContain(mine.json().token);
      expect(raw).not.toContain(token);
    });

    it('pages newest first and filters by tenant and action', async () => {
      const all: any[] = [];
      let cursor: string | null = null;
      do {
        const page: { items: any[]; nextCursor: string | null } = await getJson(t, `/api/v1/audit?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
        expect(page.items.length).toBeLessThanOrEqual(3);
        all.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor !== null);
      expect(new Set(all.map((e) => e.id)).size).toBe(all.length);
      const single = (await getJson(t, '/api/v1/audit?limit=500')).items;
      expect(all.map((e) => e.id)).toEqual(single.map((e: { id: string }) => e.id));
      const times = all.map((e) => e.occurredAt);
      expect([...times].sort().reverse()).toEqual(times);
      expect((await getJson(t, '/api/v1/audit?tenantId=del')).items.every((e: { tenantId: string }) => e.tenantId === 'del')).toBe(true);
      expect((await getJson(t, '/api/v1/audit?tenantId=nobody')).items).toEqual([]);
      expect((await getJson(t, '/api/v1/audit?action=connection.created')).items.every((e: { action: string }) => e.action === 'connection.created')).toBe(true);
      for (const query of ['cursor=bm9wZQ', 'action=connection.exploded', 'limit=0', 'limit=501']) {
        expect((await t.app.inject({ url: `/api/v1/audit?${query}`, headers: env() })).statusCode, query).toBe(400);
      }
    });
  });
}
