/** Makes a request body safe to keep in the monitoring log: secrets redacted, size capped. */

/** Keys whose values are never logged, compared case-insensitively. */
const SECRET_KEYS = new Set(['password', 'token', 'secret', 'authorization', 'clientsecret', 'accesstoken', 'refreshtoken', 'apikey']);
export const REDACTED = '[redacted]';
/** Longest body kept, in characters of JSON. */
export const MAX_LOGGED_BODY = 8192;

function redactValue(value: unknown, depth: number): unknown {
  if (depth > 16) return '[…]';
  if (Array.isArray(value)) return value.slice(0, 200).map((v) => redactValue(v, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) out[key] = SECRET_KEYS.has(key.toLowerCase()) ? REDACTED : redactValue(v, depth + 1);
    return out;
  }
  return value;
}

/**
 * The JSON text to log for a request body, or null when there is none. PATCH values that set a
 * password by path (`{"path":"password","value":"…"}`) are redacted too.
 */
export function redactBody(body: unknown): string | null {
  if (body === undefined || body === null || body === '') return null;
  let safe = redactValue(body, 0);
  const ops = (safe as { Operations?: unknown })?.Operations;
  if (Array.isArray(ops)) {
    for (const op of ops) {
      if (op && typeof op === 'object' && typeof (op as { path?: unknown }).path === 'string' && /password/i.test((op as { path: string }).path)) {
        (op as { value?: unknown }).value = REDACTED;
      }
    }
    safe = { ...(safe as object), Operations: ops };
  }
  const text = typeof safe === 'string' ? JSON.stringify(safe) : JSON.stringify(safe);
  return text.length > MAX_LOGGED_BODY ? `${text.slice(0, MAX_LOGGED_BODY)}…[truncated ${text.length - MAX_LOGGED_BODY} characters]` : text;
}
