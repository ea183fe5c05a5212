/**
 * Groups larger than one member page (MEMBER_PAGE): GET streams `members` page by page instead of
 * building the list in memory. The streamed body must be the same resource: valid JSON, every member
 * exactly once, the same ETag, and projections still honoured.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { MEMBER_PAGE } from '../../src/scim/service/group-service.js';
import { dialectsUnderTest } from '../support/databases.js';
import { createTenant } from '../support/fixtures.js';
import { GROUP_URN, USER_URN, newScimClient, patchOp, type ScimClient } from '../support/scim-requests.js';
import { useTestApp } from '../support/test-app.js';

const MEMBERS = MEMBER_PAGE * 2 + 17; // two full pages and a partial one

describe.each(dialectsUnderTest())('large groups (%s)', (dialect) => {
  const t = useTestApp(dialect);
  let client: ScimClient;
  let userIds: string[];
  let groupId: string;

  beforeAll(async () => {
    client = await newScimClient(t, await createTenant(t));
    userIds = [];
    for (let start = 0; start < MEMBERS + 1; start += 1000) {
      const count = Math.min(1000, MEMBERS + 1 - start);
      const bulk = await client.post('/Bulk', {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
        Operations: Array.from({ length: count }, (_, k) => ({
          method: 'POST',
          path: '/Users',
          bulkId: `u${start + k}`,
          data: { schemas: [USER_URN], userName: `member.${start + k}@example.test`, displayName: `Member ${start + k}` },
        })),
      });
      expect(bulk.statusCode).toBe(200);
      for (const op of bulk.json().Operations) {
        expect(op.status).toBe('201');
        userIds.push(op.location.split('/').pop());
      }
    }
    const group = await client.createGroup({ schemas: [GROUP_URN], displayName: 'Everyone', members: userIds.slice(0, MEMBERS).map((value) => ({ value })) });
    groupId = group.id;
  }, 120_000);

  it('streams every member exactly once, with the ETag and content type of any SCIM resource', async () => {
    const response = await client.get(`/Groups/${groupId}`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('application/scim+json');
    // Streamed: sent in chunks, so no Content-Length up front (a small group's response has one).
    expect(response.headers['content-length']).toBeUndefined();
    const small = await client.createGroup({ schemas: [GROUP_URN], displayName: 'Few', members: [{ value: userIds[0] }] });
    expect((await client.get(`/Groups/${small.id}`)).headers['content-length']).toBeDefined();
    const group = response.json();
    expect(group.displayName).toBe('Everyone');
    expect(group.meta.version).toBe(response.headers.etag);
    const values: string[] = group.members.map((m: { value: string }) => m.value);
    expect(values).toHaveLength(MEMBERS);
    expect(new Set(values)).toEqual(new Set(userIds.slice(0, MEMBERS)));
    expect(group.members[0]).toMatchObject({ type: 'User', $ref: expect.stringContaining('/Users/'), display: expect.stringMatching(/^Member /) });
    // If-None-Match with that ETag: nothing to stream.
    expect((await client.get(`/Groups/${groupId}`, { 'if-none-match': response.headers.etag as string })).statusCode).toBe(304);
  });

  it('answers projections and Entra’s excludedAttributes=members as before', async () => {
    const without = (await client.get(`/Groups/${groupId}?excludedAttributes=members`)).json();
    expect(without).not.toHaveProperty('members');
    const valuesOnly = (await client.get(`/Groups/${groupId}?attributes=members.value`)).json();
    expect(valuesOnly.members).toHaveLength(MEMBERS);
    expect(Object.keys(valuesOnly.members[0])).toEqual(['value']);
  });

  it('lists groups with each one’s own members (one query for the page)', async () => {
    const listed = (await client.get('/Groups?count=10')).json().Resources as { displayName: string; members?: { value: string }[] }[];
    const byName = new Map(listed.map((g) => [g.displayName, g.members?.map((m) => m.value) ?? []]));
    expect(byName.get('Few')).toEqual([userIds[0]]);
    expect(new Set(byName.get('Everyone'))).toEqual(new Set(userIds.slice(0, MEMBERS)));
    expect(byName.get('Everyone')).toHaveLength(MEMBERS);
  });

  it('shows a member added by PATCH, and the group’s new version', async () => {
    const before = await client.get(`/Groups/${groupId}?excludedAttributes=members`);
    const added = userIds[MEMBERS];
    expect((await client.patch(`/Groups/${groupId}`, patchOp({ op: 'add', path: 'members', value: [{ value: added }] }))).statusCode).toBe(204);
    const after = await client.get(`/Groups/${groupId}`);
    expect(after.headers.etag).not.toBe(before.headers.etag);
    const values = after.json().members.map((m: { value: string }) => m.value);
    expect(values).toHaveLength(MEMBERS + 1);
    expect(values).toContain(added);
  });
});
