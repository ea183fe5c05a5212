/**
 * The paged lists as async iterators against a real server: every item of every page once, pages fetched
 * only as the caller reads on, for the cursor-paged directory and delivery lists and the offset-paged
 * tenant and webhook lists. The deliveries are real, signed ones, checked with verifyWebhookSignature.
 */
import { verifyWebhookSignature, WEBHOOK_SIGNATURE_HEADER, type Rollcall } from '@rollcall/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialectsUnderTest } from '../../../test/support/databases.js';
import { settle } from '../../../test/webhooks/helpers.js';
import { ok, startReceiver, type Receiver } from '../../../test/webhooks/receiver.js';
import { collect, recordingFetch, scimWriter, useServer, type RecordingFetch } from './support.js';

const USERS = 5;

for (const dialect of dialectsUnderTest()) {
  describe(`paged lists [${dialect}]`, () => {
    const server = useServer(dialect);
    let recorder: RecordingFetch;
    let rollcall: Rollcall;
    let receiver: Receiver;
    let webhook: { id: string; secret: string };
    let connectionId: string;
    let userIds: string[];
    let teamId: string;

    beforeAll(async () => {
      recorder = recordingFetch();
      rollcall = server.client({ fetch: recorder.fetch });
      receiver = await startReceiver(ok);
      for (const id of ['acme', 'globex', 'initech', 'umbrella']) await rollcall.tenants.create({ tenantId: id, name: id });
      // Before the connection: a webhook receives the events written after it.
      webhook = await rollcall.webhooks.create({ url: receiver.url, tenantId: 'acme' });
      await rollcall.webhooks.create({ url: `${receiver.url}/other`, events: ['user.deleted'] });
      const connection = await rollcall.connections.create('acme', { source: 'okta', connectionName: 'Okta' });
      connectionId = connection.id;
      const scim = scimWriter(server.baseUrl, connection);
      userIds = [];
      for (let i = 0; i < USERS; i++) userIds.push(await scim.user(`user${i}@acme.test`));
      teamId = await scim.group('Team', userIds);
      await scim.group('Empty');
    });
    afterAll(() => receiver?.close());

    /** Requests to `path` made while `run` ran. */
    async function pagesOf(path: string | RegExp, run: () => Promise<unknown>): Promise<URL[]> {
      const from = recorder.requests.length;
      await run();
      return recorder.requests.slice(from).map((r) => r.url).filter((url) => (typeof path === 'string' ? url.pathname === path : path.test(url.pathname)));
    }

    it('reads every user of a tenant across pages, each once', async () => {
      let users: { id: string; email: string | null }[] = [];
      const pages = await pagesOf('/api/v1/tenants/acme/users', async () => {
        users = await collect(rollcall.directory.users('acme', { limit: 2 }));
      });
      expect(users.map((u) => u.id).sort()).toEqual([...userIds].sort());
      expect(pages).toHaveLength(3);
      expect(pages[0].searchParams.get('limit')).toBe('2');
      expect(pages[0].searchParams.has('cursor')).toBe(false);
      expect(pages[1].searchParams.get('cursor')).toBeTruthy();
    });

    it('fetches the next page only when the caller reads past the current one', async () => {
      const pages = await pagesOf('/api/v1/tenants/acme/users', async () => {
        for await (const user of rollcall.directory.users('acme', { limit: 2 })) {
          expect(userIds).toContain(user.id);
          break;
        }
      });
      expect(pages).toHaveLength(1);
    });

    it('passes filters through: ids as an array, email', async () => {
      const some = await collect(rollcall.directory.users('acme', { ids: userIds.slice(0, 3), limit: 2 }));
      expect(some.map((u) => u.id).sort()).toEqual(userIds.slice(0, 3).sort());
      const one = await collect(rollcall.directory.users('acme', { email: 'USER3@acme.test' }));
      expect(one.map((u) => u.id)).toEqual([userIds[3]]);
    });

    it('reads groups, a group’s members and one connection’s users and groups across pages', async () => {
      const groups = await collect(rollcall.directory.groups('acme', { limit: 1 }));
      expect(groups.map((g) => g.displayName).sort()).toEqual(['Empty', 'Team']);
      const members = await collect(rollcall.directory.members(teamId, { limit: 2 }));
      expect(members.map((m) => m.id).sort()).toEqual([...userIds].sort());
      expect(await collect(rollcall.directory.connectionUsers(connectionId, { limit: 2 }))).toHaveLength(USERS);
      expect((await collect(rollcall.directory.connectionGroups(connectionId, { limit: 1 }))).map((g) => g.id)).toContain(teamId);
      expect((await rollcall.directory.group(teamId)).memberCount).toBe(USERS);
      expect((await rollcall.directory.user(userIds[0])).groups).toEqual([{ id: teamId, displayName: 'Team' }]);
    });

    it('reads every tenant across offset pages', async () => {
      const pages = await pagesOf('/tenants/resources/tenants/v1', async () => {
        const tenants = await collect(rollcall.tenants.list({ pageSize: 3 }));
        expect(tenants.map((t) => t.tenantId).sort()).toEqual(['acme', 'globex', 'initech', 'umbrella']);
      });
      expect(pages.map((url) => url.searchParams.get('_offset'))).toEqual(['0', '3']);
      expect(await collect(rollcall.tenants.list({ filter: 'glob' }))).toMatchObject([{ tenantId: 'globex' }]);
    });

    it('reads every webhook across offset pages, and a tenant’s', async () => {
      expect(await collect(rollcall.webhooks.list({ pageSize: 1 }))).toHaveLength(2);
      expect((await collect(rollcall.webhooks.list({ tenantId: 'acme' }))).map((w) => w.id)).toEqual([webhook.id]);
    });

    it('reads every delivery of a webhook across pages; each delivery is signed as verifyWebhookSignature expects', async () => {
      await settle(server.t);
      const deliveries = await collect(rollcall.webhooks.deliveries(webhook.id, { limit: 2 }));
      // connection.created, a user.created per user, two group.created and a group.user_added per member.
      expect(deliveries).toHaveLength(1 + USERS + 2 + USERS);
      expect(new Set(deliveries.map((d) => d.id)).size).toBe(deliveries.length);
      expect(deliveries.every((d) => d.status === 'succeeded')).toBe(true);
      // The other webhook only takes user.deleted, which nothing here writes: every request is this one's.
      expect(receiver.received).toHaveLength(deliveries.length);
      for (const request of receiver.received) {
        const header = request.headers[WEBHOOK_SIGNATURE_HEADER.toLowerCase()] as string;
        expect(verifyWebhookSignature(webhook.secret, header, request.body)).toBe(true);
        expect(verifyWebhookSignature(webhook.secret, header, `${request.body} `)).toBe(false);
      }
      const redelivered = await rollcall.webhooks.redeliver(webhook.id, deliveries[0].id);
      expect(redelivered).toMatchObject({ id: deliveries[0].id, status: 'pending' });
    });
  });
}
