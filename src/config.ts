/** Configuration from environment variables, validated once at start-up and frozen. */
import { readFileSync } from 'node:fs';
import { KEY_VARIABLE, Keyring, PREVIOUS_KEYS_VARIABLE, parseEncryptionKey, type EncryptionKey } from './security/encryption.js';
import type { VerificationKey } from './user-tokens/jwt.js';
import { hmacKey, jwksKeys, pemKey } from './user-tokens/keys.js';
import { GOOGLE_ENDPOINTS, type GoogleEndpoints } from './google-workspace/google-api.js';
import { parseFrameAncestors, parseTrustProxy, type ProtectionConfig } from './limits/config-values.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Everything the process reads from its environment. */
export interface Config {
  readonly port: number;
  readonly host: string;
  readonly databaseUrl: string;
  readonly databasePoolSize: number;
  /** PostgreSQL: repeated queries as named prepared statements (DATABASE_PREPARED_STATEMENTS, default true). */
  readonly databasePreparedStatements: boolean;
  readonly publicUrl: string;
  readonly logLevel: LogLevel;
  readonly envTokenTtlSeconds: number;
  /** Lifetime of a web UI session cookie (UI_SESSION_TTL_SECONDS); a portal session also ends with its user token. */
  readonly uiSessionTtlSeconds: number;
  /** Events older than this many days are deleted from the feed. */
  readonly eventRetentionDays: number;
  /** SCIM request logs older than this many days are deleted. */
  readonly requestLogRetentionDays: number;
  /** At most this many SCIM request log rows are kept (oldest deleted first). */
  readonly requestLogMaxRows: number;
  readonly bootstrapCredential?: { readonly clientId: string; readonly secret: string };
  /** How user tokens (self-service) are signed, and which vendor-signed tokens are accepted. */
  readonly userTokens: UserTokenConfig;
  /** SCIM connections a tenant may have for self-service (user tokens) to create one more (MAX_CONNECTIONS_PER_TENANT). */
  readonly maxConnectionsPerTenant: number;
  /** Abuse limits, trusted proxies and browser headers (src/limits, src/http/security-headers.ts). */
  readonly protection: ProtectionConfig;
  /** Keys of the stored secrets' encryption (ROLLCALL_ENCRYPTION_KEY, ROLLCALL_PREVIOUS_ENCRYPTION_KEYS; src/security/encryption.ts). */
  readonly encryption: Keyring;
  /** Google Workspace connections: the vendor's OAuth client and Google's endpoints (src/google-workspace). */
  readonly googleWorkspace: GoogleWorkspaceConfig;
  /** The bearer token of `GET /metrics` (METRICS_TOKEN); without it the route does not exist (src/metrics). */
  readonly metricsToken?: string;
  /** Graceful shutdown on SIGTERM (src/server.ts). */
  readonly shutdown: {
    /** Seconds /readyz answers 503 while still serving, so load balancers move traffic away (SHUTDOWN_DRAIN_SECONDS). */
    readonly drainSeconds: number;
    /** Seconds after which a shutdown that has not finished exits anyway (SHUTDOWN_TIMEOUT_SECONDS). */
    readonly timeoutSeconds: number;
  };
}

/** GOOGLE_OAUTH_CLIENT_ID / _SECRET (both or neither) and GOOGLE_API_URL, GOOGLE_TOKEN_URL, GOOGLE_AUTH_URL. */
export interface GoogleWorkspaceConfig {
  readonly oauth?: { readonly clientId: string; readonly clientSecret: string };
  readonly endpoints: GoogleEndpoints;
  /** How long a process's claim on a connection's sync holds unless renewed (GOOGLE_SYNC_LEASE_SECONDS): how soon another process takes over from one that stopped. */
  readonly syncLeaseSeconds: number;
}

/** User-token signing and verification. */
export interface UserTokenConfig {
  /** Rollcall's HS256 key (USER_TOKEN_SIGNING_KEY); without it one is generated once and kept in the database. */
  readonly signingKey?: string;
  /** The longest user token honoured, `exp − iat` in seconds (USER_TOKEN_MAX_LIFETIME_SECONDS); `iat` is then required. */
  readonly maxLifetimeSeconds: number;
  /** Tokens the vendor signs itself (VENDOR_JWT_*); without it only Rollcall's own user tokens are accepted. */
  readonly vendor?: {
    /** The variable the keys came from, for messages. */
    readonly source: (typeof VENDOR_KEY_SOURCES)[number];
    /** The keys, read at start-up; none with `jwksUrl`, whose keys are fetched when tokens need them. */
    readonly keys: readonly VerificationKey[];
    /** A JWKS served over HTTP(S) (VENDOR_JWT_JWKS_URL), fetched and cached by src/user-tokens/remote-jwks.ts. */
    readonly jwksUrl?: string;
    readonly issuer?: string;
    readonly audience?: string;
  };
}

/** A configuration value that cannot be used; the message is the one line the process prints. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
  const value = Number(raw.trim());
  if (value < min || value > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

/** true/false, or the fallback when unset. */
function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw new ConfigError(`${name} must be true or false, got "${env[name]}"`);
}

function databaseUrl(raw: string | undefined): string {
  const url = raw === undefined || raw === '' ? 'sqlite:./data/rollcall.db' : raw.trim();
  if (/^sqlite:.+/.test(url) || /^postgres(ql)?:\/\/.+/.test(url)) return url;
  throw new ConfigError(
    `DATABASE_URL must start with sqlite: (e.g. sqlite:./data/rollcall.db) or postgres:// — got "${redactUrl(url)}"`,
  );
}

function publicUrl(raw: string | undefined, port: number): string {
  const value = raw === undefined || raw === '' ? `http://localhost:${port}` : raw.trim();
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new ConfigError(`PUBLIC_URL must be an absolute http(s) URL, got "${value}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ConfigError(`PUBLIC_URL must use http or https, got "${value}"`);
  }
  if (parsed.search || parsed.hash) throw new ConfigError(`PUBLIC_URL must not have a query or fragment, got "${value}"`);
  return value.replace(/\/+$/, '');
}

function bootstrapCredential(env: Env): Config['bootstrapCredential'] {
  const clientId = env.ROLLCALL_CLIENT_ID?.trim();
  const secret = env.ROLLCALL_CLIENT_SECRET;
  if (!clientId && !secret) return undefined;
  if (!clientId || !secret) throw new ConfigError('ROLLCALL_CLIENT_ID and ROLLCALL_CLIENT_SECRET must be set together');
  if (!/^[A-Za-z0-9._-]{1,128}$/.test(clientId)) {
    throw new ConfigError('ROLLCALL_CLIENT_ID must be 1–128 characters of letters, digits, ".", "_" or "-"');
  }
  // A vendor secret guards the whole environment: refuse ones short enough to guess.
  if (secret.length < 24 || secret.length > 256) {
    throw new ConfigError('ROLLCALL_CLIENT_SECRET must be 24–256 characters long');
  }
  return { clientId, secret };
}

const VENDOR_KEY_SOURCES = ['VENDOR_JWT_SECRET', 'VENDOR_JWT_PUBLIC_KEY', 'VENDOR_JWT_JWKS_FILE', 'VENDOR_JWT_JWKS_URL'] as const;

/** Hosts a JWKS may be fetched from over plain http: this machine (tests, a sidecar). */
const LOCAL_HOSTS = ['localhost', '127.0.0.1'];

/** VENDOR_JWT_JWKS_URL: https, or http to this machine; keys fetched in clear text could be swapped on the way. */
function jwksUrl(raw: string): string {
  const value = raw.trim();
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`VENDOR_JWT_JWKS_URL must be an absolute https URL, got "${value}"`);
  }
  if (!(url.protocol === 'https:' || (url.protocol === 'http:' && LOCAL_HOSTS.includes(url.hostname)))) {
    // Without its user name, password or query, which may hold secrets.
    const shown = url.protocol === 'http:' ? `${url.origin}${url.pathname}` : url.protocol;
    throw new ConfigError(`VENDOR_JWT_JWKS_URL must be an https URL (http only for localhost or 127.0.0.1), got "${shown}"`);
  }
  if (url.username || url.password) throw new ConfigError('VENDOR_JWT_JWKS_URL must not carry a user name or password');
  return url.href;
}

function vendorKeys(env: Env, source: Exclude<(typeof VENDOR_KEY_SOURCES)[number], 'VENDOR_JWT_JWKS_URL'>): VerificationKey[] {
  const value = env[source]!;
  try {
    if (source === 'VENDOR_JWT_SECRET') return [hmacKey(value)];
    if (source === 'VENDOR_JWT_PUBLIC_KEY') return [pemKey(value)];
    let text: string;
    try {
      text = readFileSync(value.trim(), 'utf8');
    } catch (error) {
      throw new Error(`cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message} (${value.trim()})`);
    }
    return jwksKeys(text);
  } catch (error) {
    throw new ConfigError(`${source} ${(error as Error).message}`);
  }
}

function userTokens(env: Env): UserTokenConfig {
  const signingKey = env.USER_TOKEN_SIGNING_KEY || undefined;
  if (signingKey !== undefined && (signingKey.length < 32 || signingKey.length > 512)) {
    throw new ConfigError('USER_TOKEN_SIGNING_KEY must be 32–512 characters long');
  }
  // A day, as Rollcall's own tokens at most: a portal session is opened from a token, not kept by it.
  const maxLifetimeSeconds = integer(env, 'USER_TOKEN_MAX_LIFETIME_SECONDS', 86_400, 60, 2_592_000);
  const sources = VENDOR_KEY_SOURCES.filter((name) => env[name]?.trim());
  const issuer = env.VENDOR_JWT_ISSUER?.trim() || undefined;
  const audience = env.VENDOR_JWT_AUDIENCE?.trim() || undefined;
  if (sources.length > 1) throw new ConfigError(`Set only one of ${sources.join(', ')}`);
  const [source] = sources;
  if (!source) {
    if (issuer || audience) throw new ConfigError('VENDOR_JWT_ISSUER and VENDOR_JWT_AUDIENCE need VENDOR_JWT_SECRET, VENDOR_JWT_PUBLIC_KEY, VENDOR_JWT_JWKS_FILE or VENDOR_JWT_JWKS_URL');
    return Object.freeze({ signingKey, maxLifetimeSeconds });
  }
  if (source === 'VENDOR_JWT_JWKS_URL') {
    return Object.freeze({ signingKey, maxLifetimeSeconds, vendor: Object.freeze({ source, keys: Object.freeze([]), jwksUrl: jwksUrl(env[source]!), issuer, audience }) });
  }
  return Object.freeze({ signingKey, maxLifetimeSeconds, vendor: Object.freeze({ source, keys: Object.freeze(vendorKeys(env, source)), issuer, audience }) });
}

/**
 * The metrics scraper's bearer token: it opens a view of the whole environment's traffic, so it must be
 * long enough not to be guessed, and made of RFC 6750 §2.1 token characters so that it fits the header.
 */
function metricsToken(env: Env): string | undefined {
  const token = env.METRICS_TOKEN?.trim();
  if (!token) return undefined;
  if (token.length < 16 || token.length > 512 || !/^[A-Za-z0-9\-._~+/]+=*$/.test(token)) {
    throw new ConfigError('METRICS_TOKEN must be 16–512 characters of letters, digits, "-", ".", "_", "~", "+" or "/" (e.g. openssl rand -hex 32)');
  }
  return token;
}

/** An absolute http(s) URL with a trailing slash where `slash` asks for one (a root URL). */
function endpoint(env: Env, name: string, fallback: string, slash: boolean): string {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be an absolute http(s) URL, got "${raw}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new ConfigError(`${name} must use http or https, got "${raw}"`);
  return slash && !raw.endsWith('/') ? `${raw}/` : raw;
}

function googleWorkspace(env: Env): GoogleWorkspaceConfig {
  const clientId = env.GOOGLE_OAUTH_CLIENT_ID?.trim();
  const clientSecret = env.GOOGLE_OAUTH_CLIENT_SECRET?.trim();
  if (Boolean(clientId) !== Boolean(clientSecret)) throw new ConfigError('GOOGLE_OAUTH_CLIENT_ID and GOOGLE_OAUTH_CLIENT_SECRET go together: set both, or neither');
  return Object.freeze({
    syncLeaseSeconds: integer(env, 'GOOGLE_SYNC_LEASE_SECONDS', 60, 2, 3600),
    ...(clientId && clientSecret ? { oauth: Object.freeze({ clientId, clientSecret }) } : {}),
    endpoints: Object.freeze({
      apiUrl: endpoint(env, 'GOOGLE_API_URL', GOOGLE_ENDPOINTS.apiUrl, true),
      tokenUrl: endpoint(env, 'GOOGLE_TOKEN_URL', GOOGLE_ENDPOINTS.tokenUrl, false),
      authUrl: endpoint(env, 'GOOGLE_AUTH_URL', GOOGLE_ENDPOINTS.authUrl, false),
    }),
  });
}

/** One encryption key, or a ConfigError naming where it came from (never the value). */
function encryptionKey(name: string, text: string): EncryptionKey {
  try {
    return parseEncryptionKey(text);
  } catch (error) {
    throw new ConfigError(`${name} ${(error as Error).message}`);
  }
}

/** The current key, which encrypts, and the previous keys (comma-separated), which only decrypt. */
function encryption(env: Env): Keyring {
  const raw = env[KEY_VARIABLE]?.trim();
  const current = raw ? encryptionKey(KEY_VARIABLE, raw) : undefined;
  const listed = (env[PREVIOUS_KEYS_VARIABLE] ?? '').split(',').map((text) => text.trim());
  const previous = listed.flatMap((text, i) => (text ? [encryptionKey(`${PREVIOUS_KEYS_VARIABLE} (entry ${i + 1})`, text)] : []));
  if (!current && previous.length > 0) throw new ConfigError(`${PREVIOUS_KEYS_VARIABLE} needs ${KEY_VARIABLE}: previous keys only decrypt, the current key encrypts`);
  return new Keyring(current, previous);
}

/** A value from a parser that throws plain errors naming the variable. */
function parsed<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
}

function protection(env: Env): ProtectionConfig {
  const scimRateLimit = integer(env, 'SCIM_RATE_LIMIT', 50, 0, 1_000_000);
  const scimCostLimit = integer(env, 'SCIM_COST_LIMIT', 250, 0, 1000);
  return Object.freeze({
    scimRateLimit,
    scimRateBurst: integer(env, 'SCIM_RATE_BURST', Math.max(1, scimRateLimit * 10), 1, 10_000_000),
    scimCostLimit,
    scimCostBurst: integer(env, 'SCIM_COST_BURST', Math.max(1, scimCostLimit * 4), 1, 10_000_000),
    scimConcurrencyLimit: integer(env, 'SCIM_CONCURRENCY_LIMIT', 16, 0, 100_000),
    authFailureLimit: integer(env, 'AUTH_FAILURE_LIMIT', 20, 0, 1_000_000),
    authFailureWindowSeconds: integer(env, 'AUTH_FAILURE_WINDOW_SECONDS', 60, 1, 86_400),
    trustProxy: parsed(() => parseTrustProxy(env.TRUST_PROXY)),
    frameAncestors: parsed(() => parseFrameAncestors(env.FRAME_ANCESTORS)),
  });
}

/** Reads and validates the configuration; throws ConfigError naming the first bad variable. */
export function loadConfig(env: Env = process.env): Config {
  const port = integer(env, 'PORT', 3000, 0, 65535);
  const logLevel = (env.LOG_LEVEL?.trim() || 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${env.LOG_LEVEL}"`);
  }
  return Object.freeze({
    port,
    host: env.HOST?.trim() || '0.0.0.0',
    databaseUrl: databaseUrl(env.DATABASE_URL),
    databasePoolSize: integer(env, 'DATABASE_POOL_SIZE', 10, 1, 200),
    databasePreparedStatements: flag(env, 'DATABASE_PREPARED_STATEMENTS', true),
    publicUrl: publicUrl(env.PUBLIC_URL, port),
    logLevel,
    envTokenTtlSeconds: integer(env, 'ENV_TOKEN_TTL_SECONDS', 3600, 60, 86_400),
    uiSessionTtlSeconds: integer(env, 'UI_SESSION_TTL_SECONDS', 28_800, 60, 604_800),
    eventRetentionDays: integer(env, 'EVENT_RETENTION_DAYS', 30, 1, 3650),
    requestLogRetentionDays: integer(env, 'REQUEST_LOG_RETENTION_DAYS', 14, 1, 3650),
    requestLogMaxRows: integer(env, 'REQUEST_LOG_MAX_ROWS', 1_000_000, 1000, 1_000_000_000),
    bootstrapCredential: bootstrapCredential(env),
    userTokens: userTokens(env),
    maxConnectionsPerTenant: integer(env, 'MAX_CONNECTIONS_PER_TENANT', 10, 1, 100_000),
    protection: protection(env),
    encryption: encryption(env),
    metricsToken: metricsToken(env),
    googleWorkspace: googleWorkspace(env),
    shutdown: Object.freeze({
      drainSeconds: integer(env, 'SHUTDOWN_DRAIN_SECONDS', 5, 0, 300),
      timeoutSeconds: integer(env, 'SHUTDOWN_TIMEOUT_SECONDS', 30, 1, 3600),
    }),
  });
}

/** Hides the password of a database URL for messages and logs. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]+:)[^@]*@/i, '$1***@');
}
