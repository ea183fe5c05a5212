/**
 * Retries, timeouts and error mapping against a small local HTTP server that answers as each test tells
 * it: 429 with Retry-After (seconds and HTTP date), 503, dropped connections and silence; safe requests
 * are retried, other POSTs and PATCHes never; what is left is thrown as a typed error.
 */
import {
  Rollcall,
  RollcallAuthenticationError,
  RollcallConnectionError,
  RollcallError,
  RollcallPermissionError,
  RollcallRateLimitError,
  RollcallServerError,
  type RollcallOptions,
} from '@rollcall/client';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

/** An answer: status, headers and JSON body; `destroy` drops the connection; `hang` never answers. */
type Answer = { status: number; headers?: Record<string, string>; body?: unknown } | 'destroy' | 'hang';

/** What the stub answers to `METHOD /path` (the token exchange succeeds unless a test says otherwise). */
type Script = (request: { method: string; path: string; index: number; authorization?: string }) => Answer;

const okToken: Answer = { status: 200, body: { token: 'env_token', expiresIn: 3600 } };
const apiError = (status: number, code: string, message = code, extra: Record<string, unknown> = {}) => ({ statusCode: status, error: 'Error', code, message, ...extra });

describe('retries, timeouts and errors (local stub server)', () => {
  let server: Server;
  let baseUrl: string;
  let script: Script;
  let seen: { method: string; path: string }[];

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      req.resume();
      req.on('end', () => {
        const path = new URL(req.url ?? '/', 'http://stub').pathname;
        seen.push({ method: req.method ?? 'GET', path });
        const index = seen.filter((s) => s.path === path).length - 1;
        const answer = script({ method: req.method ?? 'GET', path, index, authorization: req.headers.authorization });
        if (answer === 'destroy') req.socket.destroy();
        else if (answer !== 'hang') {
          const body = answer.body === undefined ? '' : typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
          res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers }).end(body);
        }
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    server.close();
    await once(server, 'close');
  });
  beforeEach(() => {
    seen = [];
  });

  /** A client of the stub; `api` answers everything but the token exchange. */
  function client(api: Script, options: Partial<RollcallOptions> = {}): Rollcall {
    script = (request) => (request.path === '/auth/vendor' ? okToken : api(request));
    return new Rollcall({ baseUrl, clientId: 'id', secret: 'secret', retry: { baseDelayMs: 5, maxDelayMs: 2000 }, ...options });
  }
  const calls = (path: string) => seen.filter((s) => s.path === path).length;

  it('waits as long as a 429’s Retry-After in seconds says, then succeeds', async () => {
    const rollcall = client(({ index }) => (index === 0 ? { status: 429, headers: { 'retry-after': '1' }, body: apiError(429, 'rate_limited') } : { status: 200, body: { items: [] } }));
    const started = Date.now();
    expect(await rollcall.roles.list()).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(calls('/api/v1/roles')).toBe(2);
  });

  it('reads a Retry-After given as an HTTP date, and caps it at maxDelayMs', async () => {
    const at = new Date(Math.ceil((Date.now() + 1600) / 1000) * 1000).toUTCString();
    const dated = client(({ index }) => (index === 0 ? { status: 503, headers: { 'retry-after': at }, body: apiError(503, 'unavailable') } : { status: 200, body: { items: [] } }));
    let started = Date.now();
    await dated.permissions.list();
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);

    seen = [];
    const capped = client(({ index }) => (index === 0 ? { status: 429, headers: { 'retry-after': '3600' }, body: apiError(429, 'rate_limited') } : { status: 200, body: { items: [] } }), {
      retry: { baseDelayMs: 5, maxDelayMs: 50 },
    });
    started = Date.now();
    await capped.permissions.list();
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('retries 503 with backoff until it succeeds, and throws RollcallServerError once maxRetries are spent', async () => {
    const recovering = client(({ index }) => (index < 2 ? { status: 503, body: apiError(503, 'unavailable') } : { status: 200, body: { tenantId: 't', name: 'T', createdAt: '', updatedAt: '' } }));
    expect(await recovering.tenants.get('t')).toMatchObject({ tenantId: 't' });
    expect(calls('/tenants/resources/tenants/v1/t')).toBe(3);

    seen = [];
    const down = client(() => ({ status: 503, body: apiError(503, 'unavailable', 'The database is unavailable') }), { retry: { maxRetries: 2, baseDelayMs: 1 } });
    const error = await down.tenants.get('t').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RollcallServerError);
    expect(error).toMatchObject({ status: 503, code: 'unavailable', message: 'The database is unavailable' });
    expect(calls('/tenants/resources/tenants/v1/t')).toBe(3);
  });

  it('throws RollcallRateLimitError with retryAfter when 429s outlast the retries', async () => {
    const limited = client(() => ({ status: 429, headers: { 'retry-after': '2' }, body: apiError(429, 'rate_limited', 'Slow down') }), { retry: { maxRetries: 1, maxDelayMs: 10 } });
    const error = await limited.settings.get().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RollcallRateLimitError);
    expect(error).toMatchObject({ status: 429, code: 'rate_limited', retryAfter: 2 });
    expect(calls('/api/v1/settings')).toBe(2);
  });

  it('retries a dropped connection, and throws RollcallConnectionError when the server cannot be reached', async () => {
    const flaky = client(({ index }) => (index === 0 ? 'destroy' : { status: 200, body: { items: [] } }));
    expect(await flaky.roles.list()).toEqual([]);
    expect(calls('/api/v1/roles')).toBe(2);

    // A port nothing listens on: every attempt is refused.
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as { port: number }).port;
    closed.close();
    let attempts = 0;
    const unreachable = new Rollcall({
      baseUrl: `http://127.0.0.1:${port}`,
      clientId: 'id',
      secret: 'secret',
      retry: { maxRetries: 3, baseDelayMs: 1 },
      fetch: (input, init) => (attempts++, fetch(input, init)),
    });
    const error = await unreachable.roles.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RollcallConnectionError);
    expect(error).toBeInstanceOf(RollcallError);
    expect(error).toMatchObject({ status: 0, code: 'connection_failed' });
    expect((error as Error).message).toMatch(/ECONNREFUSED/);
    expect(attempts).toBe(4); // the token exchange, tried 1 + maxRetries times
  });

  it('gives each attempt timeoutMs, then retries it', async () => {
    const slow = client(({ index }) => (index === 0 ? 'hang' : { status: 200, body: { items: [] } }), { timeoutMs: 150 });
    expect(await slow.roles.list()).toEqual([]);
    const silent = client(() => 'hang', { timeoutMs: 100, retry: { maxRetries: 1, baseDelayMs: 1 } });
    const error = await silent.roles.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RollcallConnectionError);
    expect((error as Error).message).toMatch(/timed out after 100 ms/);
  });

  it('never retries a POST other than the token exchange, nor a PATCH; retries PUT and DELETE', async () => {
    const unavailable = () => ({ status: 503, body: apiError(503, 'unavailable') }) as const;
    const rollcall = client(unavailable, { retry: { maxRetries: 3, baseDelayMs: 1 } });
    await expect(rollcall.webhooks.create({ url: 'https://example.test/hook' })).rejects.toBeInstanceOf(RollcallServerError);
    expect(calls('/api/v1/webhooks')).toBe(1);
    await expect(rollcall.webhooks.update('w1', { enabled: false })).rejects.toBeInstanceOf(RollcallServerError);
    expect(calls('/api/v1/webhooks/w1')).toBe(1);
    await expect(rollcall.webhooks.redeliver('w1', 'd1')).rejects.toBeInstanceOf(RollcallServerError);
    expect(calls('/api/v1/webhooks/w1/deliveries/d1/redeliver')).toBe(1);
    await expect(rollcall.connections.ipAllowlist.set('c1', [])).rejects.toBeInstanceOf(RollcallServerError);
    expect(calls('/api/v1/connections/c1/ip-allowlist')).toBe(4);
    await expect(rollcall.webhooks.delete('w2')).rejects.toBeInstanceOf(RollcallServerError);
    expect(calls('/api/v1/webhooks/w2')).toBe(4);
  });

  it('retries the token exchange (a POST that only mints a token) on 503', async () => {
    const rollcall = client(() => ({ status: 200, body: { items: [] } }));
    script = ({ path, index }) => (path === '/auth/vendor' && index < 2 ? { status: 503, body: apiError(503, 'unavailable') } : path === '/auth/vendor' ? okToken : { status: 200, body: { items: [] } });
    expect(await rollcall.roles.list()).toEqual([]);
    expect(calls('/auth/vendor')).toBe(3);
  });

  it('on a 401 exchanges the credential once more and repeats the call; a second 401 is thrown', async () => {
    let tokens = 0;
    script = ({ path, authorization }) => {
      if (path === '/auth/vendor') return { status: 200, body: { token: `token-${++tokens}`, expiresIn: 3600 } };
      return authorization === 'Bearer token-2' ? { status: 200, body: { items: [] } } : { status: 401, body: apiError(401, 'unauthorized', 'The environment token is invalid or has expired') };
    };
    const rollcall = new Rollcall({ baseUrl, clientId: 'id', secret: 'secret' });
    expect(await rollcall.roles.list()).toEqual([]);
    expect(calls('/auth/vendor')).toBe(2);
    expect(calls('/api/v1/roles')).toBe(2);

    seen = [];
    script = ({ path }) => (path === '/auth/vendor' ? okToken : { status: 401, body: apiError(401, 'unauthorized') });
    const refused = new Rollcall({ baseUrl, clientId: 'id', secret: 'secret' });
    await expect(refused.roles.list()).rejects.toBeInstanceOf(RollcallAuthenticationError);
    expect(calls('/auth/vendor')).toBe(2);
    expect(calls('/api/v1/roles')).toBe(2);
  });

  it('maps every answer to its error class, with code, field and the x-request-id', async () => {
    const rollcall = client(({ path }): Answer => {
      if (path === '/api/v1/settings') return { status: 403, headers: { 'x-request-id': 'req-42' }, body: apiError(403, 'forbidden', 'Not for you') };
      return { status: 502, headers: { 'content-type': 'text/html' }, body: '<html>bad gateway</html>' };
    });
    const forbidden = await rollcall.settings.get().catch((e: unknown) => e);
    expect(forbidden).toBeInstanceOf(RollcallPermissionError);
    expect(forbidden).toMatchObject({ status: 403, code: 'forbidden', message: 'Not for you', requestId: 'req-42', field: undefined });
    const gateway = await rollcall.roles.list().catch((e: unknown) => e);
    expect(gateway).toBeInstanceOf(RollcallServerError);
    expect(gateway).toMatchObject({ status: 502, code: 'internal', message: 'Rollcall answered HTTP 502' });
    expect(calls('/api/v1/roles')).toBe(1); // 502 is not one of the statuses retried
  });
});
