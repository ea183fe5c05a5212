import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, redactUrl } from '../src/config.js';

describe('configuration', () => {
  it('has defaults that need nothing installed', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3000, databaseUrl: 'sqlite:./data/rollcall.db', publicUrl: 'http://localhost:3000', envTokenTtlSeconds: 3600 });
    expect(Object.isFrozen(config)).toBe(true);
    expect(loadConfig({ PORT: '8080' }).publicUrl).toBe('http://localhost:8080');
    expect(loadConfig({ PUBLIC_URL: 'https://scim.example.com/' }).publicUrl).toBe('https://scim.example.com');
  });

  it.each([
    [{ PORT: 'abc' }, /PORT must be a whole number/],
    [{ PORT: '70000' }, /PORT must be between/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL must start with sqlite:/],
    [{ PUBLIC_URL: 'not a url' }, /PUBLIC_URL must be an absolute/],
    [{ PUBLIC_URL: 'ftp://x' }, /PUBLIC_URL must use http/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL must be one of/],
    [{ ROLLCALL_CLIENT_ID: 'bot' }, /must be set together/],
    [{ ROLLCALL_CLIENT_ID: 'bot', ROLLCALL_CLIENT_SECRET: 'short' }, /24–256 characters/],
    [{ ENV_TOKEN_TTL_SECONDS: '5' }, /ENV_TOKEN_TTL_SECONDS must be between/],
    [{ METRICS_TOKEN: 'fifteen-chars15' }, /METRICS_TOKEN must be 16–512 characters/],
    [{ METRICS_TOKEN: 'sixteen chars with a space' }, /METRICS_TOKEN must be 16–512 characters/],
  ])('rejects %j with one clear line', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('reads METRICS_TOKEN, and leaves /metrics off without it', () => {
    expect(loadConfig({}).metricsToken).toBeUndefined();
    expect(loadConfig({ METRICS_TOKEN: '' }).metricsToken).toBeUndefined();
    expect(loadConfig({ METRICS_TOKEN: ' 0123456789abcdef ' }).metricsToken).toBe('0123456789abcdef');
    // The message names the rule, never the value.
    expect(() => loadConfig({ METRICS_TOKEN: 'leaked-secret-1' })).toThrow(/^(?!.*leaked-secret)/);
  });

  it('never prints a database password', () => {
    expect(redactUrl('postgres://rollcall:s3cret@db:5432/rollcall')).toBe('postgres://rollcall:***@db:5432/rollcall');
    expect(() => loadConfig({ DATABASE_URL: 'mysql://u:s3cret@h/db' })).toThrow(/^(?!.*s3cret)/);
  });
});

describe('user-token configuration', () => {
  const rsaPem = (bits: number) => generateKeyPairSync('rsa', { modulusLength: bits }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const ecKey = (namedCurve: string) => generateKeyPairSync('ec', { namedCurve }).publicKey;
  const dir = mkdtempSync(join(tmpdir(), 'rollcall-config-'));
  const file = (name: string, content: string) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  const secret = 'x'.repeat(32);

  it('needs nothing: a generated key and no vendor tokens', () => {
    expect(loadConfig({}).userTokens).toEqual({ signingKey: undefined, maxLifetimeSeconds: 86_400 });
  });

  it('reads a signing key, a vendor secret, a PEM public key or a JWKS file, with issuer and audience', () => {
    expect(loadConfig({ USER_TOKEN_SIGNING_KEY: secret }).userTokens.signingKey).toBe(secret);
    const hs = loadConfig({ VENDOR_JWT_SECRET: secret, VENDOR_JWT_ISSUER: 'https://auth.example', VENDOR_JWT_AUDIENCE: 'rollcall' }).userTokens.vendor!;
    expect(hs).toMatchObject({ source: 'VENDOR_JWT_SECRET', issuer: 'https://auth.example', audience: 'rollcall' });
    expect(hs.keys.map((k) => k.alg)).toEqual(['HS256']);
    expect(loadConfig({ VENDOR_JWT_PUBLIC_KEY: rsaPem(2048) }).userTokens.vendor!.keys.map((k) => k.alg)).toEqual(['RS256']);
    const ecPem = ecKey('P-256').export({ type: 'spki', format: 'pem' }).toString().replace(/\n/g, '\\n');
    expect(loadConfig({ VENDOR_JWT_PUBLIC_KEY: ecPem }).userTokens.vendor!.keys.map((k) => k.alg)).toEqual(['ES256']);
    const jwks = file('ok.json', JSON.stringify({ keys: [{ ...ecKey('P-256').export({ format: 'jwk' }), kid: 'a' }, { ...generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'jwk' }), kid: 'b', alg: 'RS256', use: 'sig' }] }));
    expect(loadConfig({ VENDOR_JWT_JWKS_FILE: jwks }).userTokens.vendor!.keys.map((k) => [k.alg, k.kid])).toEqual([['ES256', 'a'], ['RS256', 'b']]);
  });

  it.each([
    [{ USER_TOKEN_SIGNING_KEY: 'short' }, /USER_TOKEN_SIGNING_KEY must be 32–512 characters/],
    [{ VENDOR_JWT_SECRET: 'short' }, /VENDOR_JWT_SECRET must be at least 32 characters/],
    [{ VENDOR_JWT_SECRET: 'x'.repeat(32), VENDOR_JWT_PUBLIC_KEY: 'pem' }, /Set only one of VENDOR_JWT_SECRET, VENDOR_JWT_PUBLIC_KEY/],
    [{ VENDOR_JWT_ISSUER: 'https://auth.example' }, /VENDOR_JWT_ISSUER and VENDOR_JWT_AUDIENCE need/],
    [{ VENDOR_JWT_PUBLIC_KEY: 'not a key' }, /VENDOR_JWT_PUBLIC_KEY is not a PEM public key/],
    [{ VENDOR_JWT_JWKS_FILE: '/nonexistent/jwks.json' }, /VENDOR_JWT_JWKS_FILE cannot be read: ENOENT/],
  ])('rejects %j with one clear line', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('refuses weak or unsupported vendor keys', () => {
    expect(() => loadConfig({ VENDOR_JWT_PUBLIC_KEY: rsaPem(1024) })).toThrow(/VENDOR_JWT_PUBLIC_KEY RSA keys must have at least 2048 bits/);
    expect(() => loadConfig({ VENDOR_JWT_PUBLIC_KEY: ecKey('P-384').export({ type: 'spki', format: 'pem' }).toString() })).toThrow(/RSA \(RS256\) or EC P-256 \(ES256\)/);
    const privatePem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(() => loadConfig({ VENDOR_JWT_PUBLIC_KEY: privatePem })).toThrow(/VENDOR_JWT_PUBLIC_KEY must be a public key, not a private key/);
    for (const [name, content, message] of [
      ['not-json.json', 'nope', /is not JSON/],
      ['empty.json', '{"keys":[]}', /has no "keys" array/],
      ['oct.json', '{"keys":[{"kty":"oct","k":"c2VjcmV0"}]}', /keys\[0\] has kty "oct"/],
      ['enc.json', JSON.stringify({ keys: [{ ...ecKey('P-256').export({ format: 'jwk' }), use: 'enc' }] }), /keys\[0\] is not a signing key/],
      ['alg.json', JSON.stringify({ keys: [{ ...ecKey('P-256').export({ format: 'jwk' }), alg: 'RS256' }] }), /keys\[0\] says alg "RS256" but is a ES256 key/],
      ['broken.json', '{"keys":[{"kty":"RSA","n":"AQ","e":"AQAB"}]}', /keys\[0\]/],
    ] as const) {
      expect(() => loadConfig({ VENDOR_JWT_JWKS_FILE: file(name, content) }), name).toThrow(message);
    }
  });

  it('reads ROLLCALL_ENCRYPTION_KEY and ROLLCALL_PREVIOUS_ENCRYPTION_KEYS, and refuses bad keys without printing them', () => {
    expect(loadConfig({}).encryption.current).toBeUndefined();
    const current = randomBytes(32).toString('hex');
    const previous = [randomBytes(32).toString('base64'), randomBytes(32).toString('base64url')];
    const { encryption } = loadConfig({ ROLLCALL_ENCRYPTION_KEY: ` ${current} `, ROLLCALL_PREVIOUS_ENCRYPTION_KEYS: ` ${previous[0]} ,, ${previous[1]},` });
    expect(encryption.current?.id).toMatch(/^[0-9a-f]{16}$/);
    expect(encryption.previous).toHaveLength(2);
    for (const [env, message] of [
      [{ ROLLCALL_ENCRYPTION_KEY: 'a-passphrase-is-not-a-key' }, /^ROLLCALL_ENCRYPTION_KEY must be 32 random bytes as 64 hex digits or as base64/],
      [{ ROLLCALL_ENCRYPTION_KEY: current, ROLLCALL_PREVIOUS_ENCRYPTION_KEYS: `${previous[0]},deadbeef` }, /^ROLLCALL_PREVIOUS_ENCRYPTION_KEYS \(entry 2\) must be 32 random bytes/],
      [{ ROLLCALL_PREVIOUS_ENCRYPTION_KEYS: previous[0] }, /^ROLLCALL_PREVIOUS_ENCRYPTION_KEYS needs ROLLCALL_ENCRYPTION_KEY/],
    ] as const) {
      expect(() => loadConfig(env)).toThrow(ConfigError);
      expect(() => loadConfig(env)).toThrow(message);
      expect(() => loadConfig(env)).not.toThrow(/passphrase|deadbeef/);
    }
  });
});
