/** Builds the SCIM representation of stored rows: `id`, `meta`, computed `groups` and `members`. */
import type { ResourceTypeName } from '../schema/index.js';
import type { MemberView } from '../store/group-store.js';
import type { UserGroupRef } from '../store/user-store.js';

/** What every row has that `meta` is built from. */
export interface RowMeta {
  id: string;
  resource: string;
  version: number;
  created_at: string;
  updated_at: string;
}

/** A row whose resource came already parsed, with the rest of its page (a PostgreSQL page read as one JSON text). */
export type ParsedRowMeta = Omit<RowMeta, 'resource'> & { resource: Record<string, unknown> };

/** The ETag of a version, also `meta.version` (RFC 7644 §3.14): weak, since JSON is not byte-stable. */
export function etagOf(version: number): string {
  return `W/"${version}"`;
}

/**
 * Parses an If-Match / If-None-Match header into the versions it names; `*` matches any.
 * Unparseable entity tags match nothing, so a stale or foreign tag gives 412 rather than a write.
 */
export function parseEtags(header: string): { any: boolean; versions: Set<number> } {
  const versions = new Set<number>();
  let any = false;
  for (const part of header.split(',')) {
    const tag = part.trim();
    if (tag === '*') any = true;
    const match = /^(?:W\/)?"(\d+)"$/.exec(tag);
    if (match) versions.add(Number(match[1]));
  }
  return { any, versions };
}

/**
 * Renders a row as a SCIM resource, with `extra` (groups or members) before `meta`. `resource` is
 * the row's resource when the caller holds it parsed already (a create).
 */
export function renderResource(
  resourceType: ResourceTypeName,
  row: RowMeta | ParsedRowMeta,
  baseUrl: string,
  extra: Record<string, unknown> = {},
  resource = typeof row.resource === 'string' ? (JSON.parse(row.resource) as Record<string, unknown>) : row.resource,
): Record<string, unknown> {
  const { schemas, ...attributes } = resource;
  const endpoint = resourceType === 'User' ? 'Users' : 'Groups';
  return {
    schemas,
    id: row.id,
    ...attributes,
    ...extra,
    meta: {
      resourceType,
      created: row.created_at,
      lastModified: row.updated_at,
      location: `${baseUrl}/${endpoint}/${row.id}`,
      version: etagOf(row.version),
    },
  };
}

/** The User `groups` attribute (RFC 7643 §4.1.2): direct memberships, readOnly. */
export function renderGroups(groups: readonly UserGroupRef[], baseUrl: string) {
  return groups.map((g) => ({ value: g.value, $ref: `${baseUrl}/Groups/${g.value}`, display: g.display, type: 'direct' }));
}

/** The Group `members` attribute (RFC 7643 §4.2). */
export function renderMembers(members: readonly MemberView[], baseUrl: string) {
  return members.map((m) => {
    const out: Record<string, unknown> = { value: m.value, $ref: `${baseUrl}/${m.type === 'User' ? 'Users' : 'Groups'}/${m.value}`, type: m.type };
    if (m.display !== null) out.display = m.display;
    return out;
  });
}
