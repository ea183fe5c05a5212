/**
 * The environment token against a real server: exchanged lazily and once for concurrent calls, renewed
 * before it expires, exchanged again when the server refuses it, and a refused credential as a typed error.
 */
import { RollcallAuthenticationError, RollcallError } from '@rollcall/client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { dialectsUnderTest } from '../../../test/support/databases.js';
import { recordingFetch, useServer } from './support.js';

const TTL_SECONDS = 60; // the shortest ENV_TOKEN_TTL_SECONDS the server accepts

for (const dialect of dialectsUnderTest()) {
  describe(`environment token [${dialect}]`, () => {
    const server = useServer(dialect, { ENV_TOKEN_TTL_SECONDS: String(TTL_SECONDS) });
    afterEach(() => {
      vi.useRealTimers();
    });

    it('exchanges the credential on the first call only, once for concurrent calls, and keeps the token', async () => {
      const recorder = recordingFetch();
      const rollcall = server.client({ fetch: recorder.fetch });
      expect(recorder.requests).toHaveLength(0);
      await Promise.all(Array.from({ length: 5 }, () => rollcall.permissions.list()));
      expect(recorder.to('/auth/vendor')).toHaveLength(1);
      await rollcall.roles.list();
      await rollcall.settings.get();
      expect(recorder.to('/auth/vendor')).toHaveLength(1);
      expect(recorder.requests.every((r) => r.status === 200)).toBe(true);
    });

    it('renews the token shortly before it expires (10% of a 60-second lifetime), not earlier', async () => {
      // The app runs in this process: its clock moves with the client's, as a server's would.
      vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
      const recorder = recordingFetch();
      const rollcall = server.client({ fetch: recorder.fetch });
      await rollcall.permissions.list();
      vi.setSystemTime(Date.now() + 50_000);
      await rollcall.permissions.list();
      expect(recorder.to('/auth/vendor')).toHaveLength(1);
      vi.setSystemTime(Date.now() + 5_000); // 55 s in: under 6 s left
      await rollcall.permissions.list();
      expect(recorder.to('/auth/vendor')).toHaveLength(2);
      // The old token was still valid: no call was refused on the way.
      expect(recorder.requests.filter((r) => r.status === 401)).toEqual([]);
    });

    it('exchanges again and repeats the call when the server refuses a token it has revoked, a POST included', async () => {
      const recorder = recordingFetch();
      const rollcall = server.client({ fetch: recorder.fetch });
      await rollcall.permissions.list();
      await server.t.db.kysely.deleteFrom('environment_tokens').execute();
      const tenant = await rollcall.tenants.create({ tenantId: `revoked-${dialect}`, name: 'Revoked' });
      expect(tenant.tenantId).toBe(`revoked-${dialect}`);
      const creates = recorder.to('/tenants/resources/tenants/v1');
      expect(creates.map((r) => r.status)).toEqual([401, 201]);
      expect(recorder.to('/auth/vendor').map((r) => r.status)).toEqual([200, 200]);
      await rollcall.tenants.get(tenant.tenantId);
      expect(recorder.to('/auth/vendor')).toHaveLength(2);
    });

    it('re-exchanges once when many calls are refused together', async () => {
      const recorder = recordingFetch();
      const rollcall = server.client({ fetch: recorder.fetch });
      await rollcall.permissions.list();
      await server.t.db.kysely.deleteFrom('environment_tokens').execute();
      await Promise.all(Array.from({ length: 4 }, () => rollcall.roles.list()));
      expect(recorder.to('/auth/vendor')).toHaveLength(2);
      expect(recorder.to('/api/v1/roles').filter((r) => r.status === 200)).toHaveLength(4);
    });

    it('throws RollcallAuthenticationError for a refused credential, with the server’s code', async () => {
      const recorder = recordingFetch();
      const rollcall = server.client({ fetch: recorder.fetch, secret: 'wrong-secret' });
      const error = await rollcall.tenants.get('acme').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RollcallAuthenticationError);
      expect(error).toBeInstanceOf(RollcallError);
      expect(error).toMatchObject({ status: 401, code: 'unauthorized', name: 'RollcallAuthenticationError' });
      // A 401 from the exchange itself is not retried, and no API call was sent without a token.
      expect(recorder.requests.map((r) => r.url.pathname)).toEqual(['/auth/vendor']);
    });
  });
}
