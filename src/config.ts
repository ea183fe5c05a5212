/** Configuration from environment variables, validated once at start-up and frozen. */

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Everything the process reads from its environment. */
export interface Config {
  readonly port: number;
  readonly host: string;
  readonly databaseUrl: string;
  readonly databasePoolSize: number;
  readonly publicUrl: string;
  readonly logLevel: LogLevel;
  readonly envTokenTtlSeconds: number;
  /** Events older than this many days are deleted from the feed. */
  readonly eventRetentionDays: number;
  /** SCIM request logs older than this many days are deleted. */
  readonly requestLogRetentionDays: number;
  /** At most this many SCIM request log rows are kept (oldest deleted first). */
  readonly requestLogMaxRows: number;
  readonly bootstrapCredential?: { readonly clientId: string; readonly secret: string };
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
    publicUrl: publicUrl(env.PUBLIC_URL, port),
    logLevel,
    envTokenTtlSeconds: integer(env, 'ENV_TOKEN_TTL_SECONDS', 3600, 60, 86_400),
    eventRetentionDays: integer(env, 'EVENT_RETENTION_DAYS', 30, 1, 3650),
    requestLogRetentionDays: integer(env, 'REQUEST_LOG_RETENTION_DAYS', 14, 1, 3650),
    requestLogMaxRows: integer(env, 'REQUEST_LOG_MAX_ROWS', 1_000_000, 1000, 1_000_000_000),
    bootstrapCredential: bootstrapCredential(env),
  });
}

/** Hides the password of a database URL for messages and logs. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]+:)[^@]*@/i, '$1***@');
}
