/** Helpers of the safe deprovisioning tests: a connection with users, and its guard driven through the API. */
import { expect } from 'vitest';
import type { TestApp } from '../support/test-app.js';
import { eventsOf, getJson, provisioner, type Provisioner } from '../directory/support.js';

export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** A connection of `tenantId` with `count` users (u0@…, u1@…), all active. */
export async function connectionWithUsers(t: TestApp, tenantId: string, count: number): Promise<{ idp: Provisioner; users: Record<string, any>[] }> {
  const idp = await provisioner(t, tenantId);
  const users: Record<string, any>[] = [];
  for (let i = 0; i < count; i++) users.push(await idp.user(`u${i}@${tenantId}.test`, { displayName: `User ${i}` }));
  return { idp, users };
}

export async function setGuard(t: TestApp, connectionId: string, body: Record<string, unknown>): Promise<any> {
  const res = await t.app.inject({ method: 'PUT', url: `/api/v1/connections/${connectionId}/deprovisioning`, headers: { authorization: t.auth }, payload: body });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

/** The IdP deactivates a user (PATCH active false); asserts the SCIM answer. */
export async function deactivate(idp: Provisioner, id: string): Promise<Record<string, any>> {
  const res = await idp.patch(`/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: false }] });
  expect(res.statusCode, res.body).toBe(200);
  const body = res.json();
  expect(body.active).toBe(false);
  return body;
}

export async function reactivate(idp: Provisioner, id: string): Promise<void> {
  const res = await idp.patch(`/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: true }] });
  expect(res.statusCode, res.body).toBe(200);
}

export const settingsOf = (t: TestApp, connectionId: string) => getJson(t, `/api/v1/connections/${connectionId}/deprovisioning`);
export const heldOf = (t: TestApp, connectionId: string, status = 'held') => getJson(t, `/api/v1/connections/${connectionId}/held-changes?status=${status}&limit=500`);
/** The user as the app sees it (directory API). */
export const appUser = (t: TestApp, id: string, status = 200) => getJson(t, `/api/v1/users/${id}`, status);

export async function review(t: TestApp, connectionId: string, action: 'release' | 'discard', body: Record<string, unknown> = {}, status = 200): Promise<any> {
  const res = await t.app.inject({ method: 'POST', url: `/api/v1/connections/${connectionId}/held-changes/${action}`, headers: { authorization: t.auth }, payload: body });
  expect(res.statusCode, res.body).toBe(status);
  return res.json();
}

const DEPROVISIONING_TYPES = ['user.deactivated', 'user.reactivated', 'user.deleted', 'user.updated', 'user.created', 'group.user_removed', 'group.user_added', 'connection.deprovisioning_held', 'connection.deprovisioning_reviewed'];

/** The tenant's events of the types safe deprovisioning concerns, waiting until `count` of them are there. */
export async function feed(t: TestApp, tenantId: string, count?: number): Promise<{ type: string; data: any }[]> {
  return eventsOf(t, tenantId, DEPROVISIONING_TYPES, (events) => count === undefined || events.length >= count);
}
