/**
 * Forged and broken user tokens: wrong key, `alg: none`, expired, tampered claims or header,
 * wrong issuer or audience, algorithm confusion, malformed encodings. Each is a 401 on a
 * self-service route that a genuine token opens (200).
 */
import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { dialectsUnderTest } from '../support/databases.js';
import { createConnection, createTenant } from '../support/fixtures.js';
import { PUBLIC_URL, useTestApp, type TestApp } from '../support/test-app.js';
import { BASE, READ, VENDOR_AUDIENCE, VENDOR_ISSUER, WRITE, bearer, es256, hs256, jwt, mintToken, nowSeconds, payloadOf, rs256, setSelfService, show, storedSigningKey, vendorClaims } from './support.js';

const VENDOR_SECRET = 'vendor-shared-secret-0123456789abcdef';

/** Forgery cases are many 401s from one address: the failed-authentication throttle is off here. */
const NO_THROTTLE = { AUTH_FAILURE_LIMIT: '0' };

const listWith = (t: TestApp, token: string) => t.app.inject({ url: BASE, headers: bearer(token) });

async function expectStatus(t: TestApp, token: string, status: number): Promise<void> {
  const res = await listWith(t, token);
  expect(res.statusCode, show(res)).toBe(status);
  // Something not even shaped like a JWT is answered as a bad environment token, as before self-service.
  const message = token.split('.').length === 3 ? 'The user token is invalid or has expired' : 'The environment token is invalid or has expired';
  if (status === 401) expect(res.json()).toMatchObject({ code: 'unauthorized', message });
}

/** Tenant `acme` with one connection and self-service on. */
function setUp(t: TestApp) {
  beforeAll(async () => {
    await createTenant(t, 'acme');
    await createConnection(t, 'acme');
    await setSelfService(t, true);
  });
}

for (const dialect of dialectsUnderTest()) {
  describe(`Rollcall-minted tokens, forged [${dialect}]`, () => {
    const t = useTestApp(dialect, { ...NO_THROTTLE, VENDOR_JWT_SECRET: VENDOR_SECRET, VENDOR_JWT_ISSUER: VENDOR_ISSUER, VENDOR_JWT_AUDIENCE: VENDOR_AUDIENCE });
    setUp(t);
    let genuine: string;
    let key: string;
    // The claims Rollcall mints: a vendor token's, issued by Rollcall for its portal.
    const own = (extra: Record<string, unknown> = {}) => vendorClaims({ iss: PUBLIC_URL, aud: `${PUBLIC_URL}/portal`, ...extra });
    const header = () => JSON.parse(Buffer.from(genuine.split('.')[0], 'base64url').toString('utf8'));

    beforeAll(async () => {
      genuine = await mintToken(t, { tenantId: 'acme', permissions: [READ] });
      key = await storedSigningKey(t);
    });

    it('accepts the genuine token, and a token made by hand with the environment key', async () => {
      await expectStatus(t, genuine, 200);
      await expectStatus(t, jwt(header(), own(), hs256(key)), 200);
    });

    it('rejects a token signed with another key', async () => {
      await expectStatus(t, jwt(header(), own(), hs256(randomBytes(32).toString('base64url'))), 401);
      // The vendor's secret does not sign Rollcall's tokens either.
      await expectStatus(t, jwt(header(), own(), hs256(VENDOR_SECRET)), 401);
    });

    it('rejects alg none, however spelled, with or without a signature', async () => {
      for (const alg of ['none', 'None', 'NONE', 'nOnE']) await expectStatus(t, jwt({ alg, typ: 'JWT' }, own()), 401);
      const [, payload, signature] = genuine.split('.');
      const noneHeader = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
      await expectStatus(t, `${noneHeader}.${payload}.${signature}`, 401);
      await expectStatus(t, `${noneHeader}.${payload}.`, 401);
      await expectStatus(t, `${genuine.split('.').slice(0, 2).join('.')}.`, 401);
    });

    it('rejects expired tokens and tokens without exp', async () => {
      await expectStatus(t, jwt(header(), own({ iat: nowSeconds() - 7200, exp: nowSeconds() - 1 }), hs256(key)), 401);
      await expectStatus(t, jwt(header(), own({ exp: undefined }), hs256(key)), 401);
      await expectStatus(t, jwt(header(), own({ exp: String(nowSeconds() + 600) }), hs256(key)), 401);
      await expectStatus(t, jwt(header(), own({ nbf: nowSeconds() + 600 }), hs256(key)), 401);
    });

    it('rejects tampered claims and headers that keep the original signature', async () => {
      const [h, , s] = genuine.split('.');
      const claims = payloadOf(genuine);
      for (const change of [{ tenantId: 'other' }, { permissions: [READ, WRITE] }, { exp: claims.exp + 86_400 }, { sub: 'someone-else' }]) {
        const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, ...change })).toString('base64url')}.${s}`;
        await expectStatus(t, forged, 401);
      }
      const otherKid = Buffer.from(JSON.stringify({ ...header(), kid: 'rc-000000000000' })).toString('base64url');
      await expectStatus(t, `${otherKid}.${genuine.split('.')[1]}.${s}`, 401);
      // A flipped signature bit.
      const sig = Buffer.from(s, 'base64url');
      sig[0] = sig[0] ^ 1;
      await expectStatus(t, `${h}.${genuine.split('.')[1]}.${sig.toString('base64url')}`, 401);
    });

    it('rejects the right key with the wrong audience, issuer, algorithm or a critical extension', async () => {
      await expectStatus(t, jwt(header(), own({ aud: 'https://elsewhere' }), hs256(key)), 401);
      await expectStatus(t, jwt(header(), own({ aud: undefined }), hs256(key)), 401);
      await expectStatus(t, jwt({ ...header(), alg: 'HS512' }, own(), hs256(key)), 401);
      await expectStatus(t, jwt({ ...header(), crit: ['exp'] }, own(), hs256(key)), 401);
      // Rollcall's issuer is what selects Rollcall's key: with another issuer the token is a vendor token, and fails the vendor's key.
      await expectStatus(t, jwt(header(), own({ iss: VENDOR_ISSUER, aud: VENDOR_AUDIENCE }), hs256(key)), 401);
    });

    it('rejects tokens whose claims are malformed even when signed', async () => {
      await expectStatus(t, jwt(header(), own({ tenantId: undefined }), hs256(key)), 401);
      await expectStatus(t, jwt(header(), own({ tenantId: '../acme' }), hs256(key)), 401);
      await expectStatus(t, jwt(header(), own({ sub: '' }), hs256(key)), 401);
      await expectStatus(t, jwt(header(), own({ permissions: READ }), hs256(key)), 401);
    });

    it('rejects malformed encodings', async () => {
      const [h, p, s] = genuine.split('.');
      for (const token of ['a.b', `${h}.${p}`, `${h}.${p}.${s}.x`, `${h}=.${p}.${s}`, `${h}.${p}+.${s}`, `${h}.${p}.${s}=`, 'e30.e30.', `${'a'.repeat(9000)}.${p}.${s}`, `bm90IGpzb24.${p}.${s}`]) {
        await expectStatus(t, token, 401);
      }
    });

    it('accepts a vendor-signed HS256 token, resolving roles when it names them', async () => {
      await expectStatus(t, jwt({ alg: 'HS256', typ: 'JWT' }, vendorClaims(), hs256(VENDOR_SECRET)), 200);
      await expectStatus(t, jwt({ alg: 'HS256' }, vendorClaims({ permissions: undefined, roles: ['read-only'] }), hs256(VENDOR_SECRET)), 200);
      const readOnly = jwt({ alg: 'HS256' }, vendorClaims({ permissions: undefined, roles: ['read-only'] }), hs256(VENDOR_SECRET));
      const create = await t.app.inject({ method: 'POST', url: BASE, headers: bearer(readOnly), payload: { source: 'okta', connectionName: 'x' } });
      expect(create.statusCode).toBe(403);
      expect(create.json().message).toContain(WRITE);
      const admin = jwt({ alg: 'HS256' }, vendorClaims({ permissions: undefined, roles: ['admin'] }), hs256(VENDOR_SECRET));
      expect((await t.app.inject({ method: 'POST', url: BASE, headers: bearer(admin), payload: { source: 'okta', connectionName: 'x' } })).statusCode).toBe(201);
      // Audience as a list containing ours.
      await expectStatus(t, jwt({ alg: 'HS256' }, vendorClaims({ aud: ['app', VENDOR_AUDIENCE] }), hs256(VENDOR_SECRET)), 200);
      // Within the 30-second clock tolerance.
      await expectStatus(t, jwt({ alg: 'HS256' }, vendorClaims({ exp: nowSeconds() - 5 }), hs256(VENDOR_SECRET)), 200);
    });

    it('rejects vendor tokens with the wrong key, issuer, audience, expiry or algorithm', async () => {
      await expectStatus(t, jwt({ alg: 'HS256' }, vendorClaims(), hs256('another-secret-0123456789abcdefghij')), 401);
      await expectStatus(t, jwt({ alg: 'HS256' }, vendorClaims({ iss: 'https://evil.example' }), hs256(VENDOR_SECRET)), 401);
      await expectStatus(t, jwt({ alg: 'HS256' }, vendorClaims({ iss: undefined }), hs256(VENDOR_SECRET)), 401);
      await expectStatus(t, jwt({ alg: 'HS256' }, vendorClaims({ aud: 'someone-else' }), hs256(VENDOR_SECRET)), 401);
      await expectStatus(t, jwt({ alg: 'HS256' }, vendorClaims({ aud: undefined }), hs256(VENDOR_SECRET)), 401);
      await expectStatus(t, jwt({ alg: 'HS256' }, vendorClaims({ exp: nowSeconds() - 120 }), hs256(VENDOR_SECRET)), 401);
      await expectStatus(t, jwt({ alg: 'HS256' }, vendorClaims({ nbf: nowSeconds() + 600 }), hs256(VENDOR_SECRET)), 401);
      await expectStatus(t, jwt({ alg: 'none' }, vendorClaims()), 401);
      await expectStatus(t, jwt({ alg: 'RS256' }, vendorClaims(), hs256(VENDOR_SECRET)), 401);
    });
  });

  describe(`vendor RS256 public key [${dialect}]`, () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    // Newlines escaped, as an environment variable often carries a PEM.
    const t = useTestApp(dialect, { ...NO_THROTTLE, VENDOR_JWT_PUBLIC_KEY: pem.replace(/\n/g, '\\n') });
    setUp(t);

    it('accepts a token signed with the private key', async () => {
      await expectStatus(t, jwt({ alg: 'RS256', typ: 'JWT' }, vendorClaims(), rs256(privateKey)), 200);
    });

    it('rejects another key, alg none, and the public key used as an HMAC secret', async () => {
      await expectStatus(t, jwt({ alg: 'RS256' }, vendorClaims(), rs256(stranger)), 401);
      await expectStatus(t, jwt({ alg: 'none' }, vendorClaims()), 401);
      await expectStatus(t, jwt({ alg: 'HS256' }, vendorClaims(), hs256(pem)), 401);
      await expectStatus(t, jwt({ alg: 'HS256' }, vendorClaims(), hs256(publicKey.export({ type: 'pkcs1', format: 'der' }))), 401);
      await expectStatus(t, jwt({ alg: 'PS256' }, vendorClaims(), rs256(privateKey)), 401);
      await expectStatus(t, jwt({ alg: 'RS256' }, vendorClaims({ exp: nowSeconds() - 3600 }), rs256(privateKey)), 401);
    });
  });

  describe(`vendor JWKS file with ES256 and RS256 keys [${dialect}]`, () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwk = (key: KeyObject, kid: string, alg: string) => ({ ...key.export({ format: 'jwk' }), kid, alg, use: 'sig' });
    const dir = mkdtempSync(join(tmpdir(), 'rollcall-jwks-'));
    const file = join(dir, 'jwks.json');
    writeFileSync(file, JSON.stringify({ keys: [jwk(ec.publicKey, 'ec-1', 'ES256'), jwk(rsa.publicKey, 'rsa-1', 'RS256')] }));
    const t = useTestApp(dialect, { ...NO_THROTTLE, VENDOR_JWT_JWKS_FILE: file, VENDOR_JWT_ISSUER: VENDOR_ISSUER });
    setUp(t);

    it('accepts ES256 and RS256 tokens from the set, by kid or without one', async () => {
      await expectStatus(t, jwt({ alg: 'ES256', kid: 'ec-1' }, vendorClaims(), es256(ec.privateKey)), 200);
      await expectStatus(t, jwt({ alg: 'ES256' }, vendorClaims(), es256(ec.privateKey)), 200);
      await expectStatus(t, jwt({ alg: 'RS256', kid: 'rsa-1' }, vendorClaims(), rs256(rsa.privateKey)), 200);
    });

    it('rejects an unknown or mismatched kid, a DER signature, another curve key, and a wrong issuer', async () => {
      await expectStatus(t, jwt({ alg: 'ES256', kid: 'ec-2' }, vendorClaims(), es256(ec.privateKey)), 401);
      await expectStatus(t, jwt({ alg: 'ES256', kid: 'rsa-1' }, vendorClaims(), es256(ec.privateKey)), 401);
      await expectStatus(t, jwt({ alg: 'RS256', kid: 'ec-1' }, vendorClaims(), rs256(rsa.privateKey)), 401);
      await expectStatus(t, jwt({ alg: 'ES256', kid: 'ec-1' }, vendorClaims(), rs256(ec.privateKey)), 401);
      const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
      await expectStatus(t, jwt({ alg: 'ES256', kid: 'ec-1' }, vendorClaims(), es256(other)), 401);
      await expectStatus(t, jwt({ alg: 'ES256', kid: 'ec-1' }, vendorClaims({ iss: 'https://evil.example' }), es256(ec.privateKey)), 401);
      await expectStatus(t, jwt({ alg: 'none', kid: 'ec-1' }, vendorClaims()), 401);
    });
  });
}
