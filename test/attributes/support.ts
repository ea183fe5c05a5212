/** Helpers of the attribute tests: the catalogue, a connection's mappings, and the re-evaluation job. */
import type { LightMyRequestResponse } from 'fastify';
import type { TestApp } from '../support/test-app.js';
import { feedCaughtUp } from '../webhooks/helpers.js';

export const CATALOGUE = '/api/v1/attributes';
export const mappingsUrl = (connectionId: string) => `/api/v1/connections/${connectionId}/attribute-mappings`;
export const OKTA_CUSTOM = 'urn:okta:acme:1.0:user:custom';
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/** Sets the catalogue with the environment token; throws unless 200. */
export async function setCatalogue(t: TestApp, body: Record<string, unknown>): Promise<Record<string, any>> {
  const res = await t.app.inject({ method: 'PUT', url: CATALOGUE, headers: { authorization: t.auth }, payload: body });
  if (res.statusCode !== 200) throw new Error(`PUT /api/v1/attributes failed: ${res.statusCode} ${res.body}`);
  return res.json();
}

/** PUTs mappings (environment token unless `headers`); the response as is. */
export function putMappings(t: TestApp, connectionId: string, mappings: Record<string, unknown>, headers: Record<string, string> = { authorization: t.auth }): Promise<LightMyRequestResponse> {
  return t.app.inject({ method: 'PUT', url: mappingsUrl(connectionId), headers, payload: { mappings } });
}

/** GETs a connection's mappings with the environment token. */
export async function getMappings(t: TestApp, connectionId: string): Promise<Record<string, any>> {
  const res = await t.app.inject({ url: mappingsUrl(connectionId), headers: { authorization: t.auth } });
  if (res.statusCode !== 200) throw new Error(`GET mappings failed: ${res.statusCode} ${res.body}`);
  return res.json();
}

/** Runs the re-evaluation job until nothing is pending; returns the batches it ran. */
export async function reevaluate(t: TestApp): Promise<number> {
  let batches = 0;
  while (await t.app.services.attributeReevaluation.runBatch()) batches++;
  return batches;
}

/** A directory user by id. */
export async function directoryUser(t: TestApp, id: string): Promise<Record<string, any>> {
  const res = await t.app.inject({ url: `/api/v1/users/${id}`, headers: { authorization: t.auth } });
  if (res.statusCode !== 200) throw new Error(`GET user failed: ${res.statusCode} ${res.body}`);
  return res.json();
}

/** Every event of the feed of one type, oldest first (once the feed shows every committed event). */
export async function eventsOf(t: TestApp, type: string, tenantId: string): Promise<Record<string, any>[]> {
  await feedCaughtUp(t);
  const res = await t.app.inject({ url: `/api/v1/events?types=${type}&tenantId=${tenantId}&limit=1000`, headers: { authorization: t.auth } });
  return res.json().items;
}
