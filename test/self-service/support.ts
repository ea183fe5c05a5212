/** Helpers of the self-service tests: user tokens, the builder switch, hand-made JWTs. */
import { createHmac, sign, type KeyObject } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import type { TestApp } from '../support/test-app.js';

export const BASE = '/directory/resources/v1/configurations/scim2';
export const READ = 'fe.secure.read.provisioningConfiguration';
export const WRITE = 'fe.secure.write.provisioningConfiguration';
export const DELETE = 'fe.secure.delete.provisioningConfiguration';
export const DISABLED_MESSAGE = 'SCIM provisioning is not enabled for self-service';

/** `Authorization` header of a token. */
export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Mints a user token through the API; throws unless 201. */
export async function mintToken(t: TestApp, body: Record<string, unknown>): Promise<string> {
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/user-tokens', headers: { authorization: t.auth }, payload: { userId: 'admin@customer', ...body } });
  if (res.statusCode !== 201) throw new Error(`mint failed: ${res.statusCode} ${res.body}`);
  return res.json().token;
}

/** Turns self-service SCIM provisioning on or off. */
export async function setSelfService(t: TestApp, on: boolean): Promise<void> {
  const res = await t.app.inject({ method: 'PATCH', url: '/api/v1/settings', headers: { authorization: t.auth }, payload: { selfService: { scimProvisioning: on } } });
  if (res.statusCode !== 200) throw new Error(`settings failed: ${res.statusCode} ${res.body}`);
}

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value), 'utf8').toString('base64url');

/** A JWT with any header, signed by `signer` over `header.payload` (undefined: no signature). */
export function jwt(header: Record<string, unknown>, payload: Record<string, unknown>, signer?: (input: string) => Buffer): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${signer ? signer(input).toString('base64url') : ''}`;
}

export const hs256 = (secret: string | Buffer | KeyObject) => (input: string) => createHmac('sha256', secret).update(input).digest();
export const rs256 = (privateKey: KeyObject) => (input: string) => sign('sha256', Buffer.from(input), privateKey);
export const es256 = (privateKey: KeyObject) => (input: string) => sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' });

/** The decoded payload of a JWT (no verification). */
export function payloadOf(token: string): Record<string, any> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}

/** The key Rollcall generated for this environment, as stored. */
export async function storedSigningKey(t: TestApp): Promise<string> {
  const row = await t.db.kysely.selectFrom('settings').select('value').where('key', '=', 'user-tokens.signing-key').executeTakeFirstOrThrow();
  return row.value;
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);

/** The issuer and audience of vendor-signed test tokens (VENDOR_JWT_ISSUER, VENDOR_JWT_AUDIENCE). */
export const VENDOR_ISSUER = 'https://auth.vendor.example';
export const VENDOR_AUDIENCE = 'rollcall';

/** Claims of a vendor token for acme that may read. */
export const vendorClaims = (extra: Record<string, unknown> = {}) => ({
  iss: VENDOR_ISSUER,
  aud: VENDOR_AUDIENCE,
  sub: 'user-1',
  tenantId: 'acme',
  permissions: [READ],
  iat: nowSeconds(),
  exp: nowSeconds() + 600,
  ...extra,
});

/** A short description of a response for assertion messages. */
export const show = (res: LightMyRequestResponse) => `${res.statusCode} ${res.body}`;
