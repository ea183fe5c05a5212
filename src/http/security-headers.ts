/**
 * Security headers on every response (OWASP Secure Headers): a Content-Security-Policy that also
 * fits the API docs UI at /docs, no MIME sniffing, no referrer, and framing only by the origins in
 * FRAME_ANCESTORS (for embedding the self-service portal). No dependency: a handful of constants.
 */
import type { FastifyInstance } from 'fastify';

/** What the headers depend on. */
export interface SecurityHeaderOptions {
  /** CSP frame-ancestors sources: `'none'` (default), `'self'` or origins. */
  frameAncestors: string;
  /** HSTS is sent only when Rollcall is reached over https (PUBLIC_URL). */
  https: boolean;
}

/** The headers, computed once. */
export function securityHeaders(options: SecurityHeaderOptions): Record<string, string> {
  const csp = [
    "default-src 'self'",
    "base-uri 'none'",
    "object-src 'none'",
    "script-src 'self'",
    "script-src-attr 'none'",
    // The docs UI (Swagger UI) sets inline styles and uses data: images and fonts.
    "style-src 'self' 'unsafe-inline'",
    // data: for the docs UI; https: for the logo a vendor sets for its self-service portal.
    "img-src 'self' data: https:",
    "font-src 'self' data:",
    "form-action 'self'",
    `frame-ancestors ${options.frameAncestors}`,
  ].join('; ');
  const headers: Record<string, string> = {
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-permitted-cross-domain-policies': 'none',
    // No Cross-Origin-Opener-Policy: a vendor may open the self-service portal as a popup and talk to it
    // through window.opener, which `same-origin` would cut.
  };
  // X-Frame-Options cannot name origins; browsers that know CSP ignore it when frame-ancestors is set.
  if (options.frameAncestors === "'none'") headers['x-frame-options'] = 'DENY';
  else if (options.frameAncestors === "'self'") headers['x-frame-options'] = 'SAMEORIGIN';
  if (options.https) headers['strict-transport-security'] = 'max-age=31536000';
  return headers;
}

/** Responses that carry secrets (a token shown once) must not be kept by caches; /docs assets may. */
function cacheable(url: string): boolean {
  return url === '/docs' || url.startsWith('/docs/');
}

/** Sets `headers` (from securityHeaders) on every response, errors and 404s included; call before any route is registered. */
export function registerSecurityHeaders(app: FastifyInstance, headers: Record<string, string>): void {
  // onSend runs for every reply — handlers, errors, 404s — after the handler, so it has the last word.
  // (Errors Fastify answers before routing, such as a malformed URL, go through frameworkErrors: see src/app.ts.)
  app.addHook('onSend', (request, reply, payload, done) => {
    void reply.headers(headers);
    if (!cacheable(request.url) && !reply.hasHeader('cache-control')) void reply.header('cache-control', 'no-store');
    done(null, payload);
  });
}
