/** Opens the mirror database a URL names: PostgreSQL for postgres:// URLs, else a SQLite file. */
import type { MirrorStorage } from './port.js';
import { PostgresStorage } from './postgres.js';
import { SqliteStorage } from './sqlite.js';

/** `postgres://…` or `postgresql://…`: PostgreSQL. Anything else is a SQLite file path (`sqlite:` prefix optional). */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/** Opens the database and creates its tables when missing. */
export async function openStorage(url: string): Promise<MirrorStorage> {
  const storage = isPostgresUrl(url) ? new PostgresStorage(url) : new SqliteStorage(url.replace(/^sqlite:/, ''));
  try {
    await storage.migrate();
  } catch (error) {
    await storage.close().catch(() => undefined);
    throw error;
  }
  return storage;
}
