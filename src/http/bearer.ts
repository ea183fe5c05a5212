/** Reads `Authorization: Bearer <token>`; the scheme is case-insensitive (RFC 6750 §2.1, RFC 7235 §2.1). */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^\s*bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}
