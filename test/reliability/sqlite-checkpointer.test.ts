/**
 * SQLite WAL checkpoints run on a worker thread (src/db/sqlite/checkpointer.ts): committed pages reach
 * the database file without a checkpoint on the request thread, and closing the database stops it.
 */
import { statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, sqlitePath } from '../../src/db/open.js';
import { BACKSTOP_PAGES } from '../../src/db/sqlite/checkpointer.js';
import { createTestDatabase } from '../support/databases.js';

describe('SQLite checkpoints off the request thread', () => {
  const database = createTestDatabase('sqlite');
  afterAll(async () => (await database).drop());

  it('copies committed pages into the database file in the background', async () => {
    const { url } = await database;
    const db = openDatabase(url);
    try {
      await sql`create table t (id integer primary key, v text)`.execute(db.kysely);
      const before = statSync(sqlitePath(url)).size;
      // About 250 pages of WAL: far below the request thread's own automatic checkpoint.
      await db.kysely.transaction().execute(async (trx) => {
        for (let i = 0; i < 1000; i++) await sql`insert into t (v) values (${'x'.repeat(900)})`.execute(trx);
      });
      expect(250).toBeLessThan(BACKSTOP_PAGES);
      for (let waited = 0; statSync(sqlitePath(url)).size <= before && waited < 5000; waited += 100) await sleep(100);
      expect(statSync(sqlitePath(url)).size).toBeGreaterThan(before + 500_000);
    } finally {
      await db.close();
    }
  });
});
