/** Starting and stopping the service: open the database, migrate, bootstrap credentials, listen. */
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { redactUrl, type Config } from './config.js';
import { migrateToLatest } from './db/migrate.js';
import { openDatabase, type Db } from './db/open.js';
import { checkStoredSecrets, type ColumnReport } from './db/stored-secrets.js';
import { startScheduler } from './jobs/scheduler.js';

/** A running server. */
export interface RunningServer {
  app: FastifyInstance;
  db: Db;
  url: string;
  /**
   * Stops gracefully: /readyz answers 503 and every response closes its connection for
   * `drainSeconds` while the process keeps serving (load balancers move traffic away); then new
   * connections are refused, in-flight requests finish, background jobs end their pass, the request
   * log is flushed and the database closed. Calling it again waits for the same shutdown.
   */
  stop(options?: { drainSeconds?: number }): Promise<void>;
}

/** Prints a credential created at first start; the only time its secret is visible. */
function announceCredential(credential: { clientId: string; secret: string }, publicUrl: string): void {
  process.stdout.write(
    [
      '',
      '  Rollcall created a vendor credential on first start. Store it now: the secret is not shown again.',
      `    clientId: ${credential.clientId}`,
      `    secret:   ${credential.secret}`,
      `  Sign in to the dashboard: ${publicUrl}/dashboard`,
      `  Or exchange it for a token:  curl -X POST ${publicUrl}/auth/vendor -H "content-type: application/json" \\`,
      `    -d '{"clientId":"${credential.clientId}","secret":"<secret>"}'`,
      '',
    ].join('\n') + '\n',
  );
}

/** Opens the database, runs migrations and registers the configured credential. */
export async function prepare(config: Config): Promise<Db> {
  const db = openDatabase(config.databaseUrl, { poolSize: config.databasePoolSize, preparedStatements: config.databasePreparedStatements });
  try {
    await migrateToLatest(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}

/**
 * Checks that every stored secret can be read with the configured keys (ROLLCALL_ENCRYPTION_KEY):
 * a missing or wrong key stops the start with a message naming the variable, instead of failing
 * webhook deliveries and user tokens later.
 */
async function checkSecrets(config: Config, db: Db): Promise<ColumnReport[]> {
  try {
    return await checkStoredSecrets(db.kysely, config.encryption);
  } catch (error) {
    await db.close();
    throw error;
  }
}

/** Starts the HTTP server; resolves once it listens. */
export async function startServer(config: Config): Promise<RunningServer> {
  const db = await prepare(config);
  const secrets = await checkSecrets(config, db);
  const app = await buildApp({ config, db });
  const left = secrets.reduce((n, column) => n + column.plain + Object.values(column.previous).reduce((a, b) => a + b, 0), 0);
  if (config.encryption.current && left > 0) app.log.warn({ count: left }, 'stored secrets not yet encrypted with ROLLCALL_ENCRYPTION_KEY (plain text, or a previous key): run rollcall secrets rotate');
  if (config.bootstrapCredential) {
    await app.services.auth.registerCredential(config.bootstrapCredential.clientId, config.bootstrapCredential.secret);
  } else {
    const created = await app.services.auth.bootstrapFirstCredential();
    if (created) announceCredential(created, config.publicUrl);
  }
  await app.services.auth.pruneExpiredTokens();
  const url = await app.listen({ port: config.port, host: config.host });
  const scheduler = startScheduler(app.services.jobs, app.log);
  app.log.info(
    { database: redactUrl(config.databaseUrl), publicUrl: config.publicUrl, dashboard: `${config.publicUrl}/dashboard`, vendorAuth: `${config.publicUrl}/auth/vendor` },
    'rollcall listening',
  );
  let stopping: Promise<void> | undefined;
  return {
    app,
    db,
    url,
    stop(options = {}) {
      stopping ??= (async () => {
        app.lifecycle.draining = true;
        const drainMs = (options.drainSeconds ?? 0) * 1000;
        await Promise.all([scheduler.stop(), drainMs > 0 ? sleep(drainMs) : undefined]);
        await app.close();
        await db.close();
      })();
      return stopping;
    },
  };
}
