/**
 * Property tests without extra dependencies: a seeded PRNG (mulberry32) drives
 * 1. random text — grammar tokens, garbage, unicode, bracket runs — through the parsers, which
 *    must return a tree or throw a 400 ScimError of the right scimType, never anything else;
 * 2. random valid trees through printFilter, which must parse back to the same tree.
 * A failure prints its seed and input; rerun with that seed to reproduce.
 */
import { describe, expect, it } from 'vitest';
import { ScimError } from '../errors.js';
import { COMPARE_OPS, type AttrPath, type FilterNode, type FilterValue, type ValuePathNode } from './ast.js';
import { parseAttributeList } from './attr-path.js';
import { matchesFilter } from './evaluate.js';
import bjensen from './fixtures/bjensen.json' with { type: 'json' };
import { parseFilter, parsePatchPath } from './parser.js';
import { printFilter, printPatchPath } from './print-filter.js';
import { mulberry32 } from '../../../test/support/prng.js';


class Random {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)];
  }
}

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const TOKENS = [
  ...COMPARE_OPS, 'EQ', 'Co', 'pr', 'PR', 'and', 'AND', 'or', 'Or', 'not', 'NOT', '(', ')', '[', ']', '.', ':', ',',
  '"', '"x"', '"a\\"b"', '"\\u00e9"', '"\\uZZ"', '"\\', '\\', 'true', 'False', 'null', 'nul', '0', '-', '-1.5e3', '01',
  '1.', '1e', '1e999', 'userName', 'name.givenName', 'emails', 'members', 'value', 'type', '$ref', 'a.b.c', ENTERPRISE,
  `${ENTERPRISE}:manager.value`, 'urn:', 'urn::x', 'é', '😀', '\u0000', '\t', '\n', '\ud800', '{', '}', '=', "'", '&&',
];

/** Random text: mostly grammar tokens, with garbage and unicode mixed in. */
function randomText(r: Random): string {
  const parts: string[] = [];
  const n = r.int(0, 30);
  for (let i = 0; i < n; i++) {
    const roll = r.int(0, 9);
    if (roll < 6) parts.push(r.pick(TOKENS));
    else if (roll === 6) parts.push(String.fromCharCode(r.int(0, 127)));
    else if (roll === 7) parts.push(String.fromCodePoint(r.int(0, 0x10ffff)));
    else if (roll === 8) parts.push(r.pick(['(', '[', ')', ']', 'not (']).repeat(r.int(1, 60)));
    else parts.push(String.fromCharCode(r.int(0, 0xffff)));
    if (r.chance(0.7)) parts.push(' ');
  }
  return parts.join('');
}

function expectScimError(fn: () => unknown, scimType: string, input: string, seed: number): boolean {
  try {
    fn();
    return true;
  } catch (e) {
    const ok = e instanceof ScimError && e.status === 400 && e.scimType === scimType;
    if (!ok) throw new Error(`seed ${seed}: ${JSON.stringify(input)} threw ${String(e)}`);
    return false;
  }
}

// Keywords are valid attribute names where a path is expected, so they belong in the pool.
const NAMES = ['userName', 'emails', 'value', 'type', 'x', 'a-b', 'a_1', '$ref', 'and', 'or', 'not', 'pr', 'eq', 'true', 'null'];
const URIS = [ENTERPRISE, 'urn:ietf:params:scim:schemas:core:2.0:User', 'urn:x-y:a.b:1.0:Z'];

function randomPath(r: Random, allowSub: boolean, names: readonly string[] = NAMES): AttrPath {
  const path: AttrPath = { attr: r.pick(names) };
  if (r.chance(0.2)) path.uri = r.pick(URIS);
  if (allowSub && r.chance(0.3)) path.sub = r.pick(names);
  return path;
}

function randomString(r: Random): string {
  const n = r.int(0, 8);
  let s = '';
  for (let i = 0; i < n; i++) {
    s += r.chance(0.5) ? r.pick(['"', '\\', '/', '\n', '\u0001', ' ', 'a', 'é', '😀', '\ud800', '\udc00']) : String.fromCharCode(r.int(0, 0xffff));
  }
  return s;
}

function randomValue(r: Random): FilterValue {
  switch (r.int(0, 5)) {
    case 0: return r.chance(0.5);
    case 1: return null;
    case 2: return r.int(-1000, 1000);
    case 3: return r.chance(0.1) ? -0 : (r.int(0, 1e6) - 5e5) * 10 ** r.int(-30, 30);
    default: return randomString(r);
  }
}

function randomTree(r: Random, depth: number, inBrackets: boolean, names: readonly string[] = NAMES): FilterNode {
  const roll = depth <= 0 ? r.int(0, 1) : r.int(0, inBrackets ? 4 : 5);
  const child = (within: boolean) => randomTree(r, depth - 1, within, names);
  switch (roll) {
    case 0:
      return { kind: 'compare', path: randomPath(r, true, names), op: r.pick(COMPARE_OPS), value: randomValue(r) };
    case 1:
      return { kind: 'present', path: randomPath(r, true, names) };
    case 2:
    case 3:
      return { kind: roll === 2 ? 'and' : 'or', left: child(inBrackets), right: child(inBrackets) };
    case 4:
      return { kind: 'not', filter: child(inBrackets) };
    default: {
      const node: ValuePathNode = { kind: 'valuePath', path: randomPath(r, false, names), filter: child(true) };
      if (r.chance(0.3)) {
        const sub = r.pick(names);
        node.then = r.chance(0.3) ? { sub, op: 'pr' } : { sub, op: r.pick(COMPARE_OPS), value: randomValue(r) };
      }
      return node;
    }
  }
}

/** A printed valid filter with 0–3 random edits: near-misses reach deeper parser states than soup. */
function mutatedFilter(r: Random): string {
  let text = printFilter(randomTree(r, r.int(0, 4), false));
  for (let edits = r.int(0, 3); edits > 0; edits--) {
    const at = r.int(0, text.length);
    const piece = r.chance(0.5) ? r.pick(TOKENS) : String.fromCharCode(r.int(0, 127));
    const roll = r.int(0, 2);
    if (roll === 0) text = text.slice(0, at) + piece + text.slice(at);
    else if (roll === 1) text = text.slice(0, at) + text.slice(at + r.int(1, 5));
    else text = text.slice(0, at) + piece + text.slice(at + piece.length);
  }
  return text;
}

/** Input number `seed` of a fuzz run: token soup or a mutated valid filter, half and half. */
function fuzzInput(seed: number): string {
  const r = new Random(seed);
  return r.chance(0.5) ? randomText(r) : mutatedFilter(r);
}

const ROOMY = { maxLength: 1_000_000, maxDepth: 1000 };

describe('fuzz: parsers on random text', () => {
  it('parseFilter returns a tree or throws invalidFilter, for 6,000 random inputs', () => {
    let parsed = 0;
    for (let seed = 1; seed <= 6000; seed++) {
      const text = fuzzInput(seed);
      if (expectScimError(() => parseFilter(text), 'invalidFilter', text, seed)) {
        parsed++;
        // Whatever parses prints to text that parses to the same tree.
        const tree = parseFilter(text);
        expect(parseFilter(printFilter(tree), ROOMY), `seed ${seed}`).toEqual(tree);
      }
    }
    expect(parsed).toBeGreaterThan(1000); // the mutated half must exercise the success path too
  });

  it('parsePatchPath and parseAttributeList throw only invalidPath', () => {
    for (let seed = 1; seed <= 3000; seed++) {
      const text = fuzzInput(seed * 7919);
      expectScimError(() => parsePatchPath(text), 'invalidPath', text, seed);
      expectScimError(() => parseAttributeList(text), 'invalidPath', text, seed);
    }
  });

  it('survives long bracket runs with no depth limit in sight', () => {
    const r = new Random(42);
    for (let i = 0; i < 50; i++) {
      const text = Array.from({ length: r.int(100, 3000) }, () => r.pick(['(', 'not (', '[', 'a[', 'a eq 1 or ', ')'])).join('');
      expectScimError(() => parseFilter(text, { maxLength: 1_000_000 }), 'invalidFilter', text, i);
      expectScimError(() => parsePatchPath(`a[${text}]`, { maxLength: 1_000_000 }), 'invalidPath', text, i);
    }
  });
});

describe('fuzz: print then parse is the identity on valid trees', () => {
  it('round-trips 3,000 random filters', () => {
    for (let seed = 1; seed <= 3000; seed++) {
      const r = new Random(seed);
      const tree = randomTree(r, r.int(0, 6), false);
      const text = printFilter(tree);
      let back: FilterNode;
      try {
        back = parseFilter(text, ROOMY);
      } catch (e) {
        throw new Error(`seed ${seed}: ${text} → ${String(e)}`);
      }
      expect(back, `seed ${seed}: ${text}`).toEqual(tree);
    }
  });

  it('round-trips 1,000 random PATCH paths', () => {
    for (let seed = 1; seed <= 1000; seed++) {
      const r = new Random(seed + 1e6);
      const path = randomPath(r, false);
      const filter = randomTree(r, r.int(0, 3), true);
      const patchPath = r.chance(0.5) ? { path, filter, subAfterFilter: r.pick(NAMES) } : { path, filter };
      expect(parsePatchPath(printPatchPath(patchPath), ROOMY), `seed ${seed}`).toEqual(patchPath);
    }
  });
});

describe('fuzz: evaluation', () => {
  it('answers a boolean or throws invalidFilter for 3,000 random trees', () => {
    // Names that exist on the fixture, so that evaluation reaches the comparisons.
    const real = ['userName', 'emails', 'active', 'meta', 'name', 'id', 'department', 'manager', 'schemas', 'value', 'type', 'x'];
    let answered = 0;
    for (let seed = 1; seed <= 3000; seed++) {
      const r = new Random(seed + 2e6);
      const tree = randomTree(r, r.int(0, 4), false, real);
      for (const type of ['User', 'Group'] as const) {
        const text = printFilter(tree);
        try {
          expect(typeof matchesFilter(tree, bjensen, type)).toBe('boolean');
          answered++;
        } catch (e) {
          if (!(e instanceof ScimError && e.status === 400 && e.scimType === 'invalidFilter')) {
            throw new Error(`seed ${seed}: ${text} threw ${String(e)}`);
          }
        }
      }
    }
    expect(answered).toBeGreaterThan(1000);
  });
});
