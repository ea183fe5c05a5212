/**
 * Google's answers, sorted by what Rollcall does about them: wait and try again (rate limits, server
 * errors), stop and ask for a new authorization (the grant is revoked, a scope or the delegation is
 * missing, the admin may not read the directory), or fail this sync and try at the next one.
 */

/** The parts of a GaxiosError (google-auth-library, @googleapis/admin) that are read here. */
interface GoogleFailure {
  message?: string;
  status?: number;
  code?: string | number;
  response?: { status?: number; data?: unknown; headers?: unknown };
}

/** A sync cannot go on until someone authorizes the connection again; `reason` says what to do. */
export class NeedsReauthorization extends Error {
  override name = 'NeedsReauthorization';
}

const RATE_LIMIT_REASONS = new Set(['rateLimitExceeded', 'userRateLimitExceeded', 'quotaExceeded']);

function statusOf(error: GoogleFailure): number | undefined {
  return error.response?.status ?? (typeof error.status === 'number' ? error.status : undefined);
}

/** `error.errors[0].reason` of a Directory API error body. */
function reasonOf(error: GoogleFailure): string | undefined {
  const data = error.response?.data as { error?: { errors?: { reason?: string }[] } } | undefined;
  return typeof data?.error === 'object' ? data.error.errors?.[0]?.reason : undefined;
}

/** The OAuth error of a token endpoint answer (`{"error": "invalid_grant", "error_description": …}`). */
function oauthErrorOf(error: GoogleFailure): { code: string; description: string } | undefined {
  const data = error.response?.data as { error?: unknown; error_description?: unknown } | undefined;
  if (typeof data?.error !== 'string') return undefined;
  return { code: data.error, description: typeof data.error_description === 'string' ? data.error_description : '' };
}

function apiMessageOf(error: GoogleFailure): string {
  const data = error.response?.data as { error?: { message?: string } } | undefined;
  return (typeof data?.error === 'object' && data.error.message) || error.message || 'no message';
}

/** Whether waiting and asking again may work: a rate limit, a server error, or the network. */
export function isRetryable(error: unknown): boolean {
  const failure = error as GoogleFailure;
  const status = statusOf(failure);
  if (status === 429 || (status !== undefined && status >= 500)) return true;
  if (status === 403 && RATE_LIMIT_REASONS.has(reasonOf(failure) ?? '')) return true;
  // No answer at all: a reset or refused connection, a timeout.
  return status === undefined && !(error instanceof NeedsReauthorization) && typeof failure.code === 'string';
}

/** Seconds of a `Retry-After` header, when Google sent one. */
export function retryAfterMs(error: unknown): number | undefined {
  const headers = (error as GoogleFailure).response?.headers as { get?: (name: string) => string | null } | Record<string, string> | undefined;
  const raw = typeof headers?.get === 'function' ? headers.get('retry-after') : (headers as Record<string, string> | undefined)?.['retry-after'];
  const seconds = raw === null || raw === undefined ? NaN : Number(raw);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

/**
 * The words a customer's admin needs when Google refused the grant itself; undefined for any other
 * failure. `who` names the account the grant acts as.
 */
export function reauthorizationReason(error: unknown, who: string): string | undefined {
  const failure = error as GoogleFailure;
  const oauth = oauthErrorOf(failure);
  if (oauth) {
    const detail = oauth.description ? `${oauth.code}: ${oauth.description}` : oauth.code;
    switch (oauth.code) {
      case 'invalid_grant':
        return `Google no longer accepts this connection's authorization (${detail}). It was revoked, expired, or the admin lost access; authorize the connection again.`;
      case 'unauthorized_client':
        return `Google refused the service account (${detail}). In the Admin console, under Security → API controls → Domain-wide delegation, allow its client ID the read-only directory scopes.`;
      case 'invalid_client':
        return `Google refused the OAuth client Rollcall uses (${detail}). The vendor must check GOOGLE_OAUTH_CLIENT_ID and GOOGLE_OAUTH_CLIENT_SECRET.`;
      default:
        return `Google refused the authorization (${detail}). Authorize the connection again.`;
    }
  }
  const status = statusOf(failure);
  if (status === 401) return `Google did not accept the access granted for ${who} (${apiMessageOf(failure)}). Authorize the connection again.`;
  if (status === 403 && !RATE_LIMIT_REASONS.has(reasonOf(failure) ?? '')) {
    if (reasonOf(failure) === 'insufficientPermissions') {
      return `The authorization lacks a scope Rollcall needs to read users and groups (${apiMessageOf(failure)}). Authorize again and allow read-only access to the directory.`;
    }
    return `${who} may not read the directory (${apiMessageOf(failure)}). Authorize with a Workspace super-admin.`;
  }
  return undefined;
}

/** A short message for a sync that failed for another reason. */
export function failureMessage(error: unknown): string {
  const failure = error as GoogleFailure;
  const status = statusOf(failure);
  return status === undefined ? (failure.message ?? String(error)) : `Google answered ${status}: ${apiMessageOf(failure)}`;
}
