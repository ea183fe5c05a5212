/**
 * Role removals as deprovisioning (a member losing its last mapped role, by removal or group
 * deletion), staging connections, and who may read and review a connection's held changes.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { dialectsUnderTest } from '../support/databases.js';
import { createTenant } from '../support/fixtures.js';
import { useTestApp } from '../support/test-app.js';
import { eventsOf, getJson, provisioner, type Provisioner } from '../directory/support.js';
import { READ, WRITE, bearer, mintToken, setSelfService } from '../self-service/support.js';
import { appUser, deactivate, feed, heldOf, PATCH_OP, review, setGuard, settingsOf } from './support.js';

const members = (op: 'add' | 'remove', ...ids: string[]) =>
  op === 'add'
    ? { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: ids.map((value) => ({ value })) }] }
    : { schemas: [PATCH_OP], Operations: ids.map((id) => ({ op: 'remove', path: `members[value eq "${id}"]` })) };

for (const dialect of dialectsUnderTest()) {
  describe(`role removals [${dialect}]`, () => {
    const t = useTestApp(dialect);
    let idp: Provisioner;
    const ids: Record<string, string> = {};
    const mapRoles = async (groupId: string, roleKeys: string[]) => {
      const res = await t.app.inject({ method: 'PUT', url: `/api/v1/tenants/rr/groups/${groupId}/roles`, headers: { authorization: t.auth }, payload: { roleKeys } });
      expect(res.statusCode, res.body).toBe(200);
    };

    beforeAll(async () => {
      await createTenant(t, 'rr');
      idp = await provisioner(t, 'rr');
      for (const name of ['ann', 'bob', 'cid']) ids[name] = (await idp.user(`${name}@rr.test`)).id;
      ids.eng = (await idp.group('Engineering', [ids.ann, ids.bob])).id;
      ids.ops = (await idp.group('Operations', [ids.bob])).id;
      await mapRoles(ids.eng, ['admin']);
      await mapRoles(ids.ops, ['admin']);
      await setGuard(t, idp.id, { mode: 'review' });
    });

    it('holds the removal of a member who loses its last mapped role; the app keeps membership and role', async () => {
      const before = (await feed(t, 'rr')).length;
      expect((await idp.patch(`/Groups/${ids.eng}`, members('remove', ids.ann, ids.bob))).statusCode).toBeLessThan(300);
      // The IdP's view: neither is a member.
      expect(((await idp.get(`/Groups/${ids.eng}`)).json().members ?? []).map((m: any) => m.value)).toEqual([]);
      // Bob keeps admin through Operations: his removal reaches the app. Ann's is held, the first since the last review.
      const events = (await feed(t, 'rr', before + 2)).slice(before);
      expect(events.map((e) => [e.type, e.data.userId])).toEqual([
        ['connection.deprovisioning_held', undefined],
        ['group.user_removed', ids.bob],
      ]);
      const [held] = (await heldOf(t, idp.id)).items;
      expect(held).toMatchObject({ userId: ids.ann, change: 'role_removal', groupId: ids.eng, groupName: 'Engineering', roles: ['admin'] });
      const ann = await appUser(t, ids.ann);
      expect(ann.roles).toEqual(['admin', 'read-only']);
      expect(ann.groups.map((g: any) => g.id)).toEqual([ids.eng]);
      const group = await getJson(t, `/api/v1/groups/${ids.eng}`);
      expect(group.memberCount).toBe(1);
      expect((await getJson(t, `/api/v1/groups/${ids.eng}/members`)).items.map((m: any) => m.id)).toEqual([ids.ann]);
    });

    it('a re-add ends the held removal without events', async () => {
      const before = (await feed(t, 'rr')).length;
      expect((await idp.patch(`/Groups/${ids.eng}`, members('add', ids.ann))).statusCode).toBeLessThan(300);
      expect((await heldOf(t, idp.id)).items).toHaveLength(0);
      expect(await settingsOf(t, idp.id)).toMatchObject({ held: 0 });
      expect((await feed(t, 'rr')).length).toBe(before);
      expect((await appUser(t, ids.ann)).roles).toEqual(['admin', 'read-only']);
    });

    it('releases a removal as its membership and role events, in order', async () => {
      expect((await idp.patch(`/Groups/${ids.eng}`, members('remove', ids.ann))).statusCode).toBeLessThan(300);
      const before = (await feed(t, 'rr')).length;
      await review(t, idp.id, 'release');
      const events = (await feed(t, 'rr', before + 3)).slice(before);
      expect(events.map((e) => e.type)).toEqual(['group.user_removed', 'user.updated', 'connection.deprovisioning_reviewed']);
      expect(events[1].data).toMatchObject({ id: ids.ann, roles: ['read-only'], changedAttributes: ['roles'] });
      expect((await appUser(t, ids.ann)).roles).toEqual(['read-only']);
      expect((await getJson(t, `/api/v1/groups/${ids.eng}/members`)).items).toEqual([]);
    });

    it('holds the role loss of a group deletion; the group deletion itself reaches the app', async () => {
      const before = (await feed(t, 'rr')).length;
      expect((await idp.delete(`/Groups/${ids.ops}`)).statusCode).toBe(204);
      const [held] = (await heldOf(t, idp.id)).items;
      expect(held).toMatchObject({ userId: ids.bob, change: 'role_removal', groupId: ids.ops, roles: ['admin'] });
      expect((await appUser(t, ids.bob)).roles).toEqual(['admin', 'read-only']);
      const groupEvents = await eventsOf(t, 'rr', ['group.deleted'], (events) => events.length > 0);
      expect(groupEvents.map((e) => e.data.id)).toEqual([ids.ops]);
      expect((await feed(t, 'rr')).length).toBe(before + 1); // connection.deprovisioning_held
      await review(t, idp.id, 'release');
      expect((await appUser(t, ids.bob)).roles).toEqual(['read-only']);
    });
  });

  describe(`staging connections and access [${dialect}]`, () => {
    const t = useTestApp(dialect);
    let live: Provisioner;
    let reader = '';
    let writer = '';
    let neighbour = '';

    beforeAll(async () => {
      await createTenant(t, 'sa');
      await createTenant(t, 'sa-other');
      live = await provisioner(t, 'sa');
      await live.user('ann@sa.test');
      await setSelfService(t, true);
      reader = await mintToken(t, { tenantId: 'sa', userId: 'viewer', permissions: [READ] });
      writer = await mintToken(t, { tenantId: 'sa', userId: 'admin', permissions: [READ, WRITE] });
      neighbour = await mintToken(t, { tenantId: 'sa-other', userId: 'intruder', permissions: [READ, WRITE] });
    });

    it('never holds on a staging connection: the app sees none of it anyway', async () => {
      const staging = await provisioner(t, 'sa', false);
      const user = await staging.user('bob@sa.test');
      await setGuard(t, staging.id, { mode: 'review' });
      await deactivate(staging, user.id);
      expect((await staging.delete(`/Users/${user.id}`)).statusCode).toBe(204);
      expect(await settingsOf(t, staging.id)).toMatchObject({ held: 0, tripped: false });
    });

    it('lets the read permission see, the write permission change and review, and no other tenant', async () => {
      const url = `/api/v1/connections/${live.id}`;
      const call = (token: string, method: 'GET' | 'PUT' | 'POST', path: string, payload?: unknown) => t.app.inject({ method, url: `${url}${path}`, headers: bearer(token), payload: payload as never });
      expect((await call(reader, 'GET', '/deprovisioning')).statusCode).toBe(200);
      expect((await call(reader, 'GET', '/held-changes')).statusCode).toBe(200);
      expect((await call(reader, 'PUT', '/deprovisioning', { mode: 'review' })).statusCode).toBe(403);
      expect((await call(reader, 'POST', '/held-changes/release', {})).statusCode).toBe(403);
      expect((await call(reader, 'POST', '/held-changes/discard', {})).statusCode).toBe(403);
      const set = await call(writer, 'PUT', '/deprovisioning', { guard: { maxUsers: 10 } });
      expect(set.statusCode, set.body).toBe(200);
      expect(set.json().guard.maxUsers).toBe(10);
      expect((await call(writer, 'POST', '/held-changes/release', {})).json()).toEqual({ released: 0, remaining: 0 });
      for (const [method, path] of [['GET', '/deprovisioning'], ['PUT', '/deprovisioning'], ['GET', '/held-changes'], ['POST', '/held-changes/release'], ['POST', '/held-changes/discard']] as const) {
        const res = await call(neighbour, method, path, method === 'PUT' ? { mode: 'review' } : method === 'POST' ? {} : undefined);
        expect(res.statusCode, `${method} ${path}`).toBe(404);
      }
      const audit = await getJson(t, '/api/v1/audit?tenantId=sa&action=connection.updated&limit=10');
      expect(audit.items[0]).toMatchObject({ actor: { type: 'user', id: 'admin' }, data: { change: 'deprovisioning.updated', set: { guard: { maxUsers: 10 } } } });
    });

    it('refuses bad settings precisely', async () => {
      for (const payload of [{}, { mode: 'never' }, { guard: { maxPercent: 101 } }, { guard: { windowMinutes: 0 } }, { guard: { maxUsers: -1 } }, { guard: {} }, { extra: true }]) {
        const res = await t.app.inject({ method: 'PUT', url: `/api/v1/connections/${live.id}/deprovisioning`, headers: { authorization: t.auth }, payload });
        expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      }
      const res = await t.app.inject({ method: 'POST', url: `/api/v1/connections/${live.id}/held-changes/release`, headers: { authorization: t.auth }, payload: { ids: [] } });
      expect(res.statusCode).toBe(400);
      expect((await t.app.inject({ url: `/api/v1/connections/${live.id}/held-changes?cursor=bogus`, headers: { authorization: t.auth } })).statusCode).toBe(400);
      expect((await t.app.inject({ url: `/api/v1/connections/nope/deprovisioning`, headers: { authorization: t.auth } })).statusCode).toBe(404);
    });
  });
}
