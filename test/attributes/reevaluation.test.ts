/**
 * Changing a mapping or the catalogue re-evaluates the connection's existing users in the
 * background: in batches, with progress, emitting user.updated only where a value changed, each
 * batch once even when two runs race, and the new mapping applies to the next SCIM write at once.
 */
import { describe, expect, it } from 'vitest';
import { dialectsUnderTest } from '../support/databases.js';
import { createConnection, createTenant } from '../support/fixtures.js';
import { scimClient } from '../support/scim-requests.js';
import { useTestApp } from '../support/test-app.js';
import { ENTERPRISE, directoryUser, eventsOf, getMappings, putMappings, reevaluate, setCatalogue } from './support.js';

const BULK = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';

describe.each(dialectsUnderTest())('re-evaluation after a change (%s)', (dialect) => {
  const t = useTestApp(dialect);

  it('re-evaluates every user in batches, once, and emits user.updated only where a value changed', async () => {
    await setCatalogue(t, { predefined: ['department'], custom: [] });
    await createTenant(t, 'reeval');
    const connection = await createConnection(t, 'reeval', 'okta');
    const client = scimClient(t, connection);
    // 1,200 users (three batches); every third one's title equals its department.
    const operations = Array.from({ length: 1200 }, (_, i) => ({
      method: 'POST',
      path: '/Users',
      bulkId: `u${i}`,
      data: { schemas: [USER, ENTERPRISE], userName: `user${i}@acme.test`, title: i % 3 === 0 ? 'Ops' : `Title ${i}`, [ENTERPRISE]: { department: 'Ops' } },
    }));
    for (const part of [operations.slice(0, 600), operations.slice(600)]) {
      const bulk = await client.post('/Bulk', { schemas: [BULK], Operations: part });
      expect(bulk.statusCode, bulk.body.slice(0, 300)).toBe(200);
    }
    await reevaluate(t); // the catalogue change before the users existed
    const before = (await eventsOf(t, 'user.updated', 'reeval')).length;

    expect((await putMappings(t, connection.id, { department: 'title' })).statusCode).toBe(200);
    const running = await getMappings(t, connection.id);
    expect(running.evaluation).toMatchObject({ state: 'running', processed: 0, total: 1200, changed: 0 });
    // Two runs at once (two processes): the compare-and-set on the cursor gives each batch to one.
    await Promise.all([reevaluate(t), reevaluate(t)]);
    const done = await getMappings(t, connection.id);
    expect(done.evaluation).toMatchObject({ state: 'idle', processed: 1200, total: 1200, changed: 800, finishedAt: expect.any(String) });

    const updated = (await eventsOf(t, 'user.updated', 'reeval')).slice(before);
    expect(updated).toHaveLength(800);
    expect(new Set(updated.map((e) => e.data.id)).size).toBe(800);
    expect(updated.every((e) => e.data.changedAttributes.length === 1 && e.data.changedAttributes[0] === 'attributes.department')).toBe(true);
    const list = await t.app.inject({ url: '/api/v1/tenants/reeval/users?attributes.department=title%207&limit=5', headers: { authorization: t.auth } });
    expect(list.json().items.map((u: any) => u.userName)).toEqual(['user7@acme.test']);
  });

  it('re-evaluates every connection when the catalogue changes, and a mapping change applies to the next SCIM write', async () => {
    await setCatalogue(t, { predefined: [], custom: [] });
    await reevaluate(t);
    await createTenant(t, 'reeval-cat');
    const connection = await createConnection(t, 'reeval-cat', 'azure-ad');
    const client = scimClient(t, connection);
    const ann = await client.createUser({ schemas: [USER, ENTERPRISE], userName: 'ann@acme.test', title: 'CTO', [ENTERPRISE]: { employeeNumber: '7' } });
    expect((await directoryUser(t, ann.id)).attributes).toEqual({});

    await setCatalogue(t, { predefined: ['jobTitle', 'employeeNumber'], custom: [{ key: 'badge', type: 'number' }] });
    expect((await t.app.inject({ url: '/api/v1/attributes', headers: { authorization: t.auth } })).json().evaluation.connections).toBeGreaterThan(0);
    await reevaluate(t);
    expect((await directoryUser(t, ann.id)).attributes).toEqual({ jobTitle: 'CTO', employeeNumber: '7', badge: null });
    const [event] = (await eventsOf(t, 'user.updated', 'reeval-cat')).filter((e) => e.data.id === ann.id);
    // badge has no value before or after: it did not change.
    expect(event.data.changedAttributes.sort()).toEqual(['attributes.employeeNumber', 'attributes.jobTitle']);

    // The token was resolved (and cached) before the change: the next write still uses the new mapping.
    await putMappings(t, connection.id, { badge: `${ENTERPRISE}:employeeNumber` });
    const bob = await client.createUser({ schemas: [USER, ENTERPRISE], userName: 'bob@acme.test', [ENTERPRISE]: { employeeNumber: '8' } });
    expect((await directoryUser(t, bob.id)).attributes.badge).toBe(8);
    // Switching everything off clears the values, with events saying so.
    await setCatalogue(t, { predefined: [], custom: [] });
    await reevaluate(t);
    expect((await directoryUser(t, ann.id)).attributes).toEqual({});
  });
});
