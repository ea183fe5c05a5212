/**
 * The deprovisioning guard: it trips at its line and not below it (count and percentage), holds
 * what follows from the app's view (directory API, events) while the SCIM resources show the IdP's
 * state, lets creates and reactivations through, and is armed again by a review.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { dialectsUnderTest } from '../support/databases.js';
import { createTenant } from '../support/fixtures.js';
import { useTestApp } from '../support/test-app.js';
import { getJson } from '../directory/support.js';
import { appUser, connectionWithUsers, deactivate, feed, heldOf, reactivate, review, setGuard, settingsOf } from './support.js';

const count = (events: { type: string }[], type: string) => events.filter((e) => e.type === type).length;

for (const dialect of dialectsUnderTest()) {
  describe(`deprovisioning guard [${dialect}]`, () => {
    const t = useTestApp(dialect);

    beforeAll(async () => {
      for (const tenant of ['defaults', 'counted', 'percent', 'below']) await createTenant(t, tenant);
    });

    it('is on by default with the documented thresholds', async () => {
      const { idp } = await connectionWithUsers(t, 'defaults', 1);
      const settings = await settingsOf(t, idp.id);
      expect(settings).toMatchObject({ mode: 'automatic', guard: { enabled: true, maxUsers: 50, maxPercent: 20, windowMinutes: 60 }, tripped: false, trippedAt: null, held: 0, differing: 0 });
      expect(settings.window).toMatchObject({ deprovisioned: 0, activeUsers: 1 });
    });

    it('trips on the change that crosses the user count, and holds it and what follows', async () => {
      const { idp, users } = await connectionWithUsers(t, 'counted', 10);
      await setGuard(t, idp.id, { guard: { maxUsers: 3, maxPercent: 10 } });
      for (const user of users.slice(0, 3)) await deactivate(idp, user.id);
      expect((await settingsOf(t, idp.id)).tripped).toBe(false);
      // The fourth crosses "more than 3 users and more than 10 %": held, as the two after it.
      for (const user of users.slice(3, 6)) await deactivate(idp, user.id);
      const settings = await settingsOf(t, idp.id);
      expect(settings).toMatchObject({ tripped: true, held: 3 });
      const held = await heldOf(t, idp.id);
      expect(held.items.map((c: any) => [c.userId, c.change, c.status])).toEqual(users.slice(3, 6).map((u) => [u.id, 'deactivation', 'held']));
      expect(held.items[0]).toMatchObject({ userName: 'u3@counted.test', displayName: 'User 3', groupId: null, roles: [] });
      expect(typeof held.items[0].requestId).toBe('string');

      // The IdP sees its change applied; the app does not.
      for (const user of users.slice(0, 6)) expect((await idp.get(`/Users/${user.id}`)).json().active).toBe(false);
      for (const user of users.slice(0, 3)) expect((await appUser(t, user.id)).active).toBe(false);
      for (const user of users.slice(3, 6)) expect(await appUser(t, user.id)).toMatchObject({ active: true, scim: { active: true } });
      const events = await feed(t, 'counted', 10 + 3 + 1);
      expect(count(events, 'user.deactivated')).toBe(3);
      expect(events.filter((e) => e.type === 'user.deactivated').map((e) => e.data.id)).toEqual(users.slice(0, 3).map((u) => u.id));
      const tripped = events.filter((e) => e.type === 'connection.deprovisioning_held');
      expect(tripped).toHaveLength(1);
      expect(tripped[0].data).toMatchObject({ connectionId: idp.id, reason: 'guard', deprovisioned: 4, guard: { maxUsers: 3, maxPercent: 10 } });

      // The app's lists agree: active=true still finds the held users, active=false does not.
      const active = await getJson(t, `/api/v1/connections/${idp.id}/users?active=true&limit=100`);
      expect(active.items.map((u: any) => u.id).sort()).toEqual(users.slice(3).map((u) => u.id).sort());
      const inactive = await getJson(t, `/api/v1/connections/${idp.id}/users?active=false&limit=100`);
      expect(inactive.items.map((u: any) => u.id).sort()).toEqual(users.slice(0, 3).map((u) => u.id).sort());
      // The request that held a change is in the request log under its id.
      await t.app.requestLog.flush();
      const log = await getJson(t, `/api/v1/logs?requestId=${encodeURIComponent(held.items[0].requestId)}`);
      expect(log.items).toHaveLength(1);
      expect(log.items[0]).toMatchObject({ method: 'PATCH', path: `/Users/${users[3].id}`, status: 200, requestId: held.items[0].requestId });
      // An id Rollcall did not make finds nothing (the id carries when its request started).
      expect((await getJson(t, '/api/v1/logs?requestId=not-a-request')).items).toEqual([]);
    });

    it('trips on the percentage: not at 50 % of 10 users with a 50 % line, at the sixth', async () => {
      const { idp, users } = await connectionWithUsers(t, 'percent', 10);
      await setGuard(t, idp.id, { guard: { maxUsers: 1, maxPercent: 50 } });
      for (const user of users.slice(0, 5)) await deactivate(idp, user.id);
      expect(await settingsOf(t, idp.id)).toMatchObject({ tripped: false, held: 0, window: { deprovisioned: 5, activeUsers: 5 } });
      await deactivate(idp, users[5].id);
      expect(await settingsOf(t, idp.id)).toMatchObject({ tripped: true, held: 1 });
      expect((await appUser(t, users[5].id)).active).toBe(true);
    });

    it('does not trip below the line, nor with the guard off', async () => {
      const { idp, users } = await connectionWithUsers(t, 'below', 8);
      await setGuard(t, idp.id, { guard: { maxUsers: 3, maxPercent: 10 } });
      for (const user of users.slice(0, 3)) await deactivate(idp, user.id);
      expect(await settingsOf(t, idp.id)).toMatchObject({ tripped: false, held: 0 });
      await setGuard(t, idp.id, { guard: { enabled: false } });
      for (const user of users.slice(3, 8)) await deactivate(idp, user.id);
      expect(await settingsOf(t, idp.id)).toMatchObject({ tripped: false, held: 0 });
      const events = await feed(t, 'below', 8 + 8);
      expect(count(events, 'user.deactivated')).toBe(8);
    });
  });

  describe(`while tripped, and reviews [${dialect}]`, () => {
    const t = useTestApp(dialect);
    let idp: Awaited<ReturnType<typeof connectionWithUsers>>['idp'];
    let users: Record<string, any>[];

    beforeAll(async () => {
      await createTenant(t, 'acme');
      ({ idp, users } = await connectionWithUsers(t, 'acme', 10));
      await setGuard(t, idp.id, { guard: { maxUsers: 1, maxPercent: 10 } });
      await deactivate(idp, users[0].id);
      await deactivate(idp, users[1].id); // trips: held
    });

    it('lets creates, renames and reactivations through, and keeps held users active in what they carry', async () => {
      await reactivate(idp, users[0].id); // applied earlier: reactivation flows
      const created = await idp.user('new@acme.test');
      const renamed = await idp.patch(`/Users/${users[1].id}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'displayName', value: 'Renamed One' }] });
      expect(renamed.statusCode).toBe(200);
      const events = await feed(t, 'acme', 15);
      expect(count(events, 'user.reactivated')).toBe(1);
      expect(events.some((e) => e.type === 'user.created' && e.data.id === created.id)).toBe(true);
      const update = events.find((e) => e.type === 'user.updated' && e.data.id === users[1].id);
      expect(update?.data).toMatchObject({ displayName: 'Renamed One', active: true, scim: { active: true }, changedAttributes: ['displayName'] });
      expect(await appUser(t, users[1].id)).toMatchObject({ displayName: 'Renamed One', active: true });
    });

    it('holds a deletion: the SCIM resource is gone, the app still sees the user', async () => {
      expect((await idp.delete(`/Users/${users[2].id}`)).statusCode).toBe(204);
      expect((await idp.get(`/Users/${users[2].id}`)).statusCode).toBe(404);
      expect(await appUser(t, users[2].id)).toMatchObject({ id: users[2].id, active: true });
      const list = await getJson(t, `/api/v1/tenants/acme/users?limit=100`);
      expect(list.items.map((u: any) => u.id)).toContain(users[2].id);
      expect((await heldOf(t, idp.id)).items.map((c: any) => c.change)).toEqual(['deactivation', 'deletion']);
    });

    it('a reactivation ends a held deactivation without an event', async () => {
      await deactivate(idp, users[3].id);
      expect((await heldOf(t, idp.id)).items).toHaveLength(3);
      await reactivate(idp, users[3].id);
      expect((await heldOf(t, idp.id)).items.map((c: any) => c.userId)).toEqual([users[1].id, users[2].id]);
      expect((await settingsOf(t, idp.id)).held).toBe(2);
      const events = await feed(t, 'acme');
      expect(events.filter((e) => e.data?.id === users[3].id && (e.type === 'user.deactivated' || e.type === 'user.reactivated'))).toHaveLength(0);
    });

    it('releases in the order held, with their events, and re-arms the guard', async () => {
      const before = (await feed(t, 'acme')).length;
      const result = await review(t, idp.id, 'release');
      expect(result).toEqual({ released: 2, remaining: 0 });
      const events = (await feed(t, 'acme', before + 3)).slice(before);
      expect(events.map((e) => [e.type, e.data.id ?? e.data.connectionId])).toEqual([
        ['user.deactivated', users[1].id],
        ['user.deleted', users[2].id],
        ['connection.deprovisioning_reviewed', idp.id],
      ]);
      expect(events.at(-1)!.data).toMatchObject({ action: 'released', count: 2, remaining: 0 });
      expect((await appUser(t, users[1].id)).active).toBe(false);
      await appUser(t, users[2].id, 404);
      expect(await settingsOf(t, idp.id)).toMatchObject({ tripped: false, held: 0, window: { deprovisioned: 0 } });
      await review(t, idp.id, 'release', { ids: ['nope'] }, 404);
    });

    it('discards: the app keeps its view until the IdP next changes the user, which then applies as usual', async () => {
      await setGuard(t, idp.id, { mode: 'review' });
      await deactivate(idp, users[4].id);
      const [held] = (await heldOf(t, idp.id)).items;
      expect(held).toMatchObject({ userId: users[4].id, change: 'deactivation' });
      expect(await review(t, idp.id, 'discard', { ids: [held.id] })).toEqual({ discarded: 1, remaining: 0 });
      expect((await appUser(t, users[4].id)).active).toBe(true);
      expect((await heldOf(t, idp.id, 'discarded')).items.map((c: any) => c.userId)).toEqual([users[4].id]);
      expect(await settingsOf(t, idp.id)).toMatchObject({ held: 0, differing: 1 });

      await setGuard(t, idp.id, { mode: 'automatic' });
      const before = (await feed(t, 'acme')).length;
      await idp.patch(`/Users/${users[4].id}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'displayName', value: 'Still Gone' }] });
      const events = (await feed(t, 'acme', before + 2)).slice(before);
      expect(events.map((e) => e.type)).toEqual(['user.updated', 'user.deactivated']);
      expect((await appUser(t, users[4].id)).active).toBe(false);
      expect((await heldOf(t, idp.id, 'discarded')).items).toHaveLength(0);
      expect((await settingsOf(t, idp.id)).differing).toBe(0);
    });

    it('in review mode holds every deactivation and deletion, and says so once', async () => {
      await setGuard(t, idp.id, { mode: 'review' });
      const before = await feed(t, 'acme');
      await deactivate(idp, users[5].id);
      expect((await idp.delete(`/Users/${users[6].id}`)).statusCode).toBe(204);
      const held = (await heldOf(t, idp.id)).items;
      expect(held.map((c: any) => c.change)).toEqual(['deactivation', 'deletion']);
      const events = (await feed(t, 'acme', before.length + 1)).slice(before.length);
      expect(events.map((e) => e.type)).toEqual(['connection.deprovisioning_held']);
      expect(events[0].data).toMatchObject({ reason: 'review' });
      expect(await settingsOf(t, idp.id)).toMatchObject({ mode: 'review', tripped: false, held: 2 });
      await review(t, idp.id, 'discard');
      expect((await appUser(t, users[6].id)).id).toBe(users[6].id);
    });
  });
}
