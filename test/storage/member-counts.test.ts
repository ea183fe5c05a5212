/**
 * Each group's kept member count (scim_member_counts, migration 0017) is its number of member rows
 * after members come and go through every path there is — SCIM creates, PATCH (PostgreSQL's one-
 * statement and guarded paths among them), PUT, Bulk, user and group deletion, connection deletion
 * with and without its data, purging detached data, tenant deletion — on every database; a deleted
 * group leaves no count behind, and another tenant's groups are never counted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionStore } from '../../src/connections/store.js';
import type { DialectName, Db } from '../../src/db/open.js';
import { DetachedRemoval } from '../../src/directory/removal.js';
import { DirectoryStore } from '../../src/directory/store.js';
import { TenantStore } from '../../src/tenants/store.js';
import { dialectsUnderTest, storeTestDatabase } from '../support/databases.js';
import { addConnection, addTenant, BASE, BULK, closeStorage, GROUP, PATCH_OP, services, USER, type Services } from './scim-world.js';

const NOW = '2026-11-29T00:00:00.000Z';

/** Every group's member rows beside its kept count, and the count rows of groups that no longer exist. */
async function memberCounts(db: Db): Promise<{ wrong: Record<string, { rows: number; kept: number }>; orphans: string[] }> {
  const rows = new Map<string, number>();
  for (const r of await db.kysely.selectFrom('scim_group_members').select(['group_id', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('group_id').execute()) rows.set(r.group_id, Number(r.n));
  const kept = new Map<string, number>();
  for (const r of await db.kysely.selectFrom('scim_member_counts').select(['group_id', 'n']).execute()) kept.set(r.group_id, Number(r.n));
  const groups = new Set((await db.kysely.selectFrom('scim_groups').select('id').execute()).map((g) => g.id));
  const wrong: Record<string, { rows: number; kept: number }> = {};
  for (const id of groups) if ((rows.get(id) ?? 0) !== (kept.get(id) ?? 0)) wrong[id] = { rows: rows.get(id) ?? 0, kept: kept.get(id) ?? 0 };
  return { wrong, orphans: [...kept.keys()].filter((id) => !groups.has(id)) };
}

async function expectExact(db: Db): Promise<void> {
  expect(await memberCounts(db)).toEqual({ wrong: {}, orphans: [] });
}

function memberCountsOnEveryPath(dialect: DialectName): void {
  describe(`kept member counts through every membership path [${dialect}]`, () => {
    let opened: Awaited<ReturnType<typeof storeTestDatabase>> | undefined;
    let db: Db;
    let svc: Services;
    const countOf = async (tenantId: string, groupId: string) => (await new DirectoryStore(db.kysely).memberCounts(tenantId, [groupId])).get(groupId);

    beforeAll(async () => {
      opened = await storeTestDatabase(dialect, []);
      db = opened.db;
      svc = services(db);
    });
    afterAll(async () => {
      if (svc) await closeStorage(svc.storage);
      await opened?.close();
    });

    it('counts members added and removed by SCIM creates, PATCH, PUT, Bulk and deletes', async () => {
      const scope = await addConnection(db, 't', 'paths');
      const users = await Promise.all(Array.from({ length: 12 }, (_, i) => svc.users.create(scope, BASE, { schemas: [USER], userName: `m${i}` })));
      const ids = users.map((u) => u.resource.id as string);

      const created = await svc.groups.create(scope, BASE, { schemas: [GROUP], displayName: 'Created', members: ids.slice(0, 3).map((value) => ({ value })) });
      const group = created.resource.id as string;
      expect(await countOf('t', group)).toBe(3);

      // PATCH: one member, many, some already members, a removal by filter, a removal of all.
      const patch = (Operations: object[]) => svc.groups.patch(scope, BASE, group, { schemas: [PATCH_OP], Operations });
      await patch([{ op: 'add', path: 'members', value: [{ value: ids[3] }] }]);
      expect(await countOf('t', group)).toBe(4);
      await patch([{ op: 'add', path: 'members', value: ids.slice(2, 9).map((value) => ({ value })) }]);
      expect(await countOf('t', group)).toBe(9);
      await patch([{ op: 'remove', path: `members[value eq "${ids[0]}"]` }]);
      expect(await countOf('t', group)).toBe(8);
      await patch([{ op: 'replace', path: 'members', value: ids.slice(0, 2).map((value) => ({ value })) }]);
      expect(await countOf('t', group)).toBe(2);
      await patch([{ op: 'remove', path: 'members' }]);
      expect(await countOf('t', group)).toBe(0);

      // PUT replaces the members; a nested group counts as a member.
      const nested = (await svc.groups.create(scope, BASE, { schemas: [GROUP], displayName: 'Nested' })).resource.id as string;
      await svc.groups.replace(scope, BASE, group, { schemas: [GROUP], displayName: 'Created', members: [...ids.slice(4, 8).map((value) => ({ value })), { value: nested }] });
      expect(await countOf('t', group)).toBe(5);

      // Bulk: a group created with members, then PATCHed.
      const bulk = await svc.bulk.execute(
        scope,
        BASE,
        {
          schemas: [BULK],
          Operations: [
            { method: 'POST', path: '/Groups', bulkId: 'g', data: { schemas: [GROUP], displayName: 'Bulk', members: ids.slice(0, 6).map((value) => ({ value })) } },
            { method: 'PATCH', path: '/Groups/bulkId:g', data: { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: ids[10] }] }] } },
          ],
        },
        100,
      );
      expect(bulk.map((r) => r.status)).toEqual(['201', '200']);
      await expectExact(db);

      // Deleting a user takes it out of every group; deleting a group (itself a member elsewhere) leaves no count.
      await svc.users.delete(scope, ids[5]);
      await svc.groups.delete(scope, nested);
      expect(await countOf('t', group)).toBe(3);
      await expectExact(db);
      await svc.groups.delete(scope, group);
      expect(await countOf('t', group)).toBe(0);
      await expectExact(db);
    });

    it('stays exact through concurrent PATCHes of one group', async () => {
      const scope = await addConnection(db, 't', 'concurrent');
      const users = await Promise.all(Array.from({ length: 20 }, (_, i) => svc.users.create(scope, BASE, { schemas: [USER], userName: `c${i}` })));
      const group = (await svc.groups.create(scope, BASE, { schemas: [GROUP], displayName: 'Busy' })).resource.id as string;
      await Promise.all(users.map((u) => svc.groups.patch(scope, BASE, group, { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: u.resource.id }] }] })));
      expect(await countOf('t', group)).toBe(20);
      await Promise.all(users.slice(0, 7).map((u) => svc.groups.patch(scope, BASE, group, { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: `members[value eq "${u.resource.id as string}"]` }] })));
      expect(await countOf('t', group)).toBe(13);
      await expectExact(db);
    });

    it('follows connection deletion, detached data and its purge, and tenant deletion; another tenant is never counted', async () => {
      const connections = new ConnectionStore(db.kysely, db.dialect);
      const fill = async (scope: { tenantId: string; connectionId: string; emitEvents?: boolean }) => {
        const users = await Promise.all(Array.from({ length: 4 }, (_, i) => svc.users.create(scope, BASE, { schemas: [USER], userName: `f${i}` })));
        return (await svc.groups.create(scope, BASE, { schemas: [GROUP], displayName: 'G', members: users.map((u) => ({ value: u.resource.id })) })).resource.id as string;
      };
      await addTenant(db, 'other');
      await addTenant(db, 'gone');
      const removed = await addConnection(db, 't', 'removed');
      const detached = await addConnection(db, 't', 'detached');
      const foreign = await addConnection(db, 'other', 'foreign');
      const ofGone = await addConnection(db, 'gone', 'of-gone');
      const [removedGroup, detachedGroup, foreignGroup, goneGroup] = [await fill(removed), await fill(detached), await fill(foreign), await fill(ofGone)];
      await expectExact(db);
      // Asked under another tenant, a group has no count.
      expect(await countOf('t', foreignGroup)).toBe(0);
      expect(await countOf('other', foreignGroup)).toBe(4);

      const options = { events: [], emitResourceEvents: true, now: NOW };
      expect(await connections.delete(removed.connectionId, 't', true, options)).toBe(true);
      expect(await connections.delete(detached.connectionId, 't', false, options)).toBe(true);
      expect(await countOf('t', removedGroup)).toBe(0);
      expect(await countOf('t', detachedGroup)).toBe(4);
      await expectExact(db);

      // Detached data removed by hand: one user, then the rest.
      const removal = new DetachedRemoval(db);
      const detachedUser = (await db.kysely.selectFrom('scim_users').select('id').where('connection_id', '=', detached.connectionId).executeTakeFirstOrThrow()).id;
      expect(await removal.deleteUser('t', detachedUser)).toBe(true);
      expect(await countOf('t', detachedGroup)).toBe(3);
      await removal.purge('t', detached.connectionId);
      expect(await countOf('t', detachedGroup)).toBe(0);
      await expectExact(db);

      expect(await new TenantStore(db.kysely).delete('gone')).toBe(true);
      expect(await countOf('gone', goneGroup)).toBe(0);
      await expectExact(db);
      expect(await countOf('other', foreignGroup)).toBe(4);
    });
  });
}

for (const dialect of dialectsUnderTest()) memberCountsOnEveryPath(dialect);
