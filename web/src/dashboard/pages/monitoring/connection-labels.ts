/**
 * What the monitoring page calls each connection: a live one by its name; one deleted since by the
 * name its requests were logged under (the request log keeps it), marked "(deleted)".
 */
import type { Connection } from '../../../shared/types.js';

/** A connection's label; `loggedName` is the name a log entry carries, when the caller has one. */
export type LabelOf = (connectionId: string, loggedName?: string | null) => string;

/**
 * Labels from the live connections (undefined while they load: nothing is known to be deleted yet)
 * and the names the request log gave the connections it saw.
 */
export function connectionLabeller(live: ReadonlyMap<string, Connection> | undefined, logged: ReadonlyMap<string, string>): LabelOf {
  return (id, loggedName) => {
    const connection = live?.get(id);
    if (connection) return connection.connectionName;
    const name = loggedName ?? logged.get(id) ?? id;
    return live ? `${name} (deleted)` : name;
  };
}

/** The logged name of each connection of a summary or a page of the log that has one. */
export function loggedNames(items: readonly { connectionId: string; connectionName: string | null }[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const item of items) if (item.connectionName !== null && !names.has(item.connectionId)) names.set(item.connectionId, item.connectionName);
  return names;
}
