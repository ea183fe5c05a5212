import { describe, expect, it } from 'vitest';
import { dialectsUnderTest } from './support/databases.js';
import { createConnection, createTenant } from './support/fixtures.js';
import { useTestApp } from './support/test-app.js';

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

for (const dialect of dialectsUnderTest()) {
  describe(`event feed [${dialect}]`, () => {
    const t = useTestApp(dialect);
    let conn: { id: string; token: string };
    const scim = (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, payload?: unknown, c = conn) =>
      t.app.inject({ method, url: `/directory/resources/scim/v2.0/${c.id}${path}`, headers: { authorization: `Bearer ${c.token}` }, payload: payload as object });
    const feed = async (query = '') => {
      const res = await t.app.inject({ url: `/api/v1/events?${query.includes('limit=') ? query : `limit=1000&${query}`}`, headers: { authorization: t.auth } });
      expect(res.statusCode).toBe(200);
      return res.json<{ items: { type: string; tenantId: string; connectionId: string; data: Record<string, unknown>; id: string; occurredAt: string }[]; nextCursor: string }>();
    };

    it('writes one event per change, in order, with the normalised resource', async () => {
      await createTenant(t, 'ev');
      conn = await createConnection(t, 'ev');
      const user = (await scim('POST', '/Users', { userName: 'ev@x.test', name: { givenName: 'Eve', familyName: 'Vent' }, emails: [{ value: 'EV@x.test', primary: true }] })).json();
      await scim('PATCH', `/Users/${user.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 'CTO' }] });
      await scim('PATCH', `/Users/${user.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: false }] });
      await scim('PATCH', `/Users/${user.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: true }] });
      const group = (await scim('POST', '/Groups', { displayName: 'Ev group', members: [{ value: user.id }] })).json();
      await scim('PATCH', `/Groups/${group.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'displayName', value: 'Renamed' }] });
      await scim('DELETE', `/Users/${user.id}`);
      await scim('DELETE', `/Groups/${group.id}`);
      const { items: all } = await feed('tenantId=ev');
      expect(all[0]).toMatchObject({ type: 'connection.created', connectionId: conn.id });
      const items = all.slice(1);
      expect(items.map((e) => e.type)).toEqual([
        'user.created',
        'user.updated',
        'user.deactivated',
        'user.reactivated',
        'group.created',
        'group.user_added',
        'group.updated',
        'group.user_removed',
        'user.deleted',
        'group.deleted',
      ]);
      expect(items[0]).toMatchObject({ tenantId: 'ev', connectionId: conn.id, data: { id: user.id, userName: 'ev@x.test', email: 'EV@x.test', firstName: 'Eve', lastName: 'Vent', active: true } });
      expect(items[1].data.changedAttributes).toEqual(['title']);
      expect(items[5].data).toEqual({ groupId: group.id, userId: user.id });
      expect(items[6].data).toMatchObject({ displayName: 'Renamed', changedAttributes: ['displayName'] });
    });

    it('a failed request leaves no event; a no-op change writes none', async () => {
      const before = (await feed('tenantId=ev')).items.length;
      await scim('POST', '/Users', { userName: 'dup@x.test' });
      const again = await scim('POST', '/Users', { userName: 'DUP@x.test' });
      expect(again.statusCode).toBe(409);
      const user = (await scim('GET', `/Users?filter=${encodeURIComponent('userName eq "dup@x.test"')}`)).json().Resources[0];
      const bad = await scim('PATCH', `/Users/${user.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 'X' }, { op: 'replace', path: 'nope', value: 1 }] });
      expect(bad.statusCode).toBe(400);
      await scim('PATCH', `/Users/${user.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: true }] });
      const after = (await feed('tenantId=ev')).items;
      expect(after.length - before).toBe(1);
      expect(after.at(-1)!.type).toBe('user.created');
    });

    it('pages with cursors without gaps or repeats, and filters by type', async () => {
      const all = (await feed()).items.map((e) => e.id);
      const seen: string[] = [];
      let cursor = '';
      for (let i = 0; i < 50; i++) {
        const page = await feed(`limit=3${cursor ? `&after=${cursor}` : ''}`);
        if (page.items.length === 0) {
          expect(page.nextCursor).toBe(cursor);
          break;
        }
        seen.push(...page.items.map((e) => e.id));
        cursor = page.nextCursor;
      }
      expect(seen).toEqual(all);
      const deletions = await feed('types=user.deleted,group.deleted');
      expect(deletions.items.map((e) => e.type)).toEqual(['user.deleted', 'group.deleted']);
      const bad = await t.app.inject({ url: '/api/v1/events?types=user.exploded', headers: { authorization: t.auth } });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().field).toBe('querystring.types');
      expect((await t.app.inject({ url: '/api/v1/events?after=garbage', headers: { authorization: t.auth } })).statusCode).toBe(400);
    });

    it('reads newest first with order=desc, its cursor continuing to older events; other orders are a 400', async () => {
      const all = (await feed()).items.map((e) => e.id);
      expect(all.length).toBeGreaterThan(6);
      const seen: string[] = [];
      let cursor = '';
      for (let i = 0; i < 50; i++) {
        const page = await feed(`order=desc&limit=4${cursor ? `&after=${cursor}` : ''}`);
        if (page.items.length === 0) {
          expect(page.nextCursor).toBe(cursor);
          break;
        }
        seen.push(...page.items.map((e) => e.id));
        cursor = page.nextCursor;
      }
      expect(seen).toEqual([...all].reverse());
      // Filters apply as oldest first; an empty feed keeps its starting cursor.
      const deletions = await feed('order=desc&types=user.deleted,group.deleted&tenantId=ev');
      expect(deletions.items.map((e) => e.type)).toEqual(['group.deleted', 'user.deleted']);
      const none = await feed('order=desc&tenantId=someone-else');
      expect(none.items).toEqual([]);
      expect((await feed(`order=desc&tenantId=someone-else&after=${none.nextCursor}`)).items).toEqual([]);
      const bad = await t.app.inject({ url: '/api/v1/events?order=newest', headers: { authorization: t.auth } });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().field).toBe('querystring.order');
    });

    it('a staging connection (syncToUserManagement false) emits nothing', async () => {
      const staging = await createConnection(t, 'ev', 'okta', false);
      const before = (await feed('tenantId=ev')).items.length;
      await scim('POST', '/Users', { userName: 'staged@x.test' }, staging);
      expect((await feed('tenantId=ev')).items.length).toBe(before);
    });

    it('connections emit connection.created / connection.deleted, and removing their data emits *.deleted', async () => {
      await createTenant(t, 'ev-conn');
      const c = await createConnection(t, 'ev-conn');
      const user = (await scim('POST', '/Users', { userName: 'gone@x.test' }, c)).json();
      const group = (await scim('POST', '/Groups', { displayName: 'Gone' }, c)).json();
      const res = await t.app.inject({ method: 'DELETE', url: `/directory/resources/v1/configurations/scim2/${c.id}?removeUsersAndGroups=true`, headers: { authorization: t.auth } });
      expect(res.statusCode).toBe(204);
      const { items } = await feed('tenantId=ev-conn');
      expect(items.map((e) => e.type)).toEqual(['connection.created', 'user.created', 'group.created', 'user.deleted', 'group.deleted', 'connection.deleted']);
      expect(items[3].data.id).toBe(user.id);
      expect(items[4].data.id).toBe(group.id);
      expect(items[5].data).toMatchObject({ id: c.id, removeUsersAndGroups: true });
      expect(items[0].data).not.toHaveProperty('token');
    });

    it('another tenant sees nothing of these events', async () => {
      expect((await feed('tenantId=someone-else')).items).toEqual([]);
    });
  });
}
