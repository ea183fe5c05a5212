/** JSON schemas shared by management routes (also what the OpenAPI document shows). */

/** The management API error body. */
export const errorBodySchema = {
  type: 'object',
  properties: {
    statusCode: { type: 'integer' },
    error: { type: 'string' },
    code: { type: 'string' },
    message: { type: 'string' },
    field: { type: 'string' },
  },
} as const;

/** Response schemas for the listed error statuses. */
export function errorResponses(...statuses: number[]): Record<number, typeof errorBodySchema> {
  return Object.fromEntries(statuses.map((s) => [s, errorBodySchema]));
}

/** The bearer security requirement of routes behind the environment token. */
export const environmentSecurity = [{ environmentToken: [] }];

/** `_limit`/`_offset` paging query (Frontegg's names). */
export const pagingQuery = {
  _limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
  _offset: { type: 'integer', minimum: 0, maximum: 1_000_000_000, default: 0 },
} as const;

/** The OpenAPI note of a connection route that a user token with `permission` may also call. */
export function selfServiceNote(permission: string): string {
  return `Also accepts a user token of the connection's tenant carrying ${permission} while the builder setting selfService.scimProvisioning is on; another tenant's connection is a 404.`;
}
