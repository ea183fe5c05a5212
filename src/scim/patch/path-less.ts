/**
 * Turns one PATCH operation into steps on resolved targets. A path-less add/replace carries an
 * object whose keys are attribute names, dotted paths (`name.givenName`), URN-qualified names
 * (`urn:…:enterprise:2.0:User:department`) or extension URNs with an object value — Okta and Entra
 * ID send all of these (RFC 7644 §3.5.2.1: "the target location is assumed to be the resource itself").
 */
import { invalidPath, invalidValue, mutability, noTarget } from '../errors.js';
import { isForbiddenKey, isObject, show } from './json.js';
import { resolveTarget, type ExtensionTarget, type ResolveScope, type Target } from './target.js';
import type { OpName } from './types.js';

/** One resolved piece of work for operations.ts. */
export interface Step {
  target: Target;
  value: unknown;
  hasValue: boolean;
}

/** What planning needs beyond target resolution. */
export interface PlanScope extends ResolveScope {
  /** The resource's own id (stored JSON or route), to recognise Okta's echoed `id`. */
  id?: string;
}

/** The steps of one operation, in order. */
export function planOperation(scope: PlanScope, op: OpName, path: string | undefined, value: unknown, hasValue: boolean): Step[] {
  if (path === undefined) {
    // RFC 7644 §3.5.2.2: "If 'path' is unspecified, the operation fails with … noTarget".
    if (op === 'remove') throw noTarget('remove needs a "path" (RFC 7644 §3.5.2.2)');
    if (!hasValue) throw invalidValue(`${op} without a "path" needs a "value" object of attributes (RFC 7644 §3.5.2.1)`);
    if (!isObject(value)) throw invalidValue(`${op} without a "path": "value" must be an object of attributes (RFC 7644 §3.5.2.1)`);
    const steps: Step[] = [];
    expandObject(scope, value, undefined, steps);
    return steps;
  }
  const target = resolveTarget(scope, path, isObject(value));
  if (target.kind === 'extension' && op !== 'remove' && value !== null) {
    if (!isObject(value)) throw invalidValue(`"${path}": an extension's value is an object of its attributes`);
    const steps: Step[] = [];
    expandObject(scope, value, target, steps);
    return steps;
  }
  return [{ target, value, hasValue }];
}

/**
 * Expands `obj` into steps. `ext` is the extension whose attributes `obj` holds (undefined or a core
 * URN: resource-level keys).
 */
function expandObject(scope: PlanScope, obj: Record<string, unknown>, ext: ExtensionTarget | undefined, out: Step[]): void {
  for (const key of Object.keys(obj)) {
    const value = obj[key];
    if (isForbiddenKey(key) || key === '') throw invalidPath(`"${key}" is not an attribute name`);
    if (ext && !ext.core) {
      // A client library's `schemas` inside an extension's value names no attribute: ignored, as POST and PUT do.
      if (ext.schema && key.toLowerCase() === 'schemas') continue;
      if (ext.schema) out.push({ target: resolveTarget(scope, `${ext.urn}:${key}`, false), value, hasValue: true });
      else out.push({ target: { kind: 'unknown', urn: ext.urn, name: key, text: `${ext.urn}:${key}` }, value, hasValue: true });
      continue;
    }
    if (skipResourceLevelKey(scope, key, value)) continue;
    const target = resolveTarget(scope, key, isObject(value));
    if (target.kind === 'extension' && value !== null) {
      if (!isObject(value)) throw invalidValue(`"${key}": an extension's value is an object of its attributes`);
      expandObject(scope, value, target, out);
    } else {
      out.push({ target, value, hasValue: true });
    }
  }
}

/**
 * Resource-level keys a client echoes from a GET that are not changes:
 * - `schemas`: derived by the server from the extension objects present (RFC 7643 §3).
 * - `meta`: "assigned by the service provider" (RFC 7643 §3.1); Entra puts `meta.resourceType` in bodies.
 * - `id`: readOnly (RFC 7643 §3.1); Okta's group rename sends `{"id": "<same id>", "displayName": …}`.
 *   The same id is ignored; another id is an attempt to modify a readOnly attribute (mutability).
 */
function skipResourceLevelKey(scope: PlanScope, key: string, value: unknown): boolean {
  const lower = key.toLowerCase();
  if (lower === 'schemas' || lower === 'meta') return true;
  if (lower !== 'id') return false;
  if (value === null || value === undefined || scope.id === undefined || value === scope.id) return true;
  throw mutability(`"id" is readOnly (RFC 7643 §3.1): ${show(value)} is not this resource's id`);
}
