/** The SCIM connections of one account, for the directory pages' connection filter and labels. */
import { api } from '../../../shared/api.js';
import type { Connection } from '../../../shared/types.js';
import { useApi } from '../../../shared/use-api.js';

export function useTenantConnections(tenantId: string) {
  const loaded = useApi(() => api.get<Connection[]>('/directory/resources/v1/configurations/scim2', { tenantId }), [tenantId]);
  const byId = new Map((loaded.data ?? []).map((c) => [c.id, c]));
  return { ...loaded, connections: loaded.data ?? [], byId };
}
