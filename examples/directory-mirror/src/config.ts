/** Configuration from the environment, read and checked once at start, then frozen. */

/** The commands of the CLI. */
export const COMMANDS = ['follow', 'webhooks', 'reconcile'] as const;
/** One of the commands. */
export type Command = (typeof COMMANDS)[number];

/** How to reach Rollcall's API (follow, reconcile). */
export interface RollcallConfig {
  url: string;
  clientId: string;
  secret: string;
}

/** The configuration of one command. */
export interface Config {
  /** MIRROR_DATABASE_URL: a SQLite file path (default ./mirror.db) or a postgres:// URL. */
  databaseUrl: string;
  /** ROLLCALL_URL, ROLLCALL_CLIENT_ID, ROLLCALL_CLIENT_SECRET: needed by follow and reconcile. */
  rollcall?: RollcallConfig;
  /** ROLLCALL_WEBHOOK_SECRET and PORT: needed by webhooks. */
  webhooks?: { secret: string; port: number; host: string };
  /** MIRROR_VERBOSE=1: one line per event on stdout. */
  verbose: boolean;
}

/** A configuration that cannot run: every problem at once, each with what to set. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const DESCRIPTIONS: Record<string, string> = {
  ROLLCALL_URL: "Rollcall's base URL, e.g. http://localhost:3000",
  ROLLCALL_CLIENT_ID: 'the vendor credential id (rollcall credentials create)',
  ROLLCALL_CLIENT_SECRET: 'the vendor credential secret',
  ROLLCALL_WEBHOOK_SECRET: 'the whsec_… secret the webhook was created with (POST /api/v1/webhooks)',
};

type Env = Record<string, string | undefined>;

/** Reads what `command` needs from `env`; throws ConfigError listing everything missing or invalid. */
export function loadConfig(command: Command, env: Env = process.env): Readonly<Config> {
  const problems: string[] = [];
  const required = (name: string): string => {
    const value = env[name]?.trim();
    if (!value) problems.push(`${name} is not set: ${DESCRIPTIONS[name]}`);
    return value ?? '';
  };

  const config: Config = { databaseUrl: env.MIRROR_DATABASE_URL?.trim() || './mirror.db', verbose: env.MIRROR_VERBOSE === '1' };
  if (command === 'follow' || command === 'reconcile') {
    const url = required('ROLLCALL_URL');
    if (url && !/^https?:\/\/[^/]/i.test(url)) problems.push(`ROLLCALL_URL must be an http(s) URL, got "${url}"`);
    config.rollcall = { url: url.replace(/\/+$/, ''), clientId: required('ROLLCALL_CLIENT_ID'), secret: required('ROLLCALL_CLIENT_SECRET') };
  }
  if (command === 'webhooks') {
    const secret = required('ROLLCALL_WEBHOOK_SECRET');
    const rawPort = env.PORT?.trim() || '4000';
    const port = Number(rawPort);
    if (!Number.isInteger(port) || port < 0 || port > 65_535) problems.push(`PORT must be a port number (0–65535), got "${rawPort}"`);
    config.webhooks = { secret, port, host: env.HOST?.trim() || '0.0.0.0' };
  }
  if (problems.length > 0) throw new ConfigError(`directory-mirror ${command}: cannot start:\n  - ${problems.join('\n  - ')}`);
  return Object.freeze(config);
}
