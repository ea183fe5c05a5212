/**
 * Names for the ids events point at. Membership events carry only `{groupId, userId}`; user.* and
 * group.* events carry the whole resource, and connection.* events the connection, so a page of
 * events often names its own ids. What it does not name is looked up in the directory by id.
 */
import type { FeedEvent } from './types.js';

/** What the ids of a page of events are called, by kind. */
export interface Names {
  users: Map<string, string>;
  groups: Map<string, string>;
  connections: Map<string, string>;
}

const text = (data: Record<string, unknown>, key: string) => (typeof data[key] === 'string' && data[key] !== '' ? data[key] : undefined);

/** The names the events' own data gives. */
export function namesInEvents(events: readonly FeedEvent[]): Names {
  const names: Names = { users: new Map(), groups: new Map(), connections: new Map() };
  for (const { type, data } of events) {
    const id = text(data, 'id');
    if (type === 'group.user_added' || type === 'group.user_removed') {
      // Names a membership event may carry beside its ids.
      const [userId, groupId] = [text(data, 'userId'), text(data, 'groupId')];
      const [userName, groupName] = [text(data, 'userName'), text(data, 'groupDisplayName') ?? text(data, 'displayName')];
      if (userId && userName) names.users.set(userId, userName);
      if (groupId && groupName) names.groups.set(groupId, groupName);
    } else if (type.startsWith('user.')) {
      const name = text(data, 'userName') ?? text(data, 'displayName') ?? text(data, 'email');
      if (id && name) names.users.set(id, name);
    } else if (type.startsWith('group.')) {
      const name = text(data, 'displayName');
      if (id && name) names.groups.set(id, name);
    } else if (type.startsWith('connection.')) {
      const name = text(data, 'connectionName');
      if (id && name) names.connections.set(id, name);
    }
  }
  return names;
}

/** Ids to look up in one tenant's directory. */
export interface Lookup {
  tenantId: string;
  kind: 'users' | 'groups';
  ids: string[];
}

/** At most this many ids per lookup (the directory lists take up to 100). */
export const LOOKUP_IDS = 100;

/**
 * The membership events' user and group ids that `known` does not name and that were not asked for
 * before (`asked` holds `kind:tenant:id`), per tenant and kind, in lookups of at most LOOKUP_IDS.
 */
export function missingNames(events: readonly FeedEvent[], known: (kind: 'users' | 'groups', id: string) => boolean, asked: ReadonlySet<string>): Lookup[] {
  const wanted = new Map<string, Lookup>();
  const want = (tenantId: string, kind: 'users' | 'groups', id: string | undefined) => {
    if (!id || known(kind, id) || asked.has(`${kind}:${tenantId}:${id}`)) return;
    const key = `${kind}:${tenantId}`;
    const lookup = wanted.get(key) ?? { tenantId, kind, ids: [] };
    if (!lookup.ids.includes(id)) lookup.ids.push(id);
    wanted.set(key, lookup);
  };
  for (const { type, tenantId, data } of events) {
    if (type !== 'group.user_added' && type !== 'group.user_removed') continue;
    want(tenantId, 'users', text(data, 'userId'));
    want(tenantId, 'groups', text(data, 'groupId'));
  }
  return [...wanted.values()].flatMap((lookup) => {
    const parts: Lookup[] = [];
    for (let i = 0; i < lookup.ids.length; i += LOOKUP_IDS) parts.push({ ...lookup, ids: lookup.ids.slice(i, i + LOOKUP_IDS) });
    return parts;
  });
}
