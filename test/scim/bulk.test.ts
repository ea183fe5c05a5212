import { describe, expect, it } from 'vitest';
import { dialectsUnderTest } from '../support/databases.js';
import { createConnection, createTenant } from '../support/fixtures.js';
import { useTestApp } from '../support/test-app.js';

const BULK = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

for (const dialect of dialectsUnderTest()) {
  describe(`SCIM Bulk [${dialect}]`, () => {
    const t = useTestApp(dialect);
    let base = '';
    let headers: Record<string, string> = {};

    const bulk = async (payload: unknown) => t.app.inject({ method: 'POST', url: `${base}/Bulk`, headers, payload: payload as object });

    it('runs operations with bulkId references, including forward ones, in one request', async () => {
      await createTenant(t, 'bulk');
      const c = await createConnection(t, 'bulk');
      base = `/directory/resources/scim/v2.0/${c.id}`;
      headers = { authorization: `Bearer ${c.token}`, 'content-type': 'application/scim+json' };
      const res = await bulk({
        schemas: [BULK],
        Operations: [
          { method: 'POST', path: '/Groups', bulkId: 'g1', data: { displayName: 'Bulk group', members: [{ value: 'bulkId:u1' }, { value: 'bulkId:u2' }] } },
          { method: 'POST', path: '/Users', bulkId: 'u1', data: { userName: 'one@bulk.test' } },
          { method: 'POST', path: '/Users', bulkId: 'u2', data: { userName: 'two@bulk.test' } },
          { method: 'PATCH', path: '/Users/bulkId:u2', data: { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: false }] } },
        ],
      });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('application/scim+json');
      const ops = res.json().Operations;
      expect(ops.map((o: { status: string }) => o.status)).toEqual(['201', '201', '201', '200']);
      expect(ops[0].location).toMatch(/\/Groups\/[0-9a-f-]{36}$/);
      expect(ops[0].version).toBe('W/"1"');
      const group = (await t.app.inject({ url: ops[0].location.replace('https://rollcall.test', ''), headers })).json();
      const ids = [ops[1], ops[2]].map((o: { location: string }) => o.location.split('/').pop());
      expect(group.members.map((m: { value: string }) => m.value).sort()).toEqual([...ids].sort());
      const two = (await t.app.inject({ url: `${base}/Users/${ids[1]}`, headers })).json();
      expect(two.active).toBe(false);
    });

    it('reports each failure in place, and a circular reference as 409', async () => {
      const res = await bulk({
        schemas: [BULK],
        Operations: [
          { method: 'POST', path: '/Users', bulkId: 'dup', data: { userName: 'one@bulk.test' } },
          { method: 'POST', path: '/Groups', bulkId: 'a', data: { displayName: 'A', members: [{ value: 'bulkId:b' }] } },
          { method: 'POST', path: '/Groups', bulkId: 'b', data: { displayName: 'B', members: [{ value: 'bulkId:a' }] } },
          { method: 'DELETE', path: '/Users/does-not-exist' },
        ],
      });
      const ops = res.json().Operations;
      expect(ops.map((o: { status: string }) => o.status)).toEqual(['409', '409', '409', '404']);
      expect(ops[0].response).toMatchObject({ scimType: 'uniqueness', status: '409' });
      const groups = (await t.app.inject({ url: `${base}/Groups?filter=${encodeURIComponent('displayName eq "A" or displayName eq "B"')}`, headers })).json();
      expect(groups.totalResults).toBe(0);
    });

    it('runs an import of user creates as if one after the other: the earlier of two equal userNames wins', async () => {
      // 120 creates: windows of consecutive creates start together; duplicates inside a window and across windows.
      // A connection of its own: the other cases count the users of theirs.
      const c = await createConnection(t, 'bulk');
      const own = `/directory/resources/scim/v2.0/${c.id}`;
      const ownHeaders = { authorization: `Bearer ${c.token}`, 'content-type': 'application/scim+json' };
      const names = Array.from({ length: 120 }, (_, i) => `import.${i}@bulk.test`);
      names[7] = 'Import.3@bulk.test';
      names[75] = 'import.3@BULK.test';
      names[99] = 'import.60@bulk.test';
      const res = await t.app.inject({
        method: 'POST',
        url: `${own}/Bulk`,
        headers: ownHeaders,
        payload: { schemas: [BULK], Operations: names.map((userName, i) => ({ method: 'POST', path: '/Users', bulkId: `i${i}`, data: { userName, externalId: `ext-${i}` } })) },
      });
      expect(res.statusCode).toBe(200);
      const ops = res.json().Operations as { bulkId: string; status: string; location?: string }[];
      expect(ops.map((o) => o.bulkId)).toEqual(names.map((_, i) => `i${i}`));
      const failed = ops.flatMap((o, i) => (o.status === '201' ? [] : [[i, o.status]]));
      expect(failed).toEqual([[7, '409'], [75, '409'], [99, '409']]);
      for (const [name, index] of [['import.3@bulk.test', 3], ['import.60@bulk.test', 60]] as const) {
        const found = (await t.app.inject({ url: `${own}/Users?filter=${encodeURIComponent(`userName eq "${name}"`)}`, headers: ownHeaders })).json();
        expect(found.Resources.map((u: { externalId: string }) => u.externalId)).toEqual([`ext-${index}`]);
      }
      // In the order of the request: the creation order of the list follows the operations.
      const listed = (await t.app.inject({ url: `${own}/Users?count=200`, headers: ownHeaders })).json();
      const order = listed.Resources.map((u: { externalId: string }) => Number(u.externalId.slice(4)));
      expect(order).toEqual([...order].sort((a, b) => a - b));
      expect(order).toHaveLength(117);
    });

    it('stops after failOnErrors failures', async () => {
      const res = await bulk({
        schemas: [BULK],
        failOnErrors: 1,
        Operations: [
          { method: 'DELETE', path: '/Users/missing-1' },
          { method: 'POST', path: '/Users', bulkId: 'never', data: { userName: 'never@bulk.test' } },
        ],
      });
      expect(res.json().Operations).toHaveLength(1);
      const found = (await t.app.inject({ url: `${base}/Users?filter=${encodeURIComponent('userName eq "never@bulk.test"')}`, headers })).json();
      expect(found.totalResults).toBe(0);
    });

    it('enforces maxOperations with 413 and validates the envelope', async () => {
      const spc = (await t.app.inject({ url: `${base}/ServiceProviderConfig`, headers })).json();
      const max = spc.bulk.maxOperations;
      const tooMany = await bulk({ schemas: [BULK], Operations: Array.from({ length: max + 1 }, (_, i) => ({ method: 'DELETE', path: `/Users/x${i}` })) });
      expect(tooMany.statusCode).toBe(413);
      expect(tooMany.json().schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:Error']);
      for (const payload of [{ Operations: [] }, { schemas: [BULK] }, { schemas: [BULK], Operations: [{ method: 'GET', path: '/Users' }] }, { schemas: [BULK], Operations: [{ method: 'POST', path: '/Users', data: {} }] }]) {
        const res = await bulk(payload);
        expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      }
    });

    it('enforces maxPayloadSize with 413', async () => {
      const spc = (await t.app.inject({ url: `${base}/ServiceProviderConfig`, headers })).json();
      const huge = JSON.stringify({ schemas: [BULK], Operations: [{ method: 'POST', path: '/Users', bulkId: 'x', data: { userName: 'x'.repeat(spc.bulk.maxPayloadSize) } }] });
      const res = await t.app.inject({ method: 'POST', url: `${base}/Bulk`, headers, payload: huge });
      expect(res.statusCode).toBe(413);
      expect(res.json().status).toBe('413');
    });

    it('POST /.search at the root pages over Users then Groups', async () => {
      const res = await t.app.inject({ method: 'POST', url: `${base}/.search`, headers, payload: { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], startIndex: 2, count: 2 } });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.totalResults).toBe(3);
      expect(body.Resources.map((r: { meta: { resourceType: string } }) => r.meta.resourceType)).toEqual(['User', 'Group']);
    });
  });
}
