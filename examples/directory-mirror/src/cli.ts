#!/usr/bin/env node
/**
 * directory-mirror <follow|webhooks|reconcile>: keeps users, groups and memberships tables in step
 * with one Rollcall environment. Configuration: environment variables (config.ts, README.md).
 */
import { once } from 'node:events';
import { Rollcall } from '@rollcall/client';
import { COMMANDS, ConfigError, loadConfig, type Command, type Config, type RollcallConfig } from './config.js';
import { follow } from './follow.js';
import { createLog, describeError, type Log } from './log.js';
import { describeReport, reconcile } from './reconcile.js';
import { openStorage } from './storage/open.js';
import type { MirrorStorage } from './storage/port.js';
import { createWebhookServer } from './webhook-server.js';

const USAGE = `usage: directory-mirror <command>

  follow      read the event feed from the checkpoint and apply each event exactly once
  webhooks    receive webhook deliveries on PORT and apply each event exactly once
  reconcile   repair the mirror from the directory API and move the checkpoint to the feed's end

Environment: ROLLCALL_URL, ROLLCALL_CLIENT_ID, ROLLCALL_CLIENT_SECRET (follow, reconcile),
ROLLCALL_WEBHOOK_SECRET, PORT (webhooks), MIRROR_DATABASE_URL (default ./mirror.db), MIRROR_VERBOSE=1.
`;

const isCommand = (value: string | undefined): value is Command => (COMMANDS as readonly string[]).includes(value ?? '');

/** An AbortSignal that SIGTERM or SIGINT aborts: the work in hand finishes, nothing new starts. */
function stopSignal(): AbortSignal {
  const controller = new AbortController();
  const stop = () => controller.abort(new Error('stopped by signal'));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  return controller.signal;
}

const client = (rollcall: RollcallConfig) => new Rollcall({ baseUrl: rollcall.url, clientId: rollcall.clientId, secret: rollcall.secret });

async function serveWebhooks(config: Config, storage: MirrorStorage, log: Log): Promise<void> {
  const { secret, port, host } = config.webhooks!;
  const signal = stopSignal();
  const server = createWebhookServer({ storage, secret, log });
  server.listen(port, host);
  await once(server, 'listening');
  const address = server.address();
  log.info(`directory-mirror webhooks: listening on ${typeof address === 'object' && address ? `${address.address}:${address.port}` : String(address)}, ${storage.kind} mirror`);
  if (!signal.aborted) await once(signal, 'abort');
  // Stops accepting, lets requests in flight commit and answer, then closes idle keep-alive sockets.
  const closed = once(server, 'close');
  server.close();
  server.closeIdleConnections();
  await closed;
}

async function run(command: Command, config: Config, log: Log): Promise<void> {
  const storage = await openStorage(config.databaseUrl);
  try {
    if (command === 'follow') {
      log.info(`directory-mirror follow: ${config.rollcall!.url} into the ${storage.kind} mirror`);
      await follow({ storage, feed: client(config.rollcall!).events, signal: stopSignal(), log });
    } else if (command === 'webhooks') {
      await serveWebhooks(config, storage, log);
    } else {
      process.stdout.write(`${describeReport(await reconcile(storage, client(config.rollcall!)))}\n`);
    }
  } finally {
    await storage.close();
  }
}

async function main(args: string[]): Promise<number> {
  const command = args[0];
  if (!isCommand(command) || args.length > 1) {
    process.stderr.write(command === undefined || command === '--help' || command === '-h' ? USAGE : `unknown command "${args.join(' ')}"\n\n${USAGE}`);
    return 2;
  }
  let config: Config;
  try {
    config = loadConfig(command);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 2;
  }
  const log = createLog(config.verbose);
  try {
    await run(command, config, log);
    return 0;
  } catch (error) {
    log.error(`directory-mirror ${command}: stopped`, error);
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`directory-mirror: ${describeError(error)}\n`);
    process.exitCode = 1;
  },
);
