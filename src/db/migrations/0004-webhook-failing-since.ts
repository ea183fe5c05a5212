import type { Kysely } from 'kysely';

/**
 * When a webhook's current run of consecutive failures began. Auto-disable needs both a count and
 * a time span (see src/webhooks/policy.ts): a burst of failures during a short outage must not
 * disable an endpoint that recovers minutes later.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('webhooks').addColumn('failing_since', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('webhooks').dropColumn('failing_since').execute();
}
