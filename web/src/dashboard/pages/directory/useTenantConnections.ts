/** The connections of one account (SCIM and Google Workspace), for the directory pages' connection filter and labels. */
import { api } from '../../../shared/api.js';
import { seg } from '../../../shared/router.js';
import type { Connection, ConnectionOverviewList } from '../../../shared/types.js';
import { useApi } from '../../../shared/use-api.js';

export function useTenantConnections(tenantId: string) {
  // The account's overview lists every type; the SCIM configurations' list has no Google Workspace connection.
  const loaded = useApi((): Promise<Connection[]> => api.get<ConnectionOverviewList>(`/api/v1/tenants/${seg(tenantId)}/connections`).then((overview) => overview.items), [tenantId]);
  const byId = new Map((loaded.data ?? []).map((c) => [c.id, c]));
  return { ...loaded, connections: loaded.data ?? [], byId };
}
