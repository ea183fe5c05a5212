/**
 * The `removedActive` switch: `{"op":"remove","path":"active"}` leaves `active` unassigned
 * (RFC 7644 §3.5.2.2), which Rollcall reads as deactivated by default — in the SCIM resource, its
 * filters, the directory API and the events alike; a connection may read it as active instead.
 */
import { describe, expect, it } from 'vitest';
import { eventsOf, getJson } from '../../directory/support.js';
import { dialectsUnderTest } from '../../support/databases.js';
import { createConnection, createTenant } from '../../support/fixtures.js';
import { patchOp, q, scimClient, type ScimClient } from '../../support/scim-requests.js';
import { useTestApp, type TestApp } from '../../support/test-app.js';
import { setSwitches } from './support.js';

async function setUp(t: TestApp, tenantId: string): Promise<{ id: string; client: ScimClient; user: Record<string, any> }> {
  await createTenant(t, tenantId);
  const connection = await createConnection(t, tenantId, 'okta');
  const client = scimClient(t, connection);
  return { id: connection.id, client, user: await client.createUser({ userName: `ra@${tenantId}.com`, active: true }) };
}

describe.each(dialectsUnderTest())('removing active (%s)', (dialect) => {
  const t = useTestApp(dialect);

  it('deactivates the user by default, everywhere the app looks', async () => {
    const { client, user } = await setUp(t, 'ra-default');
    const res = await client.patch(`/Users/${user.id}`, patchOp({ op: 'remove', path: 'active' }));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().active).toBe(false);
    expect((await client.get(`/Users/${user.id}`)).json().active).toBe(false);
    const inactive = (await client.get(`/Users?filter=${q('active eq false')}`)).json();
    expect(inactive.Resources.map((u: { id: string }) => u.id)).toEqual([user.id]);
    const directory = await getJson(t, `/api/v1/users/${user.id}`);
    expect(directory.active).toBe(false);
    // The app hears of it as of any deactivation.
    const deactivated = await eventsOf(t, 'ra-default', ['user.deactivated'], (items) => items.length >= 1);
    expect(deactivated).toHaveLength(1);
    expect(deactivated[0].data).toMatchObject({ id: user.id, active: false });
  });

  it('keeps the user active when the connection reads a removed active so', async () => {
    const { id, client, user } = await setUp(t, 'ra-active');
    await setSwitches(t, id, { removedActive: 'active' });
    await client.patch(`/Users/${user.id}`, patchOp({ op: 'replace', path: 'active', value: false }));
    const res = await client.patch(`/Users/${user.id}`, patchOp({ op: 'remove', path: 'active' }));
    expect(res.statusCode).toBe(200);
    expect(res.json().active).toBe(true);
    expect((await getJson(t, `/api/v1/users/${user.id}`)).active).toBe(true);
  });

  it('changes nothing else: a PUT or POST without active still means active', async () => {
    const { client, user } = await setUp(t, 'ra-put');
    await client.patch(`/Users/${user.id}`, patchOp({ op: 'remove', path: 'active' }));
    const put = await client.put(`/Users/${user.id}`, { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: user.userName });
    expect(put.json().active).toBe(true);
    expect((await client.createUser({ userName: 'fresh@ra-put.com' })).active).toBe(true);
  });
});
