/** POST /auth/vendor: exchange a vendor credential for an environment token. */
import type { FastifyPluginAsync } from 'fastify';
import { unauthorized } from '../http/api-errors.js';
import { errorResponses } from '../http/schemas.js';
import type { AuthService } from './service.js';

export const authRoutes: FastifyPluginAsync<{ auth: AuthService }> = async (app, { auth }) => {
  app.post<{ Body: { clientId: string; secret: string } }>(
    '/auth/vendor',
    {
      bodyLimit: 16 * 1024,
      // Guessing a secret is refused before the check (src/limits/auth-throttle.ts).
      config: { vendorSignIn: true },
      schema: {
        tags: ['auth'],
        summary: 'Exchange a vendor credential for an environment token',
        body: {
          type: 'object',
          required: ['clientId', 'secret'],
          properties: {
            clientId: { type: 'string', minLength: 1, maxLength: 128 },
            secret: { type: 'string', minLength: 1, maxLength: 256 },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: { token: { type: 'string' }, expiresIn: { type: 'integer', description: 'seconds' } },
          },
          ...errorResponses(400, 401),
        },
      },
    },
    async (request) => {
      const result = await auth.exchange(request.body.clientId, request.body.secret);
      if (!result) throw unauthorized('Invalid clientId or secret');
      return result;
    },
  );
};
