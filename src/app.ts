/** buildApp(deps): the whole HTTP application, wired but not listening (tests use inject()). */
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { requireEnvironmentToken } from './auth/guard.js';
import { authRoutes } from './auth/routes.js';
import { AuthService } from './auth/service.js';
import { AuthStore } from './auth/store.js';
import type { Config } from './config.js';
import type { Job } from './jobs/scheduler.js';
import { connectionRoutes } from './connections/routes.js';
import { fronteggRoutes } from './frontegg/routes.js';
import { ConnectionService } from './connections/service.js';
import { ConnectionStore } from './connections/store.js';
import { ConnectionOverviewService } from './connections/overview.js';
import { connectionOverviewRoutes } from './connections/overview-routes.js';
import { ResourceCounts } from './connections/resource-counts.js';
import type { Db } from './db/open.js';
import { registerOpenApi } from './docs/openapi.js';
import { directoryRoutes } from './directory/routes.js';
import { DirectoryService } from './directory/service.js';
import { eventRoutes } from './events/routes.js';
import { EventService } from './events/service.js';
import { healthRoutes } from './health/routes.js';
import { SCIM_PREFIX, errorHandler } from './http/error-handler.js';
import { scimPlugin } from './scim/plugin.js';
import { BulkService } from './scim/service/bulk-service.js';
import { GroupService } from './scim/service/group-service.js';
import type { ScimStorage } from './scim/service/scim-storage.js';
import { UserService } from './scim/service/user-service.js';
import { BULK_LIMITS } from './scim/routes/bulk-limits.js';
import { notFound } from './http/api-errors.js';
import { validatorCompiler } from './http/validation.js';
import { loggerOptions } from './logger.js';
import { monitoringRoutes } from './monitoring/routes.js';
import { MonitoringService } from './monitoring/service.js';
import { RequestLogWriter } from './monitoring/writer.js';
import { selfServiceAuthenticator } from './self-service/guard.js';
import { sessionCookieAuthenticator } from './sessions/cookie-auth.js';
import { registerSessionCookies } from './sessions/cookies.js';
import { sessionRoutes } from './sessions/routes.js';
import { SessionService } from './sessions/service.js';
import { SessionStore } from './sessions/store.js';
import { buildSelfServiceServices, selfServiceRoutes, type SelfServiceServices } from './self-service/wiring.js';
import { tenantRoutes } from './tenants/routes.js';
import { TenantService } from './tenants/service.js';
import { TenantStore } from './tenants/store.js';
import { webhookRoutes } from './webhooks/routes.js';
import { WebhookService } from './webhooks/service.js';
import { connectionTokenRoutes } from './connections/token-routes.js';
import { compatibilityRoutes } from './connections/compatibility-routes.js';
import { deprovisioningRoutes } from './deprovisioning/routes.js';
import { DeprovisioningService } from './deprovisioning/service.js';
import { goLiveRoutes } from './connections/go-live-routes.js';
import { AttributeReevaluation } from './attributes/reevaluation.js';
import { attributeRoutes } from './attributes/routes.js';
import { AttributeService } from './attributes/service.js';
import { CompatibilityService } from './connections/compatibility-service.js';
import { ConnectionTokenService } from './connections/token-service.js';
import { registerReadiness } from './health/readiness.js';
import { watchScimAccess, type ScimAccessWatch } from './db/scim-access-watch.js';
import { SecurityHeaders } from './http/security-headers.js';
import { exclusive } from './jobs/exclusive.js';
import { defaultWebRoot } from './web/assets.js';
import { webRoutes } from './web/routes.js';
import { registerAuthThrottle } from './limits/auth-throttle.js';
import { FailureThrottle } from './limits/failure-throttle.js';
import { scimGuard } from './limits/scim-guard.js';
import { SharedRateLimit } from './limits/shared-rate-limit.js';
import { WorkBudgets } from './limits/work-budget.js';
import { onQueryTime } from './db/query-time.js';
import { registerMetrics } from './metrics/plugin.js';
import { SnapshotWriter } from './google-workspace/apply-snapshot.js';
import { googleCallbackRoute, OAUTH_CALLBACK_PATH } from './google-workspace/callback-route.js';
import { googleWorkspaceRoutes } from './google-workspace/routes.js';
import { GoogleWorkspaceService } from './google-workspace/service.js';
import { GoogleSyncRunner } from './google-workspace/sync-runner.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The services behind the routes, for the CLI and tests. */
    services: Services;
    /** The SCIM request log buffer; `flush()` writes what is pending. */
    requestLog: RequestLogWriter;
  }
}

/** SCIM bodies: a Bulk request may be as large as its advertised maxPayloadSize. */
const SCIM_BODY_LIMIT = BULK_LIMITS.maxPayloadSize;

/** What the application needs from outside. */
export interface AppDeps {
  config: Config;
  db: Db;
  /** The built web UI (default dist/client; see src/web/assets.ts). */
  webRoot?: string;
}

/** The services, exposed for the CLI and tests. */
export interface Services extends SelfServiceServices {
  auth: AuthService;
  tenants: TenantService;
  connections: ConnectionService;
  /** Connections with counts and health, for a management dashboard. */
  connectionOverview: ConnectionOverviewService;
  users: UserService;
  groups: GroupService;
  bulk: BulkService;
  events: EventService;
  directory: DirectoryService;
  monitoring: MonitoringService;
  webhooks: WebhookService;
  /** A connection's further tokens and its IP allowlist. */
  connectionTokens: ConnectionTokenService;
  /** A connection's compatibility switches (src/connections/compatibility.ts). */
  compatibility: CompatibilityService;
  /** The attribute catalogue and the connections' attribute mappings (src/attributes). */
  attributes: AttributeService;
  /** The connections' deprovisioning guards and held changes (src/deprovisioning). */
  deprovisioning: DeprovisioningService;
  /** Re-evaluation of users after a mapping or catalogue change. */
  attributeReevaluation: AttributeReevaluation;
  /** Google Workspace connections (src/google-workspace). */
  googleWorkspace: GoogleWorkspaceService;
  /** Their syncs. */
  googleSync: GoogleSyncRunner;
  /** Changes to SCIM access made by any process (revocations, allowlists…): src/db/scim-access-watch.ts. */
  scimAccess: ScimAccessWatch;
  /** Cookie sessions of the web UI (dashboard and portal). */
  sessions: SessionService;
  /** Background jobs the server runs (see src/jobs/scheduler.ts). */
  jobs: Job[];
  /** SCIM reads and writes against the database, shared by users, groups and Bulk (made by the database's dialect). */
  scim: ScimStorage;
}

/** Builds every service over one database. */
export function buildServices({ config, db }: AppDeps): Services {
  const tenantStore = new TenantStore(db.kysely);
  const scim = db.dialect.scim.storage(db);
  const users = new UserService(scim);
  const groups = new GroupService(scim);
  const events = new EventService(db, config.eventRetentionDays);
  const webhooks = new WebhookService(db, tenantStore, config.eventRetentionDays, config.encryption);
  const monitoring = new MonitoringService(db, config.requestLogRetentionDays, config.requestLogMaxRows);
  const auth = new AuthService(new AuthStore(db.kysely), config.envTokenTtlSeconds);
  const selfService = buildSelfServiceServices(config, db, tenantStore);
  const sessions = new SessionService({ store: new SessionStore(db.kysely), auth, userTokens: selfService.userTokens, ttlSeconds: config.uiSessionTtlSeconds });
  const scimAccess = watchScimAccess(db);
  const connections = new ConnectionService(new ConnectionStore(db.kysely, db.dialect), tenantStore, config.publicUrl, { access: scimAccess, selfServiceLimit: config.maxConnectionsPerTenant });
  const attributeReevaluation = new AttributeReevaluation(db.kysely, db.dialect);
  const google = { ...config.googleWorkspace, redirectUri: `${config.publicUrl}${OAUTH_CALLBACK_PATH}` };
  const googleSync = new GoogleSyncRunner(db.kysely, google, config.encryption, new SnapshotWriter(users, groups), (id) => connections.provisioningUrl(id), {
    leaseMs: config.googleWorkspace.syncLeaseSeconds * 1000,
  });
  const googleWorkspace = new GoogleWorkspaceService(db.kysely, connections, google, config.encryption, () => googleSync.nudge());
  const deprovisioning = new DeprovisioningService(db);
  return {
    monitoring,
    events,
    webhooks,
    directory: new DirectoryService(db),
    users,
    groups,
    bulk: new BulkService(users, groups, scim.writes),
    scim,
    // Retention runs once per interval across all processes (job_leases); delivery jobs share work by claims.
    jobs: [
      exclusive(db.kysely, events.retentionJob()),
      exclusive(db.kysely, monitoring.retentionJob()),
      exclusive(db.kysely, sessions.pruneJob()),
      exclusive(db.kysely, deprovisioning.pruneJob()),
      ...webhooks.jobs().map((job) => (job.name === 'webhooks.retention' ? exclusive(db.kysely, job) : job)),
      ...db.dialect.upkeep.jobs(db),
      ...scim.jobs(),
      // Claimed once per interval across processes, only while a re-evaluation is pending (src/attributes/reevaluation.ts).
      attributeReevaluation.job(),
      // Each process looks for a due Google Workspace connection; a claim makes one process sync it (src/google-workspace/sync-runner.ts).
      googleSync.job(),
    ],
    auth,
    tenants: new TenantService(tenantStore, () => connections.scimAccessChanged()),
    connections,
    connectionOverview: new ConnectionOverviewService({ connections, tenants: tenantStore, counts: new ResourceCounts(db.kysely), monitoring, google: googleWorkspace, deprovisioning }),
    deprovisioning,
    googleWorkspace,
    googleSync,
    connectionTokens: new ConnectionTokenService(db.kysely, () => connections.scimAccessChanged()),
    compatibility: new CompatibilityService(db.kysely, () => connections.scimAccessChanged()),
    attributes: new AttributeService(db.kysely, () => connections.scimAccessChanged()),
    attributeReevaluation,
    scimAccess,
    sessions,
    ...selfService,
  };
}

/** Builds the Fastify application. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, db } = deps;
  const services = buildServices(deps);
  const securityHeaders = new SecurityHeaders({ frameAncestors: config.protection.frameAncestors, https: config.publicUrl.startsWith('https:') });
  const app = Fastify({
    logger: loggerOptions(config.logLevel),
    // Two log lines per request would cost more than some SCIM requests; the SCIM request log
    // (src/monitoring) records every SCIM call, and errors are logged by the error handler.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1024 * 1024,
    // Frontegg clients and IdPs put ids in paths; keep them readable but bounded.
    routerOptions: { maxParamLength: 512, ignoreTrailingSlash: true },
    // The client address (throttles, IP allowlists) from X-Forwarded-For only when TRUST_PROXY says so.
    trustProxy: config.protection.trustProxy,
    // Malformed percent-encoding and over-long path segments are answered before routing: give
    // them the same error bodies and security headers as everything else (SCIM bodies on SCIM paths).
    frameworkErrors: (error, request, reply) => {
      securityHeaders.apply(request, reply);
      errorHandler(error, request, reply);
    },
  });
  app.decorateRequest('principal', null);
  app.decorateRequest('selfService', null);
  app.setValidatorCompiler(validatorCompiler);
  app.setErrorHandler(errorHandler);
  // Once per lost PostgreSQL connection, without the connection string; the pool reconnects (src/db/open.ts).
  const unlisten = db.onConnectionLost((lost) => app.log.warn(lost, 'database connection lost'));
  app.addHook('onClose', async () => unlisten());
  app.setNotFoundHandler((request) => {
    throw notFound(`No route ${request.method} ${request.url.split('?')[0]}`);
  });

  // Root hooks first, so that every route below gets them (src/http/security-headers.ts, src/limits).
  securityHeaders.register(app);
  const { authFailureLimit, authFailureWindowSeconds, scimRateLimit, scimRateBurst, scimCostLimit, scimCostBurst, scimConcurrencyLimit } = config.protection;
  if (authFailureLimit > 0) registerAuthThrottle(app, new FailureThrottle(authFailureLimit, authFailureWindowSeconds * 1000));
  const requestLog = new RequestLogWriter(services.monitoring.store, app.log);
  // GET /metrics and the request counters, only when METRICS_TOKEN is set (src/metrics).
  await registerMetrics(app, { token: config.metricsToken, db, requestLog });
  await registerReadiness(app, db);
  await registerOpenApi(app, config.publicUrl);
  await app.register(healthRoutes, { db });
  await app.register(authRoutes, { auth: services.auth });
  // The web UI's cookie sessions; each route authenticates its caller itself (src/sessions).
  await app.register(sessionRoutes, { sessions: services.sessions, settings: services.settings, publicUrl: config.publicUrl, frameAncestors: config.protection.frameAncestors });

  // Everything registered in this scope requires an environment token.
  await app.register(async (management) => {
    // User tokens are accepted only on routes that name a self-service permission (src/self-service/guard.ts).
    // Without an Authorization header, a web UI session cookie stands in for the token (src/sessions/cookie-auth.ts).
    await registerSessionCookies(management);
    const cookies = sessionCookieAuthenticator({ sessions: services.sessions, settings: services.settings, publicUrl: config.publicUrl });
    management.addHook('onRequest', requireEnvironmentToken(services.auth, selfServiceAuthenticator(services), cookies));
    await management.register(tenantRoutes, { tenants: services.tenants });
    await management.register(connectionRoutes, { connections: services.connections });
    await management.register(fronteggRoutes, { connections: services.connections, directory: services.directory, groupRoles: services.groupRoles });
    await management.register(connectionOverviewRoutes, { overview: services.connectionOverview });
    await management.register(eventRoutes, { events: services.events });
    await management.register(directoryRoutes, { directory: services.directory });
    await management.register(monitoringRoutes, { monitoring: services.monitoring });
    await management.register(webhookRoutes, { webhooks: services.webhooks });
    await management.register(connectionTokenRoutes, { tokens: services.connectionTokens });
    await management.register(compatibilityRoutes, { compatibility: services.compatibility });
    await management.register(deprovisioningRoutes, { deprovisioning: services.deprovisioning });
    await management.register(goLiveRoutes, { connections: services.connections, db });
    await management.register(attributeRoutes, { attributes: services.attributes });
    await management.register(googleWorkspaceRoutes, { google: services.googleWorkspace });
    await management.register(selfServiceRoutes, { services });
  });

  // Google's redirect after an admin's consent carries no token: its single-use state names the connection.
  await app.register(googleCallbackRoute, { google: services.googleWorkspace });
  await app.register(webRoutes, { root: deps.webRoot ?? defaultWebRoot() });

  app.decorate('services', services);
  // The default roles, once per environment; safe when several instances start together.
  app.addHook('onReady', async () => {
    await services.roles.seedDefaults();
  });
  app.addHook('onClose', () => requestLog.flush());
  services.scimAccess.reportTo((message) => app.log.warn(message));
  // Once per episode, without the token: the vendor's JWKS (VENDOR_JWT_JWKS_URL) cannot be fetched (src/user-tokens/remote-jwks.ts).
  services.userTokens.reportTo((message) => app.log.warn(message));
  app.addHook('onClose', () => services.scimAccess.close());
  services.googleSync.reportTo(app.log);
  app.addHook('onClose', () => services.googleSync.close());
  app.addHook('onClose', () => services.scim.close());
  app.decorate('requestLog', requestLog);
  // Queries are charged to the connection they name while it has requests in flight (src/limits/work-budget.ts).
  const workBudgets = scimCostLimit > 0 || scimConcurrencyLimit > 0 ? new WorkBudgets({ msPerSecond: scimCostLimit, burstMs: scimCostBurst, maxInFlight: scimConcurrencyLimit }) : undefined;
  if (workBudgets) {
    const stop = onQueryTime((parameters, ms) => workBudgets.chargeQuery(parameters, ms));
    app.addHook('onClose', async () => stop());
  }
  // SCIM_RATE_LIMIT holds across every process on the database: each takes tokens from a shared bucket per connection in chunks.
  const rateLimit = scimRateLimit > 0 ? new SharedRateLimit({ db, ratePerSecond: scimRateLimit, burst: scimRateBurst, log: app.log }) : undefined;
  if (rateLimit) app.addHook('onClose', async () => rateLimit.close());
  await app.register(scimPlugin, {
    prefix: `${SCIM_PREFIX}/:connectionId`,
    connections: services.connections,
    users: services.users,
    groups: services.groups,
    bulk: services.bulk,
    requestLog,
    bodyLimit: SCIM_BODY_LIMIT,
    afterAuthentication: scimGuard({
      rate: rateLimit,
      work: workBudgets,
      touch: (tokenId) => services.connectionTokens.touch(tokenId),
    }),
  });

  return app;
}
