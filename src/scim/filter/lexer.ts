/**
 * Tokenizer for SCIM filters and paths (RFC 7644 §3.4.2.2 Figure 1, §3.5.2 Figure 7).
 * One linear pass over char codes, no regular expressions: filters come from the network and
 * `userName eq "x"` is on the hot path of every IdP lookup.
 */
import type { ScimError } from '../errors.js';
import type { FilterValue } from './ast.js';

export const TOKEN_KINDS = ['word', 'string', 'number', '(', ')', '[', ']', '.', 'end'] as const;
/**
 * A token kind. A `word` is an attribute path, an operator or a keyword: which one depends on
 * where it stands, so `pr`, `and` or `not` stay usable as attribute names.
 */
export type TokenKind = (typeof TOKEN_KINDS)[number];

/** One token: its kind, offset in the source, raw text and, for literals, decoded value. */
export interface Token {
  kind: TokenKind;
  pos: number;
  text: string;
  value: FilterValue;
}

/** Builds the error for a problem at `pos` (0-based); the caller picks invalidFilter or invalidPath. */
export type Fail = (pos: number, message: string) => ScimError;

// Character classes, indexed by char code (ASCII only: nothing outside it is valid in a name).
const WORD_START = new Uint8Array(128);
const WORD_PART = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const alpha = (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  const digit = c >= 48 && c <= 57;
  // ATTRNAME = ALPHA *(nameChar); `$` for `$ref` (RFC 7643 §2.3.7); `:` and `.` join the URN,
  // attribute and sub-attribute of one attrPath, which toAttrPath splits and checks.
  WORD_START[c] = alpha || c === 36 ? 1 : 0;
  WORD_PART[c] = alpha || digit || c === 45 || c === 95 || c === 58 || c === 46 || c === 36 ? 1 : 0;
}

const isDigit = (c: number) => c >= 48 && c <= 57;
const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;

/** true, false, null (any case, as the parser reads them) or a JSON number: never a bare string. */
const JSON_LITERAL = /^(true|false|null|-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?)$/i;

/** Quotes a piece of source for an error message, shortened and with control characters escaped. */
export function quote(text: string): string {
  return JSON.stringify(text.length > 24 ? `${text.slice(0, 24)}…` : text);
}

/** Reads tokens one at a time; `next()` returns an `end` token at the end and after it. */
export class Lexer {
  private pos = 0;

  constructor(
    private readonly src: string,
    private readonly fail: Fail,
  ) {}

  next(): Token {
    const src = this.src;
    const i = this.skipSpace();
    if (i >= src.length) {
      this.pos = i;
      return { kind: 'end', pos: i, text: '', value: null };
    }
    const c = src.charCodeAt(i);
    switch (c) {
      case 40: return this.single('(', i);
      case 41: return this.single(')', i);
      case 91: return this.single('[', i);
      case 93: return this.single(']', i);
      case 46: return this.single('.', i);
      case 34: return this.string(i);
    }
    if (c === 45 || isDigit(c)) return this.number(i);
    if (c < 128 && WORD_START[c]) {
      let j = i + 1;
      while (j < src.length) {
        const d = src.charCodeAt(j);
        if (d >= 128 || !WORD_PART[d]) break;
        j++;
      }
      this.pos = j;
      return { kind: 'word', pos: i, text: src.slice(i, j), value: null };
    }
    const ch = String.fromCodePoint(src.codePointAt(i) ?? c);
    throw this.fail(i, `unexpected character ${quote(ch)}`);
  }

  /**
   * The value after a comparison operator where bare values are accepted (a connection's
   * `unquotedFilterValues` switch): `userName eq jdoe@acme.com`, `title eq Employee`. A quoted
   * string, a JSON number, true, false or null is read as always; otherwise the run of characters
   * up to a space, ")", "]" or the end is a string, unless it holds `"`, "(" or "[" — where the
   * grammar leaves doubt, the token is read as always and fails as always.
   */
  nextValue(): Token {
    const src = this.src;
    const i = this.skipSpace();
    let j = i;
    while (j < src.length) {
      const c = src.charCodeAt(j);
      if (isSpace(c) || c === 41 || c === 93) break;
      j++;
    }
    const text = src.slice(i, j);
    if (text === '' || /["([]/.test(text) || JSON_LITERAL.test(text)) return this.next();
    this.pos = j;
    return { kind: 'string', pos: i, text, value: text };
  }

  /** The offset of the next non-space character from the current position (RFC 7644 separates tokens with SP; tabs and newlines from URL-decoding are accepted too). */
  private skipSpace(): number {
    let i = this.pos;
    while (i < this.src.length && isSpace(this.src.charCodeAt(i))) i++;
    return i;
  }

  private single(kind: TokenKind, i: number): Token {
    this.pos = i + 1;
    return { kind, pos: i, text: this.src[i] ?? '', value: null };
  }

  /** A JSON number (RFC 8259 §6): `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`. */
  private number(start: number): Token {
    const src = this.src;
    let i = start;
    if (src.charCodeAt(i) === 45) i++;
    const digits = (what: string) => {
      const from = i;
      while (i < src.length && isDigit(src.charCodeAt(i))) i++;
      if (i === from) throw this.fail(i, `invalid number: expected a digit ${what}`);
    };
    if (src.charCodeAt(i) === 48) i++;
    else digits('after "-"');
    if (src.charCodeAt(i) === 46) {
      i++;
      digits('after "."');
    }
    const e = src.charCodeAt(i);
    if (e === 101 || e === 69) {
      i++;
      const sign = src.charCodeAt(i);
      if (sign === 43 || sign === 45) i++;
      digits('in the exponent');
    }
    const after = src.charCodeAt(i);
    if (after < 128 && (WORD_PART[after] || after === 34)) {
      throw this.fail(start, `invalid number ${quote(src.slice(start, i + 1))}: JSON numbers have no leading zeros or trailing letters`);
    }
    const text = src.slice(start, i);
    const value = Number(text);
    if (!Number.isFinite(value)) throw this.fail(start, `number ${quote(text)} is out of range`);
    this.pos = i;
    return { kind: 'number', pos: start, text, value };
  }

  /** A JSON string (RFC 8259 §7) with its escapes decoded. */
  private string(start: number): Token {
    const src = this.src;
    let out = '';
    let chunk = start + 1;
    let i = chunk;
    for (;;) {
      if (i >= src.length) throw this.fail(start, 'unterminated string: no closing \'"\'');
      const c = src.charCodeAt(i);
      if (c === 34) break;
      if (c !== 92) {
        i++;
        continue;
      }
      out += src.slice(chunk, i);
      out += this.escape(i);
      i += src.charCodeAt(i + 1) === 117 ? 6 : 2;
      chunk = i;
    }
    out += src.slice(chunk, i);
    this.pos = i + 1;
    return { kind: 'string', pos: start, text: src.slice(start, i + 1), value: out };
  }

  /** Decodes the escape at `i` (which holds the backslash). */
  private escape(i: number): string {
    const e = this.src[i + 1];
    switch (e) {
      case '"': return '"';
      case '\\': return '\\';
      case '/': return '/';
      case 'b': return '\b';
      case 'f': return '\f';
      case 'n': return '\n';
      case 'r': return '\r';
      case 't': return '\t';
      case 'u': {
        let code = 0;
        for (let k = i + 2; k < i + 6; k++) {
          const h = this.src.charCodeAt(k);
          const v = isDigit(h) ? h - 48 : (h | 32) >= 97 && (h | 32) <= 102 ? (h | 32) - 87 : -1;
          if (v < 0) throw this.fail(i, 'invalid escape: "\\u" must be followed by four hex digits');
          code = code * 16 + v;
        }
        return String.fromCharCode(code);
      }
      case undefined:
        throw this.fail(i, 'unterminated string: no closing \'"\'');
      default:
        throw this.fail(i, `invalid escape ${quote(`\\${e}`)} (RFC 8259 §7 allows \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)`);
    }
  }
}
