/**
 * Property test: thousands of random PATCH bodies, each either applied or refused with a 400
 * ScimError — never a TypeError, a RangeError or a 500 — and the input never modified (the
 * resource and body are deep-frozen, so a stray write throws in strict mode).
 */
import { describe, expect, it } from 'vitest';
import { ScimError } from '../errors.js';
import { applyPatch } from './apply-patch.js';
import { ENTERPRISE_USER_SCHEMA, PATCH_OP_SCHEMA, sampleGroup, sampleUser } from './test-support.js';
import type { PatchResourceType, ScimResource } from './types.js';
import { mulberry32 as prng } from '../../../test/support/prng.js';


const ENT = ENTERPRISE_USER_SCHEMA;
const OKTA = 'urn:okta:acme:1.0:user:custom';
const PATHS = [
  'title', 'active', 'userName', 'displayName', 'name', 'name.givenName', 'name.nope', 'emails', 'emails.value', 'emails.primary',
  'emails[type eq "work"]', 'emails[type eq "work"].value', 'emails[primary eq true].primary', 'emails[value co "@"]', 'emails[type gt 5]',
  'phoneNumbers[type eq "mobile"]', 'phoneNumbers[type eq "mobile"].value', 'addresses[type eq "work"].streetAddress', 'addresses[type ne "work"]',
  'members', 'members[value eq "u-1"]', 'members[type eq "User"]', 'members[value eq "a" or value eq "b"]', 'members.value', 'members[value eq "x"].display',
  'groups', 'id', 'meta', 'meta.created', 'schemas', 'externalId', 'password', 'x509Certificates', 'roles[primary eq true]',
  ENT, `${ENT}:department`, `${ENT}:manager`, `${ENT}:manager.value`, `${ENT}:manager.displayName`, `${ENT}:nope`, 'manager',
  OKTA, `${OKTA}:costCode`, `${OKTA}:nested.deep`, 'urn:ietf:params:scim:schemas:core:2.0:User', 'urn:ietf:params:scim:schemas:core:2.0:User:userName',
  'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group', 'http://x:y', '__proto__', 'constructor', 'name.__proto__',
];
const STRINGS = ['', 'x', 'True', 'false', 'work', 'mobile', 'u-1', 'u-2', '2024-01-01T00:00:00Z', 'aGk=', ' ', '__proto__', 'constructor', '💥', 'value'];
const KEYS = [
  'value', 'type', 'primary', 'display', '$ref', 'givenName', 'familyName', 'active', 'id', 'displayName', 'userName', 'name.givenName', 'members',
  'schemas', 'meta', 'emails', 'title', ENT, `${ENT}:department`, OKTA, '__proto__', 'constructor', 'prototype', '', 'nope', 'manager', 'department',
];
const PATH_CHARS = 'abcdeilmnprstuvwyz.[]"=: 0123456789$';

class Gen {
  constructor(
    readonly next: () => number,
    readonly resourceType: PatchResourceType,
  ) {}
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }

  value(depth = 0): unknown {
    const r = this.int(depth > 3 ? 6 : 9);
    switch (r) {
      case 0: return null;
      case 1: return this.chance(0.5);
      case 2: return this.pick([0, 1, -1, 4.5, 1e308, Number.MAX_SAFE_INTEGER + 2]);
      case 3: case 4: return this.pick(STRINGS);
      case 5: return `${this.pick(STRINGS)}${this.int(100)}`;
      case 6: return Array.from({ length: this.int(4) }, () => this.value(depth + 1));
      default: return this.object(depth + 1);
    }
  }

  object(depth: number): Record<string, unknown> {
    const obj: Record<string, unknown> = {};
    for (let i = this.int(4); i > 0; i--) {
      // defineProperty, so `__proto__` becomes an own key exactly as JSON.parse makes it.
      Object.defineProperty(obj, this.pick(KEYS), { value: this.value(depth), enumerable: true, writable: true, configurable: true });
    }
    return obj;
  }

  path(): unknown {
    const r = this.int(10);
    if (r < 6) return this.pick(PATHS);
    if (r < 8) {
      const base = this.pick(PATHS);
      const at = this.int(base.length + 1);
      return this.chance(0.5) ? base.slice(0, at) + this.pick([...PATH_CHARS]) + base.slice(at) : base.slice(0, at) + base.slice(at + 1);
    }
    if (r === 8) return Array.from({ length: this.int(12) }, () => this.pick([...PATH_CHARS])).join('');
    return this.pick([undefined, null, 5, {}, [], '']);
  }

  /** An operation that is usually valid, so success paths get exercised as much as failures. */
  plausible(): unknown {
    const str = () => this.pick(['Ann', 'bob@x.com', 'work', 'u-1', 'u-2', `v${this.int(9)}`]);
    const email = () => ({ value: `${str()}@x.com`, type: this.pick(['work', 'home']), ...(this.chance(0.3) ? { primary: this.pick([true, 'True', false]) } : {}) });
    const table: [string | undefined, () => unknown][] = [
      ['title', str], ['displayName', str], ['userName', str], ['active', () => this.pick([true, false, 'True', 'False'])],
      ['name.givenName', str], ['name', () => ({ givenName: str(), familyName: this.chance(0.3) ? null : str() })],
      ['emails', () => Array.from({ length: this.int(3) }, email)], ['emails[type eq "work"].value', str], ['emails[type eq "home"]', email],
      ['addresses[type eq "work"].locality', str], [`${ENT}:department`, str], [`${ENT}:manager`, () => this.pick(['m-2', [{ value: 'm-3' }], null])],
      [`${OKTA}:costCode`, str], ['members', () => Array.from({ length: this.int(3) }, () => ({ value: str() }))], ['members[value eq "u-1"]', () => undefined],
      [undefined, () => ({ active: this.chance(0.5), 'name.familyName': str(), [`${ENT}:division`]: str(), id: this.pick(['u-1', 'g-1']) })],
      [undefined, () => ({ displayName: str(), [ENT]: { costCenter: str() }, [OKTA]: { level: this.int(5) } })],
    ];
    const members = () => Array.from({ length: this.int(3) }, () => (this.chance(0.8) ? { value: str(), $ref: null } : str()));
    const groupTable: [string | undefined, () => unknown][] = [
      ['displayName', str], ['externalId', str], ['members', members], ['members', members], ['members[value eq "u-1"]', () => undefined],
      ['members[type eq "User"]', () => undefined], [`${OKTA}:costCode`, str],
      [undefined, () => ({ id: this.pick(['g-1', 'g-2']), displayName: str() })], [undefined, () => ({ members: members(), externalId: str() })],
    ];
    const [path, value] = this.pick(this.resourceType === 'Group' ? groupTable : table);
    const op: Record<string, unknown> = { op: this.pick(['add', 'Add', 'replace', 'Replace', 'remove', 'Remove']) };
    if (path !== undefined) op.path = path;
    const v = value();
    if (v !== undefined && (op.op !== 'remove' || this.chance(0.2))) op.value = v;
    return op;
  }

  operation(): unknown {
    if (this.chance(0.6)) return this.plausible();
    if (this.chance(0.03)) return this.value();
    const op: Record<string, unknown> = { op: this.pick(['add', 'Add', 'REPLACE', 'replace', 'remove', 'Remove', 'move', 5, undefined]) };
    const path = this.path();
    if (path !== undefined) op[this.chance(0.9) ? 'path' : 'Path'] = path;
    if (this.chance(0.8)) op.value = this.chance(0.3) ? this.object(1) : this.value();
    return op;
  }

  body(): unknown {
    if (this.chance(0.03)) return this.value();
    const body: Record<string, unknown> = { schemas: this.chance(0.95) ? [PATCH_OP_SCHEMA] : this.value() };
    body.Operations = this.chance(0.97) ? Array.from({ length: 1 + this.int(3) }, () => this.operation()) : this.value();
    return body;
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.getOwnPropertyNames(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

function richUser(): ScimResource {
  return {
    ...sampleUser(),
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENT, OKTA],
    addresses: [{ type: 'work', streetAddress: '1 Main' }],
    [ENT]: { department: 'R&D', manager: { value: 'm-1' } },
    [OKTA]: { costCode: 'CC', nested: { deep: [1, 2] } },
  };
}

function run(seed: number, iterations: number, resourceType: PatchResourceType, make: () => ScimResource) {
  const gen = new Gen(prng(seed), resourceType);
  const counts = { applied: 0, refused: 0 };
  for (let i = 0; i < iterations; i++) {
    const resource = deepFreeze(make());
    const snapshot = JSON.stringify(resource);
    const body = deepFreeze(gen.body());
    try {
      const result = applyPatch(resource, body, { resourceType });
      counts.applied++;
      expect(JSON.parse(JSON.stringify(result.resource))).toEqual(result.resource);
      if (resourceType === 'User') expect(result.memberOps).toEqual([]);
    } catch (err) {
      if (!(err instanceof ScimError) || err.status !== 400) {
        throw new Error(`seed ${seed} iteration ${i}: ${String(err)}\nbody: ${JSON.stringify(body)}`, { cause: err });
      }
      counts.refused++;
    }
    expect(JSON.stringify(resource)).toBe(snapshot);
  }
  return counts;
}

describe('fuzz: random PATCH bodies', () => {
  it('users: every failure is a 400 ScimError and the input is never modified', () => {
    const counts = run(0x5c1a, 4000, 'User', richUser);
    // Both outcomes must be well represented, or the generator is not exercising the engine.
    expect(counts.applied).toBeGreaterThan(300);
    expect(counts.refused).toBeGreaterThan(300);
  });

  it('groups: every failure is a 400 ScimError and the input is never modified', () => {
    const counts = run(0x9e37, 3000, 'Group', sampleGroup);
    expect(counts.applied).toBeGreaterThan(150);
    expect(counts.refused).toBeGreaterThan(150);
  });
});
