/**
 * Google's error bodies, in one place: the Directory API's (AIP-193's `{"error": {code, message, status}}`
 * with the older `errors[]` array beside it, which is where the client libraries read `reason`) and the
 * OAuth endpoints' (`{"error": "invalid_grant", "error_description": …}`, RFC 6749 §5.2).
 */

/** One entry of a Directory API error's `errors` array. */
export interface GoogleErrorItem {
  message: string;
  domain: 'global' | 'usageLimits';
  reason: string;
  location?: string;
  locationType?: string;
}

/** A Directory API error body. */
export interface GoogleErrorBody {
  error: { code: number; message: string; errors: GoogleErrorItem[]; status: string; details?: unknown[] };
}

/** Thrown by a Directory API handler; the server answers with `status` and `body`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: GoogleErrorBody,
  ) {
    super(body.error.message);
  }
}

function apiError(code: number, status: string, message: string, reason: string, extra: Partial<GoogleErrorItem> = {}): ApiError {
  return new ApiError(code, { error: { code, message, errors: [{ message, domain: 'global', reason, ...extra }], status } });
}

/** What the failures that `failNext` can inject look like. */
export type InjectedFailure = 'rateLimit403' | 'rateLimit429' | 'server500';

/** The Directory API's errors. */
export const apiErrors = {
  /** No, an unknown, an expired or a revoked access token. Google also sends `WWW-Authenticate`. */
  unauthenticated: () =>
    apiError(
      401,
      'UNAUTHENTICATED',
      'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
      'authError',
      { location: 'Authorization', locationType: 'header' },
    ),
  /** The access token lacks every scope the method accepts. */
  insufficientScopes: () => {
    const error = apiError(403, 'PERMISSION_DENIED', 'Request had insufficient authentication scopes.', 'insufficientPermissions');
    error.body.error.errors[0].message = 'Insufficient Permission';
    return error;
  },
  /** The acting user is no admin, or asks about another customer's domain. */
  notAuthorized: () => apiError(403, 'PERMISSION_DENIED', 'Not Authorized to access this resource/api', 'forbidden'),
  /** `what` is the parameter Google names: `userKey`, `groupKey`, `memberKey`. */
  notFound: (what: string) => apiError(404, 'NOT_FOUND', `Resource Not Found: ${what}`, 'notFound'),
  /** A path the Directory API does not have (or that the stand-in does not serve). */
  noSuchMethod: () => apiError(404, 'NOT_FOUND', 'Method not found.', 'notFound'),
  /** Neither `customer` nor `domain` given to a list method. */
  badRequest: () => apiError(400, 'INVALID_ARGUMENT', 'Bad Request', 'badRequest'),
  /** A parameter out of its documented range (`maxResults`). */
  outOfRange: (value: string, min: number, max: number) =>
    apiError(400, 'INVALID_ARGUMENT', `Invalid value '${value}'. Values must be within the range: [${min}, ${max}]`, 'invalid'),
  /** An enum parameter with a value it does not have, in the words of Google's front end. */
  invalidValue: (parameter: string, value: string) =>
    apiError(400, 'INVALID_ARGUMENT', `Invalid value at '${parameter}' (TYPE_ENUM), "${value}"`, 'invalid'),
  /** A parameter Google rejects, such as a page token it did not issue for this listing. */
  invalidInput: (what: string) => apiError(400, 'INVALID_ARGUMENT', `Invalid Input: ${what}`, 'invalid'),
  /** A parameter the stand-in does not implement: failing loudly beats answering as if it were ignored. */
  notImplemented: (what: string) => apiError(400, 'INVALID_ARGUMENT', `The Google stand-in does not implement ${what}`, 'invalid'),
  injected: (kind: InjectedFailure): ApiError => {
    switch (kind) {
      case 'rateLimit403': {
        // The Directory API's own per-user limit: 403 with reason rateLimitExceeded in domain usageLimits.
        const error = apiError(403, 'PERMISSION_DENIED', 'Rate Limit Exceeded', 'rateLimitExceeded');
        error.body.error.errors[0].domain = 'usageLimits';
        return error;
      }
      case 'rateLimit429': {
        // The project quota, enforced in front of the API: 429 RESOURCE_EXHAUSTED with an ErrorInfo detail.
        const message =
          "Quota exceeded for quota metric 'Queries' and limit 'Queries per minute per user' of service 'admin.googleapis.com' for consumer 'project_number:123456789012'.";
        const error = apiError(429, 'RESOURCE_EXHAUSTED', message, 'rateLimitExceeded');
        error.body.error.details = [
          {
            '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
            reason: 'RATE_LIMIT_EXCEEDED',
            domain: 'googleapis.com',
            metadata: { service: 'admin.googleapis.com', quota_metric: 'admin.googleapis.com/default', quota_limit: 'defaultPerMinutePerUser', consumer: 'projects/123456789012' },
          },
        ];
        return error;
      }
      case 'server500':
        return apiError(500, 'INTERNAL', 'Internal error encountered.', 'backendError');
    }
  },
};

/** An OAuth endpoint's error: `{"error": code, "error_description": description}` with `status`. */
export class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly description: string,
  ) {
    super(`${code}: ${description}`);
  }

  get body(): { error: string; error_description: string } {
    return { error: this.code, error_description: this.description };
  }
}

/** The token endpoint's errors, with Google's wording. */
export const oauthErrors = {
  missing: (parameter: string) => new OAuthError(400, 'invalid_request', `Missing required parameter: ${parameter}`),
  unsupportedGrantType: (grantType: string) => new OAuthError(400, 'unsupported_grant_type', `Invalid grant_type: ${grantType}`),
  unknownClient: () => new OAuthError(401, 'invalid_client', 'The OAuth client was not found.'),
  wrongSecret: () => new OAuthError(401, 'invalid_client', 'Unauthorized'),
  missingSecret: () => new OAuthError(400, 'invalid_request', 'client_secret is missing.'),
  /** An unknown, used or another client's authorization code. */
  badCode: () => new OAuthError(400, 'invalid_grant', 'Bad Request'),
  redirectUriMismatch: () => new OAuthError(400, 'redirect_uri_mismatch', 'Bad Request'),
  revoked: () => new OAuthError(400, 'invalid_grant', 'Token has been expired or revoked.'),
  badSignature: () => new OAuthError(400, 'invalid_grant', 'Invalid JWT Signature.'),
  accountNotFound: () => new OAuthError(400, 'invalid_grant', 'Invalid grant: account not found'),
  badAudience: (expected: string) => new OAuthError(400, 'invalid_grant', `Invalid JWT: Failed audience check. The expected value was ${expected}`),
  badLifetime: () =>
    new OAuthError(
      400,
      'invalid_grant',
      'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.',
    ),
  noScope: () => new OAuthError(400, 'invalid_scope', 'Invalid OAuth scope or ID token audience provided.'),
  unknownSubject: () => new OAuthError(400, 'invalid_grant', 'Invalid email or User ID'),
  notDelegated: () =>
    new OAuthError(
      401,
      'unauthorized_client',
      'Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.',
    ),
  /** The revocation endpoint's answer for a token it does not know. */
  invalidToken: () => new OAuthError(400, 'invalid_token', 'Token expired or revoked'),
};
