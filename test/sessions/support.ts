/** Helpers of the web UI session tests: signing in through the API and reading Set-Cookie. */
import type { LightMyRequestResponse } from 'fastify';
import type { TestApp } from '../support/test-app.js';

/** The Set-Cookie headers of a response, as a list. */
export function setCookies(res: LightMyRequestResponse): string[] {
  const raw = res.headers['set-cookie'];
  return raw === undefined ? [] : Array.isArray(raw) ? raw : [String(raw)];
}

/** The one Set-Cookie header for `name`; throws unless there is exactly one. */
export function setCookie(res: LightMyRequestResponse, name: string): string {
  const matching = setCookies(res).filter((c) => c.startsWith(`${name}=`));
  if (matching.length !== 1) throw new Error(`expected one Set-Cookie for ${name}, got ${JSON.stringify(setCookies(res))}`);
  return matching[0];
}

/** The attributes of a Set-Cookie header, lower-cased names → values ('' for flags). */
export function attributes(header: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of header.split(';').slice(1)) {
    const [name, ...value] = part.trim().split('=');
    out.set(name.toLowerCase(), value.join('='));
  }
  return out;
}

/** `name=value` of a Set-Cookie header, as a browser would send it back in `Cookie`. */
export const cookiePair = (header: string) => header.split(';')[0];

/** A signed-in browser: the Cookie header to send and the CSRF token of the session. */
export interface Browser {
  cookie: string;
  csrf: string;
  token: string;
}

/** Signs in to the dashboard with a new vendor credential; throws unless 200. */
export async function dashboardSignIn(t: TestApp, name = 'ui'): Promise<Browser & { clientId: string; secret: string; res: LightMyRequestResponse }> {
  const credential = await t.app.services.auth.createCredential(name);
  const res = await t.app.inject({ method: 'POST', url: '/ui/session', payload: credential });
  if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.statusCode} ${res.body}`);
  const pair = cookiePair(setCookie(res, 'rollcall_session'));
  return { ...credential, res, cookie: pair, csrf: res.json().csrfToken, token: pair.slice('rollcall_session='.length) };
}

/** Opens the portal with a user token; throws unless 200. */
export async function portalSignIn(t: TestApp, userToken: string): Promise<Browser & { res: LightMyRequestResponse }> {
  const res = await t.app.inject({ method: 'POST', url: '/ui/portal/session', payload: { token: userToken } });
  if (res.statusCode !== 200) throw new Error(`portal sign-in failed: ${res.statusCode} ${res.body}`);
  const pair = cookiePair(setCookie(res, 'rollcall_portal'));
  return { res, cookie: pair, csrf: res.json().csrfToken, token: pair.slice('rollcall_portal='.length) };
}
