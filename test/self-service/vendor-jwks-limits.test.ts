/**
 * A fetch of the vendor's JWKS (VENDOR_JWT_JWKS_URL) is bounded: a body larger than MAX_JWKS_BYTES,
 * announced by Content-Length or not, is refused and counts as a failed fetch (the token gets the usual
 * 401, the operator one warning), and a server that stops sending midway is given up on after the
 * timeout. The oversize bodies hold the very key that signed the token, so without the bound the token
 * would be accepted. Against a JWKS server the test starts; the clock (Date.now) is moved past the wait
 * after a failure.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { JwksUnavailable, MAX_JWKS_BYTES, RETRY_AFTER_FAILURE_MS, RemoteJwks } from '../../src/user-tokens/remote-jwks.js';
import { dialectsUnderTest } from '../support/databases.js';
import { createConnection, createTenant } from '../support/fixtures.js';
import { useTestApp } from '../support/test-app.js';
import { BASE, VENDOR_AUDIENCE, VENDOR_ISSUER, bearer, setSelfService, show, vendorClaims } from './support.js';

/** What the server sends: a set padded to `bytes`, with or without Content-Length, or a body it never finishes. */
type Mode = { kind: 'padded'; bytes: number; contentLength: boolean } | { kind: 'stall' };

const key = await generateKeyPair('ES256');
const jwk: JWK = { ...(await exportJWK(key.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' };
const token = () => new SignJWT(vendorClaims()).setProtectedHeader({ alg: 'ES256', kid: 'ec-1' }).sign(key.privateKey);

/** `{"keys":[jwk],"padding":"xxx…"}` of exactly `bytes` bytes, in chunks of 64 KiB. */
function paddedSet(bytes: number): Buffer[] {
  const head = `{"keys":[${JSON.stringify(jwk)}],"padding":"`;
  const body = Buffer.from(`${head}${'x'.repeat(bytes - head.length - 2)}"}`);
  const chunks: Buffer[] = [];
  for (let at = 0; at < body.length; at += 65_536) chunks.push(body.subarray(at, at + 65_536));
  return chunks;
}

async function startServer() {
  const state = { mode: { kind: 'padded', bytes: 1024, contentLength: true } as Mode, requests: 0, url: '', close: async () => {} };
  const server = createServer((_request, response: ServerResponse) => {
    state.requests += 1;
    response.on('error', () => {}); // the client hangs up on purpose
    const { mode } = state;
    if (mode.kind === 'stall') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write(`{"keys":[${JSON.stringify(jwk)}`);
      return;
    }
    const chunks = paddedSet(mode.bytes);
    response.writeHead(200, { 'content-type': 'application/json', ...(mode.contentLength ? { 'content-length': String(mode.bytes) } : {}) });
    for (const chunk of chunks) response.write(chunk);
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
  state.close = () => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(() => resolve()));
  };
  return state;
}

for (const dialect of dialectsUnderTest()) {
  const server = await startServer();

  describe(`VENDOR_JWT_JWKS_URL body size [${dialect}]`, () => {
    let skewMs = 0;
    const t = useTestApp(dialect, { VENDOR_JWT_JWKS_URL: server.url, VENDOR_JWT_ISSUER: VENDOR_ISSUER, VENDOR_JWT_AUDIENCE: VENDOR_AUDIENCE });
    const warnings: string[] = [];
    beforeAll(async () => {
      const realNow = Date.now.bind(Date);
      vi.spyOn(Date, 'now').mockImplementation(() => realNow() + skewMs);
      await createTenant(t, 'acme');
      await createConnection(t, 'acme');
      await setSelfService(t, true);
      t.app.services.userTokens.reportTo((message) => warnings.push(message));
    });
    afterAll(async () => {
      vi.restoreAllMocks();
      await server.close();
    });

    const answer = async () => t.app.inject({ url: BASE, headers: bearer(await token()) });

    it('refuses a set larger than MAX_JWKS_BYTES, with or without Content-Length: 401 and one warning', async () => {
      for (const contentLength of [true, false]) {
        server.mode = { kind: 'padded', bytes: MAX_JWKS_BYTES + 1, contentLength };
        const before = server.requests;
        const res = await answer();
        expect(res.statusCode, show(res)).toBe(401);
        expect(res.json()).toMatchObject({ code: 'unauthorized', message: 'The user token is invalid or has expired' });
        expect(server.requests - before).toBe(1);
        expect((await t.app.services.userTokens.check(await token())).refused).toMatch(/could not be fetched/);
        skewMs += RETRY_AFTER_FAILURE_MS + 1000;
      }
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain(`could not be fetched: the response is larger than ${MAX_JWKS_BYTES} bytes`);
    });

    it('accepts a set of MAX_JWKS_BYTES exactly', async () => {
      server.mode = { kind: 'padded', bytes: MAX_JWKS_BYTES, contentLength: false };
      const res = await answer();
      expect(res.statusCode, show(res)).toBe(200);
      expect(warnings.at(-1)).toMatch(/was fetched again/);
    });
  });
}

describe('a JWKS server that stops sending', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => {
    server = await startServer();
    server.mode = { kind: 'stall' };
  });
  afterAll(() => server.close());

  it('is given up on after the timeout, the body included', async () => {
    const jwks = new RemoteJwks(server.url, { timeoutMs: 300 });
    const started = performance.now();
    const fetched = jwks.keysFor({ alg: 'ES256', kid: 'ec-1' });
    await expect(fetched).rejects.toThrow(JwksUnavailable);
    await expect(fetched).rejects.toThrow(/could not be fetched: request timed out/);
    expect(performance.now() - started).toBeLessThan(3000);
    expect(server.requests).toBe(1);
  });
});
