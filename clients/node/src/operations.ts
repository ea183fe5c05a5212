/**
 * Every operation the client calls, as one table of method and path template, and the request and
 * answer types of each one, read from the OpenAPI document's generated `paths`. A route whose schema
 * changes changes these types, so the client stops compiling where it no longer fits; the drift test
 * (test/operations-drift.test.ts) compares the table with the document.
 */
import type { paths } from './api-types.js';

/** The HTTP methods the API uses, as the OpenAPI document spells them. */
export type HttpMethod = 'get' | 'put' | 'post' | 'patch' | 'delete';

/** A path template of the API, e.g. `/api/v1/users/{id}`. */
export type ApiPath = keyof paths;

/** The OpenAPI operation of `method path`. */
type Operation<P extends ApiPath, M extends HttpMethod> = NonNullable<paths[P][M]>;

type Responses<P extends ApiPath, M extends HttpMethod> = Operation<P, M>['responses'];
type SuccessStatus = 200 | 201 | 202 | 204;
type JsonContent<R> = R extends { content: { 'application/json': infer Body } } ? Body : undefined;

/** The JSON body of the success answer of `method path` (undefined for a 204): `Json<'/api/v1/roles', 'get'>`. */
export type Json<P extends ApiPath, M extends HttpMethod> = JsonContent<Responses<P, M>[Extract<keyof Responses<P, M>, SuccessStatus>]>;

/** The JSON request body of `method path`. */
export type RequestBody<P extends ApiPath, M extends HttpMethod> =
  NonNullable<Operation<P, M>['requestBody']> extends { content: { 'application/json': infer Body } } ? Body : never;

/** The query parameters of `method path`. */
export type Query<P extends ApiPath, M extends HttpMethod> = NonNullable<Operation<P, M>['parameters']['query']>;

/** The path parameters of `method path`. */
export type PathParams<P extends ApiPath, M extends HttpMethod> = NonNullable<Operation<P, M>['parameters']['path']>;

/** The header parameters of `method path`. */
export type HeaderParams<P extends ApiPath, M extends HttpMethod> = NonNullable<Operation<P, M>['parameters']['header']>;

/** The operations the client calls, by name. Nothing is sent to a path that is not here. */
export const OPERATIONS = {
  exchangeToken: { method: 'post', path: '/auth/vendor' },

  listTenants: { method: 'get', path: '/tenants/resources/tenants/v1' },
  createTenant: { method: 'post', path: '/tenants/resources/tenants/v1' },
  getTenant: { method: 'get', path: '/tenants/resources/tenants/v1/{tenantId}' },
  deleteTenant: { method: 'delete', path: '/tenants/resources/tenants/v1/{tenantId}' },

  listConnections: { method: 'get', path: '/directory/resources/v1/configurations/scim2' },
  createConnection: { method: 'post', path: '/directory/resources/v1/configurations/scim2' },
  getConnection: { method: 'get', path: '/directory/resources/v1/configurations/scim2/{id}' },
  updateConnection: { method: 'patch', path: '/directory/resources/v1/configurations/scim2/{id}' },
  deleteConnection: { method: 'delete', path: '/directory/resources/v1/configurations/scim2/{id}' },
  listConnectionTokens: { method: 'get', path: '/api/v1/connections/{id}/tokens' },
  createConnectionToken: { method: 'post', path: '/api/v1/connections/{id}/tokens' },
  revokeConnectionToken: { method: 'delete', path: '/api/v1/connections/{id}/tokens/{tokenId}' },
  getIpAllowlist: { method: 'get', path: '/api/v1/connections/{id}/ip-allowlist' },
  setIpAllowlist: { method: 'put', path: '/api/v1/connections/{id}/ip-allowlist' },
  getAttributeMappings: { method: 'get', path: '/api/v1/connections/{id}/attribute-mappings' },
  setAttributeMappings: { method: 'put', path: '/api/v1/connections/{id}/attribute-mappings' },
  previewAttributeMappings: { method: 'post', path: '/api/v1/connections/{id}/attribute-mappings/preview' },
  listAttributeProblems: { method: 'get', path: '/api/v1/connections/{id}/attribute-problems' },
  getCompatibility: { method: 'get', path: '/api/v1/connections/{id}/compatibility' },
  setCompatibility: { method: 'put', path: '/api/v1/connections/{id}/compatibility' },
  goLivePreview: { method: 'get', path: '/api/v1/connections/{id}/go-live-preview' },
  getDeprovisioning: { method: 'get', path: '/api/v1/connections/{id}/deprovisioning' },
  setDeprovisioning: { method: 'put', path: '/api/v1/connections/{id}/deprovisioning' },
  listHeldChanges: { method: 'get', path: '/api/v1/connections/{id}/held-changes' },
  releaseHeldChanges: { method: 'post', path: '/api/v1/connections/{id}/held-changes/release' },
  discardHeldChanges: { method: 'post', path: '/api/v1/connections/{id}/held-changes/discard' },
  createGoogleWorkspaceConnection: { method: 'post', path: '/api/v1/tenants/{tenantId}/connections' },
  getGoogleWorkspace: { method: 'get', path: '/api/v1/connections/{id}/google-workspace' },
  configureGoogleWorkspace: { method: 'put', path: '/api/v1/connections/{id}/google-workspace' },
  startGoogleWorkspaceOAuth: { method: 'post', path: '/api/v1/connections/{id}/google-workspace/oauth' },
  setGoogleWorkspaceServiceAccount: { method: 'put', path: '/api/v1/connections/{id}/google-workspace/service-account' },
  syncGoogleWorkspace: { method: 'post', path: '/api/v1/connections/{id}/google-workspace/sync' },
  listGoogleWorkspaceSyncs: { method: 'get', path: '/api/v1/connections/{id}/google-workspace/syncs' },
  listGoogleWorkspaceGroups: { method: 'get', path: '/api/v1/connections/{id}/google-workspace/groups' },

  listTenantConnections: { method: 'get', path: '/api/v1/tenants/{tenantId}/connections' },
  listTenantUsers: { method: 'get', path: '/api/v1/tenants/{tenantId}/users' },
  listTenantGroups: { method: 'get', path: '/api/v1/tenants/{tenantId}/groups' },
  purgeDetached: { method: 'post', path: '/api/v1/tenants/{tenantId}/detached/purge' },
  getUser: { method: 'get', path: '/api/v1/users/{id}' },
  deleteUser: { method: 'delete', path: '/api/v1/users/{id}' },
  getGroup: { method: 'get', path: '/api/v1/groups/{id}' },
  deleteGroup: { method: 'delete', path: '/api/v1/groups/{id}' },
  listGroupMembers: { method: 'get', path: '/api/v1/groups/{id}/members' },
  listConnectionUsers: { method: 'get', path: '/api/v1/connections/{id}/users' },
  listConnectionGroups: { method: 'get', path: '/api/v1/connections/{id}/groups' },

  listEvents: { method: 'get', path: '/api/v1/events' },

  listWebhooks: { method: 'get', path: '/api/v1/webhooks' },
  createWebhook: { method: 'post', path: '/api/v1/webhooks' },
  getWebhook: { method: 'get', path: '/api/v1/webhooks/{id}' },
  updateWebhook: { method: 'patch', path: '/api/v1/webhooks/{id}' },
  deleteWebhook: { method: 'delete', path: '/api/v1/webhooks/{id}' },
  listWebhookDeliveries: { method: 'get', path: '/api/v1/webhooks/{id}/deliveries' },
  redeliverWebhookDelivery: { method: 'post', path: '/api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver' },

  listPermissions: { method: 'get', path: '/api/v1/permissions' },
  listRoles: { method: 'get', path: '/api/v1/roles' },
  createRole: { method: 'post', path: '/api/v1/roles' },
  getRole: { method: 'get', path: '/api/v1/roles/{key}' },
  updateRole: { method: 'patch', path: '/api/v1/roles/{key}' },
  deleteRole: { method: 'delete', path: '/api/v1/roles/{key}' },
  getGroupRoles: { method: 'get', path: '/api/v1/tenants/{tenantId}/groups/{groupId}/roles' },
  setGroupRoles: { method: 'put', path: '/api/v1/tenants/{tenantId}/groups/{groupId}/roles' },

  getAttributes: { method: 'get', path: '/api/v1/attributes' },
  setAttributes: { method: 'put', path: '/api/v1/attributes' },

  getSettings: { method: 'get', path: '/api/v1/settings' },
  updateSettings: { method: 'patch', path: '/api/v1/settings' },
  createUserToken: { method: 'post', path: '/api/v1/user-tokens' },

  listLogs: { method: 'get', path: '/api/v1/logs' },
  logsSummary: { method: 'get', path: '/api/v1/logs/summary' },
  logsTimeseries: { method: 'get', path: '/api/v1/logs/timeseries' },
  listAudit: { method: 'get', path: '/api/v1/audit' },
} as const satisfies Record<string, { method: HttpMethod; path: ApiPath }>;

/** The name of an operation of the table. */
export type OperationName = keyof typeof OPERATIONS;

type PathOf<K extends OperationName> = (typeof OPERATIONS)[K]['path'];
type MethodOf<K extends OperationName> = (typeof OPERATIONS)[K]['method'];

/** True when `[T]` is `[never]`: the operation has no such part. */
type IsNever<T> = [T] extends [never] ? true : false;

/** What a call of operation `K` takes: its path parameters, query, headers and body, each when it has them. */
export type CallInput<K extends OperationName> = (IsNever<PathParams<PathOf<K>, MethodOf<K>>> extends true ? { path?: undefined } : { path: PathParams<PathOf<K>, MethodOf<K>> }) &
  (IsNever<Query<PathOf<K>, MethodOf<K>>> extends true ? { query?: undefined } : { query?: Query<PathOf<K>, MethodOf<K>> }) &
  (IsNever<HeaderParams<PathOf<K>, MethodOf<K>>> extends true ? { headers?: undefined } : { headers?: HeaderParams<PathOf<K>, MethodOf<K>> }) &
  (IsNever<RequestBody<PathOf<K>, MethodOf<K>>> extends true ? { body?: undefined } : { body?: RequestBody<PathOf<K>, MethodOf<K>> }) & {
    signal?: AbortSignal;
  };

/** What a call of operation `K` resolves to: the JSON body of its success answer. */
export type CallResult<K extends OperationName> = Json<PathOf<K>, MethodOf<K>>;

/** Names of the table's operations that the OpenAPI document does not have: `never` while every one exists. */
type MissingOperations = { [K in OperationName]: IsNever<Operation<PathOf<K>, MethodOf<K>>> extends true ? K : never }[OperationName];
type Assert<T extends true> = T;
// Fails to compile when an operation of the table is not in the generated `paths`.
type _EveryOperationExists = Assert<IsNever<MissingOperations>>;
