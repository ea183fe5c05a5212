/** Runs the migrations. Safe to run twice and from several processes at once (Kysely takes a lock). */
import { Migrator, type MigrationResultSet } from 'kysely';
import { migrations } from './migrations/index.js';
import type { Db } from './open.js';

/** Applies every pending migration; returns the names applied now (empty when up to date). */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = new Migrator({
    db: db.kysely,
    provider: { getMigrations: async () => migrations },
  });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    const cause = result.error instanceof Error ? result.error.message : String(result.error);
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${cause}`.replace('  ', ' '));
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
