/**
 * Audit entries written in the transaction of the change they record (connections, their tokens and
 * IP allowlists): both commit or neither does. An entry that cannot be written aborts its change, and
 * the caller gets a 500 saying so rather than a change nobody can trace.
 */
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { isDatabaseUnavailable, isTransientConflict } from '../db/errors.js';
import type { Database } from '../db/tables.js';
import { ApiError } from '../http/api-errors.js';
import type { Actor } from './actor.js';
import { AuditStore, type AuditChange } from './store.js';

/** Who made a change and what it was, handed to the store that makes the change. */
export interface AuditRecord {
  actor: Actor;
  change: AuditChange;
}

/** A change rolled back because its audit entry could not be written; `cause` is the database's error. */
export class AuditNotWritten extends ApiError {
  constructor(cause: unknown) {
    super('internal', 'The change was not made: its audit entry could not be written');
    this.cause = cause;
  }
}

/**
 * Appends the entry on the change's transaction `trx`. A database out of reach or a conflict worth a
 * retry keeps its own answer (503, retry); any other failure becomes AuditNotWritten.
 */
export async function appendWithChange(trx: Kysely<Database>, record: AuditRecord, now: string): Promise<void> {
  try {
    await new AuditStore(trx).append(record.actor, record.change, now);
  } catch (error) {
    if (isDatabaseUnavailable(error) || isTransientConflict(error)) throw error;
    throw new AuditNotWritten(error);
  }
}

/**
 * Logs the database's reason when a route's change was refused for want of its audit entry (the
 * answer says only that). Register it in each plugin whose routes write AuditRecords.
 */
export function logAuditFailures(app: FastifyInstance): void {
  app.addHook('onError', async (request, _reply, error) => {
    if (error instanceof AuditNotWritten) request.log.error({ err: error.cause, url: request.routeOptions.url }, 'audit entry not written: the change was rolled back');
  });
}
