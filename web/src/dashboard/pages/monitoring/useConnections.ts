/**
 * The connections of one account, or of the whole environment, by ID (for filters and labels). One
 * account's list is its overview, which has its Google Workspace connections too. The environment's is
 * the SCIM configurations' list, which has not: the connections a page shows (`seen`) that it lacks
 * are looked up one by one (the by-id route answers for every type), so that a Google Workspace
 * connection is not taken for a deleted one.
 */
import { useEffect, useState } from 'react';
import { api, ApiError } from '../../../shared/api.js';
import { CONFIGURATIONS_PATH } from '../../../shared/connections/CreateConnectionDialog.js';
import { seg } from '../../../shared/router.js';
import type { Connection, ConnectionOverviewList } from '../../../shared/types.js';
import { useApi } from '../../../shared/use-api.js';

export function useConnections(tenantId: string, seen: readonly (string | null)[] = []) {
  const loaded = useApi(
    (): Promise<Connection[]> =>
      tenantId
        ? api.get<ConnectionOverviewList>(`/api/v1/tenants/${seg(tenantId)}/connections`).then((overview) => overview.items)
        : api.get<Connection[]>(CONFIGURATIONS_PATH),
    [tenantId],
  );
  // Looked up by id: the connection, or null when it no longer exists (404).
  const [looked, setLooked] = useState<ReadonlyMap<string, Connection | null>>(new Map());
  const list = loaded.data ?? [];
  const byId = new Map(list.map((c) => [c.id, c]));
  const unknown = tenantId || !loaded.data ? [] : [...new Set(seen.filter((id): id is string => Boolean(id) && !byId.has(id!)))];
  const missing = unknown.filter((id) => !looked.has(id));
  const key = missing.join(' ');

  useEffect(() => {
    if (!key) return;
    let cancelled = false;
    void Promise.all(
      key.split(' ').map((id) =>
        api.get<Connection>(`${CONFIGURATIONS_PATH}/${seg(id)}`).then(
          (connection) => [id, connection] as const,
          (error: unknown) => (error instanceof ApiError && error.status === 404 ? ([id, null] as const) : undefined),
        ),
      ),
    ).then((found) => {
      if (cancelled) return;
      setLooked((previous) => new Map([...previous, ...found.filter((entry) => entry !== undefined)]));
    });
    return () => {
      cancelled = true;
    };
  }, [key]);

  for (const [id, connection] of looked) if (connection && !byId.has(id)) byId.set(id, connection);
  // `live`: the connections once loaded (and those the page shows looked up); until then no connection is known to be deleted.
  return { ...loaded, list, byId, live: loaded.data && missing.length === 0 ? byId : undefined };
}
