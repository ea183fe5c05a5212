/**
 * The browser's client of the Rollcall API. The session lives in an httpOnly cookie (src/sessions);
 * every unsafe request carries the session's CSRF token in `x-csrf-token`.
 */

/** An API answer other than 2xx, with the server's message (never a stack trace). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

let csrfToken: string | undefined;
let sessionKind: 'dashboard' | 'portal' = 'dashboard';
let onUnauthorized: (() => void) | undefined;

/**
 * Which session cookie this page acts with (sent as `x-rollcall-session`): a vendor's staff may hold
 * both, and the portal must act as the customer's admin, never with the dashboard's rights.
 */
export function setSessionKind(kind: 'dashboard' | 'portal'): void {
  sessionKind = kind;
}

/** Remembers the CSRF token of the current session (from the sign-in or session answer). */
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

/** Called when any request answers 401 (the session expired): the app goes back to sign-in. */
export function setUnauthorizedHandler(handler: (() => void) | undefined): void {
  onUnauthorized = handler;
}

type Query = Record<string, string | number | boolean | undefined | null>;

/** `path` with the defined query values appended. */
export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  const text = params.toString();
  return text ? `${path}${path.includes('?') ? '&' : '?'}${text}` : path;
}

function messageOf(status: number, body: unknown): { message: string; code?: string; field?: string } {
  if (body && typeof body === 'object') {
    const b = body as Record<string, unknown>;
    if (typeof b.message === 'string') return { message: b.message, code: typeof b.code === 'string' ? b.code : undefined, field: typeof b.field === 'string' ? b.field : undefined };
    if (typeof b.detail === 'string') return { message: b.detail, code: typeof b.scimType === 'string' ? b.scimType : undefined };
  }
  if (status === 0) return { message: 'Rollcall could not be reached. Check your network connection and try again.' };
  return { message: `The request failed (HTTP ${status}).` };
}

/** Sends one request; resolves with the parsed JSON body (undefined for 204), rejects with ApiError. */
export async function request<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const unsafe = method !== 'GET' && method !== 'HEAD';
  const allHeaders: Record<string, string> = { accept: 'application/json', 'x-rollcall-session': sessionKind, ...headers };
  if (body !== undefined) allHeaders['content-type'] = 'application/json';
  if (unsafe && csrfToken) allHeaders['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, { method, headers: allHeaders, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, messageOf(0, undefined).message);
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!response.ok) {
    const { message, code, field } = messageOf(response.status, parsed);
    if (response.status === 401) onUnauthorized?.();
    throw new ApiError(response.status, message, code, field);
  }
  return parsed as T;
}

export const api = {
  get: <T>(path: string, query?: Query) => request<T>('GET', withQuery(path, query)),
  post: <T>(path: string, body?: unknown, headers?: Record<string, string>) => request<T>('POST', path, body ?? {}, headers),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
  delete: <T = void>(path: string, query?: Query, headers?: Record<string, string>) => request<T>('DELETE', withQuery(path, query), undefined, headers),
};
