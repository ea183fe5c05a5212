/**
 * GET /metrics: Prometheus' text format, to the bearer of METRICS_TOKEN only. Environment tokens, user
 * tokens and session cookies open nothing here: the route sits outside the management API's guard, and
 * a scraper's credential opens nothing else.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Registry } from 'prom-client';
import { unauthorized } from '../http/api-errors.js';
import { bearerToken } from '../http/bearer.js';
import { constantTimeEqual, hashToken } from '../security/secrets.js';

/** What the route needs: the registry it serves and the token it accepts. */
export interface MetricsRouteOptions {
  registry: Registry;
  token: string;
}

export const metricsRoutes: FastifyPluginAsync<MetricsRouteOptions> = async (app, { registry, token }) => {
  // Hashes compared, not the tokens: equal lengths, so the time does not tell the token's length either.
  const expected = hashToken(token);
  app.get(
    '/metrics',
    // Not part of the management API: left out of the OpenAPI document.
    { schema: { hide: true } },
    async (request, reply) => {
      const presented = bearerToken(request.headers.authorization);
      if (presented === undefined || !constantTimeEqual(hashToken(presented), expected)) {
        void reply.header('www-authenticate', 'Bearer realm="rollcall-metrics"');
        throw unauthorized(presented === undefined ? 'The metrics token is required (Authorization: Bearer <METRICS_TOKEN>)' : 'The metrics token is not valid');
      }
      const body = await registry.metrics();
      return reply.header('content-type', registry.contentType).header('cache-control', 'no-store').send(body);
    },
  );
};
