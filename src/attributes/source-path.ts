/**
 * The source of a mapped attribute: a SCIM attribute path (RFC 7644 §3.5.2's PATCH path grammar) —
 * `title`, `name.givenName`, `urn:…:enterprise:2.0:User:department`, `urn:…:manager.value`,
 * `emails[type eq "work"].value`, `addresses[type eq "work"]`, or an attribute of any extension the
 * provider sends (Okta's and Entra's custom extension URNs). Parsed and read with the SCIM filter code.
 */
import { ScimError } from '../scim/errors.js';
import { asArray, getCaseInsensitive, isPlainObject, matchesElement, parsePatchPath, type PatchPath } from '../scim/filter/index.js';
import { findSubAttribute, resolveAttribute, USER_SCHEMA } from '../scim/schema/index.js';

/** At most this many characters in a source path. */
export const MAX_SOURCE_LENGTH = 500;

/** A parsed source path. */
export type SourcePath = PatchPath;

/** The reason a text is not a source path, in plain words; undefined when it is one. */
export function sourcePathProblem(text: string): string | undefined {
  try {
    parseSourcePath(text);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/** Parses a source path; throws an Error whose message says what is wrong in plain words. */
export function parseSourcePath(text: string): SourcePath {
  if (text.trim() === '') throw new Error('The source path is empty');
  if (text.length > MAX_SOURCE_LENGTH) throw new Error(`The source path is longer than ${MAX_SOURCE_LENGTH} characters`);
  try {
    const path = parsePatchPath(text);
    if (path.filter && path.path.sub) throw new Error('Put the sub-attribute after the filter: emails[type eq "work"].value');
    // A filter must be one a value can be checked against: run it once on an empty element.
    if (path.filter) matchesElement(path.filter, {}, definitionOf(path));
    return path;
  } catch (error) {
    if (error instanceof ScimError) {
      const where = /^Invalid (?:path|filter)(?: at character (\d+))?: ?/i.exec(error.message);
      throw new Error(where ? `Not a SCIM attribute path${where[1] ? ` (at character ${where[1]})` : ''}: ${error.message.slice(where[0].length)}` : error.message);
    }
    throw error;
  }
}

/** The schema definition of the path's attribute, when it is a known one. */
function definitionOf(path: SourcePath) {
  return resolveAttribute('User', { uri: path.path.uri, attr: path.path.attr })?.attr;
}

/**
 * The raw value a source path reads from a stored user: a single value, an array of values (for a
 * multi-valued attribute without a filter) or undefined. A filter picks the matching elements, the
 * primary one first; a sub-attribute is read from each of them.
 */
export function readSource(resource: Record<string, unknown>, path: SourcePath): unknown {
  const { uri, attr, sub } = path.path;
  const container = uri === undefined || uri.toLowerCase() === USER_SCHEMA.toLowerCase() ? resource : getCaseInsensitive(resource, uri);
  let value = getCaseInsensitive(container, attr);
  if (value === undefined || value === null) return undefined;
  if (path.filter) {
    const def = definitionOf(path);
    const matching = asArray(value).filter((element) => matchesElement(path.filter!, element, def));
    const primaryFirst = [...matching.filter(isPrimary), ...matching.filter((e) => !isPrimary(e))];
    value = primaryFirst;
  }
  const subName = path.subAfterFilter ?? sub;
  if (subName === undefined) return unwrap(value);
  const subDef = definitionOf(path);
  const spelled = subDef ? (findSubAttribute(subDef, subName)?.name ?? subName) : subName;
  const subs = asArray(value)
    .map((element) => getCaseInsensitive(element, spelled))
    .filter((v) => v !== undefined && v !== null);
  return unwrap(subs);
}

function isPrimary(element: unknown): boolean {
  return isPlainObject(element) && getCaseInsensitive(element, 'primary') === true;
}

/** An empty array reads as nothing, a one-element array as its element. */
function unwrap(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  if (value.length === 0) return undefined;
  return value.length === 1 ? value[0] : value;
}
