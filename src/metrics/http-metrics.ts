/**
 * HTTP and SCIM request metrics, counted in one root onResponse hook. Labels stay bounded: the route's
 * pattern (`/directory/resources/scim/v2.0/:connectionId/Users/:id`), never the URL with its ids; a
 * status class, not the status; and no connection or tenant label, whose values grow with customers.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Counter, Histogram, type Registry } from 'prom-client';
import { SCIM_PREFIX } from '../http/error-handler.js';
import { SCIM_TYPES, type ScimType } from '../scim/errors.js';

/** The route label of requests that matched no route (404s for unknown paths, scanners). */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * Latency buckets, in seconds: most SCIM calls take about a millisecond, a page of a full sync a few,
 * and a large Bulk request seconds.
 */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

const SCIM_TYPE_SET: ReadonlySet<string> = new Set(SCIM_TYPES);

/** `2xx`, `4xx`, `5xx`… */
function statusClass(status: number): string {
  return `${Math.floor(status / 100)}xx`;
}

/** The scimType of a SCIM error response, from the error catalogue only; `none` without one. */
function scimTypeOf(request: FastifyRequest): ScimType | 'none' {
  // Set by the SCIM request log's onSend hook (src/monitoring/scim-hook.ts) on SCIM routes only.
  const info = (request as { scimErrorInfo?: { scimType: string | null } | null }).scimErrorInfo;
  const type = info?.scimType;
  return type && SCIM_TYPE_SET.has(type) ? (type as ScimType) : 'none';
}

/** Adds the request counters to `registry` and the hook that feeds them to `app` (call before routes are registered). */
export function registerHttpMetrics(app: FastifyInstance, registry: Registry): void {
  const labelNames = ['method', 'route', 'status_class'] as const;
  const requests = new Counter({ name: 'rollcall_http_requests_total', help: 'HTTP requests answered, by route pattern, method and status class', labelNames, registers: [registry] });
  const duration = new Histogram({
    name: 'rollcall_http_request_duration_seconds',
    help: 'Time from receiving an HTTP request to the end of its response, by route pattern, method and status class',
    labelNames,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const scimRequests = new Counter({ name: 'rollcall_scim_requests_total', help: 'SCIM requests answered (every connection), by status class', labelNames: ['status_class'], registers: [registry] });
  const scimErrors = new Counter({
    name: 'rollcall_scim_errors_total',
    help: 'SCIM requests answered with an error (4xx, 5xx; every connection), by status class and RFC 7644 scimType ("none" without one)',
    labelNames: ['status_class', 'scim_type'],
    registers: [registry],
  });

  app.addHook('onResponse', async (request, reply) => {
    const status = reply.statusCode;
    const labels = { method: request.method, route: (!request.is404 && request.routeOptions.url) || UNMATCHED_ROUTE, status_class: statusClass(status) };
    requests.inc(labels);
    duration.observe(labels, reply.elapsedTime / 1000);
    // Every request under the SCIM prefix, routed or not: what an IdP sees.
    if (request.url.startsWith(`${SCIM_PREFIX}/`)) {
      scimRequests.inc({ status_class: labels.status_class });
      if (status >= 400) scimErrors.inc({ status_class: labels.status_class, scim_type: scimTypeOf(request) });
    }
  });
}
