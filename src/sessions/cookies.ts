/**
 * The two session cookies of the web UI: their names and attributes. @fastify/cookie reads the Cookie
 * header (`request.cookies`) and writes Set-Cookie (`reply.setCookie`), in the scopes that use these
 * cookies only (`registerSessionCookies`): the /ui/… session routes and the management API.
 *
 * The values are not signed (@fastify/cookie's `signed`): a session token is 256 random bits looked up
 * by its SHA-256 hash, so an altered or made-up one opens nothing, and a signature would only add a
 * secret that every instance must share.
 */
import fastifyCookie, { type CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyInstance } from 'fastify';
import type { SessionKind } from './service.js';

/** The dashboard's session cookie (vendor staff, top-level pages only). */
export const DASHBOARD_COOKIE = 'rollcall_session';
/** The self-service portal's session cookie (a customer's admin, possibly inside the vendor's iframe). */
export const PORTAL_COOKIE = 'rollcall_portal';

/** The cookie of each kind of session. */
export const SESSION_COOKIES: Readonly<Record<SessionKind, string>> = { dashboard: DASHBOARD_COOKIE, portal: PORTAL_COOKIE };

/**
 * The dashboard is used top-level on Rollcall's own origin: `SameSite=Strict` keeps every cross-site
 * request, even a top-level navigation, from carrying it.
 */
export function dashboardCookieOptions(https: boolean): CookieSerializeOptions {
  return { httpOnly: true, sameSite: 'strict', path: '/', secure: https };
}

/**
 * The portal may be framed by the vendor's app (FRAME_ANCESTORS), where the page is third-party:
 * over https the cookie is `SameSite=None; Secure; Partitioned` so the browser keeps it in that
 * embedding site's partition (CHIPS) instead of blocking it as a third-party cookie. Browsers refuse
 * `SameSite=None` without `Secure`, so plain http (development) gets `Lax` and no framing.
 * Cross-site requests carrying it are stopped by the CSRF token and the Origin check (./csrf.ts).
 * A partitioned cookie can only be replaced or cleared by a Set-Cookie that is partitioned too, so
 * sign-out clears it with these same options.
 */
export function portalCookieOptions(https: boolean): CookieSerializeOptions {
  return https
    ? { httpOnly: true, sameSite: 'none', path: '/', secure: true, partitioned: true }
    : { httpOnly: true, sameSite: 'lax', path: '/', secure: false };
}

/** The options of each kind's cookie; `https` is whether PUBLIC_URL is https. */
export function sessionCookieOptions(https: boolean): Readonly<Record<SessionKind, CookieSerializeOptions>> {
  return { dashboard: dashboardCookieOptions(https), portal: portalCookieOptions(https) };
}

/**
 * Registers @fastify/cookie in `scope`: every request of the scope gets `request.cookies`, parsed in an
 * onRequest hook added here, so register it before any hook that reads them. Malformed pairs are
 * skipped and the first occurrence of a name wins (browsers send the most specific path first, RFC 6265
 * §5.4); parsing never throws.
 */
export async function registerSessionCookies(scope: FastifyInstance): Promise<void> {
  await scope.register(fastifyCookie);
}
