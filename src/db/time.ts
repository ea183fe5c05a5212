/** Timestamps are stored as ISO-8601 UTC text with milliseconds, which sorts correctly as text. */
export function nowIso(): string {
  return new Date().toISOString();
}

/** `seconds` from now, as stored. */
export function isoIn(seconds: number): string {
  return new Date(Date.now() + seconds * 1000).toISOString();
}
