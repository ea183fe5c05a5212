/**
 * /api/v1/connections/{id}/tokens and /ip-allowlist: a connection's bearer tokens and the addresses
 * its IdP may call from. The token routes also take a user token (self-service, the portal) carrying
 * the write permission, on its own tenant's connections only; the IP allowlist takes environment
 * tokens only. Every change writes its audit entry in its own transaction (src/audit/with-change.ts).
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { actorOf } from '../audit/actor.js';
import { logAuditFailures } from '../audit/with-change.js';
import { forbidden } from '../http/api-errors.js';
import { environmentSecurity, errorResponses } from '../http/schemas.js';
import { MAX_ALLOWLIST_ENTRIES } from '../limits/ip-allowlist.js';
import { PROVISIONING_PERMISSIONS } from '../roles/permissions.js';
import '../self-service/caller.js';
import { MAX_LIVE_TOKENS, TOKEN_LIFETIME, type ConnectionTokenService } from './token-service.js';

const tokenProperties = {
  id: { type: 'string' },
  prefix: { type: 'string', description: 'The first characters of the token, to tell tokens apart' },
  createdAt: { type: 'string', format: 'date-time' },
  lastUsedAt: { type: ['string', 'null'], format: 'date-time', description: 'Recorded at most once a minute' },
  expiresAt: { type: ['string', 'null'], format: 'date-time' },
  expired: { type: 'boolean' },
} as const;
const tokenRequired = Object.keys(tokenProperties) as (keyof typeof tokenProperties)[];

const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 64 } } } as const;
const tokenParams = {
  type: 'object',
  required: ['id', 'tokenId'],
  properties: { id: { type: 'string', minLength: 1, maxLength: 64 }, tokenId: { type: 'string', minLength: 1, maxLength: 64 } },
} as const;
const allowlistBody = {
  type: 'object',
  required: ['ipAllowlist'],
  additionalProperties: false,
  properties: {
    ipAllowlist: {
      type: 'array',
      maxItems: MAX_ALLOWLIST_ENTRIES,
      items: { type: 'string', minLength: 1, maxLength: 64 },
      description: 'IPv4/IPv6 addresses or CIDR blocks (203.0.113.0/24, 2001:db8::/32); empty allows every address',
    },
  },
} as const;

/**
 * Token management changes who can provision a tenant: the vendor's environment token, or a user
 * token on the routes that take one (the guard admits it only where `config.selfService` names the
 * permission it needs, src/self-service/guard.ts).
 */
async function environmentOrSelfService(request: FastifyRequest): Promise<void> {
  if (request.selfService) return;
  if (request.principal?.kind !== 'environment') throw forbidden('Connection tokens and IP allowlists are managed with an environment token');
}

/** How the token routes answer a user token. */
const selfServiceNote = `Also accepts a user token carrying ${PROVISIONING_PERMISSIONS.write} while the builder setting selfService.scimProvisioning is on, for its own tenant's connections only (another tenant's is a 404).`;

/** Logs a change of who may provision the connection (a token issued or revoked, the allowlist replaced) at info. */
const logAccessChange = (request: FastifyRequest<{ Params: { id: string } }>, tenantId: string, data: Record<string, unknown>) =>
  request.log.info({ connectionId: request.params.id, tenantId, ...data }, 'SCIM connection access changed');

export const connectionTokenRoutes: FastifyPluginAsync<{ tokens: ConnectionTokenService }> = async (app, { tokens }) => {
  const base = '/api/v1/connections/:id';
  const tags = ['scim connection tokens'];
  app.addHook('preHandler', environmentOrSelfService);
  logAuditFailures(app);
  const selfService = { selfService: PROVISIONING_PERMISSIONS.write };

  app.post<{ Params: { id: string }; Body: { expiresIn?: number; expiresAt?: string } | undefined }>(
    `${base}/tokens`,
    {
      schema: {
        tags,
        summary: 'Issue another bearer token for a SCIM connection',
        description:
          'The token is in this response only. Existing tokens keep working, so an IdP can be switched to the new token before the old one is revoked. ' +
          `Optional expiry: expiresIn (seconds) or expiresAt (date-time). At most ${MAX_LIVE_TOKENS} live tokens per connection. ${selfServiceNote}`,
        security: environmentSecurity,
        params: idParams,
        body: {
          type: 'object',
          additionalProperties: false,
          properties: {
            expiresIn: { type: 'integer', minimum: TOKEN_LIFETIME.minSeconds, maximum: TOKEN_LIFETIME.maxSeconds },
            expiresAt: { type: 'string', format: 'date-time' },
          },
        },
        response: { 201: { type: 'object', required: [...tokenRequired, 'token'], properties: { ...tokenProperties, token: { type: 'string' } } }, ...errorResponses(400, 401, 403, 404, 409) },
      },
      config: selfService,
    },
    async (request, reply) => {
      const { tenantId, issued } = await tokens.issue(actorOf(request), request.params.id, request.body ?? {}, request.selfService?.tenantId);
      logAccessChange(request, tenantId, { change: 'token.issued', tokenId: issued.id, prefix: issued.prefix, expiresAt: issued.expiresAt });
      return reply.code(201).send(issued);
    },
  );

  app.get<{ Params: { id: string } }>(
    `${base}/tokens`,
    {
      schema: {
        tags,
        summary: "List a SCIM connection's tokens (never the secrets)",
        description: selfServiceNote,
        security: environmentSecurity,
        params: idParams,
        response: {
          200: { type: 'object', required: ['items'], properties: { items: { type: 'array', items: { type: 'object', required: tokenRequired, properties: tokenProperties } } } },
          ...errorResponses(400, 401, 403, 404),
        },
      },
      config: selfService,
    },
    async (request) => ({ items: await tokens.list(request.params.id, request.selfService?.tenantId) }),
  );

  app.delete<{ Params: { id: string; tokenId: string } }>(
    `${base}/tokens/:tokenId`,
    {
      schema: {
        tags,
        summary: 'Revoke a token, with immediate effect',
        description: `409 for the connection's last live token: issue its replacement first, or delete the connection. ${selfServiceNote}`,
        security: environmentSecurity,
        params: tokenParams,
        response: { 204: { type: 'null' }, ...errorResponses(400, 401, 403, 404, 409) },
      },
      config: selfService,
    },
    async (request, reply) => {
      const { tenantId } = await tokens.revoke(actorOf(request), request.params.id, request.params.tokenId, request.selfService?.tenantId);
      logAccessChange(request, tenantId, { change: 'token.revoked', tokenId: request.params.tokenId });
      return reply.code(204).send();
    },
  );

  app.get<{ Params: { id: string } }>(
    `${base}/ip-allowlist`,
    {
      schema: {
        tags,
        summary: "A SCIM connection's IP allowlist",
        description: 'Empty: every address may call. Otherwise SCIM requests from other addresses get 403.',
        security: environmentSecurity,
        params: idParams,
        response: { 200: allowlistBody, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ ipAllowlist: await tokens.allowlist(request.params.id) }),
  );

  app.put<{ Params: { id: string }; Body: { ipAllowlist: string[] } }>(
    `${base}/ip-allowlist`,
    {
      schema: {
        tags,
        summary: "Replace a SCIM connection's IP allowlist",
        description: 'Takes effect on the next request. Behind a proxy or load balancer, set TRUST_PROXY so the client address is the IdP\'s.',
        security: environmentSecurity,
        params: idParams,
        body: allowlistBody,
        response: { 200: allowlistBody, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { tenantId, ipAllowlist } = await tokens.setAllowlist(actorOf(request), request.params.id, request.body.ipAllowlist);
      logAccessChange(request, tenantId, { change: 'ipAllowlist.replaced', ipAllowlist });
      return { ipAllowlist };
    },
  );
};
