/** GET|PATCH /api/v1/settings — the builder settings (environment token). */
import type { FastifyPluginAsync } from 'fastify';
import { actorOf } from '../audit/actor.js';
import { environmentSecurity, errorResponses } from '../http/schemas.js';
import type { SettingsPatch, SettingsService } from './service.js';

const settingsSchema = {
  type: 'object',
  properties: {
    selfService: {
      type: 'object',
      properties: {
        scimProvisioning: { type: 'boolean', description: 'Whether user tokens may list, read, create and delete SCIM configurations of their tenant' },
      },
    },
  },
} as const;

export const settingsRoutes: FastifyPluginAsync<{ settings: SettingsService }> = async (app, { settings }) => {
  const tags = ['settings'];

  app.get('/api/v1/settings', {
    schema: { tags, security: environmentSecurity, summary: 'The builder settings', response: { 200: settingsSchema, ...errorResponses(401) } },
  }, async () => settings.get());

  app.patch<{ Body: SettingsPatch }>(
    '/api/v1/settings',
    {
      schema: {
        tags,
        security: environmentSecurity,
        summary: 'Change builder settings',
        description: 'Only the settings named in the body change. Self-service SCIM provisioning is off until turned on here.',
        body: {
          type: 'object',
          minProperties: 1,
          additionalProperties: false,
          properties: {
            selfService: {
              type: 'object',
              minProperties: 1,
              additionalProperties: false,
              properties: { scimProvisioning: { type: 'boolean' } },
            },
          },
        },
        response: { 200: settingsSchema, ...errorResponses(400, 401) },
      },
    },
    async (request) => settings.update(actorOf(request), request.body),
  );
};
