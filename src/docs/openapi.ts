/** The OpenAPI 3 document of the management API, served at /docs (UI) and /docs/json. */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

/** Registers the OpenAPI generator; call before any route so every route is documented. */
export async function registerOpenApi(app: FastifyInstance, publicUrl: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Rollcall management API',
        version: '1',
        description:
          'Manage tenants and their SCIM connections. Exchange a vendor credential at POST /auth/vendor for an environment token and send it as `Authorization: Bearer …`.',
      },
      servers: [{ url: publicUrl }],
      components: {
        securitySchemes: { environmentToken: { type: 'http', scheme: 'bearer', description: 'Token from POST /auth/vendor' } },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
}
