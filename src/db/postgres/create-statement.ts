/**
 * PostgreSQL: the creates of several requests as one statement (src/db/postgres/create-coalescer.ts).
 *
 * Each create is a key row (a user) and rows that belong to it (its emails, its event). The key rows
 * of every create are inserted together, `on conflict do nothing`: one whose userName is taken — by
 * a stored user, or by a create earlier in the same statement — is skipped instead of failing the
 * statement, and the rows that belong to it are skipped with it (each is tagged with its key row's
 * id and inserted only if that id came back). So a create either applies whole or not at all, and
 * the statement answers which did. Every other error fails the whole statement, which is atomic.
 *
 * Rows travel as one array parameter per column (src/db/postgres/column-arrays.ts), so the text is the same
 * for any number of creates and is prepared once (src/db/postgres/prepared-statements.ts). The per-statement
 * triggers of migrations 0008 and 0009 count every create of the statement in one call.
 */
import { CompiledQuery } from 'kysely';
import { tableColumns, unnestColumns } from './column-arrays.js';
import type { FixedColumn, InsertSink, Rows } from '../prepared-insert.js';
import type { Database } from '../tables.js';

interface TableRows {
  table: keyof Database;
  rows: readonly Record<string, unknown>[];
  fixed: readonly FixedColumn[];
}

/** A connection as the create coalescer orders creates by it. */
export const connectionKey = (tenantId: string, connectionId: string) => `${tenantId}/${connectionId}`;

/** The rows one create inserts: the first row added is its key row, and every later row belongs to it. */
export class CreateRows implements InsertSink {
  readonly tables: TableRows[] = [];

  add<T extends keyof Database, Fixed extends keyof Database[T] & string = never>(table: T, rows: Rows<T, Fixed>, fixed: readonly FixedColumn<Fixed>[] = []): void {
    if (rows.length === 0) return;
    if (this.tables.length === 0 && rows.length !== 1) throw new Error('A create has one key row, added first');
    this.tables.push({ table, rows: rows, fixed });
  }

  /** The key row's id. */
  get id(): string {
    return String(this.tables[0].rows[0].id);
  }

  /** The tenant and connection of the key row (`connectionKey`). */
  get connection(): string {
    const key = this.tables[0].rows[0];
    return connectionKey(String(key.tenant_id), String(key.connection_id));
  }
}

/** The connection's lastSync, moved to `now` by a create unless it is at or after `before` already. */
export interface LastSync {
  tenantId: string;
  connectionId: string;
  now: string;
  before: string;
}

export interface CreateJob {
  rows: CreateRows;
  lastSync?: LastSync;
}

const quote = (name: string) => `"${name}"`;

/**
 * The one statement of `jobs` (at least one; all with the same key table). It returns one row:
 * `inserted`, the ids of the key rows written. `asynchronous`: it commits without waiting for its
 * WAL flush (src/db/postgres/write-batch.ts says how a later flush covers it).
 */
export function createStatement(jobs: readonly CreateJob[], asynchronous: boolean): CompiledQuery {
  const parameters: string[] = [];
  const parameter = (literal: string) => {
    parameters.push(literal);
    return `$${parameters.length}`;
  };

  const key = jobs[0].rows.tables[0];
  const keyNames = Object.keys(key.rows[0]);
  const keyColumns = keyNames.map(quote).join(', ');
  const keyRows = jobs.map((job) => job.rows.tables[0].rows[0]);
  const clauses = [
    `k as (insert into ${quote(key.table)} (${keyColumns}) select ${keyColumns} from ${unnestColumns(tableColumns(key.table, keyNames, keyRows), 'r', parameter)} ` +
      `on conflict do nothing returning "id", "tenant_id", "connection_id")`,
  ];

  // The other rows by table, in the order of the jobs; each with its key row's id as `_owner`.
  const byTable = new Map<string, { first: TableRows; rows: Record<string, unknown>[]; owners: string[] }>();
  for (const job of jobs) {
    const owner = job.rows.id;
    for (const part of job.rows.tables.slice(1)) {
      let entry = byTable.get(part.table);
      if (!entry) byTable.set(part.table, (entry = { first: part, rows: [], owners: [] }));
      for (const row of part.rows) {
        entry.rows.push(row);
        entry.owners.push(owner);
      }
    }
  }
  for (const { first, rows, owners } of byTable.values()) {
    const columns = Object.keys(first.rows[0]);
    const names = [...first.fixed.map((f) => f.name), ...columns].map(quote).join(', ');
    const values = [...first.fixed.map((f) => f.sql.postgres), ...columns.map((name) => `r.${quote(name)}`)].join(', ');
    const source = [...tableColumns(first.table, columns, rows), { name: '_owner', type: 'text', values: owners }];
    clauses.push(
      `d${clauses.length} as (insert into ${quote(first.table)} (${names}) select ${values} from ${unnestColumns(source, 'r', parameter)} ` +
        `where r."_owner" in (select "id" from k))`,
    );
  }

  // One lastSync per connection (the latest); moved only for a connection that got a row.
  const syncs = new Map<string, LastSync>();
  for (const { lastSync } of jobs) {
    if (lastSync && (syncs.get(lastSync.connectionId)?.now ?? '') < lastSync.now) syncs.set(lastSync.connectionId, lastSync);
  }
  if (syncs.size > 0) {
    const list = [...syncs.values()];
    const column = (name: string, value: (sync: LastSync) => string) => ({ name, type: 'text', values: list.map(value) });
    const source = [column('tenant_id', (s) => s.tenantId), column('connection_id', (s) => s.connectionId), column('now', (s) => s.now), column('before', (s) => s.before)];
    clauses.push(
      `s as (update "connections" c set "last_sync_at" = t."now" from ${unnestColumns(source, 't', parameter)} ` +
        `where c."id" = t."connection_id" and c."tenant_id" = t."tenant_id" and (c."last_sync_at" is null or c."last_sync_at" < t."before") ` +
        `and exists (select 1 from k where k."connection_id" = t."connection_id" and k."tenant_id" = t."tenant_id"))`,
    );
  }

  // Evaluated once, in the one row: data-modifying WITH clauses run whether or not it reads them.
  const async = asynchronous ? `, set_config('synchronous_commit', 'off', true) as asynchronous` : '';
  return CompiledQuery.raw(`with ${clauses.join(', ')} select array(select "id" from k) as inserted${async}`, parameters);
}
