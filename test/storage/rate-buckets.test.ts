/**
 * The SCIM rate limit's shared buckets (migration 0015, src/db/{sqlite,postgres}/rate-buckets.ts) on
 * each database: a first take finds the bucket full, takes never hand out more than it holds, even
 * when two handles on the database (as two processes) take at once, it refills by elapsed time up
 * to the burst, another connection or tenant is not touched, and a deleted connection leaves no row.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/open.js';
import type { BucketOwner, BucketShape, RateBucketTables } from '../../src/db/rate-buckets.js';
import { dialectsUnderTest, storeTestDatabase } from '../support/databases.js';

/** A rate so slow that no test here sees a whole token refill. */
const STILL: BucketShape = { ratePerSecond: 0.001, burst: 20 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

for (const dialect of dialectsUnderTest()) {
  describe(`shared rate buckets [${dialect}]`, () => {
    let opened: Awaited<ReturnType<typeof storeTestDatabase>>;
    let db: Db;
    const take = (owner: BucketOwner, want: number, shape = STILL, on = db) => on.dialect.rateBuckets.take(on.kysely, owner, want, shape);
    const bucketRows = () => db.kysely.withTables<RateBucketTables>().selectFrom('scim_rate_buckets').selectAll().orderBy('connection_id').execute();

    beforeAll(async () => {
      opened = await storeTestDatabase(dialect, ['c1', 'c2', 'c3', 'c4', 'c5', 'c6']);
      db = opened.db;
      const now = '2026-11-29T00:00:00.000Z';
      await db.kysely.insertInto('tenants').values({ id: 'u', name: 'U', created_at: now, updated_at: now }).execute();
      await db.kysely.insertInto('connections').values({ id: 'other', tenant_id: 'u', source: 'okta', connection_name: 'other', sync_to_user_management: 0, created_at: now, updated_at: now, last_sync_at: null }).execute();
    });
    afterAll(async () => {
      await opened?.close();
    });

    it('finds a new bucket full, takes what it holds and no more, and says what is left', async () => {
      const c1 = { tenantId: 't', connectionId: 'c1' };
      expect(await take(c1, 5)).toEqual({ granted: 5, remaining: 15 });
      expect(await take(c1, 12)).toEqual({ granted: 12, remaining: expect.closeTo(3, 2) });
      const short = await take(c1, 10);
      expect(short?.granted).toBe(3);
      expect(short?.remaining).toBeGreaterThanOrEqual(0);
      expect(short?.remaining).toBeLessThan(1);
      expect((await take(c1, 1))?.granted).toBe(0);
      // A first take larger than the burst gets the burst.
      expect(await take({ tenantId: 't', connectionId: 'c2' }, 50)).toEqual({ granted: 20, remaining: 0 });
    });

    it('refills by the time elapsed, up to the burst', async () => {
      const c3 = { tenantId: 't', connectionId: 'c3' };
      const fast: BucketShape = { ratePerSecond: 1000, burst: 100 };
      expect((await take(c3, 100, fast))?.granted).toBe(100);
      await sleep(30);
      const refilled = await take(c3, 100, fast);
      // At least 30 ms at a token per millisecond; less than the whole burst.
      expect(refilled?.granted).toBeGreaterThanOrEqual(29);
      expect(refilled?.granted).toBeLessThan(100);
      await sleep(300);
      // Never more than the burst, however long it waited.
      expect((await take(c3, 1000, fast))?.granted).toBe(100);
    });

    it('hands out each token once when two handles on the database take at once', async () => {
      const second = openDatabase(opened.database.url);
      try {
        const c4 = { tenantId: 't', connectionId: 'c4' };
        const takes = await Promise.all(Array.from({ length: 40 }, (_, i) => take(c4, 3, STILL, i % 2 === 0 ? db : second)));
        expect(takes.reduce((sum, t) => sum + (t?.granted ?? 0), 0)).toBe(STILL.burst);
        expect(Math.max(...takes.map((t) => t?.remaining ?? 0))).toBeLessThanOrEqual(STILL.burst);
      } finally {
        await second.close();
      }
    });

    it('takes nothing for a connection of another tenant, or one that does not exist, and touches no other bucket', async () => {
      expect(await take({ tenantId: 't', connectionId: 'other' }, 1)).toBeUndefined();
      expect(await take({ tenantId: 'u', connectionId: 'c5' }, 1)).toBeUndefined();
      expect(await take({ tenantId: 't', connectionId: 'missing' }, 1)).toBeUndefined();
      expect((await bucketRows()).map((row) => row.connection_id)).not.toContain('other');
      expect((await bucketRows()).map((row) => row.connection_id)).not.toContain('c5');
      // Its own tenant's take starts from a full bucket: the refused ones left nothing behind.
      expect(await take({ tenantId: 'u', connectionId: 'other' }, 2)).toEqual({ granted: 2, remaining: 18 });
      expect((await bucketRows()).find((row) => row.connection_id === 'other')?.tenant_id).toBe('u');
    });

    it('deletes a connection\'s bucket with the connection, and with its tenant', async () => {
      expect((await take({ tenantId: 't', connectionId: 'c6' }, 1))?.granted).toBe(1);
      expect((await bucketRows()).some((row) => row.connection_id === 'c6')).toBe(true);
      await db.kysely.deleteFrom('connections').where('id', '=', 'c6').where('tenant_id', '=', 't').execute();
      expect((await bucketRows()).some((row) => row.connection_id === 'c6')).toBe(false);
      await db.kysely.deleteFrom('tenants').where('id', '=', 'u').execute();
      expect((await bucketRows()).some((row) => row.connection_id === 'other')).toBe(false);
    });
  });
}
