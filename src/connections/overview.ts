/**
 * The connection overview a management dashboard shows per tenant: each connection with how many
 * users and groups it provisioned and how its last 24 hours of SCIM traffic went.
 */
import { notFound } from '../http/api-errors.js';
import type { MonitoringService } from '../monitoring/service.js';
import type { ConnectionSummary } from '../monitoring/store.js';
import type { TenantStore } from '../tenants/store.js';
import type { ResourceCounts } from './resource-counts.js';
import type { Connection, ConnectionService } from './service.js';
import type { SyncRecord } from '../google-workspace/types.js';

/** The window of the traffic figures. */
const TRAFFIC_HOURS = 24;

/** A connection as the overview lists it. */
export interface ConnectionOverview extends Connection {
  users: number;
  groups: number;
  requests24h: number;
  errors24h: number;
  lastRequestAt: string | null;
  /** The most recent request of the window answered with a status >= 400, if any. */
  lastError: ConnectionSummary['lastError'];
  /** Users with a mapped attribute value that did not convert (src/attributes). */
  attributeProblemUsers: number;
  /** A Google Workspace connection's authorization and last sync; null for a SCIM connection. */
  googleWorkspace: GoogleSummary | null;
  /** Safe deprovisioning (src/deprovisioning): the mode, whether the guard tripped, held changes, users that differ. */
  deprovisioning: DeprovisioningSummary;
}

export interface DeprovisioningSummary {
  mode: string;
  tripped: boolean;
  held: number;
  differing: number;
}

const UNTOUCHED: DeprovisioningSummary = { mode: 'automatic', tripped: false, held: 0, differing: 0 };

/** What the overview shows of a Google Workspace connection. */
export interface GoogleSummary {
  status: string;
  reason: string | null;
  lastSync: SyncRecord | null;
}

/** Composes the connection list, the resource counts and the request log summary. */
export class ConnectionOverviewService {
  constructor(
    private readonly deps: {
      connections: ConnectionService;
      tenants: TenantStore;
      counts: ResourceCounts;
      monitoring: MonitoringService;
      google: { summaries(connections: readonly Connection[]): Promise<Map<string, GoogleSummary>> };
      deprovisioning: { summaries(tenantId: string): Promise<Map<string, DeprovisioningSummary>> };
    },
  ) {}

  /** The tenant's connections, newest first; 404 for an unknown tenant. */
  async list(tenantId: string): Promise<ConnectionOverview[]> {
    const { connections, tenants, counts, monitoring, google, deprovisioning } = this.deps;
    if (!(await tenants.find(tenantId))) throw notFound(`Tenant "${tenantId}" not found`);
    // The store lists oldest first (created_at, id); the dashboard wants the newest on top.
    const list = (await connections.list({ tenantId })).reverse();
    const [resourceCounts, summaries, googleSummaries, deprovisioningSummaries] = await Promise.all([
      counts.of(tenantId, list.map((c) => c.id)),
      monitoring.summaries(TRAFFIC_HOURS, tenantId),
      google.summaries(list),
      deprovisioning.summaries(tenantId),
    ]);
    const traffic = new Map(summaries.map((s) => [s.connectionId, s]));
    return list.map((connection) => {
      const count = resourceCounts.get(connection.id);
      const summary = traffic.get(connection.id);
      return {
        ...connection,
        users: count?.users ?? 0,
        groups: count?.groups ?? 0,
        requests24h: summary?.requests ?? 0,
        errors24h: summary?.errors ?? 0,
        lastRequestAt: summary?.lastRequestAt ?? null,
        lastError: summary?.lastError ?? null,
        attributeProblemUsers: count?.attributeProblemUsers ?? 0,
        googleWorkspace: googleSummaries.get(connection.id) ?? null,
        deprovisioning: deprovisioningSummaries.get(connection.id) ?? UNTOUCHED,
      };
    });
  }
}
