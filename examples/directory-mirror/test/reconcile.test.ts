/**
 * reconcile: a mirror restored from an old backup (stale checkpoint, rows wrong, missing and extra,
 * changes made since) is repaired to equal the directory, with the checkpoint at the feed's end, and
 * `follow` continues from there. Against a real Rollcall (in process, over HTTP), on each database.
 */
import { Rollcall } from '@rollcall/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialectsUnderTest } from '../../../test/support/databases.js';
import { createConnection, createTenant } from '../../../test/support/fixtures.js';
import { patchOp, scimClient, type ScimClient } from '../../../test/support/scim-requests.js';
import { useTestApp } from '../../../test/support/test-app.js';
import { follow } from '../src/follow.js';
import type { Log } from '../src/log.js';
import { reconcile } from '../src/reconcile.js';
import { FEED_CHECKPOINT, type MirrorStorage } from '../src/storage/port.js';
import { directoryState, mirrorState, settledFeed, testMirror, waitUntil, wholeFeed } from './harness.js';

const quiet: Log = { event: () => undefined, info: () => undefined, error: () => undefined };

for (const dialect of dialectsUnderTest()) {
  describe(`reconcile [${dialect}]`, () => {
    const t = useTestApp(dialect);
    let rollcall: Rollcall;
    let scim: ScimClient;
    let storage: MirrorStorage;
    let closeMirror: () => Promise<void>;
    const ids: Record<string, string> = {};

    const createUser = async (name: string) => {
      const res = await scim.createUser({ userName: `${name}@example.com`, name: { givenName: name, familyName: 'Doe' }, emails: [{ value: `${name}@example.com`, primary: true }], active: true });
      ids[name] = res.id as string;
    };
    const createGroup = async (name: string, members: string[]) => {
      const res = await scim.createGroup({ displayName: name, members: members.map((m) => ({ value: ids[m] })) });
      ids[name] = res.id as string;
    };
    /** The feed's end once it holds everything written so far: a new connection's event is the marker. */
    const settledEnd = async () => {
      const marker = await createConnection(t, 'acme', 'other');
      return (await settledFeed(rollcall, (e) => e.type === 'connection.created' && e.data.id === marker.id)).at(-1)!.cursor;
    };
    /** Runs follow until the checkpoint reaches the feed's end. */
    const catchUp = async () => {
      const end = await settledEnd();
      const controller = new AbortController();
      const running = follow({ storage, feed: rollcall.events, signal: controller.signal, log: quiet });
      await waitUntil('the mirror to reach the feed end', async () => (await storage.checkpoint(FEED_CHECKPOINT)) === end, 20_000, 50);
      controller.abort();
      await running;
    };

    beforeAll(async () => {
      const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
      const credential = await t.app.services.auth.createCredential('directory-mirror');
      rollcall = new Rollcall({ baseUrl: address, clientId: credential.clientId, secret: credential.secret });
      const tenantId = await createTenant(t, 'acme');
      scim = scimClient(t, await createConnection(t, tenantId, 'okta'));
      ({ storage, close: closeMirror } = await testMirror(dialect));
    });
    afterAll(async () => closeMirror?.());

    it('repairs wrong, missing and extra rows and a stale checkpoint, and follow continues from the feed end', async () => {
      for (const name of ['ann', 'bob', 'cid', 'dee']) await createUser(name);
      await createGroup('eng', ['ann', 'bob']);
      await createGroup('ops', ['cid']);
      await catchUp();
      expect(await mirrorState(storage)).toEqual(await directoryState(rollcall));
      const [first] = await wholeFeed(rollcall);

      // The backup the mirror is restored from: older, and damaged.
      await storage.transaction(async (tx) => {
        await tx.setCheckpoint(FEED_CHECKPOINT, first.cursor);
        const ann = (await tx.users()).find((u) => u.id === ids.ann)!;
        await tx.putUser({ ...ann, firstName: 'Wrong', active: false }, first.occurredAt, 'overwrite'); // wrong
        await tx.deleteUser(ids.bob, first.occurredAt); // missing (with its membership of eng)
        await tx.putUser({ ...ann, id: 'ghost', userName: 'ghost@example.com' }, first.occurredAt, 'overwrite'); // extra
        await tx.putGroup({ id: 'ghost-group', tenantId: 'acme', connectionId: 'gone', displayName: 'Ghost' }, first.occurredAt, 'overwrite'); // extra
        await tx.addMember({ groupId: ids.ops, userId: ids.dee }, first.occurredAt, 'overwrite'); // extra membership
        await tx.removeMember({ groupId: ids.ops, userId: ids.cid }, first.occurredAt, 'overwrite'); // missing membership
      });
      // What happened while the mirror was gone: events past the stale checkpoint it will never replay.
      expect((await scim.patch(`/Users/${ids.cid}`, patchOp({ op: 'replace', value: { name: { givenName: 'Cyd', familyName: 'Doe' } } }))).statusCode).toBe(200);
      expect((await scim.delete(`/Users/${ids.dee}`)).statusCode).toBe(204);
      await createUser('eve');

      const end = await settledEnd();
      const report = await reconcile(storage, rollcall);
      expect(report).toEqual({
        // eve and bob inserted; ann (wrong) and cid (renamed) updated; ghost and dee deleted
        users: { inserted: 2, updated: 2, deleted: 2 },
        groups: { inserted: 0, updated: 0, deleted: 1 },
        // bob's eng and cid's ops back; dee's ops went with dee
        memberships: { inserted: 2, updated: 0, deleted: 0 },
        checkpoint: end,
      });
      expect(await mirrorState(storage)).toEqual(await directoryState(rollcall));
      expect(await storage.checkpoint(FEED_CHECKPOINT)).toBe(end);

      // A second run finds nothing to do.
      expect(await reconcile(storage, rollcall)).toMatchObject({ users: { inserted: 0, updated: 0, deleted: 0 }, groups: { inserted: 0, updated: 0, deleted: 0 }, memberships: { inserted: 0, updated: 0, deleted: 0 } });

      // follow continues after the noted end: later changes arrive, nothing before it is replayed.
      const journalBefore = (await storage.appliedEvents()).length;
      expect((await scim.patch(`/Groups/${ids.eng}`, patchOp({ op: 'add', path: 'members', value: [{ value: ids.eve }] }))).statusCode).toBe(204);
      expect((await scim.delete(`/Groups/${ids.ops}`)).statusCode).toBe(204);
      await catchUp();
      expect(await mirrorState(storage)).toEqual(await directoryState(rollcall));
      const journal = await storage.appliedEvents();
      expect(journal.slice(journalBefore).map((e) => e.type)).toEqual(['group.user_added', 'group.deleted', 'connection.created']);
      expect(journal.every((e) => e.redeliveries === 0)).toBe(true);
    });

    it('points the checkpoint at the start when the feed is empty', async () => {
      const { storage: empty, close } = await testMirror(dialect);
      try {
        await empty.transaction((tx) => tx.setCheckpoint(FEED_CHECKPOINT, 'stale'));
        const noEvents = { ...rollcall, events: { ...rollcall.events, list: async () => ({ items: [], nextCursor: '' }) } } as unknown as Rollcall;
        const report = await reconcile(empty, noEvents);
        expect(report.checkpoint).toBeUndefined();
        expect(await empty.checkpoint(FEED_CHECKPOINT)).toBeUndefined();
        expect(await mirrorState(empty)).toEqual(await directoryState(rollcall));
      } finally {
        await close();
      }
    });
  });
}
