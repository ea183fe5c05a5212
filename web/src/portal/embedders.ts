/**
 * Which origins may hand the portal a token by postMessage: those FRAME_ANCESTORS allows to frame it
 * (GET /ui/portal/embedding). Framing is already limited to them by the CSP; a popup opener is not, so
 * without this check any site could open the portal and sign it in to the sender's own tenant.
 */
import { api } from '../shared/api.js';
import type { ApiBody } from '../shared/types.js';

/** Whether `origin` matches a CSP source expression of frame-ancestors (CSP3 §6.7.2, the forms Rollcall accepts). */
export function sourceMatches(source: string, origin: string, own: string): boolean {
  if (source === "'self'") return origin === own;
  if (source === "'none'") return false;
  if (source === 'https:') return origin.startsWith('https://');
  const match = /^(https?):\/\/(\*\.)?([^:/]+)(?::(\d+|\*))?$/i.exec(source);
  const url = (() => {
    try {
      return new URL(origin);
    } catch {
      return undefined;
    }
  })();
  if (!match || !url) return false;
  const [, scheme, wildcard, host, port] = match;
  if (url.protocol !== `${scheme.toLowerCase()}:`) return false;
  const hostname = url.hostname.toLowerCase();
  const wanted = host.toLowerCase();
  if (wildcard ? !hostname.endsWith(`.${wanted}`) : hostname !== wanted) return false;
  if (port === '*') return true;
  const defaultPort = url.protocol === 'https:' ? '443' : '80';
  return (url.port || defaultPort) === (port ?? defaultPort);
}

let cached: Promise<string[]> | undefined;

/** The frame-ancestors sources, fetched once. */
export function embedderSources(): Promise<string[]> {
  cached ??= api.get<ApiBody<'/ui/portal/embedding', 'get'>>('/ui/portal/embedding').then(
    (body) => body.frameAncestors,
    () => [],
  );
  return cached;
}

/** Whether a message from `origin` may hand over a token. */
export async function mayHandOverToken(origin: string): Promise<boolean> {
  const own = window.location.origin;
  if (origin === own) return true;
  return (await embedderSources()).some((source) => sourceMatches(source, origin, own));
}
