/** The hooks that record every SCIM request in the monitoring log. */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { redactBody } from './redact.js';
import type { RequestLogWriter } from './writer.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The SCIM error a response carried, kept for the request log. */
    scimErrorInfo: { scimType: string | null; detail: string | null } | null;
    /** The request's id in the request log, once something asked for it (requestIdOf). */
    scimRequestId: string | null;
  }
}

/** This process's part of request ids: ids of different processes never meet. */
const PROCESS_PART = randomBytes(6).toString('base64url');
let requests = 0;

/**
 * The SCIM request's id, as its request log row and the changes it held (src/deprovisioning/) name
 * it: when it started (milliseconds, base 36), this process and a counter, so it costs no random
 * bytes per request, and a lookup by id reads only the log rows written after its start
 * (requestStartOf).
 */
export function requestIdOf(request: FastifyRequest): string {
  request.scimRequestId ??= `${Date.now().toString(36)}.${PROCESS_PART}.${(++requests).toString(36)}`;
  return request.scimRequestId;
}

/** When the request of this id started (requestIdOf), or undefined for an id Rollcall did not make. */
export function requestStartOf(requestId: string): number | undefined {
  const match = /^([0-9a-z]{1,11})\.[A-Za-z0-9_-]{8}\.[0-9a-z]{1,13}$/.exec(requestId);
  if (!match) return undefined;
  const start = parseInt(match[1], 36);
  return Number.isSafeInteger(start) ? start : undefined;
}

/** Reads scimType/detail back from an error body that is about to be sent. */
function errorInfo(payload: unknown): { scimType: string | null; detail: string | null } | null {
  if (typeof payload !== 'string' || payload.length > 65_536) return null;
  try {
    const body = JSON.parse(payload) as { scimType?: unknown; detail?: unknown };
    return { scimType: typeof body.scimType === 'string' ? body.scimType : null, detail: typeof body.detail === 'string' ? body.detail.slice(0, 1000) : null };
  } catch {
    return null;
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/** Adds the request-log hooks to the SCIM plugin's scope. */
export function recordScimRequests(app: FastifyInstance, writer: RequestLogWriter, prefixLength: number): void {
  app.decorateRequest('scimErrorInfo', null);
  app.decorateRequest('scimRequestId', null);
  app.addHook('onSend', async (request, reply, payload) => {
    if (reply.statusCode >= 400) request.scimErrorInfo = errorInfo(payload);
    return payload;
  });
  app.addHook('onResponse', async (request, reply) => {
    const params = request.params as { connectionId?: string } | undefined;
    const connectionId = request.scim?.connectionId ?? params?.connectionId;
    if (!connectionId) return;
    const [path, query] = request.url.split('?', 2);
    writer.push({
      tenant_id: request.scim?.tenantId ?? null,
      connection_id: connectionId,
      method: request.method,
      // The path below the connection: `/Users/…`.
      path: path.slice(prefixLength).replace(/^\/[^/]*/, '') || '/',
      query: query ? safeDecode(query).slice(0, 2000) : null,
      status: reply.statusCode,
      duration_ms: Math.round(reply.elapsedTime),
      scim_type: request.scimErrorInfo?.scimType ?? null,
      detail: request.scimErrorInfo?.detail ?? null,
      user_agent: request.headers['user-agent']?.slice(0, 300) ?? null,
      body: redactBody(request.body),
      created_at: new Date().toISOString(),
      request_id: requestIdOf(request),
    });
  });
}
