/**
 * The attribute catalogue (`/api/v1/attributes`, environment token) and each connection's mappings
 * (`/api/v1/connections/{id}/attribute-mappings`, also in self-service: the read permission reads and
 * previews, the write permission changes them). docs/attributes.md.
 */
import type { FastifyPluginAsync } from 'fastify';
import { actorOf } from '../audit/actor.js';
import { environmentSecurity, errorResponses, selfServiceNote } from '../http/schemas.js';
import { PROVISIONING_PERMISSIONS } from '../roles/permissions.js';
import '../self-service/caller.js';
import { MAX_CUSTOM_ATTRIBUTES } from './catalogue.js';
import { MAX_SOURCE_LENGTH } from './source-path.js';
import type { AttributeService } from './service.js';
import { CUSTOM_TYPES } from './types.js';
import type { CatalogueInput } from './catalogue.js';

const TYPES = [...CUSTOM_TYPES, 'address', 'user'];
const sourcePath = { type: ['string', 'null'], maxLength: MAX_SOURCE_LENGTH } as const;
const customAttribute = {
  type: 'object',
  required: ['key', 'type'],
  additionalProperties: false,
  properties: {
    key: { type: 'string', minLength: 1, maxLength: 64 },
    type: { type: 'string', enum: [...CUSTOM_TYPES] },
    description: { type: 'string', maxLength: 500 },
    required: { type: 'boolean', description: "Whether the customer's admin must map it" },
  },
} as const;
const evaluationCounts = {
  type: 'object',
  required: ['connections', 'processed', 'total'],
  properties: { connections: { type: 'integer' }, processed: { type: 'integer' }, total: { type: 'integer' } },
  description: 'Re-evaluations of users still running after a change: connections, and users evaluated of their users',
} as const;
const catalogueSchema = {
  type: 'object',
  required: ['standard', 'predefined', 'custom', 'customSchema', 'evaluation'],
  properties: {
    standard: {
      type: 'array',
      description: 'What every directory user shows, whatever the catalogue says',
      items: { type: 'object', required: ['key', 'type', 'description'], properties: { key: { type: 'string' }, type: { type: 'string' }, description: { type: 'string' } } },
    },
    predefined: {
      type: 'array',
      items: {
        type: 'object',
        required: ['key', 'type', 'description', 'enabled', 'defaults'],
        properties: {
          key: { type: 'string' },
          type: { type: 'string', enum: TYPES },
          description: { type: 'string' },
          enabled: { type: 'boolean' },
          defaults: { type: 'object', additionalProperties: { type: 'string' }, description: 'The default source path per connection source' },
        },
      },
    },
    custom: { type: 'array', items: { ...customAttribute, required: ['key', 'type', 'description', 'required'] } },
    customSchema: { type: 'string', description: 'The URN of the SCIM extension that carries the custom attributes (advertised in /Schemas)' },
    evaluation: evaluationCounts,
  },
} as const;
const catalogueBody = {
  type: 'object',
  required: ['predefined', 'custom'],
  properties: {
    predefined: { type: 'array', maxItems: 100, items: { type: 'string', maxLength: 64 }, description: 'The predefined attributes to switch on' },
    custom: { type: 'array', maxItems: MAX_CUSTOM_ATTRIBUTES, items: customAttribute },
    customSchema: { type: 'string', maxLength: 200 },
  },
} as const;

const evaluationSchema = {
  type: 'object',
  required: ['state', 'processed', 'total', 'changed', 'startedAt', 'finishedAt'],
  properties: {
    state: { type: 'string', enum: ['idle', 'running'] },
    processed: { type: 'integer' },
    total: { type: 'integer' },
    changed: { type: 'integer', description: 'Users whose values changed' },
    startedAt: { type: ['string', 'null'], format: 'date-time' },
    finishedAt: { type: ['string', 'null'], format: 'date-time' },
  },
} as const;
const mappingsSchema = {
  type: 'object',
  required: ['mappings', 'defaults', 'attributes', 'missingRequired', 'problemUsers', 'evaluation'],
  properties: {
    mappings: { type: 'object', additionalProperties: sourcePath, description: "Each active attribute's source: the connection's own, else the default" },
    defaults: { type: 'object', additionalProperties: sourcePath, description: "Each attribute's default source for this connection's provider" },
    attributes: {
      type: 'array',
      items: {
        type: 'object',
        required: ['key', 'type', 'kind', 'required', 'description', 'customized'],
        properties: {
          key: { type: 'string' },
          type: { type: 'string', enum: TYPES },
          kind: { type: 'string', enum: ['predefined', 'custom'] },
          required: { type: 'boolean' },
          description: { type: 'string' },
          customized: { type: 'boolean', description: 'The connection sets its own source' },
        },
      },
    },
    missingRequired: { type: 'array', items: { type: 'string' }, description: 'Required custom attributes mapped to nothing' },
    problemUsers: { type: 'integer', description: 'Users with a value that did not convert (GET …/attribute-problems)' },
    evaluation: evaluationSchema,
  },
} as const;
const mappingsBody = {
  type: 'object',
  required: ['mappings'],
  properties: { mappings: { type: 'object', maxProperties: 200, additionalProperties: sourcePath } },
} as const;
const problemSchema = { type: 'object', required: ['key', 'reason'], properties: { key: { type: 'string' }, reason: { type: 'string' } } } as const;
const previewSchema = {
  type: 'object',
  required: ['user', 'values', 'problems', 'errors'],
  properties: {
    user: {
      anyOf: [{ type: 'object', required: ['id', 'userName', 'displayName'], properties: { id: { type: 'string' }, userName: { type: 'string' }, displayName: { type: ['string', 'null'] } } }, { type: 'null' }],
      description: 'The user the preview read; null when the connection has none yet',
    },
    values: { type: 'object', additionalProperties: true },
    problems: { type: 'array', items: problemSchema, description: 'Values that did not convert to their type' },
    errors: { type: 'object', additionalProperties: { type: 'string' }, description: 'Proposed sources that are no SCIM attribute path, by attribute key' },
  },
} as const;
const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 64 } } } as const;

export const attributeRoutes: FastifyPluginAsync<{ attributes: AttributeService }> = async (app, { attributes }) => {
  const tags = ['user attributes'];
  app.get('/api/v1/attributes', {
    schema: { tags, summary: 'The attribute catalogue', security: environmentSecurity, response: { 200: catalogueSchema, ...errorResponses(401) } },
  }, async () => attributes.catalogue());

  app.put<{ Body: CatalogueInput }>(
    '/api/v1/attributes',
    {
      schema: {
        tags,
        summary: 'Set the predefined attributes that are on and the custom attributes',
        description: "Replaces the catalogue. Every connection's users are re-evaluated in the background (`evaluation`); users whose values change get user.updated. Audited.",
        security: environmentSecurity,
        body: catalogueBody,
        response: { 200: catalogueSchema, ...errorResponses(400, 401) },
      },
    },
    async (request) => attributes.setCatalogue(request.body, actorOf(request)),
  );

  const path = '/api/v1/connections/:id/attribute-mappings';
  const selfService = selfServiceNote;

  app.get<{ Params: { id: string } }>(
    path,
    {
      schema: {
        tags,
        summary: "A connection's attribute mappings",
        description: `Every active attribute's source path, the defaults of the connection's provider filled in. ${selfService(PROVISIONING_PERMISSIONS.read)}`,
        security: environmentSecurity,
        params: idParams,
        response: { 200: mappingsSchema, ...errorResponses(400, 401, 403, 404) },
      },
      config: { selfService: PROVISIONING_PERMISSIONS.read },
    },
    async (request) => {
      const { tenantId: _tenant, ...view } = await attributes.mappings(request.params.id, request.selfService?.tenantId);
      return view;
    },
  );

  app.put<{ Params: { id: string }; Body: { mappings: Record<string, string | null> } }>(
    path,
    {
      schema: {
        tags,
        summary: "Replace a connection's attribute mappings",
        description: `Each key an active attribute, each value a SCIM attribute path (core, enterprise or any extension URN, value filters such as emails[type eq "work"].value) or null for nothing; an attribute left out takes its default. The connection's users are re-evaluated in the background. Audited. ${selfService(PROVISIONING_PERMISSIONS.write)}`,
        security: environmentSecurity,
        params: idParams,
        body: mappingsBody,
        response: { 200: mappingsSchema, ...errorResponses(400, 401, 403, 404) },
      },
      config: { selfService: PROVISIONING_PERMISSIONS.write },
    },
    async (request) => {
      const result = await attributes.setMappings(request.params.id, request.body.mappings, actorOf(request), request.selfService?.tenantId);
      request.log.info({ connectionId: request.params.id }, 'SCIM connection attribute mappings changed');
      return result;
    },
  );

  app.post<{ Params: { id: string }; Body: { mappings?: Record<string, string | null>; userId?: string } }>(
    `${path}/preview`,
    {
      schema: {
        tags,
        summary: 'Preview mappings against a provisioned user',
        description: `What the proposed mappings (over the saved ones) give for one user of the connection — the one userId names (its id or its userName), else the one updated last. Nothing is stored. ${selfService(PROVISIONING_PERMISSIONS.read)}`,
        security: environmentSecurity,
        params: idParams,
        body: { type: 'object', properties: { mappings: mappingsBody.properties.mappings, userId: { type: 'string', minLength: 1, maxLength: 256, description: "The user's id or userName" } } },
        response: { 200: previewSchema, ...errorResponses(400, 401, 403, 404) },
      },
      config: { selfService: PROVISIONING_PERMISSIONS.read },
    },
    async (request) => attributes.preview(request.params.id, request.body ?? {}, request.selfService?.tenantId),
  );

  app.get<{ Params: { id: string }; Querystring: { cursor?: string; limit: number } }>(
    '/api/v1/connections/:id/attribute-problems',
    {
      schema: {
        tags,
        summary: 'Users whose mapped values did not convert',
        description: `Each user of the connection with a value that did not convert to its attribute's type (the value is null), with the reasons. ${selfService(PROVISIONING_PERMISSIONS.read)}`,
        security: environmentSecurity,
        params: idParams,
        querystring: { type: 'object', properties: { cursor: { type: 'string', maxLength: 64 }, limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 } } },
        response: {
          200: {
            type: 'object',
            required: ['items', 'nextCursor'],
            properties: {
              items: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['userId', 'userName', 'problems', 'updatedAt'],
                  properties: { userId: { type: 'string' }, userName: { type: 'string' }, problems: { type: 'array', items: problemSchema }, updatedAt: { type: 'string', format: 'date-time' } },
                },
              },
              nextCursor: { type: ['string', 'null'] },
            },
          },
          ...errorResponses(400, 401, 403, 404),
        },
      },
      config: { selfService: PROVISIONING_PERMISSIONS.read },
    },
    async (request) => attributes.problems(request.params.id, { after: request.query.cursor, limit: request.query.limit }, request.selfService?.tenantId),
  );
};
