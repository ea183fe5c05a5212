/** The management API error catalogue: every non-SCIM error body comes from here. */

export const API_ERROR_CODES = {
  validation_failed: 400,
  invalid_json: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const;
/** Machine-readable error code of a management API error. */
export type ApiErrorCode = keyof typeof API_ERROR_CODES;

/** Body of every management API error: `{statusCode, error, code, message, field?}`. */
export interface ApiErrorBody {
  statusCode: number;
  error: string;
  code: ApiErrorCode;
  message: string;
  field?: string;
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** An error the management API answers with; `field` names the offending input where there is one. */
export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly statusCode: number;
  readonly field?: string;

  constructor(code: ApiErrorCode, message: string, field?: string) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.statusCode = API_ERROR_CODES[code];
    this.field = field;
  }

  toBody(): ApiErrorBody {
    const body: ApiErrorBody = {
      statusCode: this.statusCode,
      error: REASONS[this.statusCode] ?? 'Error',
      code: this.code,
      message: this.message,
    };
    if (this.field) body.field = this.field;
    return body;
  }
}

export const validationFailed = (message: string, field?: string) => new ApiError('validation_failed', message, field);
export const unauthorized = (message = 'A valid environment token is required (Authorization: Bearer …)') =>
  new ApiError('unauthorized', message);
export const forbidden = (message: string) => new ApiError('forbidden', message);
export const notFound = (message: string) => new ApiError('not_found', message);
export const conflict = (message: string, field?: string) => new ApiError('conflict', message, field);

/** The catalogue code for an HTTP status: the first code with that status, else a generic one. */
export function codeForStatus(status: number): ApiErrorCode {
  const match = (Object.entries(API_ERROR_CODES) as [ApiErrorCode, number][]).find(([, s]) => s === status);
  if (match) return match[0];
  return status >= 400 && status < 500 ? 'validation_failed' : 'internal';
}
