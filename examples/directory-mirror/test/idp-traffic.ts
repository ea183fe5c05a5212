/**
 * SCIM traffic as Okta and Entra ID send it, over HTTP to a real `rollcall serve`: the documented
 * request sequences of test/scim/fixtures/idp-exchanges.json (as the conformance tests replay them),
 * run again and again with fresh names. Plus what a directory keeps between rounds: groups the new
 * users join, so deleting a user also removes memberships.
 */
import { readFileSync } from 'node:fs';
import { allowedStatuses, fillBody, fillPath, type IdpStep, type Placeholders } from '../../../test/support/scim-client.js';
import { call, patchOp, type Res } from '../../../test/reliability/cluster.js';

const exchanges = JSON.parse(readFileSync(new URL('../../../test/scim/fixtures/idp-exchanges.json', import.meta.url), 'utf8')) as { okta: { steps: IdpStep[] }; entra: { steps: IdpStep[] } };

/** What each IdP's client sends (idp-exchanges.json `common_request_headers`). */
const HEADERS = {
  okta: { 'content-type': 'application/scim+json; charset=utf-8', accept: 'application/scim+json', 'user-agent': 'Okta SCIM Client 1.0.0' },
  entra: { 'content-type': 'application/scim+json' },
};

/** Values fixed in the documented bodies that must be unique in a connection: made fresh each round. */
const FIXED = ['00ujl29u0le5T6Aj10h7', '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef', '5b50642d-79fc-4410-9e90-4c077cdd1a59', '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159'];

/** A SCIM connection to send to. */
export interface IdpConnection {
  baseUrl: string;
  id: string;
  token: string;
}

function request(conn: IdpConnection, method: string, path: string, body: unknown, headers: Record<string, string>): Promise<Res> {
  return call(`${conn.baseUrl}/directory/resources/scim/v2.0/${conn.id}${path}`, { method, body, headers: { authorization: `Bearer ${conn.token}`, ...headers } });
}

/** The step's body with placeholders filled and the fixed unique values made this round's. */
function bodyOf(body: unknown, vars: Placeholders, round: string): unknown {
  if (body === undefined) return undefined;
  let text = JSON.stringify(fillBody(body, vars));
  for (const fixed of FIXED) text = text.replaceAll(fixed, `${fixed}-${round}`);
  return JSON.parse(text);
}

/** Sends a step; throws unless the IdP would accept the answer's status. */
async function send(conn: IdpConnection, idp: 'okta' | 'entra', step: IdpStep, vars: Placeholders, body: unknown, round: string): Promise<Res> {
  const res = await request(conn, step.method, fillPath(step.path, vars), bodyOf(body, vars, round), HEADERS[idp]);
  if (!allowedStatuses(step.expect).includes(res.status)) throw new Error(`${idp} round ${round}, "${step.name}": ${res.status} ${res.text}`);
  return res;
}

async function expectStatus(res: Promise<Res>, status: number, what: string): Promise<Res> {
  const answer = await res;
  if (answer.status !== status) throw new Error(`${what}: ${answer.status} ${answer.text}`);
  return answer;
}

/** Creates a group that lives across rounds; its id. */
export async function createLastingGroup(conn: IdpConnection, idp: 'okta' | 'entra', displayName: string): Promise<string> {
  const res = await expectStatus(request(conn, 'POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName }, HEADERS[idp]), 201, `create ${displayName}`);
  return (res.body as { id: string }).id;
}

function addMembers(conn: IdpConnection, idp: 'okta' | 'entra', groupId: string, userIds: string[]) {
  return expectStatus(request(conn, 'PATCH', `/Groups/${groupId}`, patchOp({ op: 'add', path: 'members', value: userIds.map((value) => ({ value })) }), HEADERS[idp]), 204, 'add members');
}

/**
 * One round of Okta's documented sequence: user create (and a duplicate), PUT update, deactivate,
 * reactivate, imports, group push, rename, member changes, group delete. The round's users then join
 * `teamGroupId`.
 */
export async function oktaRound(conn: IdpConnection, round: string, teamGroupId: string): Promise<void> {
  const vars: Placeholders = { userName: `ann.${round}@example.com`, groupName: `Engineering ${round}`, guid: `guid-${round}` };
  const second = await expectStatus(
    request(conn, 'POST', '/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: `bob.${round}@example.com`, name: { givenName: 'Bob', familyName: round } }, HEADERS.okta),
    201,
    'create bob',
  );
  vars.userId2 = (second.body as { id: string }).id;
  let lastCreate: unknown;
  for (const step of exchanges.okta.steps) {
    const body = step.body === 'same as create' ? lastCreate : step.body;
    if (step.method === 'POST' && step.path === '/Users' && typeof step.body === 'object') lastCreate = step.body;
    const res = await send(conn, 'okta', step, vars, body, round);
    if (res.status === 201 && step.path === '/Users') vars.userId = (res.body as { id: string }).id;
    if (res.status === 201 && step.path === '/Groups') vars.groupId = (res.body as { id: string }).id;
  }
  await addMembers(conn, 'okta', teamGroupId, [vars.userId!, vars.userId2]);
}

/**
 * One round of Entra ID's documented sequence: lookups, user create, PATCH updates (userName, emails,
 * manager), disable and re-enable, user delete, then group create, rename, member add and removes,
 * group delete. The user joins `teamGroupId` when created, so its delete removes a membership.
 */
export async function entraRound(conn: IdpConnection, round: string, teamGroupId: string): Promise<void> {
  const vars: Placeholders = { userName: `ann.${round}@contoso.com`, groupName: `Sales ${round}`, guid: `guid-${round}` };
  const manager = await expectStatus(
    request(conn, 'POST', '/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: `manager.${round}@contoso.com`, active: true }, HEADERS.entra),
    201,
    'create manager',
  );
  vars.userId2 = (manager.body as { id: string }).id;
  const create = exchanges.entra.steps.find((s) => s.name === 'create user')!;
  for (const step of exchanges.entra.steps) {
    const res = await send(conn, 'entra', step, vars, step.body, round);
    if (res.status === 201 && step.path === '/Users') {
      vars.userId = (res.body as { id: string }).id;
      await addMembers(conn, 'entra', teamGroupId, [vars.userId]);
    }
    if (res.status === 201 && step.path === '/Groups') vars.groupId = (res.body as { id: string }).id;
    if (step.name === 'delete user') {
      // As in entra-conformance.test.ts: the user is assigned again (a new resource) before the group steps.
      const again = await send(conn, 'entra', create, vars, create.body, `${round}b`);
      vars.userId = (again.body as { id: string }).id;
    }
  }
  await addMembers(conn, 'entra', teamGroupId, [vars.userId2]);
}
