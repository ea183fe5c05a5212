/**
 * Resolving the `manager` attribute: the provider sends an id for the manager — Entra ID the SCIM
 * id Rollcall gave the manager, Okta what the admin mapped (often the manager's externalId or user
 * name). It names a user of the same connection by SCIM id, externalId or userName, in that order.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import { chunks } from '../scim/store/scope.js';

/** The manager as the directory API, events and webhooks show it; `value` is what the provider sent. */
export interface ManagerReference {
  id: string | null;
  userName: string | null;
  displayName: string | null;
  value: string;
}

/** A user a reference may name. */
interface Candidate {
  id: string;
  user_name: string;
  user_name_norm: string;
  external_id: string | null;
  display_name: string | null;
  given_name: string | null;
  family_name: string | null;
}

/** The reference as shown when it names no user of the connection. */
export function unresolved(value: string): ManagerReference {
  return { id: null, userName: null, displayName: null, value };
}

/** Resolves references of one connection; the map holds every reference, resolved or not. */
export async function resolveManagers(db: Kysely<Database>, tenantId: string, connectionId: string, values: readonly string[]): Promise<Map<string, ManagerReference>> {
  const out = new Map<string, ManagerReference>();
  const wanted = [...new Set(values)];
  if (wanted.length === 0) return out;
  const candidates: Candidate[] = [];
  for (const part of chunks(wanted, 200)) {
    const lower = part.map((v) => v.toLowerCase());
    candidates.push(
      ...(await db
        .selectFrom('scim_users')
        .select(['id', 'user_name', 'user_name_norm', 'external_id', 'display_name', 'given_name', 'family_name'])
        .where('tenant_id', '=', tenantId)
        .where('connection_id', '=', connectionId)
        .where((eb) => eb.or([eb('id', 'in', part), eb('external_id', 'in', part), eb('user_name_norm', 'in', lower)]))
        .execute()),
    );
  }
  for (const value of wanted) {
    const match =
      candidates.find((c) => c.id === value) ?? candidates.find((c) => c.external_id === value) ?? candidates.find((c) => c.user_name_norm === value.toLowerCase());
    out.set(
      value,
      match
        ? { id: match.id, userName: match.user_name, displayName: match.display_name ?? ([match.given_name, match.family_name].filter(Boolean).join(' ') || null), value }
        : unresolved(value),
    );
  }
  return out;
}
