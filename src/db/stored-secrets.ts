/**
 * Every column that holds a secret Rollcall must read back (hashed tokens are not here: they are never
 * read back), and what works on all of them at once: the start-up check that each one can be read with
 * the configured keys, the count `rollcall secrets status` prints, and `rollcall secrets rotate`. The
 * stores seal and open their own secret with src/security/encryption.ts at the location named here; a
 * new secret column is added to SECRET_COLUMNS so that the check and the rotation cover it.
 */
import type { Kysely } from 'kysely';
import { KEY_VARIABLE, Keyring, PREVIOUS_KEYS_VARIABLE, SecretUnreadable, type SecretLocation } from '../security/encryption.js';
import type { Database } from './tables.js';
import type { GoogleWorkspaceTables } from '../google-workspace/tables.js';

/** Where a webhook's signing secret is stored. */
export const webhookSecretAt = (id: string): SecretLocation => ({ table: 'webhooks', column: 'secret', id });

/** Where a Google Workspace connection's grant is stored (src/google-workspace/credentials.ts). */
export const googleCredentialsAt = (connectionId: string): SecretLocation => ({ table: 'google_workspace_connections', column: 'credentials', id: connectionId });

/** The settings row of the user-token signing key Rollcall generates (never under `builder.`, so the settings API never shows it). */
export const SIGNING_KEY_SETTING = 'user-tokens.signing-key';
/** Where the generated user-token signing key is stored. */
export const signingKeyAt: SecretLocation = { table: 'settings', column: 'value', id: SIGNING_KEY_SETTING };

/** One column of secrets, read a page at a time in key order. */
interface SecretColumn {
  /** For messages and the status report. */
  name: string;
  at(id: string): SecretLocation;
  page(db: Kysely<Database>, afterId: string, limit: number): Promise<{ id: string; stored: string }[]>;
  /** Stores `next` if the row still holds `expected`; false when it changed or went meanwhile. */
  replace(db: Kysely<Database>, id: string, expected: string, next: string): Promise<boolean>;
}

const SECRET_COLUMNS: readonly SecretColumn[] = [
  {
    name: 'webhooks.secret',
    at: webhookSecretAt,
    page: (db, afterId, limit) => db.selectFrom('webhooks').select(['id', 'secret as stored']).where('id', '>', afterId).orderBy('id').limit(limit).execute(),
    replace: async (db, id, expected, next) => {
      const result = await db.updateTable('webhooks').set({ secret: next }).where('id', '=', id).where('secret', '=', expected).executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
  },
  {
    name: `settings.value (${SIGNING_KEY_SETTING})`,
    at: () => signingKeyAt,
    page: (db, afterId, limit) => db.selectFrom('settings').select(['key as id', 'value as stored']).where('key', '=', SIGNING_KEY_SETTING).where('key', '>', afterId).limit(limit).execute(),
    replace: async (db, id, expected, next) => {
      const result = await db.updateTable('settings').set({ value: next }).where('key', '=', id).where('value', '=', expected).executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
  },
  {
    name: 'google_workspace_connections.credentials',
    at: googleCredentialsAt,
    page: (db, afterId, limit) =>
      db
        .withTables<GoogleWorkspaceTables>()
        .selectFrom('google_workspace_connections')
        .select(['connection_id as id', 'credentials as stored'])
        .where('credentials', 'is not', null)
        .where('connection_id', '>', afterId)
        .orderBy('connection_id')
        .limit(limit)
        .execute() as Promise<{ id: string; stored: string }[]>,
    replace: async (db, id, expected, next) => {
      const result = await db.withTables<GoogleWorkspaceTables>().updateTable('google_workspace_connections').set({ credentials: next }).where('connection_id', '=', id).where('credentials', '=', expected).executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
  },
];

const PAGE = 500;

async function* rowsOf(db: Kysely<Database>, column: SecretColumn): AsyncGenerator<{ id: string; stored: string }> {
  let afterId = '';
  for (;;) {
    const rows = await column.page(db, afterId, PAGE);
    yield* rows;
    if (rows.length < PAGE) return;
    afterId = rows[rows.length - 1].id;
  }
}

/** How the secrets of one column are kept. */
export interface ColumnReport {
  column: string;
  plain: number;
  /** Encrypted under ROLLCALL_ENCRYPTION_KEY. */
  current: number;
  /** Encrypted under a previous key, by key id. */
  previous: Record<string, number>;
  /** Those the configured keys cannot read. */
  unreadable: SecretUnreadable[];
}

/** Reads (and decrypts, to check it) every stored secret, and counts them by how they are kept. */
export async function inspectStoredSecrets(db: Kysely<Database>, keys: Keyring): Promise<ColumnReport[]> {
  const reports: ColumnReport[] = [];
  for (const column of SECRET_COLUMNS) {
    const report: ColumnReport = { column: column.name, plain: 0, current: 0, previous: {}, unreadable: [] };
    for await (const { id, stored } of rowsOf(db, column)) {
      try {
        keys.open(stored, column.at(id));
      } catch (error) {
        if (!(error instanceof SecretUnreadable)) throw error;
        report.unreadable.push(error);
        continue;
      }
      const form = Keyring.formOf(stored);
      if (!form.encrypted) report.plain += 1;
      else if (form.keyId === keys.current?.id) report.current += 1;
      else report.previous[form.keyId] = (report.previous[form.keyId] ?? 0) + 1;
    }
    reports.push(report);
  }
  return reports;
}

/** Stored secrets the configured keys cannot read; the message says which key is missing, or which rows are damaged. */
export class StoredSecretsUnreadable extends Error {
  override name = 'StoredSecretsUnreadable';
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** One message for every unreadable secret: grouped by the key they need, damaged rows named (a few). */
export function unreadableMessage(unreadable: readonly SecretUnreadable[], keys: Keyring): string {
  const parts: string[] = [];
  const byKey = new Map<string, number>();
  for (const error of unreadable) if (error.reason === 'no-key' || error.reason === 'unknown-key') byKey.set(error.keyId!, (byKey.get(error.keyId!) ?? 0) + 1);
  for (const [keyId, n] of byKey) {
    parts.push(
      keys.current
        ? `${plural(n, 'stored secret')} encrypted with key id ${keyId}, which is neither ${KEY_VARIABLE} (key id ${keys.current.id}) nor one of ${PREVIOUS_KEYS_VARIABLE}: add that key to ${PREVIOUS_KEYS_VARIABLE}`
        : `${plural(n, 'stored secret')} encrypted with key id ${keyId}, but ${KEY_VARIABLE} is not set: set it to the key they were encrypted with`,
    );
  }
  const damaged = unreadable.filter((error) => error.reason === 'malformed' || error.reason === 'tampered');
  parts.push(...damaged.slice(0, 3).map((error) => error.message));
  if (damaged.length > 3) parts.push(`and ${damaged.length - 3} more that do not decrypt`);
  return `Cannot read the stored secrets: ${parts.join('; ')}`;
}

/**
 * Checks at start-up that every stored secret can be read with the configured keys, so that a missing
 * or wrong ROLLCALL_ENCRYPTION_KEY stops the process with one message instead of failing deliveries and
 * requests later. Throws StoredSecretsUnreadable; returns the counts otherwise.
 */
export async function checkStoredSecrets(db: Kysely<Database>, keys: Keyring): Promise<ColumnReport[]> {
  const reports = await inspectStoredSecrets(db, keys);
  const unreadable = reports.flatMap((report) => report.unreadable);
  if (unreadable.length > 0) throw new StoredSecretsUnreadable(unreadableMessage(unreadable, keys));
  return reports;
}

/** What a rotation changed, per column. */
export interface RotationReport {
  column: string;
  /** Were plain text, now encrypted. */
  encrypted: number;
  /** Were under a previous key, now under the current one. */
  reencrypted: number;
  /** Already under the current key. */
  unchanged: number;
}

/**
 * Encrypts every stored secret under the current key: plain-text ones (stored before the key was set)
 * and those under a previous key. Each row is replaced only if it still holds what was read, so it can
 * run while Rollcall serves, and again after an interruption. Checks first that every secret can be
 * read, and changes nothing otherwise.
 */
export async function rotateStoredSecrets(db: Kysely<Database>, keys: Keyring): Promise<RotationReport[]> {
  const current = keys.current;
  if (!current) throw new StoredSecretsUnreadable(`${KEY_VARIABLE} is not set: rotation encrypts the stored secrets with it`);
  await checkStoredSecrets(db, keys);
  const reports: RotationReport[] = [];
  for (const column of SECRET_COLUMNS) {
    const report: RotationReport = { column: column.name, encrypted: 0, reencrypted: 0, unchanged: 0 };
    for await (const { id, stored } of rowsOf(db, column)) {
      const form = Keyring.formOf(stored);
      if (form.encrypted && form.keyId === current.id) {
        report.unchanged += 1;
        continue;
      }
      const at = column.at(id);
      // A row deleted meanwhile needs nothing; secrets are written once, so one changed meanwhile was rotated by another run.
      if (!(await column.replace(db, id, stored, keys.seal(keys.open(stored, at), at)))) continue;
      if (form.encrypted) report.reencrypted += 1;
      else report.encrypted += 1;
    }
    reports.push(report);
  }
  return reports;
}
