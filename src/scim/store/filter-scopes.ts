/**
 * Where each SCIM attribute lives in SQL: a real column (indexed, for what IdPs filter and sort
 * on), a child table (emails, memberships), or the resource JSON. The filter translator asks a
 * scope to resolve a path and gets a target to compare against.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Dialect } from '../../db/dialect.js';
import type { JsonAccess, JsonElement } from '../../db/json-sql.js';
import type { SearchedColumn } from '../../db/substring-search.js';
import { invalidFilter } from '../errors.js';
import type { AttrPath } from '../filter/ast.js';
import { printAttrPath } from '../filter/attr-path.js';
import { USER_SCHEMA, findSubAttribute, resolveAttribute, type ResourceTypeName } from '../schema/index.js';
import type { AttributeDef } from '../schema/types.js';

/** How a column stores its value. */
export type ColumnForm = 'text' | 'lowerText' | 'flag' | 'datetime';

/** A single value to compare. */
export type ScalarTarget =
  | {
      kind: 'column';
      expr: RawBuilder<unknown>;
      form: ColumnForm;
      caseExact: boolean;
      /** The column stores '' for "no value": it reads as absent, but equality still uses the bare (indexed) column. */
      emptyIsNull?: boolean;
      /** The column has a trigram index for substring filters (migration 0013). */
      searched?: SearchedColumn;
    }
  | { kind: 'json'; access: JsonAccess; def: AttributeDef | undefined };

/** Several values (a multi-valued attribute): conditions hold for some element. */
export interface ElementsTarget {
  kind: 'elements';
  exists(cond: (scope: Scope) => RawBuilder<unknown>): RawBuilder<unknown>;
  /** The sub-attribute compared when the path names the attribute alone (`emails eq "x"`). */
  defaultSub: string | undefined;
  /** `attr pr` when it is not "some element exists" (a single complex value). */
  present?: RawBuilder<unknown>;
  /** The value itself when it is not an array, for sorting (attributes no schema describes). */
  single?: ScalarTarget;
}

export type Target = ScalarTarget | ElementsTarget;

/** Resolves filter paths in one place: a resource row, or an element of a multi-valued attribute. */
export interface Scope {
  resolve(path: AttrPath): Target;
}

const RESOURCE = sql.ref('r.resource');
const col = (name: string, form: ColumnForm, caseExact = false, searched?: SearchedColumn): ScalarTarget => ({
  kind: 'column',
  expr: sql.ref(`r.${name}`),
  form,
  caseExact,
  ...(searched ? { searched } : {}),
});
/**
 * A value every row has. Cast, or PostgreSQL cannot type the parameter in `$1 is not null`; one
 * that is not caseExact must be given lower-case.
 */
const constant = (value: string, caseExact = true): ScalarTarget => ({
  kind: 'column',
  expr: sql`cast(${value} as text)`,
  form: caseExact ? 'text' : 'lowerText',
  caseExact,
});

/** Columns of each resource table by `schema|canonicalPath` ('' schema for common attributes). */
function columns(resourceType: ResourceTypeName): Record<string, ScalarTarget> {
  const table = resourceType === 'User' ? 'scim_users' : 'scim_groups';
  const common: Record<string, ScalarTarget> = {
    '|id': col('id', 'text', true),
    '|externalId': col('external_id', 'text', true, { table, column: 'external_id' }),
    '|meta.created': col('created_at', 'datetime'),
    '|meta.lastModified': col('updated_at', 'datetime'),
    '|meta.resourceType': constant(resourceType),
    '|meta.version': { kind: 'column', expr: sql`('W/"' || cast(r.version as text) || '"')`, form: 'text', caseExact: true },
  };
  if (resourceType === 'Group') {
    return { ...common, 'urn:ietf:params:scim:schemas:core:2.0:Group|displayName': col('display_name_norm', 'lowerText', false, { table, column: 'display_name' }) };
  }
  const core = 'urn:ietf:params:scim:schemas:core:2.0:User';
  return {
    ...common,
    [`${core}|userName`]: col('user_name_norm', 'lowerText', false, { table, column: 'user_name' }),
    [`${core}|displayName`]: col('display_name_norm', 'lowerText', false, { table, column: 'display_name' }),
    [`${core}|name.givenName`]: col('given_name', 'text'),
    [`${core}|name.familyName`]: col('family_name', 'text'),
    [`${core}|active`]: col('active', 'flag'),
  };
}

const COLUMNS: Record<ResourceTypeName, Record<string, ScalarTarget>> = { User: columns('User'), Group: columns('Group') };

function notFilterable(path: AttrPath): never {
  throw invalidFilter(`Attribute "${printAttrPath(path)}" cannot be used in a filter`);
}

/** A scope over a table of elements (emails, memberships), with its sub-attribute columns. */
function tableElements(subquery: (cond: RawBuilder<unknown>) => RawBuilder<unknown>, subs: Record<string, ScalarTarget>): ElementsTarget {
  const scope: Scope = {
    resolve(path) {
      const target = subs[path.attr.toLowerCase()];
      if (!target || path.sub !== undefined) notFilterable(path);
      return target;
    },
  };
  return { kind: 'elements', exists: (cond) => subquery(cond(scope)), defaultSub: 'value' };
}

/** A scope over the elements of a JSON array. */
function jsonElements(dialect: Dialect, keys: string[], def: AttributeDef | undefined): ElementsTarget {
  const scopeOf = (element: JsonElement): Scope => ({
    resolve(path) {
      const sub = def ? findSubAttribute(def, path.attr) : undefined;
      if (def?.subAttributes && !sub) throw invalidFilter(`"${def.name}" has no sub-attribute "${path.attr}"`);
      if (path.sub !== undefined) notFilterable(path);
      const access = element.key(sub?.name ?? path.attr);
      // RFC 7643 §2.4: an element without "primary" is not primary (the emails table stores 0).
      return { kind: 'json', access: sub?.name === 'primary' && sub.type === 'boolean' ? dialect.json.defaultFalse(access) : access, def: sub };
    },
  });
  const complex = !def || def.type === 'complex';
  return {
    kind: 'elements',
    exists: (cond) =>
      dialect.json.existsElement(RESOURCE, keys, (element) =>
        cond(complex ? scopeOf(element) : { resolve: () => ({ kind: 'json', access: element.self(), def }) }),
      ),
    defaultSub: complex ? 'value' : undefined,
  };
}

/** A scope over a single-valued complex attribute's sub-attributes (`name[givenName eq "x"]`). */
function complexObject(dialect: Dialect, keys: string[], def: AttributeDef): ElementsTarget {
  const scope: Scope = {
    resolve(path) {
      const sub = findSubAttribute(def, path.attr);
      if (!sub || path.sub !== undefined) notFilterable(path);
      return { kind: 'json', access: dialect.json.at(RESOURCE, [...keys, sub.name]), def: sub };
    },
  };
  const whole = dialect.json.at(RESOURCE, keys).text;
  // `name[not (givenName eq "x")]` holds for no user without a name: the value must be there.
  return { kind: 'elements', exists: (cond) => sql`(${whole} is not null and ${cond(scope)})`, defaultSub: 'value', present: sql`${whole} is not null` };
}

/**
 * An attribute no schema describes (custom extensions such as Okta's `urn:okta:…:User`): its keys
 * are matched case-insensitively, and an array counts as several values, each compared alone
 * (RFC 7644 §3.4.2.2), as the evaluator reads it.
 */
function unknownAttribute(dialect: Dialect, keys: string[]): ElementsTarget {
  const anyCase = dialect.json.atAnyCase(RESOURCE, keys);
  const access = anyCase.access;
  const single: ScalarTarget = { kind: 'json', access, def: undefined };
  const scopeOf = (target: ScalarTarget): Scope => ({ resolve: () => target });
  return {
    kind: 'elements',
    exists: (cond) =>
      sql`((coalesce(${access.type}, '') <> 'array' and ${cond(scopeOf(single))}) or ${anyCase.existsElement((element) => cond(scopeOf({ kind: 'json', access: element.self(), def: undefined })))})`,
    defaultSub: undefined,
    single,
  };
}

/** The scope of a User or Group row aliased `r`. */
export function resourceScope(resourceType: ResourceTypeName, dialect: Dialect, connectionId?: string): Scope {
  // The connection as a bound value: child-table subqueries are then uncorrelated and can start from
  // their (connection_id, value) indexes, instead of running once per candidate row.
  const connection = connectionId === undefined ? sql.ref('r.connection_id') : sql`${connectionId}`;
  const byColumn = COLUMNS[resourceType];
  return {
    resolve(path) {
      const resolved = resolveAttribute(resourceType, path);
      if (!resolved) {
        // Unknown attributes (custom extension schemas) are compared as plain JSON.
        return unknownAttribute(dialect, [...(path.uri ? [path.uri] : []), path.attr, ...(path.sub ? [path.sub] : [])]);
      }
      const { schema, attr, sub, canonicalPath } = resolved;
      const column = byColumn[`${schema}|${canonicalPath}`];
      if (column) return column;
      const base = schema && schema !== `urn:ietf:params:scim:schemas:core:2.0:${resourceType}` ? [schema] : [];
      if (schema === '' && attr.name === 'meta') notFilterable(path);
      const name = attr.name;
      if (resourceType === 'User' && name === 'emails' && schema === USER_SCHEMA) {
        return withSub(tableElements((cond) => sql`r.id in (select e.user_id from scim_user_emails e where e.connection_id = ${connection} and ${cond})`, {
          // An email sent without a value has a row (its type and primary still filter) with value ''.
          value: { kind: 'column', expr: sql.ref('e.value_norm'), form: 'lowerText', caseExact: false, emptyIsNull: true },
          type: { kind: 'column', expr: sql.ref('e.type'), form: 'lowerText', caseExact: false },
          primary: { kind: 'column', expr: sql.ref('e.is_primary'), form: 'flag', caseExact: true },
        }), sub?.name);
      }
      if (resourceType === 'User' && name === 'groups') {
        return withSub(tableElements((cond) => sql`exists (select 1 from scim_group_members gm join scim_groups g on g.id = gm.group_id where gm.member_id = r.id and gm.connection_id = r.connection_id and ${cond})`, {
          // groups.value and members.value are caseExact false (RFC 7643 §8.7.1). The ids they hold are
          // lower-case UUIDs issued here, so comparing the bare column with a lower-cased value is the
          // same test and keeps the membership indexes usable.
          value: { kind: 'column', expr: sql.ref('gm.group_id'), form: 'lowerText', caseExact: false },
          display: { kind: 'column', expr: sql.ref('g.display_name_norm'), form: 'lowerText', caseExact: false },
          type: constant('direct', false),
        }), sub?.name);
      }
      if (resourceType === 'Group' && name === 'members') {
        return withSub(tableElements((cond) => sql`r.id in (select m.group_id from scim_group_members m where m.connection_id = ${connection} and ${cond})`, {
          value: { kind: 'column', expr: sql.ref('m.member_id'), form: 'lowerText', caseExact: false },
          type: { kind: 'column', expr: sql.ref('m.member_type'), form: 'text', caseExact: false },
        }), sub?.name);
      }
      if (attr.multiValued) return withSub(jsonElements(dialect, [...base, name], attr), sub?.name);
      if (sub) return { kind: 'json', access: dialect.json.at(RESOURCE, [...base, name, sub.name]), def: sub };
      if (attr.type === 'complex') return complexObject(dialect, [...base, name], attr);
      return { kind: 'json', access: dialect.json.at(RESOURCE, [...base, name]), def: attr };
    },
  };
}

/** `emails.value`: the elements target, remembering which sub-attribute the path named. */
function withSub(target: ElementsTarget, sub: string | undefined): ElementsTarget {
  return sub === undefined ? target : { ...target, defaultSub: sub };
}
