/** Helpers shared by the PATCH engine's tests (imported by *.test.ts only). */
import { expect } from 'vitest';
import { ScimError, type ScimType } from '../errors.js';
import { ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, USER_SCHEMA } from '../schema/index.js';
import { PATCH_OP_SCHEMA, applyPatch } from './apply-patch.js';
import type { PatchResult, ScimResource } from './types.js';

export { ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, PATCH_OP_SCHEMA, USER_SCHEMA };

/** A PATCH body with these operations. */
export function body(...operations: unknown[]): { schemas: string[]; Operations: unknown[] } {
  return { schemas: [PATCH_OP_SCHEMA], Operations: operations };
}

/** A stored user as the store would hand it over. */
export function sampleUser(): ScimResource {
  return {
    schemas: [USER_SCHEMA],
    id: 'u-1',
    userName: 'bjensen@example.com',
    name: { givenName: 'Barbara', familyName: 'Jensen' },
    displayName: 'Babs Jensen',
    active: true,
    emails: [
      { value: 'bjensen@example.com', type: 'work', primary: true },
      { value: 'babs@home.example', type: 'home' },
    ],
    phoneNumbers: [{ value: '555-0100', type: 'work' }],
    meta: { resourceType: 'User', created: '2024-01-01T00:00:00Z', lastModified: '2024-01-01T00:00:00Z' },
  };
}

/** A stored group: no `members`, they are rows. */
export function sampleGroup(): ScimResource {
  return { schemas: [GROUP_SCHEMA], id: 'g-1', displayName: 'Engineering', meta: { resourceType: 'Group' } };
}

/** Applies `ops` to a user. */
export function patchUser(resource: ScimResource, ...ops: unknown[]): PatchResult {
  return applyPatch(resource, body(...ops), { resourceType: 'User' });
}

/** Applies `ops` to a group. */
export function patchGroup(resource: ScimResource, ...ops: unknown[]): PatchResult {
  return applyPatch(resource, body(...ops), { resourceType: 'Group' });
}

/** Runs `fn`, expects a 400 ScimError with `scimType` (and `detail` containing `detail`), returns it. */
export function expectScimError(fn: () => unknown, scimType: ScimType | undefined, detail?: string | RegExp): ScimError {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught, 'expected a ScimError').toBeInstanceOf(ScimError);
  const err = caught as ScimError;
  expect(err.status).toBe(400);
  expect(err.scimType).toBe(scimType);
  if (detail !== undefined) expect(err.message).toMatch(detail);
  return err;
}

/** Replaces `{{name}}` placeholders in a fixture. */
export function fill<T>(fixture: T, vars: Record<string, string>): T {
  const text = JSON.stringify(fixture).replace(/\{\{(\w+)\}\}/g, (m, name: string) => vars[name] ?? m);
  return JSON.parse(text) as T;
}
