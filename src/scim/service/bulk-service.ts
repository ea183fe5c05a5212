/**
 * Bulk (RFC 7644 §3.7): operations run one by one, each in its own transaction, in an order that
 * resolves `bulkId:` references (a reference to a later operation waits for it; a cycle fails
 * with 409). `failOnErrors` stops after that many failures. The operations' commits are made
 * durable together before the response (`UnitOfWork.flush`): on PostgreSQL one WAL flush per
 * Bulk instead of one per operation.
 *
 * Consecutive user creates that refer to no bulkId — an import — are started together, up to
 * CREATE_WINDOW at a time, when no `failOnErrors` asks to stop early: they share a statement on
 * PostgreSQL (src/db/postgres/create-coalescer.ts) and a commit on SQLite (src/db/sqlite/group-commit.ts).
 * The outcome is the one of running them one after the other: each is still its own change, and a
 * connection's creates are written in the order they were started, so of two with one userName the
 * earlier one is created and the later one answered 409.
 */
import { ScimError, invalidSyntax, invalidValue } from '../errors.js';
import { isObject } from '../patch/json.js';
import { etagOf } from '../resources/render.js';
import type { ConnectionScope } from '../store/scope.js';
import type { GroupService } from './group-service.js';
import type { Rendered, UserService } from './user-service.js';

export const BULK_REQUEST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
export const BULK_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:BulkResponse';

const METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'] as const;
type Method = (typeof METHODS)[number];

interface Operation {
  index: number;
  method: Method;
  bulkId?: string;
  version?: string;
  path: string;
  data?: unknown;
  /** bulkIds this operation refers to. */
  refs: Set<string>;
}

/** One entry of the BulkResponse. */
export interface BulkResult {
  method: string;
  bulkId?: string;
  version?: string;
  location?: string;
  status: string;
  response?: unknown;
}

const BULK_REF = /^bulkId:(.+)$/;
/** User creates of a Bulk started together at most. */
const CREATE_WINDOW = 50;

/** A user create that needs nothing from another operation: it may run beside its neighbours. */
const independentCreate = (op: Operation) => op.method === 'POST' && op.path === '/Users' && op.refs.size === 0;
/** `bulkId:x` as a path segment: `/Users/bulkId:qwerty`. */
const PATH_REF = /bulkId:([^/?#]+)/g;

function collectRefs(value: unknown, into: Set<string>, depth = 0): void {
  if (depth > 32) return;
  if (typeof value === 'string') {
    const match = BULK_REF.exec(value);
    if (match) into.add(match[1]);
  } else if (Array.isArray(value)) {
    for (const v of value) collectRefs(v, into, depth + 1);
  } else if (isObject(value)) {
    for (const v of Object.values(value)) collectRefs(v, into, depth + 1);
  }
}

function substitute(value: unknown, ids: Map<string, string>): unknown {
  if (typeof value === 'string') {
    const match = BULK_REF.exec(value);
    return match && ids.has(match[1]) ? ids.get(match[1]) : value;
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, ids));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, ids)]));
  return value;
}

/** Validates the BulkRequest envelope and each operation's shape. */
export function parseBulkRequest(body: unknown, maxOperations: number): { operations: Operation[]; failOnErrors: number } {
  if (!isObject(body)) throw invalidSyntax('The bulk request must be a JSON object');
  if (!Array.isArray(body.schemas) || !body.schemas.includes(BULK_REQUEST_SCHEMA)) {
    throw invalidSyntax(`A bulk request must declare the schema ${BULK_REQUEST_SCHEMA}`);
  }
  const ops = body.Operations;
  if (!Array.isArray(ops) || ops.length === 0) throw invalidSyntax('"Operations" must be a non-empty array');
  // RFC 7644 §3.7.4: more operations than maxOperations → 413 with a SCIM error.
  if (ops.length > maxOperations) throw new ScimError(413, `The bulk request has ${ops.length} operations; the maximum is ${maxOperations}`);
  const failOnErrors = body.failOnErrors;
  if (failOnErrors !== undefined && (typeof failOnErrors !== 'number' || !Number.isInteger(failOnErrors) || failOnErrors < 1)) {
    throw invalidValue('"failOnErrors" must be a positive integer');
  }
  const seen = new Set<string>();
  const operations = ops.map((raw, index): Operation => {
    if (!isObject(raw)) throw invalidSyntax(`Operations[${index}] must be an object`);
    const method = typeof raw.method === 'string' ? raw.method.toUpperCase() : '';
    if (!(METHODS as readonly string[]).includes(method)) throw invalidValue(`Operations[${index}].method must be one of ${METHODS.join(', ')}`);
    if (typeof raw.path !== 'string' || raw.path === '') throw invalidValue(`Operations[${index}].path is required`);
    const bulkId = raw.bulkId;
    if (bulkId !== undefined && (typeof bulkId !== 'string' || bulkId === '')) throw invalidValue(`Operations[${index}].bulkId must be a non-empty string`);
    if (method === 'POST' && bulkId === undefined) throw invalidValue(`Operations[${index}]: a POST needs a bulkId (RFC 7644 §3.7)`);
    if (bulkId !== undefined) {
      if (seen.has(bulkId)) throw invalidValue(`bulkId "${bulkId}" is used twice`);
      seen.add(bulkId);
    }
    const refs = new Set<string>();
    for (const m of raw.path.matchAll(PATH_REF)) refs.add(m[1]);
    collectRefs(raw.data, refs);
    return {
      index,
      method: method as Method,
      bulkId,
      version: typeof raw.version === 'string' ? raw.version : undefined,
      path: raw.path,
      data: raw.data,
      refs,
    };
  });
  return { operations, failOnErrors: typeof failOnErrors === 'number' ? failOnErrors : Number.POSITIVE_INFINITY };
}

/** Runs a parsed bulk request. */
export class BulkService {
  constructor(
    private readonly users: UserService,
    private readonly groups: GroupService,
    private readonly durability: { flush(scope: ConnectionScope): Promise<void> },
  ) {}

  private async run(scope: ConnectionScope, baseUrl: string, op: Operation, ids: Map<string, string>): Promise<BulkResult> {
    const path = op.path.replace(PATH_REF, (whole, ref: string) => ids.get(ref) ?? whole);
    const data = substitute(op.data, ids);
    const match = /^\/(Users|Groups)(?:\/([^/?#]+))?$/.exec(path);
    if (!match) throw invalidValue(`Unsupported bulk path "${path}": use /Users, /Groups, /Users/{id} or /Groups/{id}`);
    const [, endpoint, id] = match;
    const service = endpoint === 'Users' ? this.users : this.groups;
    const result = (status: number, rendered?: Rendered, location?: string): BulkResult => ({
      method: op.method,
      ...(op.bulkId !== undefined ? { bulkId: op.bulkId } : {}),
      ...(rendered ? { version: etagOf(rendered.version) } : {}),
      location: location ?? (rendered?.resource.meta as { location?: string } | undefined)?.location,
      status: String(status),
    });
    if (op.method === 'POST') {
      if (id !== undefined) throw invalidValue('A bulk POST goes to /Users or /Groups, not to a resource');
      const rendered = await service.create(scope, baseUrl, data);
      if (op.bulkId !== undefined) ids.set(op.bulkId, rendered.resource.id as string);
      return result(201, rendered);
    }
    if (id === undefined) throw invalidValue(`A bulk ${op.method} needs a resource path such as /${endpoint}/{id}`);
    const location = `${baseUrl}/${endpoint}/${id}`;
    if (op.method === 'DELETE') {
      await service.delete(scope, id, op.version);
      return result(204, undefined, location);
    }
    const rendered = op.method === 'PUT' ? await service.replace(scope, baseUrl, id, data, op.version) : await service.patch(scope, baseUrl, id, data, op.version);
    return result(200, rendered);
  }

  /** Executes every operation; returns the results in request order. */
  async execute(scope: ConnectionScope, baseUrl: string, body: unknown, maxOperations: number): Promise<BulkResult[]> {
    const { operations, failOnErrors } = parseBulkRequest(body, maxOperations);
    let applied = 0;
    try {
      return await this.executeAll({ ...scope, flushAtEnd: true }, baseUrl, operations, failOnErrors, () => applied++);
    } finally {
      // Before any answer, a failure included: what was applied is durable when the client hears of it.
      if (applied > 0) await this.durability.flush(scope);
    }
  }

  private async executeAll(scope: ConnectionScope, baseUrl: string, operations: Operation[], failOnErrors: number, onApplied: () => void): Promise<BulkResult[]> {
    const declared = new Set(operations.flatMap((op) => (op.bulkId !== undefined ? [op.bulkId] : [])));
    const ids = new Map<string, string>();
    const failed = new Set<string>();
    const results = new Map<number, BulkResult>();
    let errors = 0;
    const attempt = async (op: Operation) => {
      try {
        const unresolved = [...op.refs].find((ref) => !ids.has(ref));
        if (unresolved !== undefined) {
          throw new ScimError(409, `bulkId "${unresolved}" cannot be resolved (unknown, failed or circular reference)`);
        }
        results.set(op.index, await this.run(scope, baseUrl, op, ids));
        onApplied();
      } catch (error) {
        if (!(error instanceof ScimError)) throw error;
        errors++;
        if (op.bulkId !== undefined) failed.add(op.bulkId);
        results.set(op.index, {
          method: op.method,
          ...(op.bulkId !== undefined ? { bulkId: op.bulkId } : {}),
          status: String(error.status),
          response: error.toBody(),
        });
      }
    };
    let pending = operations;
    while (pending.length > 0 && errors < failOnErrors) {
      // An operation is ready when every bulkId it names is resolved, failed, or never declared.
      const ready = pending.filter((op) => [...op.refs].every((ref) => ids.has(ref) || failed.has(ref) || !declared.has(ref)));
      // Nothing ready: the rest refer to each other in a cycle (RFC 7644 §3.7.1 → 409).
      const batch = ready.length > 0 ? ready : pending;
      for (let i = 0; i < batch.length && errors < failOnErrors; ) {
        let n = 1;
        if (failOnErrors === Number.POSITIVE_INFINITY && independentCreate(batch[i])) {
          while (n < CREATE_WINDOW && i + n < batch.length && independentCreate(batch[i + n])) n++;
        }
        // All settle before anything is thrown: no operation is still under way when the Bulk answers.
        const settled = await Promise.allSettled(batch.slice(i, i + n).map(attempt));
        const thrown = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
        if (thrown) throw thrown.reason;
        i += n;
      }
      pending = pending.filter((op) => !results.has(op.index));
    }
    return [...results.entries()].sort(([a], [b]) => a - b).map(([, r]) => r);
  }
}
