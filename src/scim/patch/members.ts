/**
 * Group membership PATCH operations become MemberOps for the store (one row per member) instead of
 * edits to a members array: groups can hold 100,000 members, so the list is never built in memory.
 */
import type { FilterNode } from '../filter/ast.js';
import { invalidPath, invalidValue } from '../errors.js';
import { isForbiddenKey, isObject } from './json.js';
import type { AttrTarget } from './target.js';
import type { MemberOp, MemberRef, OpName } from './types.js';

/** Member keys the store keeps; `$ref` is accepted and dropped (the store derives it from `value`). */
const MEMBER_KEYS = new Map([
  ['value', 'value'],
  ['display', 'display'],
  ['type', 'type'],
  ['$ref', '$ref'],
]);

function memberRef(raw: unknown, where: string): MemberRef | undefined {
  if (raw === null || raw === undefined) return undefined;
  // A bare id is read as `{ value }`, as coerce.ts does for other complex attributes with a `value`.
  if (typeof raw === 'string') {
    if (raw === '') throw invalidValue(`${where}: member value must be a non-empty string`);
    return { value: raw };
  }
  if (!isObject(raw)) throw invalidValue(`${where}: a member is an object like {"value": "<id>"}`);
  const ref: Partial<MemberRef> = {};
  for (const key of Object.keys(raw)) {
    const name = MEMBER_KEYS.get(key.toLowerCase());
    if (name === undefined || isForbiddenKey(key)) throw invalidPath(`${where}: "${key}" is not a sub-attribute of "members"`);
    if (name === '$ref') continue;
    const v = raw[key];
    if (v === null || v === undefined) continue;
    if (typeof v !== 'string') throw invalidValue(`${where}.${name}: expected a string`);
    if (name === 'value' || v !== '') ref[name as keyof MemberRef] = v;
  }
  if (typeof ref.value !== 'string' || ref.value === '') {
    throw invalidValue(`${where}: member "value" (the member's id) is required (RFC 7643 §4.2)`);
  }
  return ref as MemberRef;
}

/** The members listed in `value` (a list, or one member), deduplicated by id — the last spelling wins. */
export function memberRefs(value: unknown, where: string): MemberRef[] {
  const list = Array.isArray(value) ? value : [value];
  const byId = new Map<string, MemberRef>();
  for (let i = 0; i < list.length; i++) {
    const ref = memberRef(list[i], `${where}[${i}]`);
    if (ref) byId.set(ref.value, ref);
  }
  return [...byId.values()];
}

/**
 * The member ids a filter names when it is only `value eq "id"` clauses joined by `or`
 * (`members[value eq "a" or value eq "b"]`), else undefined.
 */
export function idsFromFilter(node: FilterNode): string[] | undefined {
  if (node.kind === 'or') {
    const left = idsFromFilter(node.left);
    const right = left && idsFromFilter(node.right);
    return left && right ? [...left, ...right] : undefined;
  }
  if (node.kind !== 'compare' || node.op !== 'eq' || typeof node.value !== 'string') return undefined;
  const { path } = node;
  if (path.uri !== undefined || path.sub !== undefined || path.attr.toLowerCase() !== 'value') return undefined;
  return [node.value];
}

/**
 * The MemberOp for one operation on `members`, or undefined when it changes nothing.
 * - add [list] → add; an empty list adds nothing.
 * - replace [list] → replace; replace with null / [] → removeAll (RFC 7643 §2.5: empty = unassigned).
 * - remove without value → removeAll (RFC 7644 §3.5.2.2).
 * - remove with value [{value}] → remove those ids only: Entra ID (without aadOptscim062020) removes
 *   members this way and expects the others kept (idp-exchanges.json "remove members (no flag)").
 * - remove members[value eq "id"] → remove that id; any other filter → removeWhere for the store.
 */
export function memberOpFor(op: OpName, target: AttrTarget, value: unknown, hasValue: boolean): MemberOp | undefined {
  const where = target.text;
  if (target.sub || target.subAfterFilter) {
    throw invalidPath(`"${where}": member sub-attributes are immutable (RFC 7643 §8.7.1); remove the member and add it again`);
  }
  if (target.filter) {
    if (op !== 'remove') {
      throw invalidPath(`"${where}": ${op} takes "members" without a filter; a filter selects members to remove`);
    }
    const ids = idsFromFilter(target.filter);
    return ids ? { op: 'remove', values: [...new Set(ids)] } : { op: 'removeWhere', filter: target.filter };
  }
  if (op === 'remove') {
    if (!hasValue || value === null) return { op: 'removeAll' };
    const values = memberRefs(value, where).map((m) => m.value);
    return values.length ? { op: 'remove', values } : undefined;
  }
  if (!hasValue) throw invalidValue(`"${where}": ${op} needs a "value" (RFC 7644 §3.5.2.1, §3.5.2.3)`);
  const members = value === null ? [] : memberRefs(value, where);
  if (op === 'replace') return members.length ? { op: 'replace', members } : { op: 'removeAll' };
  return members.length ? { op: 'add', members } : undefined;
}

/**
 * Appends `next` to `ops`, folding it into the previous op when that is the same kind (two adds,
 * two removes) or when it supersedes everything before (removeAll, replace).
 */
export function pushMemberOp(ops: MemberOp[], next: MemberOp): void {
  if (next.op === 'removeAll' || next.op === 'replace') {
    ops.length = 0;
    ops.push(next);
    return;
  }
  const last = ops[ops.length - 1];
  if (last?.op === 'replace' && next.op === 'add') {
    // replace(A) then add(B) is replace(A ∪ B): still one removeAll for the store.
    const byId = new Map(last.members.map((m) => [m.value, m]));
    for (const m of next.members) byId.set(m.value, m);
    ops[ops.length - 1] = { op: 'replace', members: [...byId.values()] };
  } else if (last?.op === 'add' && next.op === 'add') {
    const byId = new Map(last.members.map((m) => [m.value, m]));
    for (const m of next.members) byId.set(m.value, m);
    ops[ops.length - 1] = { op: 'add', members: [...byId.values()] };
  } else if (last?.op === 'remove' && next.op === 'remove') {
    ops[ops.length - 1] = { op: 'remove', values: [...new Set([...last.values, ...next.values])] };
  } else {
    ops.push(next);
  }
}

/** Case-insensitive "is this the Group's members attribute" check for a resolved target. */
export function isMembersTarget(target: AttrTarget, resourceType: string): boolean {
  return resourceType === 'Group' && target.urn === undefined && target.attr.name === 'members';
}
