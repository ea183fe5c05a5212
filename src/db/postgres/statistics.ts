/**
 * Planner statistics for PostgreSQL while a directory grows. Autovacuum analyzes a table once 10% of
 * it has changed, and only on its next round (a minute apart by default): during an IdP's first
 * import the tables grow a hundredfold in that minute and the planner, still seeing an empty table,
 * pages through a connection's users to find one userName (measured: 17 ms instead of 0.1 ms at 10k
 * users), or — statistics taken while no group had members — reads every membership to find the
 * groups of one page of users (38 ms, and 650 ms with a prepared statement's generic plan, instead
 * of 0.6 ms).
 *
 * So while a process writes, it looks at PostgreSQL's own per-table change counters at most once a
 * CHECK_MS, and analyzes each SCIM table whose rows changed since its last ANALYZE by more than a
 * fifth of what it held then (and at least MIN_ROWS): a handful of ANALYZEs over an import of 100k
 * users, each sampling at most 30,000 rows, in the background, never holding up a request. Counting
 * rows, not requests: one PATCH adding 1,000 members changes 1,000 rows.
 *
 * And once writes pause for QUIET_MS, it vacuums each SCIM table that took MIN_ROWS rows or more
 * since its last VACUUM. A page's ids come from the (tenant, connection, created_at, id) index, and
 * PostgreSQL reads them from the index alone only where the visibility map says a heap page holds
 * nothing invisible to anyone; VACUUM sets that, and autovacuum does so only after a fifth of the
 * table is new, on its next round. Until then the planner sorts a bitmap scan of the heap instead:
 * measured after importing 10k users, a deep page of 100 executed in 1.9 ms before and 0.8 ms after
 * the VACUUM (p50 of random pages through the API 3.2 → 2.6 ms). `skip_locked`: a table that
 * autovacuum or another process is vacuuming is left to it.
 *
 * The counters lag: a backend reports its changes when a transaction ends, at most once a second, and
 * one that goes idle with changes unreported reports them only after PostgreSQL's idle interval (10
 * s). So the end of an import may not be counted yet when the pause's check runs; a second check
 * RECHECK_MS after the pause, unless writes resumed, catches it (a scratch run that paused right after
 * importing 7,400 users found them never analyzed, and a PATCH's lookup of 256 ids scanning every
 * user of the connection: 2 ms instead of 0.33 ms).
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../tables.js';

const TABLES = ['scim_users', 'scim_user_emails', 'scim_groups', 'scim_group_members', 'scim_counts', 'scim_order_blocks'] as const;
/** Changed rows that call for a table's first ANALYZE, and the least between two. */
const MIN_ROWS = 500;
/** Changed rows, as a share of the rows at the last ANALYZE, that call for the next one. */
const GROWTH = 0.2;
/** How often, at most, the counters are read while writes go on. */
const CHECK_MS = 1000;
/** How long writes pause before the tables they grew are vacuumed. */
const QUIET_MS = 2000;
/** The second look after a pause: past PostgreSQL's PGSTAT_IDLE_INTERVAL (10 s), when idle backends have reported. */
const RECHECK_MS = 11_000;

export class PostgresStatistics {
  private lastCheck = 0;
  private running: Promise<void> | undefined;
  /** Fires QUIET_MS after the last write (re-armed by each); never keeps the process alive. */
  private quiet: NodeJS.Timeout | undefined;
  /** Fires RECHECK_MS after the pause's check, unless a write comes first. */
  private recheck: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly checkMs = CHECK_MS,
    private readonly quietMs = QUIET_MS,
    private readonly recheckMs = RECHECK_MS,
  ) {}

  /** A committed write: reads the change counters in the background when they are due a look. */
  noteWrites(): void {
    clearTimeout(this.recheck);
    this.recheck = undefined;
    if (this.quiet) this.quiet.refresh();
    else {
      this.quiet = setTimeout(() => {
        this.quiet = undefined;
        this.quietCheck();
        this.recheck = setTimeout(() => {
          this.recheck = undefined;
          this.quietCheck();
        }, this.recheckMs);
        this.recheck.unref();
      }, this.quietMs);
      this.quiet.unref();
    }
    const now = Date.now();
    if (this.running || now - this.lastCheck < this.checkMs) return;
    this.lastCheck = now;
    this.running = this.check(false).finally(() => {
      this.running = undefined;
    });
  }

  /** Stops the pending vacuum after the last write (at shutdown). */
  stop(): void {
    clearTimeout(this.quiet);
    clearTimeout(this.recheck);
    this.quiet = undefined;
    this.recheck = undefined;
  }

  /** The check of a pause: after a check still running, whose counters are older than the pause. */
  private quietCheck(): void {
    this.running = (this.running ?? Promise.resolve()).then(() => this.check(true)).finally(() => {
      this.running = undefined;
    });
  }

  /** Resolves when no check or ANALYZE of this process is running (for shutdown and tests). */
  async idle(): Promise<void> {
    await this.running;
  }

  /** ANALYZE of the tables due one; `quiet` (writes paused): VACUUM, with ANALYZE, of the tables that grew. */
  private async check(quiet: boolean): Promise<void> {
    try {
      // reltuples: the rows at the last ANALYZE or VACUUM (-1 before the first); n_mod_since_analyze: rows
      // inserted, updated or deleted since (reported by each backend within a second or so);
      // n_ins_since_vacuum: rows inserted since the last VACUUM, by anyone.
      const due = await sql<{ relname: string; vacuum: boolean }>`
        select relname, vacuum_due as vacuum from (
          select s.relname,
            s.n_mod_since_analyze >= greatest(${MIN_ROWS}, ${GROWTH} * greatest(c.reltuples, 0)) as analyze_due,
            ${quiet} and s.n_ins_since_vacuum >= ${MIN_ROWS} as vacuum_due
          from pg_stat_user_tables s join pg_class c on c.oid = s.relid
          where s.schemaname = current_schema() and s.relname in (${sql.join(TABLES.map((t) => sql.lit(t)))})
        ) due where analyze_due or vacuum_due`.execute(this.db);
      const tables = (vacuum: boolean) => sql.join(due.rows.filter((r) => r.vacuum === vacuum).map((r) => sql.table(r.relname)));
      if (due.rows.some((r) => r.vacuum)) await sql`vacuum (analyze, skip_locked) ${tables(true)}`.execute(this.db);
      if (due.rows.some((r) => !r.vacuum)) await sql`analyze (skip_locked) ${tables(false)}`.execute(this.db);
    } catch {
      // Statistics are an optimisation: a failed ANALYZE or VACUUM (a shutdown, a lock timeout) leaves autovacuum to it.
    }
  }
}
