import type { Migration } from 'kysely';
import * as initial from './0001-initial.js';
import * as eventsWebhooksLogs from './0002-events-webhooks-logs.js';

/** Every migration, in order. Names never change once released. */
export const migrations: Record<string, Migration> = {
  '0001-initial': initial,
  '0002-events-webhooks-logs': eventsWebhooksLogs,
};
