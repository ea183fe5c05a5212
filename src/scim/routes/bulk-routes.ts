/** POST /Bulk (RFC 7644 §3.7). */
import type { FastifyInstance } from 'fastify';
import { BULK_RESPONSE_SCHEMA, type BulkService } from '../service/bulk-service.js';
import { BULK_LIMITS } from './bulk-limits.js';
import { scimBaseUrl, scopeOf } from './request-scope.js';

export function registerBulkRoutes(app: FastifyInstance, bulk: BulkService): void {
  app.post('/Bulk', { bodyLimit: BULK_LIMITS.maxPayloadSize }, async (request) => {
    const results = await bulk.execute(scopeOf(request), scimBaseUrl(request), request.body, BULK_LIMITS.maxOperations);
    return { schemas: [BULK_RESPONSE_SCHEMA], Operations: results };
  });
}
