/**
 * GET/PUT /api/v1/connections/{id}/compatibility: the switches' contract, each source preset's
 * defaults, validation, self-service permissions and tenant isolation, the audit entry, and that a
 * change reaches the connection's very next SCIM request.
 */
import { describe, expect, it } from 'vitest';
import { dialectsUnderTest } from '../../support/databases.js';
import { createConnection, createTenant } from '../../support/fixtures.js';
import { scimClient, q } from '../../support/scim-requests.js';
import { useTestApp } from '../../support/test-app.js';
import { READ, WRITE, bearer, mintToken, setSelfService, show } from '../../self-service/support.js';
import { compatibilityUrl, putSwitches, setSwitches } from './support.js';

const STRICT = { groupPatchResponse: '204', groupPatchMaxMembers: 1000, unquotedFilterValues: false, unknownMembers: 'reject', removedActive: 'inactive' };

describe.each(dialectsUnderTest())('compatibility switches API (%s)', (dialect) => {
  const t = useTestApp(dialect);

  it('answers every switch with its effective value and the preset defaults', async () => {
    await createTenant(t, 'compat-api');
    for (const source of ['okta', 'azure-ad', 'onelogin', 'jumpcloud', 'rippling', 'pingone']) {
      const { id } = await createConnection(t, 'compat-api', source);
      const res = await t.app.inject({ url: compatibilityUrl(id), headers: { authorization: t.auth } });
      expect(res.statusCode, show(res)).toBe(200);
      expect(res.json()).toEqual({ ...STRICT, defaults: STRICT });
    }
    // A generic SCIM client: 200 answers to Group PATCH and bare filter values.
    const other = await createConnection(t, 'compat-api', 'other');
    const res = await t.app.inject({ url: compatibilityUrl(other.id), headers: { authorization: t.auth } });
    const otherDefaults = { ...STRICT, groupPatchResponse: '200', unquotedFilterValues: true };
    expect(res.json()).toEqual({ ...otherDefaults, defaults: otherDefaults });
  });

  it('sets the switches named, keeps the others, and takes null as back to the default', async () => {
    await createTenant(t, 'compat-set');
    const { id } = await createConnection(t, 'compat-set', 'okta');
    const set = await setSwitches(t, id, { groupPatchResponse: '200', groupPatchMaxMembers: 50 });
    expect(set).toMatchObject({ ...STRICT, groupPatchResponse: '200', groupPatchMaxMembers: 50, defaults: STRICT });
    const second = await setSwitches(t, id, { unknownMembers: 'ignore', removedActive: 'active', unquotedFilterValues: true });
    expect(second).toMatchObject({ groupPatchResponse: '200', groupPatchMaxMembers: 50, unknownMembers: 'ignore', removedActive: 'active', unquotedFilterValues: true });
    // A GET's body sent back whole is accepted (its read-only defaults are ignored).
    const whole = (await t.app.inject({ url: compatibilityUrl(id), headers: { authorization: t.auth } })).json();
    expect(await setSwitches(t, id, { ...whole, groupPatchMaxMembers: 10 })).toMatchObject({ groupPatchMaxMembers: 10, unknownMembers: 'ignore' });
    const reset = await setSwitches(t, id, { groupPatchResponse: null, groupPatchMaxMembers: null, unknownMembers: null, removedActive: null, unquotedFilterValues: null });
    expect(reset).toEqual({ ...STRICT, defaults: STRICT });
  });

  it('refuses unknown switches, bad values and an empty body with 400, changing nothing', async () => {
    await createTenant(t, 'compat-bad');
    const { id } = await createConnection(t, 'compat-bad', 'okta');
    await setSwitches(t, id, { groupPatchResponse: '200' });
    for (const body of [
      {},
      { groupPatchResponse: 201 },
      { groupPatchResponse: '201' },
      { unknownMembers: 'drop' },
      { unquotedFilterValues: 'yes' },
      { removedActive: false },
      { groupPatchMaxMembers: -1 },
      { groupPatchMaxMembers: 10_001 },
      { groupPatchMaxMembers: 2.5 },
      { sortCaseSensitive: true },
      { groupPatchResponse: '204', nope: 1 },
    ]) {
      const res = await putSwitches(t, id, body);
      expect(res.statusCode, `${JSON.stringify(body)}: ${show(res)}`).toBe(400);
    }
    const malformed = await t.app.inject({ method: 'PUT', url: compatibilityUrl(id), headers: { authorization: t.auth, 'content-type': 'application/json' }, payload: '{"groupPatchResponse":' });
    expect(malformed.statusCode).toBe(400);
    const after = (await t.app.inject({ url: compatibilityUrl(id), headers: { authorization: t.auth } })).json();
    expect(after.groupPatchResponse).toBe('200');
    expect(after.unknownMembers).toBe('reject');
  });

  it('answers 404 for a connection that does not exist, and forgets the switches with the connection', async () => {
    const missing = await putSwitches(t, '00000000-0000-4000-8000-000000000000', { groupPatchResponse: '200' });
    expect(missing.statusCode).toBe(404);
    await createTenant(t, 'compat-gone');
    const { id } = await createConnection(t, 'compat-gone', 'okta');
    await setSwitches(t, id, { unknownMembers: 'ignore' });
    const deleted = await t.app.inject({ method: 'DELETE', url: `/directory/resources/v1/configurations/scim2/${id}`, headers: { authorization: t.auth } });
    expect(deleted.statusCode).toBe(204);
    expect((await t.app.inject({ url: compatibilityUrl(id), headers: { authorization: t.auth } })).statusCode).toBe(404);
    const rows = await t.db.kysely.withTables<{ connection_compatibility: { connection_id: string } }>().selectFrom('connection_compatibility').select('connection_id').where('connection_id', '=', id).execute();
    expect(rows).toEqual([]);
  });

  it('records each change in the audit log, in the same transaction', async () => {
    await createTenant(t, 'compat-audit');
    const { id } = await createConnection(t, 'compat-audit', 'okta');
    await setSwitches(t, id, { groupPatchResponse: '200' });
    const audit = await t.app.inject({ url: '/api/v1/audit?tenantId=compat-audit&action=connection.updated', headers: { authorization: t.auth } });
    expect(audit.statusCode, show(audit)).toBe(200);
    const entry = audit.json().items.find((e: any) => e.target.id === id && e.data.change === 'compatibility.updated');
    expect(entry).toMatchObject({ tenantId: 'compat-audit', actor: { type: 'credential' }, data: { set: { groupPatchResponse: '200' }, compatibility: { groupPatchResponse: '200', unknownMembers: 'reject' } } });
  });

  it('lets a customer admin read with the read permission and set with the write permission, in its own tenant only', async () => {
    await createTenant(t, 'compat-own');
    await createTenant(t, 'compat-other');
    const own = await createConnection(t, 'compat-own', 'okta');
    const foreign = await createConnection(t, 'compat-other', 'okta');
    await setSelfService(t, true);
    const reader = bearer(await mintToken(t, { tenantId: 'compat-own', permissions: [READ] }));
    const writer = bearer(await mintToken(t, { tenantId: 'compat-own', permissions: [READ, WRITE] }));
    const nobody = bearer(await mintToken(t, { tenantId: 'compat-own', permissions: [] }));

    expect((await t.app.inject({ url: compatibilityUrl(own.id), headers: reader })).statusCode).toBe(200);
    expect((await t.app.inject({ url: compatibilityUrl(own.id), headers: nobody })).statusCode).toBe(403);
    expect((await putSwitches(t, own.id, { unknownMembers: 'ignore' }, reader)).statusCode).toBe(403);
    const written = await putSwitches(t, own.id, { unknownMembers: 'ignore' }, writer);
    expect(written.statusCode, show(written)).toBe(200);
    expect(written.json().unknownMembers).toBe('ignore');
    // Another tenant's connection does not exist for this token, and nothing of it changes.
    expect((await t.app.inject({ url: compatibilityUrl(foreign.id), headers: writer })).statusCode).toBe(404);
    expect((await putSwitches(t, foreign.id, { unknownMembers: 'ignore' }, writer)).statusCode).toBe(404);
    expect((await putSwitches(t, own.id, { unknownMembers: 'ignore' }, { ...writer, 'frontegg-tenant-id': 'compat-other' })).statusCode).toBe(403);
    expect((await t.app.inject({ url: compatibilityUrl(foreign.id), headers: { authorization: t.auth } })).json().unknownMembers).toBe('reject');
    // The audit entry names the person who changed it.
    const audit = (await t.app.inject({ url: '/api/v1/audit?tenantId=compat-own', headers: { authorization: t.auth } })).json();
    expect(audit.items.find((e: any) => e.target.id === own.id && e.data.change === 'compatibility.updated').actor).toMatchObject({ type: 'user', tenantId: 'compat-own' });
    await setSelfService(t, false);
    expect((await t.app.inject({ url: compatibilityUrl(own.id), headers: reader })).statusCode).toBe(403);
  });

  it("takes effect on the connection's next SCIM request (its token was resolved and cached before)", async () => {
    await createTenant(t, 'compat-live');
    const connection = await createConnection(t, 'compat-live', 'okta');
    const client = scimClient(t, connection);
    await client.createUser({ userName: 'live@acme.com' });
    const bare = `/Users?filter=${q('userName eq live@acme.com')}`;
    expect((await client.get(bare)).statusCode).toBe(400);
    await setSwitches(t, connection.id, { unquotedFilterValues: true });
    const found = await client.get(bare);
    expect(found.statusCode, found.body).toBe(200);
    expect(found.json().totalResults).toBe(1);
    await setSwitches(t, connection.id, { unquotedFilterValues: null });
    expect((await client.get(bare)).statusCode).toBe(400);
  });
});
