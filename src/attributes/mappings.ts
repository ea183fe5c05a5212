/**
 * A connection's mappings: each active attribute's source path — the connection's own where it set
 * one, else its provider's default (predefined attributes) or the attribute in the custom extension
 * (custom attributes) — compiled once per resolved token for the SCIM write path.
 */
import type { Source } from '../connections/sources.js';
import { activeAttributes, type Catalogue } from './catalogue.js';
import { evaluateAttributes, type CompiledMapping, type Evaluation } from './evaluate.js';
import { defaultSource, predefinedAttribute } from './predefined.js';
import { parseSourcePath } from './source-path.js';
import { valueRows } from './value-index.js';
import type { ActiveAttribute, AttributeType } from './types.js';

/** A connection's own mappings as stored: key → path, or null for "map to nothing". */
export type StoredMappings = Record<string, string | null>;

/** The default source of an active attribute for a connection of `source`. */
export function defaultMapping(attribute: ActiveAttribute, catalogue: Catalogue, source: Source): string {
  return attribute.kind === 'predefined' ? defaultSource(predefinedAttribute(attribute.key)!, source) : `${catalogue.customSchema}:${attribute.key}`;
}

/** Every active attribute with its effective source (null: mapped to nothing) and its default. */
export function effectiveMappings(catalogue: Catalogue, source: Source, stored: StoredMappings) {
  return activeAttributes(catalogue).map((attribute) => {
    const fallback = defaultMapping(attribute, catalogue, source);
    const own = Object.hasOwn(stored, attribute.key) ? stored[attribute.key] : undefined;
    return { attribute, source: own === undefined ? fallback : own, default: fallback, custom: own !== undefined };
  });
}

/** The stored JSON of a connection's mappings (absent: none of its own). */
export function storedMappings(json: string | null | undefined): StoredMappings {
  return json ? (JSON.parse(json) as StoredMappings) : {};
}

/** The compiled mappings of one connection: what the SCIM write path evaluates each user with. */
export class ConnectionAttributes {
  /** Each active attribute's type, by key. */
  readonly types: ReadonlyMap<string, AttributeType>;

  private constructor(readonly mappings: readonly CompiledMapping[]) {
    this.types = new Map(mappings.map((m) => [m.attribute.key, m.attribute.type]));
  }

  /** Undefined when the catalogue has nothing on: users then carry no attributes and cost nothing more. */
  static compile(catalogue: Catalogue, source: Source, stored: StoredMappings): ConnectionAttributes | undefined {
    const mappings = effectiveMappings(catalogue, source, stored);
    if (mappings.length === 0) return undefined;
    return new ConnectionAttributes(
      mappings.map(({ attribute, source: path }) => {
        if (path === null) return { attribute };
        try {
          return { attribute, source: parseSourcePath(path) };
        } catch {
          // Paths are checked when they are set; a stored one that no longer parses maps to nothing.
          return { attribute };
        }
      }),
    );
  }

  evaluate(resource: Record<string, unknown>): Evaluation {
    return evaluateAttributes(resource, this.mappings);
  }
}

/** The attribute columns of a user row and its index rows, from its stored resource. */
export function attributeColumns(attributes: ConnectionAttributes | undefined, resource: Record<string, unknown>) {
  if (!attributes) return { attributes: null, attribute_problems: null, values: undefined };
  const { values, problems } = attributes.evaluate(resource);
  return { attributes: JSON.stringify(values), attribute_problems: problems.length > 0 ? JSON.stringify(problems) : null, values };
}

/** The index rows of a user's values (see ./value-index.ts). */
export function attributeValueRows(
  attributes: ConnectionAttributes | undefined,
  user: { id: string; tenantId: string; connectionId: string; createdAt: string },
  values: Record<string, unknown> | undefined,
) {
  return attributes && values ? valueRows(user, values, attributes.types) : [];
}

/** The manager reference a resource's `manager` attribute holds under these mappings, if any. */
export function managerOf(attributes: ConnectionAttributes | undefined, resource: Record<string, unknown>): string | undefined {
  const mapping = attributes?.mappings.find((m) => m.attribute.key === 'manager' && m.attribute.type === 'user');
  if (!mapping) return undefined;
  const value = evaluateAttributes(resource, [mapping]).values.manager;
  return typeof value === 'string' ? value : undefined;
}
