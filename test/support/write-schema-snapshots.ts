/**
 * `npm run schema:snapshot` — migrates an empty SQLite database and an empty PostgreSQL database
 * (on the server of TEST_DATABASE_URL) and writes their schemas to src/db/schema/{sqlite,postgres}.sql,
 * which test/migrations-schema.test.ts compares against. Run it after adding a migration.
 */
import { writeFileSync } from 'node:fs';
import { migrateToLatest } from '../../src/db/migrate.js';
import { openDatabase, type DialectName } from '../../src/db/open.js';
import { schemaSnapshot } from '../../src/db/schema/snapshot.js';
import { createTestDatabase } from './databases.js';

/** Where the snapshot of `dialect` is checked in. */
export const snapshotFile = (dialect: DialectName) => new URL(`../../src/db/schema/${dialect}.sql`, import.meta.url);

async function write(dialect: DialectName): Promise<void> {
  const database = await createTestDatabase(dialect);
  const db = openDatabase(database.url);
  try {
    await migrateToLatest(db);
    writeFileSync(snapshotFile(dialect), await schemaSnapshot(db));
    process.stdout.write(`wrote src/db/schema/${dialect}.sql\n`);
  } finally {
    await db.close();
    await database.drop();
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  if (!process.env.TEST_DATABASE_URL) throw new Error('TEST_DATABASE_URL must name a PostgreSQL server where a database may be created');
  await write('sqlite');
  await write('postgres');
}
