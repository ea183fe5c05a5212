/** Helpers of the compatibility-switch tests: read and set a connection's switches through the API. */
import type { LightMyRequestResponse } from 'fastify';
import type { TestApp } from '../../support/test-app.js';

export const compatibilityUrl = (connectionId: string) => `/api/v1/connections/${connectionId}/compatibility`;

/** PUTs `body` with the environment token (or `headers`); the response as is. */
export function putSwitches(t: TestApp, connectionId: string, body: unknown, headers: Record<string, string> = { authorization: t.auth }): Promise<LightMyRequestResponse> {
  return t.app.inject({ method: 'PUT', url: compatibilityUrl(connectionId), headers, payload: body as Record<string, unknown> });
}

/** Sets switches with the environment token; throws unless 200. */
export async function setSwitches(t: TestApp, connectionId: string, body: Record<string, unknown>): Promise<Record<string, any>> {
  const res = await putSwitches(t, connectionId, body);
  if (res.statusCode !== 200) throw new Error(`PUT compatibility failed: ${res.statusCode} ${res.body}`);
  return res.json();
}
