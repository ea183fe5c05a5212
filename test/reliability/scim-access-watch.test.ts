/**
 * How a process learns that SCIM access changed elsewhere (src/db/scim-access-watch.ts): a token
 * deleted by another connection to the database (an operator's SQL, another process) is refused
 * although this process had resolved it; and on PostgreSQL, while the listening connection is down,
 * nothing cached is trusted, until it listens again.
 */
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/open.js';
import { dialectsUnderTest } from '../support/databases.js';
import { createConnection, createTenant } from '../support/fixtures.js';
import { SCIM_PATH } from '../support/scim-requests.js';
import { useTestApp, type TestApp } from '../support/test-app.js';

const scimGet = (t: TestApp, conn: { id: string; token: string }) =>
  t.app.inject({ url: `${SCIM_PATH}/${conn.id}/Users`, headers: { authorization: `Bearer ${conn.token}` } });

/** Waits until `check` holds, for at most `ms`. */
async function until(check: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

for (const dialect of dialectsUnderTest()) {
  describe(`the SCIM access watch [${dialect}]`, () => {
    const t = useTestApp(dialect);
    /** Another connection to the same database, as another process or an operator would have. */
    let other: Db;
    let n = 0;
    const fresh = () => t.app.services.scimAccess.fresh();

    beforeAll(async () => {
      other = openDatabase(t.database.url, { poolSize: 1 });
      return () => other.close();
    });

    /** A connection whose token this process has resolved (and kept, once the watch trusts itself). */
    async function resolved(): Promise<{ id: string; token: string }> {
      const tenant = await createTenant(t, `watch-${n++}`);
      const conn = await createConnection(t, tenant);
      expect((await scimGet(t, conn)).statusCode).toBe(200);
      await until(fresh);
      for (let i = 0; i < 3; i++) expect((await scimGet(t, conn)).statusCode).toBe(200);
      return conn;
    }

    it('refuses a token that another connection deleted, though this process had resolved it: at once on SQLite, once announced on PostgreSQL', async () => {
      const conn = await resolved();
      await other.kysely.deleteFrom('connection_tokens').where('connection_id', '=', conn.id).execute();
      // SQLite reads the version on every request; PostgreSQL hears of it when the change commits.
      if (dialect === 'sqlite') expect((await scimGet(t, conn)).statusCode).toBe(401);
      else await until(async () => (await scimGet(t, conn)).statusCode === 401, 2000);
    });

    it('ignores what SCIM requests write: the version moves only with access', async () => {
      const conn = await resolved();
      const version = async () => Number((await sql<{ version: string }>`select version from scim_access_version where id = 1`.execute(other.kysely)).rows[0].version);
      const before = await version();
      const created = await t.app.inject({
        method: 'POST',
        url: `${SCIM_PATH}/${conn.id}/Users`,
        headers: { authorization: `Bearer ${conn.token}`, 'content-type': 'application/scim+json' },
        payload: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'watched' },
      });
      expect(created.statusCode).toBe(201);
      await t.app.services.scim.writes.flush({ tenantId: `watch-${n - 1}`, connectionId: conn.id });
      expect(await version()).toBe(before);
      await other.kysely.updateTable('connections').set({ connection_name: 'renamed' }).where('id', '=', conn.id).execute();
      expect(await version()).toBe(before);
      await other.kysely.updateTable('connections').set({ sync_to_user_management: 0 }).where('id', '=', conn.id).execute();
      expect(await version()).toBeGreaterThan(before);
    });

    if (dialect === 'postgres') {
      it('PostgreSQL only: trusts nothing cached while its listening connection is down, and again once it listens', async () => {
        const warnings: string[] = [];
        t.app.services.scimAccess.reportTo((message) => warnings.push(message));
        const conn = await resolved();
        // The listening connection is cut (a failover, an idle-connection killer, pg_terminate_backend).
        await sql`select pg_terminate_backend(backend_pid) from scim_access_listeners`.execute(other.kysely);
        await until(() => !fresh(), 2000);
        expect(warnings.join('\n')).toMatch(/SCIM token cache off/);
        // A change now cannot be announced to this process, and is honoured anyway.
        await other.kysely.deleteFrom('connection_tokens').where('connection_id', '=', conn.id).execute();
        expect((await scimGet(t, conn)).statusCode).toBe(401);
        // It listens again by itself, and announcements work again.
        await until(fresh, 10_000);
        const again = await resolved();
        await other.kysely.deleteFrom('connection_tokens').where('connection_id', '=', again.id).execute();
        await until(async () => (await scimGet(t, again)).statusCode === 401, 2000);
      });
    }
  });
}
