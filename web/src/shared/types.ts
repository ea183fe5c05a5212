/** Shapes of the API answers the UI reads (see the OpenAPI document at /docs). */

export interface Tenant {
  tenantId: string;
  name: string;
  createdAt: string;
  updatedAt: string;
}

/** A SCIM connection as the configuration API lists it (never a token). */
export interface Connection {
  id: string;
  tenantId: string;
  connectionName: string;
  source: string;
  syncToUserManagement: boolean;
  lastSync: string | null;
  createdAt: string;
  provisioningUrl: string;
}

/** POST /directory/resources/v1/configurations/scim2: the connection with its token, shown once. */
export interface CreatedConnection extends Connection {
  token: string;
}

/** The failed request shown as a connection's health. */
export interface LastError {
  at: string;
  status: number;
  scimType: string | null;
  detail: string | null;
  method: string;
  path: string;
}

/** GET /api/v1/tenants/:tenantId/connections: a connection with counts and health. */
export interface ConnectionOverview extends Connection {
  users: number;
  groups: number;
  requests24h: number;
  errors24h: number;
  lastRequestAt: string | null;
  lastError: LastError | null;
}

/** A cursor-paged list of the /api/v1 directory and log APIs. */
export interface CursorPage<T> {
  items: T[];
  nextCursor: string | null;
}

/** The dashboard session (POST/GET /ui/session). */
export interface DashboardSession {
  kind: 'dashboard';
  clientId: string;
  csrfToken: string;
  expiresAt: string;
}

/** The portal theme a vendor sets in the builder. */
export interface PortalTheme {
  brandColor: string | null;
  logoUrl: string | null;
  productName: string | null;
}

/** The portal session (POST/GET /ui/portal/session). */
export interface PortalSession {
  kind: 'portal';
  tenantId: string;
  userId: string;
  email?: string | null;
  permissions: string[];
  scimProvisioning: boolean;
  csrfToken: string;
  expiresAt: string;
  theme?: PortalTheme;
}

export const PERMISSIONS = {
  read: 'fe.secure.read.provisioningConfiguration',
  write: 'fe.secure.write.provisioningConfiguration',
  delete: 'fe.secure.delete.provisioningConfiguration',
} as const;
