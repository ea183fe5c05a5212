/** The attribute catalogue and the connections' mappings: reading, changing, previewing. */
import type { Kysely } from 'kysely';
import type { Actor } from '../audit/actor.js';
import type { Source } from '../connections/sources.js';
import type { Database } from '../db/tables.js';
import { nowIso } from '../db/time.js';
import { managerValue, toDirectoryUser } from '../directory/shape.js';
import { notFound, validationFailed } from '../http/api-errors.js';
import { STANDARD_ATTRIBUTES, activeAttributes, validCatalogue, type Catalogue, type CatalogueInput } from './catalogue.js';
import { evaluateAttributes, type CompiledMapping } from './evaluate.js';
import { resolveManagers } from './manager-store.js';
import { effectiveMappings, storedMappings, type StoredMappings } from './mappings.js';
import { PREDEFINED_ATTRIBUTES, defaultSource, predefinedAttribute } from './predefined.js';
import { parseSourcePath } from './source-path.js';
import { AttributeStore, type MappingOwner } from './store.js';
import type { AttributeEvaluationsTable } from './tables.js';
import type { ConversionProblem } from './types.js';

const SOURCES: readonly Source[] = ['okta', 'azure-ad', 'onelogin', 'jumpcloud', 'rippling', 'pingone', 'other'];

/** A re-evaluation as the API shows it. */
export interface EvaluationView {
  state: 'idle' | 'running';
  processed: number;
  total: number;
  changed: number;
  startedAt: string | null;
  finishedAt: string | null;
}

function evaluationView(row: AttributeEvaluationsTable | undefined): EvaluationView {
  if (!row) return { state: 'idle', processed: 0, total: 0, changed: 0, startedAt: null, finishedAt: null };
  return {
    state: row.finished_at === null ? 'running' : 'idle',
    processed: row.processed,
    // Users created during the pass are evaluated too: the total never shows below what was done.
    total: Math.max(row.total, row.processed),
    changed: row.changed,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

export class AttributeService {
  private readonly store: AttributeStore;

  /** `accessChanged` runs after a change: mappings travel with resolved SCIM tokens (src/connections/scim-auth-cache.ts). */
  constructor(
    private readonly db: Kysely<Database>,
    private readonly accessChanged: () => void | Promise<void> = () => {},
  ) {
    this.store = new AttributeStore(db);
  }

  private static catalogueView(catalogue: Catalogue) {
    const on = new Set(catalogue.predefined);
    return {
      standard: STANDARD_ATTRIBUTES.map((a) => ({ ...a })),
      predefined: PREDEFINED_ATTRIBUTES.map((a) => ({
        key: a.key,
        type: a.type,
        description: a.description,
        enabled: on.has(a.key),
        defaults: Object.fromEntries(SOURCES.map((source) => [source, defaultSource(a, source)])),
      })),
      custom: catalogue.custom,
      customSchema: catalogue.customSchema,
    };
  }

  async catalogue() {
    const [catalogue, evaluation] = await Promise.all([this.store.catalogue(), this.store.pendingEvaluations()]);
    return { ...AttributeService.catalogueView(catalogue), evaluation };
  }

  /** Replaces the catalogue; every connection's users are re-evaluated in the background. */
  async setCatalogue(input: CatalogueInput, actor: Actor) {
    const catalogue = validCatalogue(input);
    const before = await this.store.catalogue();
    try {
      await this.store.saveCatalogue(
        catalogue,
        { actor, change: { action: 'attributes.updated', tenantId: null, target: { type: 'attribute_catalogue', id: null }, data: { before, after: catalogue } } },
        nowIso(),
      );
    } finally {
      await this.accessChanged();
    }
    return this.catalogue();
  }

  private async owner(connectionId: string, tenantId?: string): Promise<MappingOwner> {
    const owner = await this.store.owner(connectionId, tenantId);
    if (!owner) throw notFound(`SCIM configuration "${connectionId}" not found`);
    return owner;
  }

  /** The connection's effective mappings, its defaults, the attributes they map and how its users fare. */
  async mappings(connectionId: string, tenantId?: string) {
    const owner = await this.owner(connectionId, tenantId);
    const catalogue = await this.store.catalogue();
    const effective = effectiveMappings(catalogue, owner.source as Source, storedMappings(owner.mappings));
    const [evaluation, problemUsers] = await Promise.all([this.store.evaluation(connectionId, owner.tenantId), this.store.problemCount(connectionId, owner.tenantId)]);
    const descriptions = new Map(catalogue.custom.map((c) => [c.key, c.description]));
    return {
      tenantId: owner.tenantId,
      mappings: Object.fromEntries(effective.map((m) => [m.attribute.key, m.source])),
      defaults: Object.fromEntries(effective.map((m) => [m.attribute.key, m.default])),
      attributes: effective.map(({ attribute, custom }) => ({
        ...attribute,
        description: attribute.kind === 'predefined' ? predefinedAttribute(attribute.key)!.description : (descriptions.get(attribute.key) ?? ''),
        customized: custom,
      })),
      missingRequired: effective.filter((m) => m.attribute.required && m.source === null).map((m) => m.attribute.key),
      problemUsers,
      evaluation: evaluationView(evaluation),
    };
  }

  /**
   * Checks proposed mappings against the catalogue: each key an active attribute, each value a
   * source path or null. Throws validation_failed naming `mappings.<key>`.
   */
  private static validMappings(catalogue: Catalogue, mappings: Record<string, unknown>): Record<string, string | null> {
    const active = new Set(activeAttributes(catalogue).map((a) => a.key));
    const out: Record<string, string | null> = {};
    for (const [key, value] of Object.entries(mappings)) {
      const field = `mappings.${key}`;
      if (!active.has(key)) throw validationFailed(`"${key}" is not an attribute of the catalogue that is on`, field);
      if (value === null) {
        out[key] = null;
        continue;
      }
      if (typeof value !== 'string') throw validationFailed(`The source of "${key}" must be a SCIM attribute path or null`, field);
      try {
        parseSourcePath(value);
      } catch (error) {
        throw validationFailed(`The source of "${key}": ${(error as Error).message}`, field);
      }
      out[key] = value;
    }
    return out;
  }

  /**
   * Replaces the connection's own mappings (audited); a source equal to the default is not kept, so
   * it follows the provider's default. The connection's users are re-evaluated in the background.
   */
  async setMappings(connectionId: string, mappings: Record<string, unknown>, actor: Actor, tenantId?: string) {
    const owner = await this.owner(connectionId, tenantId);
    const catalogue = await this.store.catalogue();
    const valid = AttributeService.validMappings(catalogue, mappings);
    const defaults = new Map(effectiveMappings(catalogue, owner.source as Source, {}).map((m) => [m.attribute.key, m.default]));
    const own: StoredMappings = Object.fromEntries(Object.entries(valid).filter(([key, path]) => path !== defaults.get(key)));
    let saved = false;
    try {
      saved = await this.store.saveMappings(
        connectionId,
        owner.tenantId,
        JSON.stringify(own),
        {
          actor,
          change: { action: 'connection.updated', tenantId: owner.tenantId, target: { type: 'connection', id: connectionId }, data: { change: 'attribute_mappings.updated', mappings: own } },
        },
        nowIso(),
      );
    } finally {
      await this.accessChanged();
    }
    if (!saved) throw notFound(`SCIM configuration "${connectionId}" not found`);
    const { tenantId: _tenant, ...view } = await this.mappings(connectionId, owner.tenantId);
    return view;
  }

  /**
   * What mappings (the proposed ones merged over the saved ones, or the saved ones) give for one of
   * the connection's users — the one `userId` names (its id or userName), else the one updated last.
   * Nothing is stored.
   */
  async preview(connectionId: string, body: { mappings?: Record<string, unknown>; userId?: string }, tenantId?: string) {
    const owner = await this.owner(connectionId, tenantId);
    const catalogue = await this.store.catalogue();
    const errors: Record<string, string> = {};
    const proposed: Record<string, string | null> = {};
    for (const [key, value] of Object.entries(body.mappings ?? {})) {
      try {
        Object.assign(proposed, AttributeService.validMappings(catalogue, { [key]: value }));
      } catch (error) {
        errors[key] = (error as Error).message;
      }
    }
    const effective = effectiveMappings(catalogue, owner.source as Source, { ...storedMappings(owner.mappings), ...proposed });
    const row = await this.store.previewUser(connectionId, owner.tenantId, body.userId);
    if (body.userId !== undefined && !row) throw notFound(`User "${body.userId}" is not a user of this connection`);
    if (!row) return { user: null, values: {}, problems: [] as ConversionProblem[], errors };
    const compiled: CompiledMapping[] = effective.map(({ attribute, source }) => ({ attribute, source: source === null || errors[attribute.key] ? undefined : parseSourcePath(source) }));
    const { values, problems } = evaluateAttributes(JSON.parse(row.resource) as Record<string, unknown>, compiled);
    const previewRow = { ...row, attributes: JSON.stringify(values) };
    const manager = managerValue(previewRow);
    const managers = manager === undefined ? undefined : await resolveManagers(this.db, owner.tenantId, connectionId, [manager]);
    const user = toDirectoryUser(previewRow, undefined, managers);
    return { user: { id: user.id, userName: user.userName, displayName: user.displayName }, values: user.attributes, problems, errors };
  }

  /** The connection's users whose values did not all convert, with the reasons, in id order. */
  async problems(connectionId: string, query: { after?: string; limit: number }, tenantId?: string) {
    const owner = await this.owner(connectionId, tenantId);
    const rows = await this.store.problems(connectionId, owner.tenantId, query.after ?? '', query.limit);
    return {
      items: rows.map((row) => ({ userId: row.id, userName: row.user_name, problems: JSON.parse(row.attribute_problems!) as ConversionProblem[], updatedAt: row.updated_at })),
      nextCursor: rows.length === query.limit ? rows[rows.length - 1].id : null,
    };
  }
}
