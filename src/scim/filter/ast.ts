/** Typed tree of a SCIM filter (RFC 7644 §3.4.2.2) and of an attribute path (RFC 7644 §3.5.2). */

export const COMPARE_OPS = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'lt', 'ge', 'le'] as const;
/** A binary comparison operator, always lower-cased after parsing. */
export type CompareOp = (typeof COMPARE_OPS)[number];

/** A literal on the right of a comparison: JSON string, number, boolean or null. */
export type FilterValue = string | number | boolean | null;

/**
 * A reference to an attribute: optional schema URN, attribute name, optional sub-attribute.
 * Names keep the client's spelling; comparisons against schemas are case-insensitive.
 * e.g. `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value`
 *   → { uri: 'urn:…:enterprise:2.0:User', attr: 'manager', sub: 'value' }
 */
export interface AttrPath {
  uri?: string;
  attr: string;
  sub?: string;
}

/** `attrPath op value` */
export interface CompareNode {
  kind: 'compare';
  path: AttrPath;
  op: CompareOp;
  value: FilterValue;
}

/** `attrPath pr` */
export interface PresentNode {
  kind: 'present';
  path: AttrPath;
}

/** `a and b`, `a or b` */
export interface LogicalNode {
  kind: 'and' | 'or';
  left: FilterNode;
  right: FilterNode;
}

/** `not (f)` */
export interface NotNode {
  kind: 'not';
  filter: FilterNode;
}

/**
 * `attr[valFilter]` — a complex attribute filter. The inner filter's paths are relative to the
 * multi-valued attribute (their `attr` is the sub-attribute name, e.g. `type`, `value`).
 * `sub` is set for Entra ID's `emails[type eq "work"].value eq "x"` form: the comparison that
 * follows applies to `sub` of the same matching element (see `then`).
 */
export interface ValuePathNode {
  kind: 'valuePath';
  path: AttrPath;
  filter: FilterNode;
  /** Entra ID form `emails[type eq "work"].value eq "a@b"`: the element must also satisfy this. */
  then?: { sub: string; op: CompareOp; value: FilterValue } | { sub: string; op: 'pr' };
}

/** Any node of a parsed filter. */
export type FilterNode = CompareNode | PresentNode | LogicalNode | NotNode | ValuePathNode;

/**
 * A PATCH operation path (RFC 7644 §3.5.2): `attrPath` or `valuePath [ "." subAttr ]`.
 * e.g. `members[value eq "2819c223"]`, `emails[type eq "work"].value`, `name.familyName`.
 */
export interface PatchPath {
  path: AttrPath;
  /** The value filter selecting elements of a multi-valued attribute. */
  filter?: FilterNode;
  /** The sub-attribute after a value filter: `emails[type eq "work"].value` → `value`. */
  subAfterFilter?: string;
}
