/**
 * PostgreSQL's ScimAccessWatch (./scim-access-watch.ts): a connection of its own LISTENs on the
 * channel migration 0014's triggers NOTIFY at every change, delivered when the change commits — so
 * asking costs nothing on the request path. It is trusted only while that connection is known to work:
 *
 * - it starts on the first question (a CLI command that never authenticates SCIM opens nothing);
 * - after LISTEN, a probe NOTIFY sent through the pool must come back, or notifications do not reach
 *   this connection (a transaction-mode pooler in between) and nothing is trusted;
 * - every HEARTBEAT_MS it reads the version on that connection: a failure or a timeout means the
 *   connection is gone, and a version that moved without a notification clears the cache anyway;
 * - on any loss the listeners hear of it (caches empty themselves), nothing is trusted, and it
 *   reconnects with backoff; trust returns only after LISTEN, the probe and registration succeed.
 *
 * A notification travels on its own, and the process that made a change would otherwise answer its
 * client before the others have read it; the client's next request, sent to another process, could
 * arrive first. So each trusting process registers in `scim_access_listeners` (with its listening
 * backend, so a dead process is never waited for) and acknowledges every version it has acted on;
 * the changing process waits (`settle`, at most SETTLE_MS) until every live listener has, before it
 * answers. Changes are rare administrative calls: they pay a few milliseconds, SCIM requests nothing.
 */
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import type { ScimAccessWatch } from '../scim-access-watch.js';
import type { Database } from '../tables.js';

/** The channel of migration 0014's trigger function. */
const CHANNEL = 'rollcall_scim_access';
const HEARTBEAT_MS = 5000;
/** How long a probe may take to come back, and any query on the listening connection. */
const TIMEOUT_MS = 5000;
const MAX_BACKOFF_MS = 30_000;
/** The longest a change waits for the other processes' acknowledgements (a process stalled that long is not waited for). */
const SETTLE_MS = 2000;

/** Registers this process's listening backend with the version it starts from, read in the same statement. */
const REGISTER = `
  insert into scim_access_listeners (id, version, backend_pid, backend_start)
  select $1, v.version, a.pid, a.backend_start from scim_access_version v, pg_stat_activity a
  where v.id = 1 and a.pid = pg_backend_pid()
  on conflict (id) do update set version = excluded.version, backend_pid = excluded.backend_pid, backend_start = excluded.backend_start
  returning version`;

export class PostgresAccessWatch implements ScimAccessWatch {
  /** This process's row in scim_access_listeners. */
  private readonly id = randomUUID();
  private client?: pg.Client;
  private trusted = false;
  private started = false;
  private closed = false;
  private backoffMs = 500;
  private timer?: NodeJS.Timeout;
  private probe?: { payload: string; arrived: () => void };
  /** The last version announced or read. */
  private known?: string;
  private readonly listeners: (() => void)[] = [];
  private warn: (message: string) => void = () => {};
  /** Whether the current episode of distrust was reported already. */
  private reported = false;

  constructor(
    private readonly connectionString: string,
    /** The pool's handle: the probe and `settle` go through it. */
    private readonly pool: Kysely<Database>,
  ) {}

  fresh(): boolean {
    if (!this.started) {
      this.started = true;
      void this.connect();
    }
    return this.trusted;
  }

  async settle(): Promise<void> {
    const deadline = Date.now() + SETTLE_MS;
    try {
      const { rows } = await sql<{ version: string }>`select version from scim_access_version where id = 1`.execute(this.pool);
      const version = rows[0]?.version;
      if (version === undefined) return;
      for (let pauseMs = 1; ; pauseMs = Math.min(pauseMs * 2, 50)) {
        // Live listeners only: a process that died or lost its listening connection caches nothing. (An
        // instance running as another database role shows no backend_start here, and is not waited for.)
        const behind = await sql<{ n: number }>`
          select count(*) as n from scim_access_listeners l
          join pg_stat_activity a on a.pid = l.backend_pid and a.backend_start = l.backend_start
          where l.version < ${version}`.execute(this.pool);
        if (Number(behind.rows[0]?.n) === 0 || Date.now() >= deadline) return;
        await new Promise((resolve) => setTimeout(resolve, pauseMs));
      }
    } catch {
      // The change is made; failing to wait for its announcement must not fail it.
    }
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  reportTo(warn: (message: string) => void): void {
    this.warn = warn;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    const client = this.client;
    this.lose(undefined);
    await client?.query('delete from scim_access_listeners where id = $1', [this.id]).catch(() => {});
    await client?.end().catch(() => {});
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({ connectionString: this.connectionString, keepAlive: true, query_timeout: TIMEOUT_MS, connectionTimeoutMillis: TIMEOUT_MS });
    this.client = client;
    client.on('error', (error) => this.lose(client, `connection lost: ${error.message}`));
    client.on('end', () => this.lose(client, 'connection closed'));
    client.on('notification', (message) => {
      if (message.channel !== CHANNEL || this.client !== client) return;
      if (this.probe && message.payload === this.probe.payload) this.probe.arrived();
      else if (message.payload !== undefined) this.heard(client, message.payload);
    });
    try {
      await client.connect();
      await client.query(`listen ${CHANNEL}`);
      await this.roundTrip();
      // Rows of processes whose listening backend is gone are never waited for; clear them away.
      await client.query('delete from scim_access_listeners l where not exists (select 1 from pg_stat_activity a where a.pid = l.backend_pid and a.backend_start = l.backend_start)');
      const { rows } = await client.query<{ version: string }>(REGISTER, [this.id]);
      if (this.client !== client) throw new Error('superseded');
      // Whatever was remembered (or began to be looked up) before now is forgotten.
      this.changed();
      this.known = String(rows[0]?.version);
      this.trusted = true;
      this.reported = false;
      this.backoffMs = 500;
      this.beat(client);
    } catch (error) {
      // Closed or lost meanwhile: this client is nobody's any more.
      if (this.client !== client) void client.end().catch(() => {});
      else this.lose(client, (error as Error).message);
    }
  }

  /** Acts on a version heard of (announced or read): forgets, then acknowledges it. */
  private heard(client: pg.Client, version: string): void {
    this.changed();
    if (this.known !== undefined && Number(this.known) >= Number(version)) return;
    this.known = version;
    client.query('update scim_access_listeners set version = greatest(version, $2) where id = $1', [this.id, version]).catch((error: Error) => this.lose(client, `acknowledgement failed: ${error.message}`));
  }

  /** Sends a NOTIFY from the pool and waits for it here: proof that notifications reach this connection. */
  private async roundTrip(): Promise<void> {
    const payload = `probe:${randomUUID()}`;
    let timeout: NodeJS.Timeout | undefined;
    const arrived = new Promise<void>((resolve, reject) => {
      this.probe = { payload, arrived: resolve };
      timeout = setTimeout(() => reject(new Error('a NOTIFY sent through the pool never arrived (is a transaction-mode pooler in between?)')), TIMEOUT_MS);
    });
    try {
      await sql`select pg_notify(${CHANNEL}, ${payload})`.execute(this.pool);
      await arrived;
    } finally {
      clearTimeout(timeout);
      this.probe = undefined;
    }
  }

  /** Reads the version on the listening connection every HEARTBEAT_MS. */
  private beat(client: pg.Client): void {
    this.timer = setTimeout(() => void this.heartbeat(client), HEARTBEAT_MS);
    this.timer.unref();
  }

  /** One heartbeat: the version read on the listening connection, then the next beat. */
  private async heartbeat(client: pg.Client): Promise<void> {
    try {
      const { rows } = await client.query<{ version: string }>('select version from scim_access_version where id = 1');
      if (this.client !== client) return;
      // A move the notifications did not announce (or one still on its way): forget, to be safe.
      const version = String(rows[0]?.version);
      if (version !== this.known) this.heard(client, version);
      this.beat(client);
    } catch (error) {
      this.lose(client, `heartbeat failed: ${(error as Error).message}`);
    }
  }

  /** Stops trusting `client` (undefined: whichever is current) and, unless closed, reconnects later. */
  private lose(client: pg.Client | undefined, why?: string): void {
    if (client !== undefined && this.client !== client) return;
    const lost = this.client;
    this.client = undefined;
    this.trusted = false;
    this.known = undefined;
    clearTimeout(this.timer);
    this.changed();
    lost?.removeAllListeners('notification');
    // Keep an 'error' listener: a socket error after this must not become an uncaught one.
    lost?.on('error', () => {});
    if (client !== undefined) void lost?.end().catch(() => {});
    if (this.closed) return;
    if (why && !this.reported) {
      this.reported = true;
      this.warn(`SCIM token cache off until the database's change notifications work again: ${why}`);
    }
    this.timer = setTimeout(() => void this.connect(), this.backoffMs);
    this.timer.unref();
    this.backoffMs = Math.min(this.backoffMs * 2, MAX_BACKOFF_MS);
  }
}
