/**
 * `npx tsx bench/user-tokens.ts` — what signing and verifying a user token with jose costs, beside the
 * few lines of node:crypto HS256 it could be written in, and beside the cheapest request a user token
 * opens (the self-service list of configurations, in-process with inject, on a fresh SQLite database).
 * Prints the mean of each in µs (docs/performance.md, "User tokens").
 *
 *   npx tsx bench/user-tokens.ts --n 20000
 */
import { createHmac, createSecretKey, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { openDatabase } from '../src/db/open.js';
import { decodeJwt, signHs256, verifyJwt } from '../src/user-tokens/jwt.js';

const args = process.argv.slice(2);
const n = args.includes('--n') ? Number(args[args.indexOf('--n') + 1]) : 20_000;

async function mean(label: string, fn: () => unknown, count = n): Promise<number> {
  for (let i = 0; i < Math.min(count, 2000); i += 1) await fn();
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i += 1) await fn();
  const us = Number(process.hrtime.bigint() - start) / 1000 / count;
  console.log(`${label.padEnd(58)} ${us.toFixed(1).padStart(8)} µs`);
  return us;
}

const secret = randomBytes(32);
const key = createSecretKey(secret);
const now = Math.floor(Date.now() / 1000);
const claims = { iss: 'https://rollcall.test', aud: 'https://rollcall.test/portal', sub: 'u', tenantId: 'acme', roles: ['admin'], permissions: ['fe.secure.read.provisioningConfiguration'], iat: now, exp: now + 3600, jti: 'j' };
const token = await signHs256(claims, key, 'rc-bench');
const rules = { issuer: claims.iss, audience: claims.aud, nowSeconds: now, toleranceSeconds: 0, maxLifetimeSeconds: 86_400 };

// The node:crypto baseline: HMAC over the signing input, constant-time compare, JSON of the payload.
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const plainSign = () => {
  const input = `${b64({ alg: 'HS256', typ: 'JWT', kid: 'rc-bench' })}.${b64(claims)}`;
  return `${input}.${createHmac('sha256', key).update(input).digest('base64url')}`;
};
const plainVerify = () => {
  const [h, p, s] = token.split('.') as [string, string, string];
  const expected = createHmac('sha256', key).update(`${h}.${p}`).digest();
  const signature = Buffer.from(s, 'base64url');
  if (!(signature.length === expected.length && timingSafeEqual(signature, expected))) throw new Error('bad signature');
  return JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as unknown;
};

await mean('sign, node:crypto HS256', plainSign);
await mean('sign, jose (signHs256)', () => signHs256(claims, key, 'rc-bench'));
await mean('verify, node:crypto HS256', plainVerify);
await mean('verify, jose (decodeJwt + verifyJwt)', async () => {
  const checked = await verifyJwt(decodeJwt(token)!, [{ alg: 'HS256', key }], rules);
  if (checked.problem) throw new Error(checked.problem);
});

// The cheapest request a user token opens, for scale.
const dir = mkdtempSync(join(tmpdir(), 'rollcall-bench-tokens-'));
const db = openDatabase(`sqlite:${join(dir, 'rollcall.db')}`);
await migrateToLatest(db);
const app = await buildApp({ config: loadConfig({ LOG_LEVEL: 'silent', PUBLIC_URL: 'https://rollcall.test', DATABASE_URL: `sqlite:${join(dir, 'rollcall.db')}`, SCIM_RATE_LIMIT: '0' }), db });
await app.ready();
const credential = await app.services.auth.createCredential('bench');
const environment = `Bearer ${(await app.services.auth.exchange(credential.clientId, credential.secret))!.token}`;
await app.inject({ method: 'POST', url: '/tenants/resources/tenants/v1', headers: { authorization: environment }, payload: { tenantId: 'acme', name: 'Acme' } });
await app.inject({ method: 'PATCH', url: '/api/v1/settings', headers: { authorization: environment }, payload: { selfService: { scimProvisioning: true } } });
const minted = await app.inject({ method: 'POST', url: '/api/v1/user-tokens', headers: { authorization: environment }, payload: { tenantId: 'acme', userId: 'u' } });
const userToken = (minted.json<{ token: string }>()).token;
await mean('GET /directory/resources/v1/configurations/scim2 (inject)', async () => {
  const res = await app.inject({ url: '/directory/resources/v1/configurations/scim2', headers: { authorization: `Bearer ${userToken}` } });
  if (res.statusCode !== 200) throw new Error(`${res.statusCode} ${res.body}`);
}, Math.min(n, 5000));
await app.close();
await db.close();
rmSync(dir, { recursive: true, force: true });
