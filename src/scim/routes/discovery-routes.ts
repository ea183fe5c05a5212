/**
 * Discovery (RFC 7644 §4): ServiceProviderConfig, ResourceTypes, Schemas. Honest: it advertises
 * exactly what this server does, with the limits it enforces.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { customExtensionSchema } from '../../attributes/scim-extension.js';
import { ScimError, notFound } from '../errors.js';
import { ALL_SCHEMAS, RESOURCE_TYPES, getSchema } from '../schema/index.js';
import type { SchemaDef } from '../schema/types.js';
import { BULK_LIMITS } from './bulk-limits.js';
import { MAX_RESULTS, listResponse } from './list-params.js';
import { scimBaseUrl } from './request-scope.js';

const SPC_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';
const RESOURCE_TYPE_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType';
const SCHEMA_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Schema';

function meta(baseUrl: string, resourceType: string, path: string) {
  return { resourceType, location: `${baseUrl}${path}` };
}

function serviceProviderConfig(baseUrl: string) {
  return {
    schemas: [SPC_SCHEMA],
    patch: { supported: true },
    bulk: { supported: true, maxOperations: BULK_LIMITS.maxOperations, maxPayloadSize: BULK_LIMITS.maxPayloadSize },
    filter: { supported: true, maxResults: MAX_RESULTS },
    changePassword: { supported: false },
    sort: { supported: true },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'OAuth Bearer Token',
        description: 'The connection token shown once when the SCIM connection was created, sent as Authorization: Bearer <token>.',
        specUri: 'https://www.rfc-editor.org/rfc/rfc6750',
        primary: true,
      },
    ],
    meta: meta(baseUrl, 'ServiceProviderConfig', '/ServiceProviderConfig'),
  };
}

/** The extension of the vendor's custom attributes (src/attributes/scim-extension.ts), if it has any. */
function customExtension(request: FastifyRequest): SchemaDef | undefined {
  return request.scim ? customExtensionSchema(request.scim.catalogue) : undefined;
}

function resourceType(baseUrl: string, name: keyof typeof RESOURCE_TYPES, custom: SchemaDef | undefined) {
  const rt = RESOURCE_TYPES[name];
  const schemaExtensions = name === 'User' && custom ? [...rt.schemaExtensions, { schema: custom.id, required: false }] : rt.schemaExtensions;
  return { schemas: [RESOURCE_TYPE_SCHEMA], ...rt, schemaExtensions, meta: meta(baseUrl, 'ResourceType', `/ResourceTypes/${rt.id}`) };
}

function schema(baseUrl: string, def: SchemaDef) {
  return { schemas: [SCHEMA_SCHEMA], ...def, meta: meta(baseUrl, 'Schema', `/Schemas/${def.id}`) };
}

const methodNotAllowed = () => {
  // RFC 9110 §15.5.6: a 405 names the methods that are allowed.
  throw new ScimError(405, 'Discovery endpoints are read-only: use GET', undefined, { allow: 'GET' });
};

/** Registers the discovery endpoints and their 405s for other methods. */
export function registerDiscoveryRoutes(app: FastifyInstance): void {
  const baseUrlOf = scimBaseUrl;
  app.get('/ServiceProviderConfig', (request) => serviceProviderConfig(baseUrlOf(request)));

  app.get('/ResourceTypes', (request) => {
    const base = baseUrlOf(request);
    const custom = customExtension(request);
    const all = (Object.keys(RESOURCE_TYPES) as (keyof typeof RESOURCE_TYPES)[]).map((n) => resourceType(base, n, custom));
    return listResponse(all.length, 1, all);
  });
  app.get<{ Params: { name: string } }>('/ResourceTypes/:name', (request) => {
    const name = (Object.keys(RESOURCE_TYPES) as (keyof typeof RESOURCE_TYPES)[]).find((n) => n.toLowerCase() === request.params.name.toLowerCase());
    if (!name) throw notFound(`Resource type ${request.params.name} not found`);
    return resourceType(baseUrlOf(request), name, customExtension(request));
  });

  app.get('/Schemas', (request) => {
    const base = baseUrlOf(request);
    const custom = customExtension(request);
    const all: SchemaDef[] = custom ? [...ALL_SCHEMAS, custom] : [...ALL_SCHEMAS];
    return listResponse(all.length, 1, all.map((s) => schema(base, s)));
  });
  app.get<{ Params: { urn: string } }>('/Schemas/:urn', (request) => {
    const custom = customExtension(request);
    const def = custom && custom.id.toLowerCase() === request.params.urn.toLowerCase() ? custom : getSchema(request.params.urn);
    if (!def) throw notFound(`Schema ${request.params.urn} not found`);
    return schema(baseUrlOf(request), def);
  });

  // 405 from onRequest, before the body is parsed: Okta's SPEC test POSTs the body "test" here and
  // expects 405, not the 400 that parsing it would give (the method is wrong whatever the body).
  for (const url of ['/ServiceProviderConfig', '/ResourceTypes', '/ResourceTypes/:name', '/Schemas', '/Schemas/:urn']) {
    app.route({ method: ['POST', 'PUT', 'PATCH', 'DELETE'], url, onRequest: async () => methodNotAllowed(), handler: methodNotAllowed });
  }
}
