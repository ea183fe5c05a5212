/**
 * The settings of abuse limits, proxies and browser headers, and the parsers of the ones that are
 * not plain numbers. src/config.ts reads them at start-up; a bad value stops the process.
 */
import { isCidr } from './ip-allowlist.js';

/**
 * Fastify's `trustProxy`: off, on (believe any X-Forwarded-For), or the proxies' addresses/CIDRs.
 * (Fastify 5 ignores hop counts — it cannot validate the immediate peer with one — so none here.)
 */
export type TrustProxy = boolean | string[];

/** Abuse limits, client addresses and browser headers. */
export interface ProtectionConfig {
  /** SCIM requests per second per connection, across every process on the database (SCIM_RATE_LIMIT); 0 turns the limit off. */
  readonly scimRateLimit: number;
  /** Requests a connection may send at once before the rate applies (SCIM_RATE_BURST). */
  readonly scimRateBurst: number;
  /** Milliseconds of work (database time, response bytes) per second per connection and process (SCIM_COST_LIMIT); 0 = off. */
  readonly scimCostLimit: number;
  /** Milliseconds of work a connection may use at once after idling (SCIM_COST_BURST). */
  readonly scimCostBurst: number;
  /** SCIM requests a connection may have in flight at once per process (SCIM_CONCURRENCY_LIMIT); 0 = off. */
  readonly scimConcurrencyLimit: number;
  /** Failed authentications per client address and window before 429 (AUTH_FAILURE_LIMIT); 0 = off. */
  readonly authFailureLimit: number;
  readonly authFailureWindowSeconds: number;
  /** Whose X-Forwarded-For to believe (TRUST_PROXY); the client address feeds throttles and allowlists. */
  readonly trustProxy: TrustProxy;
  /** CSP frame-ancestors sources (FRAME_ANCESTORS): who may embed Rollcall's pages. */
  readonly frameAncestors: string;
}

/** proxy-addr's names for address ranges, accepted in TRUST_PROXY. */
const RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/** TRUST_PROXY: unset/false, true, or a comma-separated list of proxy addresses, CIDRs or range names. */
export function parseTrustProxy(raw: string | undefined): TrustProxy {
  const value = raw?.trim() ?? '';
  if (value === '' || value === 'false') return false;
  if (value === 'true') return true;
  const entries = value.split(',').map((e) => e.trim()).filter(Boolean);
  for (const entry of entries) {
    if (!RANGE_NAMES.includes(entry) && !isCidr(entry)) {
      throw new Error(`TRUST_PROXY must be true, false or a comma-separated list of proxy addresses/CIDRs (or loopback, linklocal, uniquelocal); "${entry}" is none of these`);
    }
  }
  return entries;
}

/** A host source of CSP: scheme, host (optionally `*.`-prefixed), optional port, no path. */
const HOST_SOURCE = /^(https?:\/\/)(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*(:(\d{1,5}|\*))?$/i;

/**
 * FRAME_ANCESTORS: the CSP frame-ancestors sources, separated by spaces or commas — `'none'`
 * (the default: no embedding), `'self'`, origins such as `https://app.example.com` or
 * `https://*.example.com`, or the scheme `https:`. Quotes around self and none are optional.
 */
export function parseFrameAncestors(raw: string | undefined): string {
  const value = raw?.trim() ?? '';
  if (value === '') return "'none'";
  const sources = value.split(/[\s,]+/).filter(Boolean).map((s) => (/^'?(self|none)'?$/i.test(s) ? `'${s.replace(/'/g, '').toLowerCase()}'` : s));
  for (const source of sources) {
    if (source === "'self'" || source === "'none'" || source === 'https:' || HOST_SOURCE.test(source)) continue;
    throw new Error(`FRAME_ANCESTORS must list 'self', 'none', https: or origins like https://app.example.com; "${source}" is not one`);
  }
  if (sources.includes("'none'") && sources.length > 1) throw new Error("FRAME_ANCESTORS: 'none' cannot be combined with other sources");
  return sources.join(' ');
}
