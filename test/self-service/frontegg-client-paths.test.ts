/**
 * Frontegg's client paths: the `/frontegg` prefix on the configuration API, replayed as
 * Materialize's Terraform provider sends it (pkg/frontegg/scim.go: GET → 200 bare array, POST → 201,
 * DELETE → 204, with a user token), prefixed and unprefixed answers compared, and the groups API
 * subset (pkg/frontegg/scim_groups.go: list with `_groupsRelations=rolesAndUsers`, add and remove a
 * group's roles).
 */
import type { InjectOptions } from 'fastify';
import { describe, expect, it } from 'vitest';
import { dialectsUnderTest } from '../support/databases.js';
import { createConnection, createTenant } from '../support/fixtures.js';
import { SCIM_PATH } from '../support/scim-requests.js';
import { useTestApp } from '../support/test-app.js';
import { eventsOf, getJson, provisioner } from '../directory/support.js';
import { BASE, DELETE, DISABLED_MESSAGE, READ, WRITE, bearer, mintToken, setSelfService, show } from './support.js';

const PREFIXED = `/frontegg${BASE}`;
const GROUPS = '/frontegg/identity/resources/groups/v1';
const READ_GROUPS = 'fe.secure.read.groups';
const WRITE_GROUP_ROLES = 'fe.secure.write.groupsRoles';
const ALL = [READ, WRITE, DELETE, READ_GROUPS, WRITE_GROUP_ROLES];

/** What the provider's `json.Marshal(SCIM2Configuration{…})` sends: every field, zero values included. */
const providerBody = (connectionName: string) =>
  JSON.stringify({ id: '', source: 'okta', tenantId: '', connectionName, syncToUserManagement: true, createdAt: '0001-01-01T00:00:00Z', token: '' });

/** One request, with its URL. */
type Inject = InjectOptions & { url: string };

for (const dialect of dialectsUnderTest()) {
  describe(`Frontegg client paths [${dialect}]`, () => {
    const t = useTestApp(dialect);
    const tokens: Record<string, string> = {};

    it('sets up two tenants, self-service on, and user tokens', async () => {
      await createTenant(t, 'fe-acme');
      await createTenant(t, 'fe-other');
      await setSelfService(t, true);
      tokens.acme = await mintToken(t, { tenantId: 'fe-acme', permissions: ALL });
      tokens.other = await mintToken(t, { tenantId: 'fe-other', permissions: ALL });
      tokens.readOnly = await mintToken(t, { tenantId: 'fe-acme', permissions: [READ, READ_GROUPS] });
      tokens.provisioningOnly = await mintToken(t, { tenantId: 'fe-acme', permissions: [READ, WRITE, DELETE] });
    });

    describe('/frontegg/directory/resources/v1/configurations/scim2', () => {
      it('answers the Terraform provider’s GET, POST and DELETE as it expects', async () => {
        const headers = bearer(tokens.acme);
        const empty = await t.app.inject({ url: PREFIXED, headers });
        expect(empty.statusCode, show(empty)).toBe(200);
        expect(empty.json()).toEqual([]);

        const created = await t.app.inject({ method: 'POST', url: PREFIXED, headers: { ...headers, 'content-type': 'application/json' }, payload: providerBody('Okta via Terraform') });
        expect(created.statusCode, show(created)).toBe(201);
        const config = created.json();
        // The fields the provider decodes, each with what it expects.
        expect(config).toMatchObject({ source: 'okta', tenantId: 'fe-acme', connectionName: 'Okta via Terraform', syncToUserManagement: true });
        expect(config.id).toMatch(/^\S+$/);
        expect(config.token).toMatch(/^rc_scim_/);
        expect(new Date(config.createdAt).toISOString()).toBe(config.createdAt);
        expect(Date.now() - Date.parse(config.createdAt)).toBeLessThan(60_000);

        const listed = await t.app.inject({ url: PREFIXED, headers });
        expect(listed.statusCode).toBe(200);
        expect(listed.json()).toEqual([expect.objectContaining({ id: config.id, tenantId: 'fe-acme', source: 'okta', connectionName: 'Okta via Terraform', createdAt: config.createdAt })]);
        expect(listed.body).not.toContain(config.token);
        // The token works until the DELETE.
        const scim = (token: string) => t.app.inject({ url: `${SCIM_PATH}/${config.id}/Users`, headers: bearer(token) });
        expect((await scim(config.token)).statusCode).toBe(200);

        const deleted = await t.app.inject({ method: 'DELETE', url: `${PREFIXED}/${config.id}`, headers });
        expect(deleted.statusCode, show(deleted)).toBe(204);
        expect(deleted.body).toBe('');
        expect((await t.app.inject({ url: PREFIXED, headers })).json()).toEqual([]);
        expect((await scim(config.token)).statusCode).toBe(401);
      });

      it('answers every request exactly as the unprefixed path does', async () => {
        const mine = await createConnection(t, 'fe-acme');
        const theirs = await createConnection(t, 'fe-other');
        const both = async (request: Inject) => {
          const plain = await t.app.inject(request);
          const prefixed = await t.app.inject({ ...request, url: `/frontegg${request.url}` });
          const context = `${String(request.method ?? 'GET')} ${request.url}`;
          expect(prefixed.statusCode, `${context}: ${show(plain)} vs ${show(prefixed)}`).toBe(plain.statusCode);
          expect(prefixed.headers['content-type'], context).toBe(plain.headers['content-type']);
          expect(prefixed.body, context).toBe(plain.body);
          return plain;
        };
        const user = bearer(tokens.acme);
        const env = { authorization: t.auth };
        expect((await both({ url: BASE, headers: user })).statusCode).toBe(200);
        expect((await both({ url: `${BASE}?source=okta`, headers: user })).json().map((c: { id: string }) => c.id)).toEqual([mine.id]);
        expect((await both({ url: `${BASE}/${mine.id}`, headers: user })).statusCode).toBe(200);
        expect((await both({ url: `${BASE}/${theirs.id}`, headers: user })).statusCode).toBe(404);
        expect((await both({ url: `${BASE}/no-such-id`, headers: user })).statusCode).toBe(404);
        expect((await both({ url: `${BASE}?tenantId=fe-other`, headers: user })).statusCode).toBe(403);
        expect((await both({ url: BASE, headers: { ...user, 'frontegg-tenant-id': 'fe-other' } })).statusCode).toBe(403);
        expect((await both({ method: 'POST', url: BASE, headers: user, payload: { source: 'nope', connectionName: 'x' } })).statusCode).toBe(400);
        expect((await both({ method: 'DELETE', url: `${BASE}/${theirs.id}`, headers: user })).statusCode).toBe(404);
        expect((await both({ method: 'PATCH', url: `${BASE}/${mine.id}`, headers: user, payload: { syncToUserManagement: false } })).statusCode).toBe(401);
        expect((await both({ url: BASE })).statusCode).toBe(401);
        expect((await both({ url: BASE, headers: { authorization: 'Bearer rc_env_notatoken' } })).statusCode).toBe(401);
        expect((await both({ url: BASE, headers: env })).json().map((c: { id: string }) => c.id).sort()).toEqual([mine.id, theirs.id].sort());
        expect((await both({ method: 'POST', url: BASE, headers: env, payload: { source: 'okta', connectionName: 'x' } })).statusCode).toBe(400);
        expect((await both({ method: 'PATCH', url: `${BASE}/${mine.id}`, headers: env, payload: { connectionName: 'Renamed' } })).statusCode).toBe(204);

        // Creates answer with fresh ids and tokens; everything else is the same.
        const shape = (body: Record<string, unknown>) => ({ ...body, id: typeof body.id, token: typeof body.token, createdAt: typeof body.createdAt, provisioningUrl: typeof body.provisioningUrl });
        const post = (url: string) => t.app.inject({ method: 'POST', url, headers: user, payload: { source: 'azure-ad', connectionName: 'Entra' } });
        const [plain, prefixed] = [await post(BASE), await post(PREFIXED)];
        expect([plain.statusCode, prefixed.statusCode]).toEqual([201, 201]);
        expect(shape(prefixed.json())).toEqual(shape(plain.json()));
        expect(prefixed.json().provisioningUrl).toBe(`https://rollcall.test${SCIM_PATH}/${prefixed.json().id}`);
        const remove = (url: string) => t.app.inject({ method: 'DELETE', url, headers: user });
        expect([(await remove(`${BASE}/${plain.json().id}`)).statusCode, (await remove(`${PREFIXED}/${prefixed.json().id}`)).statusCode]).toEqual([204, 204]);
        for (const id of [plain.json().id, prefixed.json().id]) expect((await both({ url: `${BASE}/${id}`, headers: user })).statusCode).toBe(404);
      });

      it('checks the same permissions and builder switch on the prefixed path', async () => {
        const readOnly = bearer(tokens.readOnly);
        const created = await t.app.inject({ method: 'POST', url: PREFIXED, headers: readOnly, payload: { source: 'okta', connectionName: 'x' } });
        expect(created.statusCode).toBe(403);
        expect(created.json()).toMatchObject({ code: 'forbidden', message: `The user token lacks the permission ${WRITE}` });
        const victim = await createConnection(t, 'fe-acme');
        const deleted = await t.app.inject({ method: 'DELETE', url: `${PREFIXED}/${victim.id}`, headers: readOnly });
        expect(deleted.statusCode).toBe(403);
        expect(deleted.json().message).toContain(DELETE);
        const none = await mintToken(t, { tenantId: 'fe-acme', permissions: [] });
        expect((await t.app.inject({ url: PREFIXED, headers: bearer(none) })).json().message).toContain(READ);
        await setSelfService(t, false);
        try {
          const off = await t.app.inject({ url: PREFIXED, headers: bearer(tokens.acme) });
          expect(off.statusCode).toBe(403);
          expect(off.json().message).toBe(DISABLED_MESSAGE);
        } finally {
          await setSelfService(t, true);
        }
        expect((await getJson(t, `${BASE}/${victim.id}`)).id).toBe(victim.id);
      });

      it('documents each route once, without the prefix', async () => {
        const paths = Object.keys((await getJson(t, '/docs/json')).paths);
        expect(paths).toContain(BASE);
        expect(paths).toContain('/identity/resources/groups/v1/{groupId}/roles');
        expect(paths.filter((p) => p.startsWith('/frontegg'))).toEqual([]);
      });
    });

    describe('/frontegg/identity/resources/groups/v1', () => {
      const ids: Record<string, string> = {};
      const group = (name: string) => ({ id: ids[name], name, description: null, metadata: null, managedBy: 'scim2' });
      const as = (token: string, request: Inject) => t.app.inject({ ...request, headers: { ...bearer(token), ...(request.headers ?? {}) } });
      const roles = (method: 'POST' | 'DELETE', groupId: string, roleIds: unknown, token = tokens.acme) => as(token, { method, url: `${GROUPS}/${groupId}/roles`, payload: { roleIds } });
      const roleIdsOf = (body: { roles: { id: string }[] }) => body.roles.map((r) => r.id);

      it('provisions groups in both tenants and in a staging connection', async () => {
        const acme = await provisioner(t, 'fe-acme');
        ids.ann = (await acme.user('ann@acme.test', { displayName: 'Ann Lee' })).id;
        ids.bob = (await acme.user('bob@acme.test')).id;
        ids.Engineering = (await acme.group('Engineering', [ids.ann, ids.bob])).id;
        ids.Empty = (await acme.group('Empty')).id;
        const staging = await provisioner(t, 'fe-acme', false);
        ids.Staging = (await staging.group('Staging')).id;
        const other = await provisioner(t, 'fe-other');
        ids.Secret = (await other.group('Other Secret', [(await other.user('eve@other.test')).id])).id;
      });

      it('lists the tenant directory’s groups, with roles and users on request', async () => {
        const plain = await as(tokens.acme, { url: GROUPS });
        expect(plain.statusCode, show(plain)).toBe(200);
        expect(plain.json()).toEqual({ groups: [group('Engineering'), group('Empty')] });

        const full = await as(tokens.acme, { url: `${GROUPS}?_groupsRelations=rolesAndUsers` });
        expect(full.statusCode).toBe(200);
        const users = [
          { id: ids.ann, email: 'ann@acme.test', name: 'Ann Lee' },
          { id: ids.bob, email: 'bob@acme.test', name: 'bob@acme.test' },
        ].sort((a, b) => a.id.localeCompare(b.id));
        expect(full.json()).toEqual({ groups: [{ ...group('Engineering'), roles: [], users }, { ...group('Empty'), roles: [], users: [] }] });
        expect((await as(tokens.acme, { url: `${GROUPS}?_groupsRelations=users` })).json().groups[0]).toEqual({ ...group('Engineering'), users });
        expect((await as(tokens.acme, { url: `${GROUPS}/${ids.Engineering}?_groupsRelations=roles` })).json()).toEqual({ ...group('Engineering'), roles: [] });
        expect((await as(tokens.acme, { url: `${GROUPS}?_groupsRelations=everything` })).statusCode).toBe(400);
      });

      it('adds and removes roles as the provider does, and the members’ roles follow', async () => {
        const added = await roles('POST', ids.Engineering, ['admin']);
        expect(added.statusCode, show(added)).toBe(201);
        expect(added.json()).toEqual({
          ...group('Engineering'),
          roles: [{ id: 'admin', key: 'admin', name: 'Admin', description: expect.any(String), isDefault: false, permissions: [READ, WRITE, DELETE], createdAt: expect.any(String), updatedAt: expect.any(String) }],
        });
        expect((await getJson(t, `/api/v1/users/${ids.ann}`)).roles).toEqual(['admin', 'read-only']);
        expect((await getJson(t, `/api/v1/tenants/fe-acme/groups/${ids.Engineering}/roles`)).roleKeys).toEqual(['admin']);

        // Adding keeps the roles the group has; the provider adds every desired role, held already or not.
        const more = await roles('POST', ids.Engineering, ['read-only']);
        expect(more.statusCode).toBe(201);
        expect(roleIdsOf(more.json())).toEqual(['admin', 'read-only']);
        const again = await roles('POST', ids.Engineering, ['read-only', 'admin']);
        expect(again.statusCode).toBe(201);
        expect(roleIdsOf(again.json())).toEqual(['admin', 'read-only']);
        const read = await as(tokens.acme, { url: `${GROUPS}/${ids.Engineering}?_groupsRelations=rolesAndUsers` });
        expect(roleIdsOf(read.json())).toEqual(['admin', 'read-only']);
        expect(read.json().users).toHaveLength(2);

        const removed = await roles('DELETE', ids.Engineering, ['admin']);
        expect(removed.statusCode, show(removed)).toBe(200);
        expect(roleIdsOf(removed.json())).toEqual(['read-only']);
        expect((await getJson(t, `/api/v1/users/${ids.ann}`)).roles).toEqual(['read-only']);
        // Removing a role the group does not have changes nothing.
        const noop = await roles('DELETE', ids.Engineering, ['admin']);
        expect(noop.statusCode).toBe(200);
        expect(roleIdsOf(noop.json())).toEqual(['read-only']);

        const audit = (await getJson(t, '/api/v1/audit?tenantId=fe-acme&action=group.roles_updated')).items;
        expect(audit.map((e: { data: unknown }) => e.data)).toEqual([
          { before: ['admin', 'read-only'], after: ['read-only'] },
          { before: ['admin'], after: ['admin', 'read-only'] },
          { before: [], after: ['admin'] },
        ]);
        expect(audit[0]).toMatchObject({ actor: { type: 'user', id: 'admin@customer', tenantId: 'fe-acme' }, target: { type: 'group', id: ids.Engineering } });
        const events = await eventsOf(t, 'fe-acme', ['user.updated'], (items) => items.length >= 4);
        expect(events.filter((e) => e.data.id === ids.ann).map((e) => e.data.roles)).toEqual([['admin', 'read-only'], ['read-only']]);
      });

      it('answers the same through the unprefixed path with an environment token naming the tenant', async () => {
        const env = (tenantId?: string) => ({ authorization: t.auth, ...(tenantId ? { 'frontegg-tenant-id': tenantId } : {}) });
        const viaEnv = await t.app.inject({ url: '/identity/resources/groups/v1?_groupsRelations=rolesAndUsers', headers: env('fe-acme') });
        const viaUser = await as(tokens.acme, { url: `${GROUPS}?_groupsRelations=rolesAndUsers` });
        expect(viaEnv.statusCode).toBe(200);
        expect(viaEnv.body).toBe(viaUser.body);
        expect((await t.app.inject({ url: '/identity/resources/groups/v1', headers: env() })).statusCode).toBe(400);
        const added = await t.app.inject({ method: 'POST', url: `/identity/resources/groups/v1/${ids.Empty}/roles`, headers: env('fe-acme'), payload: { roleIds: ['admin'] } });
        expect(added.statusCode, show(added)).toBe(201);
        const audit = (await getJson(t, '/api/v1/audit?tenantId=fe-acme&action=group.roles_updated')).items;
        expect(audit[0]).toMatchObject({ actor: { type: 'credential' }, target: { id: ids.Empty } });
        expect((await t.app.inject({ method: 'DELETE', url: `/identity/resources/groups/v1/${ids.Empty}/roles`, headers: env('fe-other'), payload: { roleIds: ['admin'] } })).statusCode).toBe(404);
      });

      it('answers unknown groups with 404 and unknown roles with 400 naming them, changing nothing', async () => {
        for (const groupId of ['no-such-group', ids.Secret, ids.Staging]) {
          expect((await as(tokens.acme, { url: `${GROUPS}/${groupId}` })).statusCode, groupId).toBe(404);
          const post = await roles('POST', groupId, ['admin']);
          expect(post.statusCode, groupId).toBe(404);
          expect(post.json()).toMatchObject({ statusCode: 404, code: 'not_found' });
          expect((await roles('DELETE', groupId, ['admin'])).statusCode, groupId).toBe(404);
        }
        expect((await getJson(t, `/api/v1/tenants/fe-other/groups/${ids.Secret}/roles`)).roleKeys).toEqual([]);
        expect((await getJson(t, `/api/v1/tenants/fe-acme/groups/${ids.Staging}/roles`)).roleKeys).toEqual([]);

        const unknown = await roles('POST', ids.Engineering, ['admin', 'nope', 'ghost']);
        expect(unknown.statusCode).toBe(400);
        expect(unknown.json()).toMatchObject({ code: 'validation_failed', field: 'roleIds', message: 'roleIds names roles that do not exist: ghost, nope' });
        expect((await roles('DELETE', ids.Engineering, ['nope'])).json()).toMatchObject({ statusCode: 400, field: 'roleIds' });
        for (const body of [[], 'admin', [5]]) expect((await roles('POST', ids.Engineering, body)).statusCode, JSON.stringify(body)).toBe(400);
        expect((await as(tokens.acme, { method: 'POST', url: `${GROUPS}/${ids.Engineering}/roles`, payload: {} })).statusCode).toBe(400);
        expect(roleIdsOf((await as(tokens.acme, { url: `${GROUPS}/${ids.Engineering}?_groupsRelations=roles` })).json())).toEqual(['read-only']);
      });

      it('shows another tenant nothing of this one', async () => {
        const other = await as(tokens.other, { url: `${GROUPS}?_groupsRelations=rolesAndUsers` });
        expect(other.statusCode).toBe(200);
        expect(other.json().groups.map((g: { name: string }) => g.name)).toEqual(['Other Secret']);
        expect(other.body).not.toContain('acme.test');
        expect((await as(tokens.other, { url: `${GROUPS}/${ids.Engineering}` })).statusCode).toBe(404);
        expect((await roles('DELETE', ids.Engineering, ['read-only'], tokens.other)).statusCode).toBe(404);
        expect(roleIdsOf((await as(tokens.acme, { url: `${GROUPS}/${ids.Engineering}?_groupsRelations=roles` })).json())).toEqual(['read-only']);
        // Naming another tenant is refused; a tenant without groups has an empty list.
        expect((await as(tokens.acme, { url: GROUPS, headers: { 'frontegg-tenant-id': 'fe-other' } })).statusCode).toBe(403);
        await createTenant(t, 'fe-empty');
        expect((await as(await mintToken(t, { tenantId: 'fe-empty', permissions: ALL }), { url: GROUPS })).json()).toEqual({ groups: [] });
      });

      it('needs fe.secure.read.groups to read and fe.secure.write.groupsRoles to change roles', async () => {
        const read = await as(tokens.provisioningOnly, { url: GROUPS });
        expect(read.statusCode).toBe(403);
        expect(read.json().message).toBe(`The user token lacks the permission ${READ_GROUPS}`);
        for (const method of ['POST', 'DELETE'] as const) {
          const res = await roles(method, ids.Engineering, ['admin'], tokens.readOnly);
          expect(res.statusCode, method).toBe(403);
          expect(res.json().message).toBe(`The user token lacks the permission ${WRITE_GROUP_ROLES}`);
        }
        expect(roleIdsOf((await as(tokens.readOnly, { url: `${GROUPS}/${ids.Engineering}?_groupsRelations=roles` })).json())).toEqual(['read-only']);
        const permissions = (await getJson(t, '/api/v1/permissions')).items.map((p: { key: string }) => p.key);
        expect(permissions).toEqual(expect.arrayContaining([READ_GROUPS, WRITE_GROUP_ROLES]));
      });
    });
  });
}
