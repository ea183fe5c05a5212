import { sql, type Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/databases.js';
import { GroupCommit } from './group-commit.js';
import { openDatabase, type Db } from '../open.js';
import type { Database } from '../tables.js';

// A table of its own: the group commit is storage plumbing, not SCIM.
async function insert(trx: Kysely<Database>, name: string): Promise<void> {
  await sql`insert into names (name) values (${name})`.execute(trx);
}

describe('GroupCommit (SQLite)', () => {
  let database: TestDatabase;
  let db: Db;
  let group: GroupCommit;

  beforeEach(async () => {
    database = await createTestDatabase('sqlite');
    db = openDatabase(database.url);
    await sql`create table names (name text primary key)`.execute(db.kysely);
    group = new GroupCommit(db.kysely);
  });
  afterEach(async () => {
    await db.close();
    await database.drop();
  });

  const names = async () => (await sql<{ name: string }>`select name from names order by name`.execute(db.kysely)).rows.map((r) => r.name);

  /** Starts the writes in one tick, so they share a group transaction. */
  function together(...writes: ((trx: Kysely<Database>) => Promise<string>)[]) {
    return Promise.allSettled(writes.map((fn) => group.run(fn)));
  }

  it('commits concurrent writes together', async () => {
    const writes = Array.from({ length: 20 }, (_, i) => async (trx: Kysely<Database>) => {
      await insert(trx, `n${String(i).padStart(2, '0')}`);
      return `ok ${i}`;
    });
    const results = await together(...writes);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : r.reason))).toEqual(writes.map((_, i) => `ok ${i}`));
    expect(await names()).toHaveLength(20);
  });

  it('a write failing before it changed anything fails alone', async () => {
    await insert(db.kysely, 'taken');
    const results = await together(
      async (trx) => (await insert(trx, 'a'), 'a'),
      async (trx) => (await insert(trx, 'taken'), 'dup'),
      async (trx) => (await insert(trx, 'b'), 'b'),
    );
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/UNIQUE/);
    expect(await names()).toEqual(['a', 'b', 'taken']);
  });

  it('a write failing after it changed rows leaves nothing behind, and the writes around it commit once', async () => {
    const runs = { a: 0, c: 0 };
    const results = await together(
      async (trx) => (runs.a++, await insert(trx, 'a'), 'a'),
      async (trx) => {
        await insert(trx, 'half');
        throw new Error('failed after a write');
      },
      async (trx) => (runs.c++, await insert(trx, 'c'), 'c'),
    );
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toEqual(new Error('failed after a write'));
    expect(await names()).toEqual(['a', 'c']);
    // The group was rolled back and ran again: the writes are safe to repeat, and each row is there once.
    expect(runs.a).toBe(2);
  });

  it('writes that ran again see the same order: a write that failed on an earlier one still fails', async () => {
    const results = await together(
      async (trx) => (await insert(trx, 'x'), 'first x'),
      async (trx) => {
        await insert(trx, 'y');
        throw new Error('failed after a write');
      },
      async (trx) => (await insert(trx, 'x'), 'second x'),
    );
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected']);
    expect(String((results[2] as PromiseRejectedResult).reason)).toMatch(/UNIQUE/);
    expect(await names()).toEqual(['x']);
  });

  it('when the group transaction fails under a write, that write fails too instead of waiting forever', async () => {
    const results = await together(
      async (trx) => {
        // Takes away its own savepoint: run bare it just fails; run carefully (the group below is
        // rolled back and runs again), rolling back to that savepoint fails, and with it the transaction.
        await sql`release request`.execute(trx);
        throw new Error('savepoint gone');
      },
      async (trx) => {
        await insert(trx, 'half');
        throw new Error('failed after a write');
      },
    );
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(String((results[0] as PromiseRejectedResult).reason)).toMatch(/no such savepoint/);
    expect((results[1] as PromiseRejectedResult).reason).toEqual(new Error('failed after a write'));
    expect(await names()).toEqual([]);
  });
});
