import { describe, expect, it } from 'vitest';
import { migrateToLatest } from '../src/db/migrate.js';
import { migrations } from '../src/db/migrations/index.js';
import { openDatabase } from '../src/db/open.js';
import { createTestDatabase, dialectsUnderTest } from './support/databases.js';

for (const dialect of dialectsUnderTest()) {
  describe(`migrations [${dialect}]`, () => {
    it('apply once; a second run is a no-op', async () => {
      const database = await createTestDatabase(dialect);
      const db = openDatabase(database.url);
      try {
        expect(await migrateToLatest(db)).toEqual(Object.keys(migrations));
        expect(await migrateToLatest(db)).toEqual([]);
      } finally {
        await db.close();
        await database.drop();
      }
    });

    it('several processes migrating one database at once apply each migration exactly once', async () => {
      const database = await createTestDatabase(dialect);
      const dbs = [0, 1, 2].map(() => openDatabase(database.url));
      try {
        const applied = await Promise.all(dbs.map((db) => migrateToLatest(db)));
        expect(applied.flat().sort()).toEqual(Object.keys(migrations).sort());
        const rows = await dbs[0].kysely.selectFrom('kysely_migration' as never).selectAll().execute();
        expect(rows).toHaveLength(Object.keys(migrations).length);
      } finally {
        await Promise.all(dbs.map((db) => db.close()));
        await database.drop();
      }
    });
  });
}
