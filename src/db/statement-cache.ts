/**
 * Prepared-statement reuse for better-sqlite3. Kysely's SQLite driver prepares every query anew,
 * which was ~15% of a SCIM create; the SQL texts a server issues are few and repeat, so a small
 * LRU of prepared statements serves almost every query.
 */
import type SqliteDatabase from 'better-sqlite3';
import type { SqliteDatabase as KyselySqliteDatabase } from 'kysely';

const MAX_STATEMENTS = 1000;

/** A better-sqlite3 database whose `prepare` returns cached statements. */
export function withStatementCache(db: SqliteDatabase.Database): KyselySqliteDatabase {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => db.close(),
    prepare(sql: string) {
      const cached = cache.get(sql);
      // A statement still being iterated (a streamed query) cannot run again: prepare a fresh one.
      if (cached && !cached.busy) {
        cache.delete(sql);
        cache.set(sql, cached);
        return cached;
      }
      const statement = db.prepare(sql);
      if (!cached) {
        cache.set(sql, statement);
        if (cache.size > MAX_STATEMENTS) cache.delete(cache.keys().next().value as string);
      }
      return statement;
    },
  };
}
