/**
 * Attribute paths: `[URI ":"] ATTRNAME ["." subAttr]` (RFC 7644 §3.4.2.2 Figure 1), as they
 * appear in filters, PATCH paths and the `attributes` / `excludedAttributes` parameters.
 */
import { invalidPath } from '../errors.js';
import type { AttrPath } from './ast.js';
import { quote, type Fail } from './lexer.js';

const isAlpha = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isNameChar = (c: number) => isAlpha(c) || (c >= 48 && c <= 57) || c === 45 || c === 95;

/** Checks `ATTRNAME = ALPHA *(nameChar)`, or `$ref` (RFC 7643 §2.3.7); returns an error message or ''. */
function nameProblem(name: string): string {
  if (name === '') return 'is empty';
  const first = name.charCodeAt(0);
  const from = first === 36 ? 1 : 0; // `$ref`
  if (!isAlpha(name.charCodeAt(from))) return 'must start with a letter';
  for (let i = from + 1; i < name.length; i++) {
    if (!isNameChar(name.charCodeAt(i))) return `has ${quote(name[i] ?? '')}, which is not a letter, digit, "-" or "_"`;
  }
  return '';
}

/** True when `name` is a valid attribute or sub-attribute name. */
export function isAttrName(name: string): boolean {
  return nameProblem(name) === '';
}

/**
 * Splits one path word into URI, attribute and sub-attribute. The URI may contain dots and
 * colons (`urn:…:enterprise:2.0:User`), so the attribute is what follows the last colon.
 * `pos` is the word's offset in the source, for error messages.
 */
export function toAttrPath(word: string, pos: number, fail: Fail): AttrPath {
  const colon = word.lastIndexOf(':');
  const uri = colon >= 0 ? word.slice(0, colon) : undefined;
  const rest = colon >= 0 ? word.slice(colon + 1) : word;
  if (uri !== undefined) {
    if (uri === '') throw fail(pos, `${quote(word)} has an empty schema URI before ":"`);
    for (let i = 0; i < uri.length; i++) {
      const c = uri.charCodeAt(i);
      if (!isNameChar(c) && c !== 58 && c !== 46) {
        throw fail(pos + i, `schema URI ${quote(uri)} has ${quote(uri[i] ?? '')}`);
      }
    }
  }
  const restPos = pos + (colon + 1);
  const dot = rest.indexOf('.');
  const attr = dot >= 0 ? rest.slice(0, dot) : rest;
  const attrProblem = nameProblem(attr);
  if (attrProblem) {
    const where = uri !== undefined ? ` after the schema URI ${quote(uri)}` : '';
    throw fail(restPos, `attribute name ${quote(attr)}${where} ${attrProblem}`);
  }
  if (dot < 0) return uri !== undefined ? { uri, attr } : { attr };
  const sub = rest.slice(dot + 1);
  const second = sub.indexOf('.');
  if (second >= 0) {
    throw fail(restPos + dot + 1 + second, `${quote(rest)} has a second "."; SCIM has one level of sub-attributes (RFC 7643 §2.3.8)`);
  }
  const subProblem = nameProblem(sub);
  if (subProblem) throw fail(restPos + dot + 1, `sub-attribute name ${quote(sub)} of ${quote(attr)} ${subProblem}`);
  return uri !== undefined ? { uri, attr, sub } : { attr, sub };
}

/** Prints a path back in filter syntax: `urn:…:User:name.givenName`. */
export function printAttrPath(path: AttrPath): string {
  const base = path.uri !== undefined ? `${path.uri}:${path.attr}` : path.attr;
  return path.sub !== undefined ? `${base}.${path.sub}` : base;
}

/**
 * Parses the `attributes` / `excludedAttributes` query parameter (RFC 7644 §3.4.2.5): attribute
 * paths separated by commas, blanks around them ignored, empty items skipped (`a,,b`, `a,`).
 * Errors are `invalidPath` (400): RFC 7644 defines no scimType for this parameter, and what is
 * wrong is an attribute path. Value filters (`emails[…]`) are not allowed here.
 */
export function parseAttributeList(text: string): AttrPath[] {
  if (typeof text !== 'string') throw invalidPath('Invalid attribute list: expected a single string');
  const fail: Fail = (pos, message) => invalidPath(`Invalid attribute list at character ${pos + 1}: ${message}`);
  const paths: AttrPath[] = [];
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf(',', start);
    if (end < 0) end = text.length;
    let from = start;
    let to = end;
    while (from < to && isBlank(text.charCodeAt(from))) from++;
    while (to > from && isBlank(text.charCodeAt(to - 1))) to--;
    const item = text.slice(from, to);
    const bracket = item.indexOf('[');
    if (bracket >= 0) throw fail(from + bracket, 'value filters ("[…]") are not allowed in an attribute list');
    if (item) paths.push(toAttrPath(item, from, fail));
    start = end + 1;
  }
  return paths;
}

const isBlank = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;
