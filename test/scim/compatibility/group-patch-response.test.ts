/**
 * The `groupPatchResponse` switch: 204 by default; 200 with the group when set, without `members`
 * above `groupPatchMaxMembers`; `Prefer: return=minimal` and explicit attributes still decide. Each
 * PATCH shape PostgreSQL writes a different way (members only, members with a rename, replace) is
 * answered alike.
 */
import { describe, expect, it } from 'vitest';
import { dialectsUnderTest } from '../../support/databases.js';
import { createConnection, createTenant } from '../../support/fixtures.js';
import { patchOp, scimClient, type ScimClient } from '../../support/scim-requests.js';
import { useTestApp, type TestApp } from '../../support/test-app.js';
import { setSwitches } from './support.js';

async function connection(t: TestApp, tenantId: string, source = 'okta'): Promise<{ id: string; client: ScimClient; users: string[] }> {
  await createTenant(t, tenantId);
  const created = await createConnection(t, tenantId, source);
  const client = scimClient(t, created);
  const users: string[] = [];
  for (let i = 0; i < 5; i++) users.push((await client.createUser({ userName: `u${i}@${tenantId}.com` })).id);
  return { id: created.id, client, users };
}

const memberIds = (body: any) => ((body.members ?? []) as { value: string }[]).map((m) => m.value).sort();

describe.each(dialectsUnderTest())('Group PATCH answer (%s)', (dialect) => {
  const t = useTestApp(dialect);

  it('answers 204 without a body by default', async () => {
    const { client, users } = await connection(t, 'gpr-default');
    const group = await client.createGroup({ displayName: 'Default' });
    const res = await client.patch(`/Groups/${group.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: users[0] }] }));
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    expect(res.headers.etag).toBeDefined();
  });

  it('answers 200 with the group and its members when set, for every way a PATCH is written', async () => {
    const { id, client, users } = await connection(t, 'gpr-200');
    await setSwitches(t, id, { groupPatchResponse: '200' });
    const group = await client.createGroup({ displayName: 'Team' });

    const added = await client.patch(`/Groups/${group.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: users[0] }, { value: users[1] }] }));
    expect(added.statusCode, added.body).toBe(200);
    expect(added.json()).toMatchObject({ id: group.id, displayName: 'Team', schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'] });
    expect(memberIds(added.json())).toEqual([users[0], users[1]].sort());
    expect(added.headers.etag).toBe(`W/"${added.json().meta.version.replace(/^W\/"|"$/g, '')}"`);

    const renamed = await client.patch(`/Groups/${group.id}`, patchOp({ op: 'replace', value: { displayName: 'Team 2' } }, { op: 'remove', path: 'members', value: [{ value: users[0] }] }));
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json().displayName).toBe('Team 2');
    expect(memberIds(renamed.json())).toEqual([users[1]]);

    const replaced = await client.patch(`/Groups/${group.id}`, patchOp({ op: 'replace', path: 'members', value: [{ value: users[2] }, { value: users[3] }] }));
    expect(replaced.statusCode).toBe(200);
    expect(memberIds(replaced.json())).toEqual([users[2], users[3]].sort());
    // The answer is what a GET shows.
    const read = (await client.get(`/Groups/${group.id}`)).json();
    expect(replaced.json()).toEqual(read);
  });

  it('leaves members out of the answer above groupPatchMaxMembers, and still applies the change', async () => {
    const { id, client, users } = await connection(t, 'gpr-max');
    await setSwitches(t, id, { groupPatchResponse: '200', groupPatchMaxMembers: 3 });
    const group = await client.createGroup({ displayName: 'Big', members: users.slice(0, 3).map((value) => ({ value })) });
    const atLimit = await client.patch(`/Groups/${group.id}`, patchOp({ op: 'replace', value: { displayName: 'Big 1' } }));
    expect(atLimit.statusCode).toBe(200);
    expect(memberIds(atLimit.json())).toHaveLength(3);
    const over = await client.patch(`/Groups/${group.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: users[3] }] }));
    expect(over.statusCode).toBe(200);
    expect(over.json()).not.toHaveProperty('members');
    expect(over.json()).toMatchObject({ id: group.id, displayName: 'Big 1' });
    expect(memberIds((await client.get(`/Groups/${group.id}`)).json())).toHaveLength(4);
    // 0: never a member list.
    await setSwitches(t, id, { groupPatchMaxMembers: 0 });
    const none = await client.patch(`/Groups/${group.id}`, patchOp({ op: 'remove', path: 'members', value: [{ value: users[3] }] }));
    expect(none.statusCode).toBe(200);
    expect(none.json()).not.toHaveProperty('members');
  });

  it('still answers 204 to Prefer: return=minimal, and what the request asks for either way', async () => {
    const { id, client, users } = await connection(t, 'gpr-prefer');
    await setSwitches(t, id, { groupPatchResponse: '200' });
    const group = await client.createGroup({ displayName: 'Prefer' });
    const minimal = await client.patch(`/Groups/${group.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: users[0] }] }), { prefer: 'return=minimal' });
    expect(minimal.statusCode).toBe(204);
    const asked = await client.patch(`/Groups/${group.id}?excludedAttributes=members`, patchOp({ op: 'add', path: 'members', value: [{ value: users[1] }] }));
    expect(asked.statusCode).toBe(200);
    expect(asked.json()).not.toHaveProperty('members');
    await setSwitches(t, id, { groupPatchResponse: '204' });
    const representation = await client.patch(`/Groups/${group.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: users[2] }] }), { prefer: 'return=representation' });
    expect(representation.statusCode).toBe(200);
    expect(memberIds(representation.json())).toEqual(users.slice(0, 3).sort());
  });

  it("answers errors alike whichever way is set", async () => {
    const { id, client } = await connection(t, 'gpr-errors');
    await setSwitches(t, id, { groupPatchResponse: '200' });
    const missing = await client.patch('/Groups/00000000-0000-4000-8000-000000000000', patchOp({ op: 'add', path: 'members', value: [{ value: 'x' }] }));
    expect(missing.statusCode).toBe(404);
    expect(missing.json().schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:Error']);
  });

  it("is 200 by default for a generic SCIM client's connection", async () => {
    const { client, users } = await connection(t, 'gpr-other', 'other');
    const group = await client.createGroup({ displayName: 'Generic' });
    const res = await client.patch(`/Groups/${group.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: users[0] }] }));
    expect(res.statusCode).toBe(200);
    expect(memberIds(res.json())).toEqual([users[0]]);
  });
});
