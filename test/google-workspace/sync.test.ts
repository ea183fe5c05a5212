/**
 * Google Workspace syncs against the local stand-in, on each database: a first sync writes users,
 * groups and memberships through the SCIM store with their events; later syncs write only what
 * changed (renames, suspensions, deletions, membership); chosen groups limit what syncs; rate limits
 * are waited out; a revoked grant stops syncing with a reason until someone authorizes again.
 */
import { describe, expect, it } from 'vitest';
import { dialectsUnderTest } from '../support/databases.js';
import { authorizeServiceAccount, createGoogleConnection, directoryUsers, eventsOf, fastRunner, state, syncNow, useGoogleApp } from './support.js';

/** The Google id a synced user carries (its SCIM externalId). */
const googleId = (user: Record<string, unknown>) => (user.scim as { externalId?: string }).externalId;

const countBy = (items: { type: string }[]) => items.reduce<Record<string, number>>((out, e) => ({ ...out, [e.type]: (out[e.type] ?? 0) + 1 }), {});

describe.each(dialectsUnderTest())('Google Workspace sync (%s)', (dialect) => {
  const g = useGoogleApp(dialect);

  it('writes the directory on the first sync, then only what changed, with the events of each change', async () => {
    const { t, google } = g;
    google.directory.seed({ users: 60, groups: 6, membersPerGroup: 8, seed: 7 });
    const suspended = google.directory.users().filter((u) => u.suspended).length;
    const connection = await createGoogleConnection(t, 'gw-diff');
    // The authorization syncs at once, in the app's process.
    await authorizeServiceAccount(g, connection.id);
    const runner = fastRunner(t);
    const first = (await state(t, connection.id)).lastSync;
    expect(first).toMatchObject({ status: 'succeeded', trigger: 'authorization', error: null });
    expect(first.counts).toMatchObject({ usersCreated: 60, groupsCreated: 6, usersDeleted: 0, groupsDeleted: 0 });
    const users = await directoryUsers(t, connection.id);
    expect(users).toHaveLength(60);
    expect(users.filter((u) => u.active === false)).toHaveLength(suspended);
    const admin = users.find((u) => u.userName === `admin@${google.directory.domain}`)!;
    expect(admin).toMatchObject({ firstName: 'Avery', lastName: 'Admin', email: `admin@${google.directory.domain}`, active: true });
    expect(googleId(admin)).toBe(google.directory.users().find((u) => u.primaryEmail === admin.userName)!.id);
    expect(admin.scim).toMatchObject({ title: 'IT Administrator', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: 'IT', costCenter: 'CC-9000' } });
    // Groups carry their members as Google lists them (users of nested groups included).
    const [group] = google.directory.groups();
    const groups = (await t.app.inject({ url: `/api/v1/connections/${connection.id}/groups?limit=100`, headers: { authorization: t.auth } })).json().items;
    const mine = groups.find((x: { externalId: string }) => x.externalId === group.id);
    const members = (await t.app.inject({ url: `/api/v1/groups/${mine.id}/members?limit=500`, headers: { authorization: t.auth } })).json().items;
    const googleMembers = google.directory.members(group.id).filter((m) => m.type === 'USER');
    expect(members.map(googleId).sort()).toEqual(expect.arrayContaining(googleMembers.map((m) => m.id).sort()));
    const created = countBy(await eventsOf(t, connection.id));
    expect(created['user.created']).toBe(60);
    expect(created['group.created']).toBe(6);

    // Nothing changed at Google: nothing is written.
    const before = (await eventsOf(t, connection.id)).length;
    const idle = await syncNow(runner, connection);
    expect(idle.counts).toEqual({ usersCreated: 0, usersUpdated: 0, usersDeactivated: 0, usersDeleted: 0, groupsCreated: 0, groupsUpdated: 0, groupsDeleted: 0, membersAdded: 0, membersRemoved: 0 });
    expect((await eventsOf(t, connection.id)).length).toBe(before);

    // One of each change.
    const [, renamed, toSuspend, toDelete] = google.directory.users().filter((u) => !u.suspended);
    google.directory.updateUser(renamed.id, { name: { givenName: 'Renamed', familyName: 'Person' } });
    google.directory.suspendUser(toSuspend.id);
    google.directory.deleteUser(toDelete.id);
    const added = google.directory.addUser({ name: { givenName: 'New', familyName: 'Hire' } });
    google.directory.addMember(group.id, added.id);
    const leaving = googleMembers.find((m) => m.id !== toDelete.id)!;
    google.directory.removeMember(group.id, leaving.id);
    google.directory.updateGroup(group.id, { name: 'Renamed group' });
    const doomed = google.directory.groups()[1];
    google.directory.deleteGroup(doomed.id);

    const second = await syncNow(runner, connection);
    expect(second.status).toBe('succeeded');
    expect(second.counts).toMatchObject({ usersCreated: 1, usersUpdated: 1, usersDeactivated: 1, usersDeleted: 1, groupsUpdated: 1, groupsDeleted: 1, groupsCreated: 0 });
    expect(second.counts.membersAdded).toBeGreaterThanOrEqual(1);
    expect(second.counts.membersRemoved).toBeGreaterThanOrEqual(1);
    const changes = countBy((await eventsOf(t, connection.id)).slice(before));
    expect(changes).toMatchObject({ 'user.created': 1, 'user.updated': 1, 'user.deactivated': 1, 'user.deleted': 1, 'group.updated': 1, 'group.deleted': 1 });
    expect(changes['group.user_added']).toBeGreaterThanOrEqual(1);
    expect(changes['group.user_removed']).toBeGreaterThanOrEqual(1);
    const after = await directoryUsers(t, connection.id);
    expect(after.find((u) => googleId(u) === renamed.id)).toMatchObject({ firstName: 'Renamed', lastName: 'Person' });
    expect(after.find((u) => googleId(u) === toSuspend.id)).toMatchObject({ active: false });
    expect(after.find((u) => googleId(u) === toDelete.id)).toBeUndefined();
    const syncs = (await t.app.inject({ url: `/api/v1/connections/${connection.id}/google-workspace/syncs`, headers: { authorization: t.auth } })).json();
    expect(syncs.items.map((s: { status: string }) => s.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect((await state(t, connection.id)).lastSync.counts).toEqual(second.counts);
  });

  it('goes through the deprovisioning guard: suspensions and deletions in review mode are held, and the next sync does not repeat them', async () => {
    const { t, google } = g;
    google.directory.seed({ users: 12, groups: 1, membersPerGroup: 4, seed: 11 });
    const connection = await createGoogleConnection(t, 'gw-held');
    await authorizeServiceAccount(g, connection.id);
    const runner = fastRunner(t);
    const put = await t.app.inject({ method: 'PUT', url: `/api/v1/connections/${connection.id}/deprovisioning`, headers: { authorization: t.auth }, payload: { mode: 'review' } });
    expect(put.statusCode, put.body).toBe(200);
    const [, toSuspend, toDelete] = google.directory.users().filter((u) => !u.suspended);
    google.directory.suspendUser(toSuspend.id);
    google.directory.deleteUser(toDelete.id);
    const before = (await eventsOf(t, connection.id)).length;
    expect((await syncNow(runner, connection)).counts).toMatchObject({ usersDeactivated: 1, usersDeleted: 1 });
    const held = (await t.app.inject({ url: `/api/v1/connections/${connection.id}/held-changes`, headers: { authorization: t.auth } })).json().items;
    // A sync deletes first, then changes.
    expect(held.map((c: { change: string; requestId: string | null }) => [c.change, c.requestId])).toEqual([
      ['deletion', null],
      ['deactivation', null],
    ]);
    expect(countBy((await eventsOf(t, connection.id)).slice(before))).toEqual({ 'connection.deprovisioning_held': 1 });
    const users = await directoryUsers(t, connection.id);
    expect(users.find((u) => googleId(u) === toSuspend.id)).toMatchObject({ active: true });
    expect(users.find((u) => googleId(u) === toDelete.id)).toMatchObject({ active: true });
    // The SCIM rows follow Google: the next sync finds nothing to change and holds nothing more.
    const idle = await syncNow(runner, connection);
    expect(idle.counts).toMatchObject({ usersDeactivated: 0, usersDeleted: 0, usersUpdated: 0 });
    expect((await t.app.inject({ url: `/api/v1/connections/${connection.id}/held-changes`, headers: { authorization: t.auth } })).json().items).toHaveLength(2);
  });

  it('syncs only the chosen groups and their members, and removes what the selection no longer covers', async () => {
    const { t, google } = g;
    google.directory.seed({ users: 40, groups: 4, membersPerGroup: 6, seed: 11 });
    const connection = await createGoogleConnection(t, 'gw-groups');
    await authorizeServiceAccount(g, connection.id);
    expect(await directoryUsers(t, connection.id)).toHaveLength(40);

    const chosen = google.directory.groups()[2];
    const put = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/connections/${connection.id}/google-workspace`,
      headers: { authorization: t.auth },
      payload: { selection: { mode: 'groups', groups: [chosen.email.toUpperCase(), 'no-such-group@example.com'] } },
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json().selection).toEqual({ mode: 'groups', groups: [chosen.email.toLowerCase(), 'no-such-group@example.com'] });
    // A changed selection syncs at once, in the app's process.
    await t.app.services.googleSync.settled();
    const outcome = (await state(t, connection.id)).lastSync;
    expect(outcome.trigger).toBe('manual');
    expect(outcome.status).toBe('succeeded');
    expect(outcome.error).toContain('no-such-group@example.com');
    const memberIds = new Set(google.directory.members(chosen.id).filter((m) => m.type === 'USER').map((m) => m.id));
    const users = await directoryUsers(t, connection.id);
    expect(new Set(users.map(googleId))).toEqual(memberIds);
    const groups = (await t.app.inject({ url: `/api/v1/connections/${connection.id}/groups`, headers: { authorization: t.auth } })).json().items;
    expect(groups.map((x: { externalId: string }) => x.externalId)).toEqual([chosen.id]);
    expect(outcome.counts.groupsDeleted).toBe(3);
    expect(outcome.counts.usersDeleted).toBe(40 - memberIds.size);
  });

  it('waits out rate limits and server errors, and finishes the sync', async () => {
    const { t, google } = g;
    google.directory.seed({ users: 25, groups: 3, membersPerGroup: 4, seed: 3 });
    const connection = await createGoogleConnection(t, 'gw-limits');
    await authorizeServiceAccount(g, connection.id);
    const runner = fastRunner(t);
    for (let i = 0; i < 5; i++) google.directory.addUser({ name: { givenName: 'Late', familyName: `Joiner${i}` } });
    google.directory.addGroup({ name: 'Late group' });
    google.failNext(2, 'rateLimit403', /\/users$/);
    google.failNext(2, 'rateLimit429', /\/groups$/);
    google.failNext(1, 'server500', /\/members$/);
    const before = google.requests.length;
    const outcome = await syncNow(runner, connection);
    expect(outcome.status, outcome.error ?? '').toBe('succeeded');
    expect(outcome.counts).toMatchObject({ usersCreated: 5, groupsCreated: 1 });
    // One page each, asked again after each refusal: the two refusals and the answer.
    const asked = google.requests.slice(before);
    expect(asked.filter((r) => r.path.endsWith('/users'))).toHaveLength(3);
    expect(asked.filter((r) => r.path.endsWith('/groups'))).toHaveLength(3);
    expect(asked.filter((r) => r.path.endsWith('/members'))).toHaveLength(4 + 1);
  });

  it('marks a revoked grant needs_reauthorization with the reason, stops syncing it, and a new authorization resumes', async () => {
    const { t, google } = g;
    google.directory.seed({ users: 10, groups: 1, seed: 5 });
    const connection = await createGoogleConnection(t, 'gw-revoked');
    const authorized = await authorizeServiceAccount(g, connection.id);
    const runner = fastRunner(t);
    google.revokeServiceAccount(authorized.serviceAccountEmail);

    const failed = await syncNow(runner, connection);
    expect(failed.status).toBe('failed');
    expect(failed.error).toContain('unauthorized_client');
    const stopped = await state(t, connection.id);
    expect(stopped).toMatchObject({ status: 'needs_reauthorization', nextSyncAt: null });
    expect(stopped.reason).toContain('Domain-wide delegation');
    // Its users stay as they were; nothing was deleted for want of access.
    expect(await directoryUsers(t, connection.id)).toHaveLength(10);
    const asked = await t.app.inject({ method: 'POST', url: `/api/v1/connections/${connection.id}/google-workspace/sync`, headers: { authorization: t.auth } });
    expect(asked.statusCode).toBe(409);
    expect(asked.json().message).toContain('authorized again');
    expect(await runner.sync({ tenantId: connection.tenantId, connectionId: connection.id })).toBeUndefined();

    await authorizeServiceAccount(g, connection.id);
    const resumed = await state(t, connection.id);
    expect(resumed).toMatchObject({ status: 'active', reason: null });
    expect(resumed.lastSync).toMatchObject({ status: 'succeeded', trigger: 'authorization' });
    expect(await runner.runDue()).toBe(false);
  });

  it('refuses a key Google does not accept, with Google’s reason, and stores nothing', async () => {
    const { t, google } = g;
    const connection = await createGoogleConnection(t, 'gw-badkey');
    const url = `/api/v1/connections/${connection.id}/google-workspace/service-account`;
    const put = (payload: Record<string, unknown>) => t.app.inject({ method: 'PUT', url, headers: { authorization: t.auth }, payload });
    const notJson = await put({ key: '{not json', adminEmail: 'admin@example.com' });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json()).toMatchObject({ field: 'key', message: expect.stringContaining('not JSON') });
    const undelegated = await put({ key: google.serviceAccountKey({ delegatedScopes: [] }), adminEmail: `admin@${google.directory.domain}` });
    expect(undelegated.statusCode).toBe(400);
    expect(undelegated.json().message).toContain('unauthorized_client');
    const someone = google.directory.addUser({ name: { givenName: 'Not', familyName: 'Admin' } });
    const notAdmin = await put({ key: google.serviceAccountKey(), adminEmail: someone.primaryEmail });
    expect(notAdmin.statusCode).toBe(400);
    expect(notAdmin.json().message).toContain(`${someone.primaryEmail} may not read the directory`);
    expect(await state(t, connection.id)).toMatchObject({ status: 'needs_authorization', authMethod: null });
  });
});
