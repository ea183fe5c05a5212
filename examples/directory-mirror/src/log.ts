/** What the mirror prints: one line per event on stdout with MIRROR_VERBOSE=1; notices and errors on stderr. */
import type { Outcome } from './apply.js';
import type { MirrorEvent } from './events.js';

/** Where the commands report. */
export interface Log {
  /** One event handled: `applied`, `duplicate` (applied before) or `stale` (older than the mirror). */
  event(event: MirrorEvent, outcome: Outcome): void;
  /** Something an operator should see (start, retries, summaries). */
  info(message: string): void;
  error(message: string, error?: unknown): void;
}

/** The error's message, with its cause's when it has one. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.name}: ${error.message}${cause}`;
}

/** The log of a command: event lines only when `verbose` (MIRROR_VERBOSE=1). */
export function createLog(verbose: boolean): Log {
  return {
    event(event, outcome) {
      if (verbose) process.stdout.write(`${outcome} ${event.type} ${event.id} tenant=${event.tenantId} at=${event.occurredAt}\n`);
    },
    info(message) {
      process.stderr.write(`${message}\n`);
    },
    error(message, error) {
      process.stderr.write(`${message}${error === undefined ? '' : `: ${describeError(error)}`}\n`);
    },
  };
}
