/**
 * Isolation between connections and tenants through the SCIM API: two tenants, three connections.
 * Nothing of one connection can be seen, changed, deleted or referenced through another; a token
 * works on its own URL only; deleting a connection or a tenant takes effect at once.
 */
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { dialectsUnderTest } from '../support/databases.js';
import { createTenant } from '../support/fixtures.js';
import { GROUP_URN, SCIM_PATH, SEARCH_REQUEST, USER_URN, newScimClient, patchOp, q, type ScimClient } from '../support/scim-requests.js';
import { useTestApp, type TestApp } from '../support/test-app.js';

type Resource = Record<string, any>;
const CONFIGS = '/directory/resources/v1/configurations/scim2';
/**
 * Histories kept for their own retention period rather than with the tenant: the event feed (a
 * vendor must still read the `…deleted` events) and the request log (written in batches, later).
 */
// The audit log outlives what it records: who deleted a tenant is worth keeping after the tenant is gone.
const HISTORY = /^(events|request_logs|audit_log)\./;

/** Every table with a tenant_id or connection_id column, and how many rows in it belong to `tenantId` / `connectionIds`. */
async function rowsOf(t: TestApp, tenantId: string, connectionIds: string[]): Promise<Record<string, number>> {
  const columns =
    t.db.dialect.name === 'sqlite'
      ? (await sql<{ tbl: string; col: string }>`select m.name as tbl, p.name as col from sqlite_master m join pragma_table_info(m.name) p where m.type = 'table' and p.name in ('tenant_id', 'connection_id')`.execute(t.db.kysely)).rows
      : (await sql<{ tbl: string; col: string }>`select table_name as tbl, column_name as col from information_schema.columns where table_schema = current_schema() and column_name in ('tenant_id', 'connection_id')`.execute(t.db.kysely)).rows;
  const out: Record<string, number> = {};
  for (const { tbl, col } of columns) {
    const values = col === 'tenant_id' ? [tenantId] : connectionIds;
    const { rows } = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(tbl)} where ${sql.ref(col)} in (${sql.join(values)})`.execute(t.db.kysely);
    out[`${tbl}.${col}`] = Number(rows[0].n);
  }
  return out;
}

for (const dialect of dialectsUnderTest()) {
  describe(`SCIM isolation between connections and tenants [${dialect}]`, () => {
    const t = useTestApp(dialect);
    let a1: ScimClient; // tenant iso-a
    let a2: ScimClient; // tenant iso-a
    let b1: ScimClient; // tenant iso-b
    const seeded = new Map<ScimClient, { user: Resource; group: Resource }>();

    beforeAll(async () => {
      await createTenant(t, 'iso-a');
      await createTenant(t, 'iso-b');
      a1 = await newScimClient(t, 'iso-a');
      a2 = await newScimClient(t, 'iso-a', 'azure-ad');
      b1 = await newScimClient(t, 'iso-b');
      for (const [i, client] of [a1, a2, b1].entries()) {
        const user = await client.createUser({
          userName: 'Shared@Example.com', externalId: 'ext-shared', title: `secret-title-${i}`, emails: [{ value: 'shared@example.com', type: 'work' }],
        });
        const group = await client.createGroup({ displayName: 'Shared Group', externalId: 'grp-shared', members: [{ value: user.id }] });
        seeded.set(client, { user, group });
      }
    });

    it('allows the same userName and group displayName in each connection', () => {
      const ids = [a1, a2, b1].map((c) => seeded.get(c)!.user.id);
      expect(new Set(ids).size).toBe(3);
      expect(new Set([a1, a2, b1].map((c) => seeded.get(c)!.group.id)).size).toBe(3);
      for (const c of [a1, a2, b1]) expect(seeded.get(c)!.user.userName).toBe('Shared@Example.com');
    });

    it('shows each connection only its own resources', async () => {
      for (const [me, others] of [[a1, [a2, b1]], [a2, [a1, b1]], [b1, [a1, a2]]] as const) {
        const mine = seeded.get(me)!;
        for (const other of others) {
          const theirs = seeded.get(other)!;
          const probes = [
            `/Users/${theirs.user.id}`,
            `/Groups/${theirs.group.id}`,
            `/Users?filter=${q(`id eq "${theirs.user.id}"`)}`,
            `/Users?filter=${q(`groups eq "${theirs.group.id}" or id eq "${theirs.user.id}"`)}`,
            `/Groups?filter=${q(`members eq "${theirs.user.id}" or id eq "${theirs.group.id}"`)}`,
          ];
          for (const path of probes) {
            const res = await me.get(path);
            expect(res.body).not.toContain(theirs.user.title);
            if (res.statusCode === 200) {
              expect(res.json()).toMatchObject({ totalResults: 0, Resources: [] });
            } else {
              // A 404 names the id asked for, and nothing else of it.
              expect(res.statusCode).toBe(404);
              expect(res.body).not.toMatch(/Shared|secret|ext-/);
            }
          }
          const search = await me.post('/Users/.search', { schemas: [SEARCH_REQUEST], filter: `id eq "${theirs.user.id}"` });
          expect(search.json().totalResults).toBe(0);
        }
        // Lookups by shared values find exactly the connection's own resource.
        for (const filter of ['userName eq "shared@example.com"', 'externalId eq "ext-shared"', 'emails.value eq "shared@example.com"']) {
          const res = (await me.get(`/Users?filter=${q(filter)}`)).json();
          expect(res.Resources.map((u: Resource) => u.id)).toEqual([mine.user.id]);
        }
        const groups = (await me.get('/Groups')).json();
        expect(groups.Resources.map((g: Resource) => g.id)).toEqual([mine.group.id]);
        expect(groups.Resources[0].members.map((m: Resource) => m.value)).toEqual([mine.user.id]);
        const users = (await me.get('/Users?count=1000')).json();
        expect(users.Resources.map((u: Resource) => u.id)).toEqual([mine.user.id]);
        expect(users.Resources[0].groups.map((g: Resource) => g.value)).toEqual([mine.group.id]);
      }
    });

    it('lets no connection change, delete or reference another\'s resources', async () => {
      const theirs = seeded.get(a1)!;
      const mine = seeded.get(b1)!;
      for (const attacker of [a2, b1]) {
        const attempts = [
          await attacker.put(`/Users/${theirs.user.id}`, { schemas: [USER_URN], userName: 'hijacked' }),
          await attacker.patch(`/Users/${theirs.user.id}`, patchOp({ op: 'replace', path: 'active', value: false })),
          await attacker.delete(`/Users/${theirs.user.id}`),
          await attacker.put(`/Groups/${theirs.group.id}`, { schemas: [GROUP_URN], displayName: 'hijacked' }),
          await attacker.patch(`/Groups/${theirs.group.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: seeded.get(attacker)!.user.id }] })),
          await attacker.delete(`/Groups/${theirs.group.id}`),
        ];
        for (const res of attempts) {
          expect(res.statusCode).toBe(404);
          expect(res.body).not.toMatch(/Shared|secret|ext-/);
        }
        // Another connection's user or group as a member: a 400, as an unknown id would be.
        const own = seeded.get(attacker)!;
        const addUser = await attacker.patch(`/Groups/${own.group.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: theirs.user.id }] }));
        expect(addUser.statusCode).toBe(400);
        expect(addUser.json().scimType).toBe('invalidValue');
        const addGroup = await attacker.patch(`/Groups/${own.group.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: theirs.group.id }] }));
        expect(addGroup.statusCode).toBe(400);
        const post = await attacker.post('/Groups', { schemas: [GROUP_URN], displayName: 'Smuggler', members: [{ value: theirs.user.id }] });
        expect(post.statusCode).toBe(400);
        const put = await attacker.put(`/Groups/${own.group.id}`, { schemas: [GROUP_URN], displayName: 'Shared Group', members: [{ value: own.user.id }, { value: theirs.user.id }] });
        expect(put.statusCode).toBe(400);
        // Removing a foreign member changes nothing on either side.
        await attacker.patch(`/Groups/${own.group.id}`, patchOp({ op: 'remove', path: `members[value eq "${theirs.user.id}"]` }));
      }
      // Everything of a1 is as it was, and b1's group still has only its own member.
      expect((await a1.get(`/Users/${theirs.user.id}`)).json()).toEqual({ ...theirs.user, groups: expect.any(Array) });
      const group = (await a1.get(`/Groups/${theirs.group.id}`)).json();
      expect(group.meta.version).toBe(theirs.group.meta.version);
      expect(group.members.map((m: Resource) => m.value)).toEqual([theirs.user.id]);
      expect((await b1.get(`/Groups/${mine.group.id}`)).json().members.map((m: Resource) => m.value)).toEqual([mine.user.id]);
      expect((await b1.get(`/Groups?filter=${q('displayName eq "Smuggler"')}`)).json().totalResults).toBe(0);
    });

    it('refuses a token on another connection\'s URL (401)', async () => {
      for (const [token, url] of [[a1, a2], [a2, a1], [a1, b1], [b1, a1]] as const) {
        for (const path of ['/Users', `/Users/${seeded.get(url)!.user.id}`, '/ServiceProviderConfig']) {
          const res = await t.app.inject({ url: `${SCIM_PATH}/${url.connectionId}${path}`, headers: { authorization: `Bearer ${token.token}` } });
          expect(res.statusCode).toBe(401);
          expect(res.json().status).toBe('401');
          expect(res.body).not.toContain(seeded.get(url)!.user.id);
        }
        const write = await t.app.inject({
          method: 'DELETE', url: `${SCIM_PATH}/${url.connectionId}/Users/${seeded.get(url)!.user.id}`, headers: { authorization: `Bearer ${token.token}` },
        });
        expect(write.statusCode).toBe(401);
      }
      for (const c of [a1, a2, b1]) expect((await c.get(`/Users/${seeded.get(c)!.user.id}`)).statusCode).toBe(200);
    });

    it('stops a deleted connection\'s token at once, leaving the others alone', async () => {
      const doomed = await newScimClient(t, 'iso-b');
      const user = await doomed.createUser({ userName: 'Shared@Example.com' });
      expect((await doomed.get('/Users')).statusCode).toBe(200);
      const del = await t.app.inject({ method: 'DELETE', url: `${CONFIGS}/${doomed.connectionId}?removeUsersAndGroups=true`, headers: { authorization: t.auth } });
      expect(del.statusCode).toBe(204);
      for (const path of ['/Users', `/Users/${user.id}`, '/ServiceProviderConfig']) expect((await doomed.get(path)).statusCode).toBe(401);
      expect((await doomed.post('/Users', { schemas: [USER_URN], userName: 'after.delete' })).statusCode).toBe(401);
      // Without removeUsersAndGroups the rows stay, detached, and still unreachable.
      const detached = await newScimClient(t, 'iso-b');
      const kept = await detached.createUser({ userName: 'kept' });
      expect((await t.app.inject({ method: 'DELETE', url: `${CONFIGS}/${detached.connectionId}`, headers: { authorization: t.auth } })).statusCode).toBe(204);
      expect((await detached.get(`/Users/${kept.id}`)).statusCode).toBe(401);
      // b1 is untouched.
      expect((await b1.get(`/Users/${seeded.get(b1)!.user.id}`)).statusCode).toBe(200);
      expect((await b1.get('/Users')).json().totalResults).toBe(1);
    });

    it('deletes everything of a tenant with the tenant, and nothing of another', async () => {
      const victim = 'iso-gone';
      await createTenant(t, victim);
      const c1 = await newScimClient(t, victim);
      const c2 = await newScimClient(t, victim, 'azure-ad');
      for (const c of [c1, c2]) {
        const u = await c.createUser({ userName: 'Shared@Example.com', emails: [{ value: 'x@example.com' }] });
        const g = await c.createGroup({ displayName: 'Shared Group', members: [{ value: u.id }] });
        await c.patch(`/Users/${u.id}`, patchOp({ op: 'replace', path: 'title', value: 'x' }));
        await c.patch(`/Groups/${g.id}`, patchOp({ op: 'replace', path: 'displayName', value: 'Renamed' }));
      }
      const ids = [c1.connectionId, c2.connectionId];
      const before = await rowsOf(t, victim, ids);
      expect(before['scim_users.tenant_id']).toBe(2);
      expect(before['scim_group_members.connection_id']).toBe(2);
      expect(before['scim_user_emails.connection_id']).toBe(2);
      const othersBefore = await rowsOf(t, 'iso-a', [a1.connectionId, a2.connectionId]);

      const res = await t.app.inject({ method: 'DELETE', url: `/tenants/resources/tenants/v1/${victim}`, headers: { authorization: t.auth } });
      expect(res.statusCode).toBe(204);
      for (const c of [c1, c2]) expect((await c.get('/Users')).statusCode).toBe(401);
      const after = await rowsOf(t, victim, ids);
      expect(Object.entries(after).filter(([table, n]) => n > 0 && !HISTORY.test(table))).toEqual([]);
      expect(Object.keys(after).length).toBeGreaterThanOrEqual(Object.keys(before).length);
      // The other tenant's rows are all still there.
      const othersAfter = await rowsOf(t, 'iso-a', [a1.connectionId, a2.connectionId]);
      for (const [table, n] of Object.entries(othersBefore)) expect(othersAfter[table], table).toBeGreaterThanOrEqual(n);
      expect((await a1.get(`/Users/${seeded.get(a1)!.user.id}`)).statusCode).toBe(200);
      expect((await t.app.inject({ url: `/tenants/resources/tenants/v1/${victim}`, headers: { authorization: t.auth } })).statusCode).toBe(404);
    });
  });
}
