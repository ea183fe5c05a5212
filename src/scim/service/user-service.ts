/** SCIM Users of one connection: create, read, list, replace, patch, delete. */
import type { Kysely } from 'kysely';
import { managerOf } from '../../attributes/mappings.js';
import { resolveManagers } from '../../attributes/manager-store.js';
import type { Database } from '../../db/tables.js';
import { managerValue } from '../../directory/shape.js';
import { newId } from '../../security/ids.js';
import { userCreated } from '../../events/scim-events.js';
import { userRemoved, userUpdated } from '../../deprovisioning/user-changes.js';
import { notFound } from '../errors.js';
import { applyPatch } from '../patch/apply-patch.js';
import { normalizeResource, type StoredResource } from '../resources/normalize.js';
import { project, wants, type Projection } from '../resources/projection.js';
import { renderGroups, renderResource } from '../resources/render.js';
import type { ListQuery } from '../store/list-query.js';
import type { ConnectionScope } from '../store/scope.js';
import type { ListedUser } from '../store/user-store.js';
import { checkIfMatch } from './preconditions.js';
import type { Paging } from './paging.js';
import type { ScimStorage } from './scim-storage.js';
import { VersionConflict, type Stores, type UnitOfWork } from './unit-of-work.js';

/** A rendered resource and its version, for the ETag header. */
export interface Rendered {
  resource: Record<string, unknown>;
  version: number;
  /**
   * A large group's `members`, page by page, when the response streams them instead of holding them
   * in `resource` (src/scim/routes/stream-members.ts).
   */
  memberPages?: AsyncIterable<Record<string, unknown>[]>;
}

const ALL: Projection = { exclude: [] };

/** Logic of the SCIM Users endpoint. */
export class UserService {
  private readonly writes: UnitOfWork;
  private readonly paging: Paging;

  constructor(storage: ScimStorage) {
    this.writes = storage.writes;
    this.paging = storage.paging;
  }

  /** Rows as resources; the computed `groups` are read unless the rows came with them (`listWithGroups`). */
  private async render(stores: Stores, scope: ConnectionScope, baseUrl: string, rows: ListedUser[], projection: Projection) {
    const wanted = wants(projection, 'User', 'groups');
    const groups = wanted && rows.some((row) => row.groups === undefined) ? await stores.users.groupsOf(scope, rows.map((r) => r.id)) : undefined;
    return rows.map((row) => {
      const mine = wanted ? (row.groups ?? groups?.get(row.id)) : undefined;
      const extra = mine && mine.length > 0 ? { groups: renderGroups(mine, baseUrl) } : {};
      return project(renderResource('User', row, baseUrl, extra), 'User', projection);
    });
  }

  private notFound(id: string): never {
    throw notFound(`User ${id} not found`);
  }

  /**
   * The manager the user's `manager` attribute names, resolved for its event. A create only inserts
   * (UnitOfWork.create), so it is read before the write; a change reads it in its transaction.
   */
  private async managers(db: Kysely<Database>, scope: ConnectionScope, value: string | undefined) {
    return value === undefined ? undefined : resolveManagers(db, scope.tenantId, scope.connectionId, [value]);
  }

  async create(scope: ConnectionScope, baseUrl: string, body: unknown): Promise<Rendered> {
    const { resource } = normalizeResource('User', body);
    const managers = scope.attributes?.types.has('manager') ? await this.managers(this.writes.reads().trx, scope, managerOf(scope.attributes, resource)) : undefined;
    const row = await this.writes.create(scope, `userName "${resource.userName as string}" is already in use in this connection`, async (stores, now) => {
      const inserted = await stores.users.insert(scope, newId(), resource, now);
      // The resource as stored (row.resource is its JSON): no need to parse it back.
      userCreated(stores.events, inserted, resource, managers);
      return inserted;
    });
    return { resource: renderResource('User', row, baseUrl, {}, resource), version: row.version };
  }

  async get(scope: ConnectionScope, baseUrl: string, id: string, projection: Projection = ALL): Promise<Rendered> {
    const stores = this.writes.reads();
    const row = await stores.users.get(scope, id);
    if (!row) this.notFound(id);
    const [resource] = await this.render(stores, scope, baseUrl, [row], projection);
    return { resource, version: row.version };
  }

  async list(scope: ConnectionScope, baseUrl: string, query: ListQuery, projection: Projection) {
    const withGroups = wants(projection, 'User', 'groups');
    const { rows, total } = await this.paging.page<ListedUser>(({ users }) => (withGroups ? { list: users.listWithGroups.bind(users), count: users.count.bind(users) } : users), scope, 'User', query);
    return { total, resources: await this.render(this.writes.reads(), scope, baseUrl, rows, projection) };
  }

  /** Applies `change` to the current resource in one transaction, honouring If-Match. */
  private async update(
    scope: ConnectionScope,
    baseUrl: string,
    id: string,
    ifMatch: string | undefined,
    change: (current: StoredResource) => StoredResource | undefined,
  ): Promise<Rendered> {
    let userName = '';
    const row = await this.writes.write(scope, () => `userName "${userName}" is already in use in this connection`, async (stores, now) => {
      const current = await stores.users.get(scope, id, true);
      if (!current) this.notFound(id);
      checkIfMatch(ifMatch, current.version);
      const next = change(JSON.parse(current.resource) as StoredResource);
      if (!next) return current;
      userName = String(next.userName);
      const updated = await stores.users.update(scope, current, next, now);
      if (!updated) throw new VersionConflict();
      const managers = stores.events.enabled ? await this.managers(stores.trx, scope, managerValue(updated)) : undefined;
      // The app's view may differ from the row (a held deactivation): src/deprovisioning/.
      await userUpdated({ trx: stores.trx, events: stores.events, scope, now }, current, updated, managers);
      return updated;
    });
    // Rendered from the row just written: only the computed `groups` needs a read.
    const stores = this.writes.reads();
    const [resource] = await this.render(stores, scope, baseUrl, [row], ALL);
    return { resource, version: row.version };
  }

  /** PUT: replaces every writable attribute; omitted ones are cleared (RFC 7644 §3.5.1). */
  replace(scope: ConnectionScope, baseUrl: string, id: string, body: unknown, ifMatch?: string): Promise<Rendered> {
    const { resource } = normalizeResource('User', body);
    return this.update(scope, baseUrl, id, ifMatch, () => resource);
  }

  /** PATCH (RFC 7644 §3.5.2): all operations apply, or none. */
  patch(scope: ConnectionScope, baseUrl: string, id: string, body: unknown, ifMatch?: string): Promise<Rendered> {
    return this.update(scope, baseUrl, id, ifMatch, (current) => {
      const result = applyPatch(current, body, { resourceType: 'User', id });
      // A PATCHed password (writeOnly) is accepted and dropped: Rollcall never stores passwords.
      delete result.resource.password;
      // RFC 7644 §3.5.2.2 leaves a removed `active` unassigned; for the app that is a deactivated user
      // unless the connection reads it otherwise. Stored explicitly, so the representation, the
      // `active` column and filters agree.
      if (result.resource.active === undefined) result.resource.active = scope.writePolicy?.removedActive === 'active';
      return result.changed.some((name) => name !== 'password') ? result.resource : undefined;
    });
  }

  async delete(scope: ConnectionScope, id: string, ifMatch?: string): Promise<void> {
    await this.writes.write(scope, '', async (stores, now) => {
      const current = await stores.users.get(scope, id, true);
      if (!current) this.notFound(id);
      checkIfMatch(ifMatch, current.version);
      const leftGroups = await stores.users.delete(scope, id);
      if (!leftGroups) this.notFound(id);
      const managers = stores.events.enabled ? await this.managers(stores.trx, scope, managerValue(current)) : undefined;
      await userRemoved({ trx: stores.trx, events: stores.events, scope, now }, current, leftGroups, managers);
    });
  }
}
