/** Calls the SCIM routes of one connection through `app.inject`, as an IdP would. */
import type { LightMyRequestResponse } from 'fastify';
import { createConnection } from './fixtures.js';
import type { TestApp } from './test-app.js';

/** Where every connection's SCIM base URL lives. */
export const SCIM_PATH = '/directory/resources/scim/v2.0';
export const SCIM_MEDIA_TYPE = 'application/scim+json';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const SEARCH_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';
export const USER_URN = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_URN = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE_URN = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One request: `path` is relative to the connection's base (`/Users?filter=…`). */
export interface ScimRequest {
  method?: Method;
  path: string;
  /** Sent as JSON; a string is sent verbatim. */
  body?: unknown;
  headers?: Record<string, string>;
}

/** A SCIM client bound to one connection and token. */
export interface ScimClient {
  readonly connectionId: string;
  readonly token: string;
  request(req: ScimRequest): Promise<LightMyRequestResponse>;
  get(path: string, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  put(path: string, body: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  patch(path: string, body: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  delete(path: string, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  /** POSTs a user and returns its representation; throws unless 201. */
  createUser(body: Record<string, unknown>): Promise<Record<string, any>>;
  /** POSTs a group and returns its representation; throws unless 201. */
  createGroup(body: Record<string, unknown>): Promise<Record<string, any>>;
}

/** A PatchOp body (RFC 7644 §3.5.2). */
export function patchOp(...operations: Record<string, unknown>[]) {
  return { schemas: [PATCH_OP], Operations: operations };
}

/** `filter=` query value, URL-encoded. */
export function q(filter: string): string {
  return encodeURIComponent(filter);
}

/** A client for a connection that exists already. */
export function scimClient(t: TestApp, connection: { id: string; token: string }): ScimClient {
  const base = `${SCIM_PATH}/${connection.id}`;
  const request = ({ method = 'GET', path, body, headers = {} }: ScimRequest) =>
    t.app.inject({
      method,
      url: `${base}${path}`,
      headers: {
        authorization: `Bearer ${connection.token}`,
        ...(body !== undefined ? { 'content-type': SCIM_MEDIA_TYPE } : {}),
        ...headers,
      },
      ...(body !== undefined ? { payload: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
  const created = async (path: string, body: Record<string, unknown>) => {
    const res = await request({ method: 'POST', path, body });
    if (res.statusCode !== 201) throw new Error(`POST ${path} failed: ${res.statusCode} ${res.body}`);
    return res.json<Record<string, any>>();
  };
  return {
    connectionId: connection.id,
    token: connection.token,
    request,
    get: (path, headers) => request({ path, headers }),
    post: (path, body, headers) => request({ method: 'POST', path, body, headers }),
    put: (path, body, headers) => request({ method: 'PUT', path, body, headers }),
    patch: (path, body, headers) => request({ method: 'PATCH', path, body, headers }),
    delete: (path, headers) => request({ method: 'DELETE', path, headers }),
    createUser: (body) => created('/Users', { schemas: [USER_URN], ...body }),
    createGroup: (body) => created('/Groups', { schemas: [GROUP_URN], ...body }),
  };
}

/** Creates a connection of `tenantId` through the management API and returns a client for it. */
export async function newScimClient(t: TestApp, tenantId: string, source = 'okta'): Promise<ScimClient> {
  return scimClient(t, await createConnection(t, tenantId, source));
}

/** Every id of a list response. */
export function idsOf(res: LightMyRequestResponse): string[] {
  return (res.json().Resources as { id: string }[]).map((r) => r.id);
}

export { prng, type Prng } from './prng.js';
