/**
 * Planner statistics for PostgreSQL while a directory grows. Autovacuum analyzes a table once 10% of
 * it has changed, and only on its next round (a minute apart by default): during an IdP's first
 * import the tables grow a hundredfold in that minute and the planner, still seeing an empty table,
 * pages through a connection's users to find one userName (measured: 17 ms instead of 0.1 ms at 10k
 * users). So each process counts the SCIM writes it makes and runs ANALYZE itself when they reach a
 * fifth of what the tables held at the last one — a handful of ANALYZEs over an import of 100k users,
 * each sampling at most 30,000 rows, in the background, never holding up a request.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from './tables.js';

const TABLES = sql`scim_users, scim_user_emails, scim_groups, scim_group_members, scim_counts, scim_order_blocks`;
/** Writes before the first ANALYZE of this process, and the least between two. */
const MIN_WRITES = 1000;
/** Growth, as a share of the rows seen at the last ANALYZE, that calls for the next one. */
const GROWTH = 0.2;

export class PostgresStatistics {
  private writes = 0;
  private rowsAtLastAnalyze = 0;
  private running: Promise<void> | undefined;

  constructor(private readonly db: Kysely<Database>) {}

  /** Records `n` committed writes; starts an ANALYZE in the background when they add up. */
  noteWrites(n = 1): void {
    this.writes += n;
    if (this.running || this.writes < Math.max(MIN_WRITES, this.rowsAtLastAnalyze * GROWTH)) return;
    this.running = this.analyze().finally(() => {
      this.running = undefined;
    });
  }

  /** Resolves when no ANALYZE of this process is running (for shutdown and tests). */
  async idle(): Promise<void> {
    await this.running;
  }

  private async analyze(): Promise<void> {
    this.writes = 0;
    try {
      await sql`analyze ${TABLES}`.execute(this.db);
      const rows = await sql<{ n: string | number }>`select coalesce(sum(reltuples), 0) as n from pg_class where relname in ('scim_users', 'scim_groups') and reltuples > 0`.execute(this.db);
      this.rowsAtLastAnalyze = Number(rows.rows[0]?.n ?? 0);
    } catch {
      // Statistics are an optimisation: a failed ANALYZE (a shutdown, a lock timeout) leaves autovacuum to it.
    }
  }
}
