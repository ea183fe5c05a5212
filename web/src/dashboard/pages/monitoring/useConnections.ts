/** The SCIM connections of one account, or of the whole environment, by ID (for filters and labels). */
import { api } from '../../../shared/api.js';
import type { Connection } from '../../../shared/types.js';
import { useApi } from '../../../shared/use-api.js';

export function useConnections(tenantId: string) {
  const loaded = useApi(() => api.get<Connection[]>('/directory/resources/v1/configurations/scim2', { tenantId: tenantId || undefined }), [tenantId]);
  const list = loaded.data ?? [];
  return { ...loaded, list, byId: new Map(list.map((c) => [c.id, c])) };
}

/** A connection's name, or its ID when it is unknown (deleted, or outside the loaded list). */
export function connectionLabel(byId: Map<string, Connection>, id: string): string {
  return byId.get(id)?.connectionName ?? id;
}
