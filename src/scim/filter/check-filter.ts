/**
 * Static checks of a parsed filter against the schemas, independent of any data: the filter
 * evaluator runs them before evaluating, and the SQL translator should run them before
 * translating, so that both reject exactly the same filters (RFC 7644 §3.4.2.2 asks for
 * `invalidFilter` on e.g. `active gt true`). Unknown attributes pass: custom extension
 * attributes are allowed and compared as plain JSON.
 */
import { findSubAttribute, resolveAttribute, type ResourceTypeName } from '../schema/index.js';
import type { AttributeDef } from '../schema/types.js';
import type { AttrPath, FilterNode } from './ast.js';
import { checkComparison } from './compare.js';

/** What the schema says about a path: its attribute and, if the path has one, sub-attribute. */
export interface PathDefs {
  attrDef: AttributeDef | undefined;
  subDef: AttributeDef | undefined;
  /** URN of the schema the attribute was found in (`''` for common attributes), if resolved in a resource. */
  schema?: string;
}

/** Finds the definitions of a path in some scope (a resource type, or the elements of an attribute). */
export type DefsOf = (path: AttrPath) => PathDefs;

/** Definitions of paths in a resource of `resourceType` (via `resolveAttribute`). */
export function resourceDefs(resourceType: ResourceTypeName): DefsOf {
  return (path) => {
    const resolved = resolveAttribute(resourceType, path);
    return { attrDef: resolved?.attr, subDef: resolved?.sub, schema: resolved?.schema };
  };
}

/** Definitions of paths inside one element of the multi-valued attribute `parent`. */
export function elementDefs(parent: AttributeDef | undefined): DefsOf {
  return (path) => {
    const attrDef = parent ? findSubAttribute(parent, path.attr) : undefined;
    const subDef = attrDef && path.sub !== undefined ? findSubAttribute(attrDef, path.sub) : undefined;
    return { attrDef, subDef };
  };
}

/**
 * The definition that governs a comparison on `path`: the sub-attribute's, or the attribute's;
 * for a complex attribute named alone, its `value` sub-attribute's (`emails eq "a@b.c"`).
 */
export function comparedDef(path: AttrPath, defs: PathDefs): AttributeDef | undefined {
  if (path.sub !== undefined) return defs.subDef;
  const def = defs.attrDef;
  if (def?.type !== 'complex') return def;
  return findSubAttribute(def, 'value') ?? def;
}

/** The definition of the attribute a `[…]` filter applies to (its elements' parent). */
export function valuePathParent(path: AttrPath, defs: PathDefs): AttributeDef | undefined {
  return path.sub !== undefined ? defs.subDef : defs.attrDef;
}

function check(node: FilterNode, defsOf: DefsOf): void {
  switch (node.kind) {
    case 'compare':
      checkComparison(node.path, node.op, node.value, comparedDef(node.path, defsOf(node.path)));
      return;
    case 'present':
      return;
    case 'and':
    case 'or':
      check(node.left, defsOf);
      check(node.right, defsOf);
      return;
    case 'not':
      check(node.filter, defsOf);
      return;
    case 'valuePath': {
      const inElements = elementDefs(valuePathParent(node.path, defsOf(node.path)));
      check(node.filter, inElements);
      const then = node.then;
      if (then && then.op !== 'pr') {
        const path = { attr: then.sub };
        checkComparison(path, then.op, then.value, comparedDef(path, inElements(path)));
      }
      return;
    }
  }
}

/** Throws `invalidFilter` if any comparison in `node` is impossible for a `resourceType` resource. */
export function checkFilter(node: FilterNode, resourceType: ResourceTypeName): void {
  check(node, resourceDefs(resourceType));
}

/** As `checkFilter`, for a value filter whose paths are relative to elements of `parentAttr`. */
export function checkElementFilter(filter: FilterNode, parentAttr: AttributeDef | undefined): void {
  check(filter, elementDefs(parentAttr));
}
