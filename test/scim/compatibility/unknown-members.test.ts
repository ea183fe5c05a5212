/**
 * The `unknownMembers` switch: a group write naming a member id that is no user or group of the
 * connection is 400 invalidValue with nothing applied by default; with `ignore` it goes ahead
 * without those ids (POST, PUT, PATCH, Bulk), and events name only the members really added.
 */
import { describe, expect, it } from 'vitest';
import { eventsOf } from '../../directory/support.js';
import { dialectsUnderTest } from '../../support/databases.js';
import { createConnection, createTenant } from '../../support/fixtures.js';
import { GROUP_URN, patchOp, scimClient, type ScimClient } from '../../support/scim-requests.js';
import { useTestApp, type TestApp } from '../../support/test-app.js';
import { setSwitches } from './support.js';

const UNKNOWN = '6f1c9a52-0000-4000-8000-00000000dead';

async function setUp(t: TestApp, tenantId: string): Promise<{ id: string; client: ScimClient; users: string[]; foreignUser: string }> {
  await createTenant(t, tenantId);
  const connection = await createConnection(t, tenantId, 'okta');
  const client = scimClient(t, connection);
  const users: string[] = [];
  for (let i = 0; i < 3; i++) users.push((await client.createUser({ userName: `m${i}@${tenantId}.com` })).id);
  // A user of another connection of the same tenant is no member this connection can name.
  const sibling = scimClient(t, await createConnection(t, tenantId, 'okta'));
  const foreignUser = (await sibling.createUser({ userName: `sibling@${tenantId}.com` })).id;
  return { id: connection.id, client, users, foreignUser };
}

const members = async (client: ScimClient, groupId: string) =>
  (((await client.get(`/Groups/${groupId}`)).json().members ?? []) as { value: string }[]).map((m) => m.value).sort();

describe.each(dialectsUnderTest())('unknown member ids in group writes (%s)', (dialect) => {
  const t = useTestApp(dialect);

  it('refuses them by default, applying nothing of the request', async () => {
    const { client, users, foreignUser } = await setUp(t, 'um-reject');
    const group = await client.createGroup({ displayName: 'Strict', members: [{ value: users[0] }] });
    for (const value of [UNKNOWN, foreignUser]) {
      const res = await client.patch(`/Groups/${group.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: users[1] }, { value }] }));
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json()).toMatchObject({ scimType: 'invalidValue' });
      expect(res.json().detail).toContain(value);
    }
    expect(await members(client, group.id)).toEqual([users[0]]);
    const created = await client.post('/Groups', { schemas: [GROUP_URN], displayName: 'Never', members: [{ value: UNKNOWN }] });
    expect(created.statusCode).toBe(400);
    const put = await client.put(`/Groups/${group.id}`, { schemas: [GROUP_URN], displayName: 'Strict', members: [{ value: users[2] }, { value: UNKNOWN }] });
    expect(put.statusCode).toBe(400);
    expect(await members(client, group.id)).toEqual([users[0]]);
  });

  it('leaves them out when set to ignore: PATCH (each way it is written), POST, PUT and Bulk', async () => {
    const { id, client, users, foreignUser } = await setUp(t, 'um-ignore');
    await setSwitches(t, id, { unknownMembers: 'ignore' });
    const created = await client.post('/Groups', { schemas: [GROUP_URN], displayName: 'Lenient', members: [{ value: users[0] }, { value: UNKNOWN }] });
    expect(created.statusCode, created.body).toBe(201);
    const groupId = created.json().id as string;
    expect(await members(client, groupId)).toEqual([users[0]]);

    // Members only (PostgreSQL: one statement, which finds the unknown id and hands over to the next way).
    const onlyMembers = await client.patch(`/Groups/${groupId}`, patchOp({ op: 'add', path: 'members', value: [{ value: users[1] }, { value: foreignUser }] }));
    expect(onlyMembers.statusCode, onlyMembers.body).toBe(204);
    expect(await members(client, groupId)).toEqual([users[0], users[1]].sort());
    // Members and a rename.
    const withRename = await client.patch(`/Groups/${groupId}`, patchOp({ op: 'replace', value: { displayName: 'Lenient 2' } }, { op: 'add', path: 'members', value: [{ value: UNKNOWN }, { value: users[2] }] }));
    expect(withRename.statusCode, withRename.body).toBe(204);
    expect(await members(client, groupId)).toEqual([...users].sort());
    // Only unknown ids: nothing to do, still a success.
    const onlyUnknown = await client.patch(`/Groups/${groupId}`, patchOp({ op: 'add', path: 'members', value: [{ value: UNKNOWN }] }));
    expect(onlyUnknown.statusCode).toBe(204);
    // Replace.
    const replaced = await client.patch(`/Groups/${groupId}`, patchOp({ op: 'replace', path: 'members', value: [{ value: users[0] }, { value: UNKNOWN }] }));
    expect(replaced.statusCode).toBe(204);
    expect(await members(client, groupId)).toEqual([users[0]]);

    const put = await client.put(`/Groups/${groupId}`, { schemas: [GROUP_URN], displayName: 'Lenient 3', members: [{ value: users[1] }, { value: UNKNOWN }] });
    expect(put.statusCode, put.body).toBe(200);
    expect(await members(client, groupId)).toEqual([users[1]]);

    const bulk = await client.post('/Bulk', {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
      Operations: [{ method: 'PATCH', path: `/Groups/${groupId}`, data: patchOp({ op: 'add', path: 'members', value: [{ value: users[2] }, { value: UNKNOWN }] }) }],
    });
    expect(bulk.statusCode, bulk.body).toBe(200);
    expect(bulk.json().Operations[0].status).toBe('200');
    expect(await members(client, groupId)).toEqual([users[1], users[2]].sort());
    // A group is still never its own member.
    const self = await client.patch(`/Groups/${groupId}`, patchOp({ op: 'add', path: 'members', value: [{ value: groupId }] }));
    expect(self.statusCode).toBe(400);
  });

  it('emits membership events for the members added, never for the ids left out', async () => {
    const { id, client, users } = await setUp(t, 'um-events');
    await setSwitches(t, id, { unknownMembers: 'ignore' });
    const group = await client.createGroup({ displayName: 'Evented' });
    await client.patch(`/Groups/${group.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: UNKNOWN }, { value: users[0] }] }));
    const events = await eventsOf(t, 'um-events', ['group.user_added'], (items) => items.length >= 1);
    expect(events).toHaveLength(1);
    expect(JSON.stringify(events)).not.toContain(UNKNOWN);
    expect(JSON.stringify(events)).toContain(users[0]);
  });
});
