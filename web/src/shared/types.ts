/**
 * Shapes of the API answers the UI reads: names for the types generated from the server's OpenAPI
 * document (clients/node/src/api-types.ts, written by `npm run openapi:types`; see docs/internals.md).
 */
import type { paths } from '@rollcall/client/api-types';

type Method = 'get' | 'put' | 'post' | 'patch' | 'delete';

/** The JSON body `method path` answers with `status`: `ApiBody<'/api/v1/roles', 'get'>`. */
export type ApiBody<Path extends keyof paths, M extends Method, Status extends number = 200> =
  paths[Path][M] extends { responses: { [S in Status]: { content: { 'application/json': infer Body } } } } ? Body : never;

export type Tenant = ApiBody<'/tenants/resources/tenants/v1/{tenantId}', 'get'>;

/** GET /tenants/resources/tenants/v1: a page of tenants with offset paging. */
export type TenantPage = ApiBody<'/tenants/resources/tenants/v1', 'get'>;

/** A SCIM connection as the configuration API lists it (never a token). */
export type Connection = ApiBody<'/directory/resources/v1/configurations/scim2/{id}', 'get'>;

/** POST /directory/resources/v1/configurations/scim2: the connection with its token, shown once. */
export type CreatedConnection = ApiBody<'/directory/resources/v1/configurations/scim2', 'post', 201>;

/** GET /api/v1/tenants/:tenantId/connections: the tenant's connections with counts and health. */
export type ConnectionOverviewList = ApiBody<'/api/v1/tenants/{tenantId}/connections', 'get'>;

export type ConnectionOverview = ConnectionOverviewList['items'][number];

/** The failed request shown as a connection's health. */
export type LastError = NonNullable<ConnectionOverview['lastError']>;

/** The dashboard session (POST/GET /ui/session). */
export type DashboardSession = ApiBody<'/ui/session', 'get'>;

/** The portal session (POST/GET /ui/portal/session). */
export type PortalSession = ApiBody<'/ui/portal/session', 'get'>;

/** The portal theme a vendor sets in the builder. */
export type PortalTheme = PortalSession['theme'];

export const PERMISSIONS = {
  read: 'fe.secure.read.provisioningConfiguration',
  write: 'fe.secure.write.provisioningConfiguration',
  delete: 'fe.secure.delete.provisioningConfiguration',
} as const;
