/** GET|PATCH /api/v1/settings — the builder settings (environment token). */
import type { FastifyPluginAsync } from 'fastify';
import { actorOf } from '../audit/actor.js';
import { environmentSecurity, errorResponses } from '../http/schemas.js';
import { BRAND_COLOR_PATTERN, MAX_LOGO_URL_LENGTH, MAX_PRODUCT_NAME_LENGTH } from './portal-theme.js';
import type { SettingsPatch, SettingsService } from './service.js';

const portalProperties = {
  brandColor: { type: ['string', 'null'], pattern: BRAND_COLOR_PATTERN, description: 'A #rrggbb colour' },
  logoUrl: {
    type: ['string', 'null'],
    maxLength: MAX_LOGO_URL_LENGTH,
    description: 'An https: URL (up to 2048 characters), or a data:image/png|svg+xml|jpeg;base64, URL up to 64 KB',
  },
  productName: { type: ['string', 'null'], minLength: 1, maxLength: MAX_PRODUCT_NAME_LENGTH, pattern: '\\S' },
} as const;

const settingsSchema = {
  type: 'object',
  required: ['selfService', 'portal'],
  properties: {
    selfService: {
      type: 'object',
      required: ['scimProvisioning'],
      properties: {
        scimProvisioning: { type: 'boolean', description: 'Whether user tokens may list, read, create and delete SCIM configurations of their tenant' },
      },
    },
    portal: {
      type: 'object',
      description: "The self-service portal's theme; null values mean Rollcall's defaults",
      required: ['brandColor', 'logoUrl', 'productName'],
      properties: portalProperties,
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
        description:
          'Only the settings named in the body change; in `portal`, null clears a value. Self-service SCIM provisioning is off until turned on here. Every change is audited (settings.updated); a data-URL logo is recorded by size and hash.',
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
            portal: { type: 'object', minProperties: 1, additionalProperties: false, properties: portalProperties },
          },
        },
        response: { 200: settingsSchema, ...errorResponses(400, 401) },
      },
    },
    async (request) => settings.update(actorOf(request), request.body),
  );
};
