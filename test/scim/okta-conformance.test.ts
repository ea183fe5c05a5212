/**
 * Okta's provisioning client, replayed: every request Okta documents for SCIM 2.0 apps
 * (fixtures/idp-exchanges.json `okta.steps`, from Okta's SCIM reference), in order, with the headers
 * Okta sends, each checked against what Okta expects back. Plus Okta's import paging.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { dialectsUnderTest } from '../support/databases.js';
import { createTenant } from '../support/fixtures.js';
import { bodyOf, expectStep, sendStep, type IdpStep, type Placeholders } from '../support/scim-client.js';
import { USER_URN, idsOf, newScimClient, patchOp, q, type ScimClient } from '../support/scim-requests.js';
import { useTestApp } from '../support/test-app.js';

const exchanges = JSON.parse(readFileSync(new URL('./fixtures/idp-exchanges.json', import.meta.url), 'utf8'));
const STEPS: IdpStep[] = exchanges.okta.steps;

/** What Okta's SCIM client sends (idp-exchanges.json `okta.common_request_headers`). */
const OKTA_HEADERS = { 'content-type': 'application/scim+json; charset=utf-8', accept: 'application/scim+json', 'user-agent': 'Okta SCIM Client 1.0.0' };
/** Okta's SPEC test POSTs with this instead. */
const SPEC_TEST_HEADERS = { 'content-type': 'application/json', accept: 'application/scim+json; charset=utf-8' };

interface Replay {
  client: ScimClient;
  vars: Placeholders;
  res: ReturnType<typeof bodyOf>;
}

async function getUser(r: Replay, id = r.vars.userId!) {
  const res = await r.client.get(`/Users/${id}`, OKTA_HEADERS);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

async function memberIds(r: Replay): Promise<string[]> {
  const res = await r.client.get(`/Groups/${r.vars.groupId}`, OKTA_HEADERS);
  expect(res.statusCode, res.body).toBe(200);
  return ((res.json().members ?? []) as { value: string }[]).map((m) => m.value).sort();
}

/** What each step means beyond its status and fields, checked right after it (keyed by step name). */
const SEMANTICS: Record<string, (r: Replay) => Promise<void>> = {
  'create user': async (r) => {
    expect(Object.keys(r.res).length).toBeGreaterThan(2); // "Create new user returned empty user" otherwise
    expect(r.res).toMatchObject({ userName: r.vars.userName, externalId: '00ujl29u0le5T6Aj10h7', locale: 'en-US', active: true });
    // The password Okta sends is accepted and never returned (RFC 7643 §4.1.1: returned "never").
    expect(r.res).not.toHaveProperty('password');
    expect(await getUser(r)).not.toHaveProperty('password');
  },
  'create duplicate': async (r) => {
    expect(r.res).toMatchObject({ status: '409', scimType: 'uniqueness' }); // RFC 7644 §3.3
  },
  'update user (PUT full resource)': async (r) => {
    expect(await getUser(r)).toMatchObject({ name: { givenName: 'Another', middleName: 'Excited', familyName: 'User' }, active: true });
  },
  deactivate: async (r) => {
    // Okta never DELETEs users: a deactivated user stays readable and findable, with active false.
    expect(await getUser(r)).toMatchObject({ id: r.vars.userId, active: false });
    const found = await r.client.get(`/Users?filter=${q(`userName eq "${r.vars.userName}"`)}&startIndex=1&count=100`, OKTA_HEADERS);
    expect(found.statusCode).toBe(200);
    expect(found.json()).toMatchObject({ totalResults: 1, Resources: [{ id: r.vars.userId, active: false }] });
  },
  reactivate: async (r) => {
    expect((await getUser(r)).active).toBe(true);
  },
  'import users': async (r) => {
    expect(r.res.totalResults).toBe(2);
    expect(r.res.Resources.map((u: { id: string }) => u.id).sort()).toEqual([r.vars.userId, r.vars.userId2].sort());
  },
  'create group (Group Push)': async (r) => {
    expect(r.res.displayName).toBe(r.vars.groupName);
    expect(r.res.members ?? []).toEqual([]);
  },
  'import groups': async (r) => {
    expect(r.res).toMatchObject({ totalResults: 1, Resources: [{ id: r.vars.groupId, displayName: r.vars.groupName }] });
  },
  'rename group (sent before every membership push too)': async (r) => {
    const res = await r.client.get(`/Groups/${r.vars.groupId}`, OKTA_HEADERS);
    expect(res.json()).toMatchObject({ id: r.vars.groupId, displayName: r.vars.groupName });
  },
  'add + remove members in one PATCH': async (r) => {
    expect(await memberIds(r)).toEqual([r.vars.userId]);
    // The membership shows on the user too (RFC 7643 §4.1.2 `groups`).
    expect((await getUser(r)).groups).toMatchObject([{ value: r.vars.groupId, display: r.vars.groupName }]);
  },
  'replace all members': async (r) => {
    expect(await memberIds(r)).toEqual([r.vars.userId!, r.vars.userId2!].sort());
  },
  'delete group (Unlink pushed group + delete in app)': async (r) => {
    expect((await r.client.get(`/Groups/${r.vars.groupId}`, OKTA_HEADERS)).statusCode).toBe(404);
    expect(await getUser(r)).not.toHaveProperty('groups');
  },
};

for (const dialect of dialectsUnderTest()) {
  describe(`Okta conformance [${dialect}]`, () => {
    const t = useTestApp(dialect);
    let tenantId: string;
    beforeAll(async () => {
      tenantId = await createTenant(t, 'okta-customer', 'Okta customer');
    });

    describe('documented request sequence', () => {
      const suffix = randomUUID().slice(0, 8);
      const r: Replay = { client: undefined as unknown as ScimClient, vars: { userName: `ann.${suffix}@example.com`, groupName: `Engineering ${suffix}`, guid: randomUUID() }, res: undefined };
      let lastCreate: unknown;
      beforeAll(async () => {
        r.client = await newScimClient(t, tenantId, 'okta');
        // {{userId2}}: a second user Okta provisioned earlier.
        r.vars.userId2 = (await r.client.createUser({ userName: `bob.${suffix}@example.com`, name: { givenName: 'Bob', familyName: 'Second' } })).id;
      });

      it('has semantics for step names that exist', () => {
        expect(Object.keys(SEMANTICS).filter((name) => !STEPS.some((s) => s.name === name))).toEqual([]);
      });

      for (const step of STEPS) {
        it(step.name, async () => {
          const body = step.body === 'same as create' ? lastCreate : step.body;
          if (step.method === 'POST' && step.path === '/Users' && typeof step.body === 'object') lastCreate = step.body;
          const res = await sendStep(r.client, step, r.vars, body, OKTA_HEADERS);
          expectStep(step, res);
          r.res = bodyOf(res);
          if (res.statusCode === 201 && step.path === '/Users') r.vars.userId = r.res.id;
          if (res.statusCode === 201 && step.path === '/Groups') r.vars.groupId = r.res.id;
          await SEMANTICS[step.name]?.(r);
        });
      }
    });

    it('accepts the SPEC test\'s application/json bodies', async () => {
      const client = await newScimClient(t, tenantId, 'okta');
      const created = await client.post('/Users', { schemas: [USER_URN], userName: 'spec@example.com', name: { givenName: 'S', familyName: 'T' }, active: true }, SPEC_TEST_HEADERS);
      expect(created.statusCode, created.body).toBe(201);
      expect(created.headers['content-type']).toMatch(/^application\/scim\+json/);
      const patched = await client.patch(`/Users/${created.json().id}`, patchOp({ op: 'replace', value: { active: false } }), SPEC_TEST_HEADERS);
      expect(patched.statusCode, patched.body).toBe(200);
      expect(patched.json().active).toBe(false);
    });

    it('pages imports with count=100, startIndex += 100, in a stable order', async () => {
      const client = await newScimClient(t, tenantId, 'okta');
      const created: string[] = [];
      for (let i = 0; i < 150; i++) {
        const res = await client.post('/Users', { schemas: [USER_URN], userName: `page.${String(i).padStart(3, '0')}@example.com`, active: i % 3 !== 0 }, OKTA_HEADERS);
        expect(res.statusCode, res.body).toBe(201);
        created.push(res.json().id);
      }
      const page = async (startIndex: number) => {
        const res = await client.get(`/Users?startIndex=${startIndex}&count=100`, OKTA_HEADERS);
        expect(res.statusCode, res.body).toBe(200);
        expect(res.headers['content-type']).toMatch(/^application\/scim\+json/);
        const body = res.json();
        for (const key of ['totalResults', 'startIndex', 'itemsPerPage']) expect(Number.isInteger(body[key]), key).toBe(true);
        return { body, ids: idsOf(res) };
      };
      const first = await page(1);
      expect(first.body).toMatchObject({ totalResults: 150, startIndex: 1, itemsPerPage: 100 });
      const second = await page(101);
      expect(second.body).toMatchObject({ totalResults: 150, startIndex: 101, itemsPerPage: 50 });
      expect(new Set([...first.ids, ...second.ids]).size).toBe(150);
      expect([...first.ids, ...second.ids].sort()).toEqual([...created].sort());
      // Stable: asking again gives the same pages in the same order.
      expect((await page(1)).ids).toEqual(first.ids);
      expect((await page(101)).ids).toEqual(second.ids);
      const past = await page(201);
      expect(past.body).toMatchObject({ totalResults: 150, startIndex: 201, itemsPerPage: 0, Resources: [] });
    });
  });
}
