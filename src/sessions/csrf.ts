/**
 * CSRF defences of cookie-authenticated requests: a per-session token in `x-csrf-token` and, when the
 * browser names one, an Origin that is Rollcall's own. A bearer token needs neither (a browser never
 * adds `Authorization` on its own), so these checks run only where a cookie authenticated the request.
 *
 * Not @fastify/csrf-protection: measured with 8.0.2 (@fastify/csrf 8.1.1), each `reply.generateCsrf()`
 * gives a new 52-character token (`salt-hash`, a fresh 8-character salt per call), so GET /ui/session and
 * GET /ui/portal/session could no longer answer the token the sign-in answered, and the one 43-character
 * token per session that the UI keeps (web/src/shared/api.ts) and test/sessions pin would change. Its
 * secret lives in a cookie of its own (`_csrf`), or in @fastify/session's or @fastify/secure-session's
 * session, none of which Rollcall has; a second cookie would also have to be `SameSite=None; Partitioned`
 * for the framed portal. The token below needs neither: it is derived from the session's own secret.
 */
import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { forbidden } from '../http/api-errors.js';
import { constantTimeEqual } from '../security/secrets.js';

export const CSRF_HEADER = 'x-csrf-token';
export const CSRF_MESSAGE = 'Missing or invalid CSRF token';

/** Methods that change nothing (RFC 9110 §9.2.1): no CSRF token needed. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The CSRF token of a session, derived from its cookie token: base64url(SHA-256("csrf:" + token)).
 * Derived rather than stored, so there is no second secret to keep, rotate or leak: it is as
 * unguessable as the 256-bit session token, it reveals nothing about that token (SHA-256 is one-way),
 * and it cannot be computed from what the database holds (SHA-256 of the bare token, a different
 * input), so a read of the sessions table yields neither cookies nor CSRF tokens. A cross-site page
 * cannot read it either: it is only in the JSON answers of the same-origin /ui/session routes.
 */
export function csrfTokenOf(sessionToken: string): string {
  return createHash('sha256').update(`csrf:${sessionToken}`, 'utf8').digest('base64url');
}

/** `scheme://host[:port]` of an absolute URL, or undefined when it is not one (e.g. Origin: null). */
function originOf(url: string): string | undefined {
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}

/** The origins a cookie-authenticated unsafe request may come from: PUBLIC_URL's and the request's own. */
function allowedOrigins(request: FastifyRequest, publicOrigin: string): string[] {
  const own = originOf(`${request.protocol}://${request.host}`);
  return own ? [publicOrigin, own] : [publicOrigin];
}

/** Throws 403 unless the Origin header is absent or one of Rollcall's own origins. */
export function checkOrigin(request: FastifyRequest, publicUrl: string): void {
  const header = request.headers.origin;
  if (header === undefined) return;
  const origin = originOf(header);
  const publicOrigin = originOf(publicUrl) ?? publicUrl;
  if (!origin || !allowedOrigins(request, publicOrigin).includes(origin)) throw forbidden('Cross-origin requests with a session cookie are refused');
}

/**
 * The CSRF checks of a request a session cookie authenticated: nothing for safe methods; otherwise the
 * Origin (when sent) must be Rollcall's and `x-csrf-token` must equal the session's token (403).
 */
export function checkCsrf(request: FastifyRequest, expected: string, publicUrl: string): void {
  if (SAFE_METHODS.has(request.method)) return;
  checkOrigin(request, publicUrl);
  const sent = request.headers[CSRF_HEADER];
  if (typeof sent !== 'string' || !constantTimeEqual(sent, expected)) throw forbidden(CSRF_MESSAGE);
}
