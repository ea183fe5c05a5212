/**
 * Real `rollcall serve` processes over HTTP on 127.0.0.1: a vendor credential, a tenant and a SCIM
 * connection set up through the API, a small SCIM client over fetch, and a client-side load balancer
 * that follows /readyz the way a real one does.
 */
import { startServe, type ServeProcess } from '../support/process.js';

export const CLIENT_ID = 'reliability-bot';
export const CLIENT_SECRET = 'reliability-secret-0123456789abcdef';
export const USER_URN = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_URN = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const BULK_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';

/** Starts `rollcall serve` on `databaseUrl` with the test credential. */
export function serve(databaseUrl: string, env: Record<string, string> = {}): Promise<ServeProcess> {
  return startServe({ DATABASE_URL: databaseUrl, ROLLCALL_CLIENT_ID: CLIENT_ID, ROLLCALL_CLIENT_SECRET: CLIENT_SECRET, LOG_LEVEL: 'error', ...env });
}

/** Kills a child at once (kill -9) and waits for it to be gone. */
export async function kill9(server: ServeProcess): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGKILL');
  await exited;
}

/** An HTTP response as the tests look at it. */
export interface Res {
  status: number;
  body: any;
  text: string;
  headers: Headers;
}

/** One request; JSON in and out. Network errors are returned as status 0, not thrown. */
export async function call(url: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Res> {
  try {
    const res = await fetch(url, {
      method: init.method ?? 'GET',
      headers: { ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...init.headers },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: AbortSignal.timeout(20_000),
    });
    const text = await res.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    return { status: res.status, body, text, headers: res.headers };
  } catch (error) {
    return { status: 0, body: undefined, text: String((error as Error).cause ?? error), headers: new Headers() };
  }
}

/** An environment token from POST /auth/vendor. */
export async function envAuth(baseUrl: string): Promise<string> {
  const res = await call(`${baseUrl}/auth/vendor`, { method: 'POST', body: { clientId: CLIENT_ID, secret: CLIENT_SECRET } });
  if (res.status !== 200) throw new Error(`auth failed: ${res.status} ${res.text}`);
  return `Bearer ${res.body.token}`;
}

/** A SCIM connection (created with a fresh tenant). */
export interface Conn {
  id: string;
  token: string;
  tenantId: string;
}

export async function createConnection(baseUrl: string, auth: string, tenantId: string): Promise<Conn> {
  const tenant = await call(`${baseUrl}/tenants/resources/tenants/v1`, { method: 'POST', headers: { authorization: auth }, body: { tenantId, name: tenantId } });
  if (tenant.status !== 201) throw new Error(`tenant: ${tenant.status} ${tenant.text}`);
  const conn = await call(`${baseUrl}/directory/resources/v1/configurations/scim2`, {
    method: 'POST',
    headers: { authorization: auth, 'frontegg-tenant-id': tenantId },
    body: { source: 'okta', connectionName: 'reliability', syncToUserManagement: true },
  });
  if (conn.status !== 201) throw new Error(`connection: ${conn.status} ${conn.text}`);
  return { id: conn.body.id, token: conn.body.token, tenantId };
}

/** A SCIM request to `baseUrl`'s provisioning endpoint of `conn`. */
export function scim(baseUrl: string, conn: Conn, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Res> {
  return call(`${baseUrl}/directory/resources/scim/v2.0/${conn.id}${path}`, {
    method,
    body,
    headers: { authorization: `Bearer ${conn.token}`, ...(body !== undefined ? { 'content-type': 'application/scim+json' } : {}), ...headers },
  });
}

export function patchOp(...operations: Record<string, unknown>[]) {
  return { schemas: [PATCH_OP], Operations: operations };
}

/** How many responses had each status. */
export function tally(statuses: number[]): Record<number, number> {
  const out: Record<number, number> = {};
  for (const s of statuses) out[s] = (out[s] ?? 0) + 1;
  return out;
}

/**
 * A client-side load balancer over several processes, without sticky routing: round-robin over the
 * backends whose /readyz said 200 at the last probe (every 50 ms), as a real one would.
 */
export class LoadBalancer {
  private readonly ready = new Map<string, boolean>();
  private next = 0;
  private timer: NodeJS.Timeout | undefined;
  /** Which backend served each request, for assertions. */
  readonly servedBy = new Map<string, number>();

  constructor(private backends: string[]) {
    for (const b of backends) this.ready.set(b, true);
  }

  start(): void {
    const probe = async () => {
      await Promise.all(this.backends.map(async (b) => this.ready.set(b, (await call(`${b}/readyz`)).status === 200)));
      this.timer = setTimeout(() => void probe(), 50);
    };
    void probe();
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  add(backend: string): void {
    this.backends = [...this.backends, backend];
    this.ready.set(backend, false);
  }

  remove(backend: string): void {
    this.backends = this.backends.filter((b) => b !== backend);
  }

  /** A backend that was ready at the last probe. */
  pick(): string {
    const live = this.backends.filter((b) => this.ready.get(b));
    if (live.length === 0) throw new Error('no ready backend');
    const backend = live[this.next++ % live.length];
    this.servedBy.set(backend, (this.servedBy.get(backend) ?? 0) + 1);
    return backend;
  }
}
