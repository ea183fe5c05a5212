/** Which keys of a fetched JWKS Rollcall uses, and with which algorithm (keys.ts `usableJwksKeys`). */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { usableJwksKeys } from './keys.js';

const jwk = (key: KeyObject, members: Record<string, unknown>) => ({ ...key.export({ format: 'jwk' }), ...members });
const rsa = (bits = 2048) => generateKeyPairSync('rsa', { modulusLength: bits }).publicKey;
const ec = (namedCurve = 'P-256') => generateKeyPairSync('ec', { namedCurve }).publicKey;

describe('the keys of a JWKS served at VENDOR_JWT_JWKS_URL', () => {
  it('uses RSA and EC P-256 signing keys, each with the algorithm its JWK states or its type allows', () => {
    const keys = usableJwksKeys({
      keys: [jwk(rsa(), { kid: 'rsa' }), jwk(ec(), { kid: 'ec', alg: 'ES256', use: 'sig', key_ops: ['verify'] }), jwk(rsa(), { kid: 'stated', alg: 'RS256' })],
    });
    expect(keys.map((k) => [k.kid, k.alg])).toEqual([['rsa', 'RS256'], ['ec', 'ES256'], ['stated', 'RS256']]);
    expect(keys.every((k) => k.key.type === 'public')).toBe(true);
  });

  it('leaves out symmetric, encryption, weak, other-curve and other-algorithm keys, and keeps the rest', () => {
    const keys = usableJwksKeys({
      keys: [
        { kty: 'oct', k: 'c2VjcmV0LWtleS1vZi0zMi1ieXRlcy0wMTIzNDU2Nzg5', kid: 'oct', alg: 'HS256' },
        { kty: 'oct', k: 'c2VjcmV0LWtleS1vZi0zMi1ieXRlcy0wMTIzNDU2Nzg5', kid: 'oct-no-alg' },
        jwk(rsa(), { kid: 'enc', use: 'enc' }),
        jwk(rsa(), { kid: 'wrap', key_ops: ['wrapKey'] }),
        jwk(rsa(), { kid: 'pss', alg: 'PS256' }),
        jwk(ec(), { kid: 'ec-as-rs', alg: 'RS256' }),
        jwk(rsa(1024), { kid: 'weak' }),
        jwk(ec('P-384'), { kid: 'p384' }),
        { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo', kid: 'ed' },
        { kty: 'RSA', n: 'AQ', e: 'AQAB', kid: 'broken' },
        'not a key',
        null,
        jwk(ec(), { kid: 'good' }),
      ],
    });
    expect(keys.map((k) => k.kid)).toEqual(['good']);
  });

  it('finds no keys in what is not a JWKS', () => {
    for (const doc of [undefined, null, 'keys', [], {}, { keys: 'none' }]) expect(usableJwksKeys(doc)).toEqual([]);
  });
});
