/**
 * ROLLCALL_ENCRYPTION_KEY on a real database: webhook signing secrets and the generated user-token
 * signing key are stored encrypted, deliveries are still signed with the secret and user tokens still
 * verify; plain-text rows from before the key are read and then encrypted by the rotation; a rotation
 * to a new key (the old one listed in ROLLCALL_PREVIOUS_ENCRYPTION_KEYS) keeps everything working,
 * after it the old key is not needed; a missing or wrong key, or a value moved to another row, is
 * found by the start-up check.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { SIGNING_KEY_SETTING, checkStoredSecrets, inspectStoredSecrets, rotateStoredSecrets, signingKeyAt, type ColumnReport } from '../../src/db/stored-secrets.js';
import { Keyring, parseEncryptionKey } from '../../src/security/encryption.js';
import { verifyRollcallSignature } from '../../src/webhooks/verify.js';
import { dialectsUnderTest } from '../support/databases.js';
import { PUBLIC_URL, openTestDb, type TestApp } from '../support/test-app.js';
import { appendEvents, createWebhook, dispatchAll, removeWebhooks, settle } from '../webhooks/helpers.js';
import { startReceiver, type Receiver } from '../webhooks/receiver.js';

const OLD_KEY = randomBytes(32).toString('base64');
const NEW_KEY = randomBytes(32).toString('hex');
const OLD = parseEncryptionKey(OLD_KEY);
const NEW = parseEncryptionKey(NEW_KEY);
const PERMISSION = 'fe.secure.read.provisioningConfiguration';

/** Counts per column, without the error objects. */
const counts = (reports: ColumnReport[]) => Object.fromEntries(reports.map((r) => [r.column, { plain: r.plain, current: r.current, previous: r.previous, unreadable: r.unreadable.length }]));
const WEBHOOKS = 'webhooks.secret';
const SETTING = `settings.value (${SIGNING_KEY_SETTING})`;
/** No Google Workspace connection is authorised here: the column is reported, empty. */
const GOOGLE = 'google_workspace_connections.credentials';
const NO_GOOGLE = { [GOOGLE]: { plain: 0, current: 0, previous: {}, unreadable: 0 } };

for (const dialect of dialectsUnderTest()) {
  describe(`encrypted stored secrets [${dialect}]`, () => {
    const base = {} as Pick<TestApp, 'db' | 'database'>;
    const apps: FastifyInstance[] = [];
    let receiver: Receiver;
    /** What the first test leaves for the next ones: the webhooks' secrets, the signing key, a token. */
    const secrets = new Map<string, string>();
    let signingKey = '';
    let firstToken = '';

    beforeAll(async () => {
      Object.assign(base, await openTestDb(dialect));
      receiver = await startReceiver();
    });
    afterEach(async () => {
      for (const app of apps.splice(0)) await app.close();
    });
    afterAll(async () => {
      await receiver?.close();
      await base.db?.close();
      await base.database?.drop();
    });

    /** An instance of Rollcall on the shared database, configured with `env`. */
    async function instance(env: Record<string, string>): Promise<TestApp> {
      const config: Config = loadConfig({ LOG_LEVEL: 'silent', PUBLIC_URL, DATABASE_URL: base.database.url, AUTH_FAILURE_LIMIT: '0', SCIM_RATE_LIMIT: '0', SCIM_COST_LIMIT: '0', SCIM_CONCURRENCY_LIMIT: '0', ...env });
      const app = await buildApp({ config, db: base.db });
      apps.push(app);
      await app.ready();
      const credential = await app.services.auth.createCredential('test');
      const exchanged = await app.services.auth.exchange(credential.clientId, credential.secret);
      return { app, db: base.db, database: base.database, config, auth: `Bearer ${exchanged!.token}` };
    }

    const storedWebhookSecret = async (id: string) => (await base.db.kysely.selectFrom('webhooks').select('secret').where('id', '=', id).executeTakeFirstOrThrow()).secret;
    const storedSigningKey = async () => (await base.db.kysely.selectFrom('settings').select('value').where('key', '=', SIGNING_KEY_SETTING).executeTakeFirstOrThrow()).value;

    async function mint(t: TestApp): Promise<string> {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/user-tokens', headers: { authorization: t.auth }, payload: { tenantId: 'acme', userId: 'admin@acme', permissions: [PERMISSION] } });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().token;
    }

    /** The token verifies on `t`, and its signature is the HS256 of the signing key `signingKey`. */
    async function expectTokenWorks(t: TestApp, token: string, signingKey: string): Promise<void> {
      const checked = await t.app.services.userTokens.check(token);
      expect(checked.refused).toBeUndefined();
      expect(checked.caller).toMatchObject({ tenantId: 'acme', userId: 'admin@acme', issuer: 'rollcall' });
      const [header, payload, signature] = token.split('.');
      expect(createHmac('sha256', signingKey).update(`${header}.${payload}`).digest('base64url')).toBe(signature);
    }

    /** Sends one event through `t`'s jobs; each webhook's request must carry a valid signature under its secret. */
    async function expectDeliveries(t: TestApp, secrets: Map<string, string>): Promise<void> {
      const before = receiver.received.length;
      await appendEvents(t, { tenantId: 'acme', connectionId: 'c1' }, [{ type: 'user.created', resourceId: `u-${before}`, data: { n: before } }]);
      await settle(t);
      const arrived = receiver.received.slice(before);
      expect(arrived).toHaveLength(secrets.size);
      const valid = arrived.map((r) => [...secrets.values()].filter((secret) => verifyRollcallSignature(secret, r.headers['rollcall-signature'] as string, r.body)).length);
      // Each request verifies under exactly one webhook's secret, and every webhook got its own.
      expect(valid).toEqual(arrived.map(() => 1));
      expect(new Set(arrived.map((r) => [...secrets.values()].find((s) => verifyRollcallSignature(s, r.headers['rollcall-signature'] as string, r.body)))).size).toBe(secrets.size);
    }

    it('stores plain text without a key, reads it once the key is set, encrypts new secrets at once, and the rotation encrypts the rest', async () => {
      const plainApp = await instance({});
      const tenant = await plainApp.app.inject({ method: 'POST', url: '/tenants/resources/tenants/v1', headers: { authorization: plainApp.auth }, payload: { tenantId: 'acme', name: 'Acme' } });
      expect(tenant.statusCode).toBe(201);
      const first = await createWebhook(plainApp, { url: receiver.url });
      const plainToken = await mint(plainApp);
      expect(await storedWebhookSecret(first.id)).toBe(first.secret);
      signingKey = await storedSigningKey();
      firstToken = plainToken;
      expect(signingKey).not.toMatch(/^rcenc:/);

      // The key is set: the rows from before are read as they are (a mixed state during rollout).
      const keyed = await instance({ ROLLCALL_ENCRYPTION_KEY: OLD_KEY });
      await expectTokenWorks(keyed, plainToken, signingKey);
      await expectTokenWorks(keyed, await mint(keyed), signingKey);
      const second = await createWebhook(keyed, { url: receiver.url });
      const stored = await storedWebhookSecret(second.id);
      expect(stored.startsWith(`rcenc:v1:${OLD.id}:`)).toBe(true);
      expect(stored).not.toContain(second.secret);
      expect(stored).not.toContain(second.secret.slice('whsec_'.length));
      secrets.set(first.id, first.secret).set(second.id, second.secret);
      await expectDeliveries(keyed, secrets);
      expect(counts(await inspectStoredSecrets(base.db.kysely, keyed.config.encryption))).toEqual({
        [WEBHOOKS]: { plain: 1, current: 1, previous: {}, unreadable: 0 },
        [SETTING]: { plain: 1, current: 0, previous: {}, unreadable: 0 },
        ...NO_GOOGLE,
      });

      // The rotation encrypts the plain rows, and leaves alone those already under the key.
      const rotated = await rotateStoredSecrets(base.db.kysely, keyed.config.encryption);
      expect(rotated).toEqual([
        { column: WEBHOOKS, encrypted: 1, reencrypted: 0, unchanged: 1 },
        { column: SETTING, encrypted: 1, reencrypted: 0, unchanged: 0 },
        { column: GOOGLE, encrypted: 0, reencrypted: 0, unchanged: 0 },
      ]);
      expect(await storedWebhookSecret(second.id)).toBe(stored);
      const firstStored = await storedWebhookSecret(first.id);
      expect(firstStored.startsWith(`rcenc:v1:${OLD.id}:`)).toBe(true);
      expect(firstStored).not.toContain(first.secret);
      const keyStored = await storedSigningKey();
      expect(keyStored.startsWith(`rcenc:v1:${OLD.id}:`)).toBe(true);
      expect(keyStored).not.toContain(signingKey);
      expect(new Keyring(OLD).open(keyStored, signingKeyAt)).toBe(signingKey);
      expect(counts(await inspectStoredSecrets(base.db.kysely, keyed.config.encryption))).toEqual({
        [WEBHOOKS]: { plain: 0, current: 2, previous: {}, unreadable: 0 },
        [SETTING]: { plain: 0, current: 1, previous: {}, unreadable: 0 },
        ...NO_GOOGLE,
      });
      // Again: nothing left to do.
      expect((await rotateStoredSecrets(base.db.kysely, keyed.config.encryption)).map((r) => r.unchanged)).toEqual([2, 1, 0]);

      // A fresh instance reads the encrypted rows: deliveries signed, old tokens verify, new ones mint.
      const after = await instance({ ROLLCALL_ENCRYPTION_KEY: OLD_KEY });
      await expectDeliveries(after, secrets);
      await expectTokenWorks(after, plainToken, signingKey);
      await expectTokenWorks(after, await mint(after), signingKey);
    });

    it('rotates to a new key: the old one listed only for decrypting, then not at all', async () => {
      expect(secrets.size).toBe(2);
      const oldToken = firstToken;

      // The new key is current, the old one is listed for decrypting: everything still works.
      const mid = await instance({ ROLLCALL_ENCRYPTION_KEY: NEW_KEY, ROLLCALL_PREVIOUS_ENCRYPTION_KEYS: `${randomBytes(32).toString('base64url')}, ${OLD_KEY}` });
      await expectDeliveries(mid, secrets);
      await expectTokenWorks(mid, oldToken, signingKey);
      const third = await createWebhook(mid, { url: receiver.url });
      expect((await storedWebhookSecret(third.id)).startsWith(`rcenc:v1:${NEW.id}:`)).toBe(true);

      // An instance still running with the old key alone (started before the change) sends what it can
      // read and leaves the new webhook's delivery to an instance with the new key.
      const lagging = await instance({ ROLLCALL_ENCRYPTION_KEY: OLD_KEY });
      const before = receiver.received.length;
      await appendEvents(lagging, { tenantId: 'acme', connectionId: 'c1' }, [{ type: 'user.created', resourceId: 'u-lagging', data: {} }]);
      await dispatchAll(lagging);
      await expect(lagging.app.services.webhooks.deliverer.run()).rejects.toThrow(
        `webhooks.secret of row "${third.id}" is encrypted with key id ${NEW.id}, which is neither ROLLCALL_ENCRYPTION_KEY (key id ${OLD.id}) nor one of ROLLCALL_PREVIOUS_ENCRYPTION_KEYS`,
      );
      expect(receiver.received.length - before).toBe(2);
      // Its claim expires (the test stands in for the 30 s lease), and the instance with the key sends it.
      await base.db.kysely.updateTable('webhook_deliveries').set({ locked_until: null }).where('status', '=', 'pending').execute();
      await settle(mid);
      const late = receiver.received.slice(before);
      expect(late).toHaveLength(3);
      expect(verifyRollcallSignature(third.secret, late[2].headers['rollcall-signature'] as string, late[2].body)).toBe(true);
      secrets.set(third.id, third.secret);

      const rotated = await rotateStoredSecrets(base.db.kysely, mid.config.encryption);
      expect(rotated).toEqual([
        { column: WEBHOOKS, encrypted: 0, reencrypted: 2, unchanged: 1 },
        { column: SETTING, encrypted: 0, reencrypted: 1, unchanged: 0 },
        { column: GOOGLE, encrypted: 0, reencrypted: 0, unchanged: 0 },
      ]);
      for (const id of secrets.keys()) {
        const stored = await storedWebhookSecret(id);
        expect(stored.startsWith(`rcenc:v1:${NEW.id}:`)).toBe(true);
        expect(stored).not.toContain(secrets.get(id)!);
      }
      expect((await storedSigningKey()).startsWith(`rcenc:v1:${NEW.id}:`)).toBe(true);

      // The old key is no longer needed.
      const next = await instance({ ROLLCALL_ENCRYPTION_KEY: NEW_KEY });
      expect(counts(await checkStoredSecrets(base.db.kysely, next.config.encryption))).toEqual({
        [WEBHOOKS]: { plain: 0, current: 3, previous: {}, unreadable: 0 },
        [SETTING]: { plain: 0, current: 1, previous: {}, unreadable: 0 },
        ...NO_GOOGLE,
      });
      await expectDeliveries(next, secrets);
      await expectTokenWorks(next, oldToken, signingKey);
      await expectTokenWorks(next, await mint(next), signingKey);

      // Only the old key, or none: the start-up check names the variable and the key id it needs.
      await expect(checkStoredSecrets(base.db.kysely, loadConfig({ ROLLCALL_ENCRYPTION_KEY: OLD_KEY }).encryption)).rejects.toThrow(
        `Cannot read the stored secrets: 4 stored secrets encrypted with key id ${NEW.id}, which is neither ROLLCALL_ENCRYPTION_KEY (key id ${OLD.id}) nor one of ROLLCALL_PREVIOUS_ENCRYPTION_KEYS`,
      );
      await expect(checkStoredSecrets(base.db.kysely, Keyring.none)).rejects.toThrow(`4 stored secrets encrypted with key id ${NEW.id}, but ROLLCALL_ENCRYPTION_KEY is not set`);
      await expect(rotateStoredSecrets(base.db.kysely, Keyring.none)).rejects.toThrow('ROLLCALL_ENCRYPTION_KEY is not set: rotation encrypts the stored secrets with it');
    });

    it('does not decrypt a value copied into another row, and finds it at start-up', async () => {
      const keys = loadConfig({ ROLLCALL_ENCRYPTION_KEY: NEW_KEY }).encryption;
      const rows = await base.db.kysely.selectFrom('webhooks').select(['id', 'secret']).orderBy('id').execute();
      const [a, b] = rows as [(typeof rows)[0], (typeof rows)[0]];
      await base.db.kysely.updateTable('webhooks').set({ secret: a.secret }).where('id', '=', b.id).execute();
      try {
        await expect(checkStoredSecrets(base.db.kysely, keys)).rejects.toThrow(`webhooks.secret of row "${b.id}" does not decrypt with key id ${NEW.id}: it was altered, or copied from another row`);
        // A rotation changes nothing while a secret cannot be read.
        await expect(rotateStoredSecrets(base.db.kysely, keys)).rejects.toThrow('does not decrypt');
        expect(await storedWebhookSecret(b.id)).toBe(a.secret);
      } finally {
        await base.db.kysely.updateTable('webhooks').set({ secret: b.secret }).where('id', '=', b.id).execute();
      }
      await checkStoredSecrets(base.db.kysely, keys);
      await removeWebhooks({ db: base.db } as TestApp);
    });
  });
}
