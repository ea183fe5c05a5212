/** POST /api/v1/user-tokens — mint a self-service user token (environment token). */
import type { FastifyPluginAsync } from 'fastify';
import { actorOf } from '../audit/actor.js';
import { environmentSecurity, errorResponses } from '../http/schemas.js';
import { PERMISSION_KEY_PATTERN, ROLE_KEY_PATTERN } from '../roles/permissions.js';
import { TENANT_ID_PATTERN } from '../tenants/routes.js';
import { DEFAULT_TTL_SECONDS, DIRECTORY_USER_ID_MAX, MAX_TTL_SECONDS, type MintRequest, type UserTokenService } from './service.js';

export const userTokenRoutes: FastifyPluginAsync<{ userTokens: UserTokenService }> = async (app, { userTokens }) => {
  app.post<{ Body: MintRequest }>(
    '/api/v1/user-tokens',
    {
      schema: {
        tags: ['self-service'],
        summary: 'Mint a user token for the self-service portal',
        description:
          'Call it from your backend for a signed-in admin of one of your customers, and open `portalUrl` (or send the token as `Authorization: Bearer …` to the SCIM configuration endpoints). The token is a JWT carrying `sub` (userId), `tenantId` and the resolved `permissions`: those given plus those of its roles — `roles`, and with `directoryUserId` that directory user’s effective roles (the default role and the roles mapped to its groups); with none of the three, the default role’s.',
        security: environmentSecurity,
        body: {
          type: 'object',
          required: ['tenantId', 'userId'],
          additionalProperties: false,
          properties: {
            tenantId: { type: 'string', pattern: TENANT_ID_PATTERN },
            userId: { type: 'string', minLength: 1, maxLength: 256 },
            email: { type: 'string', format: 'email', maxLength: 320 },
            roles: { type: 'array', maxItems: 50, items: { type: 'string', pattern: ROLE_KEY_PATTERN } },
            permissions: { type: 'array', maxItems: 100, items: { type: 'string', pattern: PERMISSION_KEY_PATTERN } },
            directoryUserId: {
              type: 'string',
              minLength: 1,
              maxLength: DIRECTORY_USER_ID_MAX,
              description:
                'The person’s user in the tenant directory (its `id` in /api/v1/tenants/{tenantId}/users): its effective roles are added to `roles`. 400 unless it is a user of the tenant provisioned by a connection that syncs to user management; 409 while it is deactivated or detached.',
            },
            expiresIn: { type: 'integer', minimum: 60, maximum: MAX_TTL_SECONDS, description: `Seconds; default ${DEFAULT_TTL_SECONDS} (or USER_TOKEN_MAX_LIFETIME_SECONDS when lower), at most that setting` },
          },
        },
        response: {
          201: {
            type: 'object',
            properties: {
              token: { type: 'string' },
              expiresIn: { type: 'integer', description: 'seconds' },
              portalUrl: { type: 'string', description: '{PUBLIC_URL}/portal?token=…' },
            },
          },
          ...errorResponses(400, 401, 404, 409),
        },
      },
    },
    async (request, reply) => reply.code(201).send(await userTokens.mint(actorOf(request), request.body)),
  );
};
