/**
 * The time each query takes, reported to whoever asks for it: on SQLite the statement's synchronous
 * run on the main thread, on PostgreSQL its round trip. Listeners get the query's parameters with
 * its duration, so they can attribute it without any request context: every SCIM query names its
 * tenant and connection among its parameters, and the SCIM work budget charges the connection it
 * finds there (src/limits/work-budget.ts). (AsyncLocalStorage would carry a request's context to
 * its queries, but on Node.js 20 it slows every promise of the process: lookups lost 12–18 %.)
 */
import type { LogEvent } from 'kysely';

/** Hears of a query that finished or failed after `ms` milliseconds. */
export type QueryTimeListener = (parameters: readonly unknown[], ms: number) => void;

const listeners: QueryTimeListener[] = [];

/** Adds a listener; returns the function that removes it. */
export function onQueryTime(listener: QueryTimeListener): () => void {
  listeners.push(listener);
  return () => {
    const i = listeners.indexOf(listener);
    if (i >= 0) listeners.splice(i, 1);
  };
}

/** Kysely's `log` option: reports each query's duration to the listeners. */
export function recordQueryTime(event: LogEvent): void {
  for (const listener of listeners) listener(event.query.parameters, event.queryDurationMillis);
}
