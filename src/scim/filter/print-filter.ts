/**
 * Prints filter trees and PATCH paths back to text that `parseFilter` / `parsePatchPath` read as
 * the same tree: used in logs and error details, and by the round-trip property test.
 * Parentheses appear only where precedence needs them ("and" binds tighter than "or", and
 * chains associate to the left).
 */
import type { FilterNode, FilterValue, PatchPath } from './ast.js';
import { printAttrPath } from './attr-path.js';

/** A literal in JSON form; `-0` keeps its sign so that it round-trips. */
export function printValue(value: FilterValue): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  return String(value);
}

/** The canonical text of a filter: lower-case operators, single spaces, minimal parentheses. */
export function printFilter(node: FilterNode): string {
  switch (node.kind) {
    case 'compare':
      return `${printAttrPath(node.path)} ${node.op} ${printValue(node.value)}`;
    case 'present':
      return `${printAttrPath(node.path)} pr`;
    case 'not':
      return `not (${printFilter(node.filter)})`;
    case 'valuePath': {
      const base = `${printAttrPath(node.path)}[${printFilter(node.filter)}]`;
      if (!node.then) return base;
      const { then } = node;
      return then.op === 'pr' ? `${base}.${then.sub} pr` : `${base}.${then.sub} ${then.op} ${printValue(then.value)}`;
    }
    case 'and':
    case 'or': {
      // The left operand needs parentheses only if it binds looser (an "or" under an "and");
      // the right one also if it is the same operator, since chains associate to the left.
      const left = node.kind === 'and' && node.left.kind === 'or';
      const right = node.right.kind === 'or' || (node.kind === 'and' && node.right.kind === 'and');
      return `${wrap(printFilter(node.left), left)} ${node.kind} ${wrap(printFilter(node.right), right)}`;
    }
  }
}

const wrap = (text: string, parens: boolean) => (parens ? `(${text})` : text);

/** The canonical text of a PATCH path: `emails[type eq "work"].value`. */
export function printPatchPath(p: PatchPath): string {
  let text = printAttrPath(p.path);
  if (p.filter) text += `[${printFilter(p.filter)}]`;
  if (p.subAfterFilter !== undefined) text += `.${p.subAfterFilter}`;
  return text;
}
