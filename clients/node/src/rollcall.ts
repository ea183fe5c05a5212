/** The client: `new Rollcall({ baseUrl, clientId, secret })`, with one namespace per part of the API. */
import { ApiClient } from './api-client.js';
import { Attributes } from './attributes.js';
import { Connections } from './connections.js';
import { Directory } from './directory.js';
import { Events } from './events.js';
import { Http } from './http.js';
import { Audit, Logs } from './logs.js';
import { retryPolicy, type RetryOptions } from './retry.js';
import { GroupRoles, Permissions, Roles } from './roles.js';
import { SettingsApi, UserTokens } from './settings.js';
import { Tenants } from './tenants.js';
import { TokenSource } from './token.js';
import { Webhooks } from './webhooks.js';

/** Options of the client. */
export interface RollcallOptions {
  /** Where Rollcall answers, e.g. `https://rollcall.example.com` (a path prefix is kept). */
  baseUrl: string;
  /** The vendor credential's client id. */
  clientId: string;
  /** The vendor credential's secret. */
  secret: string;
  /** The fetch to send requests with (default: the global one). */
  fetch?: typeof fetch;
  /** How failed requests are retried (see RetryOptions). */
  retry?: RetryOptions;
  /** Time allowed for one attempt of a request, answer included, in ms (default 30 000). */
  timeoutMs?: number;
}

/** A client of one Rollcall environment. */
export class Rollcall {
  /** The event feed: one page, or follow it from a checkpoint. */
  readonly events: Events;
  /** Users and groups the tenants' connections provisioned. */
  readonly directory: Directory;
  /** The vendor's customer accounts. */
  readonly tenants: Tenants;
  /** SCIM connections, their tokens, IP allowlists and compatibility switches. */
  readonly connections: Connections;
  /** Webhook endpoints and their deliveries. */
  readonly webhooks: Webhooks;
  /** Roles your app grants. */
  readonly roles: Roles;
  /** The permissions Rollcall checks. */
  readonly permissions: Permissions;
  /** Roles mapped to SCIM groups. */
  readonly groupRoles: GroupRoles;
  /** The builder settings. */
  readonly settings: SettingsApi;
  /** The catalogue of mapped user attributes. */
  readonly attributes: Attributes;
  /** User tokens for the self-service portal. */
  readonly userTokens: UserTokens;
  /** The SCIM request log. */
  readonly logs: Logs;
  /** The audit log. */
  readonly audit: Audit;

  constructor(options: RollcallOptions) {
    const baseUrl = normaliseBaseUrl(options.baseUrl);
    if (!options.clientId || !options.secret) throw new TypeError('Rollcall needs a clientId and a secret');
    const timeoutMs = options.timeoutMs ?? 30_000;
    if (!(timeoutMs > 0)) throw new RangeError('timeoutMs must be a positive number');
    const http = new Http({ fetch: options.fetch ?? globalThis.fetch, retry: retryPolicy(options.retry), timeoutMs });
    const tokens = new TokenSource(http, baseUrl, { clientId: options.clientId, secret: options.secret });
    const api = new ApiClient(http, tokens, baseUrl);
    this.events = new Events(api);
    this.directory = new Directory(api);
    this.tenants = new Tenants(api);
    this.connections = new Connections(api);
    this.webhooks = new Webhooks(api);
    this.roles = new Roles(api);
    this.permissions = new Permissions(api);
    this.groupRoles = new GroupRoles(api);
    this.settings = new SettingsApi(api);
    this.attributes = new Attributes(api);
    this.userTokens = new UserTokens(api);
    this.logs = new Logs(api);
    this.audit = new Audit(api);
  }
}

/** The base URL without a trailing slash; an http(s) URL or a TypeError. */
function normaliseBaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TypeError(`baseUrl is not a URL: ${JSON.stringify(raw)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError('baseUrl must be an http: or https: URL');
  if (url.search || url.hash) throw new TypeError('baseUrl must not have a query or a fragment');
  return url.toString().replace(/\/+$/, '');
}
