/**
 * One way the kept counts stay right on each database, which a new insert path cannot forget.
 *
 * (a) On every database, after users and groups come through every path there is — a single
 * create, concurrent creates, group creates, Bulk, the stores in a unit of work, a write rolled
 * back among concurrent ones, deletes, connection and tenant deletion — each list's scim_counts
 * and order-block total is its number of rows.
 *
 * (b) The source: PostgreSQL counts inserts by trigger, whatever inserts; SQLite counts them where
 * they are made, in its dialect's `insertResource` (src/db/sqlite/resource-counting.ts), so an
 * insert of a user or group anywhere else would go uncounted there. No file under src/ inserts
 * into scim_users or scim_groups but the few named below, each for its reason.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionStore } from '../../src/connections/store.js';
import type { DialectName, Db } from '../../src/db/open.js';
import { TenantStore } from '../../src/tenants/store.js';
import { newId } from '../../src/security/ids.js';
import { dialectsUnderTest, storeTestDatabase } from '../support/databases.js';
import { addConnection, addTenant, BASE, BULK, closeStorage, counted, everyCount, exactly, GROUP, PATCH_OP, services, USER, type Services } from './scim-world.js';

const NOW = '2026-11-29T00:00:00.000Z';

/** Every list of the database keeps its count and its blocks' total at its number of rows. */
async function expectEveryCountExact(db: Db): Promise<void> {
  const all = await everyCount(db);
  const wrong = Object.entries(all).filter(([, c]) => c.kept !== c.rows || c.blocks !== c.rows);
  expect(wrong).toEqual([]);
}

function countsOnEveryPath(dialect: DialectName): void {
  describe(`kept counts through every insert path [${dialect}]`, () => {
    let opened: Awaited<ReturnType<typeof storeTestDatabase>> | undefined;
    let db: Db;
    let svc: Services;

    beforeAll(async () => {
      opened = await storeTestDatabase(dialect, []);
      db = opened.db;
      svc = services(db, { orderBlockRows: 4, blockReadIntervalMs: 0 });
    });
    afterAll(async () => {
      if (svc) await closeStorage(svc.storage);
      await opened?.close();
    });

    it('counts users and groups however they are inserted, and a failed write not at all', async () => {
      const scope = await addConnection(db, 't', 'paths');
      // A single create.
      await svc.users.create(scope, BASE, { schemas: [USER], userName: 'single', emails: [{ value: 'single@counts.test' }] });
      expect(await counted(db, scope)).toEqual(exactly(1, 0));

      // Concurrent creates: PostgreSQL shares one statement among them, SQLite one commit; some are 409s.
      const names = [...Array.from({ length: 30 }, (_, i) => `many${i}`), 'single', 'many3', 'MANY4'];
      const many = await Promise.allSettled(names.map((userName) => svc.users.create(scope, BASE, { schemas: [USER], userName })));
      expect(many.filter((r) => r.status === 'fulfilled')).toHaveLength(30);
      expect(await counted(db, scope)).toEqual(exactly(31, 0));

      // Group creates, alone and at once, with members.
      const first = (await svc.users.list(scope, BASE, { offset: 0, limit: 3, sortOrder: 'ascending' }, { exclude: [] })).resources.map((r) => ({ value: r.id }));
      await svc.groups.create(scope, BASE, { schemas: [GROUP], displayName: 'G0', members: first });
      await Promise.all(Array.from({ length: 6 }, (_, i) => svc.groups.create(scope, BASE, { schemas: [GROUP], displayName: `G${i + 1}` })));
      expect(await counted(db, scope)).toEqual(exactly(31, 7));

      // Bulk: a window of user creates, a group, a PATCH, deletes.
      const bulk = await svc.bulk.execute(
        scope,
        BASE,
        {
          schemas: [BULK],
          Operations: [
            ...Array.from({ length: 8 }, (_, i) => ({ method: 'POST', path: '/Users', bulkId: `u${i}`, data: { schemas: [USER], userName: `bulk${i}` } })),
            { method: 'POST', path: '/Users', bulkId: 'taken', data: { schemas: [USER], userName: 'many0' } },
            { method: 'POST', path: '/Groups', bulkId: 'g', data: { schemas: [GROUP], displayName: 'Bulk', members: [{ value: 'bulkId:u0' }] } },
            { method: 'PATCH', path: '/Groups/bulkId:g', data: { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: 'bulkId:u1' }] }] } },
            { method: 'DELETE', path: '/Users/bulkId:u7' },
          ],
        },
        100,
      );
      expect(bulk.map((r) => r.status)).toEqual([...Array<string>(8).fill('201'), '409', '201', '200', '204']);
      expect(await counted(db, scope)).toEqual(exactly(38, 8));

      // The stores in a unit of work, as the services use them.
      await svc.storage.writes.write(scope, '', async (stores, now) => {
        await stores.users.insert(scope, newId(), { schemas: [USER], userName: 'stored' }, now);
        await stores.groups.insert(scope, newId(), { schemas: [GROUP], displayName: 'Stored' }, now);
      });
      expect(await counted(db, scope)).toEqual(exactly(39, 9));

      // A write that fails after inserting, among concurrent creates: counted by none, the others each once.
      const failing = svc.storage.writes.write(scope, '', async (stores, now) => {
        await stores.users.insert(scope, newId(), { schemas: [USER], userName: 'rolled-back' }, now);
        await stores.groups.insert(scope, newId(), { schemas: [GROUP], displayName: 'Rolled back' }, now);
        throw new Error('after the inserts');
      });
      const beside = Array.from({ length: 5 }, (_, i) => svc.users.create(scope, BASE, { schemas: [USER], userName: `beside${i}` }));
      await expect(failing).rejects.toThrow('after the inserts');
      await Promise.all(beside);
      expect(await counted(db, scope)).toEqual(exactly(44, 9));

      // Deletes.
      const doomed = (await svc.users.list(scope, BASE, { offset: 10, limit: 4, sortOrder: 'ascending' }, { exclude: [] })).resources.map((r) => r.id as string);
      await Promise.all(doomed.map((id) => svc.users.delete(scope, id)));
      const group = (await svc.groups.list(scope, BASE, { offset: 0, limit: 1, sortOrder: 'ascending' }, { exclude: [] })).resources[0];
      await svc.groups.delete(scope, group.id as string);
      expect(await counted(db, scope)).toEqual(exactly(40, 8));

      // Upkeep cuts the blocks, and the counts stay.
      for (const resourceType of ['User', 'Group'] as const) await svc.storage.blocks.settle({ ...scope, resourceType });
      expect(await counted(db, scope)).toEqual(exactly(40, 8));
      await expectEveryCountExact(db);
    });

    it('leaves no count behind a connection deleted with its resources, keeps counting detached ones, and a deleted tenant has none', async () => {
      const connections = new ConnectionStore(db.kysely, db.dialect);
      const fill = async (scope: { tenantId: string; connectionId: string; emitEvents?: boolean }) => {
        await Promise.all(Array.from({ length: 9 }, (_, i) => svc.users.create(scope, BASE, { schemas: [USER], userName: `u${i}` })));
        await svc.groups.create(scope, BASE, { schemas: [GROUP], displayName: 'G' });
      };
      const removed = await addConnection(db, 't', 'removed');
      const detached = await addConnection(db, 't', 'detached');
      await addTenant(db, 'gone');
      const ofGone = await addConnection(db, 'gone', 'of-gone');
      for (const scope of [removed, detached, ofGone]) await fill(scope);
      await expectEveryCountExact(db);

      const options = { events: [], emitResourceEvents: true, now: NOW };
      expect(await connections.delete(removed.connectionId, 't', true, options)).toBe(true);
      expect(await connections.delete(detached.connectionId, 't', false, options)).toBe(true);
      expect(await counted(db, removed)).toEqual(exactly(0, 0));
      expect(await counted(db, detached)).toEqual(exactly(9, 1));
      expect(await new TenantStore(db.kysely).delete('gone')).toBe(true);
      expect(await counted(db, ofGone)).toEqual(exactly(0, 0));
      await expectEveryCountExact(db);
      // Nothing is left of the connections and tenant deleted with their resources.
      const keys = Object.keys(await everyCount(db));
      expect(keys.filter((key) => key.includes(removed.connectionId) || key.startsWith('gone/'))).toEqual([]);
    });
  });
}

for (const dialect of dialectsUnderTest()) countsOnEveryPath(dialect);

// ---------------------------------------------------------------------------------------------
// (b) Which code inserts users and groups.

/** A place in the source that inserts users or groups. */
interface ResourceInsert {
  path: string;
  line: number;
  /** The text found, whitespace collapsed. */
  text: string;
}

/**
 * What inserts a user or a group, as the code writes inserts today: Kysely's builder
 * (`db.insertInto('scim_users')`), SQL text (`insert into scim_users`, `insert into "scim_groups"`,
 * SQLite's `insert or replace into`, `${sql.table('scim_users')}`), rows handed to the prepared
 * insert or to an insert sink (`insertRows(db, dialect, 'scim_users', …)`,
 * `batch.add('scim_users', …)`), and `insertResourceRow`, which inserts without counting.
 * `scim_user_emails`, `scim_users_search` and `scim_group_members` are other tables.
 */
const INSERTS: readonly RegExp[] = [
  /\b(?:insertInto|replaceInto|mergeInto)\(\s*(['"`])scim_(?:users|groups)(?:\s+as\s+\w+)?\1/g,
  /\b(?:insert|replace)(?:\s+or\s+\w+)?\s+into\s+(?:["`]|\$\{\s*sql\.(?:table|id|ref)\(\s*['"`])?scim_(?:users|groups)(?![\w])/gi,
  /\b(?:merge\s+into|copy)\s+["`]?scim_(?:users|groups)(?![\w])/gi,
  // With its receiver (`this.batch.add(`), so an allowance names the very sink.
  /(?<![\w$.])(?:[\w$]+\.)*(?:insertRows|add)\(\s*(?:[^()'"`;]*?,\s*)?(['"`])scim_(?:users|groups)\1/g,
  /\binsertResourceRow\(/g,
];

/** Every insert of a user or group that `text` (the file at `path`) makes. */
function findResourceInserts(path: string, text: string): ResourceInsert[] {
  const found: ResourceInsert[] = [];
  for (const pattern of INSERTS) {
    for (const match of text.matchAll(pattern)) {
      found.push({ path, line: text.slice(0, match.index).split('\n').length, text: match[0].replace(/\s+/g, ' ') });
    }
  }
  return found.sort((a, b) => a.line - b.line);
}

/** The inserts allowed, each by file and by the text found there ('*': any), and why. */
const ALLOWED: readonly { path: string; text: string; why: string }[] = [
  {
    path: 'src/db/scim-dialect.ts',
    text: "insertRows(db, dialect, 'scim_users'",
    why: 'insertResourceRow: the row alone; each dialect’s insertResource counts it (SQLite) or its triggers do (PostgreSQL)',
  },
  { path: 'src/db/scim-dialect.ts', text: "insertRows(db, dialect, 'scim_groups'", why: 'the same, for groups' },
  { path: 'src/db/scim-dialect.ts', text: 'insertResourceRow(', why: 'its definition' },
  { path: 'src/db/sqlite/resource-counting.ts', text: 'insertResourceRow(', why: 'SQLite: counted into scim_counts and its order block by the next statements of insertCounted' },
  { path: 'src/db/postgres/resource-counting.ts', text: 'insertResourceRow(', why: 'PostgreSQL: counted by the per-statement triggers of migrations 0008 and 0009' },
  { path: 'src/db/postgres/create-statement.ts', text: '*', why: 'PostgreSQL’s statement of coalesced creates: its inserts are counted by the same triggers' },
  {
    path: 'src/scim/store/user-store.ts',
    text: "this.batch.add('scim_users'",
    why:
      'UserStore is given a batch only by PostgresScimWrites.create: the rows go into the create statement (src/db/postgres/create-statement.ts), ' +
      'counted by PostgreSQL’s triggers; on SQLite a UserStore has no batch and inserts through insertResource',
  },
];

const isAllowed = (insert: ResourceInsert) => ALLOWED.some((a) => a.path === insert.path && (a.text === '*' || insert.text === a.text));

/** The inserts of `files` that no allowance covers. */
function uncountedInserts(files: readonly { path: string; text: string }[]): ResourceInsert[] {
  return files.flatMap((file) => findResourceInserts(file.path, file.text)).filter((insert) => !isAllowed(insert));
}

/** The text of src/**\/*.ts: migrations aside (history, frozen; they may insert rows as the schema of their day had them), and tests beside the code. */
function sourceFiles(): { path: string; text: string }[] {
  const root = join(import.meta.dirname, '../..');
  return (readdirSync(join(root, 'src'), { recursive: true }) as string[])
    .map((file) => `src/${file.split('\\').join('/')}`)
    .filter((path) => path.endsWith('.ts') && !path.endsWith('.test.ts') && !path.startsWith('src/db/migrations/'))
    .sort()
    .map((path) => ({ path, text: readFileSync(join(root, path), 'utf8') }));
}

describe('which code inserts users and groups (the source)', () => {
  it('finds the inserts as the code writes them, and not those of other tables', () => {
    const positives = [
      "await db.insertInto('scim_users').values(row).execute();",
      'trx.insertInto("scim_groups").values(rows)',
      'this.db\n  .insertInto(\n    `scim_users`\n  )',
      "db.insertInto('scim_groups as g')",
      'await sql`INSERT INTO scim_users (id, tenant_id) VALUES (${id}, ${tenant})`.execute(db);',
      '`insert into "scim_groups" ("id") values ($1)`',
      "'insert or replace into scim_users (id) values (?)'",
      'sql`insert into ${sql.table(\'scim_groups\')} (id) values (${id})`',
      'with k as (insert into scim_users (id) select id from r returning id) select 1',
      "await insertRows(this.db, this.dialect, 'scim_users', [row]);",
      "await insertRows(\n  trx,\n  dialect,\n  'scim_groups',\n  rows,\n);",
      "batch.add('scim_groups', rows);",
      "insertResourceRow(db, dialect, { table: 'scim_users', row });",
      'copy scim_users from stdin',
    ];
    for (const text of positives) expect(findResourceInserts('src/x.ts', text), text).toHaveLength(1);
    const negatives = [
      "db.insertInto('scim_user_emails').values(emails)",
      "db.insertInto('scim_group_members').values(rows)",
      "insertRows(db, dialect, 'scim_user_emails', emails)",
      "this.batch.add('scim_user_emails', emails);",
      'insert into scim_users_search (rowid, user_name) values (new.rowid, new.user_name)',
      "db.selectFrom('scim_users').selectAll()",
      "db.deleteFrom('scim_groups').where('id', '=', id)",
      "db.updateTable('scim_users').set({ detached: 1 })",
      "await this.dialect.scim.insertResource(this.db, this.dialect, scope, { table: 'scim_users', row });",
      'update scim_groups set version = version + 1',
    ];
    for (const text of negatives) expect(findResourceInserts('src/x.ts', text), text).toEqual([]);
  });

  it('no file under src/ inserts users or groups but those allowed, and every allowance is still in use', () => {
    const files = sourceFiles();
    expect(files.length).toBeGreaterThan(100);
    expect(uncountedInserts(files)).toEqual([]);
    const found = files.flatMap((file) => findResourceInserts(file.path, file.text));
    for (const allowed of ALLOWED.filter((a) => a.text !== '*')) {
      expect(
        found.some((insert) => insert.path === allowed.path && insert.text === allowed.text),
        `${allowed.path}: ${allowed.text} is allowed but no longer found (${allowed.why})`,
      ).toBe(true);
    }
  });

  it('fails for an insert added anywhere else, an allowed file included', () => {
    const files = sourceFiles();
    const added = "  await this.db.insertInto('scim_users').values(row).execute();\n";
    const elsewhere = [...files, { path: 'src/directory/import.ts', text: `export async function importUser(db, row) {\n${added}}\n` }];
    expect(uncountedInserts(elsewhere)).toEqual([{ path: 'src/directory/import.ts', line: 2, text: "insertInto('scim_users'" }]);
    const inUserStore = files.map((f) => (f.path === 'src/scim/store/user-store.ts' ? { ...f, text: f.text + added } : f));
    expect(uncountedInserts(inUserStore)).toEqual([expect.objectContaining({ path: 'src/scim/store/user-store.ts', text: "insertInto('scim_users'" })]);
    const rawInGroups = files.map((f) => (f.path === 'src/scim/store/group-store.ts' ? { ...f, text: f.text + "\nawait insertRows(this.db, this.dialect, 'scim_groups', [row]);\n" } : f));
    expect(uncountedInserts(rawInGroups)).toHaveLength(1);
  });
});
