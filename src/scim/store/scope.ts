/** The connection a SCIM store call works in. Every query filters by both ids. */
export interface ConnectionScope {
  readonly tenantId: string;
  readonly connectionId: string;
  /** Whether changes emit events (connections with syncToUserManagement); stores ignore it. */
  readonly emitEvents?: boolean;
}

/** Splits a list for batched statements (SQLite caps bound parameters per statement). */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
