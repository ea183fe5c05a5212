/**
 * Walks every route of the application — read from Fastify's route table, so a route added later is
 * walked too — with credentials that must not reach the victim's data: another tenant's or another
 * connection's SCIM token, a revoked or expired token, the environment token of another deployment,
 * another tenant's user token, a SCIM token on management routes and the reverse. Each answer is
 * 401, 403 or 404 and carries none of the victim's data; afterwards the victim's data is unchanged.
 * Unauthenticated routes are an explicit list: any other route answering without credentials fails.
 */
import { sql } from 'kysely';
import { hashToken } from '../../src/security/secrets.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { dialectsUnderTest } from '../support/databases.js';
import { createTenant } from '../support/fixtures.js';
import { GROUP_URN, SCIM_PATH, USER_URN, scimClient, type ScimClient } from '../support/scim-requests.js';
import { useTestApp, type TestApp } from '../support/test-app.js';
import { routeTable, type Route } from './route-table.js';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
type Method = (typeof METHODS)[number];

/** Routes that answer without credentials, and why. Anything else must refuse an anonymous caller. */
const PUBLIC: RegExp[] = [
  /^GET \/healthz$/, // liveness
  /^GET \/readyz$/, // readiness
  /^POST \/auth\/vendor$/, // exchanges a credential for a token
  /^GET \/docs(\/.*)?$/, // the OpenAPI document and its UI
  // Web UI sessions: they authenticate themselves (sign-in checks its credential, GET answers 401 without a
  // session, sign-out without one just clears the cookie); test/sessions covers them.
  /^(GET|POST|DELETE) \/ui\/(portal\/)?session$/,
  /^GET \/ui\/portal\/embedding$/, // FRAME_ANCESTORS, which every response's CSP header carries anyway
  // Google's redirect after an admin's consent: its single-use state names the connection, and an unknown
  // one is a 400 that changes nothing (test/google-workspace/access.test.ts).
  /^GET \/api\/v1\/google-workspace\/oauth\/callback$/,
  // The web UI's static pages and assets (src/web): the same files for everyone; the data they show comes
  // from the guarded API.
  /^GET \/$/,
  /^GET \/(dashboard|portal)(\/\*)?$/,
  /^GET \/assets\/:file$/,
];

const VICTIM = {
  tenant: 'victim-tenant',
  userName: 'victim.person@victim.test',
  title: 'victim-secret-title',
  group: 'Victim Group Name',
  connection: 'Victim Connection Name',
  webhook: 'https://victim-hooks.example.test/rollcall',
};
/** Text that must never appear in an answer to an outsider. */
const MARKERS = [VICTIM.userName, VICTIM.title, VICTIM.group, VICTIM.connection, VICTIM.webhook];

/** A credential under test: a name for messages and the Authorization header (or none). */
interface Credential {
  name: string;
  header?: string;
  /** A self-service user token: it may legitimately read and write its own tenant's data. */
  userToken?: boolean;
}

function isPublic(route: Route): boolean {
  return PUBLIC.some((p) => p.test(`${route.method} ${route.url}`));
}

const isScim = (route: Route) => route.url.startsWith(`${SCIM_PATH}/`);

/** Everything of the victim tenant, as stored: compared before and after the walk. */
async function victimState(t: TestApp): Promise<string> {
  const tables = ['connections', 'connection_tokens', 'scim_users', 'scim_groups', 'scim_group_members', 'webhooks', 'connection_ip_allowlists'];
  const out: Record<string, unknown> = {};
  for (const table of tables) {
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table)} where tenant_id = ${VICTIM.tenant}`.execute(t.db.kysely);
    // last_used_at moves when the victim's own token is used; everything else must stay put.
    out[table] = rows.map((r) => ({ ...r, last_used_at: undefined })).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  }
  return JSON.stringify(out);
}

for (const dialect of dialectsUnderTest()) {
  describe(`every route refuses other tenants' and connections' credentials [${dialect}]`, () => {
    const t = useTestApp(dialect);
    const elsewhere = useTestApp(dialect); // another Rollcall deployment (environment)
    let victim: ScimClient;
    let sibling: ScimClient; // the victim tenant's other connection
    let attacker: ScimClient; // another tenant's connection
    const ids: Record<string, string> = {};
    const credentials: Credential[] = [];

    const inject = (method: Method, url: string, header: string | undefined, extra: Record<string, string> = {}) =>
      t.app.inject({
        method,
        url,
        headers: { ...(header ? { authorization: header } : {}), ...extra },
        ...(method === 'GET' || method === 'DELETE' ? {} : { payload: {} }),
      });

    beforeAll(async () => {
      await createTenant(t, VICTIM.tenant);
      await createTenant(t, 'attacker-tenant');
      const connection = async (tenantId: string, name: string) => {
        const res = await t.app.inject({
          method: 'POST', url: '/directory/resources/v1/configurations/scim2', headers: { authorization: t.auth, 'frontegg-tenant-id': tenantId },
          payload: { source: 'okta', connectionName: name, syncToUserManagement: true },
        });
        return scimClient(t, res.json());
      };
      victim = await connection(VICTIM.tenant, VICTIM.connection);
      sibling = await connection(VICTIM.tenant, 'sibling');
      attacker = await connection('attacker-tenant', 'attacker');
      const user = await victim.createUser({ userName: VICTIM.userName, title: VICTIM.title, emails: [{ value: VICTIM.userName }] });
      const group = await victim.createGroup({ displayName: VICTIM.group, members: [{ value: user.id }] });
      ids.user = user.id;
      ids.group = group.id;
      ids.connection = victim.connectionId;
      await attacker.createUser({ userName: 'attacker@attacker.test' });
      const api = (method: Method, url: string, payload?: object) => t.app.inject({ method, url, headers: { authorization: t.auth }, ...(payload ? { payload } : {}) });
      ids.webhook = (await api('POST', '/api/v1/webhooks', { url: VICTIM.webhook, tenantId: VICTIM.tenant })).json().id;
      await api('PUT', `/api/v1/connections/${victim.connectionId}/ip-allowlist`, { ipAllowlist: ['127.0.0.0/8', '::1'] });
      // A revoked and an expired token of the victim's connection.
      const revoked = (await api('POST', `/api/v1/connections/${victim.connectionId}/tokens`, {})).json();
      ids.token = revoked.id;
      expect((await api('DELETE', `/api/v1/connections/${victim.connectionId}/tokens/${revoked.id}`)).statusCode).toBe(204);
      const expired = (await api('POST', `/api/v1/connections/${victim.connectionId}/tokens`, { expiresIn: 60 })).json();
      await t.db.kysely.updateTable('connection_tokens').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).where('id', '=', expired.id).execute();
      // An environment token that expired.
      const credential = await t.app.services.auth.createCredential('expiring');
      const old = (await t.app.inject({ method: 'POST', url: '/auth/vendor', payload: credential })).json().token;
      await t.db.kysely.updateTable('environment_tokens').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).where('token_hash', '=', hashToken(old)).execute();
      credentials.push(
        { name: 'no credentials' },
        { name: 'garbage', header: 'Bearer rc_env_notatoken' },
        { name: 'basic auth', header: 'Basic dmljdGltOnNlY3JldA==' },
        { name: "another tenant's SCIM token", header: `Bearer ${attacker.token}` },
        { name: "the victim tenant's other connection's SCIM token", header: `Bearer ${sibling.token}` },
        { name: 'a revoked token of the connection', header: `Bearer ${revoked.token}` },
        { name: 'an expired token of the connection', header: `Bearer ${expired.token}` },
        { name: 'an expired environment token', header: `Bearer ${old}` },
        { name: "another deployment's environment token", header: elsewhere.auth },
      );
      const minted = await t.app.inject({
        method: 'POST', url: '/api/v1/user-tokens', headers: { authorization: t.auth },
        payload: {
          tenantId: 'attacker-tenant', userId: 'mallory',
          permissions: ['fe.secure.read.provisioningConfiguration', 'fe.secure.write.provisioningConfiguration', 'fe.secure.delete.provisioningConfiguration'],
        },
      });
      if (minted.statusCode === 201) credentials.push({ name: "another tenant's user token", header: `Bearer ${minted.json().token}`, userToken: true });
    });

    /** The route's URL with the victim's ids in its parameters. */
    function fill(url: string): string {
      const scimId = url.includes('/Groups/') ? ids.group : ids.user;
      return url
        .replace(':connectionId', ids.connection)
        .replace(/\/(Users|Groups)\/:id/, `/$1/${scimId}`)
        .replace(':urn', USER_URN)
        .replace(':name', 'User')
        .replace(':tenantId', VICTIM.tenant)
        .replace(':groupId', ids.group)
        .replace(/\/api\/v1\/users\/:id/, `/api/v1/users/${ids.user}`)
        .replace(/\/api\/v1\/groups\/:id/, `/api/v1/groups/${ids.group}`)
        .replace(/\/api\/v1\/webhooks\/:id/, `/api/v1/webhooks/${ids.webhook}`)
        .replace(':tokenId', ids.token)
        .replace(':id', ids.connection)
        .replace(/:[A-Za-z]+/g, 'x')
        .replace('/*', '/x');
    }

    function routes(): { method: Method; url: string; route: Route }[] {
      return routeTable(t.app)
        .filter((r): r is Route & { method: Method } => (METHODS as readonly string[]).includes(r.method))
        .map((route) => ({ method: route.method, url: fill(route.url), route }));
    }

    /** Fails unless the answer is a refusal that shows nothing of the victim. */
    function expectRefused(res: { statusCode: number; body: string }, context: string, allowed = [401, 403, 404]) {
      expect(allowed, `${context} → ${res.statusCode} ${res.body.slice(0, 200)}`).toContain(res.statusCode);
      for (const marker of [...MARKERS, victim.token]) expect(res.body, `${context} leaks "${marker}"`).not.toContain(marker);
    }

    it('requires credentials on every route but an explicit few', async () => {
      const table = routes();
      expect(table.length).toBeGreaterThan(60);
      const open: string[] = [];
      for (const { method, url, route } of table) {
        if (isPublic(route)) continue;
        const res = await inject(method, url, undefined);
        if (res.statusCode !== 401) open.push(`${method} ${route.url} → ${res.statusCode}`);
      }
      expect(open, 'routes answering without credentials: add a guard, or list them in PUBLIC with a reason').toEqual([]);
    });

    it('refuses every SCIM route of the victim connection to every other credential', async () => {
      const before = await victimState(t);
      let checked = 0;
      for (const { method, url, route } of routes().filter((r) => isScim(r.route))) {
        for (const credential of [...credentials, { name: 'the environment token', header: t.auth }]) {
          const res = await inject(method, url, credential.header, { 'content-type': 'application/scim+json' });
          expectRefused(res, `${method} ${route.url} with ${credential.name}`, [401]);
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(300);
      expect(await victimState(t)).toBe(before);
    });

    it("shows a connection none of another connection's resources through its own URL", async () => {
      const before = await victimState(t);
      for (const { method, route } of routes().filter((r) => isScim(r.route))) {
        // The attacker's own URL and token, with the victim's ids in the path.
        const url = fill(route.url).replace(ids.connection, attacker.connectionId);
        const body =
          method === 'PATCH' ? { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'add', path: 'members', value: [{ value: ids.user }] }] }
          : method === 'PUT' ? { schemas: [url.includes('/Groups/') ? GROUP_URN : USER_URN], userName: 'taken', displayName: 'taken', members: [{ value: ids.user }] }
          : method === 'POST' ? { schemas: [GROUP_URN], displayName: 'Smuggler', members: [{ value: ids.user }] }
          : undefined;
        const res = await attacker.request({ method, path: url.slice(`${SCIM_PATH}/${attacker.connectionId}`.length), body });
        // /Me answers 501 by design (a SCIM token is a connection, not a person).
        expect(res.statusCode, `${method} ${route.url}`).toBeLessThan(route.url.includes('/Me') ? 502 : 500);
        for (const marker of [...MARKERS, ids.user, ids.group]) {
          // An error may repeat an id the caller sent (in the path or the body); nothing else of the victim.
          if (res.statusCode >= 400 && (marker === ids.user || marker === ids.group)) continue;
          expect(res.body, `${method} ${route.url} leaks ${marker}`).not.toContain(marker);
        }
        if (/\/(Users|Groups)\/:id$/.test(route.url)) expect(res.statusCode, `${method} ${route.url}`).toBe(404);
      }
      expect(await victimState(t)).toBe(before);
    });

    it('refuses every management route to every credential but an environment token of this deployment', async () => {
      const before = await victimState(t);
      let checked = 0;
      for (const { method, url, route } of routes().filter((r) => !isScim(r.route) && !isPublic(r.route))) {
        for (const credential of [...credentials, { name: "the victim's SCIM token", header: `Bearer ${victim.token}` }]) {
          const res = await inject(method, url, credential.header, { 'frontegg-tenant-id': VICTIM.tenant });
          const context = `${method} ${route.url} with ${credential.name}`;
          if (credential.userToken && res.statusCode < 300) {
            // A user token acts on its own tenant (the header is ignored): allowed, but nothing of the victim.
            for (const marker of [...MARKERS, ids.connection, ids.user, ids.group, ids.webhook]) expect(res.body, `${context} leaks ${marker}`).not.toContain(marker);
          } else expectRefused(res, context);
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(400);
      expect(await victimState(t)).toBe(before);
      // The victim's own token still works: the walk changed nothing for it.
      expect((await victim.get(`/Users/${ids.user}`)).statusCode).toBe(200);
    });
  });
}
