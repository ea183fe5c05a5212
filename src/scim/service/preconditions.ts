/** If-Match handling (RFC 7644 §3.14, RFC 7232 §3.1). */
import { preconditionFailed } from '../errors.js';
import { etagOf, parseEtags } from '../resources/render.js';

/** Throws 412 when `ifMatch` is given and names neither `*` nor the current version. */
export function checkIfMatch(ifMatch: string | undefined, version: number): void {
  if (ifMatch === undefined) return;
  const { any, versions } = parseEtags(ifMatch);
  if (!any && !versions.has(version)) {
    throw preconditionFailed(`The resource has changed: If-Match ${ifMatch} does not match the current version ${etagOf(version)}`);
  }
}

/** True when `ifNoneMatch` names the current version (or `*`): GET answers 304. */
export function matchesIfNoneMatch(ifNoneMatch: string | undefined, version: number): boolean {
  if (ifNoneMatch === undefined) return false;
  const { any, versions } = parseEtags(ifNoneMatch);
  return any || versions.has(version);
}
