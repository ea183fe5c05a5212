/**
 * Calls one operation of the table (operations.ts) with the environment token: builds the URL from the
 * path template, sends it through the transport, and on a 401 exchanges the credential once more and
 * repeats the call — the token may have been revoked, or the credential rotated, since it was issued.
 */
import { RollcallAuthenticationError } from './errors.js';
import type { Http } from './http.js';
import { OPERATIONS, type CallInput, type CallResult, type OperationName } from './operations.js';
import { isRetryable } from './retry.js';
import type { TokenSource } from './token.js';

type QueryValue = string | number | boolean | null | undefined;

/** `template` with each `{name}` replaced by its encoded parameter. */
export function fillPath(template: string, params: Record<string, string> = {}): string {
  return template.replace(/\{([^}]+)\}/g, (_match, name: string) => {
    const value = params[name];
    if (typeof value !== 'string' || value === '') throw new TypeError(`${template} needs a non-empty "${name}"`);
    return encodeURIComponent(value);
  });
}

/** `?a=1&b=2` of the defined values, or '' when there are none. */
export function queryString(query: Record<string, QueryValue> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== null) params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * `promise`, or the signal's reason as soon as it aborts. The token exchange is shared by every waiting
 * call, so one caller's abort stops its own wait, not the exchange.
 */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Sends operations of the table on behalf of the namespaces. */
export class ApiClient {
  constructor(
    private readonly http: Http,
    private readonly tokens: TokenSource,
    private readonly baseUrl: string,
  ) {}

  /** Calls operation `name`; resolves with its answer body, or throws a RollcallError. */
  async call<K extends OperationName>(name: K, input: CallInput<K>): Promise<CallResult<K>> {
    const { method, path } = OPERATIONS[name];
    const { path: params, query, headers, body, signal } = input as { path?: Record<string, string>; query?: Record<string, QueryValue>; headers?: Record<string, string>; body?: unknown; signal?: AbortSignal };
    const request = {
      method: method.toUpperCase(),
      url: this.baseUrl + fillPath(path, params) + queryString(query),
      body,
      signal,
      retryable: isRetryable(method, path),
    };
    const send = async (token: string) => (await this.http.send({ ...request, headers: { ...headers, authorization: `Bearer ${token}` } })) as CallResult<K>;
    const token = await untilAborted(this.tokens.token(), signal);
    try {
      return await send(token);
    } catch (error) {
      // Refused at the door, the request did nothing: repeating it is safe whatever its method.
      if (!(error instanceof RollcallAuthenticationError)) throw error;
      return send(await untilAborted(this.tokens.replace(token), signal));
    }
  }
}
