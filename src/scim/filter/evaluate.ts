/**
 * In-memory filter evaluation (RFC 7644 §3.4.2.2): PATCH value filters (`members[value eq "…"]`,
 * RFC 7644 §3.5.2) and a fallback where a filter cannot become SQL. Semantics, which the SQL
 * translator must share:
 * - attribute names match case-insensitively; strings compare case-insensitively unless the
 *   schema says `caseExact` (unknown attributes, e.g. custom extensions, are case-insensitive);
 * - a multi-valued attribute matches if any of its values matches;
 * - `ne` is "not eq": true when the attribute is absent, and on a multi-valued attribute true only
 *   when no value equals (so `emails.type ne "work"` means "has no work email");
 * - `eq null` is "not pr", `ne null` is "pr";
 * - a complex attribute without sub-attribute compares its `value` (`emails co "@x.com"`);
 * - impossible comparisons (ordering booleans, wrong literal type…) throw `invalidFilter`
 *   before anything is evaluated, whatever the data — see `checkFilter`.
 */
import { RESOURCE_TYPES, type ResourceTypeName } from '../schema/index.js';
import type { AttributeDef } from '../schema/types.js';
import type { AttrPath, CompareOp, FilterNode, FilterValue, ValuePathNode } from './ast.js';
import {
  checkElementFilter,
  checkFilter,
  comparedDef,
  elementDefs,
  resourceDefs,
  valuePathParent,
  type DefsOf,
  type PathDefs,
} from './check-filter.js';
import { compareValue } from './compare.js';
import { asArray, getCaseInsensitive, isPlainObject, isPresent } from './resource-access.js';

/** How paths are read in one scope: a whole resource, or one element of a multi-valued attribute. */
interface Scope {
  defsOf: DefsOf;
  /** The raw value of the path's attribute (its sub-attribute not yet applied). */
  raw(path: AttrPath, defs: PathDefs): unknown;
}

function resourceScope(resource: Record<string, unknown>, resourceType: ResourceTypeName): Scope {
  const core = RESOURCE_TYPES[resourceType].schema.toLowerCase();
  return {
    defsOf: resourceDefs(resourceType),
    raw(path, defs) {
      // Extension attributes live under their URN key (RFC 7643 §3.3), also when the path is
      // unqualified (`department`) and when the URN is one we do not know (custom extensions).
      const schema = defs.attrDef ? defs.schema : path.uri;
      const inExtension = schema !== undefined && schema !== '' && schema.toLowerCase() !== core;
      const container = inExtension ? getCaseInsensitive(resource, schema) : resource;
      return getCaseInsensitive(container, defs.attrDef ? defs.attrDef.name : path.attr);
    },
  };
}

/**
 * What an absent sub-attribute reads as: RFC 7643 §2.4 says of `primary` "If not specified, the
 * value of "primary" SHALL be assumed to be "false"" (so `emails[primary eq false]` finds it).
 */
function absentValue(def: AttributeDef | undefined): unknown {
  return def?.name === 'primary' && def.type === 'boolean' ? false : undefined;
}

function elementScope(element: unknown, parentAttr: AttributeDef | undefined): Scope {
  // A multi-valued simple attribute (`tags: ["a"]`) has no sub-attributes: its elements read as
  // `value`, like those of complex multi-valued attributes (RFC 7643 §2.4).
  const el = isPlainObject(element) ? element : { value: element };
  return {
    defsOf: elementDefs(parentAttr),
    raw(path, defs) {
      const value = getCaseInsensitive(el, path.attr);
      return value === undefined ? absentValue(defs.attrDef) : value;
    },
  };
}

/** The values at `sub` (defined by `subDef`) of every element of `raw`, or the elements themselves without `sub`. */
function valuesAt(raw: unknown, sub: string | undefined, subDef?: AttributeDef): unknown[] {
  const items = asArray(raw);
  if (sub === undefined) return [...items];
  const out: unknown[] = [];
  for (const item of items) {
    const value = getCaseInsensitive(item, sub);
    out.push(...asArray(value === undefined && isPlainObject(item) ? absentValue(subDef) : value));
  }
  return out;
}

function compare(scope: Scope, path: AttrPath, op: CompareOp, value: FilterValue): boolean {
  const defs = scope.defsOf(path);
  const def = comparedDef(path, defs);
  let values = valuesAt(scope.raw(path, defs), path.sub, defs.subDef);
  // A complex attribute named alone compares its `value`; for unknown attributes, the data says.
  const complex = path.sub === undefined && (defs.attrDef ? defs.attrDef.type === 'complex' : values.some(isPlainObject));
  if (complex) values = valuesAt(values, 'value');
  if (value === null) {
    const present = values.some(isPresent);
    return op === 'eq' ? !present : present;
  }
  if (op === 'ne') return !values.some((v) => compareValue(v, 'eq', value, def));
  return values.some((v) => compareValue(v, op, value, def));
}

function thenNode(then: NonNullable<ValuePathNode['then']>): FilterNode {
  const path = { attr: then.sub };
  return then.op === 'pr' ? { kind: 'present', path } : { kind: 'compare', path, op: then.op, value: then.value };
}

function valuePath(scope: Scope, node: ValuePathNode): boolean {
  const defs = scope.defsOf(node.path);
  const parent = valuePathParent(node.path, defs);
  const then = node.then && thenNode(node.then);
  for (const element of valuesAt(scope.raw(node.path, defs), node.path.sub)) {
    const inElement = elementScope(element, parent);
    if (evaluate(node.filter, inElement) && (!then || evaluate(then, inElement))) return true;
  }
  return false;
}

function evaluate(node: FilterNode, scope: Scope): boolean {
  switch (node.kind) {
    case 'compare':
      return compare(scope, node.path, node.op, node.value);
    case 'present': {
      const defs = scope.defsOf(node.path);
      return valuesAt(scope.raw(node.path, defs), node.path.sub, defs.subDef).some(isPresent);
    }
    case 'and':
      return evaluate(node.left, scope) && evaluate(node.right, scope);
    case 'or':
      return evaluate(node.left, scope) || evaluate(node.right, scope);
    case 'not':
      return !evaluate(node.filter, scope);
    case 'valuePath':
      return valuePath(scope, node);
  }
}

/**
 * Whether a resource (core and common attributes at the top level, extensions under their URN)
 * matches `node`. Throws `invalidFilter` for a comparison that is impossible (see `checkFilter`).
 */
export function matchesFilter(node: FilterNode, resource: Record<string, unknown>, resourceType: ResourceTypeName): boolean {
  checkFilter(node, resourceType);
  return evaluate(node, resourceScope(resource, resourceType));
}

/**
 * Whether one element of a multi-valued attribute matches a filter whose paths are relative to
 * it — what PATCH needs for `emails[type eq "work"]`: `matchesElement(filter, email, emailsDef)`.
 * `parentAttr` gives the sub-attributes' caseExact and types; undefined for unknown attributes.
 */
export function matchesElement(filter: FilterNode, element: unknown, parentAttr: AttributeDef | undefined): boolean {
  checkElementFilter(filter, parentAttr);
  return evaluate(filter, elementScope(element, parentAttr));
}

/**
 * The indexes of the elements that match a value filter, checking the filter once: PATCH
 * `replace`/`remove` on `members[value eq "…"]` acts on exactly these (RFC 7644 §3.5.2.2–3).
 */
export function matchingIndexes(filter: FilterNode, elements: readonly unknown[], parentAttr: AttributeDef | undefined): number[] {
  checkElementFilter(filter, parentAttr);
  const out: number[] = [];
  elements.forEach((element, i) => {
    if (evaluate(filter, elementScope(element, parentAttr))) out.push(i);
  });
  return out;
}
