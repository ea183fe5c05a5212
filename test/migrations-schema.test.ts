/**
 * Migrations are history: migrating an empty database gives exactly the schema checked in beside the
 * snapshot code (src/db/schema/{sqlite,postgres}.sql). A change to an old migration, or to anything it
 * runs, fails here; a new migration comes with `npm run schema:snapshot`.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { migrateToLatest } from '../src/db/migrate.js';
import { openDatabase } from '../src/db/open.js';
import { schemaSnapshot } from '../src/db/schema/snapshot.js';
import { createTestDatabase, dialectsUnderTest } from './support/databases.js';
import { snapshotFile } from './support/write-schema-snapshots.js';

for (const dialect of dialectsUnderTest()) {
  describe(`migrated schema [${dialect}]`, () => {
    it(`is the checked-in snapshot (src/db/schema/${dialect}.sql)`, async () => {
      const database = await createTestDatabase(dialect);
      const db = openDatabase(database.url);
      try {
        await migrateToLatest(db);
        expect(await schemaSnapshot(db)).toBe(readFileSync(snapshotFile(dialect), 'utf8'));
      } finally {
        await db.close();
        await database.drop();
      }
    });
  });
}
