/** Starting and stopping the service: open the database, migrate, bootstrap credentials, listen. */
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { redactUrl, type Config } from './config.js';
import { migrateToLatest } from './db/migrate.js';
import { openDatabase, type Db } from './db/open.js';
import { startScheduler } from './jobs/scheduler.js';

/** A running server. */
export interface RunningServer {
  app: FastifyInstance;
  db: Db;
  url: string;
  stop(): Promise<void>;
}

/** Prints a credential created at first start; the only time its secret is visible. */
function announceCredential(credential: { clientId: string; secret: string }): void {
  process.stdout.write(
    [
      '',
      '  Rollcall created a vendor credential on first start. Store it now: the secret is not shown again.',
      `    clientId: ${credential.clientId}`,
      `    secret:   ${credential.secret}`,
      '  Exchange it for a token:  curl -X POST <url>/auth/vendor -H "content-type: application/json" \\',
      `    -d '{"clientId":"${credential.clientId}","secret":"<secret>"}'`,
      '',
    ].join('\n') + '\n',
  );
}

/** Opens the database, runs migrations and registers the configured credential. */
export async function prepare(config: Config): Promise<Db> {
  const db = openDatabase(config.databaseUrl, { poolSize: config.databasePoolSize });
  try {
    await migrateToLatest(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}

/** Starts the HTTP server; resolves once it listens. */
export async function startServer(config: Config): Promise<RunningServer> {
  const db = await prepare(config);
  const app = await buildApp({ config, db });
  if (config.bootstrapCredential) {
    await app.services.auth.registerCredential(config.bootstrapCredential.clientId, config.bootstrapCredential.secret);
  } else {
    const created = await app.services.auth.bootstrapFirstCredential();
    if (created) announceCredential(created);
  }
  await app.services.auth.pruneExpiredTokens();
  const url = await app.listen({ port: config.port, host: config.host });
  const scheduler = startScheduler(app.services.jobs, app.log);
  app.log.info({ database: redactUrl(config.databaseUrl), publicUrl: config.publicUrl }, 'rollcall listening');
  let stopped = false;
  return {
    app,
    db,
    url,
    async stop() {
      if (stopped) return;
      stopped = true;
      await scheduler.stop();
      await app.close();
      await db.close();
    },
  };
}
