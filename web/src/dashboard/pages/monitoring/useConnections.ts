/** The SCIM connections of one account, or of the whole environment, by ID (for filters and labels). */
import { api } from '../../../shared/api.js';
import type { Connection } from '../../../shared/types.js';
import { useApi } from '../../../shared/use-api.js';

export function useConnections(tenantId: string) {
  const loaded = useApi(() => api.get<Connection[]>('/directory/resources/v1/configurations/scim2', { tenantId: tenantId || undefined }), [tenantId]);
  const list = loaded.data ?? [];
  const byId = new Map(list.map((c) => [c.id, c]));
  // `live`: the connections once loaded; until then no connection is known to be deleted.
  return { ...loaded, list, byId, live: loaded.data ? byId : undefined };
}
