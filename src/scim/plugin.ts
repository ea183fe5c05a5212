/**
 * The SCIM 2.0 server (RFC 7644) at /directory/resources/scim/v2.0/{connectionId}: bearer auth of
 * that connection only, SCIM media types in and out, SCIM error bodies for everything.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ConnectionService } from '../connections/service.js';
import { bearerToken } from '../http/bearer.js';
import { recordScimRequests } from '../monitoring/scim-hook.js';
import type { RequestLogWriter } from '../monitoring/writer.js';
import { SCIM_PREFIX } from '../http/error-handler.js';
import secureJson from 'secure-json-parse';
import { invalidSyntax, notFound, notImplemented, unauthorized } from './errors.js';
import { registerBulkRoutes } from './routes/bulk-routes.js';
import { registerDiscoveryRoutes } from './routes/discovery-routes.js';
import { registerRootSearch } from './routes/root-search.js';
import type { BulkService } from './service/bulk-service.js';
import { registerResourceRoutes } from './routes/resource-routes.js';
import type { GroupService } from './service/group-service.js';
import type { UserService } from './service/user-service.js';

/** What the SCIM plugin needs. */
export interface ScimPluginOptions {
  connections: ConnectionService;
  users: UserService;
  groups: GroupService;
  bulk: BulkService;
  /** Where every SCIM request is recorded for monitoring. */
  requestLog: RequestLogWriter;
  /** Largest request body accepted (413 beyond). */
  bodyLimit: number;
  /** Runs once the token is known: IP allowlist, rate and work limits, token last use (src/limits/scim-guard.ts). */
  afterAuthentication?: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
}

export const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8';

/**
 * JSON body parser: prototype-poisoning keys are refused, and an empty body (a DELETE sent with a
 * Content-Type, as some IdPs do) is no body rather than an error.
 */
function json(_request: FastifyRequest, body: string | Buffer, done: (error: Error | null, value?: unknown) => void): void {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  if (text.trim() === '') return done(null, undefined);
  try {
    done(null, secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'ignore' }));
  } catch (error) {
    done(invalidSyntax(`The request body is not valid JSON: ${(error as Error).message}`));
  }
}

/** Rejects the request unless its bearer token belongs to the connection in the URL. */
function authenticate(connections: ConnectionService) {
  return async (request: FastifyRequest<{ Params: { connectionId?: string } }>, reply: FastifyReply) => {
    const token = bearerToken(request.headers.authorization);
    const connectionId = request.params.connectionId;
    const context = token && connectionId ? await connections.authenticateScim(connectionId, token) : undefined;
    if (!context) {
      void reply.header('www-authenticate', 'Bearer realm="rollcall", error="invalid_token"');
      throw unauthorized(token ? 'The bearer token is not valid for this SCIM connection' : 'A bearer token is required (Authorization: Bearer <token>)');
    }
    request.scim = context;
  };
}

export const scimPlugin: FastifyPluginAsync<ScimPluginOptions> = async (app, options) => {
  app.decorateRequest('scim', null);
  // The OpenAPI document at /docs covers the management API; SCIM is specified by RFC 7644.
  app.addHook('onRoute', (route) => {
    route.schema = { ...(route.schema ?? {}), hide: true };
  });

  // RFC 7644 §3.8: clients send application/scim+json; application/json and a missing type are accepted too.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(['application/scim+json', 'application/json'], { parseAs: 'string', bodyLimit: options.bodyLimit }, json);
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: options.bodyLimit }, json);

  app.addHook('onRequest', authenticate(options.connections));
  if (options.afterAuthentication) app.addHook('onRequest', options.afterAuthentication);
  recordScimRequests(app, options.requestLog, SCIM_PREFIX.length);
  app.addHook('onSend', async (_request, reply, payload) => {
    if (reply.statusCode !== 204 && reply.statusCode !== 304) void reply.header('content-type', SCIM_CONTENT_TYPE);
    return payload;
  });

  registerDiscoveryRoutes(app);
  registerResourceRoutes(app, 'User', options.users);
  registerResourceRoutes(app, 'Group', options.groups);
  registerBulkRoutes(app, options.bulk);
  registerRootSearch(app, options.users, options.groups);

  app.all('/Me', () => {
    throw notImplemented('/Me is not supported: a SCIM token here is a connection, not a person');
  });
  app.all('/Me/*', () => {
    throw notImplemented('/Me is not supported: a SCIM token here is a connection, not a person');
  });
  app.setNotFoundHandler((request) => {
    throw notFound(`No SCIM endpoint ${request.method} ${request.url.split('?')[0].slice(SCIM_PREFIX.length)}`);
  });
};


