/** @rollcall/client: a typed client of Rollcall's management and directory APIs, event feed and webhooks. */
export { Rollcall, type RollcallOptions } from './rollcall.js';
export type { RetryOptions } from './retry.js';
export {
  API_ERROR_CODES,
  RollcallAuthenticationError,
  RollcallConflictError,
  RollcallConnectionError,
  RollcallError,
  RollcallNotFoundError,
  RollcallPermissionError,
  RollcallRateLimitError,
  RollcallServerError,
  RollcallValidationError,
  type RollcallErrorCode,
} from './errors.js';
export {
  WEBHOOK_SIGNATURE_HEADER,
  signWebhookPayload,
  verifyWebhookSignature,
  webhookSignatureHeader,
  type VerifyWebhookOptions,
} from './webhook-signature.js';
export { OPERATIONS, type ApiPath, type HttpMethod, type Json, type OperationName, type PathParams, type Query, type RequestBody } from './operations.js';
export type { paths } from './api-types.js';

export type { Events, EventListParams, EventPage, EventType, FeedEvent, FollowOptions } from './events.js';
export type {
  ConnectionGroupFilters,
  ConnectionOverview,
  ConnectionUserFilters,
  Directory,
  DirectoryGroup,
  DirectoryGroupItem,
  DirectoryUser,
  DirectoryUserItem,
  GroupFilters,
  GroupMember,
  PurgeDetachedBody,
  UserFilters,
} from './directory.js';
export type {
  GoogleServiceAccount,
  GoogleWorkspaceApi,
  GoogleWorkspaceConnection,
  GoogleWorkspaceGroup,
  GoogleWorkspaceSettings,
  GoogleWorkspaceState,
  GoogleWorkspaceSync,
  NewGoogleWorkspaceConnection,
} from './google-workspace.js';
export type { DeprovisioningApi, DeprovisioningSettings, DeprovisioningUpdate, HeldChange } from './deprovisioning.js';
export type { NewTenant, Tenant, TenantListOptions, Tenants } from './tenants.js';
export type {
  Compatibility,
  CompatibilitySwitches,
  CompatibilityUpdate,
  Connection,
  ConnectionFilters,
  ConnectionToken,
  ConnectionTokens,
  ConnectionUpdate,
  Connections,
  CreatedConnection,
  CreatedConnectionToken,
  GoLivePreview,
  GoLivePreviewMatch,
  GoLivePreviewUser,
  IpAllowlist,
  NewConnection,
  NewConnectionToken,
} from './connections.js';
export type { CreatedWebhook, DeliveryFilters, NewWebhook, Webhook, WebhookDelivery, WebhookListOptions, WebhookUpdate, Webhooks } from './webhooks.js';
export type { GroupRoleMapping, GroupRoles, NewRole, Permission, Permissions, Role, RoleUpdate, Roles } from './roles.js';
export type {
  AttributeCatalogue,
  AttributeCatalogueUpdate,
  AttributeMappings,
  AttributeMappingsApi,
  AttributeMappingsUpdate,
  AttributePreview,
  AttributePreviewRequest,
  AttributeProblem,
  Attributes,
} from './attributes.js';
export type { CreatedUserToken, NewUserToken, Settings, SettingsApi, SettingsUpdate, UserTokens } from './settings.js';
export type { AuditEntry, AuditFilters, Audit, LogFilters, LogSummary, LogTimeseries, Logs, RequestLogEntry } from './logs.js';
