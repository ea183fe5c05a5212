import { describe, expect, it } from 'vitest';
import { dialectsUnderTest } from './support/databases.js';
import { useTestApp } from './support/test-app.js';

const ROUTES: [string, string][] = [
  ['GET', '/tenants/resources/tenants/v1'],
  ['POST', '/tenants/resources/tenants/v1'],
  ['GET', '/tenants/resources/tenants/v1/acme'],
  ['DELETE', '/tenants/resources/tenants/v1/acme'],
  ['GET', '/directory/resources/v1/configurations/scim2'],
  ['POST', '/directory/resources/v1/configurations/scim2'],
  ['GET', '/directory/resources/v1/configurations/scim2/x'],
  ['PATCH', '/directory/resources/v1/configurations/scim2/x'],
  ['DELETE', '/directory/resources/v1/configurations/scim2/x'],
];

for (const dialect of dialectsUnderTest()) {
  describe(`vendor auth [${dialect}]`, () => {
    const t = useTestApp(dialect);

    it('exchanges a credential for a token that opens management routes', async () => {
      const credential = await t.app.services.auth.createCredential('exchange');
      const res = await t.app.inject({ method: 'POST', url: '/auth/vendor', payload: credential });
      expect(res.statusCode).toBe(200);
      const { token, expiresIn } = res.json();
      expect(token).toMatch(/^rc_env_[A-Za-z0-9_-]{43}$/);
      expect(expiresIn).toBe(3600);
      const list = await t.app.inject({ url: '/tenants/resources/tenants/v1', headers: { authorization: `bearer ${token}` } });
      expect(list.statusCode).toBe(200);
    });

    it('stores only hashes of secrets and tokens', async () => {
      const credential = await t.app.services.auth.createCredential('hashing');
      const { token } = (await t.app.inject({ method: 'POST', url: '/auth/vendor', payload: credential })).json();
      const creds = await t.db.kysely.selectFrom('vendor_credentials').selectAll().execute();
      const tokens = await t.db.kysely.selectFrom('environment_tokens').selectAll().execute();
      const stored = JSON.stringify([creds, tokens]);
      expect(stored).not.toContain(credential.secret);
      expect(stored).not.toContain(token);
      expect(creds.find((c) => c.client_id === credential.clientId)?.secret_hash).toMatch(/^scrypt\$/);
    });

    it('rejects a wrong secret and an unknown clientId alike with 401', async () => {
      const credential = await t.app.services.auth.createCredential('wrong');
      const wrong = await t.app.inject({ method: 'POST', url: '/auth/vendor', payload: { clientId: credential.clientId, secret: 'nope' } });
      const unknown = await t.app.inject({ method: 'POST', url: '/auth/vendor', payload: { clientId: 'nobody', secret: credential.secret } });
      for (const res of [wrong, unknown]) {
        expect(res.statusCode).toBe(401);
        expect(res.json()).toMatchObject({ code: 'unauthorized', message: 'Invalid clientId or secret' });
      }
    });

    it('validates the exchange body and names the field', async () => {
      const res = await t.app.inject({ method: 'POST', url: '/auth/vendor', payload: { clientId: 'x' } });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'validation_failed', field: 'secret' });
      const bad = await t.app.inject({ method: 'POST', url: '/auth/vendor', headers: { 'content-type': 'application/json' }, payload: '{"clientId":' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().code).toBe('invalid_json');
    });

    it.each(ROUTES)('%s %s answers 401 without a valid token', async (method, url) => {
      for (const authorization of [undefined, 'Bearer rc_env_nottherealtoken', 'Basic abc', 'Bearer ']) {
        const res = await t.app.inject({ method: method as 'GET', url, headers: authorization ? { authorization } : {}, payload: method === 'GET' || method === 'DELETE' ? undefined : {} });
        expect(res.statusCode).toBe(401);
        expect(res.json().code).toBe('unauthorized');
      }
    });

    it('refuses an expired token', async () => {
      const credential = await t.app.services.auth.createCredential('expiry');
      const { token } = (await t.app.inject({ method: 'POST', url: '/auth/vendor', payload: credential })).json();
      await t.db.kysely.updateTable('environment_tokens').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).execute();
      const res = await t.app.inject({ url: '/tenants/resources/tenants/v1', headers: { authorization: `Bearer ${token}` } });
      expect(res.statusCode).toBe(401);
      expect(res.json().message).toMatch(/expired/);
      expect(await t.app.services.auth.pruneExpiredTokens()).toBeGreaterThan(0);
    });

    it('registers a configured credential and re-keys it when the secret changes', async () => {
      const secret1 = 'a-configured-secret-of-length-32!';
      await t.app.services.auth.registerCredential('ci-bot', secret1);
      await t.app.services.auth.registerCredential('ci-bot', secret1);
      const ok = await t.app.inject({ method: 'POST', url: '/auth/vendor', payload: { clientId: 'ci-bot', secret: secret1 } });
      expect(ok.statusCode).toBe(200);
      await t.app.services.auth.registerCredential('ci-bot', 'another-configured-secret-32chars');
      const old = await t.app.inject({ method: 'POST', url: '/auth/vendor', payload: { clientId: 'ci-bot', secret: secret1 } });
      expect(old.statusCode).toBe(401);
      const oldToken = await t.app.inject({ url: '/tenants/resources/tenants/v1', headers: { authorization: `Bearer ${ok.json().token}` } });
      expect(oldToken.statusCode).toBe(401);
    });

    it('creates the first-start credential once only', async () => {
      // This database already has credentials, so nothing is generated.
      expect(await t.app.services.auth.bootstrapFirstCredential()).toBeUndefined();
    });
  });
}
