/** Shapes of the safe-deprovisioning API (src/deprovisioning) and the go-live preview, from the generated types. */
import type { paths as Api } from '@rollcall/client/api-types';
import type { ApiBody, Connection, ConnectionOverview } from '../../types.js';

/** GET/PUT /api/v1/connections/{id}/deprovisioning: the mode, the guard, whether it tripped, what is held and what it counts now. */
export type DeprovisioningState = ApiBody<'/api/v1/connections/{id}/deprovisioning', 'get'>;

/** The guard trips when more than maxUsers AND more than maxPercent % of the active users were deprovisioned within windowMinutes. */
export type Guard = DeprovisioningState['guard'];

/** PUT body: any part of the mode and guard. */
export type DeprovisioningChange = Api['/api/v1/connections/{id}/deprovisioning']['put']['requestBody']['content']['application/json'];

/** GET /api/v1/connections/{id}/held-changes: oldest first, cursor-paged. */
export type HeldChangePage = ApiBody<'/api/v1/connections/{id}/held-changes', 'get'>;

/** One held (or discarded) deprovisioning change. */
export type HeldChange = HeldChangePage['items'][number];

export type HeldChangeStatus = HeldChange['status'];

/** POST …/held-changes/release: how many were released and how many are still held. */
export type Released = ApiBody<'/api/v1/connections/{id}/held-changes/release', 'post'>;

/** POST …/held-changes/discard: how many were discarded and how many are still held. */
export type Discarded = ApiBody<'/api/v1/connections/{id}/held-changes/discard', 'post'>;

/** What the connection overview says of a connection's deprovisioning. */
export type DeprovisioningSummary = ConnectionOverview['deprovisioning'];

/** The deprovisioning summary of an overview item (a plain configuration has none). */
export const deprovisioningOf = (connection: Connection | ConnectionOverview): DeprovisioningSummary | undefined =>
  'deprovisioning' in connection ? connection.deprovisioning : undefined;

/** True when the connection has changes waiting for review, or its guard tripped. */
export const needsReview = (summary: DeprovisioningSummary | undefined): boolean => Boolean(summary && (summary.tripped || summary.held > 0));

/** GET /api/v1/connections/{id}/go-live-preview: what turning on "Sync to user management" would publish. */
export type GoLivePreview = ApiBody<'/api/v1/connections/{id}/go-live-preview', 'get'>;

const base = (connectionId: string) => `/api/v1/connections/${encodeURIComponent(connectionId)}`;

/** The API paths of a connection's deprovisioning routes. */
export const paths = {
  settings: (connectionId: string) => `${base(connectionId)}/deprovisioning`,
  heldChanges: (connectionId: string) => `${base(connectionId)}/held-changes`,
  release: (connectionId: string) => `${base(connectionId)}/held-changes/release`,
  discard: (connectionId: string) => `${base(connectionId)}/held-changes/discard`,
  goLivePreview: (connectionId: string) => `${base(connectionId)}/go-live-preview`,
};
