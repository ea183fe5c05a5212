/**
 * Recursive-descent parser for SCIM filters (RFC 7644 §3.4.2.2, ABNF in Figure 1) and PATCH
 * paths (RFC 7644 §3.5.2, Figure 7):
 *
 *   filter  = term *("or" term)                  ; "and" binds tighter than "or"
 *   term    = factor *("and" factor)
 *   factor  = "not" "(" filter ")" / "(" filter ")" / attrPath "[" filter "]" [then] / attrExp
 *   then    = "." subAttr ("pr" / compareOp compValue)   ; Entra ID: emails[type eq "work"].value eq "x"
 *   attrExp = attrPath "pr" / attrPath compareOp compValue
 *
 * Input is untrusted, so length and nesting are bounded (see `FilterLimits`); recursion only
 * happens on "(", "not (" and "[", each of which is checked against the depth limit first, so
 * no input can overflow the stack.
 */
import { invalidFilter, invalidPath } from '../errors.js';
import { COMPARE_OPS, type AttrPath, type CompareOp, type FilterNode, type FilterValue, type PatchPath, type ValuePathNode } from './ast.js';
import { toAttrPath } from './attr-path.js';
import { Lexer, quote, type Fail, type Token } from './lexer.js';

/** Bounds on untrusted input. Depth counts "(" or "not (", "[…]", and each "and"/"or" as one level. */
export interface FilterLimits {
  /** Longest accepted text, in UTF-16 code units. */
  maxLength?: number;
  /** Deepest accepted nesting; an and/or chain of n terms is n-1 levels deep. */
  maxDepth?: number;
}

/** How a filter is read beyond RFC 7644's grammar. */
export interface FilterOptions {
  /** Accept a bare value after an operator where the grammar leaves no doubt (Lexer.nextValue). */
  unquotedValues?: boolean;
}

/** 4096 characters, 32 levels: far beyond what Okta, Entra ID or OneLogin send. */
export const DEFAULT_FILTER_LIMITS: Readonly<Required<FilterLimits>> = Object.freeze({ maxLength: 4096, maxDepth: 32 });

const OPS: ReadonlySet<string> = new Set(COMPARE_OPS);
/** The comparison operator a word spells (case-insensitively, RFC 7644 §3.4.2.2), or undefined. */
function compareOp(word: string): CompareOp | undefined {
  if (word.length !== 2) return undefined;
  const lower = word.toLowerCase();
  return OPS.has(lower) ? (lower as CompareOp) : undefined;
}

const is = (t: Token, keyword: string) =>
  t.kind === 'word' && t.text.length === keyword.length && t.text.toLowerCase() === keyword;

function describeToken(t: Token): string {
  return t.kind === 'end' ? 'the end of the input' : quote(t.text);
}

/** A parsed subtree and its height in levels (a comparison is 0). */
interface Parsed {
  node: FilterNode;
  height: number;
}

class Parser {
  private tok: Token;
  /** Inside `[…]`, where RFC 7644's valFilter allows no further `[…]`. */
  private inBrackets = false;

  constructor(
    private readonly lexer: Lexer,
    private readonly fail: Fail,
    private readonly maxDepth: number,
    private readonly unquotedValues = false,
  ) {
    this.tok = lexer.next();
  }

  /** The current token's kind (a method, so TypeScript does not keep a narrowing past `advance()`). */
  private kind(): Token['kind'] {
    return this.tok.kind;
  }

  private advance(): Token {
    const t = this.tok;
    this.tok = this.lexer.next();
    return t;
  }

  private expect(kind: ')' | ']', opener: Token): void {
    if (this.kind() === kind) {
      this.advance();
      return;
    }
    throw this.fail(
      this.tok.pos,
      `expected "and", "or" or "${kind}" to close the "${opener.text}" at character ${opener.pos + 1}, found ${describeToken(this.tok)}`,
    );
  }

  private checkDepth(levels: number, at: Token): void {
    if (levels > this.maxDepth) {
      throw this.fail(at.pos, `nested more than ${this.maxDepth} levels deep ("(", "not", "[" and each "and"/"or" count one level)`);
    }
  }

  /** Parses the whole input as a filter. */
  filter(): FilterNode {
    if (this.kind() === 'end') throw this.fail(0, 'the filter is empty');
    const { node } = this.or(0);
    if (this.kind() !== 'end') {
      const hint = this.kind() === ')' ? 'a ")" with no "(" before it' : describeToken(this.tok);
      throw this.fail(this.tok.pos, `expected "and", "or" or the end of the filter, found ${hint}`);
    }
    return node;
  }

  /** `depth` is the level this expression's root sits at; heights add to it. */
  private or(depth: number): Parsed {
    let left = this.and(depth);
    while (is(this.tok, 'or')) {
      const op = this.advance();
      const right = this.and(depth + 1);
      left = { node: { kind: 'or', left: left.node, right: right.node }, height: Math.max(left.height, right.height) + 1 };
      this.checkDepth(depth + left.height, op);
    }
    return left;
  }

  private and(depth: number): Parsed {
    let left = this.factor(depth);
    while (is(this.tok, 'and')) {
      const op = this.advance();
      const right = this.factor(depth + 1);
      left = { node: { kind: 'and', left: left.node, right: right.node }, height: Math.max(left.height, right.height) + 1 };
      this.checkDepth(depth + left.height, op);
    }
    return left;
  }

  /** Parses `( filter )` after its opener, one level below `depth`. */
  private group(depth: number, opener: Token): Parsed {
    this.checkDepth(depth + 1, opener);
    const inner = this.or(depth + 1);
    this.expect(')', opener);
    return { node: inner.node, height: inner.height + 1 };
  }

  private factor(depth: number): Parsed {
    const t = this.tok;
    if (t.kind === '(') return this.group(depth, this.advance());
    if (t.kind !== 'word') {
      throw this.fail(t.pos, `expected an attribute path, "(" or "not (", found ${describeToken(t)}`);
    }
    this.advance();
    if (is(t, 'not')) {
      const next = this.tok;
      if (next.kind === '(') {
        const inner = this.group(depth, this.advance());
        return { node: { kind: 'not', filter: inner.node }, height: inner.height };
      }
      // Followed by an operator or "[", `not` is an attribute name; otherwise "(" is missing.
      const asName = next.kind === '[' || (next.kind === 'word' && (compareOp(next.text) || is(next, 'pr')));
      if (!asName) {
        throw this.fail(next.pos, `expected "(" after "not" (RFC 7644 §3.4.2.2: not ( filter )), found ${describeToken(next)}`);
      }
    }
    return this.attrExpression(t, depth);
  }

  /** `"[" valFilter "]"` after the multi-valued attribute `path`; "[" is the current token. */
  private bracketFilter(word: Token, path: AttrPath, depth: number): Parsed {
    const open = this.advance();
    if (this.inBrackets) throw this.fail(open.pos, 'a "[" filter cannot be nested inside another (RFC 7644 valFilter)');
    if (path.sub !== undefined) {
      throw this.fail(open.pos, `"[" must follow a multi-valued attribute, not the sub-attribute ${quote(word.text)}`);
    }
    this.checkDepth(depth + 1, open);
    this.inBrackets = true;
    const inner = this.or(depth + 1);
    this.expect(']', open);
    this.inBrackets = false;
    return { node: inner.node, height: inner.height + 1 };
  }

  private attrExpression(word: Token, depth: number): Parsed {
    const path = toAttrPath(word.text, word.pos, this.fail);
    if (this.kind() === '[') {
      const { node: filter, height } = this.bracketFilter(word, path, depth);
      const node: ValuePathNode = { kind: 'valuePath', path, filter };
      if (this.kind() === '.') {
        // Entra ID: `emails[type eq "work"].value eq "x"` — the element that matched the brackets
        // must also satisfy the comparison on its sub-attribute.
        this.advance();
        const sub = this.subAttrName('after "]."');
        if (is(this.tok, 'pr')) {
          this.advance();
          node.then = { sub, op: 'pr' };
        } else {
          const op = this.operator(`${word.text}[…].${sub}`);
          node.then = { sub, op, value: this.value() };
        }
      }
      return { node, height };
    }
    if (is(this.tok, 'pr')) {
      this.advance();
      return { node: { kind: 'present', path }, height: 0 };
    }
    const op = this.operator(word.text);
    return { node: { kind: 'compare', path, op, value: this.value() }, height: 0 };
  }

  private operator(after: string): CompareOp {
    const t = this.tok;
    const op = t.kind === 'word' ? compareOp(t.text) : undefined;
    if (!op) {
      throw this.fail(t.pos, `expected an operator (eq, ne, co, sw, ew, gt, lt, ge, le, pr) after ${quote(after)}, found ${describeToken(t)}`);
    }
    // The value comes next: read as a bare value where those are accepted.
    this.tok = this.unquotedValues ? this.lexer.nextValue() : this.lexer.next();
    return op;
  }

  /** compValue = false / null / true / number / string (JSON, RFC 8259). */
  private value(): FilterValue {
    const t = this.advance();
    if (t.kind === 'string' || t.kind === 'number') return t.value;
    if (t.kind === 'word') {
      if (is(t, 'true')) return true;
      if (is(t, 'false')) return false;
      if (is(t, 'null')) return null;
    }
    const hint = t.kind === 'word' ? ' (strings need double quotes)' : '';
    throw this.fail(t.pos, `expected a value (a "string", number, true, false or null), found ${describeToken(t)}${hint}`);
  }

  /** A sub-attribute name after `].`; a word with a dot or colon is not one. */
  private subAttrName(where: string): string {
    const t = this.advance();
    if (t.kind !== 'word') throw this.fail(t.pos, `expected a sub-attribute name ${where}, found ${describeToken(t)}`);
    const path = toAttrPath(t.text, t.pos, this.fail);
    if (path.uri !== undefined || path.sub !== undefined) {
      throw this.fail(t.pos, `expected a single sub-attribute name ${where}, found ${quote(t.text)}`);
    }
    return path.attr;
  }

  /** PATH = attrPath / valuePath [subAttr] (RFC 7644 §3.5.2 Figure 7). */
  patchPath(): PatchPath {
    const t = this.advance();
    if (t.kind === 'end') throw this.fail(0, 'the path is empty');
    if (t.kind !== 'word') throw this.fail(t.pos, `expected an attribute path, found ${describeToken(t)}`);
    const path = toAttrPath(t.text, t.pos, this.fail);
    const result: PatchPath = { path };
    if (this.kind() === '[') {
      result.filter = this.bracketFilter(t, path, 0).node;
      if (this.kind() === '.') {
        this.advance();
        result.subAfterFilter = this.subAttrName('after "]."');
      }
    }
    if (this.kind() !== 'end') {
      throw this.fail(this.tok.pos, `expected ${result.filter ? 'the end of the path' : '"[" or the end of the path'}, found ${describeToken(this.tok)}`);
    }
    return result;
  }
}

function limitsOf(limits: FilterLimits | undefined): Required<FilterLimits> {
  return {
    maxLength: limits?.maxLength ?? DEFAULT_FILTER_LIMITS.maxLength,
    maxDepth: limits?.maxDepth ?? DEFAULT_FILTER_LIMITS.maxDepth,
  };
}

const filterFail: Fail = (pos, message) => invalidFilter(`Invalid filter at character ${pos + 1}: ${message}`);
const pathFail: Fail = (pos, message) => invalidPath(`Invalid path at character ${pos + 1}: ${message}`);

/**
 * Parses a `filter` query parameter or `/.search` filter into a tree. Every problem is an
 * `invalidFilter` ScimError (400) whose detail names the character position and what was expected.
 */
export function parseFilter(text: string, limits?: FilterLimits, options: FilterOptions = {}): FilterNode {
  // Query parsers turn `?filter=a&filter=b` into an array; the type says string, the wire does not.
  if (typeof text !== 'string') throw invalidFilter('Invalid filter: expected a single string');
  const { maxLength, maxDepth } = limitsOf(limits);
  if (text.length > maxLength) throw invalidFilter(`Invalid filter: longer than ${maxLength} characters`);
  return new Parser(new Lexer(text, filterFail), filterFail, maxDepth, options.unquotedValues).filter();
}

/**
 * Parses a PATCH operation `path` (RFC 7644 §3.5.2): `name.familyName`, `members[value eq "…"]`,
 * `emails[type eq "work"].value`. Every problem, including in the bracketed filter, is an
 * `invalidPath` ScimError (400), as RFC 7644 Table 9 prescribes for a malformed path.
 */
export function parsePatchPath(text: string, limits?: FilterLimits): PatchPath {
  if (typeof text !== 'string') throw invalidPath('Invalid path: expected a string');
  const { maxLength, maxDepth } = limitsOf(limits);
  if (text.length > maxLength) throw invalidPath(`Invalid path: longer than ${maxLength} characters`);
  return new Parser(new Lexer(text, pathFail), pathFail, maxDepth).patchPath();
}
