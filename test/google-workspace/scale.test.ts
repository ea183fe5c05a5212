/**
 * A whole domain at once, and two processes: a first sync of 10,000 users and 1,000 groups writes each
 * exactly once with its event; two processes asked to sync the same connection run one sync between
 * them, and neither writes what the other did.
 */
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { openDatabase } from '../../src/db/open.js';
import { dialectsUnderTest } from '../support/databases.js';
import { authorizeServiceAccount, createGoogleConnection, eventsOf, fastRunner, state, useGoogleApp } from './support.js';

describe.each(dialectsUnderTest())('Google Workspace at scale and across processes (%s)', (dialect) => {
  const g = useGoogleApp(dialect, 10);

  it('syncs 10,000 users and 1,000 groups on the first sync, each written once', { timeout: 240_000 }, async () => {
    const { t, google } = g;
    google.directory.seed({ users: 10_000, groups: 1_000, membersPerGroup: 25, seed: 42 });
    // Members of the domain (a group may also hold addresses of other domains, which are no users here).
    const domainUsers = new Set(google.directory.users().map((u) => u.id));
    const memberships = google.directory.groups().reduce((n, group) => n + new Set(google.directory.members(group.id).filter((m) => m.type === 'USER' && domainUsers.has(m.id)).map((m) => m.id)).size, 0);
    const connection = await createGoogleConnection(t, 'gw-10k');
    const started = Date.now();
    await authorizeServiceAccount(g, connection.id);
    const seconds = (Date.now() - started) / 1000;
    const { lastSync } = await state(t, connection.id);
    console.log(`first sync of 10,000 users and 1,000 groups (${memberships} memberships) on ${dialect}: ${seconds.toFixed(1)} s`);
    expect(lastSync).toMatchObject({ status: 'succeeded', error: null, counts: { usersCreated: 10_000, groupsCreated: 1_000, usersDeleted: 0 } });
    expect(lastSync.counts.membersAdded).toBeGreaterThanOrEqual(memberships);
    const events = await eventsOf(t, connection.id);
    const created = events.filter((e) => e.type === 'user.created');
    expect(created).toHaveLength(10_000);
    expect(new Set(created.map((e) => e.resource_id)).size).toBe(10_000);
    expect(events.filter((e) => e.type === 'group.created')).toHaveLength(1_000);
  });

  it('runs one sync when two processes are asked at once', async () => {
    const { t, google } = g;
    google.directory.seed({ users: 300, groups: 10, membersPerGroup: 10, seed: 9 });
    const connection = await createGoogleConnection(t, 'gw-two');
    await authorizeServiceAccount(g, connection.id);
    for (let i = 0; i < 200; i++) google.directory.addUser({ name: { givenName: 'Second', familyName: `Wave${i}` } });
    const before = (await eventsOf(t, connection.id)).length;

    // A second process on the same database.
    const db = openDatabase(t.database.url, { poolSize: 5 });
    const other = await buildApp({ config: t.config, db });
    await other.ready();
    try {
      const asked = await t.app.inject({ method: 'POST', url: `/api/v1/connections/${connection.id}/google-workspace/sync`, headers: { authorization: t.auth } });
      expect(asked.statusCode).toBe(202);
      const here = fastRunner(t);
      const there = other.services.googleSync;
      await Promise.all([here.runDue(), there.runDue(), t.app.services.googleSync.settled()]);
      const syncs = (await t.app.inject({ url: `/api/v1/connections/${connection.id}/google-workspace/syncs`, headers: { authorization: t.auth } })).json().items;
      expect(syncs.map((s: { status: string; trigger: string }) => `${s.trigger}:${s.status}`)).toEqual(['manual:succeeded', 'authorization:succeeded']);
      expect(syncs[0].counts.usersCreated).toBe(200);
      const created = (await eventsOf(t, connection.id)).slice(before).filter((e) => e.type === 'user.created');
      expect(created).toHaveLength(200);
      expect(new Set(created.map((e) => e.resource_id)).size).toBe(200);
    } finally {
      await other.close();
      await db.close();
    }
  });
});
