/** Roles: the seed (once, also under concurrent starts), CRUD, the single default, and audit entries. */
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { openDatabase } from '../../src/db/open.js';
import { dialectsUnderTest } from '../support/databases.js';
import { PUBLIC_URL, openTestDb, useTestApp } from '../support/test-app.js';
import { loadConfig } from '../../src/config.js';
import { DELETE, READ, WRITE, show } from './support.js';

const ROLES = '/api/v1/roles';

for (const dialect of dialectsUnderTest()) {
  describe(`roles [${dialect}]`, () => {
    const t = useTestApp(dialect);
    const env = () => ({ authorization: t.auth });
    const request = (method: string, url: string, payload?: unknown) =>
      t.app.inject({ method: method as 'GET', url, headers: env(), ...(payload !== undefined ? { payload: payload as object } : {}) });

    it('seeds an admin role with the three permissions and a default read-only role', async () => {
      const res = await request('GET', ROLES);
      expect(res.statusCode).toBe(200);
      const roles = res.json().items;
      expect(roles).toHaveLength(2);
      expect(roles.find((r: { key: string }) => r.key === 'admin')).toMatchObject({ name: 'Admin', permissions: [READ, WRITE, DELETE], isDefault: false });
      expect(roles.find((r: { key: string }) => r.key === 'read-only')).toMatchObject({ name: 'Read-only', permissions: [READ], isDefault: true });
      const permissions = (await request('GET', '/api/v1/permissions')).json().items.map((p: { key: string }) => p.key);
      expect(permissions).toEqual([READ, WRITE, DELETE, 'fe.secure.read.groups', 'fe.secure.write.groupsRoles']);
    });

    it('creates, reads, updates and deletes roles', async () => {
      const created = await request('POST', ROLES, { key: 'support', name: ' Support ', description: 'Helps', permissions: [READ, 'app.tickets.read', READ] });
      expect(created.statusCode, show(created)).toBe(201);
      expect(created.json()).toMatchObject({ key: 'support', name: 'Support', description: 'Helps', permissions: [READ, 'app.tickets.read'], isDefault: false });
      expect((await request('GET', `${ROLES}/support`)).json().name).toBe('Support');
      const patched = await request('PATCH', `${ROLES}/support`, { name: 'Customer support', permissions: [READ, WRITE], description: null });
      expect(patched.statusCode).toBe(200);
      expect(patched.json()).toMatchObject({ key: 'support', name: 'Customer support', description: null, permissions: [READ, WRITE] });
      expect((await request('DELETE', `${ROLES}/support`)).statusCode).toBe(204);
      expect((await request('GET', `${ROLES}/support`)).statusCode).toBe(404);
      expect((await request('DELETE', `${ROLES}/support`)).statusCode).toBe(404);
      expect((await request('PATCH', `${ROLES}/support`, { name: 'x' })).statusCode).toBe(404);
    });

    it('refuses a taken key and malformed roles', async () => {
      const taken = await request('POST', ROLES, { key: 'admin', name: 'Again', permissions: [] });
      expect(taken.statusCode).toBe(409);
      expect(taken.json().field).toBe('key');
      for (const body of [
        { key: 'bad key', name: 'x', permissions: [] },
        { key: 'x', name: '', permissions: [] },
        { key: 'x', name: 'x' },
        { key: 'x', name: 'x', permissions: ['with space'] },
        { key: 'x', name: 'x', permissions: [READ], unknown: true },
        { key: 'x', name: 'x', permissions: [READ], isDefault: 'yes' },
      ]) {
        expect((await request('POST', ROLES, body)).statusCode, JSON.stringify(body)).toBe(400);
      }
      expect((await request('PATCH', `${ROLES}/admin`, {})).statusCode).toBe(400);
      expect((await request('PATCH', `${ROLES}/admin`, { key: 'renamed' })).statusCode).toBe(400);
    });

    it('keeps at most one default role', async () => {
      const created = await request('POST', ROLES, { key: 'member', name: 'Member', permissions: [READ], isDefault: true });
      expect(created.json().isDefault).toBe(true);
      const defaults = async () => (await request('GET', ROLES)).json().items.filter((r: { isDefault: boolean }) => r.isDefault).map((r: { key: string }) => r.key);
      expect(await defaults()).toEqual(['member']);
      await request('PATCH', `${ROLES}/read-only`, { isDefault: true });
      expect(await defaults()).toEqual(['read-only']);
      await request('PATCH', `${ROLES}/read-only`, { isDefault: false });
      expect(await defaults()).toEqual([]);
      await request('PATCH', `${ROLES}/read-only`, { isDefault: true });
      await request('DELETE', `${ROLES}/member`);
      // Concurrent attempts to become the default: the database keeps one.
      const racers = ['race-a', 'race-b', 'race-c'];
      await Promise.all(racers.map((key) => request('POST', ROLES, { key, name: key, permissions: [] })));
      const results = await Promise.all(racers.map((key) => request('PATCH', `${ROLES}/${key}`, { isDefault: true })));
      for (const res of results) expect([200, 409]).toContain(res.statusCode);
      expect(await defaults()).toHaveLength(1);
      for (const key of racers) await request('DELETE', `${ROLES}/${key}`);
      await request('PATCH', `${ROLES}/read-only`, { isDefault: true });
      expect(await defaults()).toEqual(['read-only']);
    });

    it('writes an audit entry for every role change, naming the credential', async () => {
      await request('POST', ROLES, { key: 'audited', name: 'Audited', permissions: [READ] });
      await request('PATCH', `${ROLES}/audited`, { permissions: [READ, WRITE] });
      await request('DELETE', `${ROLES}/audited`);
      const entries = (await request('GET', '/api/v1/audit?limit=3')).json().items;
      expect(entries.map((e: { action: string }) => e.action)).toEqual(['role.deleted', 'role.updated', 'role.created']);
      for (const entry of entries) {
        expect(entry).toMatchObject({ tenantId: null, target: { type: 'role', id: 'audited' }, actor: { type: 'credential', id: expect.any(String), clientId: expect.any(String) } });
      }
      expect(entries[1].data).toMatchObject({ before: { permissions: [READ] }, after: { permissions: [READ, WRITE] } });
    });
  });

  describe(`role seeding across starts [${dialect}]`, () => {
    it('seeds exactly once when several instances start together, and never re-seeds a deleted role', async () => {
      const { db, database } = await openTestDb(dialect);
      const config = loadConfig({ LOG_LEVEL: 'silent', PUBLIC_URL, DATABASE_URL: database.url });
      // Separate connection pools, as separate processes would have.
      const handles = Array.from({ length: 4 }, () => openDatabase(database.url, { poolSize: 2 }));
      try {
        const apps = await Promise.all(handles.map((handle) => buildApp({ config, db: handle })));
        if (dialect === 'postgres') {
          await Promise.all(apps.map((app) => app.ready()));
        } else {
          // better-sqlite3 waits for a lock synchronously, so two handles in one process would block
          // each other's event loop; separate processes are serialised by the file lock instead.
          for (const app of apps) await app.ready();
        }
        const roles = await db.kysely.withTables<{ roles: { key: string; is_default: number } }>().selectFrom('roles').select(['key', 'is_default']).orderBy('key').execute();
        expect(roles).toEqual([{ key: 'admin', is_default: 0 }, { key: 'read-only', is_default: 1 }]);
        await Promise.all(apps.map((app) => app.close()));
        // The vendor deletes a seeded role; later starts leave it deleted.
        await apps[0].services.roles.delete({ type: 'credential', id: 'test', clientId: 'test' }, 'admin');
        const again = await buildApp({ config, db });
        await again.ready();
        expect(await again.services.roles.seedDefaults()).toBe(false);
        expect((await again.services.roles.list()).map((r) => r.key)).toEqual(['read-only']);
        await again.close();
      } finally {
        await Promise.all(handles.map((handle) => handle.close()));
        await db.close();
        await database.drop();
      }
    });
  });
}
