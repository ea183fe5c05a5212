/**
 * PostgreSQL's fast paths give exactly what the general path gives. The same sequence of SCIM
 * changes runs on two connections of one database — one through PostgreSQL's storage as it is
 * (creates coalesced into one statement, a Group PATCH as one statement or as a read and a guarded
 * statement, a page of users read with their groups), one forced through the general path (the
 * base class UnitOfWork's `create` and `patchGroup`, a page and then `groupsOf`) — and after every
 * step the two agree, ids and timestamps aside: the service's answer or error, the events the step
 * wrote, the rows (resource JSON, columns, version), the member and email rows, the counts and
 * order blocks. The same sequence on SQLite, where every change goes the general way, gives the
 * same again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/open.js';
import { RoleStore } from '../../src/roles/store.js';
import { parseAttributeList, parseFilter } from '../../src/scim/filter/index.js';
import { UnitOfWork, type GroupPatch, type InsertStores } from '../../src/scim/service/unit-of-work.js';
import type { ListQuery } from '../../src/scim/store/list-query.js';
import type { PageStart } from '../../src/scim/store/page-seek.js';
import type { ConnectionScope } from '../../src/scim/store/scope.js';
import type { ListedUser } from '../../src/scim/store/user-store.js';
import { dialectsUnderTest, storeTestDatabase } from '../support/databases.js';
import { QueryCounter } from '../support/query-counter.js';
import { addConnection, BASE, BULK, closeStorage, counted, eventsOf, GROUP, PATCH_OP, services, USER, type Services } from './scim-world.js';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const INSTANT = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z/g;

/**
 * `value` with every resource id replaced by the label the sequence gave it, and every instant by
 * `<time>`: what is left must be equal between two runs. An id the sequence did not label fails
 * at once, so nothing random can make two states differ or hide a difference.
 */
function normalise(value: unknown, labels: ReadonlyMap<string, string>): unknown {
  let text = JSON.stringify(value ?? null);
  // Labels of other strings (the connection's id, in events' data): whole JSON strings only.
  for (const [key, label] of labels) if (!key.match(UUID)) text = text.split(JSON.stringify(key)).join(JSON.stringify(`<${label}>`));
  text = text
    .replace(UUID, (id) => {
      const label = labels.get(id);
      if (label === undefined) throw new Error(`an id the sequence did not label: ${id}`);
      return `<${label}>`;
    })
    .replace(INSTANT, '<time>');
  return sortMembers(JSON.parse(text));
}

/** A group's `members` come in member-id order, and ids are drawn anew each run: compared by label instead. */
function sortMembers(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortMembers);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) out[key] = key === 'members' && Array.isArray(inner) ? (sortMembers(inner) as unknown[]).sort(byJson) : sortMembers(inner);
  return out;
}

const byJson = (a: unknown, b: unknown) => JSON.stringify(a).localeCompare(JSON.stringify(b));

/** Everything stored for a connection, normalised. */
async function stateOf(db: Db, scope: ConnectionScope, labels: ReadonlyMap<string, string>) {
  const k = db.kysely;
  const users = await k
    .selectFrom('scim_users')
    .select(['id', 'user_name', 'user_name_norm', 'external_id', 'display_name', 'display_name_norm', 'given_name', 'family_name', 'email_norm', 'active', 'detached', 'resource', 'version', 'created_at', 'updated_at'])
    .where('tenant_id', '=', scope.tenantId)
    .where('connection_id', '=', scope.connectionId)
    .execute();
  const groups = await k
    .selectFrom('scim_groups')
    .select(['id', 'display_name', 'display_name_norm', 'external_id', 'detached', 'resource', 'version', 'created_at', 'updated_at'])
    .where('tenant_id', '=', scope.tenantId)
    .where('connection_id', '=', scope.connectionId)
    .execute();
  const members = await k.selectFrom('scim_group_members').select(['group_id', 'member_id', 'member_type', 'tenant_id', 'created_at']).where('connection_id', '=', scope.connectionId).execute();
  const emails = await k.selectFrom('scim_user_emails').select(['user_id', 'position', 'value_norm', 'type', 'is_primary']).where('connection_id', '=', scope.connectionId).execute();
  const parsed = <R extends { resource: string }>(rows: R[]) => rows.map((r) => ({ ...r, resource: JSON.parse(r.resource) as unknown }));
  const sorted = (rows: unknown[]) => (normalise(rows, labels) as unknown[]).sort(byJson);
  return {
    users: sorted(parsed(users)),
    groups: sorted(parsed(groups)),
    members: sorted(members),
    emails: sorted(emails),
    counts: await counted(db, scope),
    lastSync: (await k.selectFrom('connections').select('last_sync_at').where('id', '=', scope.connectionId).executeTakeFirstOrThrow()).last_sync_at !== null,
  };
}

/** What a service call answered: its rendered resource and version, or its SCIM error. */
async function answer(call: Promise<unknown>): Promise<unknown> {
  try {
    return { ok: await call };
  } catch (error) {
    if (error instanceof Error && 'status' in error) return { error: { status: error.status, scimType: (error as { scimType?: string }).scimType, detail: error.message } };
    throw error;
  }
}

/** One connection's run of the sequence. */
interface Run {
  db: Db;
  svc: Services;
  scope: ConnectionScope;
  /** A user of another connection, labelled `foreign`. */
  foreign: string;
  labels: Map<string, string>;
  /** The ways the step's Group PATCHes went (traced on PostgreSQL's own storage). */
  paths: string[];
  /** Queries run through the storage, when counted. */
  counter?: QueryCounter;
}

interface Step {
  name: string;
  answer: unknown;
  events: unknown;
  /** The events in the order they were written, whatever the step. */
  inOrder: unknown[];
  state: unknown;
  paths: string[];
  queries?: number;
}

const patch = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });
const add = (...ids: string[]) => ({ op: 'add', path: 'members', value: ids.map((value) => ({ value })) });
const remove = (...ids: string[]) => ({ op: 'remove', path: 'members', value: ids.map((value) => ({ value })) });

/** The concurrent creates: new users, users named twice in the burst, and one the database cannot store. */
function burst(): Record<string, unknown>[] {
  const bodies: Record<string, unknown>[] = Array.from({ length: 24 }, (_, i) => ({
    schemas: [USER],
    userName: `p${i}@seq.test`,
    ...(i % 3 === 0 ? { displayName: `Person ${i}` } : {}),
    ...(i % 4 === 0 ? { externalId: `ext-${i}` } : {}),
    ...(i % 5 !== 0 ? { emails: [{ value: `P${i}@Work.test`, type: 'work', primary: true }, { value: `p${i}@home.test`, type: 'home' }] } : {}),
    ...(i % 7 === 0 ? { active: false } : {}),
  }));
  // Identical bodies twice: one is created, the other answered 409, whichever way.
  bodies.push({ ...bodies[0] }, { ...bodies[5] }, { ...bodies[10] });
  bodies.push({ schemas: [USER], userName: 'nul\u0000@seq.test' });
  return bodies;
}

/** The role the sequence maps to a group: user.updated events with roles follow its members. */
const ROLE = 'seq-admin';

/** What the sequence needs in a database besides its connections. */
async function prepare(db: Db): Promise<void> {
  const at = '2026-11-29T00:00:00.000Z';
  await new RoleStore(db.kysely).insert({ key: ROLE, name: 'Sequence admin', description: null, permissions: '[]', is_default: 0, created_at: at, updated_at: at });
}

/** Runs the sequence on `run`'s connection; each step's answer, events and state, normalised. */
async function sequence(run: Run): Promise<Step[]> {
  const { db, svc, scope, labels } = run;
  const steps: Step[] = [];
  const user = (i: number) => [...labels].find(([, label]) => label === `user:p${i}@seq.test`)![0];
  const group = (name: string) => [...labels].find(([, label]) => label === `group:${name}`)![0];
  const labelUser = (rendered: { resource: Record<string, unknown> }) => labels.set(rendered.resource.id as string, `user:${String(rendered.resource.userName)}`);
  const labelGroup = (rendered: { resource: Record<string, unknown> }) => labels.set(rendered.resource.id as string, `group:${String(rendered.resource.displayName)}`);

  /**
   * Runs a step: what it answered, the events it wrote, the state after it. The events are compared
   * as a set when the step's writes ran concurrently, or when their order is that of stored rows
   * (`unordered`: removing every member, or a user from every group, reads them back in the order the table holds them).
   */
  const step = async (name: string, call: () => Promise<unknown>, options: { concurrent?: boolean; unordered?: boolean } = {}) => {
    const before = (await eventsOf(db, scope)).length;
    run.paths.length = 0;
    if (run.counter) run.counter.count = 0;
    const result = await call();
    const queries = run.counter?.count;
    const events = normalise((await eventsOf(db, scope)).slice(before), labels) as unknown[];
    steps.push({
      name,
      answer: normalise(result, labels),
      inOrder: [...events],
      events: options.concurrent || options.unordered ? events.sort(byJson) : events,
      state: await stateOf(db, scope, labels),
      paths: [...run.paths],
      ...(queries !== undefined ? { queries } : {}),
    });
  };

  await step(
    'concurrent creates, some named twice, one unstorable',
    async () => {
      const answers = await Promise.all(
        burst().map(async (body) => {
          const a = await answer(svc.users.create(scope, BASE, body));
          if (a && typeof a === 'object' && 'ok' in a) labelUser(a.ok as { resource: Record<string, unknown> });
          return a;
        }),
      );
      return answers.sort((x, y) => byJson(normalise(x, labels), normalise(y, labels)));
    },
    { concurrent: true },
  );
  await step('a create alone, and one whose userName is taken in another case', async () => {
    const solo = await svc.users.create(scope, BASE, { schemas: [USER], userName: 'solo@seq.test', emails: [{ value: 'solo@seq.test' }] });
    labelUser(solo);
    return [solo, await answer(svc.users.create(scope, BASE, { schemas: [USER], userName: 'P1@SEQ.test' }))];
  });
  await step('groups created (the same path on both)', async () => {
    const out = [];
    for (const [displayName, members] of [['Alpha', [user(0), user(1)]], ['Beta', []], ['Gamma', []], ['Nested', []]] as const) {
      const created = await svc.groups.create(scope, BASE, { schemas: [GROUP], displayName, ...(members.length > 0 ? { members: members.map((value) => ({ value })) } : {}) });
      labelGroup(created);
      out.push(created);
    }
    return out;
  });
  const groupPatch = (name: string, target: () => string, body: () => unknown, ifMatch?: () => Promise<string>, unordered = false) =>
    step(name, async () => answer(svc.groups.patch(scope, BASE, target(), body(), ifMatch ? await ifMatch() : undefined)), { unordered });
  const etag = (name: string, offset = 0) => async () => `W/"${(await svc.groups.get(scope, BASE, group(name))).version + offset}"`;

  await groupPatch('members only: add one', () => group('Beta'), () => patch(add(user(2))));
  await groupPatch('members only: add users and a group', () => group('Beta'), () => patch(add(user(3), user(4), group('Nested'))));
  await groupPatch('members only: add members already there', () => group('Beta'), () => patch(add(user(2), user(3))));
  await groupPatch('members only: add a mix of new and present, in two operations', () => group('Beta'), () => patch(add(user(2)), add(user(5), user(6))));
  await groupPatch('members only: remove one by filter', () => group('Beta'), () => patch({ op: 'remove', path: `members[value eq "${user(3)}"]` }));
  await groupPatch('members only: remove several, one not a member', () => group('Beta'), () => patch(remove(user(4), group('Nested'), user(9))));
  await groupPatch('members only: remove only a non-member', () => group('Beta'), () => patch(remove(user(9))));
  await groupPatch('members only: add an id that does not exist', () => group('Beta'), () => patch(add('no-such-member')));
  await groupPatch('members only: add a mix with an id that does not exist', () => group('Beta'), () => patch(add(user(7), 'no-such-member', user(8))));
  await groupPatch('members only: add a user of another connection', () => group('Beta'), () => patch(add(run.foreign)));
  await groupPatch('members only: add to a group that does not exist', () => 'no-such-group', () => patch(add(user(1))));
  await groupPatch('members only: remove from a group that does not exist', () => 'no-such-group', () => patch(remove(user(1))));
  await groupPatch('members only: add the group to itself', () => group('Beta'), () => patch(add(group('Beta'))));
  await groupPatch('members only: a member without a value', () => group('Beta'), () => patch({ op: 'add', path: 'members', value: [{ display: 'nobody' }] }));
  await groupPatch('attributes and members: rename, add, remove a non-member', () => group('Gamma'), () => patch({ op: 'replace', path: 'displayName', value: 'Gamma Two' }, add(user(6), user(7)), remove(user(0))));
  await groupPatch('attributes and members: set externalId, remove a member', () => group('Alpha'), () => patch({ op: 'replace', path: 'externalId', value: 'alpha-ext' }, remove(user(1))));
  await groupPatch('attributes and members: rename onto a taken displayName', () => group('Gamma'), () => patch({ op: 'replace', path: 'displayName', value: 'alpha' }, add(user(8))));
  await groupPatch('attributes and members: an id that does not exist', () => group('Gamma'), () => patch({ op: 'replace', path: 'displayName', value: 'Gamma Three' }, add('no-such-member')));
  await groupPatch('attributes and members: a group that does not exist', () => 'no-such-group', () => patch({ op: 'replace', path: 'displayName', value: 'Ghost' }, add(user(1))));
  await groupPatch('attributes only: the same value (no change)', () => group('Gamma'), () => patch({ op: 'replace', path: 'displayName', value: 'Gamma Two' }));
  await groupPatch('members with a matching If-Match', () => group('Beta'), () => patch(add(user(8))), etag('Beta'));
  await groupPatch('members with a stale If-Match', () => group('Beta'), () => patch(add(user(9))), etag('Beta', -1));
  await groupPatch('members only: add and remove the same member in one PATCH', () => group('Beta'), () => patch(add(user(11)), remove(user(11), user(2)), add(user(2))));
  await groupPatch('members only: remove a member and add one that does not exist', () => group('Beta'), () => patch(remove(user(2)), add('no-such-member')));
  await step(
    'ten concurrent members-only PATCHes of one group',
    async () => {
      const answers = await Promise.all([12, 13, 14, 15, 16, 17, 18, 19, 20, 21].map((i) => answer(svc.groups.patch(scope, BASE, group('Nested'), patch(add(user(i)))))));
      // Each answer shows the group as some interleaving left it: only their outcome is the same whichever way.
      return answers.map((a) => (a as { ok?: unknown }).ok !== undefined);
    },
    { concurrent: true },
  );
  await step(
    'five concurrent PATCHes of attributes and members of one group',
    async () => {
      const answers = await Promise.all(
        [12, 13, 14, 15, 16].map((i) => answer(svc.groups.patch(scope, BASE, group('Gamma'), patch({ op: 'replace', path: 'externalId', value: 'gamma-ext' }, add(user(i)))))),
      );
      return answers.map((a) => (a as { ok?: unknown }).ok !== undefined);
    },
    { concurrent: true },
  );
  await step('a role mapped to Alpha', async () => {
    await new RoleStore(db.kysely).replaceGroupRoles(scope.tenantId, group('Alpha'), [ROLE], '2026-11-29T00:00:00.000Z');
    return null;
  });
  await groupPatch('mapped roles: members only, add', () => group('Alpha'), () => patch(add(user(12), user(13))));
  await groupPatch('mapped roles: members only, remove', () => group('Alpha'), () => patch(remove(user(12))));
  await groupPatch('mapped roles: attributes and members', () => group('Alpha'), () => patch({ op: 'replace', path: 'displayName', value: 'Alpha Prime' }, add(user(14)), remove(user(13))));
  await groupPatch('replace members', () => group('Alpha'), () => patch({ op: 'replace', path: 'members', value: [{ value: user(9) }, { value: user(10) }] }), undefined, true);
  await groupPatch('remove members by a filter on type', () => group('Beta'), () => patch({ op: 'remove', path: 'members[type eq "User" and value eq "nobody"]' }));
  await groupPatch('remove every member', () => group('Gamma'), () => patch({ op: 'remove', path: 'members' }), undefined, true);
  // A Bulk starts its user creates together; through the general path on PostgreSQL they are
  // concurrent transactions, which commit in any order: their events are compared as a set here, and
  // their order where the storage keeps it (see 'keeps a Bulk's creates in request order').
  await step('Bulk: creates (one taken), a group, a members-only PATCH of it by bulkId', async () => {
    const results = await svc.bulk.execute(
      scope,
      BASE,
      {
        schemas: [BULK],
        Operations: [
          { method: 'POST', path: '/Users', bulkId: 'b1', data: { schemas: [USER], userName: 'bulk1@seq.test' } },
          { method: 'POST', path: '/Users', bulkId: 'b2', data: { schemas: [USER], userName: 'p2@seq.test' } },
          { method: 'POST', path: '/Users', bulkId: 'b3', data: { schemas: [USER], userName: 'bulk3@seq.test' } },
          { method: 'POST', path: '/Groups', bulkId: 'g', data: { schemas: [GROUP], displayName: 'Bulk group' } },
          { method: 'PATCH', path: '/Groups/bulkId:g', data: patch(add('bulkId:b1', 'bulkId:b3')) },
        ],
      },
      100,
    );
    for (const r of results) {
      if (r.status !== '201') continue;
      const id = r.location!.split('/').pop()!;
      labels.set(id, r.bulkId === 'g' ? 'group:Bulk group' : `user:${r.bulkId === 'b1' ? 'bulk1' : 'bulk3'}@seq.test`);
    }
    return results;
  }, { unordered: true });
  await step('a member user deleted', async () => answer(svc.users.delete(scope, user(6))), { unordered: true });
  return steps;
}

/** Traces which way each Group PATCH went: one statement, a guarded statement, the transaction. */
function tracePaths(writes: UnitOfWork, paths: string[]): void {
  const methods = writes as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const name of ['oneStatement', 'guarded']) {
    const original = methods[name];
    if (typeof original !== 'function') continue;
    methods[name] = function (this: unknown, ...args: unknown[]) {
      paths.push(name);
      return original.apply(this, args);
    };
  }
  const patchGroup = writes.patchGroup.bind(writes);
  writes.patchGroup = (p: GroupPatch) =>
    patchGroup({
      ...p,
      inTransaction: () => {
        paths.push('transaction');
        return p.inTransaction();
      },
    });
}

/** Makes `writes` take the general path: the base class's create and patchGroup, as on a database without a faster way. */
function forceGeneral(writes: UnitOfWork): void {
  writes.create = <T>(scope: ConnectionScope, message: string, fn: (stores: InsertStores, now: string) => Promise<T>) => UnitOfWork.prototype.create.call(writes, scope, message, fn) as Promise<T>;
  writes.patchGroup = (p: GroupPatch) => UnitOfWork.prototype.patchGroup.call(writes, p);
}

/** The way each step's PATCH went on PostgreSQL's own storage. */
const EXPECTED_PATHS: Record<string, string[]> = {
  'members only: add one': ['oneStatement'],
  'members only: add users and a group': ['oneStatement'],
  'members only: add members already there': ['oneStatement'],
  'members only: add a mix of new and present, in two operations': ['oneStatement'],
  'members only: remove one by filter': ['oneStatement'],
  'members only: remove several, one not a member': ['oneStatement'],
  'members only: remove only a non-member': ['oneStatement'],
  'members only: add an id that does not exist': ['oneStatement'],
  'members only: add a mix with an id that does not exist': ['oneStatement'],
  'members only: add a user of another connection': ['oneStatement'],
  'members only: add to a group that does not exist': ['oneStatement'],
  'members only: remove from a group that does not exist': ['oneStatement'],
  'members only: add the group to itself': ['guarded'],
  'members only: a member without a value': ['transaction'],
  'attributes and members: rename, add, remove a non-member': ['guarded'],
  'attributes and members: set externalId, remove a member': ['guarded'],
  'attributes and members: rename onto a taken displayName': ['guarded'],
  'attributes and members: an id that does not exist': ['guarded'],
  'attributes and members: a group that does not exist': ['guarded', 'transaction'],
  'attributes only: the same value (no change)': ['guarded'],
  'members with a matching If-Match': ['guarded'],
  'members with a stale If-Match': ['guarded'],
  'members only: add and remove the same member in one PATCH': ['guarded'],
  'members only: remove a member and add one that does not exist': ['guarded'],
  'mapped roles: members only, add': ['oneStatement', 'guarded', 'transaction'],
  'mapped roles: members only, remove': ['oneStatement', 'guarded', 'transaction'],
  'mapped roles: attributes and members': ['guarded', 'transaction'],
  'replace members': ['transaction'],
  'remove members by a filter on type': ['transaction'],
  'remove every member': ['transaction'],
  'Bulk: creates (one taken), a group, a members-only PATCH of it by bulkId': ['oneStatement'],
};

const comparable = ({ name, answer, events, state }: Step) => ({ name, answer, events, state });

/** A user of `elsewhere` named as one of the sequence's: a member no PATCH of the sequence's connection may add. */
async function foreignUser(db: Db, elsewhere: ConnectionScope): Promise<string> {
  const setup = services(db);
  try {
    return (await setup.users.create(elsewhere, BASE, { schemas: [USER], userName: 'p1@seq.test' })).resource.id as string;
  } finally {
    await closeStorage(setup.storage);
  }
}

/** The sequence on a SQLite database, where every change goes the general way. */
async function onSqlite(): Promise<Step[]> {
  const sqlite = await storeTestDatabase('sqlite', []);
  try {
    const { db } = sqlite;
    await prepare(db);
    const elsewhere = await addConnection(db, 't', 'elsewhere');
    const foreign = await foreignUser(db, elsewhere);
    const svc = services(db);
    const scope = await addConnection(db, 't', 'sqlite');
    try {
      return await sequence({ db, svc, scope, foreign, labels: new Map([[foreign, 'foreign'], [scope.connectionId, 'connection']]), paths: [] });
    } finally {
      await closeStorage(svc.storage);
    }
  } finally {
    await sqlite.close();
  }
}

describe.runIf(dialectsUnderTest().includes('postgres'))('fast paths give what the general path gives (postgres)', () => {
  let opened: Awaited<ReturnType<typeof storeTestDatabase>>;
  let fast: Run;
  let general: Run;
  let fastSteps: Step[];
  let generalSteps: Step[];
  let sqliteSteps: Step[];

  beforeAll(async () => {
    opened = await storeTestDatabase('postgres', []);
    const { db } = opened;
    await prepare(db);
    const elsewhere = await addConnection(db, 't', 'elsewhere');
    const foreign = await foreignUser(db, elsewhere);
    const make = async (name: string, general: boolean): Promise<Run> => {
      const counter = new QueryCounter();
      const svc = services({ ...db, kysely: db.kysely.withPlugin(counter) });
      if (general) forceGeneral(svc.storage.writes);
      const scope = await addConnection(db, 't', name);
      const run: Run = { db, svc, scope, foreign, labels: new Map([[foreign, 'foreign'], [scope.connectionId, 'connection']]), paths: [], counter };
      tracePaths(svc.storage.writes, run.paths);
      return run;
    };
    fast = await make('fast', false);
    general = await make('general', true);
    fastSteps = await sequence(fast);
    generalSteps = await sequence(general);
    sqliteSteps = await onSqlite();
  });

  afterAll(async () => {
    for (const run of [fast, general]) if (run) await closeStorage(run.svc.storage);
    await opened?.close();
  });

  it('takes the fast paths on one connection and the general path on the other', () => {
    const patchSteps = fastSteps.filter((s) => s.name in EXPECTED_PATHS);
    expect(Object.fromEntries(patchSteps.map((s) => [s.name, s.paths]))).toEqual(EXPECTED_PATHS);
    for (const s of generalSteps) if (s.name in EXPECTED_PATHS) expect(s.paths, s.name).toEqual(['transaction']);
    // 28 creates: coalesced into a few statements on one side, a transaction of several statements each on the other.
    const [fastCreates, generalCreates] = [fastSteps[0], generalSteps[0]];
    expect(fastCreates.queries).toBeLessThan(8);
    expect(generalCreates.queries).toBeGreaterThan(28);
  });

  it('answers, writes events and leaves the state alike after every step', () => {
    expect(fastSteps.map((s) => s.name)).toEqual(generalSteps.map((s) => s.name));
    for (let i = 0; i < fastSteps.length; i++) expect(comparable(fastSteps[i]), fastSteps[i].name).toEqual(comparable(generalSteps[i]));
  });

  it('the sequence does what it says: duplicates 409, unknown members 400, missing groups 404, a stale If-Match 412', () => {
    const errors = (s: Step) => JSON.stringify(s.answer).match(/"status":\d+/g) ?? [];
    const named = (name: string) => fastSteps.find((s) => s.name === name)!;
    const creates = named('concurrent creates, some named twice, one unstorable').answer as { ok?: unknown; error?: { status: number } }[];
    expect(creates.filter((a) => a.ok)).toHaveLength(24);
    expect(creates.map((a) => a.error?.status).filter(Boolean).sort()).toEqual([400, 409, 409, 409]);
    expect(errors(named('members only: add a mix with an id that does not exist'))).toEqual(['"status":400']);
    expect(errors(named('members only: add to a group that does not exist'))).toEqual(['"status":404']);
    expect(errors(named('attributes and members: a group that does not exist'))).toEqual(['"status":404']);
    expect(errors(named('attributes and members: rename onto a taken displayName'))).toEqual(['"status":409']);
    expect(errors(named('members with a stale If-Match'))).toEqual(['"status":412']);
    // Steps that change members write events, and the state moves.
    expect(named('members only: add users and a group').events).toHaveLength(2);
    expect(named('members only: add members already there').events).toEqual([]);
  });

  it('would see a difference: one more member row, or one version step, makes the states differ', async () => {
    const { db } = opened;
    const last = () => stateOf(db, general.scope, general.labels);
    const same = await last();
    expect(await stateOf(db, fast.scope, fast.labels)).toEqual(same);
    const beta = [...general.labels].find(([, label]) => label === 'group:Beta')![0];
    const user0 = [...general.labels].find(([, label]) => label === 'user:p0@seq.test')![0];
    const groups = general.svc.storage.writes.reads().groups;
    await groups.addMembers(general.scope, beta, [{ value: user0, type: 'User' }], '2026-11-29T00:00:00.000Z');
    expect(await last()).not.toEqual(same);
    await groups.removeMembers(general.scope, beta, [user0]);
    expect(await last()).toEqual(same);
    await db.kysely.updateTable('scim_groups').set((eb) => ({ version: eb('version', '+', 1) })).where('id', '=', beta).execute();
    expect(await last()).not.toEqual(same);
    await db.kysely.updateTable('scim_groups').set((eb) => ({ version: eb('version', '-', 1) })).where('id', '=', beta).execute();
    expect(() => normalise({ id: '0190a000-0000-7000-8000-000000000000' }, general.labels)).toThrow('did not label');
  });

  it('reads a page of users with their groups in one statement as list and groupsOf read it', async () => {
    const { db } = opened;
    // Users in several groups each, whose names sort differently by case and accent.
    const scope = await addConnection(db, 't', 'pages');
    const users: string[] = [];
    for (let i = 0; i < 16; i++) {
      const body = { schemas: [USER], userName: `page${i}@seq.test`, ...(i % 2 === 0 ? { displayName: `Page ${15 - i}` } : {}), emails: [{ value: `page${i}@work.test`, type: i % 3 === 0 ? 'home' : 'work' }], active: i % 5 !== 0 };
      users.push((await fast.svc.users.create(scope, BASE, body)).resource.id as string);
    }
    const names = ['zeta', 'Alpha', 'Émile', 'beta', 'Mid', 'élan'];
    for (const [g, displayName] of names.entries()) {
      const members = users.filter((_, i) => (i + g) % 3 !== 0 && i !== 15).map((value) => ({ value }));
      await fast.svc.groups.create(scope, BASE, { schemas: [GROUP], displayName, members });
    }
    const reads = fast.svc.storage.writes.reads();
    const rows = await reads.users.list(scope, { offset: 0, limit: 1000, sortOrder: 'ascending' });
    const third = rows[3];
    const sortBy = (path: string) => parseAttributeList(path)[0];
    const queries: [ListQuery, PageStart?][] = [
      [{ offset: 0, limit: 100, sortOrder: 'ascending' }],
      [{ offset: 3, limit: 5, sortOrder: 'ascending' }],
      [{ offset: 2, limit: 7, sortOrder: 'descending' }],
      [{ offset: 0, limit: 100, sortOrder: 'ascending', sortBy: sortBy('userName') }],
      [{ offset: 4, limit: 6, sortOrder: 'descending', sortBy: sortBy('displayName') }],
      [{ offset: 0, limit: 100, sortOrder: 'ascending', sortBy: sortBy('emails') }],
      [{ offset: 0, limit: 100, sortOrder: 'ascending', filter: parseFilter('emails[type eq "work"] and active eq true') }],
      [{ offset: 1, limit: 3, sortOrder: 'ascending', filter: parseFilter('userName sw "page1"'), sortBy: sortBy('userName') }],
      [{ offset: 0, limit: 100, sortOrder: 'ascending', filter: parseFilter('userName eq "nobody"') }],
      [{ offset: 0, limit: 4, sortOrder: 'ascending' }, { after: { createdAt: third.created_at, id: third.id } }],
      [{ offset: 0, limit: 4, sortOrder: 'ascending' }, { from: { createdAt: third.created_at, id: third.id }, skip: 2 }],
      [{ offset: 9, limit: 5, sortOrder: 'ascending' }, { block: 9 }],
    ];
    const shape = (row: ListedUser, groups: unknown) => ({
      id: row.id,
      version: row.version,
      created_at: row.created_at,
      updated_at: row.updated_at,
      resource: typeof row.resource === 'string' ? (JSON.parse(row.resource) as unknown) : row.resource,
      groups,
    });
    let withGroups = 0;
    for (const [query, start] of queries) {
      for (const withTotal of [false, true]) {
        const label = `${JSON.stringify(query)} ${JSON.stringify(start)} total=${withTotal}`;
        const one = await reads.users.listWithGroups(scope, query, start, withTotal);
        const plain = await reads.users.list(scope, query, start, withTotal);
        const groups = await reads.users.groupsOf(scope, plain.map((r) => r.id));
        expect(one.map((r) => shape(r, r.groups)), label).toEqual(plain.map((r) => shape(r, groups.get(r.id) ?? [])));
        expect(one.map((r) => [r.total === undefined ? undefined : Number(r.total), r.block_rows ?? null]), label).toEqual(plain.map((r) => [r.total === undefined ? undefined : Number(r.total), r.block_rows ?? null]));
        withGroups += one.filter((r) => (r.groups ?? []).length > 0).length;
      }
    }
    // Most users of the pages had several groups, one had none.
    expect(withGroups).toBeGreaterThan(50);

    // Through the service: the page read the PostgreSQL way and the page read as SQLite reads it render the same.
    const plainDb: Db = { ...db, dialect: { ...db.dialect, scim: { ...db.dialect.scim, usersWithGroups: (parts) => parts.plain() } } };
    const plainSvc = services(plainDb);
    try {
      for (const [query] of queries) {
        for (const projection of [{ exclude: [] }, { include: parseAttributeList('userName,groups'), exclude: [] }]) {
          expect(await fast.svc.users.list(scope, BASE, query, projection)).toEqual(await plainSvc.users.list(scope, BASE, query, projection));
        }
      }
    } finally {
      await closeStorage(plainSvc.storage);
    }
  });

  it('runs the same sequence on SQLite to the same outcome', () => {
    expect(sqliteSteps.map((s) => s.name)).toEqual(fastSteps.map((s) => s.name));
    for (let i = 0; i < sqliteSteps.length; i++) expect(comparable(sqliteSteps[i]), sqliteSteps[i].name).toEqual(comparable(fastSteps[i]));
  });

  it('keeps a Bulk’s creates in request order (PostgreSQL’s coalesced creates, SQLite’s shared commit)', () => {
    const bulk = 'Bulk: creates (one taken), a group, a members-only PATCH of it by bulkId';
    for (const steps of [fastSteps, sqliteSteps]) {
      const events = steps.find((s) => s.name === bulk)!.inOrder as { type: string; resourceId: string }[];
      expect(events.map((e) => [e.type, e.resourceId])).toEqual([
        ['user.created', '<user:bulk1@seq.test>'],
        ['user.created', '<user:bulk3@seq.test>'],
        ['group.created', '<group:Bulk group>'],
        ['group.user_added', '<group:Bulk group>'],
        ['group.user_added', '<group:Bulk group>'],
      ]);
    }
  });
});
