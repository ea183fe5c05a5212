/**
 * Maps every error to a response at the edge: SCIM routes answer RFC 7644 §3.12 bodies,
 * everything else the management API shape. Client mistakes never become a 500.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isDatabaseUnavailable } from '../db/errors.js';
import { ScimError } from '../scim/errors.js';
import { ApiError, codeForStatus, type ApiErrorCode } from './api-errors.js';

/** Routes under this prefix speak SCIM, errors included. */
export const SCIM_PREFIX = '/directory/resources/scim/v2.0';

/** Retry-After of a 503 for a database out of reach: the next request opens a new connection (src/db/open.ts). */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

interface ValidationItem {
  instancePath?: string;
  keyword?: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** Turns an Ajv validation error into a message and the field it concerns (`source`, `query.limit`…). */
function describeValidation(error: FastifyError): { message: string; field?: string } {
  const item = (error.validation?.[0] ?? {}) as ValidationItem;
  const context = error.validationContext ?? 'body';
  const path = (item.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
  const missing = item.params?.missingProperty as string | undefined;
  const extra = item.params?.additionalProperty as string | undefined;
  const name = [path, missing ?? extra].filter(Boolean).join('.');
  const field = name ? (context === 'body' ? name : `${context}.${name}`) : context === 'body' ? undefined : context;
  const allowed = item.params?.allowedValues as unknown[] | undefined;
  let detail = item.message ?? 'is invalid';
  if (allowed) detail = `must be one of: ${allowed.join(', ')}`;
  if (missing) detail = 'is required';
  if (extra) detail = 'is not a known property';
  return { message: field ? `${field} ${detail}` : `${context} ${detail}`, field };
}

/** Classifies Fastify's own errors (bad JSON, size, media type) as client errors. */
function fromFastifyError(error: FastifyError): ApiError | undefined {
  if (error.validation) {
    const { message, field } = describeValidation(error);
    return new ApiError('validation_failed', message, field);
  }
  const byCode: Record<string, [ApiErrorCode, string]> = {
    FST_ERR_CTP_INVALID_JSON_BODY: ['invalid_json', 'The request body is not valid JSON'],
    FST_ERR_CTP_EMPTY_JSON_BODY: ['invalid_json', 'The request body is empty but Content-Type says JSON'],
    FST_ERR_CTP_BODY_TOO_LARGE: ['payload_too_large', 'The request body is too large'],
    FST_ERR_CTP_INVALID_MEDIA_TYPE: ['unsupported_media_type', 'Unsupported Content-Type; send application/json'],
    FST_ERR_CTP_INVALID_CONTENT_LENGTH: ['validation_failed', 'Content-Length does not match the body'],
  };
  const known = error.code ? byCode[error.code] : undefined;
  if (known) return new ApiError(known[0], known[1]);
  if (error instanceof SyntaxError) return new ApiError('invalid_json', 'The request body is not valid JSON');
  const status = error.statusCode;
  if (status && status >= 400 && status < 500) {
    return new ApiError(codeForStatus(status), error.message);
  }
  return undefined;
}

/** Converts a management error to its SCIM equivalent for SCIM routes. */
function toScim(error: ApiError): ScimError {
  const scimType = error.code === 'invalid_json' ? 'invalidSyntax' : undefined;
  return new ScimError(error.statusCode, error.message, scimType);
}

/** Fastify error handler shared by every route. */
export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const isScim = request.url.startsWith(SCIM_PREFIX);
  let known: ApiError | ScimError | undefined =
    error instanceof ScimError || error instanceof ApiError ? error : fromFastifyError(error);
  if (!known && isDatabaseUnavailable(error)) {
    // A failover, a restart, a network cut: not a bug, and a retry may well succeed (RFC 9110 §15.6.4).
    request.log.warn({ code: error.code, reason: error.message }, 'request failed: database unavailable');
    void reply.header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
    known = new ApiError('unavailable', 'The database is unavailable; retry later');
  }
  if (!known) {
    request.log.error({ err: error }, 'unhandled error');
    known = isScim ? new ScimError(500, 'Internal server error') : new ApiError('internal', 'Internal server error');
  }
  if (isScim) {
    const scim = known instanceof ScimError ? known : toScim(known);
    if (scim.headers) void reply.headers(scim.headers);
    void reply.code(scim.status).type('application/scim+json; charset=utf-8').send(scim.toBody());
    return;
  }
  const api = known instanceof ApiError ? known : new ApiError(codeForStatus(known.status), known.message);
  void reply.code(api.statusCode).type('application/json; charset=utf-8').send(api.toBody());
}
