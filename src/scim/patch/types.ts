/** Public types of the PATCH engine (RFC 7644 §3.5.2). */
import type { FilterNode } from '../filter/ast.js';

/** A stored SCIM resource as plain JSON: core attributes at the top, extensions keyed by schema URN. */
export type ScimResource = Record<string, unknown>;

/** The resource types the engine knows the schemas of. */
export type PatchResourceType = 'User' | 'Group';

/** One member of a Group as the store keeps it: one row per member. */
export type MemberRef = { value: string; display?: string; type?: string };

/**
 * A change to a Group's membership, for the store to apply in order as row inserts/deletes.
 * Members never travel inside the resource JSON: a group can have 100,000 of them.
 */
export type MemberOp =
  | { op: 'add'; members: MemberRef[] }
  /** Remove these member ids; ids that are not members are ignored (idempotent). */
  | { op: 'remove'; values: string[] }
  /** Remove every member matching this value filter (relative to a member: `value`, `display`, `type`). */
  | { op: 'removeWhere'; filter: FilterNode }
  | { op: 'removeAll' }
  /** removeAll, then add these. */
  | { op: 'replace'; members: MemberRef[] };

/** How to apply a PATCH. */
export interface PatchOptions {
  resourceType: PatchResourceType;
  /** Most operations accepted in one body; more → `tooMany`. Default 1000. */
  maxOperations?: number;
  /**
   * The resource's id when the stored JSON does not carry it; recognises Okta's echoed `id` in a
   * path-less value. Defaults to `resource.id`.
   */
  id?: string;
}

/** What a PATCH produced. */
export interface PatchResult {
  /** The new resource: a fresh object, the input is never touched. */
  resource: ScimResource;
  /** Membership changes, in request order (Groups only). */
  memberOps: MemberOp[];
  /**
   * Attributes whose value really changed, in first-touched order: core attributes by canonical name
   * (`active`, `name`, `emails`), extension attributes as `urn…:attr`, and `members` when memberOps is non-empty.
   */
  changed: string[];
  /**
   * Whether every operation targeted `members` (Groups): then `memberOps` is all the PATCH does,
   * whatever the resource's attributes are.
   */
  membersOnly: boolean;
}

/** The three operations of RFC 7644 §3.5.2, lower-cased. */
export type OpName = 'add' | 'replace' | 'remove';
