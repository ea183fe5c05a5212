/**
 * The errors the client throws: one class per family of HTTP status, all carrying the management API's
 * error body `{statusCode, error, code, message, field?}`, so callers branch with `instanceof` or `code`.
 */

/** The codes of the management API's error catalogue. */
export const API_ERROR_CODES = [
  'validation_failed',
  'invalid_json',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'payload_too_large',
  'unsupported_media_type',
  'rate_limited',
  'internal',
  'unavailable',
] as const;

/** A code of the catalogue, or `connection_failed` for a request that got no answer. */
export type RollcallErrorCode = (typeof API_ERROR_CODES)[number] | 'connection_failed';

/** What an error was built from. */
export interface RollcallErrorDetails {
  /** The HTTP status; 0 when no answer arrived. */
  status: number;
  code: RollcallErrorCode | (string & {});
  message: string;
  field?: string;
  requestId?: string;
  /** The parsed answer body, as the server sent it. */
  body?: unknown;
  cause?: unknown;
}

/** Any failure of a Rollcall call. */
export class RollcallError extends Error {
  /** The HTTP status; 0 when no answer arrived (RollcallConnectionError). */
  readonly status: number;
  /** The catalogue code (`validation_failed`, `not_found`, …). */
  readonly code: RollcallErrorCode | (string & {});
  /** The input the error is about, e.g. `body.url` or `querystring.after`. */
  readonly field: string | undefined;
  /** The `x-request-id` answer header, when the server or a proxy sent one. */
  readonly requestId: string | undefined;
  /** The parsed answer body. */
  readonly body: unknown;

  constructor(details: RollcallErrorDetails) {
    super(details.message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.status = details.status;
    this.code = details.code;
    this.field = details.field;
    this.requestId = details.requestId;
    this.body = details.body;
  }
}

/** 400: the request broke a schema or a rule; `field` names the input. */
export class RollcallValidationError extends RollcallError {}

/** 401: the credential or the environment token was refused. */
export class RollcallAuthenticationError extends RollcallError {}

/** 403: the caller may not do this. */
export class RollcallPermissionError extends RollcallError {}

/** 404: no such resource (or not in the tenant named). */
export class RollcallNotFoundError extends RollcallError {}

/** 409: the request conflicts with the current state (an id taken, a live user deleted…). */
export class RollcallConflictError extends RollcallError {}

/** 429: too many requests; `retryAfter` is the server's Retry-After, in seconds. */
export class RollcallRateLimitError extends RollcallError {
  readonly retryAfter: number | undefined;

  constructor(details: RollcallErrorDetails & { retryAfter?: number }) {
    super(details);
    this.retryAfter = details.retryAfter;
  }
}

/** 5xx: the server failed or is unavailable. */
export class RollcallServerError extends RollcallError {}

/** No answer: the connection failed, was reset or timed out. */
export class RollcallConnectionError extends RollcallError {
  constructor(message: string, cause: unknown) {
    super({ status: 0, code: 'connection_failed', message, cause });
  }
}

/** The catalogue code a status stands for when the body names none (e.g. an HTML page from a proxy). */
function codeForStatus(status: number): string {
  const codes: Record<number, RollcallErrorCode> = {
    400: 'validation_failed',
    401: 'unauthorized',
    403: 'forbidden',
    404: 'not_found',
    409: 'conflict',
    413: 'payload_too_large',
    415: 'unsupported_media_type',
    429: 'rate_limited',
    503: 'unavailable',
  };
  return codes[status] ?? (status >= 500 ? 'internal' : `http_${status}`);
}

const stringOr = (value: unknown, fallback: string | undefined) => (typeof value === 'string' && value !== '' ? value : fallback);

/**
 * The error for a non-2xx answer: its class from the status, its code, message and field from the body.
 * `retryAfterMs` is the parsed Retry-After header.
 */
export function errorFromAnswer(status: number, body: unknown, requestId: string | undefined, retryAfterMs: number | undefined): RollcallError {
  const fields = body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const details: RollcallErrorDetails = {
    status,
    code: stringOr(fields.code, codeForStatus(status))!,
    message: stringOr(fields.message, `Rollcall answered HTTP ${status}`)!,
    field: stringOr(fields.field, undefined),
    requestId,
    body,
  };
  switch (status) {
    case 400:
      return new RollcallValidationError(details);
    case 401:
      return new RollcallAuthenticationError(details);
    case 403:
      return new RollcallPermissionError(details);
    case 404:
      return new RollcallNotFoundError(details);
    case 409:
      return new RollcallConflictError(details);
    case 429:
      return new RollcallRateLimitError({ ...details, retryAfter: retryAfterMs === undefined ? undefined : Math.ceil(retryAfterMs / 1000) });
    default:
      return status >= 500 ? new RollcallServerError(details) : new RollcallError(details);
  }
}
