/**
 * PostgreSQL: a PATCH that only adds members, or only removes them — what Okta and Entra ID send for
 * nearly every membership change — as one statement, one round trip. The statement reads what the
 * change depends on itself (the group, which of the named ids exist in this connection, whether
 * roles are mapped to the group), locks the group row as a transaction's write would, inserts or
 * deletes the member rows, and only when a row really changed bumps the group's version and appends
 * a group.user_added / group.user_removed event per user member; the connection's lastSync goes with
 * it. A change that needs more than this (attributes, replace, filters on members, roles mapped to the
 * group) goes the two-round-trip way of group-change.ts, or through a transaction.
 *
 * Concurrent changes of one group queue on its row lock, as transactions do; an id added by another
 * request since the statement's snapshot is skipped by ON CONFLICT, so it neither moves the version
 * nor makes a second event. A group deleted meanwhile leaves nothing to lock, and nothing is written.
 */
import { CompiledQuery, type Kysely } from 'kysely';
import { arrayLiteral } from './column-arrays.js';
import type { Database } from '../tables.js';
import { TX_ORDER } from '../../events/store.js';
import { membershipEvent, membershipEventType } from '../../events/scim-events.js';
import { newId } from '../../security/ids.js';
import type { GroupRow } from '../../scim/store/group-store.js';
import type { ConnectionScope } from '../../scim/store/scope.js';

/** Adds or removes these member ids: distinct, storable, in the order the PATCH names them, not the group's own. */
export interface MemberChange {
  kind: 'add' | 'remove';
  ids: readonly string[];
}

/** What the statement needs besides the change. */
export interface MemberStatement {
  scope: ConnectionScope;
  groupId: string;
  change: MemberChange;
  now: string;
  /** Whether the connection records events (staging connections do not). */
  events: boolean;
  /** The connection's lastSync update when it is due, written by `parameter`; it applies if the change does. */
  lastSync?: (parameter: (value: unknown) => string) => string;
  /** Commit without waiting for the WAL flush (a Bulk request flushes at its end). */
  asynchronous: boolean;
}

export type MemberChangeOutcome =
  /** The group is not in this connection. */
  | { kind: 'notFound' }
  /** `id` is no User or Group of this connection (the first such, in the PATCH's order). */
  | { kind: 'missing'; id: string }
  /** Nothing written: roles are mapped to the group (their changes need more reads), or it was deleted meanwhile. */
  | { kind: 'declined' }
  /** Applied (perhaps with nothing to change); `row` is the group as it is now. */
  | { kind: 'applied'; row: GroupRow };

type Result = GroupRow & { group_found: number; locked: number; found: string[] | null };

/** The statement's text and parameters. */
export function memberStatement(s: MemberStatement): CompiledQuery {
  const parameters: unknown[] = [];
  const p = (value: unknown) => {
    parameters.push(value);
    return `$${parameters.length}`;
  };
  const { scope, groupId, change, now } = s;
  const connection = p(scope.connectionId);
  const tenant = p(scope.tenantId);
  const group = p(groupId);
  const at = p(now);
  // One id as a scalar, several as an array: with a scalar the prepared statement keeps its generic
  // plan; an array parameter's generic plan assumes ten values, so PostgreSQL would plan every time.
  const one = change.ids.length === 1;
  const column = (values: readonly string[]) => (one ? `${p(values[0])}::text` : `${p(arrayLiteral(values))}::text[]`);
  const ids = column(change.ids);
  const isNamed = one ? `= ${ids}` : `= any(${ids})`;
  const adding = change.kind === 'add';

  const named = ['member_id'];
  const sources = [ids];
  if (s.events) {
    named.push('event_id', 'data');
    sources.push(
      column(change.ids.map(() => newId())),
      column(change.ids.map((id) => JSON.stringify(membershipEvent(groupId, id, adding).data))),
    );
  }
  const clauses = [
    `grp as (select * from scim_groups where id = ${group} and connection_id = ${connection} and tenant_id = ${tenant} and detached = 0)`,
    one
      ? `named as (select ${sources.map((source, i) => `${source} as ${named[i]}`).join(', ')}, 1::bigint as ord)`
      : `named as (select * from unnest(${sources.join(', ')}) with ordinality as n(${named.join(', ')}, ord))`,
  ];
  // Roles mapped to the group: its members' roles change with it, which this statement does not work out.
  const unmapped = s.events ? ' and not exists (select 1 from group_roles r where r.group_id = grp.id)' : '';
  if (adding) {
    clauses.push(
      `found as (select id, 'User'::text as type from scim_users where id ${isNamed} and connection_id = ${connection} and tenant_id = ${tenant} and detached = 0
        union all select id, 'Group' from scim_groups where id ${isNamed} and connection_id = ${connection} and tenant_id = ${tenant} and detached = 0)`,
      `ok as (select id from grp where (select count(distinct id) from found) = ${p(change.ids.length)}${unmapped})`,
    );
  } else {
    clauses.push(`ok as (select id from grp where true${unmapped})`);
  }
  clauses.push(`locked as (select * from scim_groups where id = (select id from ok) and connection_id = ${connection} and tenant_id = ${tenant} for no key update)`);
  clauses.push(
    adding
      ? `changed as (insert into scim_group_members (group_id, member_id, member_type, tenant_id, connection_id, created_at)
          select l.id, n.member_id, f.type, ${tenant}, ${connection}, ${at} from locked l, named n join found f on f.id = n.member_id
          on conflict do nothing returning member_id, member_type)`
      : `changed as (delete from scim_group_members m using locked l
          where m.group_id = l.id and m.connection_id = ${connection} and m.tenant_id = ${tenant} and m.member_id ${isNamed} returning m.member_id, m.member_type)`,
    `upd as (update scim_groups set version = version + 1, updated_at = ${at}
      where id = (select id from locked) and connection_id = ${connection} and tenant_id = ${tenant} and exists (select 1 from changed) returning *)`,
  );
  if (s.events) {
    const type = membershipEventType(adding);
    clauses.push(
      `ev as (insert into events (${TX_ORDER.name}, id, type, tenant_id, connection_id, resource_id, occurred_at, data)
        select ${TX_ORDER.sql.postgres}, n.event_id, '${type}', ${tenant}, ${connection}, ${group}, ${at}, n.data
        from named n join changed c on c.member_id = n.member_id where c.member_type = 'User' order by n.ord)`,
    );
  }
  if (s.lastSync) clauses.push(`sync as (${s.lastSync(p)} and exists (select 1 from locked))`);
  const flags = [
    '(select count(*) from grp)::int as group_found',
    '(select count(*) from locked)::int as locked',
    adding ? '(select array_agg(id) from found) as found' : 'null::text[] as found',
    ...(s.asynchronous ? [`set_config('synchronous_commit', 'off', true) as asynchronous`] : []),
  ];
  const text = `with ${clauses.join(',\n')}
    select ${flags.join(', ')}, r.* from (select 1) one
    left join (select * from upd union all select * from locked where not exists (select 1 from upd)) r on true`;
  return CompiledQuery.raw(text, parameters);
}

/** Runs the statement (outside any transaction: it is one by itself). */
export async function changeMembers(db: Kysely<Database>, s: MemberStatement): Promise<MemberChangeOutcome> {
  const result = await db.executeQuery<Result & { asynchronous?: string }>(memberStatement(s));
  const { group_found, locked, found, asynchronous: _, ...row } = result.rows[0];
  if (group_found === 0) return { kind: 'notFound' };
  if (s.change.kind === 'add') {
    const present = new Set(found ?? []);
    const missing = s.change.ids.find((id) => !present.has(id));
    if (missing !== undefined) return { kind: 'missing', id: missing };
  }
  if (locked === 0) return { kind: 'declined' };
  return { kind: 'applied', row: row };
}
