/**
 * The real `rollcall` process and ROLLCALL_ENCRYPTION_KEY: `serve` refuses to start when stored secrets
 * are encrypted and the key is missing or wrong, and refuses a malformed key; it warns about secrets not
 * yet under the key; `secrets status` counts them and `secrets rotate` re-encrypts them with the key.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/db/migrate.js';
import { openDatabase } from '../../src/db/open.js';
import { Keyring, parseEncryptionKey } from '../../src/security/encryption.js';
import { WebhookStore } from '../../src/webhooks/store.js';
import { createTestDatabase, dialectsUnderTest } from '../support/databases.js';
import { runCli, startServe } from '../support/process.js';

const OLD_KEY = randomBytes(32).toString('base64url');
const NEW_KEY = randomBytes(32).toString('base64');
const OLD = parseEncryptionKey(OLD_KEY);
const NEW = parseEncryptionKey(NEW_KEY);
const NOW = new Date().toISOString();

/** Inserts a webhook whose secret is stored as `keys` store it. */
async function insertWebhook(url: string, id: string, keys: Keyring): Promise<void> {
  const db = openDatabase(url);
  try {
    await migrateToLatest(db);
    const row = { id, url: 'https://hooks.test/', events: null, tenant_id: null, enabled: 0, disabled_reason: null, consecutive_failures: 0, failing_since: null, cursor_tx: 0, cursor_seq: 0, created_at: NOW, updated_at: NOW };
    await new WebhookStore(db.kysely, db.dialect, keys).insert(row, `whsec_${id}`);
  } finally {
    await db.close();
  }
}

async function storedSecrets(url: string): Promise<string[]> {
  const db = openDatabase(url);
  try {
    return (await db.kysely.selectFrom('webhooks').select('secret').orderBy('id').execute()).map((row) => row.secret);
  } finally {
    await db.close();
  }
}

describe('rollcall serve with a malformed ROLLCALL_ENCRYPTION_KEY', () => {
  it('stops with one line naming the variable and the format, without the value', async () => {
    const { code, stderr } = await runCli(['serve'], { ROLLCALL_ENCRYPTION_KEY: 'my-password-123', PORT: '1' });
    expect(code).toBe(1);
    expect(stderr.trim()).toBe('rollcall: configuration error: ROLLCALL_ENCRYPTION_KEY must be 32 random bytes as 64 hex digits or as base64 (openssl rand -base64 32); got 15 characters that are neither');
    const previous = await runCli(['serve'], { ROLLCALL_ENCRYPTION_KEY: NEW_KEY, ROLLCALL_PREVIOUS_ENCRYPTION_KEYS: `${OLD_KEY},${'00'.repeat(32)}`, PORT: '1' });
    expect(previous.stderr.trim()).toBe('rollcall: configuration error: ROLLCALL_PREVIOUS_ENCRYPTION_KEYS (entry 2) is not random enough (too few distinct bytes); generate one with openssl rand -base64 32');
  }, 60_000);
});

for (const dialect of dialectsUnderTest()) {
  describe(`rollcall secrets [${dialect}]`, () => {
    it('refuses to serve without the key or with another, then rotates to a new key with the old one listed', async () => {
      const database = await createTestDatabase(dialect);
      try {
        const env = { DATABASE_URL: database.url };
        await insertWebhook(database.url, 'a-plain', Keyring.none);
        await insertWebhook(database.url, 'b-sealed', new Keyring(OLD));

        await expect(startServe(env)).rejects.toThrow(`rollcall: Cannot read the stored secrets: 1 stored secret encrypted with key id ${OLD.id}, but ROLLCALL_ENCRYPTION_KEY is not set: set it to the key they were encrypted with`);
        await expect(startServe({ ...env, ROLLCALL_ENCRYPTION_KEY: NEW_KEY })).rejects.toThrow(
          `1 stored secret encrypted with key id ${OLD.id}, which is neither ROLLCALL_ENCRYPTION_KEY (key id ${NEW.id}) nor one of ROLLCALL_PREVIOUS_ENCRYPTION_KEYS: add that key to ROLLCALL_PREVIOUS_ENCRYPTION_KEYS`,
        );

        // With the old key it serves, and says what is not yet under it.
        const serving = await startServe({ ...env, ROLLCALL_ENCRYPTION_KEY: OLD_KEY });
        expect(await serving.stop()).toBe(0);
        expect(serving.output()).toContain('run rollcall secrets rotate');

        const keys = { ...env, ROLLCALL_ENCRYPTION_KEY: NEW_KEY, ROLLCALL_PREVIOUS_ENCRYPTION_KEYS: OLD_KEY };
        const status = await runCli(['secrets', 'status'], keys);
        expect(status.code, status.stderr).toBe(0);
        expect(status.stdout).toContain(`ROLLCALL_ENCRYPTION_KEY: key id ${NEW.id}`);
        expect(status.stdout).toContain(`ROLLCALL_PREVIOUS_ENCRYPTION_KEYS: key id ${OLD.id}`);
        expect(status.stdout).toContain(`webhooks.secret: 1 encrypted with previous key ${OLD.id}, 1 in plain text`);
        const unreadable = await runCli(['secrets', 'status', '--json'], env);
        expect(unreadable.code).toBe(1);
        expect(JSON.parse(unreadable.stdout).columns[0]).toEqual({ column: 'webhooks.secret', current: 0, previous: {}, plain: 1, unreadable: 1 });
        expect(unreadable.stderr).toContain('ROLLCALL_ENCRYPTION_KEY is not set');

        const rotated = await runCli(['secrets', 'rotate'], keys);
        expect(rotated.code, rotated.stderr).toBe(0);
        expect(rotated.stdout).toContain('webhooks.secret: 1 encrypted (were plain text), 1 re-encrypted (were under a previous key), 0 already under the current key');
        const stored = await storedSecrets(database.url);
        expect(stored.map((value) => Keyring.formOf(value))).toEqual([{ encrypted: true, keyId: NEW.id }, { encrypted: true, keyId: NEW.id }]);
        for (const value of stored) expect(value).not.toMatch(/whsec_/);

        expect((await runCli(['secrets', 'rotate'], env)).stderr.trim()).toBe('rollcall: ROLLCALL_ENCRYPTION_KEY is not set: rotation encrypts the stored secrets with it');
      } finally {
        await database.drop();
      }
      // Seven starts of the CLI through tsx, each a few seconds on a busy machine.
    }, 240_000);
  });
}
