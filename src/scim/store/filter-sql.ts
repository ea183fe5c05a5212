/**
 * Translates a parsed SCIM filter (RFC 7644 §3.4.2.2) into a SQL condition over a resource row
 * aliased `r`. Values are always bound parameters. Semantics match the in-memory evaluator:
 * strings compare case-insensitively unless the attribute is caseExact, `ne` and `not` hold for
 * absent attributes, a multi-valued attribute matches when some element does.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Dialect } from '../../db/dialect.js';
import { likeMatch } from '../../db/text-match.js';
import { invalidFilter } from '../errors.js';
import type { CompareOp, FilterNode, FilterValue } from '../filter/ast.js';
import { printAttrPath } from '../filter/attr-path.js';
import { checkFilter } from '../filter/check-filter.js';
import { parseDateTime } from '../filter/compare.js';
import type { ResourceTypeName } from '../schema/index.js';
import { resourceScope, type ScalarTarget, type Scope, type Target } from './filter-scopes.js';

type Bool = RawBuilder<unknown>;
const TRUE: Bool = sql`(1 = 1)`;
const ORDER_OPS: Record<string, string> = { gt: '>', ge: '>=', lt: '<', le: '<=' };

/** SQL `not`, treating an unknown (NULL) condition as false first, as SCIM's two-valued logic needs. */
function not(cond: Bool): Bool {
  return sql`not coalesce(${cond}, false)`;
}

/**
 * A substring or equality test on text; `lowered` means both sides are already lower-case, and
 * LIKE serves on every database. Compared exactly, substrings are each database's own test.
 */
function textCompare(dialect: Dialect, expr: Bool, op: CompareOp, value: string, lowered: boolean): Bool {
  const match = lowered ? likeMatch : dialect.textMatch;
  switch (op) {
    case 'eq':
      return sql`${expr} = ${value}`;
    case 'ne':
      return sql`(${expr} is null or ${expr} <> ${value})`;
    case 'co':
      return match.contains(expr, value);
    case 'sw':
      return match.startsWith(expr, value);
    case 'ew':
      return match.endsWith(expr, value);
    default:
      return sql`${expr} ${sql.raw(ORDER_OPS[op])} ${value}`;
  }
}

/** A substring test on a column with a trigram index, in the form that lets the database use it (src/db/substring-search.ts). */
function narrowed(dialect: Dialect, t: Extract<ScalarTarget, { kind: 'column' }>, op: CompareOp, value: string, exact: Bool): Bool {
  if (!t.searched || (op !== 'co' && op !== 'sw' && op !== 'ew')) return exact;
  return dialect.substringSearch.narrow(t.searched, value, exact);
}

/** An ISO instant as stored (`2026-01-01T00:00:00.000Z`), so text order is time order. */
function storedInstant(value: string): string {
  const ms = parseDateTime(value);
  return ms === undefined ? value : new Date(ms).toISOString();
}

function compareColumn(dialect: Dialect, t: Extract<ScalarTarget, { kind: 'column' }>, op: CompareOp, value: FilterValue): Bool {
  if (t.emptyIsNull) {
    const bare = { ...t, emptyIsNull: false };
    if (value === null || op === 'ne') return compareColumn(dialect, { ...bare, expr: sql`nullif(${t.expr}, '')` }, op, value);
    return sql`(${t.expr} <> '' and ${compareColumn(dialect, bare, op, value)})`;
  }
  if (value === null) return op === 'eq' ? sql`${t.expr} is null` : sql`${t.expr} is not null`;
  if (t.form === 'flag') {
    const flag = value === true ? 1 : 0;
    return op === 'eq' ? sql`${t.expr} = ${flag}` : sql`(${t.expr} is null or ${t.expr} <> ${flag})`;
  }
  const text = String(value);
  if (t.form === 'datetime') {
    // Substrings compare as text, case-insensitively like any dateTime string (`co "t"` finds the "T").
    if (op === 'co' || op === 'sw' || op === 'ew') return textCompare(dialect, sql`lower(${t.expr})`, op, text.toLowerCase(), true);
    return textCompare(dialect, t.expr, op, storedInstant(text), false);
  }
  if (t.form === 'lowerText') return narrowed(dialect, t, op, text, textCompare(dialect, t.expr, op, text.toLowerCase(), true));
  if (t.caseExact) return narrowed(dialect, t, op, text, textCompare(dialect, t.expr, op, text, false));
  return textCompare(dialect, sql`lower(${t.expr})`, op, text.toLowerCase(), true);
}

function compareJson(dialect: Dialect, t: Extract<ScalarTarget, { kind: 'json' }>, op: CompareOp, value: FilterValue): Bool {
  const { access, def } = t;
  if (value === null) return op === 'eq' ? sql`${access.text} is null` : sql`${access.text} is not null`;
  if (typeof value === 'boolean') {
    const eq = dialect.json.isBoolean(access, value);
    return op === 'eq' ? eq : not(eq);
  }
  if (typeof value === 'number') {
    const number = dialect.json.number(access);
    const cmp = op === 'eq' || op === 'ne' ? sql`${number} = ${value}` : sql`${number} ${sql.raw(ORDER_OPS[op] ?? '=')} ${value}`;
    const matched = sql`(${dialect.json.isNumber(access)} and ${cmp})`;
    return op === 'ne' ? not(matched) : matched;
  }
  const stored = def?.type === 'dateTime' && ORDER_OPS[op] ? storedInstant(value) : value;
  const exact = def?.caseExact ?? false;
  const expr = exact ? access.text : sql`lower(${access.text})`;
  const matched = textCompare(dialect, expr, op === 'ne' ? 'eq' : op, exact ? stored : stored.toLowerCase(), !exact);
  const typed = sql`(${dialect.json.isString(access)} and ${matched})`;
  return op === 'ne' ? not(typed) : typed;
}

function compareScalar(dialect: Dialect, t: ScalarTarget, op: CompareOp, value: FilterValue): Bool {
  return t.kind === 'column' ? compareColumn(dialect, t, op, value) : compareJson(dialect, t, op, value);
}

function present(t: ScalarTarget): Bool {
  if (t.kind === 'column') return t.form === 'flag' || t.form === 'datetime' ? sql`${t.expr} is not null` : sql`(${t.expr} is not null and ${t.expr} <> '')`;
  // RFC 7644 §3.4.2.2 `pr`: an empty object or array is no value either.
  const { text, type } = t.access;
  return sql`(${text} is not null and (case when ${type} in ('object', 'array') then ${text} not in ('{}', '[]') else ${text} <> '' end))`;
}

/** The element scalar a path names inside an elements target (`emails` → `emails.value`). */
function elementScalar(scope: Scope, sub: string | undefined): ScalarTarget {
  const target = scope.resolve({ attr: sub ?? 'value' });
  if (target.kind === 'elements') throw invalidFilter(`"${sub ?? 'value'}" cannot be compared here`);
  return target;
}

function compareTarget(dialect: Dialect, target: Target, op: CompareOp, value: FilterValue): Bool {
  if (target.kind !== 'elements') return compareScalar(dialect, target, op, value);
  if (value === null) {
    // `eq null` is "no value is present", `ne null` "some value is" — not "some element is null".
    const some = target.exists((scope) => present(elementScalar(scope, target.defaultSub)));
    return op === 'eq' ? not(some) : some;
  }
  // RFC 7644 §3.4.2.2: a multi-valued attribute matches if any value matches; `ne` is its negation.
  if (op === 'ne') return not(target.exists((scope) => compareScalar(dialect, elementScalar(scope, target.defaultSub), 'eq', value)));
  return target.exists((scope) => compareScalar(dialect, elementScalar(scope, target.defaultSub), op, value));
}

function translate(node: FilterNode, scope: Scope, dialect: Dialect): Bool {
  switch (node.kind) {
    case 'and':
      return sql`(${translate(node.left, scope, dialect)} and ${translate(node.right, scope, dialect)})`;
    case 'or':
      return sql`(${translate(node.left, scope, dialect)} or ${translate(node.right, scope, dialect)})`;
    case 'not':
      return not(translate(node.filter, scope, dialect));
    case 'present': {
      const target = scope.resolve(node.path);
      if (target.kind !== 'elements') return present(target);
      if (target.present && node.path.sub === undefined) return target.present;
      return target.exists((el) => (node.path.sub === undefined && target.defaultSub === 'value' ? TRUE : present(elementScalar(el, target.defaultSub))));
    }
    case 'compare':
      return compareTarget(dialect, scope.resolve(node.path), node.op, node.value);
    case 'valuePath': {
      const target = scope.resolve(node.path);
      if (target.kind !== 'elements') throw invalidFilter(`"${printAttrPath(node.path)}" is not multi-valued or complex: it takes no [filter]`);
      const then = node.then;
      return target.exists((el) => {
        const inner = translate(node.filter, el, dialect);
        if (!then) return inner;
        // Entra ID: `emails[type eq "work"].value eq "x"` — the same element must satisfy both.
        const sub = elementScalar(el, then.sub);
        const tail = then.op === 'pr' ? present(sub) : compareScalar(dialect, sub, then.op, then.value);
        return sql`(${inner} and ${tail})`;
      });
    }
  }
}

/** The SQL condition for `filter` over a `resourceType` row aliased `r`; throws invalidFilter for impossible comparisons. */
export function filterToSql(filter: FilterNode, resourceType: ResourceTypeName, dialect: Dialect, connectionId?: string): Bool {
  checkFilter(filter, resourceType);
  return translate(filter, resourceScope(resourceType, dialect, connectionId), dialect);
}
