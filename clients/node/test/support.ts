/**
 * Helpers of the client's tests: a real Rollcall app listening on a port with a vendor credential, SCIM
 * writes sent with plain fetch the way an identity provider sends them, and a fetch that records requests.
 */
import { Rollcall, type RollcallOptions } from '@rollcall/client';
import { beforeAll } from 'vitest';
import { useTestApp, type TestApp } from '../../../test/support/test-app.js';

/** A listening app and the credential the client signs in with. */
export interface Server {
  t: TestApp;
  baseUrl: string;
  clientId: string;
  secret: string;
  /** A client of this server; `options` override the defaults. */
  client(options?: Partial<RollcallOptions>): Rollcall;
}

/** Registers hooks that start a real app on 127.0.0.1 for the file's tests (closed with the app). */
export function useServer(dialect: 'sqlite' | 'postgres', env: Record<string, string> = {}): Server {
  const t = useTestApp(dialect, env);
  const server: Server = {
    t,
    baseUrl: '',
    clientId: '',
    secret: '',
    client: (options = {}) => new Rollcall({ baseUrl: server.baseUrl, clientId: server.clientId, secret: server.secret, ...options }),
  };
  beforeAll(async () => {
    server.baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
    Object.assign(server, await t.app.services.auth.createCredential('client tests'));
  });
  return server;
}

/** The URL a fetch call was given, whichever form it took. */
export function urlOf(input: string | URL | Request): URL {
  return new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
}

/** One request as a recording fetch saw it. */
export interface Recorded {
  method: string;
  url: URL;
  status: number | 'failed';
}

/** A fetch that records each request it sends, and optionally fails some before sending them. */
export interface RecordingFetch {
  fetch: typeof fetch;
  requests: Recorded[];
  /** The requests to a path (`/auth/vendor`), in order. */
  to(path: string): Recorded[];
}

/** `fail(url, index)` true makes the request fail as a network error would, without reaching the server. */
export function recordingFetch(fail: (url: URL, index: number) => boolean = () => false): RecordingFetch {
  const requests: Recorded[] = [];
  const recorder: RecordingFetch = {
    requests,
    to: (path) => requests.filter((r) => r.url.pathname === path),
    fetch: async (input, init) => {
      const url = urlOf(input);
      const entry: Recorded = { method: init?.method ?? 'GET', url, status: 'failed' };
      requests.push(entry);
      if (fail(url, requests.length - 1)) throw new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } });
      const response = await fetch(input, init);
      entry.status = response.status;
      return response;
    },
  };
  return recorder;
}

const USER_URN = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP_URN = 'urn:ietf:params:scim:schemas:core:2.0:Group';

/** A connection's SCIM endpoint, written to with plain fetch. */
export interface ScimWriter {
  /** Creates a user; returns its id. */
  user(userName: string): Promise<string>;
  /** Creates a group with these members; returns its id. */
  group(displayName: string, memberIds?: string[]): Promise<string>;
  /** Deletes a user, as the IdP deprovisions it. */
  deleteUser(id: string): Promise<void>;
}

/** Writes to the SCIM endpoint of connection `connectionId` with its bearer `token`. */
export function scimWriter(baseUrl: string, connection: { id: string; token: string }): ScimWriter {
  const post = async (resource: 'Users' | 'Groups', body: Record<string, unknown>): Promise<string> => {
    const res = await fetch(`${baseUrl}/directory/resources/scim/v2.0/${connection.id}/${resource}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${connection.token}`, 'content-type': 'application/scim+json' },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status !== 201) throw new Error(`POST ${resource} answered ${res.status}: ${text}`);
    return (JSON.parse(text) as { id: string }).id;
  };
  return {
    user: (userName) => post('Users', { schemas: [USER_URN], userName, emails: [{ value: userName, primary: true }], active: true }),
    group: (displayName, memberIds = []) => post('Groups', { schemas: [GROUP_URN], displayName, members: memberIds.map((value) => ({ value })) }),
    deleteUser: async (id) => {
      const res = await fetch(`${baseUrl}/directory/resources/scim/v2.0/${connection.id}/Users/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${connection.token}` } });
      if (res.status !== 204) throw new Error(`DELETE Users/${id} answered ${res.status}: ${await res.text()}`);
    },
  };
}

/** Every item of an async iterable, in order. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
