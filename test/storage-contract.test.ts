/**
 * The storage contract: the same cases on every database. Each store is driven directly, so a
 * difference between dialects shows up here before it shows up in a route.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthStore } from '../src/auth/store.js';
import { ConnectionStore, type ConnectionRow } from '../src/connections/store.js';
import type { Db } from '../src/db/open.js';
import { TenantStore } from '../src/tenants/store.js';
import { dialectsUnderTest, type TestDatabase } from './support/databases.js';
import { openTestDb } from './support/test-app.js';

const NOW = '2026-01-01T00:00:00.000Z';

function connection(id: string, tenantId: string, source = 'okta'): ConnectionRow {
  return { id, tenant_id: tenantId, source, connection_name: `${source} ${id}`, sync_to_user_management: 1, created_at: NOW, updated_at: NOW, last_sync_at: null };
}

for (const dialect of dialectsUnderTest()) {
  describe(`storage contract [${dialect}]`, () => {
    let db: Db;
    let database: TestDatabase;
    let tenants: TenantStore;
    let connections: ConnectionStore;
    let auth: AuthStore;

    beforeAll(async () => {
      ({ db, database } = await openTestDb(dialect));
      tenants = new TenantStore(db.kysely);
      connections = new ConnectionStore(db.kysely, db.dialect);
      auth = new AuthStore(db.kysely);
      for (const id of ['t-a', 't-b']) await tenants.insert({ id, name: id.toUpperCase(), created_at: NOW, updated_at: NOW });
      await connections.insertWithToken(connection('c-a', 't-a'), { id: 'tok-a', hash: 'hash-a', prefix: 'rc_scim_aaaa' });
      await connections.insertWithToken(connection('c-b', 't-b', 'azure-ad'), { id: 'tok-b', hash: 'hash-b', prefix: 'rc_scim_bbbb' });
    });
    afterAll(async () => {
      await db?.close();
      await database?.drop();
    });

    it('round-trips rows with the same types on every dialect', async () => {
      const row = await connections.find('c-a');
      expect(row).toEqual(connection('c-a', 't-a'));
      expect(typeof row!.sync_to_user_management).toBe('number');
      expect(await tenants.find('t-a')).toEqual({ id: 't-a', name: 'T-A', created_at: NOW, updated_at: NOW });
    });

    it('another tenant sees nothing of a connection', async () => {
      expect(await connections.find('c-a', 't-b')).toBeUndefined();
      expect(await connections.list({ tenantId: 't-b' })).toEqual([connection('c-b', 't-b', 'azure-ad')]);
      expect(await connections.update('c-a', 't-b', { sync_to_user_management: 0 }, NOW)).toBe(false);
      expect(await connections.delete('c-a', 't-b', true, { events: [], emitResourceEvents: true, now: NOW })).toBe(false);
      expect((await connections.find('c-a'))!.sync_to_user_management).toBe(1);
    });

    it('a token hash opens only its own connection, and only while live', async () => {
      expect(await connections.findByToken('c-a', 'hash-a', NOW)).toMatchObject({ connectionId: 'c-a', tenantId: 't-a', tokenId: 'tok-a' });
      expect(await connections.findByToken('c-b', 'hash-a', NOW)).toBeUndefined();
      await db.kysely.updateTable('connection_tokens').set({ expires_at: '2025-01-01T00:00:00.000Z' }).where('id', '=', 'tok-b').execute();
      expect(await connections.findByToken('c-b', 'hash-b', NOW)).toBeUndefined();
    });

    it('counts and pages tenants in a stable order', async () => {
      for (let i = 0; i < 5; i++) await tenants.insert({ id: `p-${i}`, name: `Page ${i}`, created_at: NOW, updated_at: NOW });
      const page = await tenants.list({ limit: 2, offset: 2, search: 'page' });
      expect(page.total).toBe(5);
      expect(page.rows.map((r) => r.id)).toEqual(['p-2', 'p-3']);
    });

    it('a duplicate tenant id violates the unique constraint the same way', async () => {
      const { isUniqueViolation } = await import('../src/db/errors.js');
      const error = await tenants.insert({ id: 't-a', name: 'dup', created_at: NOW, updated_at: NOW }).catch((e: unknown) => e);
      expect(isUniqueViolation(error)).toBe(true);
    });

    it('claims a setting once', async () => {
      expect(await auth.claimSetting('once', 'x', NOW)).toBe(true);
      expect(await auth.claimSetting('once', 'y', NOW)).toBe(false);
    });

    it('deleting a tenant cascades to its connections and tokens only', async () => {
      await tenants.insert({ id: 't-c', name: 'C', created_at: NOW, updated_at: NOW });
      await connections.insertWithToken(connection('c-c', 't-c'), { id: 'tok-c', hash: 'hash-c', prefix: 'rc_scim_cccc' });
      expect(await tenants.delete('t-c')).toBe(true);
      expect(await connections.find('c-c')).toBeUndefined();
      expect(await connections.findByToken('c-c', 'hash-c', NOW)).toBeUndefined();
      expect(await connections.find('c-a')).toBeDefined();
      expect(await tenants.delete('t-c')).toBe(false);
    });
  });
}
