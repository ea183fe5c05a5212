/** Runs the migrations. Safe to run twice and from several processes at once. */
import { setTimeout as sleep } from 'node:timers/promises';
import { Migrator } from 'kysely';
import { migrations } from './migrations/index.js';
import type { Db } from './open.js';
import { seedSqliteStatistics } from './sqlite/statistics.js';

async function migrateOnce(db: Db): Promise<{ applied: string[]; error?: Error }> {
  const migrator = new Migrator({ db: db.kysely, provider: { getMigrations: async () => migrations } });
  const result = await migrator.migrateToLatest();
  const applied = (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  if (!result.error) return { applied };
  const failed = result.results?.find((r) => r.status === 'Error')?.migrationName;
  const cause = result.error instanceof Error ? result.error.message : JSON.stringify(result.error);
  return { applied, error: new Error(`Migration ${failed ?? '(setup)'} failed: ${cause}`) };
}

/**
 * Applies every pending migration; returns the names applied by this call (empty when up to date).
 * PostgreSQL: Kysely holds an advisory lock, so concurrent starts queue. SQLite has no such lock:
 * each migration is one transaction, so a process that lost the race rolls back and, on retry,
 * finds the work done by the winner.
 */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const applied: string[] = [];
  for (let attempt = 0; ; attempt++) {
    const result = await migrateOnce(db);
    applied.push(...result.applied);
    if (!result.error) {
      await seedSqliteStatistics(db);
      return applied;
    }
    if (db.dialect.name !== 'sqlite' || attempt >= 20) throw result.error;
    await sleep(50 + Math.random() * 100);
  }
}
