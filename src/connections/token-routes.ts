/**
 * /api/v1/connections/{id}/tokens and /ip-allowlist: a connection's bearer tokens and the addresses
 * its IdP may call from. Environment tokens only: a user token (self-service) is refused.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { actorOf } from '../audit/actor.js';
import type { AuditService } from '../audit/service.js';
import { forbidden } from '../http/api-errors.js';
import { environmentSecurity, errorResponses } from '../http/schemas.js';
import { MAX_ALLOWLIST_ENTRIES } from '../limits/ip-allowlist.js';
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

/** Token management changes who can provision a tenant: the vendor's environment token only. */
async function environmentOnly(request: FastifyRequest): Promise<void> {
  if (request.principal?.kind !== 'environment') throw forbidden('Connection tokens and IP allowlists are managed with an environment token');
}

export const connectionTokenRoutes: FastifyPluginAsync<{ tokens: ConnectionTokenService; audit?: AuditService }> = async (app, { tokens, audit }) => {
  const base = '/api/v1/connections/:id';
  const tags = ['scim connection tokens'];
  app.addHook('preHandler', environmentOnly);

  /**
   * Logs the change and records it in the audit log as a `connection.updated` (src/audit); the change
   * has committed, so a failed audit write is logged rather than failing the request.
   */
  const record = async (request: FastifyRequest<{ Params: { id: string } }>, tenantId: string, data: Record<string, unknown>) => {
    request.log.info({ connectionId: request.params.id, tenantId, ...data }, 'SCIM connection access changed');
    try {
      await audit?.record(actorOf(request), { action: 'connection.updated', tenantId, target: { type: 'connection', id: request.params.id }, data });
    } catch (error) {
      request.log.error({ err: error, connectionId: request.params.id }, 'audit entry not written');
    }
  };

  app.post<{ Params: { id: string }; Body: { expiresIn?: number; expiresAt?: string } | undefined }>(
    `${base}/tokens`,
    {
      schema: {
        tags,
        summary: 'Issue another bearer token for a SCIM connection',
        description:
          'The token is in this response only. Existing tokens keep working, so an IdP can be switched to the new token before the old one is revoked. ' +
          `Optional expiry: expiresIn (seconds) or expiresAt (date-time). At most ${MAX_LIVE_TOKENS} live tokens per connection.`,
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
    },
    async (request, reply) => {
      const { tenantId, issued } = await tokens.issue(request.params.id, request.body ?? {});
      await record(request, tenantId, { change: 'token.issued', tokenId: issued.id, prefix: issued.prefix, expiresAt: issued.expiresAt });
      return reply.code(201).send(issued);
    },
  );

  app.get<{ Params: { id: string } }>(
    `${base}/tokens`,
    {
      schema: {
        tags,
        summary: "List a SCIM connection's tokens (never the secrets)",
        security: environmentSecurity,
        params: idParams,
        response: {
          200: { type: 'object', required: ['items'], properties: { items: { type: 'array', items: { type: 'object', required: tokenRequired, properties: tokenProperties } } } },
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request) => ({ items: await tokens.list(request.params.id) }),
  );

  app.delete<{ Params: { id: string; tokenId: string } }>(
    `${base}/tokens/:tokenId`,
    {
      schema: {
        tags,
        summary: 'Revoke a token, with immediate effect',
        description: "409 for the connection's last live token: issue its replacement first, or delete the connection.",
        security: environmentSecurity,
        params: tokenParams,
        response: { 204: { type: 'null' }, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const { tenantId } = await tokens.revoke(request.params.id, request.params.tokenId);
      await record(request, tenantId, { change: 'token.revoked', tokenId: request.params.tokenId });
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
      const { tenantId, ipAllowlist } = await tokens.setAllowlist(request.params.id, request.body.ipAllowlist);
      await record(request, tenantId, { change: 'ipAllowlist.replaced', ipAllowlist });
      return { ipAllowlist };
    },
  );
};
