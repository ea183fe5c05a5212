/**
 * Operations whose path selects elements of a multi-valued attribute with a value filter:
 * `emails[type eq "work"]`, `addresses[type eq "work"].streetAddress` (RFC 7644 §3.5.2).
 */
import type { FilterNode } from '../filter/ast.js';
import { matchesElement } from '../filter/evaluate.js';
import type { AttributeDef } from '../schema/index.js';
import { invalidValue, noTarget } from '../errors.js';
import { coerceComplex, coerceSimple, findSub, finalize } from './coerce.js';
import { deleteCI, isObject, setCI } from './json.js';
import { enforceSinglePrimary } from './multi-valued.js';
import type { AttrTarget } from './target.js';
import type { OpName } from './types.js';

/**
 * The element a filter describes, from its `eq` clauses joined by `and`: `type eq "work"` →
 * `{ type: "work" }`. Undefined when the filter does not pin an element down (`ne`, `or`, `co`, …).
 */
export function elementFromFilter(attr: AttributeDef, node: FilterNode): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  const collect = (n: FilterNode): boolean => {
    if (n.kind === 'and') return collect(n.left) && collect(n.right);
    if (n.kind !== 'compare' || n.op !== 'eq' || n.path.uri !== undefined || n.path.sub !== undefined) return false;
    const sub = findSub(attr, n.path.attr);
    if (!sub || sub.mutability === 'readOnly' || sub.type === 'complex') return false;
    let value: unknown;
    try {
      value = coerceSimple(sub, n.value, sub.name);
    } catch {
      return false; // `primary eq "maybe"` cannot describe an element; the caller answers noTarget
    }
    if (value === null || (Object.hasOwn(out, sub.name) && out[sub.name] !== value)) return false;
    out[sub.name] = value;
    return true;
  };
  return collect(node) ? out : undefined;
}

/** Set (or with null, clear) `sub` on a copy of `el`; undefined when the element is left empty. */
function withSub(el: unknown, sub: AttributeDef, value: unknown): Record<string, unknown> | undefined {
  const copy = isObject(el) ? { ...el } : {};
  if (value === null) deleteCI(copy, sub.name);
  else setCI(copy, sub.name, value);
  return Object.keys(copy).length ? copy : undefined;
}

/** Merge the sub-attributes of `value` (nulls clear) into a copy of `el` (RFC 7644 §3.5.2.1 complex add). */
export function mergeInto(el: unknown, value: Record<string, unknown>): Record<string, unknown> | null {
  const copy = isObject(el) ? { ...el } : {};
  for (const key of Object.keys(value)) {
    if (value[key] === null) deleteCI(copy, key);
    else setCI(copy, key, value[key]);
  }
  return finalize(copy);
}

/**
 * The new value of a multi-valued attribute after `op` on the elements `target.filter` selects
 * (`current` is left untouched; unchanged elements are shared). undefined = unassigned.
 *
 * add/replace when nothing matches: RFC 7644 §3.5.2.3 says replace fails with noTarget, but Entra ID
 * sends `Replace addresses[type eq "work"].streetAddress` (and `Add`) for users without a work
 * address and expects one to appear, so we create `{ type: "work", streetAddress: … }` from the
 * filter's `eq` clauses. noTarget remains for filters that do not describe an element.
 * remove when nothing matches: nothing to remove, no error — IdPs retry removes (idempotence).
 */
export function applyFiltered(op: OpName, target: AttrTarget, current: unknown, value: unknown): unknown {
  const { attr, filter, subAfterFilter: sub, text } = target;
  const list = Array.isArray(current) ? current.slice() : [];
  const hits: number[] = [];
  for (let i = 0; i < list.length; i++) if (matchesElement(filter!, list[i], attr)) hits.push(i);

  let v: unknown = null;
  if (op !== 'remove') {
    if (sub) v = sub.multiValued ? invalidSubList(sub, text) : coerceSimple(sub, value, text);
    else {
      if (Array.isArray(value) && value.length > 1) {
        throw invalidValue(`"${text}": a value filter selects values to ${op}; send one value, not ${value.length}`);
      }
      v = coerceComplex(attr, value, text);
    }
  }

  // remove, or add/replace with null (RFC 7643 §2.5: null is unassigned): clear the selection.
  if (v === null) {
    if (hits.length === 0) return current;
    for (const i of hits) list[i] = sub ? withSub(list[i], sub, null) : undefined;
    return compact(list);
  }

  const touched: unknown[] = [];
  if (hits.length === 0) {
    const base = elementFromFilter(attr, filter!);
    if (!base) throw noTarget(`"${text}": no value matches the filter, and the filter does not describe a value to create`);
    const created = sub ? withSub(base, sub, v) : mergeInto(base, v as Record<string, unknown>);
    if (!created) return current;
    list.push(created);
    touched.push(created);
  } else {
    const base = op === 'replace' && !sub ? (elementFromFilter(attr, filter!) ?? {}) : undefined;
    for (const i of hits) {
      const next = sub
        ? withSub(list[i], sub, v)
        : base
          ? mergeInto(base, v as Record<string, unknown>) // replace: "all matching record values SHALL be replaced"
          : mergeInto(list[i], v as Record<string, unknown>); // add: merge into the matching value
      list[i] = next ?? undefined;
      if (next) touched.push(next);
    }
  }
  enforceSinglePrimary(attr, list, touched);
  return compact(list);
}

function invalidSubList(sub: AttributeDef, text: string): never {
  throw invalidValue(`"${text}": multi-valued sub-attribute "${sub.name}" cannot be set through a value filter`);
}

/** Drop removed (undefined) elements; an empty list is unassigned (RFC 7644 §3.5.2.2). */
function compact(list: unknown[]): unknown[] | undefined {
  const out = list.filter((el) => el !== undefined);
  return out.length ? out : undefined;
}
