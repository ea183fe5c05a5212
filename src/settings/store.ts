/** Builder settings as rows of the `settings` table, one row per setting, under the `builder.` prefix. */
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';

const PREFIX = 'builder.';

/** Storage port of builder settings; construct one on a transaction to write within it. */
export class SettingsStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** Every builder setting that was ever written, by name (without the prefix). */
  async all(): Promise<Map<string, string>> {
    const rows = await this.db.selectFrom('settings').select(['key', 'value']).where('key', 'like', `${PREFIX}%`).execute();
    return new Map(rows.map((r) => [r.key.slice(PREFIX.length), r.value]));
  }

  async get(name: string): Promise<string | undefined> {
    return (await this.db.selectFrom('settings').select('value').where('key', '=', PREFIX + name).executeTakeFirst())?.value;
  }

  /** The named settings that were written, by name (without the prefix). */
  async getMany(names: readonly string[]): Promise<Map<string, string>> {
    if (names.length === 0) return new Map();
    const rows = await this.db.selectFrom('settings').select(['key', 'value']).where('key', 'in', names.map((n) => PREFIX + n)).execute();
    return new Map(rows.map((r) => [r.key.slice(PREFIX.length), r.value]));
  }

  /** Removes a setting, so it reads as its default again. */
  async remove(name: string): Promise<void> {
    await this.db.deleteFrom('settings').where('key', '=', PREFIX + name).execute();
  }

  /** One row per setting: concurrent changes of different settings cannot overwrite each other. */
  async set(name: string, value: string, at: string): Promise<void> {
    await this.db
      .insertInto('settings')
      .values({ key: PREFIX + name, value, updated_at: at })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: at }))
      .execute();
  }
}
