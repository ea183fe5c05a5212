/**
 * Mapped values from SCIM to the app: typed `attributes` on directory users, events and the
 * preview's reasons; a value that does not convert is null with its reason while the provider's
 * request succeeds; the manager resolved to the provisioned user; `changedAttributes`; and
 * `?attributes.<key>=` lists, paged, per tenant.
 */
import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { dialectsUnderTest } from '../support/databases.js';
import { createConnection, createTenant } from '../support/fixtures.js';
import { patchOp, scimClient } from '../support/scim-requests.js';
import { useTestApp } from '../support/test-app.js';
import { ENTERPRISE, OKTA_CUSTOM, directoryUser, eventsOf, putMappings, setCatalogue } from './support.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';

describe.each(dialectsUnderTest())('mapped attribute values (%s)', (dialect) => {
  const t = useTestApp(dialect);
  beforeAll(async () => {
    await setCatalogue(t, {
      predefined: ['jobTitle', 'department', 'manager', 'workAddress', 'employeeNumber'],
      custom: [
        { key: 'seats', type: 'number' },
        { key: 'remote', type: 'boolean' },
        { key: 'startDate', type: 'date' },
        { key: 'regions', type: 'string[]' },
      ],
    });
  });

  /** A connection whose custom attributes read Okta's custom extension. */
  async function oktaConnection(tenantId: string) {
    await createTenant(t, tenantId);
    const connection = await createConnection(t, tenantId, 'okta');
    const mapped = await putMappings(t, connection.id, { seats: `${OKTA_CUSTOM}:seats`, remote: `${OKTA_CUSTOM}:remote`, startDate: `${OKTA_CUSTOM}:startDate`, regions: `${OKTA_CUSTOM}:regions` });
    expect(mapped.statusCode, mapped.body).toBe(200);
    return { connection, client: scimClient(t, connection) };
  }

  const person = (userName: string, extra: Record<string, unknown> = {}) => ({
    userName,
    schemas: [USER, ENTERPRISE, OKTA_CUSTOM],
    title: 'Engineer',
    addresses: [{ type: 'work', locality: 'Berlin', country: 'DE' }],
    [ENTERPRISE]: { department: 'R&D', employeeNumber: '0042' },
    [OKTA_CUSTOM]: { seats: '3', remote: 'True', startDate: '2026-03-01', regions: ['eu', 'us'] },
    ...extra,
  });

  it('gives directory users and their events typed values, and null with a reason where a value does not convert', async () => {
    const { connection, client } = await oktaConnection('val-types');
    const ann = await client.createUser(person('ann@acme.test'));
    const user = await directoryUser(t, ann.id);
    expect(user.attributes).toEqual({
      jobTitle: 'Engineer',
      department: 'R&D',
      manager: null,
      workAddress: { streetAddress: null, locality: 'Berlin', region: null, postalCode: null, country: 'DE', formatted: null },
      employeeNumber: '0042',
      seats: 3,
      remote: true,
      startDate: '2026-03-01',
      regions: ['eu', 'us'],
    });
    const [created] = await eventsOf(t, 'user.created', 'val-types');
    expect(created.data.attributes).toEqual(user.attributes);

    // The provider's request succeeds; the value is null and the reason shows for the connection.
    const bob = await client.createUser(person('bob@acme.test', { [OKTA_CUSTOM]: { seats: 'many', remote: 'maybe', startDate: '2026-02-30' } }));
    expect((await directoryUser(t, bob.id)).attributes).toMatchObject({ seats: null, remote: null, startDate: null, regions: null });
    const problems = (await t.app.inject({ url: `/api/v1/connections/${connection.id}/attribute-problems`, headers: { authorization: t.auth } })).json();
    expect(problems.items).toEqual([
      {
        userId: bob.id,
        userName: 'bob@acme.test',
        updatedAt: expect.any(String),
        problems: [
          { key: 'seats', reason: '"many" is not a number' },
          { key: 'remote', reason: '"maybe" is not true or false' },
          { key: 'startDate', reason: '"2026-02-30" is not a date (YYYY-MM-DD or an RFC 3339 date-time)' },
        ],
      },
    ]);
    const mappings = (await t.app.inject({ url: `/api/v1/connections/${connection.id}/attribute-mappings`, headers: { authorization: t.auth } })).json();
    expect(mappings.problemUsers).toBe(1);
    // The connection's health at a glance counts them too.
    const overview = (await t.app.inject({ url: '/api/v1/tenants/val-types/connections', headers: { authorization: t.auth } })).json();
    expect(overview.items.find((c: any) => c.id === connection.id).attributeProblemUsers).toBe(1);
    // Fixed by the provider: the problem goes.
    expect((await client.patch(`/Users/${bob.id}`, patchOp({ op: 'replace', path: `${OKTA_CUSTOM}:seats`, value: 2 }, { op: 'replace', path: `${OKTA_CUSTOM}:remote`, value: false }, { op: 'replace', path: `${OKTA_CUSTOM}:startDate`, value: '2026-02-28' }))).statusCode).toBe(200);
    expect((await t.app.inject({ url: `/api/v1/connections/${connection.id}/attribute-problems`, headers: { authorization: t.auth } })).json().items).toEqual([]);
  });

  it('resolves the manager to the provisioned user by SCIM id, externalId or userName', async () => {
    const { client } = await oktaConnection('val-manager');
    const boss = await client.createUser({ userName: 'boss@acme.test', externalId: 'okta-boss', displayName: 'The Boss' });
    const byId = await client.createUser(person('a@acme.test', { [ENTERPRISE]: { manager: { value: boss.id } } }));
    const byExternalId = await client.createUser(person('b@acme.test', { [ENTERPRISE]: { manager: { value: 'okta-boss' } } }));
    const byUserName = await client.createUser(person('c@acme.test', { [ENTERPRISE]: { manager: { value: 'BOSS@acme.test' } } }));
    const unknown = await client.createUser(person('d@acme.test', { [ENTERPRISE]: { manager: { value: 'nobody' } } }));
    const resolved = { id: boss.id, userName: 'boss@acme.test', displayName: 'The Boss' };
    expect((await directoryUser(t, byId.id)).attributes.manager).toEqual({ ...resolved, value: boss.id });
    expect((await directoryUser(t, byExternalId.id)).attributes.manager).toEqual({ ...resolved, value: 'okta-boss' });
    expect((await directoryUser(t, byUserName.id)).attributes.manager).toEqual({ ...resolved, value: 'BOSS@acme.test' });
    expect((await directoryUser(t, unknown.id)).attributes.manager).toEqual({ id: null, userName: null, displayName: null, value: 'nobody' });
    const created = (await eventsOf(t, 'user.created', 'val-manager')).find((e) => e.data.id === byExternalId.id)!;
    expect(created.data.attributes.manager).toEqual({ ...resolved, value: 'okta-boss' });
    // Entra ID sets the manager later, by PATCH of the enterprise manager.
    await client.patch(`/Users/${unknown.id}`, patchOp({ op: 'Add', path: 'manager', value: [{ value: boss.id }] }));
    const updated = (await eventsOf(t, 'user.updated', 'val-manager')).find((e) => e.data.id === unknown.id)!;
    expect(updated.data.attributes.manager).toEqual({ ...resolved, value: boss.id });
    expect(updated.data.changedAttributes).toContain('attributes.manager');
    // The last event of a user shows its manager as its others did.
    expect((await client.delete(`/Users/${byId.id}`)).statusCode).toBe(204);
    const deleted = (await eventsOf(t, 'user.deleted', 'val-manager')).find((e) => e.data.id === byId.id)!;
    expect(deleted.data.attributes.manager).toEqual({ ...resolved, value: boss.id });
  });

  it('names the mapped attributes that changed in user.updated', async () => {
    const { client } = await oktaConnection('val-changed');
    const ann = await client.createUser(person('ann@acme.test'));
    await client.patch(`/Users/${ann.id}`, patchOp({ op: 'replace', path: `${ENTERPRISE}:department`, value: 'Sales' }, { op: 'replace', path: 'nickName', value: 'Annie' }));
    const [updated] = await eventsOf(t, 'user.updated', 'val-changed');
    expect(updated.data.changedAttributes.sort()).toEqual([`${ENTERPRISE}:department`, 'attributes.department', 'nickName'].sort());
    expect(updated.data.attributes.department).toBe('Sales');
    // The index follows the new value, and a change that leaves the values alone keeps it.
    const byDepartment = async (value: string) =>
      (await t.app.inject({ url: `/api/v1/tenants/val-changed/users?attributes.department=${value}`, headers: { authorization: t.auth } })).json().items.map((u: any) => u.id);
    expect(await byDepartment('sales')).toEqual([ann.id]);
    expect(await byDepartment('R%26D')).toEqual([]);
    await client.patch(`/Users/${ann.id}`, patchOp({ op: 'replace', path: 'nickName', value: 'Ann' }));
    expect(await byDepartment('sales')).toEqual([ann.id]);
  });

  it('lists users by a mapped value, case-insensitively, paged without gaps, within the tenant only', async () => {
    const { client } = await oktaConnection('val-filter');
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const dept = i % 2 === 0 ? 'Engineering' : 'Sales';
      const user = await client.createUser(person(`u${i}@acme.test`, { [ENTERPRISE]: { department: dept }, [OKTA_CUSTOM]: { regions: i < 3 ? ['eu'] : ['us'], seats: String(i) } }));
      if (dept === 'Engineering') ids.push(user.id);
    }
    const other = await oktaConnection('val-filter-other');
    await other.client.createUser(person('x@other.test', { [ENTERPRISE]: { department: 'Engineering' } }));

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: LightMyRequestResponse = await t.app.inject({ url: `/api/v1/tenants/val-filter/users?attributes.department=engineering&limit=2${cursor ? `&cursor=${cursor}` : ''}`, headers: { authorization: t.auth } });
      expect(res.statusCode, res.body).toBe(200);
      seen.push(...res.json().items.map((u: any) => u.id));
      cursor = res.json().nextCursor;
    } while (cursor);
    expect(seen).toEqual(ids);

    const list = async (query: string) => {
      const res = await t.app.inject({ url: `/api/v1/tenants/val-filter/users?${query}`, headers: { authorization: t.auth } });
      expect(res.statusCode, res.body).toBe(200);
      return res.json().items.map((u: any) => u.userName);
    };
    expect(await list('attributes.department=Engineering&attributes.regions=EU')).toEqual(['u0@acme.test', 'u2@acme.test']);
    expect(await list('attributes.seats=4.0')).toEqual(['u4@acme.test']);
    expect(await list('attributes.department=Engineering&active=true&q=u6')).toEqual(['u6@acme.test']);
    expect(await list('attributes.department=Marketing')).toEqual([]);

    for (const [query, field] of [
      ['attributes.shoeSize=9', 'querystring.attributes.shoeSize'],
      ['attributes.workAddress=Berlin', 'querystring.attributes.workAddress'],
      ['attributes.seats=many', 'querystring.attributes.seats'],
    ]) {
      const res = await t.app.inject({ url: `/api/v1/tenants/val-filter/users?${query}`, headers: { authorization: t.auth } });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().field).toBe(field);
    }
  });
});
