/**
 * Differential test of the filter→SQL translator (src/scim/store/filter-sql.ts) against the
 * in-memory evaluator (src/scim/filter/evaluate.ts): for hand-written and PRNG-generated filters,
 * the ids `GET /Users?filter=…` returns must be exactly the resources `matchesFilter` accepts, and
 * a filter the evaluator rejects (invalidFilter) must be a 400 invalidFilter from the API.
 * The data is seeded through the SCIM API, with a decoy connection whose rows must never show.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ScimError } from '../../src/scim/errors.js';
import { matchesFilter, parseFilter } from '../../src/scim/filter/index.js';
import { FILTER_LIMITS } from '../../src/scim/routes/list-params.js';
import type { ResourceTypeName } from '../../src/scim/schema/index.js';
import { dialectsUnderTest } from '../support/databases.js';
import { createTenant } from '../support/fixtures.js';
import { ENTERPRISE_URN, USER_URN, newScimClient, patchOp, prng, q, type Prng, type ScimClient } from '../support/scim-requests.js';
import { useTestApp } from '../support/test-app.js';

const OKTA = 'urn:okta:custom:1.0:User';
/** The generated filters' seed; set FILTER_SEED to explore other filters (a failure prints the filter). */
const SEED = Number(process.env.FILTER_SEED ?? 20260101);
type Resource = Record<string, any>;

/** Hand-made users: every shape of data the translator has a branch for. */
function handUsers(): Resource[] {
  return [
    {
      userName: 'alice@example.com', externalId: 'EXT-alice', displayName: 'Alice Smith', title: 'Engineer', nickName: 'Al',
      name: { givenName: 'Alice', familyName: 'Smith', formatted: 'Ms. Alice Smith' },
      emails: [{ value: 'Alice@Example.com', type: 'work', primary: true }, { value: 'alice.home@mail.net', type: 'home' }],
      phoneNumbers: [{ value: '+1 555 0100', type: 'work', primary: true }, { value: '+33 6 12 34 56 78', type: 'mobile' }],
      addresses: [{ type: 'work', locality: 'Paris', country: 'FR', primary: true }, { type: 'home', locality: 'Lyon', country: 'FR' }],
      roles: [{ value: 'admin', primary: true }, { value: 'Auditor' }],
      [ENTERPRISE_URN]: { department: 'Engineering', employeeNumber: '1001', costCenter: 'CC-1', organization: 'Acme' },
      [OKTA]: { costCode: 'AB-12', level: 3, isContractor: false, tags: ['a', 'B'] },
    },
    { userName: 'Alice.Jones@Example.COM', displayName: 'alice jones', name: { givenName: 'alice', familyName: 'Jones' }, emails: [{ value: 'ajones@example.com', type: 'Work' }] },
    { userName: 'bob' },
    {
      userName: 'Élodie.Durand@exemple.fr', displayName: 'ÉLODIE Durand', title: 'Ingénieure',
      name: { givenName: 'Élodie', familyName: 'DURAND' }, emails: [{ value: 'Élodie@Exemple.fr', type: 'work', primary: true }],
      [ENTERPRISE_URN]: { department: 'Ingénierie' },
    },
    { userName: 'ωmega', displayName: 'ΩMEGA', name: { familyName: 'Ωmega', givenName: 'Σοφία' }, title: 'ΆΛΦΑ' },
    { userName: '李雷@example.cn', displayName: '李雷', emails: [{ value: '李雷@example.cn' }] },
    { userName: 'emoji😀@x.io', displayName: '😀 Smile', title: '\u{1F600}' },
    { userName: 'ｆｕｌｌ＠ｗｉｄｔｈ', displayName: 'Ｆｕｌｌ Width', title: '\uFF21bc' },
    { userName: 'percent%under_score', title: '100% off_ice', displayName: 'Per_Cent' },
    { userName: 'back\\slash', displayName: 'Back\\Slash', title: 'a\\b' },
    { userName: 'quote"d', displayName: 'Quote "D"' },
    { userName: 'carol', active: false, emails: [{ value: 'carol@x.com' }], title: 'Engineer' },
    { userName: 'dave', emails: [{ type: 'work', display: 'Dave at work' }, { value: 'dave@x.com', type: 'home', primary: false }] },
    { userName: 'erin', emails: [{ value: 'erin@x.com', type: 'WORK', primary: false }], active: 'False' },
    { userName: 'frank', title: 'Manager', [ENTERPRISE_URN]: { department: 'engineering' } },
    {
      userName: 'heidi', [ENTERPRISE_URN]: { department: 'Sales', costCenter: '' },
      [OKTA]: { costCode: 'ab-12', level: '3', isContractor: 'true', tags: [] },
    },
    { userName: 'ivan', [OKTA]: { costCode: 'XY-9', level: 2.5, isContractor: true, tags: ['A'], empty: {} } },
    { userName: 'judy', name: {}, displayName: '', title: '', emails: [] },
    { userName: 'mallory', roles: [{ value: 'admin' }, { value: 'viewer', primary: true }], entitlements: [{ value: 'Billing', type: 'app' }] },
    { userName: 'trent', nickName: 'T', userType: 'Contractor', locale: 'fr-FR', timezone: 'Europe/Paris', preferredLanguage: 'fr', profileUrl: 'https://x.test/Trent' },
    { userName: 'NULL', displayName: 'null', title: 'null', [OKTA]: { costCode: 'null', level: 0, isContractor: false } },
    { userName: 'zoë', displayName: 'Zoë', name: { givenName: 'Zoë', familyName: 'Straße' }, addresses: [{ type: 'work', locality: 'Zürich', country: 'CH' }] },
  ];
}

const GIVEN = ['Ann', 'ann', 'Bo', 'Chloé', 'Dmitri', 'Émile', 'Fatima', 'Günther', 'Hana', 'Ígor', 'Jo'];
const FAMILY = ['Lee', 'LEE', 'Müller', 'Nakamura', "O'Neil", 'Pérez', 'Quinn', 'Rossi', 'Svensson', 'Østergaard'];
const DEPTS = ['Engineering', 'engineering', 'Sales', 'Support', 'R&D', 'Ingénierie'];
const TITLES = ['Engineer', 'Senior Engineer', 'Manager', 'VP, Sales', 'Intern'];
const DOMAINS = ['example.com', 'Example.org', 'x.io', 'mail.net'];

/** A random user; every attribute may be missing. */
function randomUser(r: Prng, i: number): Resource {
  const given = r.pick(GIVEN);
  const family = r.pick(FAMILY);
  const user: Resource = { userName: `${r.chance(0.3) ? given.toUpperCase() : given}.${family}${i}@${r.pick(DOMAINS)}` };
  if (r.chance(0.7)) user.name = { givenName: given, ...(r.chance(0.8) ? { familyName: family } : {}) };
  if (r.chance(0.6)) user.displayName = `${given} ${family}`;
  if (r.chance(0.5)) user.title = r.pick(TITLES);
  if (r.chance(0.3)) user.externalId = `ext-${i}${r.chance(0.5) ? 'X' : 'x'}`;
  if (r.chance(0.25)) user.active = false;
  const emails = [];
  for (let n = r.int(4); n > 0; n--) {
    const email: Resource = { value: `${given}${n}.${i}@${r.pick(DOMAINS)}` };
    if (r.chance(0.7)) email.type = r.pick(['work', 'home', 'other', 'Work']);
    if (r.chance(0.4)) email.primary = n === 1;
    emails.push(email);
  }
  if (emails.length > 0) user.emails = emails;
  if (r.chance(0.3)) user.phoneNumbers = [{ value: `+1 555 01${String(i).padStart(2, '0')}`, type: r.pick(['work', 'mobile']) }];
  if (r.chance(0.3)) user.addresses = [{ type: r.pick(['work', 'home']), locality: r.pick(['Paris', 'Berlin', 'Zürich']), country: r.pick(['FR', 'DE', 'CH']) }];
  if (r.chance(0.6)) {
    user[ENTERPRISE_URN] = { department: r.pick(DEPTS), ...(r.chance(0.5) ? { employeeNumber: String(1000 + i) } : {}) };
  }
  if (r.chance(0.5)) {
    const okta: Resource = {};
    if (r.chance(0.8)) okta.costCode = r.pick(['AB-12', 'ab-12', 'CD-34', 'XY-9']);
    if (r.chance(0.8)) okta.level = r.pick([0, 1, 2, 2.5, 3, 10, -1]);
    if (r.chance(0.8)) okta.isContractor = r.chance(0.5);
    if (r.chance(0.4)) okta.tags = r.chance(0.5) ? ['a'] : ['b', 'C'];
    user[OKTA] = okta;
  }
  return user;
}

const GROUP_NAMES = ['Engineering', 'Sales', 'ÉQUIPE Paris', 'admins', 'Empty', 'all-staff', 'Contractors', 'ω-team', 'R&D', 'Support'];

/** Values of a path in a resource: every string/number/boolean found, for filter literals. */
function leaves(value: unknown, out: unknown[] = []): unknown[] {
  if (Array.isArray(value)) value.forEach((v) => leaves(v, out));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => leaves(v, out));
  else if (value !== undefined && value !== null) out.push(value);
  return out;
}

function at(resource: Resource, path: string[]): unknown {
  let cur: unknown = resource;
  for (const key of path) {
    if (Array.isArray(cur)) cur = cur.map((el) => (el as Resource)?.[key]);
    else cur = (cur as Resource | undefined)?.[key];
  }
  return cur;
}

/** Where a filter attribute is in a resource, with the kind of literal it compares with. */
interface PathSpec {
  /** Spellings of the path (unqualified, URN-qualified…). */
  names: string[];
  keys: string[];
  kind: 'string' | 'number' | 'boolean' | 'date' | 'mixed';
  /** Sub-attributes usable inside `[…]` (multi-valued/complex attributes only). */
  subs?: PathSpec[];
}

const p = (names: string | string[], keys: string[], kind: PathSpec['kind'], subs?: PathSpec[]): PathSpec => ({
  names: Array.isArray(names) ? names : [names],
  keys,
  kind,
  subs,
});
const core = (name: string) => [name, `${USER_URN}:${name}`];
const ent = (name: string) => [name, `${ENTERPRISE_URN}:${name}`];

const USER_PATHS: PathSpec[] = [
  p(core('userName'), ['userName'], 'string'),
  p(core('displayName'), ['displayName'], 'string'),
  p(core('name.givenName'), ['name', 'givenName'], 'string'),
  p(core('name.familyName'), ['name', 'familyName'], 'string'),
  p('name.formatted', ['name', 'formatted'], 'string'),
  p(core('title'), ['title'], 'string'),
  p(['nickName', 'userType', 'locale'], ['nickName'], 'string'),
  p(['externalId', `${USER_URN}:externalId`], ['externalId'], 'string'),
  p('id', ['id'], 'string'),
  p(core('active'), ['active'], 'boolean'),
  p(['emails', 'emails.value'], ['emails', 'value'], 'string'),
  p('emails.type', ['emails', 'type'], 'string'),
  p('emails.primary', ['emails', 'primary'], 'boolean'),
  p(['phoneNumbers', 'phoneNumbers.value'], ['phoneNumbers', 'value'], 'string'),
  p('phoneNumbers.type', ['phoneNumbers', 'type'], 'string'),
  p('addresses.locality', ['addresses', 'locality'], 'string'),
  p('addresses.country', ['addresses', 'country'], 'string'),
  p('addresses.primary', ['addresses', 'primary'], 'boolean'),
  p(['roles', 'roles.value'], ['roles', 'value'], 'string'),
  p('roles.primary', ['roles', 'primary'], 'boolean'),
  p('entitlements.value', ['entitlements', 'value'], 'string'),
  p(['groups', 'groups.value'], ['groups', 'value'], 'string'),
  p('groups.display', ['groups', 'display'], 'string'),
  p('groups.type', ['groups', 'type'], 'string'),
  p(ent('department'), [ENTERPRISE_URN, 'department'], 'string'),
  p(ent('employeeNumber'), [ENTERPRISE_URN, 'employeeNumber'], 'string'),
  p(ent('costCenter'), [ENTERPRISE_URN, 'costCenter'], 'string'),
  p(ent('manager.value'), [ENTERPRISE_URN, 'manager', 'value'], 'string'),
  p(`${OKTA}:costCode`, [OKTA, 'costCode'], 'mixed'),
  p(`${OKTA}:level`, [OKTA, 'level'], 'mixed'),
  p(`${OKTA}:isContractor`, [OKTA, 'isContractor'], 'mixed'),
  p(`${OKTA}:tags`, [OKTA, 'tags'], 'mixed'),
  p(`${OKTA}:empty`, [OKTA, 'empty'], 'mixed'),
  p(['meta.created', `${USER_URN}:meta.created`], ['meta', 'created'], 'date'),
  p('meta.lastModified', ['meta', 'lastModified'], 'date'),
  p('meta.resourceType', ['meta', 'resourceType'], 'string'),
  p('meta.version', ['meta', 'version'], 'string'),
  p('schemas', ['schemas'], 'string'),
  p(['nosuchattr', `${OKTA}:missing`, 'name.nosuch'], ['nosuchattr'], 'mixed'),
];

const sub = (name: string, kind: PathSpec['kind']) => p(name, [name], kind);
const VALUE_PATHS: PathSpec[] = [
  p('emails', ['emails'], 'string', [sub('value', 'string'), sub('type', 'string'), sub('primary', 'boolean')]),
  p('phoneNumbers', ['phoneNumbers'], 'string', [sub('value', 'string'), sub('type', 'string'), sub('primary', 'boolean')]),
  p('addresses', ['addresses'], 'string', [sub('locality', 'string'), sub('country', 'string'), sub('type', 'string'), sub('primary', 'boolean')]),
  p('roles', ['roles'], 'string', [sub('value', 'string'), sub('primary', 'boolean')]),
  p('groups', ['groups'], 'string', [sub('value', 'string'), sub('display', 'string'), sub('type', 'string')]),
  p(['name', `${USER_URN}:name`], ['name'], 'string', [sub('givenName', 'string'), sub('familyName', 'string')]),
  p(ent('manager'), [ENTERPRISE_URN, 'manager'], 'string', [sub('value', 'string')]),
];

const GROUP_PATHS: PathSpec[] = [
  p(['displayName', 'urn:ietf:params:scim:schemas:core:2.0:Group:displayName'], ['displayName'], 'string'),
  p('externalId', ['externalId'], 'string'),
  p('id', ['id'], 'string'),
  p(['members', 'members.value'], ['members', 'value'], 'string'),
  p('members.type', ['members', 'type'], 'string'),
  p('meta.created', ['meta', 'created'], 'date'),
  p('meta.lastModified', ['meta', 'lastModified'], 'date'),
  p('meta.version', ['meta', 'version'], 'string'),
  p('nosuchattr', ['nosuchattr'], 'mixed'),
];
const GROUP_VALUE_PATHS: PathSpec[] = [p('members', ['members'], 'string', [sub('value', 'string'), sub('type', 'string')])];

const OPS = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'lt', 'ge', 'le'] as const;

/** Flips the case of some letters: attribute names and operators are case-insensitive. */
function recase(r: Prng, text: string): string {
  const mode = r.int(6);
  if (mode === 0) return text.toUpperCase();
  if (mode === 1) return text.toLowerCase();
  if (mode === 2) return [...text].map((c) => (r.chance(0.5) ? c.toUpperCase() : c.toLowerCase())).join('');
  return text;
}

/** A literal for a path: mostly values from the data (whole, part, other case), sometimes odd ones. */
function literal(r: Prng, spec: PathSpec, pool: unknown[], op: string): string {
  const roll = r.int(10);
  if (roll === 0) return 'null';
  if (roll === 1) return r.pick(['true', 'false', '0', '3', '2.5', '-1', '1e3']);
  if (roll === 2) return JSON.stringify(r.pick(['', 'a', 'é', 'É', '%', '_', '\\', 'zzz', '@x', '2026', 'T', 'W/"1"', 'work', 'Work', '1970-01-01T00:00:00Z']));
  const value = pool.length > 0 ? r.pick(pool) : 'x';
  if (typeof value !== 'string') return JSON.stringify(value);
  if (spec.kind === 'date' && r.chance(0.6)) {
    const ms = Date.parse(value) + r.pick([-1, 0, 1, -60_000, 3_600_000]);
    const iso = new Date(ms).toISOString();
    return JSON.stringify(r.pick([iso, iso.replace('Z', '+00:00'), iso.slice(0, 19), `${iso.slice(0, 19)}Z`, iso.toLowerCase()]));
  }
  let text = value;
  const chars = [...text];
  if (op === 'co' && chars.length > 2) {
    const from = r.int(chars.length - 1);
    text = chars.slice(from, from + 1 + r.int(chars.length - from)).join('');
  } else if (op === 'sw') text = chars.slice(0, 1 + r.int(chars.length)).join('');
  else if (op === 'ew') text = chars.slice(r.int(chars.length)).join('');
  if (r.chance(0.3)) text = r.chance(0.5) ? text.toUpperCase() : text.toLowerCase();
  return JSON.stringify(text);
}

/** Literal values found at each path in the seeded data. */
type Pools = Map<PathSpec, unknown[]>;

function poolsOf(resources: Resource[], specs: PathSpec[]): Pools {
  const pools: Pools = new Map();
  const add = (spec: PathSpec, values: unknown[]) => pools.set(spec, [...new Set([...(pools.get(spec) ?? []), ...values])]);
  for (const spec of specs) {
    add(spec, resources.flatMap((res) => leaves(at(res, spec.keys))));
    for (const s of spec.subs ?? []) add(s, resources.flatMap((res) => leaves(at(res, [...spec.keys, ...s.keys]))));
  }
  return pools;
}

function comparison(r: Prng, spec: PathSpec, pools: Pools, name = r.pick(spec.names)): string {
  const path = recase(r, name);
  if (r.chance(0.1)) return `${path} ${recase(r, 'pr')}`;
  const op = r.pick(OPS);
  return `${path} ${recase(r, op)} ${literal(r, spec, pools.get(spec) ?? [], op)}`;
}

/** A random filter over `specs`/`valuePaths`, nested at most `depth` levels. */
function randomFilter(r: Prng, specs: PathSpec[], valuePaths: PathSpec[], pools: Pools, depth: number): string {
  const roll = r.int(depth > 0 ? 10 : 6);
  if (roll <= 3) return comparison(r, r.pick(specs), pools);
  if (roll <= 5) {
    const vp = r.pick(valuePaths);
    const inner = () => comparison(r, r.pick(vp.subs!), pools);
    let filter = inner();
    if (r.chance(0.4)) filter = `${filter} ${recase(r, r.pick(['and', 'or']))} ${inner()}`;
    if (r.chance(0.15)) filter = `not (${filter})`;
    const head = `${recase(r, r.pick(vp.names))}[${filter}]`;
    // Entra ID's `emails[type eq "work"].value eq "…"`.
    if (r.chance(0.3)) return `${head}.${comparison(r, r.pick(vp.subs!), pools, r.pick(vp.subs!).names[0])}`;
    return head;
  }
  if (roll === 6) return `${recase(r, 'not')} (${randomFilter(r, specs, valuePaths, pools, depth - 1)})`;
  if (roll === 7) return `(${randomFilter(r, specs, valuePaths, pools, depth - 1)})`;
  const op = recase(r, r.pick(['and', 'or']));
  return `${randomFilter(r, specs, valuePaths, pools, depth - 1)} ${op} ${randomFilter(r, specs, valuePaths, pools, depth - 1)}`;
}

/** Hand-written filters: every operator and form, over the seeded data. */
function handFilters(alice: Resource, engineering: Resource, admins: Resource): { users: string[]; groups: string[] } {
  const created = alice.meta.created as string;
  return {
    users: [
      'userName eq "alice@example.com"', 'USERNAME EQ "ALICE@EXAMPLE.COM"', 'userName ne "bob"', 'userName co "ALICE"',
      'userName sw "alice"', 'userName ew ".COM"', 'userName gt "m"', 'userName lt "b"', 'userName ge "bob"', 'userName le "bob"',
      'userName co "%"', 'userName co "_"', 'userName co "\\\\"', 'userName eq "quote\\"d"', 'userName sw "Ｆ"', 'userName gt "😀"',
      'userName lt "ｆ"', 'userName eq "ÉLODIE.DURAND@EXEMPLE.FR"', 'userName eq "ΩMEGA"', 'userName eq "null"',
      'displayName eq "élodie durand"', 'displayName co "Ω"', 'displayName pr', 'not (displayName pr)', 'displayName eq null', 'displayName ne null',
      'displayName eq ""', 'displayName ne ""', 'title eq "ingénieure"', 'title co "%"', 'title co "_"', 'title ew "\\\\b"', 'title eq "άλφα"',
      'title pr', 'title eq null', 'title gt "M"', 'title le "Engineer"', 'title co "\u{1F600}"', 'title gt "\uFF21"',
      'name.givenName eq "élodie"', 'name.givenName eq "ALICE"', 'name.familyName eq "durand"', 'name.familyName eq "ωMEGA"',
      'name.givenName eq "σοφία"', 'name.familyName eq "STRASSE"', 'name.familyName sw "Str"', 'name pr', 'not (name pr)',
      'name[givenName eq "Alice" and familyName eq "Smith"]', 'name.formatted co "ms."', `${USER_URN}:name.givenName sw "a"`,
      'externalId eq "EXT-alice"', 'externalId eq "ext-alice"', 'externalId pr', 'id eq "' + alice.id + '"', 'id eq "' + String(alice.id).toUpperCase() + '"',
      'active eq true', 'active eq false', 'active ne true', 'active ne false', 'active pr', 'not (active eq true)', 'active eq null',
      'emails pr', 'emails eq "alice@example.com"', 'emails co "@example"', 'emails.value ew ".net"', 'emails.value sw "élodie"',
      'emails.type eq "work"', 'emails.type ne "work"', 'emails.type pr', 'emails.primary eq true', 'emails.primary eq false',
      'emails.primary ne true', 'emails.primary pr', 'emails[type eq "work" and value co "@x"]', 'emails[type eq "work" and value co "@example"]',
      'emails[type eq "work"]', 'emails[primary eq true]', 'emails[primary eq false]', 'emails[not (type eq "work")]', 'emails[type pr]',
      'emails[value pr]', 'emails[type eq "work"].value eq "alice@example.com"', 'emails[type eq "work"].value co "@x.com"',
      'emails[type eq "home"].value pr', 'emails[primary eq true].value ew "example.com"', 'emails.value eq null', 'emails ne "carol@x.com"',
      'phoneNumbers co "555"', 'phoneNumbers[type eq "mobile"]', 'phoneNumbers.value sw "+33"', 'phoneNumbers pr', 'phoneNumbers.primary eq true',
      'addresses[type eq "work" and locality eq "paris"]', 'addresses.locality eq "zürich"', 'addresses.primary eq true', 'addresses.country ne "FR"',
      'roles eq "ADMIN"', 'roles[value eq "admin" and primary eq true]', 'roles.primary pr', 'entitlements.value eq "billing"',
      `groups eq "${engineering.id}"`, `groups.value eq "${engineering.id}"`, `groups[value eq "${engineering.id}"]`, 'groups pr', 'not (groups pr)',
      'groups.display eq "engineering"', 'groups.display co "É"', 'groups.type eq "direct"', `groups.value eq "${admins.id}"`,
      'department eq "engineering"', `${ENTERPRISE_URN}:department eq "Engineering"`, `${ENTERPRISE_URN.toUpperCase()}:DEPARTMENT eq "ENGINEERING"`,
      'department eq "ingénierie"', 'department pr', 'not (department pr)', 'department ne "sales"', 'costCenter pr', 'employeeNumber ge "1010"',
      `${ENTERPRISE_URN}:manager.value eq "${alice.id}"`, `${ENTERPRISE_URN}:manager pr`, `${ENTERPRISE_URN}:manager[value eq "${alice.id}"]`,
      'manager.value pr', 'manager.displayName pr',
      `${OKTA}:costCode eq "ab-12"`, `${OKTA}:costCode eq "AB-12"`, `${OKTA}:costCode co "-"`, `${OKTA}:costCode pr`, `${OKTA}:costCode eq null`,
      `${OKTA}:level eq 3`, `${OKTA}:level gt 2`, `${OKTA}:level ge 2.5`, `${OKTA}:level lt 0`, `${OKTA}:level le 0`, `${OKTA}:level ne 3`,
      `${OKTA}:level eq "3"`, `${OKTA}:level gt "2"`, `${OKTA}:level pr`, `${OKTA}:isContractor eq true`, `${OKTA}:isContractor eq false`,
      `${OKTA}:isContractor ne true`, `${OKTA}:isContractor pr`, `${OKTA}:tags eq "a"`, `${OKTA}:tags eq "b"`, `${OKTA}:tags pr`,
      `${OKTA}:tags co "c"`, `${OKTA}:tags ne "a"`, `${OKTA}:empty pr`, `${OKTA.toUpperCase()}:COSTCODE eq "ab-12"`, `${OKTA}:LEVEL eq 3`,
      `${OKTA}:missing pr`, `${OKTA}:missing eq "x"`, `${OKTA}:missing ne "x"`,
      `meta.created eq "${created}"`, `meta.created gt "${created}"`, `meta.created ge "${created}"`, `meta.created lt "${created}"`,
      `meta.created le "${created.replace('Z', '+00:00')}"`, 'meta.created gt "2000-01-01T00:00:00Z"', 'meta.created lt "2000-01-01T00:00:00+14:00"',
      'meta.lastModified gt "2999-01-01T00:00:00Z"', 'meta.created co "t"', 'meta.created sw "20"', 'meta.created ew "z"', 'meta.created pr',
      `meta.lastModified gt "${created}"`, 'meta.resourceType eq "User"', 'meta.resourceType eq "user"', 'meta.version eq "W/\\"2\\""',
      'meta.version ne "W/\\"1\\""', `schemas eq "${ENTERPRISE_URN}"`, `schemas eq "${OKTA.toLowerCase()}"`, 'schemas co "okta"',
      'nosuchattr pr', 'nosuchattr eq "x"', 'nosuchattr ne "x"', 'name.nosuch eq "x"', 'phoneNumbers.nosuch eq "x"',
      'userName eq "alice@example.com" or userName eq "bob"', 'userName sw "a" and active eq true', 'not (userName sw "a") and title pr',
      '(userName sw "a" or userName sw "b") and not (emails pr)', 'title eq "Engineer" and (department eq "engineering" or active eq false)',
      'not (not (active eq true))', 'title pr or displayName pr or emails pr',
      // Rejected by the schema check: must be 400 invalidFilter.
      'active gt true', 'active co "t"', 'userName gt 3', 'meta.created gt "yesterday"', 'emails.primary lt true', 'name eq "x"',
      'emails[primary gt false]', 'userName co null', `${OKTA}:level co 3`, 'title sw true',
    ],
    groups: [
      'displayName eq "engineering"', 'displayName co "é"', 'displayName sw "ÉQUIPE"', 'displayName gt "m"', 'displayName ne "Sales"',
      `members eq "${alice.id}"`, `members.value eq "${alice.id}"`, `members[value eq "${alice.id}"]`, `members[value eq "${engineering.id}"]`,
      'members[type eq "Group"]', 'members.type eq "user"', 'members pr', 'not (members pr)', 'members.value pr', `members ne "${alice.id}"`,
      'externalId pr', 'externalId eq "GRP-1"', 'externalId eq "grp-1"', `id eq "${engineering.id}"`, 'meta.version eq "W/\\"1\\""',
      `meta.created gt "${engineering.meta.created}"`, 'meta.resourceType eq "Group"', 'nosuchattr pr', 'displayName gt 1', 'members gt true',
    ],
  };
}

/** What the evaluator says: the matching ids, or 'invalidFilter'. */
function expected(filter: string, resources: Resource[], type: ResourceTypeName): string[] | 'invalidFilter' {
  try {
    const node = parseFilter(filter, FILTER_LIMITS);
    return resources.filter((res) => matchesFilter(node, res, type)).map((res) => res.id as string).sort();
  } catch (error) {
    if (error instanceof ScimError && error.scimType === 'invalidFilter') return 'invalidFilter';
    throw error;
  }
}

interface Mismatch {
  filter: string;
  api: string;
  evaluator: string;
}

function names(ids: string[], resources: Resource[]): string {
  const byId = new Map(resources.map((res) => [res.id, res.userName ?? res.displayName]));
  return JSON.stringify(ids.map((id) => byId.get(id) ?? id));
}

/** Runs every filter through the API and the evaluator; returns what differs and how many matched something. */
async function differences(client: ScimClient, endpoint: '/Users' | '/Groups', filters: string[], resources: Resource[], decoyIds: Set<string>) {
  const type: ResourceTypeName = endpoint === '/Users' ? 'User' : 'Group';
  const mismatches: Mismatch[] = [];
  let selective = 0;
  let invalid = 0;
  for (const filter of filters) {
    const want = expected(filter, resources, type);
    const res = await client.get(`${endpoint}?filter=${q(filter)}&count=1000`);
    if (want === 'invalidFilter') {
      invalid++;
      if (res.statusCode !== 400 || res.json().scimType !== 'invalidFilter') mismatches.push({ filter, api: `${res.statusCode} ${res.body.slice(0, 200)}`, evaluator: 'invalidFilter' });
      continue;
    }
    if (want.length > 0 && want.length < resources.length) selective++;
    if (res.statusCode !== 200) {
      mismatches.push({ filter, api: `${res.statusCode} ${res.body.slice(0, 200)}`, evaluator: names(want, resources) });
      continue;
    }
    const body = res.json();
    const got = (body.Resources as Resource[]).map((r) => r.id as string).sort();
    if (got.some((id) => decoyIds.has(id))) mismatches.push({ filter, api: 'returned a resource of another connection', evaluator: '' });
    if (JSON.stringify(got) !== JSON.stringify(want) || body.totalResults !== want.length) {
      const extra = got.filter((id) => !want.includes(id));
      const missing = want.filter((id) => !got.includes(id));
      mismatches.push({ filter, api: `total ${body.totalResults}, extra ${names(extra, resources)}`, evaluator: `missing from API ${names(missing, resources)}` });
    }
  }
  return { mismatches, selective, invalid };
}

for (const dialect of dialectsUnderTest()) {
  describe(`SCIM filter → SQL agrees with the evaluator [${dialect}]`, () => {
    const t = useTestApp(dialect);
    let client: ScimClient;
    let users: Resource[] = [];
    let groups: Resource[] = [];
    const decoyIds = new Set<string>();
    let hand: ReturnType<typeof handFilters>;

    beforeAll(async () => {
      await createTenant(t, 'diff');
      await createTenant(t, 'decoy');
      client = await newScimClient(t, 'diff');
      const decoy = await newScimClient(t, 'decoy');
      const r = prng(7644);
      const created: Resource[] = [];
      for (const user of handUsers()) created.push(await client.createUser(user));
      for (let i = 0; i < 40; i++) created.push(await client.createUser(randomUser(r, i)));
      const byName = (name: string) => created.find((u) => u.userName === name)!;
      const alice = byName('alice@example.com');
      // Writes after creation: versions and lastModified move, manager points at alice, one
      // user's `active` is removed (read as deactivated), one is replaced by PUT.
      for (const name of ['frank', 'heidi', 'Alice.Jones@Example.COM']) {
        const res = await client.patch(`/Users/${byName(name).id}`, patchOp({ op: 'add', path: `${ENTERPRISE_URN}:manager`, value: { value: alice.id } }));
        expect(res.statusCode).toBe(200);
      }
      expect((await client.patch(`/Users/${byName('frank').id}`, patchOp({ op: 'remove', path: 'active' }))).statusCode).toBe(200);
      expect((await client.patch(`/Users/${byName('carol').id}`, patchOp({ op: 'replace', path: 'emails[value eq "carol@x.com"].type', value: 'other' }))).statusCode).toBe(200);
      const bob = byName('bob');
      expect((await client.put(`/Users/${bob.id}`, { schemas: [USER_URN], userName: 'bob', title: 'Builder', emails: [{ value: 'bob@x.com', type: 'work', primary: true }] })).statusCode).toBe(200);

      const ids = created.map((u) => u.id as string);
      const groupIds: string[] = [];
      for (const [i, displayName] of GROUP_NAMES.entries()) {
        const members = displayName === 'Empty' ? [] : ids.filter((_, n) => (n + i) % (i + 2) === 0).map((value) => ({ value }));
        const group = await client.createGroup({ displayName, members, ...(i % 3 === 0 ? { externalId: i === 0 ? 'GRP-1' : `grp-${i}` } : {}) });
        groupIds.push(group.id);
      }
      // Nested: Engineering is a member of admins; alice is in Engineering either way.
      const add = (groupId: string, value: string) => client.patch(`/Groups/${groupId}`, patchOp({ op: 'add', path: 'members', value: [{ value }] }));
      expect((await add(groupIds[3], groupIds[0])).statusCode).toBe(204);
      expect((await add(groupIds[0], alice.id)).statusCode).toBe(204);

      // The decoy connection: same names, same extension values, same group names.
      for (const user of handUsers().slice(0, 6)) decoyIds.add((await decoy.createUser(user)).id);
      for (const displayName of GROUP_NAMES.slice(0, 3)) decoyIds.add((await decoy.createGroup({ displayName, members: [...decoyIds].slice(0, 2).map((value) => ({ value })) })).id);

      const list = await client.get('/Users?count=1000');
      expect(list.statusCode).toBe(200);
      users = list.json().Resources;
      const groupList = await client.get('/Groups?count=1000');
      groups = groupList.json().Resources;
      expect(users).toHaveLength(created.length);
      expect(groups).toHaveLength(GROUP_NAMES.length);
      hand = handFilters(users.find((u) => u.userName === 'alice@example.com')!, groups.find((g) => g.displayName === 'Engineering')!, groups[3]);
    });

    it('seeds what the filters are about', () => {
      expect(users.some((u) => u.active === false)).toBe(true);
      // PATCH remove of `active` leaves it unassigned, which reads as deactivated (docs/scim.md).
      expect(users.find((u) => u.userName === 'frank')?.active).toBe(false);
      expect(users.some((u) => Array.isArray(u.groups) && u.groups.length > 0)).toBe(true);
      expect(users.find((u) => u.userName === 'frank')?.[ENTERPRISE_URN]?.manager?.value).toBeDefined();
      expect(users.find((u) => u.userName === 'heidi')?.[OKTA]).toMatchObject({ level: '3', isContractor: 'true' });
      expect(users.find((u) => u.userName === 'erin')?.active).toBe(false);
    });

    it('hand-written User filters: API ids = evaluator ids', async () => {
      const { mismatches, selective, invalid } = await differences(client, '/Users', hand.users, users, decoyIds);
      expect(mismatches).toEqual([]);
      expect(selective).toBeGreaterThan(hand.users.length / 2);
      expect(invalid).toBeGreaterThanOrEqual(10);
    });

    it('hand-written Group filters: API ids = evaluator ids', async () => {
      const { mismatches, selective, invalid } = await differences(client, '/Groups', hand.groups, groups, decoyIds);
      expect(mismatches).toEqual([]);
      expect(selective).toBeGreaterThan(hand.groups.length / 2);
      expect(invalid).toBe(2);
    });

    it('600 PRNG User filters: API ids = evaluator ids', async () => {
      const r = prng(SEED);
      const pools = poolsOf(users, [...USER_PATHS, ...VALUE_PATHS]);
      const filters = Array.from({ length: 600 }, () => randomFilter(r, USER_PATHS, VALUE_PATHS, pools, 3));
      const { mismatches, selective, invalid } = await differences(client, '/Users', filters, users, decoyIds);
      expect(mismatches.slice(0, 25)).toEqual([]);
      // The generator must be worth something: many filters select a proper subset, some are invalid.
      expect(selective).toBeGreaterThan(150);
      expect(invalid).toBeGreaterThan(30);
    });

    it('200 PRNG Group filters: API ids = evaluator ids', async () => {
      const r = prng(SEED + 1);
      const pools = poolsOf(groups, [...GROUP_PATHS, ...GROUP_VALUE_PATHS]);
      const filters = Array.from({ length: 200 }, () => randomFilter(r, GROUP_PATHS, GROUP_VALUE_PATHS, pools, 3));
      const { mismatches, selective } = await differences(client, '/Groups', filters, groups, decoyIds);
      expect(mismatches.slice(0, 25)).toEqual([]);
      expect(selective).toBeGreaterThan(40);
    });

    it('the same filter through POST /.search gives the same page', async () => {
      for (const filter of hand.users.slice(0, 40)) {
        const get = await client.get(`/Users?filter=${q(filter)}&count=1000&attributes=id`);
        const search = await client.post('/Users/.search', { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], filter, count: 1000, attributes: ['id'] });
        expect(search.statusCode).toBe(get.statusCode);
        expect(search.json()).toEqual(get.json());
      }
    });
  });
}
