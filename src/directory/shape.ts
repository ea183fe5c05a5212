/**
 * The normalised shapes the vendor's app reads (directory API, events, webhooks): the fields an
 * app needs without knowing SCIM, plus the full SCIM resource under `scim`.
 */
import type { Selectable } from 'kysely';
import { unresolved, type ManagerReference } from '../attributes/manager-store.js';
import type { ScimGroupsTable, ScimUsersTable } from '../db/tables.js';

type UserRow = Selectable<ScimUsersTable>;
type GroupRow = Selectable<ScimGroupsTable>;

/** A provisioned user as the app sees it. */
export interface DirectoryUser {
  id: string;
  tenantId: string;
  connectionId: string;
  userName: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  displayName: string | null;
  active: boolean;
  detached: boolean;
  groups?: { id: string; displayName: string }[];
  roles?: string[];
  /** The mapped attributes (src/attributes/): each active attribute's typed value or null. */
  attributes: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
  scim: Record<string, unknown>;
}

/** A provisioned group as the app sees it. */
export interface DirectoryGroup {
  id: string;
  tenantId: string;
  connectionId: string;
  displayName: string;
  externalId: string | null;
  detached: boolean;
  createdAt: string;
  updatedAt: string;
  scim: Record<string, unknown>;
}

function primaryEmail(resource: Record<string, unknown>): string | null {
  const emails = Array.isArray(resource.emails) ? (resource.emails as { value?: unknown; primary?: unknown }[]) : [];
  const email = emails.find((e) => e?.primary === true && typeof e.value === 'string') ?? emails.find((e) => typeof e?.value === 'string');
  return (email?.value as string | undefined) ?? null;
}

/** The provider's reference to the user's manager, when the `manager` attribute holds one. */
export function managerValue(row: Pick<UserRow, 'attributes'>): string | undefined {
  if (row.attributes === null || !row.attributes.includes('"manager"')) return undefined;
  const value = (JSON.parse(row.attributes) as Record<string, unknown>).manager;
  return typeof value === 'string' ? value : undefined;
}

/** A row's attributes, the manager reference shown as resolved in `managers` (else unresolved). */
function attributesOf(row: UserRow, managers?: ReadonlyMap<string, ManagerReference>): Record<string, unknown> {
  if (row.attributes === null) return {};
  const values = JSON.parse(row.attributes) as Record<string, unknown>;
  if (typeof values.manager === 'string') values.manager = managers?.get(values.manager) ?? unresolved(values.manager);
  return values;
}

/**
 * The normalised user of a row (without groups; the directory API adds them). `scim` is the row's
 * resource when the caller holds it parsed already (a create), not to be modified afterwards;
 * `managers` resolves the `manager` attribute (src/attributes/manager-store.ts).
 */
export function toDirectoryUser(row: UserRow, scim = JSON.parse(row.resource) as Record<string, unknown>, managers?: ReadonlyMap<string, ManagerReference>): DirectoryUser {
  const displayName = row.display_name ?? ([row.given_name, row.family_name].filter(Boolean).join(' ') || null);
  return {
    id: row.id,
    tenantId: row.tenant_id,
    connectionId: row.connection_id,
    userName: row.user_name,
    email: primaryEmail(scim),
    firstName: row.given_name,
    lastName: row.family_name,
    displayName,
    active: row.active === 1,
    detached: row.detached === 1,
    attributes: attributesOf(row, managers),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    scim: { ...scim, id: row.id },
  };
}

/** The normalised group of a row. */
export function toDirectoryGroup(row: GroupRow): DirectoryGroup {
  const scim = JSON.parse(row.resource) as Record<string, unknown>;
  return {
    id: row.id,
    tenantId: row.tenant_id,
    connectionId: row.connection_id,
    displayName: row.display_name,
    externalId: row.external_id,
    detached: row.detached === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    scim: { ...scim, id: row.id },
  };
}
