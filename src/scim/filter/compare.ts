/**
 * The meaning of `attr op value` for one attribute value (RFC 7644 §3.4.2.2), and the checks
 * that reject a comparison whatever the data. The SQL translator must reject the same filters:
 * call `checkComparison` with the same attribute definition before translating.
 */
import { invalidFilter } from '../errors.js';
import type { AttributeDef } from '../schema/types.js';
import type { AttrPath, CompareOp, FilterValue } from './ast.js';
import { printAttrPath } from './attr-path.js';
import { quote } from './lexer.js';

/** Operators that need a string value. */
const SUBSTRING_OPS: ReadonlySet<CompareOp> = new Set(['co', 'sw', 'ew']);
/** Operators that need an ordered type. */
const ORDERING_OPS: ReadonlySet<CompareOp> = new Set(['gt', 'ge', 'lt', 'le']);

// xsd:dateTime (RFC 7643 §2.3.5). Linear: no quantified group contains another quantifier.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})?$/i;

/**
 * An xsd:dateTime as epoch milliseconds, or undefined if `text` is not one. A value without a
 * zone is taken as UTC: `Date.parse` would read it as server-local time.
 */
export function parseDateTime(text: string): number | undefined {
  if (text.length > 40 || !DATE_TIME.test(text)) return undefined;
  const upper = text.toUpperCase();
  const zoned = upper.endsWith('Z') || upper.indexOf('+', 19) > 0 || upper.indexOf('-', 19) > 0;
  const ms = Date.parse(zoned ? upper : `${upper}Z`);
  return Number.isNaN(ms) ? undefined : ms;
}

/** The literal types each attribute type can be compared with (RFC 7643 §2.3). */
function expectedLiteral(def: AttributeDef): 'string' | 'number' | 'boolean' | undefined {
  switch (def.type) {
    case 'boolean':
      return 'boolean';
    case 'integer':
    case 'decimal':
      return 'number';
    case 'complex':
      return undefined;
    default:
      return 'string';
  }
}

/**
 * Throws `invalidFilter` when `path op value` is wrong whatever the data: ordering on booleans
 * or binary (RFC 7644 §3.4.2.2 "SHALL cause a failed response"), a literal of the wrong type for
 * a known attribute, a malformed dateTime, `co`/`sw`/`ew` without a string, or a complex
 * attribute with no `value` to compare. `def` undefined (an unknown attribute) skips the type checks.
 */
export function checkComparison(path: AttrPath, op: CompareOp, value: FilterValue, def: AttributeDef | undefined): void {
  const fail = (why: string) => invalidFilter(`Invalid filter: "${printAttrPath(path)} ${op}" ${why}`);
  if (value === null) {
    if (op !== 'eq' && op !== 'ne') throw fail('cannot compare with null; only eq and ne can');
    return;
  }
  // PostgreSQL can neither store nor compare U+0000 (and Rollcall refuses it in resources).
  if (typeof value === 'string' && value.includes('\u0000')) throw fail('has a NUL character (U+0000), which no value can contain');
  if (def?.type === 'complex') throw fail('compares a complex attribute; name one of its sub-attributes');
  if ((def?.type === 'boolean' || typeof value === 'boolean') && op !== 'eq' && op !== 'ne') {
    throw fail('applies to a boolean; only eq and ne can (RFC 7644 §3.4.2.2)');
  }
  if (def?.type === 'binary' && ORDERING_OPS.has(op)) throw fail('applies to a binary attribute, which has no order (RFC 7644 §3.4.2.2)');
  if (SUBSTRING_OPS.has(op) && typeof value !== 'string') throw fail('needs a string value');
  if (!def) return;
  const expected = expectedLiteral(def);
  if (expected && typeof value !== expected) throw fail(`needs a ${expected} value: the attribute is of type ${def.type}`);
  if (def.type === 'dateTime' && !SUBSTRING_OPS.has(op) && parseDateTime(value as string) === undefined) {
    throw fail(`needs a dateTime such as "2011-05-13T04:42:34Z" (RFC 7643 §2.3.5), not ${quote(String(value))}`);
  }
}

/**
 * Compares strings in Unicode code point order — the order of UTF-8 bytes, which SQLite and
 * PostgreSQL's "C" collation use — rather than JavaScript's UTF-16 code-unit order, which puts
 * U+E000–U+FFFF after every astral character. Surrogates are lifted above the rest of the BMP.
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      const fix = (c: number) => (c >= 0xe000 ? c - 0x800 : c >= 0xd800 ? c + 0x2000 : c);
      return fix(x) - fix(y);
    }
  }
  return a.length - b.length;
}

function ordered(diff: number, op: CompareOp): boolean {
  switch (op) {
    case 'eq': return diff === 0;
    case 'gt': return diff > 0;
    case 'ge': return diff >= 0;
    case 'lt': return diff < 0;
    case 'le': return diff <= 0;
    default: return false;
  }
}

/** A stored boolean; Entra ID sends "True"/"False" strings (RFC 7643 §2.3.2 says boolean). */
function asBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value !== 'string') return undefined;
  const lower = value.toLowerCase();
  return lower === 'true' ? true : lower === 'false' ? false : undefined;
}

/**
 * Whether one attribute value satisfies `op expected` (any operator but `ne`, which callers
 * evaluate as "no value is eq"). Strings compare case-insensitively unless `def.caseExact`;
 * dateTimes compare by instant; a value of another type than the literal never matches.
 */
export function compareValue(actual: unknown, op: Exclude<CompareOp, 'ne'>, expected: Exclude<FilterValue, null>, def: AttributeDef | undefined): boolean {
  if (typeof expected === 'boolean') return op === 'eq' && asBoolean(actual) === expected;
  if (typeof expected === 'number') return typeof actual === 'number' && ordered(actual - expected, op);
  if (typeof actual !== 'string') return false;
  if (def?.type === 'dateTime' && !SUBSTRING_OPS.has(op)) {
    const a = parseDateTime(actual);
    const e = parseDateTime(expected);
    return a !== undefined && e !== undefined && ordered(a - e, op);
  }
  const exact = def?.caseExact ?? false;
  const a = exact ? actual : actual.toLowerCase();
  const e = exact ? expected : expected.toLowerCase();
  switch (op) {
    case 'eq': return a === e;
    case 'co': return a.includes(e);
    case 'sw': return a.startsWith(e);
    case 'ew': return a.endsWith(e);
    // RFC 7644 §3.4.2.2: strings order lexicographically, here by code point as the SQL filter does.
    default: return ordered(compareCodePoints(a, e), op);
  }
}
