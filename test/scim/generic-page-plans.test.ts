/**
 * PostgreSQL: the pages of a list in its default order are read through connections that keep one
 * generic plan per prepared statement (src/db/open.ts, `genericPlans`), and only those: a filtered
 * list, whose plan may follow its values, is read through the others.
 */
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { genericPlansPool, refusesStartupOption } from '../../src/db/open.js';
import { dialectsUnderTest } from '../support/databases.js';
import { createTenant } from '../support/fixtures.js';
import { USER_URN, newScimClient, q, type ScimClient } from '../support/scim-requests.js';
import { useTestApp } from '../support/test-app.js';

const USERS = 40;

describe('a pooler that refuses the startup setting', () => {
  it('is told apart from other connection errors', () => {
    // PgBouncer 1.20+, and the poolers built on it, refuse settings they do not track.
    expect(refusesStartupOption(new Error('unsupported startup parameter in options: plan_cache_mode'))).toBe(true);
    expect(refusesStartupOption(new Error('unsupported startup parameter: options'))).toBe(true);
    expect(refusesStartupOption(new Error('password authentication failed for user "rollcall"'))).toBe(false);
    expect(refusesStartupOption(undefined)).toBe(false);
  });
});

if (dialectsUnderTest().includes('postgres')) {
  describe('generic plans for default-order pages (postgres)', () => {
    // A pool of 2 gives the generic-plan pool one connection, so what it prepared can be read on it.
    const t = useTestApp('postgres', {}, 2);
    let client: ScimClient;

    const prepared = async () =>
      (
        await sql<{ statement: string; generic_plans: number; custom_plans: number }>`
          select statement, generic_plans::int, custom_plans::int from pg_prepared_statements`.execute(t.db.genericPlans)
      ).rows;

    beforeAll(async () => {
      client = await newScimClient(t, await createTenant(t));
      for (let i = 0; i < USERS; i++) await client.createUser({ schemas: [USER_URN], userName: `g${String(i).padStart(2, '0')}@plans.test` });
    });

    it('plans a page once for every position, and reads the same rows', async () => {
      const pages: string[][] = [];
      // From the last page to the first, so no page starts where one ended: each is read by OFFSET.
      for (let start = USERS - 4; start >= 2; start -= 3) {
        const res = await client.get(`/Users?startIndex=${start}&count=5`);
        expect(res.statusCode).toBe(200);
        pages.push((res.json().Resources as { userName: string }[]).map((r) => r.userName));
      }
      // startIndex is 1-based: 36 starts at the 36th user, g35.
      expect(pages[0]).toEqual(['g35@plans.test', 'g36@plans.test', 'g37@plans.test', 'g38@plans.test', 'g39@plans.test']);
      expect(pages[pages.length - 1]).toEqual(['g02@plans.test', 'g03@plans.test', 'g04@plans.test', 'g05@plans.test', 'g06@plans.test']);
      const page = (await prepared()).find((p) => /from "scim_users"/.test(p.statement) && /offset \$\d+/.test(p.statement));
      expect(page, JSON.stringify(await prepared())).toBeDefined();
      expect(page!.generic_plans).toBeGreaterThanOrEqual(5);
      expect(page!.custom_plans).toBe(0);
    });

    it('starts its connections with generic plans; a database that cannot be reached is an error, not a fallback', async () => {
      const pool = await genericPlansPool({ connectionString: t.database.url, max: 1 });
      try {
        expect((await pool.query<{ plan_cache_mode: string }>('show plan_cache_mode')).rows[0].plan_cache_mode).toBe('force_generic_plan');
      } finally {
        await pool.end();
      }
      const missing = new URL(t.database.url);
      missing.pathname = '/rollcall_no_such_database';
      await expect(genericPlansPool({ connectionString: missing.toString(), max: 1 })).rejects.toThrow(/does not exist/);
    });

    it('reads a filtered list through the other connections', async () => {
      for (let i = 0; i < 6; i++) {
        const res = await client.get(`/Users?filter=${q(`userName sw "g${i}"`)}&startIndex=2&count=3`);
        expect(res.statusCode).toBe(200);
      }
      expect((await prepared()).filter((p) => /like/i.test(p.statement))).toEqual([]);
    });
  });
}
