/**
 * The two session cookies of the web UI: reading the Cookie header and writing Set-Cookie. No
 * dependency: the header grammar we need (RFC 6265 §4.2, §5.2) is a few lines.
 */

/** The dashboard's session cookie (vendor staff, top-level pages only). */
export const DASHBOARD_COOKIE = 'rollcall_session';
/** The self-service portal's session cookie (a customer's admin, possibly inside the vendor's iframe). */
export const PORTAL_COOKIE = 'rollcall_portal';

/** At most this many cookies of a header are looked at; a browser never sends anywhere near as many. */
const MAX_COOKIES = 100;

/**
 * The cookies of a `Cookie` header, first occurrence of each name winning (browsers send the most
 * specific path first, RFC 6265 §5.4). Malformed pairs are skipped, never thrown on: the header comes
 * from anyone. Values are kept as sent, minus optional double quotes; ours are base64url.
 */
export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  if (typeof header !== 'string' || header === '') return cookies;
  const pairs = header.split(';');
  for (const pair of pairs.slice(0, MAX_COOKIES)) {
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    const name = pair.slice(0, eq).trim();
    let value = pair.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    if (name !== '' && !cookies.has(name)) cookies.set(name, value);
  }
  return cookies;
}

/** How a session cookie is scoped; depends on the cookie and on whether Rollcall is served over https. */
export interface CookieScope {
  sameSite: 'Strict' | 'Lax' | 'None';
  secure: boolean;
  /** CHIPS: a cookie of the embedding site's partition, so that it works in a third-party iframe. */
  partitioned: boolean;
}

/**
 * The dashboard is used top-level on Rollcall's own origin: `SameSite=Strict` keeps every cross-site
 * request, even a top-level navigation, from carrying it.
 */
export function dashboardCookieScope(https: boolean): CookieScope {
  return { sameSite: 'Strict', secure: https, partitioned: false };
}

/**
 * The portal may be framed by the vendor's app (FRAME_ANCESTORS), where the page is third-party:
 * over https the cookie is `SameSite=None; Secure; Partitioned` so the browser keeps it in that
 * embedding site's partition (CHIPS) instead of blocking it as a third-party cookie. Browsers refuse
 * `SameSite=None` without `Secure`, so plain http (development) gets `Lax` and no framing.
 * Cross-site requests carrying it are stopped by the CSRF token and the Origin check (./csrf.ts).
 */
export function portalCookieScope(https: boolean): CookieScope {
  return https ? { sameSite: 'None', secure: true, partitioned: true } : { sameSite: 'Lax', secure: false, partitioned: false };
}

/** A `Set-Cookie` value for `name`; `maxAgeSeconds` 0 clears the cookie. */
export function serializeCookie(name: string, value: string, scope: CookieScope, maxAgeSeconds: number): string {
  const parts = [`${name}=${value}`, 'HttpOnly', `SameSite=${scope.sameSite}`, 'Path=/', `Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`];
  if (scope.secure) parts.push('Secure');
  // A partitioned cookie can only be replaced or cleared by a Set-Cookie that is partitioned too.
  if (scope.partitioned) parts.push('Partitioned');
  return parts.join('; ');
}
