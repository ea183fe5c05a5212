/**
 * Concurrent SCIM writes through the API (app.inject in parallel): uniqueness holds under a
 * race, concurrent membership changes are all kept, and If-Match lets exactly one of two
 * competing writers through.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { dialectsUnderTest } from '../support/databases.js';
import { createTenant } from '../support/fixtures.js';
import { ENTERPRISE_URN, GROUP_URN, USER_URN, newScimClient, patchOp, q, type ScimClient } from '../support/scim-requests.js';
import { useTestApp } from '../support/test-app.js';

type Resource = Record<string, any>;

/** How many responses had each status. */
function tally(statuses: number[]): Record<number, number> {
  const out: Record<number, number> = {};
  for (const s of statuses) out[s] = (out[s] ?? 0) + 1;
  return out;
}

for (const dialect of dialectsUnderTest()) {
  describe(`SCIM under concurrent writes [${dialect}]`, () => {
    const t = useTestApp(dialect);
    let client: ScimClient;

    beforeAll(async () => {
      await createTenant(t, 'race');
      client = await newScimClient(t, 'race');
    });

    it('creates one user out of 20 concurrent POSTs of one userName; the 19 others get 409 uniqueness', async () => {
      for (const [round, name] of [[0, () => 'racer@example.com'], [1, (i: number) => (i % 2 ? 'Racer2@Example.com' : 'RACER2@example.COM')]] as const) {
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) => client.post('/Users', { schemas: [USER_URN], userName: name(i), externalId: `attempt-${round}-${i}` })),
        );
        expect(tally(results.map((r) => r.statusCode))).toEqual({ 201: 1, 409: 19 });
        for (const res of results.filter((r) => r.statusCode === 409)) expect(res.json()).toMatchObject({ status: '409', scimType: 'uniqueness' });
        const winner = results.find((r) => r.statusCode === 201)!.json();
        const found = (await client.get(`/Users?filter=${q(`userName eq "${name(0)}"`)}`)).json();
        expect(found.totalResults).toBe(1);
        expect(found.Resources[0].id).toBe(winner.id);
        expect(found.Resources[0].externalId).toBe(winner.externalId);
      }
      // Same for group displayNames.
      const groups = await Promise.all(Array.from({ length: 20 }, () => client.post('/Groups', { schemas: [GROUP_URN], displayName: 'Race Team' })));
      expect(tally(groups.map((r) => r.statusCode))).toEqual({ 201: 1, 409: 19 });
    });

    it('keeps all 50 members added by 50 concurrent PATCHes to one group', async () => {
      const users = await Promise.all(Array.from({ length: 50 }, (_, i) => client.createUser({ userName: `member${i}` })));
      const group = await client.createGroup({ displayName: 'Crowd' });
      const results = await Promise.all(users.map((u) => client.patch(`/Groups/${group.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: u.id, display: u.userName }] }))));
      expect(tally(results.map((r) => r.statusCode))).toEqual({ 204: 50 });
      const final = await client.get(`/Groups/${group.id}`);
      const members = final.json().members.map((m: Resource) => m.value);
      expect(new Set(members)).toEqual(new Set(users.map((u) => u.id)));
      expect(members).toHaveLength(50);
      // Each change was one version: none was lost or merged.
      expect(final.json().meta.version).toBe('W/"51"');
      // And every user sees the group.
      const inGroup = (await client.get(`/Users?filter=${q(`groups eq "${group.id}"`)}&count=100`)).json();
      expect(inGroup.totalResults).toBe(50);

      // Then 50 concurrent removals leave none.
      const removals = await Promise.all(users.map((u) => client.patch(`/Groups/${group.id}`, patchOp({ op: 'remove', path: `members[value eq "${u.id}"]` }))));
      expect(tally(removals.map((r) => r.statusCode))).toEqual({ 204: 50 });
      expect((await client.get(`/Groups/${group.id}`)).json().members ?? []).toEqual([]);
    });

    it('keeps every attribute of concurrent PATCHes to one user (no lost update)', async () => {
      const user = await client.createUser({ userName: 'many.writers' });
      const fields = ['title', 'nickName', 'userType', 'locale', 'timezone', 'preferredLanguage', 'displayName', 'profileUrl'];
      const results = await Promise.all(
        fields.map((path, i) => client.patch(`/Users/${user.id}`, patchOp({ op: 'add', path, value: path === 'profileUrl' ? 'https://x.test/p' : `v${i}` }))),
      );
      expect(tally(results.map((r) => r.statusCode))).toEqual({ 200: fields.length });
      const emails = await Promise.all(
        Array.from({ length: 6 }, (_, i) => client.patch(`/Users/${user.id}`, patchOp({ op: 'add', path: 'emails', value: [{ value: `e${i}@x.test`, type: 'work' }] }))),
      );
      expect(tally(emails.map((r) => r.statusCode))).toEqual({ 200: 6 });
      const final = (await client.get(`/Users/${user.id}`)).json();
      for (const path of fields) expect(final[path], path).toBeDefined();
      expect(final.emails.map((e: Resource) => e.value).sort()).toEqual(['e0@x.test', 'e1@x.test', 'e2@x.test', 'e3@x.test', 'e4@x.test', 'e5@x.test']);
      expect(final.meta.version).toBe(`W/"${1 + fields.length + 6}"`);
      // The indexed email rows followed every write.
      expect((await client.get(`/Users?filter=${q('emails.value eq "e3@x.test"')}`)).json().totalResults).toBe(1);
    });

    it('lets one of a concurrent PUT and PATCH with the same If-Match win; the other gets 412', async () => {
      for (let round = 0; round < 5; round++) {
        const user = await client.createUser({ userName: `contended${round}`, title: 'original' });
        const etag = user.meta.version as string;
        const [put, patch] = await Promise.all([
          client.put(`/Users/${user.id}`, { schemas: [USER_URN], userName: `contended${round}`, title: 'by PUT', [ENTERPRISE_URN]: { department: 'PUT' } }, { 'if-match': etag }),
          client.patch(`/Users/${user.id}`, patchOp({ op: 'replace', path: 'title', value: 'by PATCH' }), { 'if-match': etag }),
        ]);
        expect([put.statusCode, patch.statusCode].sort()).toEqual([200, 412]);
        const loser = put.statusCode === 412 ? put : patch;
        expect(loser.json()).toMatchObject({ status: '412', schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'] });
        const final = (await client.get(`/Users/${user.id}`)).json();
        expect(final.meta.version).toBe('W/"2"');
        // The resource is exactly the winner's, nothing of the loser mixed in.
        if (put.statusCode === 200) {
          expect(final.title).toBe('by PUT');
          expect(final[ENTERPRISE_URN]).toEqual({ department: 'PUT' });
        } else {
          expect(final.title).toBe('by PATCH');
          expect(final).not.toHaveProperty([ENTERPRISE_URN]);
        }
      }
      // The same race on a group.
      const group = await client.createGroup({ displayName: 'Contended group' });
      const [a, b] = await Promise.all([
        client.put(`/Groups/${group.id}`, { schemas: [GROUP_URN], displayName: 'Renamed by PUT' }, { 'if-match': 'W/"1"' }),
        client.patch(`/Groups/${group.id}`, patchOp({ op: 'replace', path: 'displayName', value: 'Renamed by PATCH' }), { 'if-match': 'W/"1"' }),
      ]);
      // PUT wins: 200 and 412; PATCH wins: 412 and 204 (a group PATCH answers 204).
      expect([[200, 412], [412, 204]]).toContainEqual([a.statusCode, b.statusCode]);
      expect((await client.get(`/Groups/${group.id}`)).json().meta.version).toBe('W/"2"');
    });

    // Across processes (test/reliability/two-processes.test.ts) a write may meet SQLITE_BUSY or a
    // PostgreSQL serialization failure or deadlock: the whole transaction is retried, nothing half-kept.
    it('retries a write that met a transient conflict, and rolls back what the failed attempt did', async () => {
      const scope = { tenantId: 'race', connectionId: client.connectionId, emitEvents: false };
      for (const code of ['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', '40001', '40P01']) {
        let attempts = 0;
        const result = await t.db.dialect.scim.storage(t.db).writes.write(scope, 'conflict', async (stores) => {
          attempts++;
          await stores.trx.insertInto('settings').values({ key: `retry-${code}-${attempts}`, value: 'x', updated_at: new Date().toISOString() }).execute();
          if (attempts === 1) throw Object.assign(new Error('simulated'), { code });
          return 'done';
        });
        expect([code, result, attempts]).toEqual([code, 'done', 2]);
        const kept = await t.db.kysely.selectFrom('settings').select('key').where('key', 'like', `retry-${code}-%`).execute();
        expect(kept.map((r) => r.key)).toEqual([`retry-${code}-2`]);
      }
      // Anything else is not retried.
      let attempts = 0;
      await expect(t.db.dialect.scim.storage(t.db).writes.write(scope, 'conflict', async () => {
        attempts++;
        throw Object.assign(new Error('broken'), { code: 'SQLITE_CORRUPT' });
      })).rejects.toThrow('broken');
      expect(attempts).toBe(1);
    });
  });
}
