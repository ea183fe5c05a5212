#!/usr/bin/env node
/** The `rollcall` command: serve, migrate, credentials create, secrets status|rotate. */
import { Command } from 'commander';
import { AuthService } from './auth/service.js';
import { AuthStore } from './auth/store.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { inspectStoredSecrets, rotateStoredSecrets, unreadableMessage } from './db/stored-secrets.js';
import { rotationText, statusJson, statusText } from './security/secrets-report.js';
import { prepare, startServer } from './server.js';

function config(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`rollcall: configuration error: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

function fail(error: unknown): never {
  process.stderr.write(`rollcall: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}

const program = new Command()
  .name('rollcall')
  .description('Self-hostable SCIM 2.0 provisioning service. Configured by environment variables (see README).')
  .showHelpAfterError();

program
  .command('serve')
  .description('migrate the database and serve the HTTP API on PORT (default 3000)')
  .action(async () => {
    const cfg = config();
    const server = await startServer(cfg).catch(fail);
    const shutdown = (signal: NodeJS.Signals) => {
      // SIGTERM comes from an orchestrator or load balancer setup: drain first. SIGINT is a person at
      // a terminal: stop at once (in-flight requests still finish). A second signal kills outright.
      const drainSeconds = signal === 'SIGTERM' ? cfg.shutdown.drainSeconds : 0;
      server.app.log.info({ signal, drainSeconds }, 'shutting down');
      const deadline = setTimeout(() => {
        process.stderr.write(`rollcall: shutdown did not finish ${cfg.shutdown.timeoutSeconds} s after draining; exiting\n`);
        process.exit(1);
      }, (drainSeconds + cfg.shutdown.timeoutSeconds) * 1000);
      deadline.unref();
      server.stop({ drainSeconds }).then(
        () => process.exit(0),
        (error) => fail(error),
      );
    };
    process.once('SIGTERM', () => shutdown('SIGTERM'));
    process.once('SIGINT', () => shutdown('SIGINT'));
  });

program
  .command('migrate')
  .description('apply pending database migrations and exit (also done by serve)')
  .action(async () => {
    const db = await prepare(config()).catch(fail);
    await db.close();
    process.stdout.write('migrations are up to date\n');
  });

const credentials = program.command('credentials').description('manage vendor credentials');
credentials
  .command('create')
  .description('create a vendor credential and print its clientId and secret (shown once)')
  .option('-n, --name <name>', 'a label for the credential', 'created with the CLI')
  .option('--json', 'print JSON')
  .action(async (options: { name: string; json?: boolean }) => {
    const cfg = config();
    const db = await prepare(cfg).catch(fail);
    try {
      const created = await new AuthService(new AuthStore(db.kysely), cfg.envTokenTtlSeconds).createCredential(options.name);
      process.stdout.write(options.json ? `${JSON.stringify(created)}\n` : `clientId: ${created.clientId}\nsecret:   ${created.secret}\n`);
    } finally {
      await db.close();
    }
  });

const secrets = program.command('secrets').description('the encryption of stored secrets with ROLLCALL_ENCRYPTION_KEY (docs/security.md)');
secrets
  .command('status')
  .description('count the stored secrets by how they are kept: under the current key, a previous key, or in plain text; exit 1 if any cannot be read')
  .option('--json', 'print JSON')
  .action(async (options: { json?: boolean }) => {
    const cfg = config();
    const db = await prepare(cfg).catch(fail);
    try {
      const reports = await inspectStoredSecrets(db.kysely, cfg.encryption);
      process.stdout.write(options.json ? statusJson(reports, cfg.encryption) : statusText(reports, cfg.encryption));
      const unreadable = reports.flatMap((report) => report.unreadable);
      if (unreadable.length > 0) process.stderr.write(`rollcall: ${unreadableMessage(unreadable, cfg.encryption)}\n`);
      process.exitCode = unreadable.length > 0 ? 1 : 0;
    } finally {
      await db.close();
    }
  });
secrets
  .command('rotate')
  .description('encrypt every stored secret with ROLLCALL_ENCRYPTION_KEY: those in plain text and those under a previous key')
  .action(async () => {
    const cfg = config();
    const db = await prepare(cfg).catch(fail);
    try {
      process.stdout.write(rotationText(await rotateStoredSecrets(db.kysely, cfg.encryption), cfg.encryption));
    } catch (error) {
      await db.close();
      fail(error);
    }
    await db.close();
  });

await program.parseAsync(process.argv);
