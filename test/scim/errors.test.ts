/**
 * SCIM errors (RFC 7644 §3.12): every failure is an Error body with the right status and, where
 * RFC 7644 names one, scimType; SCIM media types on every response; PATCH all-or-nothing; and a
 * seeded fuzz loop over routes, bodies, filters and headers that must never produce a 5xx.
 */
import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { dialectsUnderTest } from '../support/databases.js';
import { createTenant } from '../support/fixtures.js';
import { ENTERPRISE_URN, GROUP_URN, PATCH_OP, SCIM_PATH, USER_URN, newScimClient, patchOp, prng, q, type Prng, type ScimClient } from '../support/scim-requests.js';
import { useTestApp } from '../support/test-app.js';

const ERROR_URN = 'urn:ietf:params:scim:api:messages:2.0:Error';

/** Asserts an RFC 7644 §3.12 error response. */
function expectScimError(res: LightMyRequestResponse, status: number, scimType?: string): Record<string, unknown> {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/scim\+json/);
  const body = res.json();
  expect(body.schemas).toEqual([ERROR_URN]);
  expect(body.status).toBe(String(status));
  expect(typeof body.detail).toBe('string');
  if (scimType) expect(body.scimType).toBe(scimType);
  return body;
}

// ---- fuzz material -------------------------------------------------------------------------

const WORDS = ['userName', 'USERNAME', 'emails', 'members', 'name.givenName', 'active', 'displayName', 'meta.created', 'groups', 'x', '$ref',
  `${ENTERPRISE_URN}:department`, 'urn:okta:custom:1.0:User:level', 'id', 'schemas', 'not', 'and', 'pr', 'emails.primary', 'manager', '__proto__', 'constructor'];
const TOKENS = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'lt', 'ge', 'le', 'pr', 'and', 'or', 'not', '(', ')', '[', ']', '.', '"a"', '"é\\u0000"', '"\\"', '3', '-1e309',
  'true', 'null', '""', '"2026-01-01T00:00:00Z"', '"\\ud800"', ' ', '\t', '%', '"x', ':', ',', '{', '😀'];

function fuzzFilter(r: Prng): string {
  const parts: string[] = [];
  for (let n = 1 + r.int(10); n > 0; n--) parts.push(r.chance(0.4) ? r.pick(WORDS) : r.pick(TOKENS));
  if (r.chance(0.05)) return '('.repeat(200 + r.int(200)) + 'id pr' + ')'.repeat(r.int(400));
  if (r.chance(0.05)) return Array.from({ length: 300 }, (_, i) => `id eq "${i}"`).join(' or ');
  return parts.join(r.chance(0.8) ? ' ' : '');
}

function fuzzValue(r: Prng, depth = 0): unknown {
  switch (r.int(depth > 2 ? 6 : 9)) {
    case 0: return null;
    case 1: return r.pick([true, false, 0, -1, 1.5, 1e308, Number.MAX_SAFE_INTEGER + 2]);
    case 2: return r.pick(['', 'x', 'True', 'False', '2026-13-45T99:99:99Z', 'aGk=', '\u0000', '😀'.repeat(50), 'a'.repeat(5000), 'W/"1"']);
    case 3: return r.pick(WORDS);
    case 4: return fuzzFilter(r);
    case 5: return r.int(100);
    case 6: return Array.from({ length: r.int(4) }, () => fuzzValue(r, depth + 1));
    default: {
      const obj: Record<string, unknown> = {};
      for (let n = r.int(5); n > 0; n--) obj[r.pick([...WORDS, 'value', 'type', 'primary', 'op', 'path', 'Operations', 'schemas', 'members'])] = fuzzValue(r, depth + 1);
      return obj;
    }
  }
}

function fuzzBody(r: Prng, ids: string[]): string | undefined {
  switch (r.int(8)) {
    case 0: return undefined;
    case 1: return r.pick(['', '{', 'null', '[]', '"x"', '{"__proto__":{"a":1}}', '{"constructor":{"prototype":{"a":1}}}', '\u0000', '{"a":1}{"b":2}', 'NaN']);
    case 2: return JSON.stringify({ schemas: [USER_URN], userName: r.chance(0.5) ? `fuzz${r.int(50)}` : fuzzValue(r), ...(fuzzValue(r, 1) as object) });
    case 3:
    case 4: {
      const ops = Array.from({ length: r.int(4) }, () => ({
        op: r.pick(['add', 'Replace', 'remove', 'REMOVE', 'copy', 7]),
        ...(r.chance(0.8) ? { path: r.chance(0.5) ? r.pick(WORDS) : `${r.pick(['emails', 'members', 'addresses'])}[${fuzzFilter(r)}]${r.chance(0.3) ? '.value' : ''}` } : {}),
        ...(r.chance(0.8) ? { value: r.chance(0.3) ? [{ value: r.pick(ids) }] : fuzzValue(r) } : {}),
      }));
      return JSON.stringify({ schemas: r.chance(0.9) ? [PATCH_OP] : fuzzValue(r), Operations: r.chance(0.9) ? ops : fuzzValue(r) });
    }
    case 5: return JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], filter: fuzzFilter(r), startIndex: fuzzValue(r), count: fuzzValue(r), sortBy: fuzzValue(r), attributes: fuzzValue(r) });
    case 6: return JSON.stringify({ schemas: [GROUP_URN], displayName: fuzzValue(r), members: fuzzValue(r) });
    default: return JSON.stringify(fuzzValue(r));
  }
}

function fuzzPath(r: Prng, ids: string[]): string {
  const id = r.chance(0.7) ? r.pick(ids) : r.pick(['x', '..', '%2e%2e', 'a'.repeat(600), '%00', '😀', ' ', '%ZZ']);
  const path = r.pick([
    '/Users', '/Groups', `/Users/${id}`, `/Groups/${id}`, '/Users/.search', '/Groups/.search', '/ServiceProviderConfig', '/Schemas',
    `/Schemas/${r.pick([USER_URN, 'nope', id])}`, '/ResourceTypes', `/ResourceTypes/${r.pick(['User', 'group', id])}`, '/Me', '/Bulk', '/', '',
    `/Users/${id}/extra`, '/users', '/Users/', `/${id}`,
  ]);
  const params: string[] = [];
  if (r.chance(0.5)) params.push(`filter=${q(fuzzFilter(r))}`);
  if (r.chance(0.2)) params.push(`startIndex=${r.pick(['0', '-1', '1e9', 'x', '99999999999999999999', ''])}`);
  if (r.chance(0.2)) params.push(`count=${r.pick(['0', '-1', '1000000', 'x', '1.5', ''])}`);
  if (r.chance(0.2)) params.push(`sortBy=${q(r.pick([...WORDS, fuzzFilter(r)]))}`);
  if (r.chance(0.1)) params.push(`sortOrder=${r.pick(['ascending', 'DESCENDING', 'x'])}`);
  if (r.chance(0.2)) params.push(`${r.pick(['attributes', 'excludedAttributes'])}=${q(r.pick([...WORDS, 'a,,b', 'emails[type eq "x"]', fuzzFilter(r)]))}`);
  if (r.chance(0.05)) params.push(`filter=${q(fuzzFilter(r))}`);
  return params.length > 0 ? `${path}?${params.join('&')}` : path;
}

function fuzzHeaders(r: Prng, token: string): Record<string, string> {
  const headers: Record<string, string> = {};
  const auth = r.int(20);
  headers.authorization = auth === 0 ? 'Bearer rc_scim_nope' : auth === 1 ? 'Basic Zm9vOmJhcg==' : auth === 2 ? 'Bearer' : `Bearer ${token}`;
  if (r.chance(0.7)) headers['content-type'] = r.pick(['application/scim+json', 'application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', '']);
  if (r.chance(0.2)) headers['if-match'] = r.pick(['W/"1"', '*', '"garbage"', 'W/"99999999999999999999"', ',,,', '']);
  if (r.chance(0.1)) headers['if-none-match'] = r.pick(['W/"1"', '*', 'x']);
  if (r.chance(0.1)) headers.prefer = r.pick(['return=minimal', 'return=representation', 'x']);
  if (r.chance(0.05)) headers.accept = r.pick(['application/xml', '*/*', 'text/html']);
  return headers;
}

for (const dialect of dialectsUnderTest()) {
  describe(`SCIM errors and robustness [${dialect}]`, () => {
    const t = useTestApp(dialect);
    let client: ScimClient;
    let userId: string;
    let groupId: string;

    beforeAll(async () => {
      await createTenant(t, 'errs');
      client = await newScimClient(t, 'errs');
      userId = (await client.createUser({ userName: 'err.user', emails: [{ value: 'e@x.test', type: 'work' }] })).id;
      groupId = (await client.createGroup({ displayName: 'Err group', members: [{ value: userId }] })).id;
    });

    it('answers malformed JSON with 400 invalidSyntax', async () => {
      for (const [method, path] of [['POST', '/Users'], ['PUT', `/Users/${userId}`], ['PATCH', `/Users/${userId}`], ['POST', '/Groups'], ['POST', '/Users/.search']] as const) {
        for (const body of ['{"userName":', '{userName: "x"}', "{'a':1}", '{"a":1}}', '\u0000']) {
          expectScimError(await client.request({ method, path, body }), 400, 'invalidSyntax');
        }
      }
      // Prototype-poisoning keys are refused the same way.
      expectScimError(await client.request({ method: 'POST', path: '/Users', body: '{"userName":"p","__proto__":{"admin":true}}' }), 400, 'invalidSyntax');
      // JSON that is not an object.
      for (const body of ['[]', '"x"', '42', 'null']) expect((await client.request({ method: 'POST', path: '/Users', body })).statusCode).toBe(400);
    });

    it('answers an oversized body with a 413 SCIM error', async () => {
      const huge = JSON.stringify({ schemas: [USER_URN], userName: 'big', title: 'x'.repeat(1_100_000) });
      expectScimError(await client.request({ method: 'POST', path: '/Users', body: huge }), 413);
      expectScimError(await client.request({ method: 'PATCH', path: `/Users/${userId}`, body: huge }), 413);
      expect((await client.get(`/Users?filter=${q('userName eq "big"')}`)).json().totalResults).toBe(0);
    });

    it('answers a missing or wrong token with 401, WWW-Authenticate and a SCIM body', async () => {
      const other = await newScimClient(t, 'errs');
      const url = `${SCIM_PATH}/${client.connectionId}/Users`;
      const cases: Record<string, string | undefined>[] = [
        {},
        { authorization: '' },
        { authorization: 'Bearer' },
        { authorization: 'Bearer rc_scim_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
        { authorization: `Basic ${Buffer.from(`x:${client.token}`).toString('base64')}` },
        { authorization: `Bearer ${other.token}` },
        { authorization: `Bearer ${client.token}x` },
        { authorization: t.auth },
      ];
      for (const headers of cases) {
        const res = await t.app.inject({ method: 'GET', url, headers: headers as Record<string, string> });
        expectScimError(res, 401);
        expect(res.headers['www-authenticate']).toMatch(/^Bearer /);
      }
      // Whatever the route, method or connection id.
      for (const path of [`${SCIM_PATH}/${client.connectionId}/ServiceProviderConfig`, `${SCIM_PATH}/${client.connectionId}/Nope`, `${SCIM_PATH}/no-such-connection/Users`, `${SCIM_PATH}/${client.connectionId}/Me`]) {
        const res = await t.app.inject({ method: 'POST', url: path, headers: { 'content-type': 'application/scim+json' }, payload: '{}' });
        expectScimError(res, 401);
        expect(res.headers['www-authenticate']).toBeDefined();
      }
      // The right token still works, and the token of another connection on its own URL too.
      expect((await client.get('/Users')).statusCode).toBe(200);
      expect((await other.get('/Users')).statusCode).toBe(200);
    });

    it('answers /Me with 501, unknown paths with 404 and writes to discovery with 405, all as SCIM errors', async () => {
      for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const) {
        expectScimError(await client.request({ method, path: '/Me', ...(method === 'GET' || method === 'DELETE' ? {} : { body: {} }) }), 501);
      }
      expectScimError(await client.get('/Me/x'), 501);
      for (const path of ['/Nope', '/Users/x/y', '/Groups/.nope', '/v2/Users', '/Bulkz']) expectScimError(await client.get(path), 404);
      expectScimError(await client.get('/Users/00000000-0000-0000-0000-000000000000'), 404);
      expectScimError(await client.get('/Groups/not-a-group'), 404);
      expectScimError(await client.get('/Schemas/urn:nope'), 404);
      expectScimError(await client.get('/ResourceTypes/Nope'), 404);
      for (const path of ['/ServiceProviderConfig', '/Schemas', '/ResourceTypes', `/Schemas/${USER_URN}`, '/ResourceTypes/User']) {
        for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'] as const) {
          expectScimError(await client.request({ method, path, ...(method === 'DELETE' ? {} : { body: {} }) }), 405);
        }
      }
      // The ids of one resource type are not found under the other.
      expectScimError(await client.get(`/Groups/${userId}`), 404);
      expectScimError(await client.get(`/Users/${groupId}`), 404);
    });

    it('sends application/scim+json on every response with a body, errors included', async () => {
      const requests = [
        client.get('/Users'), client.get(`/Users/${userId}`), client.get('/ServiceProviderConfig'), client.get('/Schemas'), client.get('/ResourceTypes'),
        client.get(`/Schemas/${USER_URN}`), client.get('/ResourceTypes/Group'), client.post('/Users/.search', {}), client.get('/Groups'),
        client.get('/Nope'), client.get('/Me'), client.get(`/Users?filter=${q('bad filter')}`), client.post('/Users', '{'),
        client.post('/ServiceProviderConfig', {}), client.post('/Users', { schemas: [USER_URN], userName: 'err.user' }),
        client.put(`/Users/${userId}`, { schemas: [USER_URN], userName: 'err.user' }, { 'if-match': 'W/"999"' }),
        t.app.inject({ url: `${SCIM_PATH}/${client.connectionId}/Users` }),
      ];
      for (const res of await Promise.all(requests)) {
        expect(res.headers['content-type'], `${res.statusCode} ${res.body.slice(0, 80)}`).toMatch(/^application\/scim\+json/);
        expect(() => res.json()).not.toThrow();
      }
    });

    // Known bug, not fixable from src/scim: Fastify's router answers a malformed percent-encoding
    // (FST_ERR_BAD_URL) and a path segment longer than maxParamLength (FST_ERR_MAX_PARAM_LENGTH)
    // itself, as application/json in neither the SCIM nor the management shape, before the SCIM
    // auth hook or error handler run. The fix is a `frameworkErrors` option in buildApp (src/app.ts)
    // that hands those errors to errorHandler. When it lands this test fails: remove `.fails`.
    it('answers a malformed or overlong URL with a SCIM error', async () => {
      for (const path of ['/Users/%ZZ', '/Groups/%E0%A4%A', `/Users/${'a'.repeat(600)}`]) {
        const res = await client.get(path);
        expect(res.statusCode).toBeLessThan(500);
        expectScimError(res, res.statusCode);
      }
    });

    it('refuses the NUL character (PostgreSQL cannot hold it) with a 4xx, never a 500', async () => {
      expectScimError(await client.get('/Users/%00'), 404);
      expectScimError(await client.get(`/Groups/a%00b`), 404);
      expectScimError(await client.delete('/Users/%00'), 404);
      for (const filter of ['userName eq "\u0000"', 'urn:okta:custom:1.0:User:a co "x\u0000"', `members[value eq "\u0000"]`]) {
        expectScimError(await client.get(`/Users?filter=${q(filter)}`), 400, 'invalidFilter');
      }
      for (const body of [{ userName: 'nul\u0000' }, { userName: 'nul.ok', title: 'a\u0000b' }, { userName: 'nul.ok', 'urn:okta:custom:1.0:User': { 'k\u0000': 1 } }]) {
        expectScimError(await client.post('/Users', { schemas: [USER_URN], ...body }), 400, 'invalidValue');
      }
      expectScimError(await client.post('/Groups', { schemas: [GROUP_URN], displayName: 'nul group', members: [{ value: '\u0000' }] }), 400, 'invalidValue');
      const before = (await client.get(`/Users/${userId}`)).json();
      expectScimError(await client.patch(`/Users/${userId}`, patchOp({ op: 'replace', path: 'title', value: '\u0000' })), 400, 'invalidValue');
      // Removing a member that cannot exist is the no-op that removing any non-member is.
      const groupBefore = (await client.get(`/Groups/${groupId}`)).json();
      expect((await client.patch(`/Groups/${groupId}`, patchOp({ op: 'remove', path: 'members', value: [{ value: '\u0000' }] }))).statusCode).toBe(204);
      expect((await client.get(`/Groups/${groupId}`)).json()).toEqual(groupBefore);
      expect((await client.get(`/Users/${userId}`)).json()).toEqual(before);
      expect((await client.get(`/Users?filter=${q('userName sw "nul"')}`)).json().totalResults).toBe(0);
    });

    // Known bug, outside src/scim: the SCIM auth hook passes the connection id of the URL to
    // ConnectionService.authenticateScim unchecked, and PostgreSQL fails on the NUL in it (500).
    // The fix is to treat such an id as unknown (401) in src/connections. Remove `.fails` then.
    it('answers a NUL in the connection id with 401', async () => {
      const res = await t.app.inject({ url: `${SCIM_PATH}/%00/Users`, headers: { authorization: `Bearer ${client.token}` } });
      expectScimError(res, 401);
    });

    it('accepts application/json, a charset, and no Content-Type at all', async () => {
      const send = (name: string, contentType: string | undefined) =>
        t.app.inject({
          method: 'POST',
          url: `${SCIM_PATH}/${client.connectionId}/Users`,
          headers: { authorization: `Bearer ${client.token}`, ...(contentType ? { 'content-type': contentType } : {}) },
          payload: Buffer.from(JSON.stringify({ schemas: [USER_URN], userName: name })),
        });
      for (const [name, type] of [['ct.json', 'application/json'], ['ct.scim', 'application/scim+json; charset=utf-8'], ['ct.json8', 'application/json;charset=UTF-8'], ['ct.none', undefined]] as const) {
        const res = await send(name, type);
        expect(res.statusCode, `${type}: ${res.body}`).toBe(201);
        expect(res.json().userName).toBe(name);
        expect(res.headers['content-type']).toMatch(/^application\/scim\+json/);
      }
      // A DELETE sent with a Content-Type and no body (some IdPs do) is fine.
      const doomed = await client.createUser({ userName: 'ct.delete' });
      expect((await client.delete(`/Users/${doomed.id}`, { 'content-type': 'application/scim+json' })).statusCode).toBe(204);
    });

    it('applies nothing of a PATCH whose later operation fails', async () => {
      const before = await client.get(`/Users/${userId}`);
      const failing = [
        [{ op: 'replace', path: 'displayName', value: 'Half' }, { op: 'replace', path: 'active', value: 'not-a-boolean' }],
        [{ op: 'add', path: 'title', value: 'Half' }, { op: 'replace', path: 'name', value: 'a flat string' }],
        [{ op: 'replace', path: 'userName', value: 'half.user' }, { op: 'add', path: 'emails[type eq "work"', value: 'x' }],
        [{ op: 'remove', path: 'emails' }, { op: 'add', path: 'id', value: 'new-id' }],
        [{ op: 'add', path: 'nickName', value: 'Half' }, { op: 'frobnicate', path: 'title', value: 'x' }],
        [{ op: 'replace', path: 'displayName', value: 'Half' }, { op: 'add', path: 'groups', value: [{ value: 'g-1' }] }],
      ];
      for (const ops of failing) {
        const res = await client.patch(`/Users/${userId}`, patchOp(...ops));
        expect(res.statusCode, JSON.stringify(ops)).toBe(400);
        expectScimError(res, 400);
        const after = await client.get(`/Users/${userId}`);
        expect(after.json()).toEqual(before.json());
        expect(after.headers.etag).toBe(before.headers.etag);
      }
      expect((await client.get(`/Users?filter=${q('userName eq "half.user" or displayName eq "Half" or title eq "Half"')}`)).json().totalResults).toBe(0);

      // Groups: members added by the first operation are not kept when the second fails.
      const other = await client.createUser({ userName: 'err.other' });
      const groupBefore = (await client.get(`/Groups/${groupId}`)).json();
      const res = await client.patch(`/Groups/${groupId}`, patchOp(
        { op: 'add', path: 'members', value: [{ value: other.id }] },
        { op: 'replace', path: 'displayName', value: 'Half group' },
        { op: 'add', path: 'members', value: [{ value: 'no-such-member' }] },
      ));
      expectScimError(res, 400, 'invalidValue');
      expect((await client.get(`/Groups/${groupId}`)).json()).toEqual(groupBefore);
      expect((await client.get(`/Users/${other.id}`)).json()).not.toHaveProperty('groups');
    });

    it('never answers 5xx to random requests (seeded fuzz, a few seconds)', async () => {
      const r = prng(Number(process.env.FUZZ_SEED ?? 7644));
      const ids = [userId, groupId, 'nope'];
      const deadline = Date.now() + 4000;
      const statuses = new Map<number, number>();
      let requests = 0;
      while (Date.now() < deadline && requests < 3000) {
        const method = r.pick(['GET', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const);
        const url = `${SCIM_PATH}/${r.chance(0.97) ? client.connectionId : r.pick(['x', '%20', 'no-such-connection'])}${fuzzPath(r, ids)}`;
        const payload = method === 'GET' || method === 'HEAD' ? undefined : fuzzBody(r, ids);
        const headers = fuzzHeaders(r, client.token);
        const res = await t.app.inject({ method, url, headers, ...(payload !== undefined ? { payload } : {}) });
        requests++;
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        const context = `${method} ${url.slice(0, 300)}\n${JSON.stringify(headers)}\n${payload?.slice(0, 500)}\n→ ${res.statusCode} ${res.body.slice(0, 300)}`;
        // 501 is /Me's documented answer; any other 5xx is a server bug.
        if (!(res.statusCode === 501 && /\/Me(?:[/?]|$)/.test(url))) expect(res.statusCode, context).toBeLessThan(500);
        if (res.statusCode >= 400 && method !== 'HEAD') {
          expect(res.headers['content-type'], context).toMatch(/^application\/scim\+json/);
          expect(res.json().schemas, context).toEqual([ERROR_URN]);
        }
        // Created resources stay few: delete them so uniqueness keeps some POSTs succeeding.
        if (res.statusCode === 201) await client.delete(new URL(res.json().meta.location).pathname.split(client.connectionId)[1]);
      }
      expect(requests).toBeGreaterThan(200);
      // The fuzz reached the server's logic, not only its error paths.
      expect([...statuses.keys()].filter((s) => s < 300).length).toBeGreaterThan(0);
      expect(statuses.get(400) ?? 0).toBeGreaterThan(20);
      // And the service still works.
      const after = await client.createUser({ userName: 'after.fuzz' });
      expect((await client.get(`/Users/${after.id}`)).statusCode).toBe(200);
      expect((await client.get('/ServiceProviderConfig')).statusCode).toBe(200);
    }, 60_000);
  });
}
