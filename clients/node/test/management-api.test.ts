/**
 * Every namespace method against a real server, once: what each sends reaches the route it names, and
 * what comes back has the documented shape; the server's error answers arrive as typed errors with their
 * code and field. Paged lists are covered in depth by paged-lists.test.ts.
 */
import {
  RollcallConflictError,
  RollcallError,
  RollcallNotFoundError,
  RollcallValidationError,
  type Rollcall,
} from '@rollcall/client';
import { beforeAll, describe, expect, it } from 'vitest';
import { dialectsUnderTest } from '../../../test/support/databases.js';
import { collect, scimWriter, useServer } from './support.js';

/** What `promise` rejected with (fails when it resolved). */
async function rejection(promise: Promise<unknown>): Promise<RollcallError> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(RollcallError);
  return outcome as RollcallError;
}

for (const dialect of dialectsUnderTest()) {
  describe(`management API [${dialect}]`, () => {
    const server = useServer(dialect);
    let rollcall: Rollcall;
    beforeAll(async () => {
      rollcall = server.client();
      await rollcall.tenants.create({ tenantId: 'acme', name: 'Acme' });
    });

    it('tenants: create, get, delete', async () => {
      const created = await rollcall.tenants.create({ name: 'Generated id' });
      expect(created.tenantId).toBeTruthy();
      expect(await rollcall.tenants.get(created.tenantId)).toEqual(created);
      await rollcall.tenants.delete(created.tenantId);
      await expect(rollcall.tenants.get(created.tenantId)).rejects.toBeInstanceOf(RollcallNotFoundError);
    });

    it('connections: create, list, get, update, tokens, IP allowlist, compatibility, delete', async () => {
      const created = await rollcall.connections.create('acme', { source: 'azure-ad', connectionName: 'Entra' });
      expect(created).toMatchObject({ tenantId: 'acme', source: 'azure-ad', syncToUserManagement: true });
      expect(created.token).toBeTruthy();
      expect((await collect(rollcall.connections.list('acme'))).map((c) => c.id)).toContain(created.id);
      expect(await collect(rollcall.connections.list('acme', { source: 'okta' }))).toEqual([]);
      expect((await collect(rollcall.connections.list())).map((c) => c.id)).toContain(created.id);

      await rollcall.connections.update(created.id, { connectionName: 'Entra ID' });
      expect(await rollcall.connections.get(created.id)).toMatchObject({ connectionName: 'Entra ID' });

      const second = await rollcall.connections.tokens.create(created.id, { expiresIn: 3600 });
      expect(second.token).toBeTruthy();
      const tokens = await rollcall.connections.tokens.list(created.id);
      expect(tokens.map((t) => t.id)).toContain(second.id);
      await rollcall.connections.tokens.revoke(created.id, second.id);
      expect((await rollcall.connections.tokens.list(created.id)).map((t) => t.id)).not.toContain(second.id);

      expect(await rollcall.connections.ipAllowlist.get(created.id)).toEqual([]);
      expect(await rollcall.connections.ipAllowlist.set(created.id, ['203.0.113.0/24'])).toEqual(['203.0.113.0/24']);
      expect(await rollcall.connections.ipAllowlist.get(created.id)).toEqual(['203.0.113.0/24']);

      const switches = await rollcall.connections.compatibility.get(created.id);
      expect(switches).toHaveProperty('defaults');
      expect(await rollcall.connections.compatibility.set(created.id, { unquotedFilterValues: !switches.unquotedFilterValues })).toMatchObject({
        unquotedFilterValues: !switches.unquotedFilterValues,
      });

      expect((await rollcall.directory.tenantConnections('acme')).map((c) => c.id)).toContain(created.id);
      await rollcall.connections.delete(created.id, { removeUsersAndGroups: true });
      await expect(rollcall.connections.get(created.id)).rejects.toBeInstanceOf(RollcallNotFoundError);
    });

    it('directory: detached users and groups are deleted one by one or purged', async () => {
      const connection = await rollcall.connections.create('acme', { source: 'okta', connectionName: 'Leaving' });
      const scim = scimWriter(server.baseUrl, connection);
      const ann = await scim.user('ann@acme.test');
      const bob = await scim.user('bob@acme.test');
      const team = await scim.group('Team', [ann]);
      await rollcall.connections.delete(connection.id); // leaves them detached
      expect(await rollcall.directory.user(ann)).toMatchObject({ detached: true });
      await rollcall.directory.deleteUser(ann);
      await rollcall.directory.deleteGroup(team);
      expect(await rollcall.directory.purgeDetached('acme', { connectionId: connection.id })).toEqual({ deletedUsers: 1, deletedGroups: 0 });
      await expect(rollcall.directory.user(bob)).rejects.toBeInstanceOf(RollcallNotFoundError);
      expect(await rollcall.directory.purgeDetached('acme')).toEqual({ deletedUsers: 0, deletedGroups: 0 });
    });

    it('safe deprovisioning: the guard, held changes, release and discard', async () => {
      const connection = await rollcall.connections.create('acme', { source: 'okta', connectionName: 'Guarded' });
      const scim = scimWriter(server.baseUrl, connection);
      const ann = await scim.user('ann@guarded.test');
      const bob = await scim.user('bob@guarded.test');
      expect(await rollcall.connections.deprovisioning.get(connection.id)).toMatchObject({ mode: 'automatic', guard: { enabled: true, maxUsers: 50 }, tripped: false, held: 0 });
      expect(await rollcall.connections.deprovisioning.set(connection.id, { mode: 'review' })).toMatchObject({ mode: 'review' });
      await scim.deleteUser(ann);
      await scim.deleteUser(bob);
      const held = await collect(rollcall.connections.deprovisioning.heldChanges(connection.id, { pageSize: 1 }));
      expect(held.map((c) => [c.userId, c.change])).toEqual([
        [ann, 'deletion'],
        [bob, 'deletion'],
      ]);
      expect(await rollcall.connections.deprovisioning.release(connection.id, [held[0].id])).toEqual({ released: 1, remaining: 1 });
      expect(await rollcall.connections.deprovisioning.discard(connection.id)).toEqual({ discarded: 1, remaining: 0 });
      expect((await collect(rollcall.connections.deprovisioning.heldChanges(connection.id, { status: 'discarded' }))).map((c) => c.userId)).toEqual([bob]);
      await expect(rollcall.directory.user(ann)).rejects.toBeInstanceOf(RollcallNotFoundError);
      expect(await rollcall.directory.user(bob)).toMatchObject({ id: bob, active: true });
    });

    it('roles, permissions and group roles', async () => {
      const permissions = await rollcall.permissions.list();
      expect(permissions.length).toBeGreaterThan(0);
      const role = await rollcall.roles.create({ key: 'auditor', name: 'Auditor', permissions: ['app.write'] });
      expect(role).toMatchObject({ key: 'auditor', permissions: ['app.write'], isDefault: false });
      expect(await rollcall.roles.get('auditor')).toEqual(role);
      expect(await rollcall.roles.update('auditor', { description: 'Can do it all' })).toMatchObject({ description: 'Can do it all' });
      expect((await rollcall.roles.list()).map((r) => r.key)).toContain('auditor');

      const scim = scimWriter(server.baseUrl, await rollcall.connections.create('acme', { source: 'okta', connectionName: 'Roles' }));
      const group = await scim.group('Auditors');
      expect(await rollcall.groupRoles.get('acme', group)).toEqual({ tenantId: 'acme', groupId: group, roleKeys: [] });
      expect(await rollcall.groupRoles.set('acme', group, ['auditor'])).toEqual({ tenantId: 'acme', groupId: group, roleKeys: ['auditor'] });
      await rollcall.groupRoles.set('acme', group, []);
      await rollcall.roles.delete('auditor');
      await expect(rollcall.roles.get('auditor')).rejects.toBeInstanceOf(RollcallNotFoundError);
    });

    it('attributes: the catalogue, a connection’s mappings, their preview and problems', async () => {
      const catalogue = await rollcall.attributes.set({ predefined: ['department'], custom: [{ key: 'seatType', type: 'string' }] });
      expect(catalogue.custom).toMatchObject([{ key: 'seatType', type: 'string' }]);
      expect(await rollcall.attributes.get()).toEqual(catalogue);

      const connection = await rollcall.connections.create('acme', { source: 'okta', connectionName: 'Attributes' });
      const mappings = await rollcall.connections.attributeMappings.set(connection.id, { department: 'title' });
      expect(mappings.mappings).toMatchObject({ department: 'title' });
      expect(await rollcall.connections.attributeMappings.get(connection.id)).toEqual(mappings);
      await scimWriter(server.baseUrl, connection).user('attr@acme.test');
      const preview = await rollcall.connections.attributeMappings.preview(connection.id);
      expect(preview.user).not.toBeNull();
      expect(await collect(rollcall.connections.attributeMappings.problems(connection.id, { limit: 1 }))).toEqual([]);
    });

    it('settings and user tokens', async () => {
      const settings = await rollcall.settings.get();
      expect(settings).toHaveProperty('portal');
      expect(await rollcall.settings.update({ selfService: { scimProvisioning: true } })).toMatchObject({ selfService: { scimProvisioning: true } });
      const token = await rollcall.userTokens.create({ tenantId: 'acme', userId: 'admin-1', permissions: ['fe.secure.read.provisioningConfiguration'] });
      expect(token.token).toBeTruthy();
      expect(token.portalUrl).toMatch(/^https?:\/\//);
    });

    it('logs (list, summary, timeseries) and the audit log', async () => {
      await server.t.app.requestLog.flush();
      const logs = await collect(rollcall.logs.list({ tenantId: 'acme', limit: 2 }));
      expect(logs.length).toBeGreaterThan(2); // the SCIM requests of the tests above, over several pages
      expect(await rollcall.logs.summary({ tenantId: 'acme' })).toHaveProperty('items');
      expect(await rollcall.logs.timeseries({ tenantId: 'acme', bucket: '1h' })).toMatchObject({ bucketSeconds: 3600 });
      const audit = await collect(rollcall.audit.list({ tenantId: 'acme', limit: 2 }));
      expect(audit.length).toBeGreaterThan(2); // several pages: the connections and roles written above
      expect(new Set(audit.map((entry) => JSON.stringify(entry))).size).toBe(audit.length);
      expect((await collect(rollcall.audit.list({ action: 'role.created' }))).length).toBe(1);
    });

    describe('typed errors', () => {
      it('a 400 is RollcallValidationError with code validation_failed and the field it is about', async () => {
        const cursor = await rejection(rollcall.events.list({ after: 'not-a-cursor' }));
        expect(cursor).toBeInstanceOf(RollcallValidationError);
        expect(cursor).toMatchObject({ status: 400, code: 'validation_failed', field: 'querystring.after' });
        expect(cursor.message).toMatch(/cursor/);

        const webhook = await rejection(rollcall.webhooks.create({ url: 'ftp://example.test/hook' }));
        expect(webhook).toBeInstanceOf(RollcallValidationError);
        expect(webhook).toMatchObject({ status: 400, code: 'validation_failed', field: 'url' });
        expect(webhook.body).toMatchObject({ statusCode: 400, code: 'validation_failed' });
      });

      it('a 404 is RollcallNotFoundError', async () => {
        const error = await rejection(rollcall.tenants.get('nobody'));
        expect(error).toBeInstanceOf(RollcallNotFoundError);
        expect(error).toMatchObject({ status: 404, code: 'not_found', name: 'RollcallNotFoundError' });
        await expect(rollcall.directory.user('no-such-user')).rejects.toBeInstanceOf(RollcallNotFoundError);
      });

      it('a 409 is RollcallConflictError: a tenant id taken, a live user deleted', async () => {
        const taken = await rejection(rollcall.tenants.create({ tenantId: 'acme', name: 'Again' }));
        expect(taken).toBeInstanceOf(RollcallConflictError);
        expect(taken).toMatchObject({ status: 409, code: 'conflict' });

        const scim = scimWriter(server.baseUrl, await rollcall.connections.create('acme', { source: 'okta', connectionName: 'Okta' }));
        const live = await rejection(rollcall.directory.deleteUser(await scim.user('ann@acme.test')));
        expect(live).toBeInstanceOf(RollcallConflictError);
        expect(live.message).toMatch(/identity provider/);
      });
    });
  });
}
