/**
 * Vendor-signed user tokens verified with the keys of a JWKS served over HTTP (VENDOR_JWT_JWKS_URL),
 * against a JWKS server the test starts: the set is fetched once and cached, fetched again for a `kid`
 * it lacks — at most once per cooldown, however many made-up kids arrive — and each key verifies only
 * the algorithm its JWK states or its kty/crv allow; symmetric keys are never used. A JWKS server that
 * fails or is not there makes tokens fail with the usual 401, and the operator is warned once.
 * The clock is moved forward (Date.now) to step past the cooldown and the cache's age.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, exportSPKI, generateKeyPair, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { CACHE_MAX_AGE_MS, COOLDOWN_MS, RETRY_AFTER_FAILURE_MS } from '../../src/user-tokens/remote-jwks.js';
import { dialectsUnderTest } from '../support/databases.js';
import { createConnection, createTenant } from '../support/fixtures.js';
import { useTestApp, type TestApp } from '../support/test-app.js';
import { BASE, VENDOR_AUDIENCE, VENDOR_ISSUER, bearer, hs256, jwt, nowSeconds, setSelfService, show, vendorClaims } from './support.js';

const JWKS_PATH = '/.well-known/jwks.json';

/** A JWKS server on 127.0.0.1: what it serves, what it answers, and how often it was asked. */
interface JwksServer {
  url: string;
  keys: JWK[];
  status: number;
  requests: number;
  close(): Promise<void>;
}

async function startJwksServer(): Promise<JwksServer> {
  const server: Server = createServer((request, response) => {
    if (request.url !== JWKS_PATH) return void response.writeHead(404).end();
    state.requests += 1;
    if (state.status !== 200) return void response.writeHead(state.status).end('unavailable');
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: state.keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const state: JwksServer = {
    url: `http://127.0.0.1:${port}${JWKS_PATH}`,
    keys: [],
    status: 200,
    requests: 0,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
  return state;
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Moves Date.now forward for the app and the tokens alike, for the describe block it is called in. */
function useClock() {
  let skewMs = 0;
  beforeAll(() => {
    const realNow = Date.now.bind(Date);
    vi.spyOn(Date, 'now').mockImplementation(() => realNow() + skewMs);
  });
  afterAll(() => vi.restoreAllMocks());
  return { advance: (ms: number) => void (skewMs += ms) };
}

/** Claims of a vendor token for acme that may read. */
const claims = (extra: Record<string, unknown> = {}): JWTPayload => vendorClaims(extra);

const sign = (key: CryptoKey | Uint8Array, header: { alg: string; kid?: string }, extra: Record<string, unknown> = {}) =>
  new SignJWT(claims(extra)).setProtectedHeader(header).sign(key);

const publicJwk = async (key: CryptoKey, members: Partial<JWK>): Promise<JWK> => ({ ...(await exportJWK(key)), ...members });

async function expectStatus(t: TestApp, token: string, status: number): Promise<void> {
  const res = await t.app.inject({ url: BASE, headers: bearer(token) });
  expect(res.statusCode, show(res)).toBe(status);
  if (status === 401) expect(res.json()).toMatchObject({ code: 'unauthorized', message: 'The user token is invalid or has expired' });
}

/** Why the token is refused, as the log says it. */
const refusal = async (t: TestApp, token: string) => (await t.app.services.userTokens.check(token)).refused;

/** Tenant `acme` with one connection and self-service on; the warnings the app reports. */
function setUp(t: TestApp): string[] {
  const warnings: string[] = [];
  beforeAll(async () => {
    await createTenant(t, 'acme');
    await createConnection(t, 'acme');
    await setSelfService(t, true);
    t.app.services.userTokens.reportTo((message) => warnings.push(message));
  });
  return warnings;
}

const ec = await generateKeyPair('ES256');
const rsa = await generateKeyPair('RS256');
// An RSA key its JWK says is for PS256, and a PS256 key: Rollcall verifies neither.
const statedPs = await generateKeyPair('RS256');
const pss = await generateKeyPair('PS256');
const octSecret = new TextEncoder().encode('a-symmetric-key-in-a-public-set-0123456789');
const octK = Buffer.from(octSecret).toString('base64url');

for (const dialect of dialectsUnderTest()) {
  const server = await startJwksServer();

  describe(`VENDOR_JWT_JWKS_URL [${dialect}]`, () => {
    const clock = useClock();
    const t = useTestApp(dialect, { VENDOR_JWT_JWKS_URL: server.url, VENDOR_JWT_ISSUER: VENDOR_ISSUER, VENDOR_JWT_AUDIENCE: VENDOR_AUDIENCE });
    const warnings = setUp(t);
    afterAll(() => server.close());

    beforeAll(async () => {
      server.keys = [
        await publicJwk(ec.publicKey, { kid: 'ec-1', alg: 'ES256', use: 'sig' }),
        // No alg: an RSA key verifies RS256.
        await publicJwk(rsa.publicKey, { kid: 'rsa-1' }),
        // RSA keys that state PS256, which Rollcall does not verify: never used as RS256.
        await publicJwk(statedPs.publicKey, { kid: 'ps-1', alg: 'PS256' }),
        await publicJwk(pss.publicKey, { kid: 'ps-2', alg: 'PS256' }),
        // Symmetric keys: anyone who can read the set could sign with them.
        { kty: 'oct', k: octK, kid: 'oct-1', alg: 'HS256' },
        { kty: 'oct', k: octK, kid: 'oct-2' },
      ];
    });

    it('accepts tokens signed with keys of the set, fetching the set once', async () => {
      await expectStatus(t, await sign(ec.privateKey, { alg: 'ES256', kid: 'ec-1' }), 200);
      await expectStatus(t, await sign(rsa.privateKey, { alg: 'RS256', kid: 'rsa-1' }), 200);
      await expectStatus(t, await sign(ec.privateKey, { alg: 'ES256' }), 200);
      await expectStatus(t, await sign(rsa.privateKey, { alg: 'RS256' }, { aud: ['app', VENDOR_AUDIENCE] }), 200);
      expect(server.requests).toBe(1);
    });

    it('fetches the set again for a kid it lacks, at most once per cooldown', async () => {
      const rotated = await generateKeyPair('ES256');
      const withRotated = () => sign(rotated.privateKey, { alg: 'ES256', kid: 'ec-2' });
      // Past the cooldown, an unknown kid makes Rollcall ask again; the set does not have it yet.
      clock.advance(COOLDOWN_MS + 1000);
      await expectStatus(t, await withRotated(), 401);
      expect(server.requests).toBe(2);
      // The vendor publishes the key; within the cooldown, no token makes Rollcall ask again.
      server.keys = [...server.keys, await publicJwk(rotated.publicKey, { kid: 'ec-2', alg: 'ES256' })];
      for (let i = 0; i < 10; i += 1) {
        await expectStatus(t, await withRotated(), 401);
        await expectStatus(t, await sign(rotated.privateKey, { alg: 'ES256', kid: `made-up-${i}` }), 401);
      }
      expect(server.requests).toBe(2);
      // Past the cooldown, the first token with the new kid fetches the set and is accepted; the set is then cached.
      clock.advance(COOLDOWN_MS + 1000);
      await expectStatus(t, await withRotated(), 200);
      expect(server.requests).toBe(3);
      await expectStatus(t, await withRotated(), 200);
      await expectStatus(t, await sign(ec.privateKey, { alg: 'ES256', kid: 'ec-1' }), 200);
      for (let i = 0; i < 10; i += 1) await expectStatus(t, await sign(ec.privateKey, { alg: 'ES256', kid: `again-${i}` }), 401);
      expect(server.requests).toBe(3);
    });

    it('uses each key with the algorithm its JWK states or its key type allows, never the token\'s', async () => {
      const before = server.requests;
      // The JWK says PS256: an RS256 token of that key fails, and PS256 is not accepted at all.
      await expectStatus(t, await sign(statedPs.privateKey, { alg: 'RS256', kid: 'ps-1' }), 401);
      await expectStatus(t, await sign(statedPs.privateKey, { alg: 'RS256' }, { sub: 'no-kid' }), 401);
      await expectStatus(t, await sign(pss.privateKey, { alg: 'PS256', kid: 'ps-2' }), 401);
      // A kid naming a key of another type.
      await expectStatus(t, await sign(rsa.privateKey, { alg: 'RS256', kid: 'ec-1' }), 401);
      await expectStatus(t, await sign(ec.privateKey, { alg: 'ES256', kid: 'rsa-1' }), 401);
      // The RSA public key as an HMAC secret, and alg none.
      const rsaPem = await exportSPKI(rsa.publicKey);
      await expectStatus(t, jwt({ alg: 'HS256', kid: 'rsa-1' }, claims(), hs256(rsaPem)), 401);
      await expectStatus(t, jwt({ alg: 'none', kid: 'ec-1' }, claims()), 401);
      // Signed by another key under a kid of the set.
      await expectStatus(t, await sign((await generateKeyPair('ES256')).privateKey, { alg: 'ES256', kid: 'ec-1' }), 401);
      // However often, these make Rollcall fetch the set at most once more (the cooldown may have passed).
      expect(server.requests - before).toBeLessThanOrEqual(1);
    });

    it('never uses a symmetric key of the set', async () => {
      for (const header of [{ alg: 'HS256', kid: 'oct-1' }, { alg: 'HS256', kid: 'oct-2' }, { alg: 'HS256' }]) {
        const token = await sign(octSecret, header);
        await expectStatus(t, token, 401);
        expect(await refusal(t, token)).toMatch(/signature does not verify with the vendor's keys/);
      }
    });

    it('refuses expired tokens, a wrong issuer or audience, and a lifetime past the cap', async () => {
      const ok = { alg: 'ES256', kid: 'ec-1' };
      const cases: [Record<string, unknown>, RegExp][] = [
        [{ iat: nowSeconds() - 7200, exp: nowSeconds() - 120 }, /expired/],
        [{ iss: 'https://evil.example' }, /wrong issuer/],
        [{ aud: 'someone-else' }, /wrong audience/],
        [{ exp: undefined }, /no exp claim/],
        [{ iat: undefined }, /no iat claim/],
        [{ exp: nowSeconds() + 86_401 }, /exceeds USER_TOKEN_MAX_LIFETIME_SECONDS/],
      ];
      for (const [extra, reason] of cases) {
        const token = await sign(ec.privateKey, ok, extra);
        await expectStatus(t, token, 401);
        expect(await refusal(t, token)).toMatch(reason);
      }
    });

    it('refuses tokens while the JWKS server fails, warns once without the token, and recovers', async () => {
      const token = () => sign(ec.privateKey, { alg: 'ES256', kid: 'ec-1' });
      expect(warnings).toEqual([]);
      server.status = 503;
      // The cached set is too old to be used: Rollcall must fetch it, and cannot.
      clock.advance(CACHE_MAX_AGE_MS + 1000);
      const before = server.requests;
      const refused = await token();
      await expectStatus(t, refused, 401);
      expect(await refusal(t, refused)).toMatch(/the vendor's JWKS \(http:\/\/127\.0\.0\.1:\d+\/\.well-known\/jwks\.json\) could not be fetched/);
      for (let i = 0; i < 5; i += 1) await expectStatus(t, await token(), 401);
      // One fetch, then none until a while after the failure.
      expect(server.requests - before).toBe(1);
      clock.advance(RETRY_AFTER_FAILURE_MS + 1000);
      await expectStatus(t, await token(), 401);
      expect(server.requests - before).toBe(2);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/could not be fetched: Expected 200 OK/);
      expect(warnings[0]).not.toContain(refused.split('.')[2]);
      // Back: the next fetch works and tokens are accepted again.
      server.status = 200;
      clock.advance(RETRY_AFTER_FAILURE_MS + 1000);
      await expectStatus(t, await token(), 200);
      expect(server.requests - before).toBe(3);
      expect(warnings).toHaveLength(2);
      expect(warnings[1]).toMatch(/was fetched again/);
    });
  });

  describe(`VENDOR_JWT_JWKS_URL with nothing listening [${dialect}]`, () => {
    const env: Record<string, string> = {};
    beforeAll(async () => {
      env.VENDOR_JWT_JWKS_URL = `http://127.0.0.1:${await closedPort()}${JWKS_PATH}`;
    });
    const t = useTestApp(dialect, env);
    const warnings = setUp(t);

    it('answers 401, not 500, and warns once', async () => {
      const token = await sign(ec.privateKey, { alg: 'ES256', kid: 'ec-1' });
      await expectStatus(t, token, 401);
      await expectStatus(t, token, 401);
      expect(await refusal(t, token)).toMatch(/could not be fetched/);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/could not be fetched: fetch failed \(ECONNREFUSED\)/);
    });
  });
}

describe('VENDOR_JWT_JWKS_URL configuration', () => {
  it('reads an https URL, or http to this machine', () => {
    const url = 'https://tenant.auth.example/.well-known/jwks.json';
    expect(loadConfig({ VENDOR_JWT_JWKS_URL: ` ${url} `, VENDOR_JWT_AUDIENCE: VENDOR_AUDIENCE }).userTokens.vendor).toEqual({
      source: 'VENDOR_JWT_JWKS_URL',
      keys: [],
      jwksUrl: url,
      issuer: undefined,
      audience: VENDOR_AUDIENCE,
    });
    expect(loadConfig({ VENDOR_JWT_JWKS_URL: 'http://localhost:8080/jwks' }).userTokens.vendor!.jwksUrl).toBe('http://localhost:8080/jwks');
    expect(loadConfig({ VENDOR_JWT_JWKS_URL: 'http://127.0.0.1/jwks' }).userTokens.vendor!.jwksUrl).toBe('http://127.0.0.1/jwks');
  });

  it.each([
    [{ VENDOR_JWT_JWKS_URL: 'http://auth.vendor.example/.well-known/jwks.json' }, /^VENDOR_JWT_JWKS_URL must be an https URL \(http only for localhost or 127\.0\.0\.1\), got "http:\/\/auth\.vendor\.example\/\.well-known\/jwks\.json"$/],
    [{ VENDOR_JWT_JWKS_URL: 'http://localhost.vendor.example/jwks' }, /VENDOR_JWT_JWKS_URL must be an https URL/],
    [{ VENDOR_JWT_JWKS_URL: 'ftp://auth.vendor.example/jwks' }, /VENDOR_JWT_JWKS_URL must be an https URL/],
    [{ VENDOR_JWT_JWKS_URL: 'auth.vendor.example/jwks' }, /VENDOR_JWT_JWKS_URL must be an absolute https URL/],
    [{ VENDOR_JWT_JWKS_URL: 'https://user:secret@auth.vendor.example/jwks' }, /VENDOR_JWT_JWKS_URL must not carry a user name or password/],
    [{ VENDOR_JWT_JWKS_FILE: '/etc/jwks.json', VENDOR_JWT_JWKS_URL: 'https://auth.vendor.example/jwks' }, /^Set only one of VENDOR_JWT_JWKS_FILE, VENDOR_JWT_JWKS_URL$/],
    [{ VENDOR_JWT_SECRET: 'x'.repeat(32), VENDOR_JWT_JWKS_URL: 'https://auth.vendor.example/jwks' }, /^Set only one of VENDOR_JWT_SECRET, VENDOR_JWT_JWKS_URL$/],
    [{ VENDOR_JWT_AUDIENCE: VENDOR_AUDIENCE }, /need VENDOR_JWT_SECRET, VENDOR_JWT_PUBLIC_KEY, VENDOR_JWT_JWKS_FILE or VENDOR_JWT_JWKS_URL/],
  ])('refuses to start with %j, in one clear line', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('never prints the password of a URL', () => {
    expect(() => loadConfig({ VENDOR_JWT_JWKS_URL: 'http://user:s3cret@auth.vendor.example/jwks' })).toThrow(/^(?!.*s3cret)/);
  });
});
