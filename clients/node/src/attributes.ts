/**
 * `rollcall.attributes` and `rollcall.connections.attributeMappings`: the catalogue of mapped user
 * attributes, and where each connection reads them from in its SCIM users.
 */
import type { ApiClient } from './api-client.js';
import type { Json, RequestBody } from './operations.js';
import { cursorPaged } from './pagination.js';

/** The attribute catalogue: standard, predefined and custom attributes. */
export type AttributeCatalogue = Json<'/api/v1/attributes', 'get'>;
/** The predefined attributes to switch on and the custom attributes. */
export type AttributeCatalogueUpdate = RequestBody<'/api/v1/attributes', 'put'>;
/** A connection's attribute mappings, with their defaults and what is missing. */
export type AttributeMappings = Json<'/api/v1/connections/{id}/attribute-mappings', 'get'>;
/** Each attribute's source path in the connection's SCIM users; null for the default. */
export type AttributeMappingsUpdate = RequestBody<'/api/v1/connections/{id}/attribute-mappings', 'put'>['mappings'];
/** What to preview: mappings not yet saved, and the user to read. */
export type AttributePreviewRequest = RequestBody<'/api/v1/connections/{id}/attribute-mappings/preview', 'post'>;
/** The values the mappings give for one provisioned user, and the problems met. */
export type AttributePreview = Json<'/api/v1/connections/{id}/attribute-mappings/preview', 'post'>;
/** A user whose mapped values did not convert. */
export type AttributeProblem = Json<'/api/v1/connections/{id}/attribute-problems', 'get'>['items'][number];

/** Reads and sets the attribute catalogue. */
export class Attributes {
  constructor(private readonly api: ApiClient) {}

  /** The catalogue. */
  get(): Promise<AttributeCatalogue> {
    return this.api.call('getAttributes', {});
  }

  /** Sets the predefined attributes that are on and the custom attributes; answers the catalogue. */
  set(body: AttributeCatalogueUpdate): Promise<AttributeCatalogue> {
    return this.api.call('setAttributes', { body });
  }
}

/** `connections.attributeMappings`: where one connection's attributes come from. */
export class AttributeMappingsApi {
  constructor(private readonly api: ApiClient) {}

  /** The connection's mappings. */
  get(connectionId: string): Promise<AttributeMappings> {
    return this.api.call('getAttributeMappings', { path: { id: connectionId } });
  }

  /** Replaces the connection's mappings; answers them as they now are. */
  set(connectionId: string, mappings: AttributeMappingsUpdate): Promise<AttributeMappings> {
    return this.api.call('setAttributeMappings', { path: { id: connectionId }, body: { mappings } });
  }

  /** What mappings (saved or not) give for a provisioned user; changes nothing. */
  preview(connectionId: string, body: AttributePreviewRequest = {}): Promise<AttributePreview> {
    return this.api.call('previewAttributeMappings', { path: { id: connectionId }, body });
  }

  /** Every user of the connection whose mapped values did not convert, page by page. */
  problems(connectionId: string, options: { limit?: number } = {}): AsyncGenerator<AttributeProblem, void, undefined> {
    return cursorPaged((cursor) => this.api.call('listAttributeProblems', { path: { id: connectionId }, query: { limit: options.limit, cursor } }));
  }
}
