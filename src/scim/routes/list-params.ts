/** Parsing of list and search parameters (RFC 7644 §3.4.2, §3.4.3) from a query string or a SearchRequest body. */
import { invalidSyntax, invalidValue } from '../errors.js';
import type { AttrPath } from '../filter/ast.js';
import { parseAttributeList } from '../filter/attr-path.js';
import { parseFilter, type FilterOptions } from '../filter/parser.js';
import { parseProjection, type Projection } from '../resources/projection.js';
import type { ListQuery } from '../store/list-query.js';

/** The largest page a client may ask for; advertised as `filter.maxResults`. */
export const MAX_RESULTS = 1000;
/** Filters may nest deeper than the parser's default so batch lookups (`id eq "a" or id eq "b" …`) work. */
export const FILTER_LIMITS = { maxLength: 8192, maxDepth: 100 } as const;

export const SEARCH_REQUEST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';

/** Raw list parameters, as strings (query) or JSON values (SearchRequest). */
export interface RawListParams {
  filter?: unknown;
  startIndex?: unknown;
  count?: unknown;
  sortBy?: unknown;
  sortOrder?: unknown;
  attributes?: unknown;
  excludedAttributes?: unknown;
}

function integer(name: string, raw: unknown): number | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : undefined;
  if (text === undefined || !/^-?\d{1,15}$/.test(text)) throw invalidValue(`${name} must be an integer, got ${JSON.stringify(raw)}`);
  return Number(text);
}

function text(name: string, raw: unknown): string | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (Array.isArray(raw) && raw.every((x) => typeof x === 'string')) return raw.join(',');
  if (typeof raw !== 'string') throw invalidValue(`${name} must be a string`);
  return raw;
}

/** Parsed list parameters: the query for the store, the projection, and SCIM's 1-based startIndex. */
export interface ListParams {
  query: ListQuery;
  projection: Projection;
  startIndex: number;
}

/** Parses list parameters; bad values are 400s, never silently ignored. `filterOptions`: the connection's reading of filters. */
export function parseListParams(raw: RawListParams, filterOptions?: FilterOptions): ListParams {
  // RFC 7644 §3.4.2.4: startIndex below 1 is read as 1; a negative count as 0.
  const startIndex = Math.max(1, integer('startIndex', raw.startIndex) ?? 1);
  const count = Math.min(MAX_RESULTS, Math.max(0, integer('count', raw.count) ?? 100));
  const filterText = text('filter', raw.filter);
  const filter = filterText !== undefined && filterText.trim() !== '' ? parseFilter(filterText, FILTER_LIMITS, filterOptions) : undefined;
  const sortByText = text('sortBy', raw.sortBy);
  let sortBy: AttrPath | undefined;
  if (sortByText !== undefined && sortByText.trim() !== '') {
    const paths = parseAttributeList(sortByText);
    if (paths.length !== 1) throw invalidValue('sortBy must name exactly one attribute');
    sortBy = paths[0];
  }
  const order = text('sortOrder', raw.sortOrder)?.toLowerCase();
  if (order !== undefined && order !== 'ascending' && order !== 'descending') {
    throw invalidValue(`sortOrder must be "ascending" or "descending", got "${order}"`);
  }
  const attributes = text('attributes', raw.attributes);
  const excluded = text('excludedAttributes', raw.excludedAttributes);
  return {
    query: { filter, sortBy, sortOrder: order === 'descending' ? 'descending' : 'ascending', offset: startIndex - 1, limit: count },
    projection: parseProjection(attributes, excluded),
    startIndex,
  };
}

/** Validates a POST .search body (RFC 7644 §3.4.3) and returns its parameters. */
export function searchRequestParams(body: unknown): RawListParams {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw invalidSyntax('The search request must be a JSON object');
  const request = body as Record<string, unknown>;
  const schemas = request.schemas;
  if (schemas !== undefined && (!Array.isArray(schemas) || !schemas.includes(SEARCH_REQUEST_SCHEMA))) {
    throw invalidSyntax(`A search request must declare the schema ${SEARCH_REQUEST_SCHEMA}`);
  }
  return request;
}

/** The ListResponse envelope (RFC 7644 §3.4.2). */
export function listResponse(total: number, startIndex: number, resources: unknown[]) {
  return {
    schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
    totalResults: total,
    startIndex,
    itemsPerPage: resources.length,
    Resources: resources,
  };
}
